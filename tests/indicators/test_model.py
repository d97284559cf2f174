"""The indicators' pure domain: the parser (hypothesis), the formula, class breaks, boxes."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from childsafe.indicators.data import default_shipped
from childsafe.indicators.model.classes import CLASSES, box, class_breaks, class_of
from childsafe.indicators.model.definition import Formula, IndicatorDefinition
from childsafe.indicators.model.derived import apply_formula, change_since_previous, derive
from childsafe.indicators.model.values import NameMatcher, parse_values, yearly_totals
from childsafe.kernel.errors import ImportRejected
from childsafe.kernel.io.rows import RawRow, RawTable
from childsafe.kernel.jurisdictions import default_registry

REPORTS = default_shipped()["ncmec-cybertipline-reports"].definition
REGISTRY = default_registry()
CODES = ["PHL", "VNM", "THA", "NZL", "FRA", "BRA"]


def table(
    *rows: dict[str, str], header: tuple[str, ...] = ("jurisdiction", "year", "value")
) -> RawTable:
    return RawTable("synthetic.csv", header, tuple(RawRow(i + 2, r) for i, r in enumerate(rows)))


@given(
    st.dictionaries(
        st.tuples(st.sampled_from(CODES), st.integers(2000, 2030)),
        st.integers(0, 10**10),
        min_size=1,
        max_size=30,
    )
)
def test_every_good_row_is_read_exactly(cells: dict[tuple[str, int], int]) -> None:
    rows = [{"jurisdiction": c, "year": str(y), "value": str(v)} for (c, y), v in cells.items()]
    values = parse_values(table(*rows), REPORTS, REGISTRY)
    assert {(v.jurisdiction, v.year): v.value for v in values} == cells
    assert sum(yearly_totals(values).values()) == sum(cells.values())


@given(st.text(max_size=12).filter(lambda s: not s.strip().isdigit()))
def test_a_value_that_is_not_a_number_is_refused_naming_line_column_and_value(text: str) -> None:
    with pytest.raises(ImportRejected) as refused:
        parse_values(
            table({"jurisdiction": "PHL", "year": "2022", "value": text}), REPORTS, REGISTRY
        )
    problem = refused.value.problems[0].details
    assert (problem["line"], problem["column"], problem["value"]) == (2, "value", text)


@given(st.integers(max_value=-1))
def test_a_negative_count_is_refused(number: int) -> None:
    with pytest.raises(ImportRejected, match="below the minimum"):
        parse_values(
            table({"jurisdiction": "PHL", "year": "2022", "value": str(number)}), REPORTS, REGISTRY
        )


def test_a_fractional_count_and_a_bad_year_are_refused_together() -> None:
    rows = [
        {"jurisdiction": "PHL", "year": "2022", "value": "1.5"},
        {"jurisdiction": "VNM", "year": "22", "value": "3"},
    ]
    with pytest.raises(ImportRejected) as refused:
        parse_values(table(*rows), REPORTS, REGISTRY)
    found = [(p.details["line"], p.details["column"]) for p in refused.value.problems]
    assert found == [(2, "value"), (3, "year")]


def test_ncmec_spellings_and_non_jurisdictions_are_matched_by_the_reviewed_table() -> None:
    matcher = NameMatcher(REPORTS, REGISTRY)
    assert matcher.match("Burma/Myanmar") == ("MMR", "Burma/Myanmar")
    assert matcher.match("Gambia, The")[0] == "GMB"
    assert matcher.match("Turks and Calcos Islands")[0] == "TCA"
    assert matcher.match("no country listed") == (None, "No Country Listed")
    assert matcher.match("Antarctica") == (None, "Antarctica")
    assert matcher.match("Guiana, French")[0] == "GUF"
    assert matcher.is_separate("Guiana, French") and not matcher.is_separate("French Guiana")


def test_a_code_column_that_disagrees_with_the_name_is_refused() -> None:
    rows = table(
        {"name_as_published": "Sierre Leone", "iso3": "SEN", "year": "2022", "reports": "5"},
        header=("name_as_published", "iso3", "year", "reports"),
    )
    with pytest.raises(ImportRejected, match="matches SLE"):
        parse_values(rows, REPORTS, REGISTRY)


@given(
    st.floats(0, 1e10, allow_nan=False), st.floats(1, 2e9, allow_nan=False), st.integers(1, 10**6)
)
def test_the_formula_inverts(numerator: float, denominator: float, per: int) -> None:
    value = apply_formula(numerator, denominator, per)
    assert value is not None
    assert math.isclose(value * denominator / per, numerator, rel_tol=1e-9, abs_tol=1e-6)


def test_derived_only_where_both_exist_and_the_denominator_is_positive() -> None:
    formula = Formula(numerator="a", denominator="b", per=1000)
    found = derive(
        formula,
        {("PHL", 2022): 2_576_182.0, ("VNM", 2022): 957_432.0, ("THA", 2022): 5.0},
        {("PHL", 2022): 115_559_009.0, ("THA", 2022): 0.0, ("NZL", 2022): 5.0},
    )
    assert [(d.jurisdiction, d.year) for d in found] == [("PHL", 2022)]
    assert found[0].value == pytest.approx(22.293216, rel=1e-6)


def test_change_since_the_previous_year() -> None:
    values = {
        ("PHL", 2021): 100.0,
        ("PHL", 2022): 150.0,
        ("VNM", 2022): 3.0,
        ("THA", 2021): 0.0,
        ("THA", 2022): 4.0,
    }
    assert change_since_previous(values, 2022) == {"PHL": 50.0}


@given(st.lists(st.floats(-1e9, 1e9, allow_nan=False), min_size=1, max_size=300))
def test_classes_are_ordered_and_in_range(values: list[float]) -> None:
    breaks = class_breaks(values)
    assert breaks == sorted(set(breaks)) and len(breaks) <= CLASSES - 1
    classes = [class_of(v, breaks) for v in sorted(values)]
    assert classes == sorted(classes)
    assert all(1 <= c <= len(breaks) + 1 for c in classes)


@given(st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=100))
def test_a_box_is_ordered(values: list[float]) -> None:
    found = box(values)
    assert found is not None
    assert found["min"] <= found["q1"] <= found["median"] <= found["q3"] <= found["max"]
    assert box([]) is None


def test_definitions_need_their_four_languages_and_a_formula_when_derived() -> None:
    document = REPORTS.model_dump()
    document["caveats"] = {"en": ["only English"]}
    with pytest.raises(ValueError, match="missing in"):
        IndicatorDefinition.model_validate(document)
    with pytest.raises(ValueError, match="declares its formula"):
        IndicatorDefinition.model_validate(REPORTS.model_dump() | {"kind": "derived"})
