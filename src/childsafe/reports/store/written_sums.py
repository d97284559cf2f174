"""On PostgreSQL, the sites' report counts and dates and the commercial summaries of a write,
computed by the server from the reports the write added, once at its end.

The writer only remembers which report ids it wrote (``IdRuns``: runs of consecutive ids, one
for a whole import unless another writer took ids from the sequence meanwhile); the ids come
from the sequence, so every report with one of them is this write's. Two statements then do
what ``BulkWriter`` otherwise gathers report by report in Python and writes in batches: one
``UPDATE sites ... FROM`` (count, first and last date per site) and one ``INSERT ... SELECT
... ON CONFLICT DO UPDATE`` into ``metric_commercial_site_months`` (in key order, as
``summaries.add_commercial`` applies changes) that also tells which (month, site) rows went
from zero to above it, so their months gain a site. The writer's memory does not grow with the
number of sites or (month, site) pairs, and a million-report import costs the server a scan of
the rows it has just written instead of hundreds of thousands of single-row statements.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from sqlalchemy import Connection, text

from childsafe.reports.store.summaries import add_site_months

# A report is dated by when it was observed, else when it was received (as the writer does).
_SITE_STATS: Final = text(
    "UPDATE sites SET report_count = sites.report_count + written.n,"
    " first_reported_at = LEAST(sites.first_reported_at, written.first),"
    " last_reported_at = GREATEST(sites.last_reported_at, written.last)"
    " FROM (SELECT r.site_id, count(*) AS n,"
    " min(coalesce(r.observed_at, r.received_at)) AS first,"
    " max(coalesce(r.observed_at, r.received_at)) AS last"
    " FROM reports AS r"
    " JOIN unnest(CAST(:first AS integer[]), CAST(:last AS integer[])) AS runs(first, last)"
    " ON r.id BETWEEN runs.first AND runs.last"
    " GROUP BY r.site_id) AS written"
    " WHERE sites.id = written.site_id"
)
# The months whose number of commercial sites grows: (month, site) rows that had no
# commercial report before this write (the count before is the count after minus the change).
_COMMERCIAL: Final = text(
    "WITH changes AS ("
    " SELECT r.report_month, r.site_id, CAST(count(*) AS integer) AS reports"
    " FROM reports AS r"
    " JOIN unnest(CAST(:first AS integer[]), CAST(:last AS integer[])) AS runs(first, last)"
    " ON r.id BETWEEN runs.first AND runs.last"
    " WHERE r.commercial IS TRUE"
    " GROUP BY r.report_month, r.site_id ORDER BY r.report_month, r.site_id),"
    " added AS ("
    " INSERT INTO metric_commercial_site_months (report_month, site_id, reports)"
    " SELECT report_month, site_id, reports FROM changes"
    " ON CONFLICT (report_month, site_id) DO UPDATE"
    " SET reports = metric_commercial_site_months.reports + excluded.reports"
    " RETURNING report_month, site_id, reports)"
    " SELECT added.report_month, CAST(count(*) AS integer) FROM added"
    " JOIN changes USING (report_month, site_id)"
    " WHERE added.reports - changes.reports <= 0 GROUP BY added.report_month"
)


class IdRuns:
    """The report ids a write added, as runs of consecutive ids."""

    def __init__(self) -> None:
        self.first: list[int] = []
        self.last: list[int] = []

    def add(self, ids: Sequence[int]) -> None:
        """Ids in increasing order (as reserved)."""
        if ids and ids[-1] - ids[0] == len(ids) - 1:  # consecutive: the usual case
            self._run(ids[0], ids[-1])
            return
        for report_id in ids:
            self._run(report_id, report_id)

    def _run(self, first: int, last: int) -> None:
        if self.last and self.last[-1] + 1 == first:
            self.last[-1] = last
        else:
            self.first.append(first)
            self.last.append(last)

    def __bool__(self) -> bool:
        return bool(self.first)


def add_written(conn: Connection, runs: IdRuns) -> None:
    """Count the reports with ids in ``runs`` into their sites and the commercial summaries."""
    if not runs:
        return
    ranges = {"first": runs.first, "last": runs.last}
    conn.execute(_SITE_STATS, ranges)
    months = {str(month): int(n) for month, n in conn.execute(_COMMERCIAL, ranges)}
    add_site_months(conn, months)
