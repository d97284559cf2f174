"""The queries that run for every metrics page and triage page are served by indexes on
PostgreSQL, whatever the size of the reports table: each statement they send is EXPLAINed with
sequential scans priced out (``enable_seqscan = off``: the planner still picks one when no
index can serve), and no big table may be read whole. Synthetic data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event

from childsafe.reports.service.core import ReportsService
from tests.conftest import BACKEND
from tests.reports.helpers import ANALYST, OPERATOR, write_jsonl
from tests.reports.test_pipeline import varied_reports

pytestmark = pytest.mark.skipif(BACKEND != "postgresql", reason="PostgreSQL's planner")

BIG_TABLES = ("reports", "price_observations", "channel_observations", "report_urls")


def _statements(engine: Engine, run: Any) -> list[tuple[str, Any]]:
    sent: list[tuple[str, Any]] = []

    def grab(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", grab)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", grab)
    return [(s, p) for s, p in sent if s.lstrip().upper().startswith("SELECT")]


def _plan(engine: Engine, statement: str, parameters: Any) -> str:
    with engine.connect() as conn:
        conn.exec_driver_sql("SET enable_seqscan = off")
        rows = conn.exec_driver_sql(f"EXPLAIN {statement}", parameters).scalars()
        return "\n".join(rows)


@pytest.mark.parametrize("page", ["metrics", "queue"])
def test_per_page_queries_read_big_tables_through_indexes(
    page: str, reports: ReportsService, engine: Engine, tmp_path: Path
) -> None:
    reports.import_reports(write_jsonl(tmp_path / "r.jsonl", varied_reports(60)), OPERATOR)
    run = {
        "metrics": lambda: reports.metrics(OPERATOR),
        "queue": lambda: reports.queue(ANALYST, limit=50),
    }[page]
    statements = _statements(engine, run)
    touching = [(s, p) for s, p in statements if any(t in s for t in BIG_TABLES)]
    if page == "metrics":  # the summaries the write path keeps (revision 0011): a row per
        # month, a row per distinct price; read whole, and nothing else big is read at all
        assert statements and not touching, touching
        summaries = [(s, p) for s, p in statements if "metric_" in s]
        assert len(summaries) == 2, statements
        for statement, parameters in statements:
            plan = _plan(engine, statement, parameters)
            assert not any(table in plan for table in BIG_TABLES), f"{statement}\n{plan}"
        return
    assert touching, statements
    for statement, parameters in touching:
        plan = _plan(engine, statement, parameters)
        for table in BIG_TABLES:
            assert f"Seq Scan on {table}" not in plan, f"{statement}\n{plan}"
        assert "Index" in plan, plan
