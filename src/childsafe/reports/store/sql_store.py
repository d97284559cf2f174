"""``SqlReportsStore``: reports, sites and their cases on SQLAlchemy (SQLite and PostgreSQL).

Rows come back as plain dicts (the service turns them into documents). Every change to a case
appends its audit entry in the transaction that makes it: ``report.submit`` /
``report.import`` (one entry per import, with its counts), ``report.assess``,
``report.refer``, ``site.status``. Alerts, test transactions and tokens are another store
(``SqlAlertsStore``, in ``alerts``), the metrics' aggregates a third (``SqlMetricQueries``, in
``metric_queries``); the write path is ``bulk``. Each is the SQL side of a Protocol in
``childsafe.reports.store.interfaces``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, select, update

from childsafe.audit.entry import AuditEntry
from childsafe.audit.store import append_audit
from childsafe.kernel.errors import NotFound
from childsafe.reports.model.cases import SiteStatus, Stage, advanced
from childsafe.reports.store.alerts import SqlAlertsStore
from childsafe.reports.store.bulk import (
    CHUNK,
    BulkWriter,
    Intake,
    IntakeRow,
    larger_page_cache,
)
from childsafe.reports.store.listing import report_rows
from childsafe.reports.store.metric_queries import SqlMetricQueries
from childsafe.reports.store.summaries import add_commercial
from childsafe.reports.store.tables import (
    ALERTS,
    CHANNELS,
    HISTORY,
    MIRROR_SITES_MAX,
    PRICES,
    REFERRALS,
    REPORTS,
    SEEN,
    SITES,
    URLS,
    Added,
    Row,
    StoreBase,
    advance_site_reports,
    batched,
)


class SqlReportsStore(StoreBase):
    # -- intake -----------------------------------------------------------------------------

    def add_reports(
        self,
        rows: Iterable[IntakeRow],
        intake: Intake,
        operator_of: Callable[[str | None], str | None],
        audit: Callable[[Added], AuditEntry],
        *,
        chunk: int = CHUNK,
        on_progress: Callable[[int], None] | None = None,
    ) -> Added:
        """Write every report in one transaction, chunk by chunk; an exception from ``rows``
        (an import's problems) rolls back everything."""
        with self.engine.begin() as conn, larger_page_cache(conn):
            writer = BulkWriter(conn, intake, operator_of)
            first: int | None = None
            with writer.copying_behind():
                for batch in batched(rows, chunk):
                    ids = writer.write(batch)
                    first = ids[0] if first is None else first
                    if on_progress is not None:
                        on_progress(writer.reports)
                writer.finish()
            added = Added(writer.reports, writer.sites_new, first)
            append_audit(conn, audit(added), intake.received_at)
        return added

    # -- reports ----------------------------------------------------------------------------

    def report(self, report_id: int) -> Row | None:
        query = (
            select(REPORTS, SITES.c.domain, SITES.c.status.label("site_status"))
            .join(SITES, SITES.c.id == REPORTS.c.site_id)
            .where(REPORTS.c.id == report_id)
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        return None if row is None else dict(row)

    def report_urls(self, report_id: int) -> list[Row]:
        query = select(URLS.c.url, URLS.c.canonical_url, URLS.c.site_key).where(
            URLS.c.report_id == report_id
        )
        return self._all(query.order_by(URLS.c.id))

    def report_payments(self, report_id: int) -> list[Row]:
        query = (
            select(CHANNELS)
            .join(SEEN, SEEN.c.channel_id == CHANNELS.c.id)
            .where(SEEN.c.report_id == report_id)
            .order_by(SEEN.c.id)
        )
        return self._all(query)

    def report_price(self, report_id: int) -> Row | None:
        query = select(PRICES.c.amount, PRICES.c.currency).where(PRICES.c.report_id == report_id)
        found = self._all(query.limit(1))
        return found[0] if found else None

    def referral(self, report_id: int) -> Row | None:
        query = select(REFERRALS).where(REFERRALS.c.report_id == report_id)
        found = self._all(query.order_by(REFERRALS.c.id.desc()).limit(1))
        return found[0] if found else None

    def queue(self, limit: int) -> list[Row]:
        """Unassessed reports, live streams first, then commercial sites; oldest first."""
        query = (
            select(REPORTS, SITES.c.domain)
            .join(SITES, SITES.c.id == REPORTS.c.site_id)
            .where(REPORTS.c.stage == Stage.RECEIVED.value)
            .order_by(REPORTS.c.urgency_rank, REPORTS.c.urgency_since, REPORTS.c.id)
            .limit(limit)
        )
        return self._all(query)

    def _locked_report(self, conn: Connection, report_id: int) -> Row:
        query = select(REPORTS).where(REPORTS.c.id == report_id).with_for_update()
        row = conn.execute(query).mappings().first()
        if row is None:
            raise NotFound(f"no report {report_id}", report=report_id)
        return dict(row)

    def assess(
        self, report_id: int, values: dict[str, Any], *, close: bool, actor: str, at: datetime
    ) -> None:
        """Record an assessment (``values``: assessment, commercial, hosting_country,
        assessment_note); ``close`` closes the report too (content not illegal)."""
        with self.engine.begin() as conn:
            row = self._locked_report(conn, report_id)
            before = {k: row[k] for k in values} | {"stage": row["stage"]}
            changes = values | {"assessed_by": actor, "assessed_at": row["assessed_at"] or at}
            stage = advanced(row["stage"], Stage.ASSESSED)
            if close and row["closed_at"] is None:
                changes["closed_at"], stage = at, Stage.CLOSED
            changes["stage"] = stage.value
            conn.execute(update(REPORTS).where(REPORTS.c.id == report_id).values(changes))
            was, now = row["commercial"] is True, changes.get("commercial", row["commercial"])
            if was != (now is True):  # the metrics' summary follows the report's commercial
                add_commercial(conn, {(row["report_month"], row["site_id"]): 1 if now else -1})
            after = values | {"stage": stage.value}
            entry = AuditEntry(
                actor, "report.assess", "report", f"report/{report_id}", before, after
            )
            append_audit(conn, entry, at)

    def refer(self, report_id: int, referral: dict[str, Any], *, actor: str, at: datetime) -> None:
        with self.engine.begin() as conn:
            row = self._locked_report(conn, report_id)
            conn.execute(REFERRALS.insert().values(referral | {"report_id": report_id}))
            stage = advanced(row["stage"], Stage.REFERRED)
            changes = {"stage": stage.value, "referred_at": row["referred_at"] or at}
            conn.execute(update(REPORTS).where(REPORTS.c.id == report_id).values(changes))
            before = {"stage": row["stage"], "referred_at": row["referred_at"]}
            entry = AuditEntry(
                actor,
                "report.refer",
                "report",
                f"report/{report_id}",
                before,
                referral | {"stage": stage.value},
                reason=str(referral["status"]),
            )
            append_audit(conn, entry, at)

    # -- sites ------------------------------------------------------------------------------

    def site(self, site_id: int) -> Row | None:
        found = self._all(select(SITES).where(SITES.c.id == site_id))
        return found[0] if found else None

    def sites(
        self, *, status: str | None, organisation: str | None, limit: int | None
    ) -> list[Row]:
        """Sites by id; ``organisation`` keeps those with an alert sent to it."""
        query = select(SITES).order_by(SITES.c.id)
        if status is not None:
            query = query.where(SITES.c.status == status)
        if organisation is not None:
            sent = select(ALERTS.c.site_id).where(
                ALERTS.c.organisation_id == organisation, ALERTS.c.sent_at.is_not(None)
            )
            query = query.where(SITES.c.id.in_(sent))
        return self._all(query if limit is None else query.limit(limit))

    def site_urls(self, sites: Sequence[Mapping[str, Any]]) -> dict[int, list[str]]:
        """Every distinct canonical URL reported for each site (further URLs included)."""
        found: dict[int, set[str]] = {s["id"]: set() for s in sites}
        by_domain = {s["domain"]: s["id"] for s in sites}
        with self.engine.connect() as conn:
            for batch in batched(list(found), 500):
                query = select(REPORTS.c.site_id, REPORTS.c.canonical_url).where(
                    REPORTS.c.site_id.in_(batch)
                )
                for site_id, url in conn.execute(query.distinct()):
                    found[site_id].add(url)
            for batch in batched(list(by_domain), 500):
                query = select(URLS.c.site_key, URLS.c.canonical_url).where(
                    URLS.c.site_key.in_(batch)
                )
                for key, url in conn.execute(query.distinct()):
                    found[by_domain[key]].add(url)
        return {site: sorted(urls) for site, urls in found.items()}

    def status_history(self, site_id: int) -> list[Row]:
        query = select(HISTORY).where(HISTORY.c.site_id == site_id)
        return self._all(query.order_by(HISTORY.c.at, HISTORY.c.id))

    def set_status(
        self, site_id: int, status: SiteStatus, note: str, *, actor: str, at: datetime
    ) -> None:
        """A new status (history kept); a site that is down closes its reports assessed
        illegal."""
        with self.engine.begin() as conn:
            query = select(SITES.c.status).where(SITES.c.id == site_id).with_for_update()
            before = conn.scalar(query)
            if before is None:
                raise NotFound(f"no site {site_id}", site=site_id)
            values = {"status": status.value, "status_changed_at": at}
            conn.execute(update(SITES).where(SITES.c.id == site_id).values(values))
            history = {"site_id": site_id, "status": status.value, "at": at, "note": note}
            conn.execute(HISTORY.insert().values(history | {"actor": actor}))
            if status is SiteStatus.DOWN:
                advance_site_reports(conn, site_id, Stage.CLOSED, at)
            entry = AuditEntry(
                actor,
                "site.status",
                "site",
                f"site/{site_id}",
                {"status": before},
                {"status": status.value},
                reason=note,
            )
            append_audit(conn, entry, at)

    def site_channels(self, site_id: int) -> list[Row]:
        """The channels seen on a site, with how often and when first and last."""
        seen = (
            select(
                SEEN.c.channel_id,
                func.count().label("observations"),
                func.min(SEEN.c.observed_at).label("first_seen"),
                func.max(SEEN.c.observed_at).label("last_seen"),
            )
            .where(SEEN.c.site_id == site_id)
            .group_by(SEEN.c.channel_id)
            .subquery()
        )
        query = select(CHANNELS, seen.c.observations, seen.c.first_seen, seen.c.last_seen).join(
            seen, seen.c.channel_id == CHANNELS.c.id
        )
        return self._all(query.order_by(CHANNELS.c.id))

    def site_prices(self, site_id: int, limit: int) -> list[Row]:
        query = select(PRICES).where(PRICES.c.site_id == site_id)
        return self._all(query.order_by(PRICES.c.observed_at.desc(), PRICES.c.id).limit(limit))

    def newest_reports(
        self,
        *,
        limit: int,
        stage: str | None = None,
        incident_type: str | None = None,
        site_ids: list[int] | None = None,
    ) -> list[Row]:
        """Reports with their site's domain, newest first (``reports list``)."""
        return report_rows(
            self.engine, limit=limit, stage=stage, incident_type=incident_type, site_ids=site_ids
        )

    def site_reports(self, site_id: int, limit: int) -> list[Row]:
        query = select(REPORTS).where(REPORTS.c.site_id == site_id)
        return self._all(query.order_by(REPORTS.c.id.desc()).limit(limit))

    def mirror_pairs(self, site_id: int) -> list[tuple[int, str]]:
        """(site, payment identifier) pairs walked out from ``site_id`` through shared
        identifiers (whatever brand a report wrote beside them): enough for its group."""
        pairs: set[tuple[int, str]] = set()
        sites, frontier = {site_id}, {site_id}
        seen_channels = SEEN.join(CHANNELS, CHANNELS.c.id == SEEN.c.channel_id)
        with self.engine.connect() as conn:
            while frontier and len(sites) < MIRROR_SITES_MAX:
                shared = (
                    select(CHANNELS.c.identifier)
                    .select_from(seen_channels)
                    .where(SEEN.c.site_id.in_(sorted(frontier)), CHANNELS.c.identifier.is_not(None))
                )
                query = (
                    select(SEEN.c.site_id, CHANNELS.c.identifier)
                    .select_from(seen_channels)
                    .where(CHANNELS.c.identifier.in_(shared))
                    .distinct()
                )
                found = {(int(s), str(i)) for s, i in conn.execute(query)}
                pairs |= found
                frontier = {s for s, _ in found} - sites
                sites |= frontier
        return sorted(pairs)

    def assessed_illegal(self, site_id: int, assessments: Iterable[str]) -> bool:
        """Whether a report of the site is assessed as one of ``assessments``."""
        query = select(REPORTS.c.id).where(
            REPORTS.c.site_id == site_id, REPORTS.c.assessment.in_(sorted(assessments))
        )
        return bool(self._tuples(query.limit(1)))

    def sites_by_ids(self, site_ids: Iterable[int]) -> list[Row]:
        query = select(SITES).where(SITES.c.id.in_(sorted(set(site_ids))))
        return self._all(query.order_by(SITES.c.id))

    def illegal_urls(self) -> tuple[list[str], list[str]]:
        """Canonical URLs of reports assessed illegal, and of those assessed not illegal."""
        query = (
            select(REPORTS.c.canonical_url, REPORTS.c.assessment)
            .where(REPORTS.c.assessment.is_not(None))
            .distinct()
        )
        live: set[str] = set()
        removed: set[str] = set()
        for url, assessment in self._tuples(query):
            (removed if assessment == "not_illegal" else live).add(url)
        return sorted(live), sorted(removed - live)


def sql_stores(engine: Engine) -> tuple[SqlReportsStore, SqlAlertsStore, SqlMetricQueries]:
    """The three SQL stores of one database: cases, alerts, the metrics' aggregates."""
    return SqlReportsStore(engine), SqlAlertsStore(engine), SqlMetricQueries(engine)


__all__ = ["Added", "Intake", "IntakeRow", "SqlReportsStore", "sql_stores"]
