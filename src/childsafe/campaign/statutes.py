"""The statute library's store and service: full-text search over titles and excerpts with the
database's own engine (SQLite FTS5, PostgreSQL full-text search), kept in step by revision 0009
(FTS5 triggers; a GIN expression index on PostgreSQL)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from childsafe.accounts.model import Actor
from childsafe.audit.entry import AuditEntry
from childsafe.audit.store import append_audit
from childsafe.campaign.model.statutes import NewStatute, Statute, check_statute, search_terms
from childsafe.campaign.models import CellStatuteRow, StatuteRow
from childsafe.campaign.parts import editor, entry
from childsafe.kernel.db.models import utcnow
from childsafe.kernel.documents import Document
from childsafe.kernel.errors import InvalidValue, NotFound
from childsafe.kernel.jurisdictions import JurisdictionRegistry

SEARCH_LIMIT = 50
CRITERION = re.compile(r"^C[1-9][0-9]?$")
Cell = tuple[int, str, str]  # (edition, jurisdiction, criterion)


def _statute(row: StatuteRow) -> Statute:
    return Statute(**{f.name: getattr(row, f.name) for f in dataclasses.fields(Statute)})


def statute_document(statute: Statute, cited_by: list[Cell] | None = None) -> Document:
    """A record and the cells citing it (edition, jurisdiction, criterion), oldest first."""
    cells = [{"edition": e, "jurisdiction": j, "criterion": c} for e, j, c in cited_by or []]
    return dataclasses.asdict(statute) | {"cited_by": cells}


@dataclasses.dataclass(frozen=True)
class SqlStatuteStore:
    engine: Engine

    def add(self, statute: NewStatute, *, by: str, at: datetime, audit: AuditEntry) -> Statute:
        with Session(self.engine) as session, session.begin():
            row = StatuteRow(**dataclasses.asdict(statute), added_by=by, added_at=at)
            session.add(row)
            session.flush()
            append_audit(session, dataclasses.replace(audit, entity_key=f"statute/{row.id}"), at)
            return _statute(row)

    def get(self, statute_id: int) -> Statute | None:
        with Session(self.engine) as session:
            row = session.get(StatuteRow, statute_id)
            return None if row is None else _statute(row)

    def cite(
        self, cell: Cell, statute_id: int, *, by: str, at: datetime, audit: AuditEntry
    ) -> None:
        """``cell``'s citation is now the statute (replacing any it had), with its audit entry."""
        edition, jurisdiction, criterion = cell
        with Session(self.engine) as session, session.begin():
            session.merge(
                CellStatuteRow(
                    edition=edition,
                    jurisdiction=jurisdiction,
                    criterion=criterion,
                    statute_id=statute_id,
                    linked_by=by,
                    linked_at=at,
                )
            )
            session.flush()
            append_audit(session, audit, at)

    def cited(self, edition: int, jurisdiction: str) -> dict[str, Statute]:
        """Criterion -> the statute its cell cites, for one jurisdiction of an edition."""
        query = (
            select(CellStatuteRow.criterion, StatuteRow)
            .join(StatuteRow, StatuteRow.id == CellStatuteRow.statute_id)
            .where(CellStatuteRow.edition == edition, CellStatuteRow.jurisdiction == jurisdiction)
        )
        with Session(self.engine) as session:
            return {criterion: _statute(row) for criterion, row in session.execute(query)}

    def citing(self, statute_ids: list[int]) -> dict[int, list[Cell]]:
        """Statute id -> the cells citing it, by edition, jurisdiction and criterion."""
        query = (
            select(CellStatuteRow)
            .where(CellStatuteRow.statute_id.in_(statute_ids))
            .order_by(CellStatuteRow.edition, CellStatuteRow.jurisdiction, CellStatuteRow.criterion)
        )
        found: dict[int, list[Cell]] = {}
        with Session(self.engine) as session:
            for row in session.scalars(query):
                cell = (row.edition, row.jurisdiction, row.criterion)
                found.setdefault(row.statute_id, []).append(cell)
        return found

    def search(self, words: list[str], jurisdiction: str | None) -> list[Statute]:
        if not words:
            return []
        ids = self._matching_ids(words)
        query = select(StatuteRow).where(StatuteRow.id.in_(ids))
        if jurisdiction is not None:
            query = query.where(StatuteRow.jurisdiction == jurisdiction)
        with Session(self.engine) as session:
            found = {row.id: _statute(row) for row in session.scalars(query)}
        return [found[i] for i in ids if i in found]

    def _matching_ids(self, words: list[str]) -> list[int]:
        """Best match first, by the engine's own ranking."""
        with self.engine.connect() as conn:
            if self.engine.dialect.name == "postgresql":
                rows = conn.execute(
                    text(
                        "SELECT id FROM statutes, plainto_tsquery('simple', :q) query "
                        "WHERE to_tsvector('simple', title || ' ' || excerpt) @@ query "
                        "ORDER BY ts_rank(to_tsvector('simple', title || ' ' || excerpt), "
                        "query) DESC, id LIMIT :limit"
                    ),
                    {"q": " ".join(words), "limit": SEARCH_LIMIT},
                )
            else:
                match = " ".join(f'"{w}"' for w in words)  # quoted: words, not operators
                rows = conn.execute(
                    text(
                        "SELECT rowid FROM statutes_fts WHERE statutes_fts MATCH :q "
                        "ORDER BY rank LIMIT :limit"
                    ),
                    {"q": match, "limit": SEARCH_LIMIT},
                )
            return [int(r[0]) for r in rows]


