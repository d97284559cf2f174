"""The statute library's store and service: full-text search over titles and excerpts with the
database's own engine (SQLite FTS5, PostgreSQL full-text search), kept in step by revision 0009
(FTS5 triggers; a GIN expression index on PostgreSQL)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from childsafe.accounts.model import Actor, AuthenticatedUser, require
from childsafe.audit.entry import AuditEntry
from childsafe.audit.store import append_audit
from childsafe.campaign.model.statutes import NewStatute, Statute, check_statute, search_terms
from childsafe.campaign.models import StatuteRow
from childsafe.campaign.parts import MANAGE
from childsafe.kernel.db.models import utcnow
from childsafe.kernel.documents import Document
from childsafe.kernel.jurisdictions import JurisdictionRegistry

SEARCH_LIMIT = 50


def _statute(row: StatuteRow) -> Statute:
    return Statute(**{f.name: getattr(row, f.name) for f in dataclasses.fields(Statute)})


def statute_document(statute: Statute) -> Document:
    return dataclasses.asdict(statute)


class SqlStatuteStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, statute: NewStatute, *, by: str, at: datetime, audit: AuditEntry) -> Statute:
        with Session(self.engine) as session, session.begin():
            row = StatuteRow(**dataclasses.asdict(statute), added_by=by, added_at=at)
            session.add(row)
            session.flush()
            append_audit(session, dataclasses.replace(audit, entity_key=f"statute/{row.id}"), at)
            return _statute(row)

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


class StatuteLibrary:
    def __init__(
        self,
        store: SqlStatuteStore,
        jurisdictions: JurisdictionRegistry,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.store = store
        self.jurisdictions = jurisdictions
        self.clock = clock

    def add(self, actor: Actor, statute: NewStatute) -> Statute:
        allowed = require(actor, MANAGE)
        by = allowed.username if isinstance(allowed, AuthenticatedUser) else allowed.name
        code = self.jurisdictions.resolve(statute.jurisdiction).code
        clean = check_statute(dataclasses.replace(statute, jurisdiction=code))
        audit = AuditEntry(
            actor=by,
            action="statute.add",
            entity="statute",
            entity_key="statute/new",
            before=None,
            after=dataclasses.asdict(clean),
            reason=f"statute {clean.title!r} of {code} added to the library",
        )
        return self.store.add(clean, by=by, at=self.clock(), audit=audit)

    def search(self, query: str, jurisdiction: str | None = None) -> Document:
        """Public: statutes are published law."""
        code = None if jurisdiction is None else self.jurisdictions.resolve(jurisdiction).code
        found = self.store.search(search_terms(query), code)
        return {"query": query, "statutes": [statute_document(s) for s in found]}
