"""The reports stores' contracts (``CasesStore``, ``AlertsStore``, ``MetricsStore``), held to
the SQL stores directly. The suite runs on SQLite and again on PostgreSQL (scripts/test), so
every implementation passes the same tests. The data is synthetic (example.com/.org)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from childsafe.audit.entry import AuditEntry
from childsafe.coalition.bootstrap import seed_coalition_data
from childsafe.coalition.data import default_coalition_data
from childsafe.coalition.store import SqlCoalitionStore
from childsafe.kernel.errors import NotFound
from childsafe.reports.model.cases import SiteStatus, Source
from childsafe.reports.model.intake import parse_report
from childsafe.reports.service.intake import intake_of, intake_row
from childsafe.reports.store.alerts import SqlAlertsStore
from childsafe.reports.store.bulk import IntakeRow
from childsafe.reports.store.interfaces import AlertsStore, CasesStore, MetricsStore
from childsafe.reports.store.metric_queries import SqlMetricQueries
from childsafe.reports.store.sql_store import SqlReportsStore, sql_stores
from childsafe.reports.store.tables import Added
from tests.reports.helpers import NOTE, audit_actions

AT = datetime(2026, 11, 28, 12, tzinfo=UTC)
INTAKE = intake_of(Source.PUBLIC, None, AT)


@pytest.fixture
def stores(engine: Engine) -> tuple[SqlReportsStore, SqlAlertsStore, SqlMetricQueries]:
    return sql_stores(engine)


def _row(url: str) -> IntakeRow:
    data = f'{{"url": "{url}", "incident_type": "commercial_site", "notes": "{NOTE}"}}'
    return intake_row(parse_report(data), AT)


def _audit(added: Added) -> AuditEntry:
    return AuditEntry("tester", "report.import", "reports", "import/x", None, {"n": added.reports})


def _add(cases: CasesStore, *urls: str) -> Added:
    return cases.add_reports([_row(u) for u in urls], INTAKE, lambda _: None, _audit)


def test_the_sql_stores_fit_their_protocols(
    stores: tuple[SqlReportsStore, SqlAlertsStore, SqlMetricQueries],
) -> None:
    cases: CasesStore = stores[0]  # checked by mypy: each implementation fits its protocol
    alerts: AlertsStore = stores[1]
    metrics: MetricsStore = stores[2]
    assert cases.sites(status=None, organisation=None, limit=None) == []
    assert alerts.alerts(organisation=None, sent_only=False) == []
    assert metrics.commercial_sites_by_month() == {}


def test_reports_are_added_all_or_nothing_with_one_audit_entry(
    stores: tuple[SqlReportsStore, SqlAlertsStore, SqlMetricQueries], engine: Engine
) -> None:
    cases = stores[0]

    def failing() -> Iterator[IntakeRow]:
        yield _row("https://a.example.com/")
        raise ValueError("line 2 of the file is wrong")

    with pytest.raises(ValueError, match="line 2"):
        cases.add_reports(failing(), INTAKE, lambda _: None, _audit)
    assert cases.sites(status=None, organisation=None, limit=None) == []
    assert audit_actions(engine) == []
    added = _add(
        cases, "https://a.example.com/x", "https://a.example.com/y", "https://b.example.org/"
    )
    assert (added.reports, added.sites_new) == (3, 2)
    assert audit_actions(engine) == ["report.import"]
    first = cases.report(int(added.first_id or 0))
    assert first is not None and first["url"] == "https://a.example.com/x"
    assert [r["domain"] for r in cases.queue(10)] == ["example.com"] * 2 + ["example.org"]


def test_an_assessment_and_a_status_are_audited_in_their_transaction(
    stores: tuple[SqlReportsStore, SqlAlertsStore, SqlMetricQueries], engine: Engine
) -> None:
    cases = stores[0]
    report_id = int(_add(cases, "https://a.example.com/").first_id or 0)
    values = {"assessment": "baseline", "commercial": True, "hosting_country": None}
    cases.assess(report_id, values | {"assessment_note": ""}, close=False, actor="ana", at=AT)
    row = cases.report(report_id)
    assert row is not None and (row["assessment"], row["stage"]) == ("baseline", "assessed")
    assert cases.assessed_illegal(row["site_id"], ["baseline"])
    cases.set_status(row["site_id"], SiteStatus.DOWN, "synthetic", actor="ana", at=AT)
    assert [h["status"] for h in cases.status_history(row["site_id"])] == ["active", "down"]
    assert audit_actions(engine)[-2:] == ["report.assess", "site.status"]
    with pytest.raises(NotFound):
        cases.set_status(999, SiteStatus.DOWN, "", actor="ana", at=AT)
    assert cases.report(999) is None and cases.site(999) is None


def test_tokens_never_show_their_hash_and_revoke_once(
    stores: tuple[SqlReportsStore, SqlAlertsStore, SqlMetricQueries], engine: Engine
) -> None:
    alerts = stores[1]
    seed_coalition_data(SqlCoalitionStore(engine), default_coalition_data())  # the directory
    values = {"organisation_id": "visa", "name": "synthetic feed", "sha256": "0" * 64}
    token = alerts.add_token(values, actor="admin", at=AT)
    assert [set(t) for t in alerts.tokens()] == [set(token) - {"sha256"} | {"revoked_at"}]
    assert alerts.token_by_hash("0" * 64) is not None
    revoked = alerts.revoke_token(token["id"], actor="admin", at=AT)
    again = alerts.revoke_token(token["id"], actor="admin", at=AT)
    assert revoked is not None and again == revoked and revoked["revoked_at"] is not None
    assert alerts.revoke_token(999, actor="admin", at=AT) is None
    assert audit_actions(engine)[-2:] == ["token.create", "token.revoke"]


def test_an_unknown_alert_or_channel_is_none_and_approving_it_is_not_found(
    stores: tuple[SqlReportsStore, SqlAlertsStore, SqlMetricQueries],
) -> None:
    alerts = stores[1]
    with pytest.raises(NotFound):
        alerts.approve_alert(999, approver="cora", at=AT)
    assert alerts.alert(999) is None and alerts.channel(999) is None
    assert alerts.pending_alert(1, 1) is None


def test_the_metrics_of_an_empty_database_are_empty(
    stores: tuple[SqlReportsStore, SqlAlertsStore, SqlMetricQueries],
) -> None:
    metrics = stores[2]
    assert metrics.outcomes_by_month() == []
    assert metrics.purchases() == []
    assert metrics.price_counts() == []
    assert metrics.action_intervals() == []
