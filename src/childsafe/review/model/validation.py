"""Raw rows of an import file -> clean assessments, or every problem found, located precisely.

All-or-nothing: the caller writes nothing unless this returns without raising.
"""

from __future__ import annotations

from collections.abc import Iterator

from childsafe.kernel.errors import ChildsafeError, FileProblems, ImportProblem, ImportRejected
from childsafe.kernel.io.rows import RawRow, RawTable
from childsafe.kernel.text import one_line, restore_cell, text_problem
from childsafe.review.model.assessments import LONG_COLUMNS, PROVENANCE_COLUMNS, AssessmentInput
from childsafe.review.model.framework import Edition, Framework
from childsafe.review.model.values import parse_value

IGNORED_COLUMNS = ("name",)  # written by exports for people to read; never imported
MULTILINE_COLUMNS = ("excerpt", "note")  # line breaks kept; citation and source are one line


def layout_of(table: RawTable) -> str:
    """``long`` (a row per cell) or ``wide`` (a row per jurisdiction, a column per criterion)."""
    return "long" if {"criterion", "value"} <= set(table.header) else "wide"


class _Validator:
    def __init__(self, framework: Framework, table: RawTable, edition: int | None) -> None:
        self.framework = framework
        self.table = table
        self.problems = FileProblems(table.file)
        self.default_edition = edition
        self.seen: dict[tuple[int, str, str], int] = {}

    def edition(self, row: RawRow) -> Edition | None:
        text = row.cells.get("edition", "") or self.table.edition or ""
        if not text and self.default_edition is None:
            self.problems.add(row.line, "edition", "", "no edition: add the column or --edition")
            return None
        try:
            number = int(text) if text else self.default_edition
            assert number is not None
            if self.default_edition is not None and number != self.default_edition:
                raise ChildsafeError(f"the file says {number} but --edition {self.default_edition}")
            return self.framework.edition(number)
        except (ValueError, ChildsafeError) as exc:
            message = exc.message if isinstance(exc, ChildsafeError) else "not an edition number"
            self.problems.add(row.line, "edition", text, message)
            return None

    def jurisdiction(self, row: RawRow, edition: Edition | None) -> str | None:
        text = row.cells.get("jurisdiction", "")
        try:
            code = self.framework.jurisdictions.resolve(text).code
        except ChildsafeError as exc:
            self.problems.add(row.line, "jurisdiction", text, exc.message)
            return None
        if edition is not None:
            universe = self.framework.universe_of(edition)
            if code not in universe.members:
                self.problems.add(
                    row.line,
                    "jurisdiction",
                    text,
                    f"{code} is not among the jurisdictions edition {edition.number} reviewed "
                    f"(universe {universe.id})",
                )
                return None
        return code

    def cell(
        self,
        row: RawRow,
        edition: Edition,
        code: str,
        *,
        criterion: str,
        columns: tuple[str, str],
        text: str,
    ) -> AssessmentInput | None:
        """One cell; ``columns`` name where the criterion and the value were read."""
        criterion_column, column = columns
        if criterion not in edition.criteria:
            known = ", ".join(edition.criteria)
            self.problems.add(
                row.line,
                criterion_column,
                criterion,
                f"edition {edition.number} has no criterion {criterion} ({known})",
            )
            return None
        try:
            value = parse_value(text)
        except ChildsafeError as exc:
            self.problems.add(row.line, column, text, exc.message)
            return None
        key = (edition.number, code, criterion)
        if key in self.seen:
            self.problems.add(
                row.line,
                column,
                text,
                f"{code} {criterion} is given twice (first on line {self.seen[key]})",
            )
            return None
        provenance = self.provenance(row)
        if provenance is None:
            return None
        self.seen[key] = row.line
        given = any(c in self.table.header for c in PROVENANCE_COLUMNS)
        return AssessmentInput(
            edition.number, code, criterion, value, **provenance, provenance_given=given
        )

    def provenance(self, row: RawRow) -> dict[str, str] | None:
        """The row's citation, excerpt, source and note within the text policy
        (``childsafe.kernel.text``), or None with each problem located."""
        found: dict[str, str] = {}
        refused = False
        for column in PROVENANCE_COLUMNS:
            multiline = column in MULTILINE_COLUMNS
            text = restore_cell(row.cells.get(column, ""))
            found[column] = text if multiline else one_line(text)
            problem = text_problem(found[column], multiline)
            if problem is not None:
                self.problems.add(row.line, column, text, problem)
                refused = True
        return None if refused else found

    def long_cells(self, row: RawRow) -> Iterator[AssessmentInput | None]:
        edition = self.edition(row)
        code = self.jurisdiction(row, edition)
        if edition is not None and code is not None:
            criterion = row.cells.get("criterion", "").strip().upper()
            yield self.cell(
                row,
                edition,
                code,
                criterion=criterion,
                columns=("criterion", "value"),
                text=row.cells.get("value", ""),
            )

    def wide_cells(self, row: RawRow) -> Iterator[AssessmentInput | None]:
        edition = self.edition(row)
        code = self.jurisdiction(row, edition)
        if edition is None or code is None:
            return
        for column in self.table.header:
            if column.upper().startswith("C") and row.cells.get(column, ""):
                yield self.cell(
                    row,
                    edition,
                    code,
                    criterion=column.upper(),
                    columns=(column, column),
                    text=row.cells[column],
                )


def _check_header(table: RawTable, layout: str, problems: FileProblems) -> None:
    if "jurisdiction" not in table.header:
        problems.add(table.header_line, "jurisdiction", "", "missing required column")
    if layout == "long":
        allowed = set(LONG_COLUMNS) | set(IGNORED_COLUMNS)
    else:
        allowed = {"jurisdiction", "edition", *IGNORED_COLUMNS}
        allowed |= {c for c in table.header if c.upper().startswith("C") and c[1:].isdigit()}
    for column in table.header:
        if column not in allowed:
            problems.add(
                table.header_line,
                column,
                column,
                f"unknown column; the {layout} layout has {', '.join(sorted(allowed))}",
            )


def validate_table(
    framework: Framework, table: RawTable, edition: int | None = None
) -> list[AssessmentInput]:
    """Every row checked; raises ``ImportRejected`` listing all problems if there is any."""
    layout = layout_of(table)
    validator = _Validator(framework, table, edition)
    _check_header(table, layout, validator.problems)
    if (
        layout == "wide"
        and edition is None
        and table.edition is None
        and "edition" not in table.header
    ):
        validator.problems.add(
            table.header_line, "edition", "", "a wide file needs --edition (or an edition column)"
        )
    cells: list[AssessmentInput] = []
    if not validator.problems.found:
        rows_of = validator.long_cells if layout == "long" else validator.wide_cells
        for row in table.rows:
            cells += [c for c in rows_of(row) if c is not None]
    validator.problems.reject()
    if not cells:
        raise ImportRejected(
            table.file,
            [
                ImportProblem(
                    "no assessments in the file",
                    file=table.file,
                    line=table.header_line,
                    column="(file)",
                    value="",
                )
            ],
        )
    return cells
