"""Values per jurisdiction and year, read from a file's raw rows: every row judged, every
problem named by file, line, column and value, and nothing kept unless every row is good.

Names are matched by :class:`NameMatcher`: the publisher's rows that are not jurisdictions
first (kept under their published name, so totals equal the publisher's), then the
indicator's reviewed aliases, then the jurisdiction registry (codes, ISO and CLDR names)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from childsafe.indicators.model.definition import IndicatorDefinition
from childsafe.kernel.errors import FileProblems, NotFound
from childsafe.kernel.io.rows import RawRow, RawTable
from childsafe.kernel.jurisdictions import JurisdictionRegistry, normalise

NUMBER: Final = re.compile(r"^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?$")
YEAR: Final = re.compile(r"^(?:19|20)[0-9]{2}$")
NAME_KEY: Final = "~"  # keys of rows that are not jurisdictions start with it


@dataclass(frozen=True, slots=True)
class IndicatorValue:
    """One published value. ``jurisdiction`` is None for a row that is not a jurisdiction
    ("No Country Listed"), which is kept under its published ``name``."""

    jurisdiction: str | None
    name: str
    year: int
    value: float
    source: str | None = None
    note: str | None = None
    separate: bool = False  # a second line the publisher printed for a jurisdiction

    @property
    def key(self) -> str:
        """What one value per year is counted by: the code, else the published name."""
        if self.jurisdiction is None or self.separate:
            return NAME_KEY + self.name
        return self.jurisdiction

    def number(self, integer: bool) -> int | float:
        return int(self.value) if integer else self.value


class NameMatcher:
    """A published name -> alpha-3 code, or None for the publisher's non-jurisdiction rows."""

    def __init__(self, definition: IndicatorDefinition, registry: JurisdictionRegistry) -> None:
        self._registry = registry
        self._others = {normalise(name): name for name in definition.non_jurisdictions}
        self._aliases = {normalise(name): code for name, code in definition.aliases.items()}
        self._separate = {normalise(name): code for name, code in definition.separate_rows.items()}
        for code in [*definition.aliases.values(), *definition.separate_rows.values()]:
            registry.get(code)  # an alias naming an unknown code is a broken definition

    def is_separate(self, text: str) -> bool:
        return normalise(text) in self._separate

    def match(self, text: str) -> tuple[str | None, str]:
        """(code or None, the name to keep); raises NotFound naming close matches."""
        key = normalise(text)
        if key in self._others:
            return None, self._others[key]
        if key in self._separate:
            return self._separate[key], text.strip()
        if key in self._aliases:
            return self._aliases[key], text.strip()
        return self._registry.resolve(text).code, text.strip()


def _number(text: str) -> float | None:
    return float(text) if NUMBER.match(text) else None


class _RowReader:
    """Judges one row at a time, collecting problems rather than stopping at the first."""

    def __init__(
        self, table: RawTable, definition: IndicatorDefinition, matcher: NameMatcher
    ) -> None:
        self.problems = FileProblems(table.file)
        self.definition = definition
        self.matcher = matcher
        header = set(table.header)
        cols = definition.columns
        self.name_column = "jurisdiction" if "jurisdiction" in header else cols.jurisdiction
        self.value_column = "value" if "value" in header else cols.value
        self.code_column = cols.code if cols.code in header else None
        for needed in (self.name_column, "year", self.value_column):
            if needed not in header:
                self.problems.add(table.header_line, needed, "", "missing column")

    def read(self, row: RawRow) -> IndicatorValue | None:
        name = row.cells.get(self.name_column, "")
        year_text = row.cells.get("year", "")
        value_text = row.cells.get(self.value_column, "")
        matched, code = self._jurisdiction(row, name)
        year = int(year_text) if YEAR.match(year_text) else None
        if year is None:
            self.problems.add(row.line, "year", year_text, "not a year (e.g. 2022)")
        value = self._value(row.line, value_text)
        if not matched or year is None or value is None:
            return None
        return IndicatorValue(
            code,
            name.strip(),
            year,
            value,
            source=row.cells.get("source") or None,
            note=row.cells.get("note") or None,
            separate=self.matcher.is_separate(name),
        )

    def _jurisdiction(self, row: RawRow, name: str) -> tuple[bool, str | None]:
        """(matched, the code or None for a non-jurisdiction row); a problem if not matched."""
        if not name.strip():
            self.problems.add(row.line, self.name_column, name, "empty jurisdiction")
            return False, None
        try:
            code, _ = self.matcher.match(name)
        except NotFound as exc:
            self.problems.add(row.line, self.name_column, name, exc.message)
            return False, None
        claimed = row.cells.get(self.code_column, "") if self.code_column else ""
        if code is not None and claimed and claimed.upper() != code:
            message = f"the file says {claimed!r} but the name matches {code}"
            self.problems.add(row.line, self.code_column or "", claimed, message)
            return False, None
        return True, code

    def _value(self, line: int, text: str) -> float | None:
        number = _number(text)
        column = self.value_column
        if number is None:
            self.problems.add(line, column, text, "not a number (digits, optional '.' decimals)")
            return None
        if self.definition.integer and not number.is_integer():
            self.problems.add(line, column, text, "a count is a whole number")
            return None
        minimum = self.definition.minimum
        if minimum is not None and number < minimum:
            self.problems.add(line, column, text, f"below the minimum {minimum:g}")
            return None
        return number


def parse_values(
    table: RawTable, definition: IndicatorDefinition, registry: JurisdictionRegistry
) -> list[IndicatorValue]:
    """Every row's value, or :class:`ImportRejected` listing every bad row (nothing kept)."""
    reader = _RowReader(table, definition, NameMatcher(definition, registry))
    reader.problems.reject()
    values: list[IndicatorValue] = []
    first_line: dict[tuple[str, int], int] = {}
    for row in table.rows:
        value = reader.read(row)
        if value is None:
            continue
        earlier = first_line.setdefault((value.key, value.year), row.line)
        if earlier != row.line:
            message = f"{value.key} {value.year} is also on line {earlier}: one value per year"
            reader.problems.add(row.line, reader.name_column, value.name, message)
            continue
        values.append(value)
    if not table.rows:
        reader.problems.add(table.header_line, "(rows)", "", "no values in the file")
    reader.problems.reject()
    return values


def yearly_totals(values: Iterable[IndicatorValue]) -> dict[int, float]:
    """The sum of every row per year, non-jurisdiction rows included (the publisher's total)."""
    totals: dict[int, float] = {}
    for value in values:
        totals[value.year] = totals.get(value.year, 0.0) + value.value
    return dict(sorted(totals.items()))
