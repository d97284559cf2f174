"""The indicators on a real database (SQLite and PostgreSQL): the shipped data loaded exactly,
totals equal NCMEC's, per-1,000 values right, imports all or nothing. Imported rows are
synthetic and say so (their source is example.org)."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from childsafe.audit.models import AuditRow
from childsafe.indicators.bootstrap import seed_indicators
from childsafe.indicators.data import default_shipped
from childsafe.indicators.service import IndicatorService
from childsafe.indicators.store import SqlIndicatorStore
from childsafe.kernel.errors import ImportRejected, InvalidValue, NotFound
from childsafe.review.bootstrap import seed_shipped_data
from childsafe.review.service import ReviewService
from tests.indicators.helpers import (
    NCMEC_TOTALS,
    POPULATION_CSV,
    REPORTS_CSV,
    counts,
    seeded,
    write,
)

REPORTS, POPULATION, PER_1000 = "ncmec-cybertipline-reports", "un-population", "reports-per-1000"


@pytest.fixture
def indicators(engine: Engine, service: ReviewService) -> IndicatorService:
    """The shipped review and indicators, seeded as on first start."""
    seed_shipped_data(service)
    return seeded(engine, service)


def _source_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_published_value_of_both_files_is_loaded_exactly(
    indicators: IndicatorService,
) -> None:
    reports = indicators.show(REPORTS)["values"]
    expected = {
        (r["name_as_published"], int(r["year"])): int(r["reports"])
        for r in _source_rows(REPORTS_CSV)
    }
    assert {(v["name"], v["year"]): v["value"] for v in reports} == expected
    population = indicators.show(POPULATION)["values"]
    expected = {
        (r["iso3"], int(r["year"])): int(r["population"]) for r in _source_rows(POPULATION_CSV)
    }
    assert {(v["jurisdiction"], v["year"]): v["value"] for v in population} == expected


def test_yearly_totals_equal_ncmecs(indicators: IndicatorService) -> None:
    totals = {row["year"]: row["total"] for row in indicators.show(REPORTS)["totals"]}
    assert totals == NCMEC_TOTALS
    kept = {v["name"] for v in indicators.show(REPORTS)["values"] if v["jurisdiction"] is None}
    assert kept == {"No Country Listed", "Europe", "Antarctica"}


def test_per_1000_for_a_random_sample(indicators: IndicatorService) -> None:
    reports = {
        (r["iso3"], int(r["year"])): int(r["reports"])
        for r in _source_rows(REPORTS_CSV)
        if r["iso3"]
    }
    population = {
        (r["iso3"], int(r["year"])): int(r["population"]) for r in _source_rows(POPULATION_CSV)
    }
    derived = {(v["jurisdiction"], v["year"]): v for v in indicators.show(PER_1000)["values"]}
    both = sorted((reports.keys() & population.keys()) - {("GUF", 2020), ("GUF", 2021)})
    for key in random.Random(16).sample(both, 40):
        assert derived[key]["value"] == pytest.approx(
            reports[key] / population[key] * 1000, rel=1e-12
        )
        assert derived[key][REPORTS] == reports[key]
        assert derived[key][POPULATION] == population[key]
    assert derived[("PHL", 2022)]["value"] == pytest.approx(22.2932, abs=1e-4)
    assert set(derived) <= reports.keys() | {("GUF", 2020), ("GUF", 2021)}
    # French Guiana's two published lines are one value for the jurisdiction
    assert derived[("GUF", 2020)][REPORTS] == 593 + 1


def test_filters_by_jurisdiction_year_and_grouping(indicators: IndicatorService) -> None:
    values = indicators.show(REPORTS, jurisdiction="Vietnam", year=2022)["values"]
    assert [(v["jurisdiction"], v["value"]) for v in values] == [("VNM", 957_432)]
    asean = indicators.show(PER_1000, grouping="ASEAN", year=2022)["values"]
    assert {v["jurisdiction"] for v in asean} >= {"PHL", "VNM", "THA"}
    assert all(v["year"] == 2022 for v in asean)
    with pytest.raises(NotFound):
        indicators.show("no-such-indicator")


def test_seeding_twice_adds_nothing(indicators: IndicatorService, engine: Engine) -> None:
    before = counts(engine)
    assert seed_indicators(SqlIndicatorStore(engine), indicators.registry, default_shipped()) == []
    assert counts(engine) == before


def test_seeding_wrote_one_audit_entry_per_indicator(
    indicators: IndicatorService, engine: Engine
) -> None:
    with engine.connect() as conn:
        rows = conn.execute(
            select(AuditRow.entity_key, AuditRow.after).where(AuditRow.entity == "indicator")
        ).all()
    by_key = {key: after for key, after in rows}
    assert set(by_key) == {REPORTS, POPULATION, PER_1000}
    assert by_key[REPORTS]["added"] == 1223
    assert by_key[REPORTS]["totals"] == {str(y): t for y, t in NCMEC_TOTALS.items()}


def test_an_import_adds_and_changes_values_with_their_audit(
    indicators: IndicatorService, engine: Engine, tmp_path: Path
) -> None:
    path = write(
        tmp_path / "synthetic.csv",
        "jurisdiction,year,value,source\n"
        "Philippines,2024,100,synthetic test row (example.org)\n"
        "VNM,2022,957433,synthetic correction (example.org)\n"
        "Burma/Myanmar,2022,1,synthetic (example.org)\n",
    )
    values, audit = counts(engine)
    summary = indicators.import_file(path, REPORTS, actor="tester (synthetic)")
    assert (summary["added"], summary["changed"], summary["rows"]) == (1, 2, 3)
    assert counts(engine) == (values + 1, audit + 1)
    shown = indicators.show(REPORTS, jurisdiction="VNM", year=2022)["values"][0]
    assert (shown["value"], shown["source"]) == (957_433, "synthetic correction (example.org)")


BAD_ROWS = {
    "unknown name": ("Atlantis,2022,5\n", 3, "jurisdiction", "Atlantis"),
    "duplicate jurisdiction-year": ("Viet Nam,2022,5\n", 3, "jurisdiction", "Viet Nam"),
    "negative count": ("Thailand,2022,-5\n", 3, "value", "-5"),
    "not a number": ("Thailand,2022,many\n", 3, "value", "many"),
}


@pytest.mark.parametrize("case", BAD_ROWS.values(), ids=list(BAD_ROWS))
def test_a_bad_file_is_refused_naming_the_row_and_nothing_is_written(
    indicators: IndicatorService, engine: Engine, tmp_path: Path, case: tuple[str, int, str, str]
) -> None:
    rows, line, column, value = case
    path = write(tmp_path / "bad.csv", "jurisdiction,year,value\nVNM,2022,1\n" + rows)
    before = counts(engine)
    with pytest.raises(ImportRejected) as refused:
        indicators.import_file(path, REPORTS, actor="tester (synthetic)")
    problem = refused.value.problems[0].details
    assert (problem["file"], problem["line"], problem["column"], problem["value"]) == (
        str(path),
        line,
        column,
        value,
    )
    assert counts(engine) == before
    assert indicators.show(REPORTS, jurisdiction="VNM", year=2022)["values"][0]["value"] == 957_432


def test_a_derived_indicator_is_not_imported(indicators: IndicatorService, tmp_path: Path) -> None:
    path = write(tmp_path / "x.csv", "jurisdiction,year,value\nPHL,2022,1\n")
    with pytest.raises(InvalidValue, match="derived"):
        indicators.import_file(path, PER_1000, actor="tester (synthetic)")


def test_map_layers_timeline_and_the_law_beside_the_evidence(indicators: IndicatorService) -> None:
    layer = indicators.map_layer("per-1000", 2022)
    assert layer["year"] == 2022 and len(layer["breaks"]) == 4 and len(layer["colours"]) == 5
    classes = {row["jurisdiction"]: row["class"] for row in layer["jurisdictions"]}
    assert classes["PHL"] == 5  # 22.3 per 1,000: the top fifth
    change = indicators.map_layer("change")
    assert change["year"] == 2023 and change["years"][0] == 2020
    with pytest.raises(NotFound):
        indicators.map_layer("reports", 1999)
    timeline = indicators.timeline("VNM")
    reports = next(row for row in timeline["indicators"] if row["indicator"] == REPORTS)
    assert [v["value"] for v in reports["values"]][3] == 957_432
    evidence = indicators.law_and_evidence(8, 2022)
    groups = {g["category"]: g for g in evidence["groups"]}
    assert sum(g["count"] for g in groups.values()) == len(layer["jurisdictions"])
    assert groups["all_five"]["values"] == [
        {"jurisdiction": "PHL", "value": pytest.approx(22.2932, abs=1e-4)}
    ]
