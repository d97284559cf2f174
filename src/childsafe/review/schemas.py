"""The Global Review's API documents as response models (the shapes of ``review/documents.py``
and ``review/explorer.py``, documented in docs/cli.md).

The routes serve cached bytes built from the services' documents; these models describe them in
the OpenAPI document, and the schemathesis runs check that the bytes validate against them.
Maps keyed by a criterion id, an edition number (as text) or a jurisdiction code are
``dict[str, …]``.
"""

from __future__ import annotations

from pydantic import Field

from childsafe.kernel.schemas import Citation, Excerpt, Note, Schema, SourceRef, SourceText

Agreement = str
"""How the computed count compares with the published figure: agree, differ, incomplete, …"""


class CriterionLabel(Schema):
    id: str = Field(description="Criterion id, e.g. C1")
    label: str


class CriterionQuestion(CriterionLabel):
    question: str = Field(description="The question the criterion asks of the legislation")


class UniverseSize(Schema):
    id: str = Field(description="The universe of jurisdictions the edition assessed")
    size: int


class EditionEntry(Schema):
    """An edition as listed by ``GET /editions``."""

    number: int
    title: str = Field(description="The title as published")
    edition_label: str = Field(description="e.g. 8th Edition")
    published: str = Field(description="Year and month of publication, e.g. 2016-02")
    languages: list[str]
    universe: UniverseSize
    criteria: list[CriterionQuestion]
    assessed: int = Field(description="Jurisdictions with current assessments in the edition")


class Editions(Schema):
    editions: list[EditionEntry]


class ClassificationResult(Schema):
    id: str
    label: str
    rule: str = Field(description="The rule as written, e.g. C1 and C2 and C3 and C4")
    computed: int = Field(description="Jurisdictions the rule puts in the class")
    undetermined: int = Field(description="Jurisdictions a missing value leaves undecided")
    published: int | None = Field(description="The figure as published, if one was")
    published_source: str | None = Field(description="Source id of the published figure")
    agreement: Agreement


class OtherPublished(Schema):
    id: str
    label: str
    published: int
    published_source: str


class Results(Schema):
    """Computed counts beside the published figures, with the coverage they rest on."""

    edition: int
    title: str
    edition_label: str
    region: str | None = Field(description="The grouping id the results are limited to")
    universe: int = Field(description="Jurisdictions in the edition's universe (or region)")
    assessed: int
    coverage: str = Field(description="What the computed counts rest on, in words")
    classifications: list[ClassificationResult]
    other_published: list[OtherPublished]


class TableRow(Schema):
    jurisdiction: str = Field(description="ISO 3166 alpha-3 code")
    name: str
    assessed: bool
    values: dict[str, str | None] = Field(description="Criterion id to yes, no, partial, …")


class CountryTable(Schema):
    """Country-specific findings: every jurisdiction's values in an edition."""

    edition: int
    region: str | None
    criteria: list[CriterionLabel]
    rows: list[TableRow]


class LegendEntry(Schema):
    category: str = Field(description="all_five, sufficient, insufficient, …, not_assessed")
    count: int


class MapEntry(Schema):
    jurisdiction: str
    category: str


class WorldMap(Schema):
    edition: int
    legend: list[LegendEntry]
    jurisdictions: list[MapEntry]


class ComparedCount(Schema):
    computed: int
    undetermined: int
    published: int | None
    agreement: Agreement


class ComparedRow(Schema):
    id: str = Field(description="Classification id")
    label: str
    values: dict[str, ComparedCount | None] = Field(
        description="Edition number (as text) to the counts; null where the edition lacks it"
    )


class Comparative(Schema):
    """Classifications across editions (the Comparative Results)."""

    editions: list[int]
    assessed: dict[str, int] = Field(description="Edition number (as text) to assessed")
    universe: dict[str, int] = Field(description="Edition number (as text) to universe size")
    rows: list[ComparedRow]


class Home(Schema):
    """Everything the home page shows."""

    edition: int
    editions: list[int]
    results: Results
    map: WorldMap
    comparative: Comparative


class CriterionEntry(CriterionQuestion):
    source: str = Field(description="Source id")
    description: str | None


class ClassificationEntry(Schema):
    id: str
    label: str
    rule: str
    description: str | None


class PublishedFigure(Schema):
    id: str
    value: int
    source: str
    as_published: str | None = Field(description="The words of the publication")
    note: str | None


