"""Ten million reports on PostgreSQL: imported through the real import path, with the writer's
memory printed as it goes, then the effectiveness metrics and the first page of the triage
queue timed over the whole table (target: under a second each).

Starts its own throwaway PostgreSQL server (``scripts/with-postgres`` on port
``CHILDSAFE_TEST_PGPORT``, default 55505; fsync off, the server's other settings as
``initdb`` makes them) unless ``CHILDSAFE_TEST_POSTGRES_URL`` names one already. The SYNTHETIC
reports are those of ``bench/reports_import.py`` (sites under ``.example``, documentation IP
addresses, one site per 40 reports over the whole count), written as ``--files`` JSON Lines
files of equal size and imported one after the other, each by ``ReportsService.import_reports``
in its own all-or-nothing transaction, as a hotline would import a year in parts. After each
file: the metrics and the first triage page, three times each (first and best), and the load
of the machine. ``--files 1`` imports everything in one transaction. ``--check`` recomputes
the summaries' aggregates from the reports and prices at the end (the scan the summaries
replace; timed) and checks that they agree.

    .venv/bin/python bench/reports_scale_pg.py [--count 10000000] [--files 10] [--check]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import Engine

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the other benchmarks, beside this
import reports_import as bench
import reports_import_pg as pg

from childsafe.reports.service.core import ReportsService
from childsafe.reports.store.metric_queries import ScanMetricQueries, SqlMetricQueries

ROOT = Path(__file__).resolve().parents[1]
PORT = "55505"
EVERY = 250_000  # reports between two lines of progress


def generate(path: Path, count: int, sites: int, seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 - synthetic test data, not secrets
    with path.open("w", encoding="utf-8") as handle:
        for _ in range(count):
            handle.write(json.dumps(bench.record(rng, sites)) + "\n")


def load() -> str:
    return "load {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


class Progress:
    """Prints rows/s and the RSS of the writer (and of the validating process) as it goes."""

    def __init__(self, before: int) -> None:
        self.before, self.next = before, before + EVERY
        self.started = self.last = time.perf_counter()
        self.last_done = 0

    def __call__(self, done: int) -> None:
        total = self.before + done
        if total < self.next:
            return
        now = time.perf_counter()
        rate = (done - self.last_done) / (now - self.last)
        child = bench.child_rss_mb()
        aside = "" if child is None else f", validating process {child:.0f} MB"
        print(
            f"  {total:>11,} reports, {now - self.started:7.1f} s into this file,"
            f" {rate:7,.0f} reports/s, writer RSS {bench.rss_mb() or 0:.0f} MB{aside}, {load()}",
            flush=True,
        )
        self.next += EVERY
        self.last, self.last_done = now, done


def pages(service: ReportsService, count: int) -> None:
    metrics = pg.page_seconds(lambda: service.metrics(bench.OPERATOR))
    queue = pg.page_seconds(lambda: service.queue(pg.TRIAGE, limit=50))
    for what, times in (("metrics", metrics), ("first triage page", queue)):
        print(
            f"{what} over {count:,} reports: {times[0] * 1000:.0f} ms first,"
            f" {min(times) * 1000:.0f} ms best of 3 (target < 1 s), {load()}",
            flush=True,
        )


def check(engine: Engine) -> None:
    kept, scan = SqlMetricQueries(engine), ScanMetricQueries(engine)
    started = time.perf_counter()
    months, prices = scan.commercial_sites_by_month(), sorted(scan.price_counts())
    seconds = time.perf_counter() - started
    same = months == kept.commercial_sites_by_month() and prices == sorted(kept.price_counts())
    print(f"the scan the summaries replace: {seconds:.1f} s; summaries agree with it: {same}")
    if not same:
        raise SystemExit("the summaries disagree with the reports and prices")


def run(args: argparse.Namespace, server_url: str, work: Path) -> None:
    url = pg.fresh_database(server_url, "childsafe_bench_scale")
    engine, service = pg.migrated_service(url)
    per_file, sites = args.count // args.files, max(10, args.count // 40)
    print(f"{args.count:,} synthetic reports in {args.files} files of {per_file:,}; {load()}")
    print(f"writer RSS before the first import: {bench.rss_mb() or 0:.0f} MB", flush=True)
    done, started = 0, time.perf_counter()
    for k in range(args.files):
        path = work / f"reports-{k}.jsonl"
        generate(path, per_file, sites, args.seed + k)
        begun = time.perf_counter()
        service.import_reports(path, bench.OPERATOR, on_progress=Progress(done))
        seconds = time.perf_counter() - begun
        path.unlink()
        done += per_file
        print(
            f"file {k + 1}/{args.files}: {per_file:,} reports in {seconds:.0f} s"
            f" ({per_file / seconds:,.0f} /s); {done:,} in all,"
            f" {time.perf_counter() - started:.0f} s since the start;"
            f" writer RSS {bench.rss_mb() or 0:.0f} MB",
            flush=True,
        )
        pages(service, done)
    if args.check:
        check(engine)
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000_000)
    parser.add_argument("--files", type=int, default=10)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    server_url = os.environ.get("CHILDSAFE_TEST_POSTGRES_URL")
    if server_url is None:  # start a server of our own and run again inside its lifetime
        env = os.environ | {"CHILDSAFE_TEST_PGPORT": os.environ.get("CHILDSAFE_TEST_PGPORT", PORT)}
        command = [str(ROOT / "scripts" / "with-postgres"), sys.executable, *sys.argv]
        raise SystemExit(subprocess.call(command, env=env))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stopped: still clean up
    work = Path(tempfile.mkdtemp(prefix="childsafe-bench-scale-"))
    try:
        run(args, server_url, work)
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
