"""How long ``create_app`` takes, and how many times it builds the review service.

Runs in a fresh process on a fresh SQLite file: the first start (migrate and seed), then a
second start on the same file (everything seeded). ``ReviewService`` is counted by wrapping
its constructor; the framework it loads from the package data is most of a construction.

    python bench/app_start.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

PROBE = """
import sys, time
from childsafe.review import service as review_service

built = 0
original = review_service.ReviewService.__init__

def counted(self, *args, **kwargs):
    global built
    built += 1
    original(self, *args, **kwargs)

review_service.ReviewService.__init__ = counted
from childsafe.app.web import create_app
from childsafe.review.bootstrap import open_engine

url = sys.argv[1]
for start in ("first", "second"):
    built = 0
    open_engine.cache_clear()  # a new process would start from no engine
    began = time.perf_counter()
    create_app(url)
    print(f"{start}\\t{time.perf_counter() - began:.3f}\\t{built}")
"""


def measure(repeat: int) -> None:
    print("start\tseconds\tReviewService built")
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
            run = subprocess.run(
                [sys.executable, "-c", PROBE, url], check=True, capture_output=True, text=True
            )
            sys.stdout.write(run.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    measure(parser.parse_args().repeat)


if __name__ == "__main__":
    main()
