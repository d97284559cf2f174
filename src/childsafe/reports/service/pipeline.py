"""The rows of an import file, validated in this process or, for large JSON Lines files, in a
second one while this one writes.

SQLite has one writer, and an import spends about as long validating each report (parsing,
URL canonicalisation, identifier checks) as writing it. On a machine with a spare core a large
JSON Lines file is therefore read and validated by a child process
(``python -m childsafe.reports.service.validator``) that hands over storage rows chunk by
chunk, in file order, through its standard output. A thread of the writer reads the frames as
they come, up to ``READ_AHEAD`` ahead of it: the child keeps validating while the writer waits
on its database (a pipe holds a tenth of a frame, so without it the child would wait for the
writer and the writer for the database in turn); that queue is the bound on memory. Both paths
run the same code (``iter_jsonl`` and ``intake_row``), so they accept and refuse exactly the
same files; the child stops at the first bad line and the writer's transaction rolls back, as
it does in-process.

Frames are pickles of plain tuples, text, numbers and times, read back by an unpickler that
refuses every class but ``datetime``'s (the pickle documentation's "restricting globals"), so
nothing in a frame can run; they cost the writer a microsecond a report. A plain subprocess
rather than ``multiprocessing``: it needs no ``if __name__ == "__main__"`` guard in whatever
script calls the import.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import pickle
import queue
import subprocess
import sys
import threading
from collections.abc import Generator, Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import IO, Any, Final, Protocol

from childsafe.kernel.errors import ChildsafeError, ImportFailed, ImportProblem, ImportRejected
from childsafe.reports.service.intake import HashedLines, intake_row, records_of
from childsafe.reports.store.bulk import CHUNK, IntakeRow

ASIDE_MIN_BYTES: Final = 8 << 20  # below this (~30,000 reports) a second process costs more
_HEADER: Final = 5  # kind (1 byte) and payload length (4 bytes, big-endian)
_TIME_CLASSES: Final = frozenset({"datetime", "timezone", "timedelta"})
READ_AHEAD: Final = 4  # frames (chunks of rows, ~0.6 MB pickled each) read ahead of the writer


class FileRows(Protocol):
    """The storage rows of an import file, in order; ``ImportRejected`` at the first bad line
    or for a file without reports. :meth:`sha256` is the file's hash once iterated."""

    def __iter__(self) -> Iterator[IntakeRow]: ...

    def sha256(self) -> str: ...


def file_rows(path: Path, kind: str, now: datetime, *, aside: bool | None = None) -> FileRows:
    """How ``path``, of ``kind`` (see ``file_kind``), is read: JSON Lines ``aside`` (in a child
    process) or not; by default aside for a large file when a second core is free. CSV files
    are read here."""
    if kind != "jsonl":
        return ValidatedHere(path, kind, now)
    if aside is None:
        aside = path.stat().st_size >= ASIDE_MIN_BYTES and spare_core()
    return ValidatedAside(path, now) if aside else ValidatedHere(path, kind, now)


def spare_core() -> bool:
    return len(os.sched_getaffinity(0)) > 1 if hasattr(os, "sched_getaffinity") else False


def nonempty(rows: Iterable[IntakeRow], file: str) -> Generator[IntakeRow, None, None]:
    """``rows``; a file without any is refused (inside the writer's transaction)."""
    count = 0
    for row in rows:
        count += 1
        yield row
    if not count:
        problem = ImportProblem(
            "no reports in the file", file=file, line=1, column="(file)", value=""
        )
        raise ImportRejected(file, [problem])


class ValidatedHere:
    """Rows validated in this process as they are written."""

    def __init__(self, path: Path, kind: str, now: datetime) -> None:
        self.path, self.kind, self.now = path, kind, now
        self.lines = HashedLines(path)

    def __iter__(self) -> Iterator[IntakeRow]:
        return nonempty(self.rows(), self.path.name)

    def rows(self) -> Iterator[IntakeRow]:
        records = records_of(self.path, self.kind, self.lines, self.now)
        return (intake_row(r, self.now) for r in records)

    def sha256(self) -> str:
        return self.lines.sha256.hexdigest()


def validator_command(path: Path, now: datetime) -> list[str]:
    """How the validating process is started: this interpreter, the same modules."""
    module = "childsafe.reports.service.validator"
    return [sys.executable, "-m", module, str(path), now.isoformat()]