class OtherFigure(Schema):
    id: str
    label: str
    value: int
    source: str
    note: str | None


class Universe(Schema):
    id: str
    label: str
    size: int
    source: str
    note: str


class EditionQuestion(Schema):
    """A criterion's question as one edition worded it."""

    question: str
    source: str


class EditionSummary(Schema):
    number: int
    title: str
    edition_label: str
    published: str
    reference_date: str = Field(description="ISO date the assessments speak for")
    languages: list[str]
    languages_note: str | None
    universe: Universe
    universe_note: str | None
    criteria: list[str]
    classifications: list[str]
    published_figures: list[PublishedFigure]
    other_figures: list[OtherFigure]
    questions: dict[str, EditionQuestion] = Field(
        default_factory=dict,
        description="Criteria this edition worded itself, by id: its question and source.",
    )


class Methodology(Schema):
    """Criteria, classifications (rules as written), editions and sources."""

    criteria: list[CriterionEntry]
    classifications: list[ClassificationEntry]
    editions: list[EditionSummary]
    sources: list[SourceRef]


class JurisdictionEntry(Schema):
    code: str = Field(description="ISO 3166 alpha-3")
    alpha2: str
    numeric: str | None
    name: str
    names: dict[str, str] = Field(description="Language (en, es, ar, ru) to name")


class Jurisdictions(Schema):
    jurisdictions: list[JurisdictionEntry]


class Record(Schema):
    """One version of one cell (edition, jurisdiction, criterion) with its provenance."""

    jurisdiction: str
    edition: int
    criterion: str
    value: str = Field(description="yes, no, partial or unknown")
    citation: Citation
    excerpt: Excerpt
    source: SourceText
    note: Note
    version: int
    current: bool
    recorded_by: str
    recorded_at: str | None = Field(description="ISO date and time")


class GroupingRef(Schema):
    id: str
    name: str
    kind: str


class JurisdictionEdition(Schema):
    edition: int
    edition_label: str
    in_universe: bool
    assessed: bool
    criteria: list[Record] = Field(description="The current values")
    history: list[Record] = Field(description="Earlier versions")
    classifications: dict[str, bool | None] = Field(
        description="Classification id to in or out (null: undetermined); empty if not assessed"
    )


class Refined(Schema):
    count: int
    jurisdictions: list[str]
    definition: str


class Change(Schema):
    jurisdiction: str
    name: str
    criterion: str
    from_value: str | None = Field(alias="from")
    to_value: str | None = Field(alias="to")
    direction: str = Field(description="improved, regressed, …")


class Diff(Schema):
    """What changed between two editions."""

    from_edition: int = Field(alias="from")
    to_edition: int = Field(alias="to")
    criteria: list[str]
    compared: int = Field(description="Jurisdictions assessed in both editions")
    only_in_from: list[str]
    only_in_to: list[str]
    refined_or_implemented: Refined
    changes: list[Change]


class JurisdictionProfile(Schema):
    """A jurisdiction across editions, with provenance, history and changes."""

    jurisdiction: str
    name: str
    groupings: list[GroupingRef]
    editions: list[JurisdictionEdition]
    changes: list[Diff] = Field(description="Between consecutive assessed editions")


class GroupingEntry(GroupingRef):
    members: int


class Groupings(Schema):
    groupings: list[GroupingEntry]


class GroupingDetail(GroupingRef):
    source: str
    note: str


class Region(Schema):
    """A grouping's table and results in an edition."""

    grouping: GroupingDetail
    edition: int
    table: CountryTable
    results: Results


class ComparedJurisdiction(Schema):
    code: str
    name: str


class ComparedCriterion(Schema):
    id: str
    label: str
    values: dict[str, str | None] = Field(description="Jurisdiction code to value")


class ComparedClassification(Schema):
    id: str
    label: str
    values: dict[str, bool | None] = Field(description="Jurisdiction code to in or out")


class ComparedEdition(Schema):
    edition: int
    edition_label: str
    criteria: list[ComparedCriterion]
    classifications: list[ComparedClassification]


class Compare(Schema):
    """One to six jurisdictions side by side."""

    jurisdictions: list[ComparedJurisdiction]
    editions: list[ComparedEdition]


class Assessments(Schema):
    assessments: list[Record]


class History(Schema):
    jurisdiction: str
    versions: list[Record]
