"""ThreatExchange / Hasher-Matcher-Actioner (HMA) signal files: one ``SIGNAL_TYPE value`` per
line, the format HMA's local-file exchange reads (type, one space, value).

Conventions of these files, written and read by this module:

- Types: ``url`` (a canonical URL, see ``childsafe.reports.model.urls``), ``url_md5``,
  ``md5``, ``sha256`` and ``pdq`` (hex, lower-cased; PDQ is 256 bits, 64 hex digits).
- Tombstones: an entry removed from a list stays in the file with a leading ``-`` on its type
  (``-url http://example.com/``), so that partners who synchronise see the removal; a reader
  that does not know the convention finds an unknown signal type and skips the line instead
  of adding the entry back.
- Order: by type (in :data:`SIGNAL_TYPES` order), then value; the same list always gives the
  same bytes, so files diff and hash cleanly. Lines starting with ``#`` and blank lines are
  comments. A value may not be both live and removed in one file.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from childsafe.kernel.errors import ChildsafeError, ImportProblem, ImportRejected, InvalidValue
from childsafe.reports.model.urls import canonical_url

SIGNAL_TYPES: Final = ("url", "url_md5", "md5", "sha256", "pdq")
TOMBSTONE: Final = "-"
_HEX_LENGTHS: Final = {"url_md5": 32, "md5": 32, "sha256": 64, "pdq": 64}


@dataclass(frozen=True, slots=True)
class Signal:
    signal_type: str
    value: str
    removed: bool = False

    def line(self) -> str:
        return f"{TOMBSTONE if self.removed else ''}{self.signal_type} {self.value}"


def clean_signal(signal_type: str, value: str) -> Signal:
    """A signal with its value in the one spelling lists compare (canonical URL, lower hex)."""
    if signal_type not in SIGNAL_TYPES:
        raise InvalidValue(
            f"unknown signal type {signal_type!r}; use {', '.join(SIGNAL_TYPES)}",
            value=signal_type,
        )
    if signal_type == "url":
        return Signal("url", canonical_url(value))
    digits = _HEX_LENGTHS[signal_type]
    text = value.strip().lower()
    if not re.fullmatch(rf"[0-9a-f]{{{digits}}}", text):
        raise InvalidValue(
            f"a {signal_type} signal is {digits} hexadecimal digits", value=value[:80]
        )
    return Signal(signal_type, text)


def url_md5(url: str) -> str:
    """The ``url_md5`` of a URL, as python-threatexchange computes it (``common.normalize_url``):
    MD5 of the URL lower-cased with its ``scheme://`` removed."""
    lowered = url.lower()
    scheme_end = lowered.find("://")
    bare = lowered[scheme_end + 3 :] if scheme_end >= 0 else lowered
    return hashlib.md5(bare.encode("utf-8"), usedforsecurity=False).hexdigest()


def _ordered(signals: Iterable[Signal]) -> list[Signal]:
    """Deduplicated and sorted; a value both live and removed is an error."""
    state: dict[tuple[str, str], bool] = {}
    for signal in signals:
        key = (signal.signal_type, signal.value)
        if state.get(key, signal.removed) != signal.removed:
            raise InvalidValue(
                f"{signal.signal_type} {signal.value} is both listed and removed",
                value=signal.value,
            )
        state[key] = signal.removed
    keys = sorted(state, key=lambda k: (SIGNAL_TYPES.index(k[0]), k[1]))
    return [Signal(t, v, state[t, v]) for t, v in keys]


def write_signals(signals: Iterable[Signal]) -> bytes:
    """The signal file: values cleaned, duplicates merged, deterministic order."""
    cleaned = [
        Signal(s.signal_type, clean_signal(s.signal_type, s.value).value, s.removed)
        for s in signals
    ]
    return "".join(s.line() + "\n" for s in _ordered(cleaned)).encode("utf-8")


def parse_signals(data: bytes, file: str) -> list[Signal]:
    """Every signal of a file, in file order; ``ImportRejected`` listing every bad line."""
    problems: list[ImportProblem] = []
    signals: list[Signal] = []
    seen: dict[tuple[str, str], tuple[bool, int]] = {}
    for number, raw in enumerate(data.split(b"\n"), start=1):
        try:
            text = raw.decode("utf-8").strip()
        except UnicodeDecodeError:
            problems.append(_problem(file, number, "(line)", "", "not UTF-8 text"))
            continue
        if not text or text.startswith("#"):
            continue
        signal_type, _, value = text.partition(" ")
        removed = signal_type.startswith(TOMBSTONE)
        try:
            signal = clean_signal(signal_type.removeprefix(TOMBSTONE), value.strip())
        except ChildsafeError as exc:
            problems.append(_problem(file, number, signal_type, value[:80], exc.message))
            continue
        key = (signal.signal_type, signal.value)
        if key in seen and seen[key][0] != removed:
            message = f"both listed and removed (see line {seen[key][1]})"
            problems.append(_problem(file, number, signal_type, signal.value, message))
            continue
        seen.setdefault(key, (removed, number))
        signals.append(Signal(signal.signal_type, signal.value, removed))
    if problems:
        raise ImportRejected(file, problems)
    return signals


def _problem(file: str, line: int, column: str, value: str, message: str) -> ImportProblem:
    return ImportProblem(message, file=file, line=line, column=column, value=value)
