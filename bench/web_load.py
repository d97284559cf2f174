"""Load test of the web application beside Datasette serving the same SQLite file.

Measures requests/s and p50/p99 latency at 50 concurrent connections with wrk (Debian's
package), for childsafe's results API and a jurisdiction page, and for Datasette's JSON of the
rows the results are computed from (edition 8's current assessments). Both servers run side by
side in the same run on the same machine, one process each. Prints ratios against Datasette.

    python bench/web_load.py [--duration 10] [--connections 50]

Needs: wrk (apt-get install wrk) and Datasette 0.65 in its own virtual environment (the script
creates bench/.datasette-venv on first use; Datasette's pins are kept apart from childsafe's).
"""

from __future__ import annotations

import argparse
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATASETTE_VENV = ROOT / "bench" / ".datasette-venv"
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass(frozen=True)
class Measure:
    name: str
    url: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_for(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback only
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server did not answer: {url}")


def datasette_binary() -> Path:
    binary = DATASETTE_VENV / "bin" / "datasette"
    if not binary.exists():
        subprocess.run([sys.executable, "-m", "venv", str(DATASETTE_VENV)], check=True)
        subprocess.run(
            [str(DATASETTE_VENV / "bin" / "pip"), "install", "-q", "datasette==0.65.*"], check=True
        )
    return binary


def _milliseconds(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    if not match:
        raise ValueError(f"cannot read wrk latency {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def run_wrk(name: str, url: str, duration: int, connections: int) -> Measure:
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = _milliseconds(re.search(r"\s50%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    p99 = _milliseconds(re.search(r"\s99%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return Measure(name, url, rps, p50, p99, int(errors.group(1)) if errors else 0)


def start(command: list[str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(command, stdout=log.open("wb"), stderr=subprocess.STDOUT)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=50)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    work = Path(tempfile.mkdtemp(prefix="childsafe-bench-"))
    database = work / "childsafe.sqlite3"
    url = f"sqlite:///{database}"
    childsafe = [str(ROOT / ".venv" / "bin" / "childsafe")]
    subprocess.run([*childsafe, "db", "--database", url], check=True, capture_output=True)
    ours, theirs = free_port(), free_port()
    servers = [
        start([*childsafe, "serve", "--port", str(ours), "--database", url], work / "ours.log"),
        start(
            [
                str(datasette_binary()),
                "serve",
                str(database),
                "--port",
                str(theirs),
                "--setting",
                "num_sql_threads",
                "3",
            ],
            work / "datasette.log",
        ),
    ]
    try:
        base, other = f"http://127.0.0.1:{ours}", f"http://127.0.0.1:{theirs}"
        targets = [
            ("childsafe /api/v1/editions/8/results", f"{base}/api/v1/editions/8/results"),
            ("childsafe /en/jurisdictions/THA (HTML)", f"{base}/en/jurisdictions/THA"),
            (
                "datasette assessments.json (edition 8, current)",
                f"{other}/childsafe/assessments.json?edition=8&is_current=1&_shape=array&_size=max",
            ),
        ]
        for _, target in targets:
            wait_for(target)
        results = [
            run_wrk(name, target, args.duration, args.connections) for name, target in targets
        ]
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)
    report(results, args.connections)


def report(results: list[Measure], connections: int) -> None:
    baseline = results[-1]
    print(f"{connections} concurrent connections, wrk -t2, same machine, side by side")
    header = ("req/s", "p50 ms", "p99 ms", "non-2xx", "vs datasette")
    print(f"{'target':52} " + " ".join(f"{h:>9}" for h in header))
    for m in results:
        ratio = m.requests_per_second / baseline.requests_per_second
        print(
            f"{m.name:52} {m.requests_per_second:9.0f} {m.p50_ms:8.1f} {m.p99_ms:8.1f} "
            f"{m.errors:8d} {ratio:12.2f}x"
        )


if __name__ == "__main__":
    main()
