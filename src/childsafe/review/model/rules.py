"""The classification rule language: ``C1 and C2 and not C5``, ``at least 2 of (C1, C2, C3)``.

Rules come from data files that users may supply, so they are read by a hand-written tokenizer
and recursive-descent parser (never ``eval``) into a small immutable AST. Evaluation uses Kleene's
strong three-valued logic because a criterion may be undetermined for a country.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import NamedTuple, TypeAlias

from childsafe.kernel.errors import RuleSyntaxError

__all__ = [
    "MAX_DEPTH",
    "And",
    "AtLeast",
    "Criterion",
    "Not",
    "Or",
    "Rule",
    "Truth",
    "criteria",
    "evaluate",
    "parse_rule",
    "render",
]

Truth: TypeAlias = bool | None
"""A criterion's or a rule's value; ``None`` means undetermined."""

MAX_DEPTH = 100
"""Deepest nesting of ``not``, parentheses and ``at least`` accepted; bounds the recursion."""


@dataclass(frozen=True)
class Criterion:
    """A criterion such as ``C1``; parsed ids are upper case."""

    id: str


@dataclass(frozen=True)
class Not:
    operand: Rule


@dataclass(frozen=True)
class And:
    """A flat chain ``a and b and c``; a parenthesised chain stays a nested ``And``."""

    operands: tuple[Rule, ...]


@dataclass(frozen=True)
class Or:
    """A flat chain ``a or b or c``; a parenthesised chain stays a nested ``Or``."""

    operands: tuple[Rule, ...]


@dataclass(frozen=True)
class AtLeast:
    """``at least n of (a, b, ...)``: holds when ``n`` or more operands hold."""

    n: int
    operands: tuple[Rule, ...]


Rule: TypeAlias = Criterion | Not | And | Or | AtLeast

_KEYWORDS = frozenset({"and", "or", "not", "at", "least", "of"})
_CRITERION = re.compile(r"[Cc][0-9]+")
_NUMBER = re.compile(r"[0-9]+")
# Every character falls in exactly one group, so scanning never gets stuck.
_SCAN = re.compile(
    r"(?P<space>\s+)|(?P<word>[A-Za-z0-9_]+)|(?P<punct>[(),])|(?P<other>[^\sA-Za-z0-9_(),]+)"
)
_EXPECTED_OPERAND = "expected a criterion like C1, 'not', '(' or 'at least'"
_MAX_NUMBER_DIGITS = 6


class _Token(NamedTuple):
    kind: str  # "crit", "int", "bad", "end", a keyword or a punctuation mark
    text: str
    pos: int


def _classify(word: str) -> tuple[str, str]:
    """Kind and canonical text of a word; unknown words become ``bad`` for the parser to report."""
    lower = word.lower()
    if lower in _KEYWORDS:
        return lower, lower
    if _CRITERION.fullmatch(word):
        return "crit", word.upper()
    if _NUMBER.fullmatch(word):
        return "int", word
    return "bad", word


def _tokenize(text: str) -> Iterator[_Token]:
    """Yield tokens, then one ``end`` token; bad input is reported in context by the parser."""
    for match in _SCAN.finditer(text):
        group, value = match.lastgroup, match.group()
        if group == "word":
            kind, value = _classify(value)
            yield _Token(kind, value, match.start())
        elif group == "punct":
            yield _Token(value, value, match.start())
        elif group == "other":
            yield _Token("bad", value, match.start())
    yield _Token("end", "", len(text))


def _show(text: str) -> str:
    """Quote a piece of the rule for a message, cut short so hostile input stays readable."""
    return repr(text if len(text) <= 30 else text[:30] + "…")


class _Parser:
    """Recursive descent over the token list; ``depth`` counts nesting to bound recursion."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = list(_tokenize(text))
        self.index = 0

    def peek(self) -> _Token:
        return self.tokens[self.index]

    def advance(self) -> _Token:
        token = self.tokens[self.index]
        if token.kind != "end":
            self.index += 1
        return token

    def error(self, message: str, position: int) -> RuleSyntaxError:
        return RuleSyntaxError(message, rule=self.text, position=position)

    def unexpected(self, expected: str) -> RuleSyntaxError:
        token = self.peek()
        if token.kind == "end":
            return self.error(f"{expected}, but the rule ended", token.pos)
        return self.error(f"unexpected {_show(token.text)}; {expected}", token.pos)

    def nest(self, token: _Token, depth: int) -> None:
        if depth >= MAX_DEPTH:
            raise self.error(f"rule nested too deeply (more than {MAX_DEPTH} levels)", token.pos)

    def parse(self) -> Rule:
        if self.peek().kind == "end":
            raise self.error("empty rule", 0)
        rule = self.disjunction(0)
        if self.peek().kind == ")":
            raise self.error("unexpected ')' without a matching '('", self.peek().pos)
        if self.peek().kind != "end":
            raise self.unexpected("expected 'and', 'or' or the end of the rule")
        return rule

    def joined(
        self,
        depth: int,
        keyword: str,
        operand: Callable[[int], Rule],
        combine: Callable[[tuple[Rule, ...]], Rule],
    ) -> Rule:
        """``operand (keyword operand)*``: the operand alone, else all of them combined."""
        items = [operand(depth)]
        while self.peek().kind == keyword:
            self.advance()
            items.append(operand(depth))
        return items[0] if len(items) == 1 else combine(tuple(items))

    def disjunction(self, depth: int) -> Rule:
        return self.joined(depth, "or", self.conjunction, Or)

    def conjunction(self, depth: int) -> Rule:
        return self.joined(depth, "and", self.unary, And)

    def unary(self, depth: int) -> Rule:
        token = self.peek()
        if token.kind == "not":
            self.nest(token, depth)
            self.advance()
            return Not(self.unary(depth + 1))
        if token.kind == "crit":
            self.advance()
            return Criterion(token.text)
        if token.kind == "(":
            return self.group(depth)
        if token.kind == "at":
            return self.at_least(depth)
        raise self.unexpected(_EXPECTED_OPERAND)

    def group(self, depth: int) -> Rule:
        opening = self.advance()
        self.nest(opening, depth)
        rule = self.disjunction(depth + 1)
        self.close(opening, "expected 'and', 'or' or ')'")
        return rule

    def close(self, opening: _Token, expected: str) -> None:
        token = self.peek()
        if token.kind == "end":
            raise self.error("unclosed parenthesis", opening.pos)
        if token.kind != ")":
            raise self.unexpected(expected)
        self.advance()

    def expect(self, kind: str, expected: str) -> _Token:
        if self.peek().kind != kind:
            raise self.unexpected(expected)
        return self.advance()

    def count(self) -> int:
        token = self.expect("int", "expected a whole number after 'at least'")
        digits = token.text.lstrip("0") or "0"
        if len(digits) > _MAX_NUMBER_DIGITS:
            raise self.error(f"number {_show(token.text)} is too large", token.pos)
        return int(digits)

    def at_least(self, depth: int) -> AtLeast:
        start = self.advance()
        self.nest(start, depth)
        self.expect("least", "expected 'least' after 'at'")
        n = self.count()
        self.expect("of", f"expected 'of' after 'at least {n}'")
        opening = self.expect("(", f"expected '(' after 'at least {n} of'")
        items = [self.disjunction(depth + 1)]
        while self.peek().kind == ",":
            self.advance()
            items.append(self.disjunction(depth + 1))
        self.close(opening, "expected 'and', 'or', ',' or ')'")
        if n > len(items):
            noun = "item" if len(items) == 1 else "items"
            raise self.error(f"at least {n} of {len(items)} {noun} can never hold", start.pos)
        return AtLeast(n, tuple(items))


