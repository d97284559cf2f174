"""Load test of the web application against the floor, side by side in one run.

The server is started exactly as README.md starts it (``scripts/childsafe serve``, on a fresh
``childsafe db``, nothing warmed: the first requests find the caches cold, as a user's server
does), and beside it the floor (bench/asgi_floor.py: uvicorn with uvloop and httptools
answering childsafe's results JSON as fixed bytes). wrk (Debian's package) loads each target at
10 and 50 connections; the report gives requests/s, p50/p90/p99/max latency, non-2xx answers,
timeouts, the ratio of requests/s to the floor's at the same connections, and the server's CPU
time (all its processes) during the target's run. ``--runs 3`` repeats the whole measurement to
show the spread; ``uptime`` is printed so the load of the machine is on record.

    python bench/web_load.py [--duration 8] [--runs 1] [--workers 1] [--database URL] [--gzip]
                             [--scaling N]

``--scaling N`` measures one process and then ``serve --workers N`` on the same database in each
run, and prints the requests/s of N processes over one's per target. The floor runs with N
workers too: wrk shares the cores, so the floor's own ratio is the most any server can gain here.
With it come two signed-in targets (an analyst's session: the triage queue as JSON and as a
page), which no cache answers: each request reads the session and the queue from the database,
the work more processes are for.

Needs: wrk (apt-get install wrk). ``--database postgresql+psycopg://...`` serves PostgreSQL
(``childsafe db`` migrates and seeds it first); ``--workers N`` passes ``serve --workers N``.
"""

from __future__ import annotations

import argparse
import json
import os
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
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}
_TICKS = os.sysconf("SC_CLK_TCK")
CONNECTIONS = (10, 50)
TARGETS = (
    ("results API", "/api/v1/editions/8/results"),
    ("jurisdiction page", "/en/jurisdictions/THA"),
    ("home page (HTML)", "/en/"),
)
SIGNED_IN_TARGETS = (
    ("triage API (signed in)", "/api/v1/reports/queue"),
    ("triage page (signed in)", "/en/triage"),
)
BENCH_USER = "bench.analyst"
BENCH_PASSWORD = "synthetic bench password, not a secret"  # noqa: S105 - a throwaway database


@dataclass(frozen=True)
class Measure:
    name: str
    connections: int
    requests_per_second: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    errors: int
    timeouts: int
    cpu_seconds: float


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_for(url: str, timeout: float = 600.0) -> bytes:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 - loopback only
                body: bytes = answer.read()
                return body
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server did not answer: {url}")


