"""How long ``childsafe publish site`` takes for a complete edition in all four languages.

No shipped edition is complete, so this imports a SYNTHETIC complete edition (every one of the
edition's 196 jurisdictions, every criterion; values random with a fixed seed; note "SYNTHETIC
TEST DATA", source https://example.org/synthetic) into a temporary SQLite database, then:

* baseline: the same page addresses asked of the same application through the same in-process
  client, bodies discarded (no data files, no link rewriting, nothing written);
* build: ``publish site`` itself (pages, data files, rewriting, writing, static assets), once in
  one process and once with worker processes (``--workers``, default one per core).

All run on the same database, one after the other, each on a fresh application (so none profits
from another's caches). Prints seconds, pages per second and the ratio to the baseline.

    .venv/bin/python bench/publish_site.py [--edition 8] [--seed 2024] [--keep]
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import tempfile
import time
from pathlib import Path

from childsafe.kernel.languages import LANGUAGES
from childsafe.publish.fetch import application
from childsafe.publish.site import SiteSummary, build_site, default_workers, plan
from childsafe.review.bootstrap import open_review

NOTE = "SYNTHETIC TEST DATA - not a real assessment"
SOURCE = "https://example.org/synthetic"
TARGET_SECONDS = 30.0


def synthetic_edition(database_url: str, edition: int, seed: int, work: Path) -> int:
    """Import a value for every criterion of every jurisdiction of ``edition``; returns how many
    jurisdictions it covers."""
    review = open_review(database_url)
    found = review.framework.edition(edition)
    codes = sorted(review.framework.universe_of(found).members)
    rng = random.Random(seed)  # noqa: S311 - synthetic test data, not secrets
    path = work / f"synthetic-edition-{edition}.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["jurisdiction", "edition", "criterion", "value", "source", "note"])
        for code in codes:
            for criterion in found.criteria:
                value = rng.choices(["yes", "no", "partial", "unknown"], [45, 45, 7, 3])[0]
                writer.writerow([code, edition, criterion, value, SOURCE, NOTE])
    review.import_file(path, edition=edition, actor="bench (synthetic)")
    return len(codes)


def baseline(database_url: str, edition: int) -> tuple[float, int]:
    """Seconds to ask the application for every page of the site, writing nothing."""
    with application(database_url) as client:
        review = client.app.state.review  # type: ignore[attr-defined]
        pages = plan(review, edition, LANGUAGES)
        started = time.perf_counter()
        for page in pages:
            response = client.get(page.url)
            assert response.status_code == 200, page.url
        return time.perf_counter() - started, len(pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edition", type=int, default=8)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--keep", action="store_true", help="keep the site and database")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="childsafe-bench-site-"))
    url = f"sqlite:///{work / 'childsafe.sqlite3'}"
    try:
        count = synthetic_edition(url, args.edition, args.seed, work)
        base_seconds, pages = baseline(url, args.edition)
        single = build_site(url, args.edition, work / "site-1", workers=1)
        summary = build_site(url, args.edition, work / "site", workers=args.workers)
        report(
            jurisdictions=count,
            pages=pages,
            base=base_seconds,
            single=single.seconds,
            summary=summary,
            workers=args.workers,
        )
    finally:
        if args.keep:
            print(f"kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def report(
    *,
    jurisdictions: int,
    pages: int,
    base: float,
    single: float,
    summary: SiteSummary,
    workers: int,
) -> None:
    print(
        f"edition with {jurisdictions} jurisdictions assessed (SYNTHETIC), "
        f"{len(LANGUAGES)} languages: {pages} pages, {summary.data_files} data files"
    )
    rows = [
        ("baseline: same pages via TestClient, no files", base),
        ("publish site, 1 process", single),
        (f"publish site, {workers} worker processes", summary.seconds),
    ]
    print(f"{'':48} {'seconds':>8} {'pages/s':>8} {'vs baseline':>12}")
    for name, seconds in rows:
        print(f"{name:48} {seconds:8.2f} {pages / seconds:8.1f} {seconds / base:11.2f}x")
    verdict = "within" if summary.seconds < TARGET_SECONDS else "OVER"
    print(f"target: under {TARGET_SECONDS:.0f} s with {workers} workers: {verdict}")


if __name__ == "__main__":
    main()
