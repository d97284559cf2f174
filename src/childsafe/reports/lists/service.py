"""Known-site lists, both ways: lists imported from partners (all or nothing), every report
matched against them when it is read (so a list imported today flags yesterday's reports
too), the analysts' verdicts on each match, and the lists exported with that feedback.

Who may: importing lists and giving verdicts is triage work (``TRIAGE``); exporting is
``EXPORT_REPORTS``, as for the other exports. A match shows on the report and its case as
"known to SOURCE since DATE" (:meth:`ListsService.known`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from childsafe.accounts.model import Action, Actor, actor_name, require, require_user
from childsafe.audit.entry import AuditEntry
from childsafe.kernel.db.models import utcnow
from childsafe.kernel.documents import Document
from childsafe.kernel.errors import Conflict, InvalidValue, NotFound
from childsafe.reports.exports import threatexchange
from childsafe.reports.lists import model
from childsafe.reports.lists.model import EntryKind, Verdict
from childsafe.reports.lists.store import ListsStore, require_entry

Row = dict[str, Any]
LIST_FILE_MAX = 64 << 20  # a list of a few million URLs; larger files are not lists


class ReportRows(Protocol):
    def report(self, report_id: int) -> Row | None: ...


class ListsService:
    def __init__(
        self,
        store: ListsStore,
        reports: ReportRows,
        *,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.store = store
        self.reports = reports
        self.clock = clock

    # -- import -----------------------------------------------------------------------------

    def import_file(self, path: Path, fmt: str, source: str, actor: Actor) -> Document:
        """A list file, all or nothing: ``{"file", "source", "format", "entries", "added",
        "updated", "removed", "skipped_file_hashes"}``."""
        who = actor_name(require(actor, Action.TRIAGE))
        name = model.clean_source(source)
        if not path.is_file():
            raise NotFound(f"no file {path}", file=str(path))
        if path.stat().st_size > LIST_FILE_MAX:
            raise InvalidValue(
                f"{path.name}: larger than {LIST_FILE_MAX >> 20} MiB", file=path.name
            )
        at = self.clock()
        parsed = model.parse_list(path.read_bytes(), path.name, fmt, today=at.date())
        entries = model.merged(parsed.entries)

        def audit(counts: dict[str, int]) -> AuditEntry:
            after = {"file": path.name, "format": fmt, "entries": len(entries), **counts}
            return AuditEntry(who, "list.import", "list", f"list/{name}", None, after)

        counts = self.store.import_entries(
            name, entries, today=at.date(), actor=who, at=at, audit=audit
        )
        return {
            "file": path.name,
            "source": name,
            "format": fmt,
            "entries": len(entries),
            **counts,
            "skipped_file_hashes": parsed.skipped_file_hashes,
        }

    # -- matching ---------------------------------------------------------------------------

    def known_many(self, rows: Sequence[Mapping[str, Any]]) -> dict[int, list[Document]]:
        """Report id -> the live list entries it matches (``rows`` need ``id``,
        ``canonical_url`` and ``domain``, the site key), oldest listing first."""
        keys_of = {r["id"]: model.report_keys(r["canonical_url"], r["domain"]) for r in rows}
        every = {k for keys in keys_of.values() for k in keys}
        entries = self.store.matching(every, self.clock().date()) if every else []
        verdicts = self.store.verdicts(list(keys_of)) if entries else {}
        found: dict[int, list[Document]] = {}
        for report_id, keys in keys_of.items():
            found[report_id] = [
                _known(e, keys[e["key"]], verdicts.get((e["id"], report_id)))
                for e in entries
                if e["key"] in keys
            ]
        return found

    def known(self, row: Mapping[str, Any]) -> list[Document]:
        return self.known_many([row])[row["id"]]

    # -- verdicts ---------------------------------------------------------------------------

    def mark(self, user: Actor, report_id: int, entry_id: int, verdict: str) -> Document:
        """An analyst's verdict on a match: ``confirmed`` or ``false_positive``; the report's
        ``{"report": id, "known": [...]}`` after it."""
        analyst = require_user(user, Action.TRIAGE)
        try:
            value = Verdict(verdict)
        except ValueError:
            allowed = ", ".join(v.value for v in Verdict)
            raise InvalidValue(f"verdict {verdict!r}: use {allowed}", value=verdict) from None
        row = self.reports.report(report_id)
        if row is None:
            raise NotFound(f"no report {report_id}", report=report_id)
        require_entry(self.store, entry_id)
        if all(k["entry"] != entry_id for k in self.known(row)):
            raise Conflict(
                f"list entry {entry_id} does not match report {report_id} (now)",
                report=report_id,
                entry=entry_id,
            )
        self.store.set_verdict(
            entry_id, report_id, value.value, actor=analyst.username, at=self.clock()
        )
        return {"report": report_id, "known": self.known(row)}

    # -- export -----------------------------------------------------------------------------

    def export(self, user: Actor, fmt: str, source: str | None = None) -> bytes:
        """Lists with their feedback: CSV (every entry, confirmed and false-positive counts)
        or a ThreatExchange signal file (URL entries; an entry removed, expired or judged a
        false positive more often than confirmed is a tombstone)."""
        require(user, Action.EXPORT_REPORTS)
        rows = self.store.entries(None if source is None else model.clean_source(source))
        today = self.clock().date()
        if fmt == "csv":
            return model.csv_document(_csv_row(r) for r in rows)
        if fmt != "threatexchange":
            raise InvalidValue(f"list format {fmt!r}: use csv or threatexchange", value=fmt)
        signals = []
        for r in rows:
            if r["kind"] == EntryKind.SITE:
                continue  # the signal file format has no site type; the CSV carries them
            gone = r["removed"] or _expired(r, today) or r["false_positive"] > r["confirmed"]
            signals.append(threatexchange.Signal(r["kind"], r["value"], bool(gone)))
        return threatexchange.write_signals(_one_state(signals))


def _expired(row: Mapping[str, Any], today: date) -> bool:
    return row["expires_on"] is not None and row["expires_on"] < today


def _one_state(signals: list[threatexchange.Signal]) -> list[threatexchange.Signal]:
    """One line per value across sources: live if any source lists it live."""
    live = {(s.signal_type, s.value) for s in signals if not s.removed}
    return [s for s in signals if not s.removed or (s.signal_type, s.value) not in live]


def _csv_row(row: Mapping[str, Any]) -> dict[str, object]:
    return {
        "type": row["kind"],
        "value": row["value"],
        "source": row["source"],
        "added": row["added_on"].isoformat(),
        "expires": None if row["expires_on"] is None else row["expires_on"].isoformat(),
        "removed": "yes" if row["removed"] else "no",
        "confirmed": int(row["confirmed"]),
        "false_positive": int(row["false_positive"]),
    }


def _known(entry: Mapping[str, Any], match: EntryKind, verdict: Row | None) -> Document:
    return {
        "entry": entry["id"],
        "source": entry["source"],
        "since": entry["added_on"].isoformat(),
        "expires": None if entry["expires_on"] is None else entry["expires_on"].isoformat(),
        "kind": entry["kind"],
        "value": entry["value"],
        "match": match.value,
        "verdict": None if verdict is None else verdict["verdict"],
        "verdict_by": None if verdict is None else verdict["by"],
        "verdict_at": None if verdict is None else verdict["at"].isoformat(),
    }
