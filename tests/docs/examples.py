"""A small doctest-style runner for the fenced ``console`` examples of the documentation.

A block is a series of ``$ COMMAND`` lines, each followed by the output it prints. In the
expected output ``...`` stands for any text (several lines included): volatile parts such as
times, tokens and sizes. A block whose info string is ``console not-run`` is shown to readers
with a sentence saying why it is not run, and is skipped here. A block whose info string names
a file (```` ```csv file=organisations.csv ````) is written to the working folder when the
runner reaches it, for the examples after it to read.

Commands are ``childsafe ARGS`` (or ``./scripts/childsafe ARGS``), optionally fed from
``printf '%s\\n' "$VAR" |``, and ``curl [-s] [-X METHOD] [-H 'K: V'] [--json BODY] [-b FILE]
[-c FILE] URL``, answered in-process by the application (one cookie jar per document, so
``-b``/``-c`` name it only). ``$VAR`` is replaced from the runner's variables.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlsplit

ELLIPSIS: Final = "..."
SKIP_MARK: Final = "not-run"
_FENCE: Final = re.compile(r"^```(?P<info>[^`]*)$")


@dataclass(frozen=True)
class Example:
    """One command of a block, where it is, and what it should print."""

    line: int  # 1-based line of the ``$`` in the document
    command: str
    expected: str


@dataclass(frozen=True)
class Block:
    line: int
    examples: tuple[Example, ...]
    run: bool
    file: str | None = None  # a file block: its name, ``content`` its text
    content: str = ""


@dataclass(frozen=True)
class HttpRequest:
    method: str
    path: str  # with its query
    headers: Mapping[str, str]
    body: str | None


@dataclass(frozen=True)
class CliCall:
    args: tuple[str, ...]
    stdin: str


def console_blocks(markdown: str) -> Iterator[Block]:
    """The fenced ``console`` blocks and file blocks of a Markdown text, in order."""
    lines = markdown.splitlines()
    index = 0
    while index < len(lines):
        fence = _FENCE.match(lines[index])
        if fence is None:
            index += 1
            continue
        start, body, info = index + 1, list[str](), fence["info"].split()
        index += 1
        while index < len(lines) and not lines[index].startswith("```"):
            body.append(lines[index])
            index += 1
        index += 1
        named = [word.removeprefix("file=") for word in info if word.startswith("file=")]
        if named:
            yield Block(start, (), run=True, file=named[0], content="\n".join(body) + "\n")
        elif info[:1] == ["console"]:
            examples = tuple(_examples(body, start + 1))
            yield Block(start, examples, run=SKIP_MARK not in info)


def _examples(body: list[str], first_line: int) -> Iterator[Example]:
    command: str | None = None
    at, output = 0, list[str]()
    for offset, text in enumerate(body):
        if text.startswith("$ "):
            if command is not None:
                yield Example(at, command, "\n".join(output))
            command, at, output = text[2:], first_line + offset, []
        elif command is not None:
            output.append(text)
    if command is not None:
        yield Example(at, command, "\n".join(output))


def matches(expected: str, actual: str) -> bool:
    """Whether ``actual`` is ``expected`` with every ``...`` standing for any text; trailing
    spaces and blank lines at the end do not count."""
    pattern = ".*?".join(re.escape(part) for part in _tidy(expected).split(ELLIPSIS))
    return re.fullmatch(pattern, _tidy(actual), flags=re.DOTALL) is not None


def _tidy(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


def _expand(word: str, variables: Mapping[str, str]) -> str:
    return re.sub(r"\$(\w+)", lambda m: variables.get(m[1], m[0]), word)


def parse_command(command: str, variables: Mapping[str, str]) -> CliCall | HttpRequest:
    """What a documented command line asks for; ``ValueError`` for anything else."""
    words = [_expand(w, variables) for w in shlex.split(command)]
    stdin = ""
    if "|" in words:
        cut = words.index("|")
        feed, words = words[:cut], words[cut + 1 :]
        if feed[:2] != ["printf", "%s\\n"] or len(feed) != 3:
            raise ValueError(f"only printf '%s\\n' VALUE | … is supported: {command}")
        stdin = feed[2] + "\n"
    if words and words[0] in ("childsafe", "./scripts/childsafe"):
        return CliCall(tuple(words[1:]), stdin)
    if words and words[0] == "curl":
        return _curl(words[1:], command)
    raise ValueError(f"not a command the documentation runner knows: {command}")


def _curl(words: list[str], command: str) -> HttpRequest:
    method, headers, body, url = "", {}, None, ""
    pending = iter(words)
    for word in pending:
        if word in ("-s", "--silent"):
            continue
        if word in ("-b", "-c"):
            next(pending)  # the cookie jar: the runner keeps one per document
        elif word == "-X":
            method = next(pending)
        elif word == "-H":
            name, _, value = next(pending).partition(":")
            headers[name.strip()] = value.strip()
        elif word == "--json":
            body = next(pending)
            headers |= {"Content-Type": "application/json", "Accept": "application/json"}
        elif word.startswith("-"):
            raise ValueError(f"curl option {word} is not supported: {command}")
        else:
            url = word
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return HttpRequest(method or ("POST" if body is not None else "GET"), path, headers, body)


@dataclass(frozen=True)
class Mismatch:
    document: str
    example: Example
    actual: str

    def __str__(self) -> str:
        return (
            f"{self.document}:{self.example.line}: $ {self.example.command}\n"
            f"--- documented\n{self.example.expected}\n--- printed\n{self.actual}"
        )


def run_document(
    name: str,
    markdown: str,
    run: Callable[[CliCall | HttpRequest], str],
    variables: Mapping[str, str],
    write: Callable[[str, str], None],
) -> tuple[int, list[Mismatch]]:
    """Runs every example of every runnable block in order (writing file blocks on the way);
    how many ran, and what differed."""
    ran, mismatches = 0, []
    for block in console_blocks(markdown):
        if block.file is not None:
            write(block.file, block.content)
        if not block.run:
            continue
        for example in block.examples:
            actual = run(parse_command(example.command, variables))
            ran += 1
            if not matches(example.expected, actual):
                mismatches.append(Mismatch(name, example, actual))
    return ran, mismatches
