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

from childsafe.domain.audit_chain import ChainReport, verify_chain
from childsafe.storage.audit import chain_entries, missing_guards, recorded_head

log = logging.getLogger("childsafe.audit")


def verify_audit_log(engine: Engine) -> ChainReport:
    """Walk the chain from the first entry, in one read snapshot where the backend has one."""
    with engine.connect() as conn, conn.begin():
        recorded = recorded_head(conn)
        report = verify_chain(chain_entries(conn), recorded)
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
    """The check ``serve`` runs once: a broken chain is logged loudly but the public
    application still serves (the health endpoint says it is degraded)."""
    report = verify_audit_log(engine)
    if report.broken is not None:
        log.critical(
            "AUDIT LOG TAMPERED WITH: %s (run `childsafe audit verify`)", report.broken.message()
        )
    if report.missing_guards:
        log.critical(
            "AUDIT LOG UNGUARDED: its append-only triggers %s were dropped or disabled",
            ", ".join(report.missing_guards),
        )
    return report


class ChainMonitor:
    """The latest verification, redone at most every ``ttl`` seconds (a health probe must
    not walk a long log on every request); one verification runs at a time."""

    def __init__(self, engine: Engine, ttl: float = 60.0) -> None:
        self.engine = engine
        self.ttl = ttl
        self._lock = threading.Lock()
        self._report: ChainReport | None = None
        self._checked_at = datetime.min.replace(tzinfo=UTC)
        self._checked = -1e9

    def seed(self, report: ChainReport) -> None:
        with self._lock:
            self._keep(report)

    def _keep(self, report: ChainReport) -> None:
        self._report, self._checked = report, time.monotonic()
        self._checked_at = datetime.now(UTC)

    def latest(self) -> tuple[ChainReport, datetime]:
        """The newest verification and when it ran."""
        with self._lock:
            if self._report is None or time.monotonic() - self._checked >= self.ttl:
                self._keep(verify_audit_log(self.engine))
            assert self._report is not None
            return self._report, self._checked_at
