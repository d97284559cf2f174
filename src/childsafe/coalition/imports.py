"""Raw rows of an organisations or memberships file -> clean values, or every problem found,
located by file, line, column and value. All or nothing: the caller writes nothing unless these
return without raising ``ImportRejected``."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Final, TypeVar

from childsafe.coalition.model import (
    NAME_MAX,
    TEXT_MAX,
    Membership,
    Organisation,
    clean_partial_date,
    clean_role,
    clean_sector,
    clean_slug,
)
from childsafe.kernel.errors import ChildsafeError, FileProblems
from childsafe.kernel.io.rows import RawRow, RawTable
from childsafe.kernel.jurisdictions import JurisdictionRegistry
from childsafe.kernel.text import NOTES_MAX, clean_text, restore_cell

ORGANISATION_COLUMNS: Final = ("id", "name", "sector", "country", "note")
ORGANISATION_REQUIRED: Final = ("id", "name", "sector")
MEMBERSHIP_COLUMNS: Final = ("coalition", "organisation", "role", "since", "until", "source")
MEMBERSHIP_REQUIRED: Final = ("coalition", "organisation", "role")

_T = TypeVar("_T")


class _Rows:
    """Problems of one file, and the cleaning of one cell at a time."""

    def __init__(self, table: RawTable) -> None:
        self.table = table
        self.problems = FileProblems(table.file)

    def header(self, allowed: tuple[str, ...], required: tuple[str, ...]) -> None:
        line = self.table.header_line
        for column in self.table.header:
            if column not in allowed:
                self.problems.add(
                    line, column, column, f"unknown column; the columns are {allowed}"
                )
        for column in required:
            if column not in self.table.header:
                self.problems.add(line, column, "", "missing required column")

    def cell(self, row: RawRow, column: str, clean: Callable[[str], _T]) -> _T | None:
        """``clean(text)``; a ``ChildsafeError`` becomes this cell's problem (and None). The
        apostrophe exports put before formula-like text is taken off first."""
        text = restore_cell(row.cells.get(column, ""))
        try:
            return clean(text)
        except ChildsafeError as exc:
            self.problems.add(row.line, column, text, exc.message)
            return None

    def once(
        self, seen: dict[tuple[str, ...], int], key: tuple[str, ...], row: RawRow, column: str
    ) -> bool:
        """Whether ``key`` is new in this file (a duplicate is a problem of ``column``)."""
        if key in seen:
            text = row.cells.get(column, "")
            self.problems.add(
                row.line,
                column,
                text,
                f"{'/'.join(key)} is given twice (first on line {seen[key]})",
            )
            return False
        seen[key] = row.line
        return True

    def finish(self, found: list[_T]) -> list[_T]:
        if not self.problems.found and not found:
            self.problems.add(self.table.header_line, "(file)", "", "no rows in the file")
        self.problems.reject()
        return found


def _one_of(known: Mapping[str, str], what: str) -> Callable[[str], str]:
    """Cleans a reference to one of ``known`` (lower-cased key -> canonical id)."""

    def clean(text: str) -> str:
        found = known.get(text.strip().lower())
        if found is None:
            raise ChildsafeError(f"unknown {what} {text!r}")
        return found

    return clean


def _optional_text(what: str, limit: int) -> Callable[[str], str]:
    def clean(text: str) -> str:
        return clean_text(text, what, limit, required=False)

    return clean


def validate_organisations(table: RawTable, registry: JurisdictionRegistry) -> list[Organisation]:
    """Organisations by id, each with a sector; a country by ISO code or English name."""
    rows = _Rows(table)
    rows.header(ORGANISATION_COLUMNS, ORGANISATION_REQUIRED)
    rows.problems.reject()
    found: list[Organisation] = []
    seen: dict[tuple[str, ...], int] = {}

    def country(text: str) -> str | None:
        return registry.resolve(text).code if text.strip() else None

    for row in table.rows:
        values = (
            rows.cell(row, "id", clean_slug),
            rows.cell(row, "name", lambda t: clean_text(t, "name", NAME_MAX)),
            rows.cell(row, "sector", clean_sector),
            rows.cell(row, "country", lambda t: [country(t)]),
            rows.cell(row, "note", _optional_text("note", NOTES_MAX)),
        )
        oid, name, sector, place, note = values
        if oid is None or name is None or sector is None or place is None or note is None:
            continue
        if rows.once(seen, (oid,), row, "id"):
            found.append(Organisation(oid, name, sector, place[0], note or ""))
    return rows.finish(found)


def validate_memberships(
    table: RawTable, coalitions: Collection[str], organisations: Collection[str]
) -> list[Membership]:
    """Memberships keyed by (coalition, organisation, role): both must exist already."""
    rows = _Rows(table)
    rows.header(MEMBERSHIP_COLUMNS, MEMBERSHIP_REQUIRED)
    rows.problems.reject()
    coalition = _one_of({c.lower(): c for c in coalitions}, "coalition")
    organisation = _one_of({o.lower(): o for o in organisations}, "organisation")
    found: list[Membership] = []
    seen: dict[tuple[str, ...], int] = {}
    for row in table.rows:
        cid = rows.cell(row, "coalition", coalition)
        oid = rows.cell(row, "organisation", organisation)
        role = rows.cell(row, "role", clean_role)
        since = rows.cell(row, "since", lambda t: [clean_partial_date(t, "since")])
        until = rows.cell(row, "until", lambda t: [clean_partial_date(t, "until")])
        source = rows.cell(row, "source", _optional_text("source", TEXT_MAX))
        if cid is None or oid is None or role is None or since is None or until is None:
            continue
        if source is None:
            continue
        if since[0] and until[0] and until[0] < since[0][: len(until[0])]:
            rows.problems.add(row.line, "until", until[0], f"ends before it starts ({since[0]})")
            continue
        if rows.once(seen, (cid, oid, role.value), row, "role"):
            found.append(Membership(cid, oid, role, since[0], until[0], source))
    return rows.finish(found)
