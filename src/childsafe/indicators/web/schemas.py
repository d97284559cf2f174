"""The API's response models: the OpenAPI document describes every body the indicators serve."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FormulaBody(_Body):
    numerator: str
    denominator: str
    per: int


class DefinitionBody(_Body):
    id: str
    kind: str
    title: dict[str, str]
    unit: dict[str, str]
    publisher: str
    publisher_url: str | None
    compiled_by: str | None
    terms: str
    sources: dict[str, str]
    caveats: dict[str, list[str]]
    formula: FormulaBody | None


class IndicatorSummary(DefinitionBody):
    years: list[int]
    jurisdictions: int


class IndicatorList(_Body):
    indicators: list[IndicatorSummary]


class ValueBody(BaseModel):
    """A value; a derived one also carries its parts, named by their indicator ids."""

    model_config = ConfigDict(extra="allow")
    jurisdiction: str | None
    name: str
    year: int
    value: float
    source: str | None = None
    note: str | None = None


class Filters(_Body):
    jurisdiction: str | None
    year: int | None
    grouping: str | None


class YearTotal(_Body):
    year: int
    total: float


class IndicatorDocument(_Body):
    indicator: str
    definition: DefinitionBody
    filters: Filters
    totals: list[YearTotal]
    values: list[ValueBody]
    cited: list[DefinitionBody]


class MapLayerDocument(_Body):
    layer: str
    indicator: str
    unit: str | None
    year: int
    years: list[int]
    breaks: list[float]
    colours: list[str]
    caveats: dict[str, list[str]]
    jurisdictions: list[dict[str, str | float | int]]


class TimelineValue(_Body):
    year: int
    value: float


class TimelineRow(_Body):
    indicator: str
    title: dict[str, str]
    unit: dict[str, str]
    integer: bool
    values: list[TimelineValue]
    sources: dict[str, str]
    caveats: dict[str, list[str]]


class TimelineDocument(_Body):
    jurisdiction: str
    years: list[int]
    indicators: list[TimelineRow]


class Box(_Body):
    min: float
    q1: float
    median: float
    q3: float
    max: float


class GroupValue(_Body):
    jurisdiction: str
    value: float


class Group(_Body):
    category: str
    count: int
    box: Box | None
    values: list[GroupValue]


class LawAndEvidenceDocument(_Body):
    edition: int
    editions: list[int]
    year: int
    years: list[int]
    indicator: str
    groups: list[Group]
    caveats: dict[str, list[str]]
    cited: list[DefinitionBody]