@dataclasses.dataclass
class StatuteLibrary:
    """The library: records added by editors, searched by anyone, cited by cells."""

    store: SqlStatuteStore
    jurisdictions: JurisdictionRegistry
    clock: Callable[[], datetime] = utcnow

    def add(self, actor: Actor, statute: NewStatute) -> Statute:
        by = editor(actor)
        code = self.jurisdictions.resolve(statute.jurisdiction).code
        clean = check_statute(dataclasses.replace(statute, jurisdiction=code))
        reason = f"statute {clean.title!r} of {code} added to the library"
        audit = entry(by, "statute.add", "statute/new", (None, dataclasses.asdict(clean)), reason)
        return self.store.add(clean, by=by, at=self.clock(), audit=audit)

    def search(self, query: str, jurisdiction: str | None = None) -> Document:
        """Public: statutes are published law."""
        code = None if jurisdiction is None else self.jurisdictions.resolve(jurisdiction).code
        found = self.store.search(search_terms(query), code)
        cells = self.store.citing([s.id for s in found])
        return {
            "query": query,
            "statutes": [statute_document(s, cells.get(s.id)) for s in found],
        }

    def cite(
        self, actor: Actor, edition: int, jurisdiction: str, criterion: str, statute_id: int
    ) -> Document:
        """Point a cell's citation to a record of the library: the statute must be of the
        cell's jurisdiction; one record serves any number of cells, of any edition."""
        by = editor(actor)
        code = self.jurisdictions.resolve(jurisdiction).code
        criterion = criterion.strip().upper()
        if not CRITERION.match(criterion):
            raise InvalidValue(f"{criterion!r} is not a criterion (C1, C2, …)", field="criterion")
        statute = self.store.get(statute_id)
        if statute is None:
            raise NotFound(f"no statute {statute_id} in the library", statute=statute_id)
        if statute.jurisdiction != code:
            raise InvalidValue(
                f"statute {statute_id} is {statute.jurisdiction}'s law, not {code}'s",
                field="statute",
            )
        cell = (edition, code, criterion)
        key = f"{edition}/{code}/{criterion}"
        after = {"statute": statute_id, "title": statute.title, "article": statute.article}
        reason = f"{key} cites statute {statute_id}"
        audit = entry(by, "statute.cite", key, (None, after), reason, entity="cell_statute")
        self.store.cite(cell, statute_id, by=by, at=self.clock(), audit=audit)
        return statute_document(statute, self.store.citing([statute_id]).get(statute_id))

    def cited(self, edition: int, jurisdiction: str) -> dict[str, Document]:
        """Criterion -> the statute record its cell cites (cells without one are absent)."""
        code = self.jurisdictions.resolve(jurisdiction).code
        return {c: statute_document(s) for c, s in self.store.cited(edition, code).items()}