def _milliseconds(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not match:
        raise ValueError(f"cannot read wrk latency {text!r}")
    unit = match.group(2)
    return float(match.group(1)) * (60_000.0 if unit == "m" else _UNITS[unit])


def _found(pattern: str, output: str) -> str:
    match = re.search(pattern, output)
    if match is None:
        raise SystemExit(f"cannot read wrk's output ({pattern}):\n{output}")
    return match.group(1)


def process_tree(root: int) -> list[int]:
    """``root`` and every process under it (the workers of ``serve --workers N``)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    return sorted(tree)


def cpu_seconds(root: int) -> float:
    """User and system CPU time of ``root``'s process tree so far."""
    total = 0
    for pid in process_tree(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / _TICKS


# Sent with --gzip: what every browser asks for, so compression is measured as users get it.
GZIP_HEADER = ("-H", "Accept-Encoding: gzip")


def run_wrk(
    name: str, url: str, duration: int, connections: int, server: int, *, headers: tuple[str, ...]
) -> Measure:
    threads = min(2, connections)
    before = cpu_seconds(server)
    output = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", *headers, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    cpu = cpu_seconds(server) - before
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    timeouts = re.search(r"timeout (\d+)", output)
    return Measure(
        name,
        connections,
        float(_found(r"Requests/sec:\s+([\d.]+)", output)),
        _milliseconds(_found(r"\s50%\s+(\S+)", output)),
        _milliseconds(_found(r"\s90%\s+(\S+)", output)),
        _milliseconds(_found(r"\s99%\s+(\S+)", output)),
        _milliseconds(_found(r"Latency\s+\S+\s+\S+\s+(\S+)", output)),
        int(errors.group(1)) if errors else 0,
        int(timeouts.group(1)) if timeouts else 0,
        cpu,
    )


def add_analyst(childsafe: list[str], database: str) -> None:
    """An analyst account on the bench's database (once: ``users add`` refuses a second)."""
    add = ["users", "add", BENCH_USER, "--role=hotline_analyst", "--password-stdin"]
    done = subprocess.run(
        [*childsafe, *add, f"--database={database}"],
        input=BENCH_PASSWORD + "\n",
        text=True,
        capture_output=True,
        check=False,
    )
    if done.returncode != 0 and "already exists" not in done.stderr + done.stdout:
        raise SystemExit(f"could not add the bench's analyst: {done.stderr or done.stdout}")


def session_cookie(base: str) -> str:
    """Signs the analyst in, as a browser does; the ``Cookie`` header wrk then sends."""
    body = json.dumps({"username": BENCH_USER, "password": BENCH_PASSWORD}).encode()
    request = urllib.request.Request(  # noqa: S310 - loopback only
        base + "/api/v1/session",
        data=body,
        headers={"Content-Type": "application/json", "Origin": base},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
        cookie = answer.headers["set-cookie"].split(";", 1)[0]
    return f"Cookie: {cookie}"


def start(command: list[str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(command, stdout=log.open("wb"), stderr=subprocess.STDOUT)


def stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


def one_run(
    work: Path,
    database: str,
    duration: int,
    workers: int,
    headers: tuple[str, ...],
    *,
    signed_in: bool = False,
) -> list[Measure]:
    childsafe = [str(ROOT / "scripts" / "childsafe")]
    subprocess.run([*childsafe, "db", "--database", database], check=True, capture_output=True)
    if signed_in:
        add_analyst(childsafe, database)
    ours, floor_port = free_port(), free_port()
    serve = [*childsafe, "serve", "--port", str(ours), "--database", database]
    if workers > 1:
        serve += ["--workers", str(workers)]
    server = start(serve, work / "serve.log")
    floor = None
    try:
        base = f"http://127.0.0.1:{ours}"
        wait_for(base + "/api/v1/health")  # ready; the targets themselves stay cold
        body = work / "results.json"
        body.write_bytes(wait_for(base + "/api/v1/editions/8/results"))
        floor_command = [sys.executable, str(ROOT / "bench" / "asgi_floor.py"), str(body)]
        floor = start([*floor_command, str(floor_port), str(workers)], work / "floor.log")
        floor_url = f"http://127.0.0.1:{floor_port}/"
        wait_for(floor_url)
        targets = [(name, path, headers) for name, path in TARGETS]
        if signed_in:
            cookie = ("-H", session_cookie(base))
            targets += [(name, path, (*headers, *cookie)) for name, path in SIGNED_IN_TARGETS]
        found = []
        for connections in CONNECTIONS:
            found.append(run_wrk("floor", floor_url, duration, connections, floor.pid, headers=()))
            for name, path, sent in targets:
                found.append(
                    run_wrk(name, base + path, duration, connections, server.pid, headers=sent)
                )
        return found
    finally:
        stop(server)
        if floor is not None:
            stop(floor)


def report(runs: list[list[Measure]], duration: int) -> None:
    print(f"wrk -t2, {duration} s a target, same machine, side by side; {len(runs)} run(s)")
    header = ("req/s", "x floor", "p50", "p90", "p99", "max ms", "non2xx", "tmo", "cpu s")
    print(f"{'conns':>5} {'target':20} " + " ".join(f"{h:>8}" for h in header))
    for index, measures in enumerate(runs, 1):
        print(f"run {index}")
        floors = {m.connections: m.requests_per_second for m in measures if m.name == "floor"}
        for m in measures:
            ratio = m.requests_per_second / floors[m.connections]
            print(
                f"{m.connections:5d} {m.name:20} {m.requests_per_second:8.0f} {ratio:8.2f} "
                f"{m.p50_ms:8.1f} {m.p90_ms:8.1f} {m.p99_ms:8.1f} {m.max_ms:8.1f} "
                f"{m.errors:8d} {m.timeouts:8d} {m.cpu_seconds:8.1f}"
            )
    if len(runs) > 1:
        print("spread over the runs (min-max): ratio to the floor, p99 ms")
        for at, first in enumerate(runs[0]):
            same = [run[at] for run in runs]
            ratios = [
                m.requests_per_second
                / next(
                    f.requests_per_second
                    for f in run
                    if f.name == "floor" and f.connections == m.connections
                )
                for m, run in zip(same, runs, strict=True)
            ]
            p99s = [m.p99_ms for m in same]
            print(
                f"{first.connections:5d} {first.name:20} {min(ratios):.2f}-{max(ratios):.2f}x "
                f"p99 {min(p99s):.1f}-{max(p99s):.1f} ms"
            )


def report_scaling(pairs: list[tuple[list[Measure], list[Measure]]], workers: int) -> None:
    """Requests/s of ``workers`` processes over one process's, per target, run by run."""
    print(f"scaling: serve --workers {workers} over one process, requests/s (runs side by side)")
    one = pairs[0][0]
    for at, first in enumerate(one):
        ratios = [
            many[at].requests_per_second / single[at].requests_per_second for single, many in pairs
        ]
        shown = " ".join(f"{ratio:.2f}x" for ratio in ratios)
        print(
            f"{first.connections:5d} {first.name:20} {shown}  "
            f"(min-max {min(ratios):.2f}-{max(ratios):.2f}x)"
        )


def uptime() -> str:
    return subprocess.run(["uptime"], check=True, capture_output=True, text=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--duration", type=int, default=8)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--database", help="default: a fresh SQLite file")
    parser.add_argument(
        "--scaling", type=int, metavar="N", help="also serve --workers N and compare with one"
    )
    parser.add_argument(
        "--gzip", action="store_true", help="ask childsafe for gzip, as browsers do"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    print("load before:", uptime())
    runs, scaled = [], []
    for _ in range(args.runs):
        work = Path(tempfile.mkdtemp(prefix="childsafe-bench-"))
        database = args.database or f"sqlite:///{work / 'childsafe.sqlite3'}"
        headers = GZIP_HEADER if args.gzip else ()
        signed_in = bool(args.scaling)
        runs.append(
            one_run(work, database, args.duration, args.workers, headers, signed_in=signed_in)
        )
        if args.scaling:
            scaled.append(
                one_run(work, database, args.duration, args.scaling, headers, signed_in=True)
            )
        shutil.rmtree(work)
    report(runs, args.duration)
    if args.scaling:
        print(f"with serve --workers {args.scaling}:")
        report(scaled, args.duration)
        report_scaling(list(zip(runs, scaled, strict=True)), args.scaling)
    print("load after:", uptime())


if __name__ == "__main__":
    main()