class ValidatedAside:
    """Rows of a JSON Lines file validated by a child process while this one writes; here
    instead should the child not start (it sent nothing at all)."""

    def __init__(self, path: Path, now: datetime) -> None:
        self.path, self.now = path, now
        self._sha256: str | None = None

    def sha256(self) -> str:
        if self._sha256 is None:
            raise RuntimeError("the file has not been read to the end")
        return self._sha256

    def __iter__(self) -> Generator[IntakeRow, None, None]:
        return nonempty(self._rows(), self.path.name)

    def _rows(self) -> Iterator[IntakeRow]:
        env = os.environ | {"PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        command = validator_command(self.path, self.now)
        try:
            child = subprocess.Popen(command, stdout=subprocess.PIPE, env=env)  # noqa: S603
        except OSError:  # no interpreter to start: validate here
            yield from self._here()
            return
        assert child.stdout is not None
        reader = _ReadAhead(child.stdout)
        started = False
        try:
            for kind, payload in _frames(reader):
                started = True
                if kind == "rows":
                    yield from map(IntakeRow._make, payload)
                elif kind == "done":
                    self._sha256 = payload
                    return
                else:
                    raise _failure(self.path.name, kind, payload)
            if started:
                code = child.wait()
                raise ImportFailed(f"{self.path.name}: the validating process ended early ({code})")
        finally:
            if child.poll() is None:  # the writer stopped first (an error): stop reading too
                child.kill()
            child.wait()
            reader.stop()  # the child has ended, so the thread's read has too
            child.stdout.close()
        yield from self._here()

    def _here(self) -> Iterator[IntakeRow]:
        here = ValidatedHere(self.path, "jsonl", self.now)
        yield from here.rows()
        self._sha256 = here.sha256()


class _TimesOnly(pickle.Unpickler):
    """Plain data and times; any other class in a frame is refused, never imported."""

    def find_class(self, module: str, name: str) -> Any:
        if module == "datetime" and name in _TIME_CLASSES:
            return getattr(dt, name)
        raise pickle.UnpicklingError(f"frames carry no {module}.{name}")


class _ReadAhead:
    """The child's frames as raw (header, data), read by a thread up to ``READ_AHEAD`` ahead:
    reading a pipe releases the GIL, so the child's output is drained while the writer works
    or waits on its database. Unpickling stays with the writer."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.frames: queue.Queue[tuple[bytes, bytes] | None] = queue.Queue(READ_AHEAD)
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self.thread.start()

    def __iter__(self) -> Iterator[tuple[bytes, bytes]]:
        while (frame := self.frames.get()) is not None:
            yield frame

    def stop(self) -> None:
        """Once the child has ended (its output is at its end): stop the thread."""
        self.stopped.set()
        self.thread.join()

    def _read(self, stream: IO[bytes]) -> None:
        try:
            while header := stream.read(_HEADER):
                self._put((header, stream.read(int.from_bytes(header[1:], "big"))))
        except (OSError, ValueError):  # the output broke off: the writer reports an early end
            pass
        finally:
            self._put(None)

    def _put(self, frame: tuple[bytes, bytes] | None) -> None:
        while not self.stopped.is_set():  # the writer may have stopped taking frames
            try:
                self.frames.put(frame, timeout=0.1)
                return
            except queue.Full:
                continue


def _frames(frames: Iterable[tuple[bytes, bytes]]) -> Iterator[tuple[str, Any]]:
    kinds = {b"r": "rows", b"d": "done", b"x": "rejected", b"f": "failed"}
    for header, data in frames:
        if len(header) < _HEADER or len(data) < int.from_bytes(header[1:], "big"):
            yield "failed", "the validating process ended in the middle of its output"
            return
        yield kinds.get(header[:1], "failed"), _TimesOnly(io.BytesIO(data)).load()


def _failure(file: str, kind: str, payload: Any) -> Exception:
    if kind == "rejected":
        problems = [
            ImportProblem(
                d["reason"], file=d["file"], line=d["line"], column=d["column"], value=d["value"]
            )
            for d in payload
        ]
        return ImportRejected(file, problems)
    return ImportFailed(f"{file}: validating the file failed: {payload}")


# -- the child -------------------------------------------------------------------------------


def _frame(out: IO[bytes], kind: bytes, payload: Any) -> None:
    data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(kind + len(data).to_bytes(_HEADER - 1, "big") + data)


def validate_to(path: Path, now: datetime, out: IO[bytes]) -> None:
    """The child's work: the rows of the JSON Lines file ``path``, validated as in the writer's
    process, as frames; then the file's hash; or the problems of the first bad line."""
    here = ValidatedHere(path, "jsonl", now)
    try:
        chunk: list[tuple[Any, ...]] = []
        for row in here.rows():
            chunk.append(tuple(row))
            if len(chunk) >= CHUNK:
                _frame(out, b"r", chunk)
                chunk = []
        if chunk:
            _frame(out, b"r", chunk)
        _frame(out, b"d", here.sha256())
    except ImportRejected as exc:
        _frame(out, b"x", [p.details for p in exc.problems])
    except ChildsafeError as exc:
        _frame(out, b"f", exc.message)
    except Exception as exc:  # reported to the writer, which stops and rolls back
        _frame(out, b"f", f"{type(exc).__name__}: {exc}")
    out.flush()
