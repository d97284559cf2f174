from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from childsafe.review.model.framework import Framework
from childsafe.review.model.results import Agreement, compare_with_published, compute_results
from childsafe.review.model.values import Value
from tests.review.tally import LITERALS, tally

VALUES = st.sampled_from(list(Value))
CRITERIA = ["C1", "C2", "C3", "C4", "C5", "C6"]


def _table(framework: Framework, data: st.DataObject) -> dict[str, dict[str, Value]]:
    universe = sorted(framework.universe_of(framework.edition(8)).members)
    codes = data.draw(st.lists(st.sampled_from(universe), unique=True, max_size=25))
    return {
        code: data.draw(st.dictionaries(st.sampled_from(CRITERIA), VALUES, max_size=6))
        for code in codes
    }


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_counts_match_an_independent_tally(framework: Framework, data: st.DataObject) -> None:
    table = _table(framework, data)
    results = compute_results(framework, framework.edition(8), table)
    plain = {code: {c: v.value for c, v in values.items()} for code, values in table.items()}
    assert results.assessed == sum(1 for values in table.values() if values)
    for count in results.classifications:
        assert (count.computed, count.undetermined) == tally(count.id, plain), count.id


def test_seed_classifications_are_in_the_tally(framework: Framework) -> None:
    assert set(framework.edition(8).classifications) == set(LITERALS)


def test_missing_criterion_of_an_assessed_jurisdiction_is_undetermined(
    framework: Framework,
) -> None:
    table = {"THA": {"C1": Value.YES, "C2": Value.YES, "C3": Value.YES}}  # C4 missing
    results = compute_results(framework, framework.edition(8), table)
    sufficient = next(c for c in results.classifications if c.id == "sufficient")
    assert (sufficient.computed, sufficient.undetermined) == (0, 1)
    no_legislation = next(c for c in results.classifications if c.id == "no_legislation")
    assert (no_legislation.computed, no_legislation.undetermined) == (0, 0)


def test_partial_does_not_meet_a_criterion(framework: Framework) -> None:
    table = {"THA": {c: Value.YES for c in CRITERIA} | {"C4": Value.PARTIAL}}
    results = compute_results(framework, framework.edition(8), table)
    by_id = {c.id: c for c in results.classifications}
    assert by_id["sufficient"].computed == 0
    assert by_id["no_possession"].computed == 1


def test_a_region_counts_its_members_only_and_shows_no_published_figure(
    framework: Framework,
) -> None:
    table = {"THA": {c: Value.YES for c in CRITERIA}, "FRA": {c: Value.YES for c in CRITERIA}}
    results = compute_results(framework, framework.edition(8), table, region="ASEAN")
    assert (results.universe, results.assessed, results.region) == (10, 1, "ASEAN")
    assert all(c.published is None for c in results.classifications)
    assert results.coverage == "computed from 1 of 10 jurisdictions"


def test_agreement_with_published_figures() -> None:
    assert compare_with_published(5, 0, None, complete=True) is Agreement.UNPUBLISHED
    assert compare_with_published(5, 0, 9, complete=False) is Agreement.INCOMPLETE
    assert compare_with_published(5, 0, 5, complete=True) is Agreement.MATCH
    assert compare_with_published(5, 3, 7, complete=True) is Agreement.UNDETERMINED
    assert compare_with_published(5, 3, 9, complete=True) is Agreement.MISMATCH
    assert compare_with_published(5, 0, 4, complete=True) is Agreement.MISMATCH
