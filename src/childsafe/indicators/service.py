"""The indicators' use cases: list and show them (values filtered by jurisdiction, year or
grouping), derive by formula, import a file all or nothing, and the documents the explorer
draws (a map layer, a jurisdiction's timeline, the law beside the evidence).

The law comes in through :class:`LegalContext` (the review, composed in ``bootstrap``), so
this module knows nothing of how assessments are stored."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any, Final, Protocol

from childsafe.indicators.model.classes import PALETTE, box, class_breaks, class_of
from childsafe.indicators.model.definition import IndicatorDefinition
from childsafe.indicators.model.derived import Key, change_since_previous, derive
from childsafe.indicators.model.values import IndicatorValue, parse_values, yearly_totals
from childsafe.indicators.store import IndicatorStore
from childsafe.kernel.db.models import utcnow
from childsafe.kernel.documents import Document
from childsafe.kernel.errors import InvalidValue, NotFound
from childsafe.kernel.io.readers import read_table
from childsafe.kernel.jurisdictions import JurisdictionRegistry

REPORTS: Final = "ncmec-cybertipline-reports"
PER_1000: Final = "reports-per-1000"
# Map layers beside the legal classification: (indicator, whether it shows the yearly change)
LAYERS: Final = {
    "reports": (REPORTS, False),
    "per-1000": (PER_1000, False),
    "change": (REPORTS, True),
}


class LegalContext(Protocol):
    """What the indicators need of the law: the editions, each jurisdiction's classification
    on the map of an edition, and the members of a grouping."""

    def editions(self) -> list[int]: ...

    def categories(self, edition: int) -> dict[str, str]: ...

    def category_order(self) -> list[str]: ...

    def members(self, grouping: str) -> frozenset[str]: ...


def _json_number(value: float, integer: bool) -> int | float:
    return int(value) if integer and value.is_integer() else value


class IndicatorService:
    def __init__(
        self, store: IndicatorStore, registry: JurisdictionRegistry, legal: LegalContext
    ) -> None:
        self.store = store
        self.registry = registry
        self.legal = legal
        self._definitions: dict[str, IndicatorDefinition] | None = None

    # -- definitions ------------------------------------------------------------------------

    def definitions(self) -> dict[str, IndicatorDefinition]:
        """Read once: definitions change only when shipped data is seeded (at start)."""
        if self._definitions is None:
            self._definitions = {d.id: d for d in self.store.definitions()}
        return self._definitions

    def definition(self, indicator: str) -> IndicatorDefinition:
        found = self.definitions().get(indicator)
        if found is None:
            known = ", ".join(sorted(self.definitions()))
            raise NotFound(f"no indicator {indicator!r}; known: {known}", indicator=indicator)
        return found

    def overview(self) -> Document:
        rows = []
        for definition in self.definitions().values():
            series = self.series(definition.id)
            rows.append(
                definition.summary()
                | {
                    "years": sorted({year for _, year in series}),
                    "jurisdictions": len({code for code, _ in series}),
                }
            )
        return {"indicators": rows}

    # -- values -----------------------------------------------------------------------------

    def series(
        self, indicator: str, jurisdictions: Collection[str] | None = None
    ) -> dict[Key, float]:
        """(jurisdiction, year) -> value, for ``jurisdictions`` (default: all); a
        jurisdiction's lines in one year are summed, rows that are not jurisdictions are left
        out. Derived indicators are computed here."""
        definition = self.definition(indicator)
        if definition.formula is not None:
            formula = definition.formula
            numerators = self.series(formula.numerator, jurisdictions)
            denominators = self.series(formula.denominator, jurisdictions)
            return {
                (d.jurisdiction, d.year): d.value for d in derive(formula, numerators, denominators)
            }
        summed: dict[Key, float] = {}
        for value in self.store.values(indicator, jurisdictions=jurisdictions):
            if value.jurisdiction is not None:
                key = (value.jurisdiction, value.year)
                summed[key] = summed.get(key, 0.0) + value.value
        return summed

    def _filter(self, jurisdiction: str | None, grouping: str | None) -> frozenset[str] | None:
        wanted: frozenset[str] | None = None
        if jurisdiction:
            wanted = frozenset({self.registry.resolve(jurisdiction).code})
        if grouping:
            members = self.legal.members(grouping)
            wanted = members if wanted is None else wanted & members
        return wanted

    def show(
        self,
        indicator: str,
        *,
        jurisdiction: str | None = None,
        year: int | None = None,
        grouping: str | None = None,
    ) -> Document:
        """The indicator, its yearly totals and its values (filtered), each with its source."""
        definition = self.definition(indicator)
        wanted = self._filter(jurisdiction, grouping)
        years = None if year is None else {year}
        if definition.formula is None:
            values = self._published(definition, wanted, years)
            totals = yearly_totals(self.store.values(indicator))
            cited = [definition.summary()]
        else:
            values = self._derived(definition, wanted, years)
            totals = {}
            parts = (definition.formula.numerator, definition.formula.denominator)
            cited = [self.definition(part).summary() for part in parts]
        return {
            "indicator": definition.id,
            "definition": definition.summary(),
            "filters": {"jurisdiction": jurisdiction, "year": year, "grouping": grouping},
            "totals": [
                {"year": y, "total": _json_number(t, definition.integer)} for y, t in totals.items()
            ],
            "values": values,
            "cited": cited,
        }

    def _published(
        self,
        definition: IndicatorDefinition,
        wanted: Collection[str] | None,
        years: Collection[int] | None,
    ) -> list[dict[str, Any]]:
        rows = self.store.values(definition.id, jurisdictions=wanted, years=years)
        return [
            {
                "jurisdiction": v.jurisdiction,
                "name": v.name,
                "year": v.year,
                "value": _json_number(v.value, definition.integer),
                "source": v.source or definition.source_of(v.year),
                "note": v.note,
            }
            for v in rows
        ]

    def _derived(
        self,
        definition: IndicatorDefinition,
        wanted: Collection[str] | None,
        years: Collection[int] | None,
    ) -> list[dict[str, Any]]:
        formula = definition.formula
        assert formula is not None
        numerators = self.series(formula.numerator, wanted)
        denominators = self.series(formula.denominator, wanted)
        rows = []
        for d in derive(formula, numerators, denominators):
            if (wanted is None or d.jurisdiction in wanted) and (years is None or d.year in years):
                rows.append(
                    {
                        "jurisdiction": d.jurisdiction,
                        "name": self.registry.name(d.jurisdiction),
                        "year": d.year,
                        "value": d.value,
                        formula.numerator: _json_number(d.numerator, True),
                        formula.denominator: _json_number(d.denominator, True),
                    }
                )
        return rows

    # -- importing --------------------------------------------------------------------------

    def parse(self, definition: IndicatorDefinition, path: Path) -> list[IndicatorValue]:
        return parse_values(read_table(path), definition, self.registry)

    def import_file(self, path: Path, indicator: str, *, actor: str, reason: str = "") -> Document:
        """Every row of ``path`` as values of ``indicator``, all or nothing."""
        definition = self.definition(indicator)
        if definition.formula is not None:
            raise InvalidValue(f"{indicator} is derived by its formula; import its parts")
        values = self.parse(definition, path)
        outcome = self.store.record(
            definition, values, actor=actor, at=utcnow(), reason=reason or f"import {path.name}"
        )
        return outcome.document() | {"rows": len(values)}

    # -- the explorer's documents -----------------------------------------------------------

    def layer_values(self, layer: str, year: int | None) -> tuple[dict[str, float], int, list[int]]:
        """The layer's value per jurisdiction in ``year`` (default: the newest), the year, and
        the years it has."""
        if layer not in LAYERS:
            raise InvalidValue(f"no map layer {layer!r}; use {', '.join(LAYERS)}", layer=layer)
        indicator, as_change = LAYERS[layer]
        series = self.series(indicator)
        years = sorted({y for _, y in series})
        if as_change:
            years = [y for y in years if y - 1 in years]
        if not years:
            return {}, year or 0, []
        chosen = years[-1] if year is None else year
        if chosen not in years:
            raise NotFound(f"{layer}: no values for {chosen}; years: {years}", year=chosen)
        if as_change:
            return change_since_previous(series, chosen), chosen, years
        return {code: v for (code, y), v in series.items() if y == chosen}, chosen, years

    def map_layer(self, layer: str, year: int | None = None) -> Document:
        """A map layer: each jurisdiction's value and class, the class breaks and colours."""
        values, chosen, years = self.layer_values(layer, year)
        breaks = class_breaks(list(values.values()))
        indicator, as_change = LAYERS[layer]
        return {
            "layer": layer,
            "indicator": indicator,
            "unit": "%" if as_change else None,
            "year": chosen,
            "years": years,
            "breaks": breaks,
            "colours": list(PALETTE[: len(breaks) + 1]),
            "caveats": self.definition(REPORTS).caveats,
            "jurisdictions": [
                {"jurisdiction": code, "value": value, "class": class_of(value, breaks)}
                for code, value in sorted(values.items())
            ],
        }

    def timeline(self, jurisdiction: str) -> Document:
        """Every indicator's values for one jurisdiction, year by year, with caveats."""
        code = self.registry.resolve(jurisdiction).code
        rows = []
        for definition in self.definitions().values():
            series = {y: v for (_, y), v in self.series(definition.id, {code}).items()}
            rows.append(
                {
                    "indicator": definition.id,
                    "title": definition.title,
                    "unit": definition.unit,
                    "integer": definition.integer,
                    "values": [
                        {"year": y, "value": _json_number(v, definition.integer)}
                        for y, v in sorted(series.items())
                    ],
                    "sources": definition.summary()["sources"],
                    "caveats": definition.caveats,
                }
            )
        years = sorted({v["year"] for row in rows for v in row["values"]})
        return {"jurisdiction": code, "years": years, "indicators": rows}

    def law_and_evidence(self, edition: int, year: int | None = None) -> Document:
        """Reports per 1,000 people grouped by each jurisdiction's legal classification in
        ``edition``: each group's values and its box (quartiles)."""
        values, chosen, years = self.layer_values("per-1000", year)
        categories = self.legal.categories(edition)
        groups = []
        for category in self.legal.category_order():
            members = sorted(
                (v, code)
                for code, v in values.items()
                if categories.get(code, "not_assessed") == category
            )
            groups.append(
                {
                    "category": category,
                    "count": len(members),
                    "box": box([v for v, _ in members]),
                    "values": [{"jurisdiction": c, "value": v} for v, c in members],
                }
            )
        return {
            "edition": edition,
            "editions": self.legal.editions(),
            "year": chosen,
            "years": years,
            "indicator": PER_1000,
            "groups": groups,
            "caveats": self.definition(REPORTS).caveats,
            "cited": [self.definition(i).summary() for i in (REPORTS, "un-population")],
        }
