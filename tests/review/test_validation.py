"""Import validation: every bad cell named by file, line, column and value; nothing partial."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from childsafe.kernel.errors import ImportRejected
from childsafe.kernel.io.readers import read_csv, read_json
from childsafe.review.model.framework import Framework
from childsafe.review.model.validation import validate_table

HEADER = "jurisdiction,edition,criterion,value,citation,excerpt,source,note\n"


def _problems(
    framework: Framework, text: str, edition: int | None = None
) -> list[dict[str, object]]:
    with pytest.raises(ImportRejected) as caught:
        validate_table(framework, read_csv(text.encode(), "bad.csv"), edition)
    return [p.details for p in caught.value.problems]


def test_long_rows_resolve_names_and_marks(framework: Framework) -> None:
    text = HEADER + "Thailand,8,c1,ü,Penal Code s. 287,,https://example.org/law,synthetic\n"
    text += "VN,8,C2,û,,,,\nLAO,8,C3,partial,,,,\n"
    cells = validate_table(framework, read_csv(text.encode(), "ok.csv"))
    assert [(c.jurisdiction, c.criterion, c.value.value) for c in cells] == [
        ("THA", "C1", "yes"),
        ("VNM", "C2", "no"),
        ("LAO", "C3", "partial"),
    ]
    assert cells[0].citation == "Penal Code s. 287"


def test_wide_rows_need_an_edition(framework: Framework) -> None:
    text = "jurisdiction,name,C1,C2,C6\nTHA,Thailand,y,n,\n"
    cells = validate_table(framework, read_csv(text.encode(), "wide.csv"), edition=8)
    assert [(c.criterion, c.value.value) for c in cells] == [("C1", "yes"), ("C2", "no")]
    assert _problems(framework, text)[0]["column"] == "edition"


@pytest.mark.parametrize(
    ("row", "line_column_value"),
    [
        ("Atlantis,8,C1,yes,,,,", (2, "jurisdiction", "Atlantis")),
        ("THA,8,C9,yes,,,,", (2, "criterion", "C9")),
        ("THA,8,C1,maybe,,,,", (2, "value", "maybe")),
        ("THA,99,C1,yes,,,,", (2, "edition", "99")),
        ("THA,eight,C1,yes,,,,", (2, "edition", "eight")),
        ("THA,1,C6,yes,,,,", (2, "criterion", "C6")),
    ],
)
def test_each_problem_is_located(
    framework: Framework, row: str, line_column_value: tuple[int, str, str]
) -> None:
    problem = _problems(framework, HEADER + row + "\n")[0]
    assert (problem["line"], problem["column"], problem["value"]) == line_column_value
    assert problem["file"] == "bad.csv"


def test_all_problems_are_reported_together(framework: Framework) -> None:
    text = HEADER + "THA,8,C1,yes,,,,\nAtlantis,8,C1,yes,,,,\nTHA,8,C2,maybe,,,,\nTHA,8,C1,no,,,,\n"
    problems = _problems(framework, text)
    assert [p["line"] for p in problems] == [3, 4, 5]
    assert problems[-1]["reason"] == "THA C1 is given twice (first on line 2)"


def test_duplicate_cell_names_the_first_line(framework: Framework) -> None:
    with pytest.raises(ImportRejected, match=r"given twice \(first on line 2\)"):
        validate_table(
            framework, read_csv((HEADER + "THA,8,C1,yes,,,,\nTH,8,C1,no,,,,\n").encode(), "d.csv")
        )


def test_edition_option_must_agree_with_the_file(framework: Framework) -> None:
    problem = _problems(framework, HEADER + "THA,7,C1,yes,,,,\n", edition=8)[0]
    assert (problem["column"], problem["value"]) == ("edition", "7")


def test_unknown_columns_and_encoding_are_refused(framework: Framework) -> None:
    problem = _problems(framework, HEADER.strip() + ",colour\nTHA,8,C1,yes,,,,,red\n")[0]
    assert (problem["line"], problem["column"]) == (1, "colour")
    with pytest.raises(ImportRejected, match="not UTF-8"):
        read_csv(HEADER.encode() + "THA,8,C1,\xfc\n".encode("latin-1"), "latin.csv")


def test_outside_the_editions_universe(framework: Framework) -> None:
    universe = framework.universe_of(framework.edition(1)).members
    outside = sorted(framework.universe_of(framework.edition(8)).members - universe)
    if not outside:
        pytest.skip("the 1st edition's universe holds every later jurisdiction")
    problem = _problems(framework, HEADER + f"{outside[0]},1,C1,yes,,,,\n")[0]
    assert "not among the jurisdictions edition 1 reviewed" in str(problem["reason"])
    assert problem["column"] == "jurisdiction"


def test_json_records_are_located_by_line(framework: Framework) -> None:
    text = '{"edition": 8,\n "assessments": [\n  {"jurisdiction": "THA", "criterion": "C1",'
    text += ' "value": "yes"},\n  {"jurisdiction": "THA", "criterion": "C2", "value": "?!"}\n]}'
    with pytest.raises(ImportRejected) as caught:
        validate_table(framework, read_json(text.encode(), "x.json"))
    assert caught.value.problems[0].details["line"] == 4


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=200))
def test_arbitrary_bytes_never_crash_the_reader(framework: Framework, text: str) -> None:
    for reader in (read_csv, read_json):
        with contextlib.suppress(ImportRejected):
            validate_table(framework, reader(text.encode(), "fuzz"))