def parse_rule(text: str) -> Rule:
    """Parse a rule; any problem raises :class:`RuleSyntaxError` with its 0-based offset."""
    return _Parser(text).parse()


def evaluate(rule: Rule, values: Mapping[str, Truth]) -> Truth:
    """Kleene strong three-valued value of ``rule``; a criterion missing from ``values`` is None.

    A result is determined only when every completion of the unknowns would agree with it.
    """
    match rule:
        case Criterion(id=ident):
            return values.get(ident)
        case Not(operand=operand):
            inner = evaluate(operand, values)
            return None if inner is None else not inner
        case And(operands=operands):
            results = [evaluate(item, values) for item in operands]
            return False if False in results else None if None in results else True
        case Or(operands=operands):
            results = [evaluate(item, values) for item in operands]
            return True if True in results else None if None in results else False
        case AtLeast(n=n, operands=operands):
            results = [evaluate(item, values) for item in operands]
            true = sum(result is True for result in results)
            unknown = sum(result is None for result in results)
            return True if true >= n else False if true + unknown < n else None


def criteria(rule: Rule) -> frozenset[str]:
    """The criterion ids a rule mentions, e.g. to check them against a framework."""
    match rule:
        case Criterion(id=ident):
            return frozenset({ident})
        case Not(operand=operand):
            return criteria(operand)
        case And(operands=operands) | Or(operands=operands) | AtLeast(operands=operands):
            return frozenset().union(*(criteria(item) for item in operands))


def _wrapped(rule: Rule, kinds: tuple[type, ...]) -> str:
    text = render(rule)
    return f"({text})" if isinstance(rule, kinds) else text


def render(rule: Rule) -> str:
    """Canonical text that parses back to an equal AST.

    ``and`` binds tighter than ``or``, so parentheses are written only where precedence needs
    them or where the parsed structure had a nested chain of the same operator.
    """
    match rule:
        case Criterion(id=ident):
            return ident
        case Not(operand=operand):
            return "not " + _wrapped(operand, (And, Or))
        case And(operands=operands):
            return " and ".join(_wrapped(item, (And, Or)) for item in operands)
        case Or(operands=operands):
            return " or ".join(_wrapped(item, (Or,)) for item in operands)
        case AtLeast(n=n, operands=operands):
            return f"at least {n} of ({', '.join(render(item) for item in operands)})"
