"""Property tests of the one tabular writer and the text policy over arbitrary text: no cell
ever starts like a formula, the XLSX always opens, and text round-trips except for the
documented neutralisation (``childsafe.kernel.text``)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from childsafe.kernel.cli.output import json_text, printable
from childsafe.kernel.errors import InvalidValue
from childsafe.kernel.io.writers import Cell, to_csv, to_xlsx
from childsafe.kernel.text import (
    check_text,
    neutralise_cell,
    restore_cell,
    spreadsheet_text,
)
from tests.security.text_helpers import starts_like_a_formula, terminal_controls

# Any text, with the characters attacks use made likely: formula triggers, apostrophes,
# spaces, control characters, surrogates and the non-characters XML cannot hold.
TRICKY = "=+-@'\t\r\n \x00\x01\x1b\x7f\x9b\ud800\udfff\ufffe\uffff0123456789.eE"
texts = st.one_of(
    st.text(),
    st.text(alphabet=st.sampled_from(TRICKY) | st.characters(), max_size=20),
    st.text(alphabet=TRICKY, max_size=8),
)


def _is_plain_number(text: str) -> bool:
    try:
        Decimal(text.strip("'"))
    except ArithmeticError:
        return False
    return text.strip("'")[:1] in "+-.0123456789" and "_" not in text


@given(texts)
def test_a_neutralised_cell_never_starts_like_a_formula(text: str) -> None:
    cell = neutralise_cell(text)
    assert not starts_like_a_formula(cell) or _is_plain_number(cell)
    assert spreadsheet_text(cell) == cell


@given(texts)
def test_imports_take_off_exactly_what_exports_added(text: str) -> None:
    assert restore_cell(neutralise_cell(text)) == spreadsheet_text(text)


@given(st.lists(texts, min_size=1, max_size=6))
def test_csv_cells_are_the_neutralised_text(row: list[str]) -> None:
    body = to_csv(["a"] * len(row), [row]).decode("utf-8")
    read = list(csv.reader(io.StringIO(body, newline="")))
    assert read[1] == [neutralise_cell(t) for t in row]


@settings(max_examples=60, deadline=None)  # a workbook written and read per example
@given(st.lists(st.lists(texts, min_size=1, max_size=4), min_size=1, max_size=4))
def test_xlsx_always_opens_and_holds_the_neutralised_text(rows: list[list[str]]) -> None:
    width = max(len(r) for r in rows)
    body = to_xlsx([("data", [f"c{i}" for i in range(width)], rows)])
    sheet = load_workbook(io.BytesIO(body)).worksheets[0]
    for written, read in zip(rows, sheet.iter_rows(min_row=2), strict=False):
        for text, cell in zip(written, read, strict=False):
            assert cell.data_type != "f"
            assert (cell.value or "") == neutralise_cell(text)


def test_numbers_stay_numbers_in_xlsx_and_csv() -> None:
    row: list[Cell] = [8, -3, 2.5, Decimal("-12.50"), "-3", "=1+2"]
    sheet = load_workbook(io.BytesIO(to_xlsx([("data", list("abcdef"), [row])]))).worksheets[0]
    cells = next(sheet.iter_rows(min_row=2))
    assert [c.data_type for c in cells] == ["n", "n", "n", "n", "s", "s"]
    assert [c.value for c in cells] == [8, -3, 2.5, -12.5, "-3", "'=1+2"]
    assert to_csv(list("abcdef"), [row]).decode().splitlines()[1] == "8,-3,2.5,-12.50,-3,'=1+2"


@given(texts, st.booleans())
def test_the_policy_lets_no_control_character_through(text: str, multiline: bool) -> None:
    try:
        kept = check_text(text, "note", multiline=multiline)
    except InvalidValue:
        return
    allowed = "\t\n\r" if multiline else ""
    assert not [c for c in kept if (ord(c) < 0x20 and c not in allowed) or 0x7F <= ord(c) <= 0x9F]
    assert not [c for c in kept if 0xD800 <= ord(c) <= 0xDFFF or c in "\ufffe\uffff"]


@pytest.mark.parametrize("text", ["", "Synthetic Act s. 2", "ü û ✓ ✗", "Закон", "قانون", "-"])
def test_the_policy_leaves_ordinary_text_alone(text: str) -> None:
    assert check_text(text, "citation") == text


@given(texts)
def test_the_command_line_prints_nothing_that_drives_a_terminal(text: str) -> None:
    for shown in (printable(text), json_text({"reason": text})):
        assert not terminal_controls(shown)
        assert not [c for c in shown if 0xD800 <= ord(c) <= 0xDFFF or 0x202A <= ord(c) <= 0x202E]
