"""Proving the audit log's hash chain: what ``childsafe audit verify``, the check at start and
the health endpoint share."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine

from childsafe.audit.chain import ChainHead, ChainReport, verify_chain
from childsafe.audit.store import chain_entries, missing_guards, recorded_head

log = logging.getLogger("childsafe.audit")


def verify_audit_log(engine: Engine, anchor: ChainHead | None = None) -> ChainReport:
    """Walk the chain from the first entry, in one read snapshot where the backend has one;
    ``anchor`` is an entry and hash kept outside the database that must still be there."""
    with engine.connect() as conn, conn.begin():
        recorded = recorded_head(conn)
        report = verify_chain(chain_entries(conn), recorded, anchor)
        return replace(report, missing_guards=missing_guards(conn))


def chain_document(report: ChainReport) -> dict[str, Any]:
    """The JSON document of a verification (``audit verify --format json``, ``/health``)."""
    broken = report.broken
    return {
        "intact": report.intact,
        "entries_checked": report.entries,
        "last_proven": {"entry_id": report.head.entry_id, "hash": report.head.hash},
        "missing_guards": list(report.missing_guards),
        "first_broken": None
        if broken is None
        else {
            "entry_id": broken.entry_id,
            "position": broken.position,
            "problem": broken.problem,
            "expected": broken.expected,
            "found": broken.found,
            "message": broken.message(),
        },
    }


def check_at_start(engine: Engine) -> ChainReport:
    """The check ``serve`` runs once, before serving: a broken chain is logged loudly but the
    public application still serves (the health endpoint says it is degraded)."""
    report = verify_audit_log(engine)
    _log_if_broken(report)
    return report


def _log_if_broken(report: ChainReport) -> None:
    if report.broken is not None:
        log.critical(
            "AUDIT LOG TAMPERED WITH: %s (run `childsafe audit verify`)", report.broken.message()
        )
    if report.missing_guards:
        log.critical(
            "AUDIT LOG UNGUARDED: its append-only triggers %s were dropped or disabled",
            ", ".join(report.missing_guards),
        )


class ChainMonitor:
    """The latest verification for the health endpoint. Walking a long log takes seconds
    (about 15,000 entries a second), so a probe never waits for it: a result older than
    ``ttl`` seconds is answered as it is while a background thread verifies again."""

    def __init__(self, engine: Engine, ttl: float = 60.0) -> None:
        self.engine = engine
        self.ttl = ttl
        self._lock = threading.Lock()
        self._report: ChainReport | None = None
        self._checked_at = datetime.min.replace(tzinfo=UTC)
        self._checked = -1e9
        self._refreshing = False

    def seed(self, report: ChainReport) -> None:
        with self._lock:
            self._keep(report)

    def _keep(self, report: ChainReport) -> None:
        self._report, self._checked = report, time.monotonic()
        self._checked_at = datetime.now(UTC)

    def latest(self) -> tuple[ChainReport, datetime]:
        """The newest verification and when it ran (the first one is waited for)."""
        with self._lock:
            if self._report is None:
                self._keep(verify_audit_log(self.engine))
            elif time.monotonic() - self._checked >= self.ttl and not self._refreshing:
                self._refreshing = True
                threading.Thread(target=self._refresh, name="audit-chain", daemon=True).start()
            assert self._report is not None
            return self._report, self._checked_at

    def _refresh(self) -> None:
        report: ChainReport | None = None
        try:
            report = verify_audit_log(self.engine)
        except Exception:  # the next probe tries again; the last answer stands meanwhile
            log.exception("verifying the audit log failed")
        with self._lock:
            self._refreshing = False
            was_intact = self._report is None or self._report.intact
            if report is not None:
                self._keep(report)
        if report is not None and was_intact:
            _log_if_broken(report)
