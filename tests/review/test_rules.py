"""The rule language: examples, error reporting, and properties against a brute-force evaluator."""

from __future__ import annotations

import itertools
from collections.abc import Mapping

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from childsafe.kernel.errors import RuleSyntaxError
from childsafe.review.model.rules import (
    MAX_DEPTH,
    And,
    AtLeast,
    Criterion,
    Not,
    Or,
    Rule,
    Truth,
    criteria,
    evaluate,
    parse_rule,
    render,
)

C1, C2, C3, C4, C5 = (Criterion(f"C{i}") for i in range(1, 6))
CRITERIA = [f"C{i}" for i in range(1, 7)]
TRUTHS: list[Truth] = [True, False, None]

SUFFICIENT = "C1 and C2 and C3 and C4"
WITHOUT_ISP = "C1 and C2 and C3 and C4 and not C5"
NO_LEGISLATION = "not C1"


# --- examples ------------------------------------------------------------------------------


def test_seed_rules_parse_to_flat_chains() -> None:
    assert parse_rule(SUFFICIENT) == And((C1, C2, C3, C4))
    assert parse_rule(WITHOUT_ISP) == And((C1, C2, C3, C4, Not(C5)))
    assert parse_rule(NO_LEGISLATION) == Not(C1)


@pytest.mark.parametrize(
    ("rule", "values", "expected"),
    [
        (SUFFICIENT, {"C1": True, "C2": True, "C3": True, "C4": True}, True),
        (SUFFICIENT, {"C1": True, "C2": False, "C3": None, "C4": True}, False),
        (SUFFICIENT, {"C1": True, "C2": True, "C3": None, "C4": True}, None),
        (SUFFICIENT, {"C1": True, "C2": True, "C3": True}, None),
        (WITHOUT_ISP, {"C1": True, "C2": True, "C3": True, "C4": True, "C5": False}, True),
        (WITHOUT_ISP, {"C1": True, "C2": True, "C3": True, "C4": True, "C5": True}, False),
        (WITHOUT_ISP, {"C1": True, "C2": True, "C3": True, "C4": True}, None),
        (NO_LEGISLATION, {"C1": False}, True),
        (NO_LEGISLATION, {"C1": True}, False),
        (NO_LEGISLATION, {}, None),
    ],
)
def test_seed_rules_evaluate(rule: str, values: dict[str, Truth], expected: Truth) -> None:
    assert evaluate(parse_rule(rule), values) is expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"C1": True, "C2": True, "C3": False}, True),
        ({"C1": True, "C2": False, "C3": False}, False),
        ({"C1": True, "C2": None, "C3": False}, None),
        ({"C1": True, "C2": None, "C3": True}, True),
        ({"C1": False, "C2": None, "C3": None}, None),
        ({"C1": False, "C2": None, "C3": False}, False),
    ],
)
def test_at_least(values: dict[str, Truth], expected: Truth) -> None:
    rule = parse_rule("at least 2 of (C1, C2, C3)")
    assert rule == AtLeast(2, (C1, C2, C3))
    assert evaluate(rule, values) is expected


def test_at_least_zero_always_holds() -> None:
    assert evaluate(parse_rule("at least 0 of (C1)"), {}) is True


def test_precedence() -> None:
    assert parse_rule("not C1 and C2") == parse_rule("(not C1) and C2") == And((Not(C1), C2))
    assert parse_rule("C1 or C2 and C3") == parse_rule("C1 or (C2 and C3)")
    assert parse_rule("C1 or C2 and C3") == Or((C1, And((C2, C3))))


def test_parentheses_keep_their_structure_and_render_back() -> None:
    rule = parse_rule("(C1 and C2) and C3")
    assert rule == And((And((C1, C2)), C3))
    assert render(rule) == "(C1 and C2) and C3"
    assert render(parse_rule("((C1))")) == "C1"


def test_case_insensitive_and_canonical() -> None:
    rule = parse_rule("  c1 AND\tNot c5 oR At LeAsT 1 Of (c2,c3)  ")
    assert rule == Or((And((C1, Not(C5))), AtLeast(1, (C2, C3))))
    assert render(rule) == "C1 and not C5 or at least 1 of (C2, C3)"
    assert criteria(rule) == {"C1", "C2", "C3", "C5"}


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("", "empty rule", 0),
        ("   ", "empty rule", 0),
        ("C1 and", "expected a criterion like C1, 'not', '(' or 'at least'", 6),
        ("C1 C2", "unexpected 'C2'", 3),
        ("(C1", "unclosed parenthesis", 0),
        ("C1)", "unexpected ')'", 2),
        ("at least x of (C1)", "unexpected 'x'", 9),
        ("at least 3 of (C1, C2)", "at least 3 of 2 items can never hold", 0),
        ("D1", "unexpected 'D1'", 0),
        ("C1 && C2", "unexpected '&&'", 3),
        ("__import__('os')", "unexpected '__import__'", 0),
        ("at least 1 of (C1,)", "unexpected ')'", 18),
        ("at least 1 (C1)", "expected 'of'", 11),
        ("at least 99999999999 of (C1)", "too large", 9),
    ],
)
def test_syntax_errors(text: str, message: str, position: int) -> None:
    with pytest.raises(RuleSyntaxError) as caught:
        parse_rule(text)
    assert message in caught.value.message
    assert caught.value.position == position
    assert caught.value.details == {"rule": text, "position": position}


@pytest.mark.parametrize("prefix", ["(", "not ", "at least 1 of ("])
def test_nesting_is_capped(prefix: str) -> None:
    closing = "" if prefix == "not " else ")"
    parse_rule(prefix * MAX_DEPTH + "C1" + closing * MAX_DEPTH)
    for depth in (MAX_DEPTH + 1, 10_000):
        with pytest.raises(RuleSyntaxError, match="nested too deeply"):
            parse_rule(prefix * depth + "C1" + closing * depth)


# --- strategies and an independent brute-force evaluator -------------------------------------


def _compound(children: st.SearchStrategy[Rule]) -> st.SearchStrategy[Rule]:
    chains = st.lists(children, min_size=2, max_size=4).map(tuple)
    at_least = st.lists(children, min_size=1, max_size=4).flatmap(
        lambda items: st.builds(AtLeast, st.integers(0, len(items)), st.just(tuple(items)))
    )
    return st.one_of(children.map(Not), chains.map(And), chains.map(Or), at_least)


rules: st.SearchStrategy[Rule] = st.recursive(
    st.sampled_from(CRITERIA).map(Criterion), _compound, max_leaves=10
)
partial_values = st.dictionaries(st.sampled_from(CRITERIA), st.sampled_from(TRUTHS))
known_values = st.fixed_dictionaries({c: st.booleans() for c in CRITERIA})

RANK: dict[Truth, int] = {False: 0, None: 1, True: 2}
FROM_RANK: dict[int, Truth] = {rank: truth for truth, rank in RANK.items()}


def brute_force(rule: Rule, values: Mapping[str, Truth]) -> Truth:
    """Kleene logic as the order F < U < T: and = min, or = max, not = reversal."""
    return FROM_RANK[_rank(rule, values)]


def _rank(rule: Rule, values: Mapping[str, Truth]) -> int:
    if isinstance(rule, Criterion):
        return RANK[values.get(rule.id)]
    if isinstance(rule, Not):
        return 2 - _rank(rule.operand, values)
    ranks = [_rank(item, values) for item in rule.operands]
    if isinstance(rule, And):
        return min(ranks)
    if isinstance(rule, Or):
        return max(ranks)
    if rule.n == 0:
        return 2
    return max(min(subset) for subset in itertools.combinations(ranks, rule.n))


def plain(rule: Rule, values: Mapping[str, bool]) -> bool:
    """Two-valued evaluation with Python's own operators."""
    if isinstance(rule, Criterion):
        return values[rule.id]
    if isinstance(rule, Not):
        return not plain(rule.operand, values)
    if isinstance(rule, And):
        return all(plain(item, values) for item in rule.operands)
    if isinstance(rule, Or):
        return any(plain(item, values) for item in rule.operands)
    return sum(plain(item, values) for item in rule.operands) >= rule.n


def completions(rule: Rule, values: Mapping[str, Truth]) -> list[dict[str, Truth]]:
    """Every way to replace the rule's unknown criteria by True/False."""
    unknown = sorted(c for c in criteria(rule) if values.get(c) is None)
    return [
        {**values, **dict(zip(unknown, choice, strict=True))}
        for choice in itertools.product([True, False], repeat=len(unknown))
    ]


# --- properties -----------------------------------------------------------------------------


@settings(max_examples=300)
@given(rules)
def test_render_parse_round_trip(rule: Rule) -> None:
    text = render(rule)
    assert parse_rule(text) == rule
    assert render(parse_rule(text)) == text
    spaced = text.replace("(", " (\t").replace(")", "\n) ").replace(",", " , ")
    for variant in (text.upper(), text.lower(), spaced, text.replace(", ", ",")):
        assert parse_rule(variant) == rule


@settings(max_examples=300)
@given(rules, partial_values)
def test_evaluate_matches_brute_force(rule: Rule, values: dict[str, Truth]) -> None:
    assert evaluate(rule, values) is brute_force(rule, values)


@settings(max_examples=200)
@given(rules, known_values)
def test_known_values_give_plain_boolean_logic(rule: Rule, values: dict[str, bool]) -> None:
    assert evaluate(rule, values) is plain(rule, values)


@settings(max_examples=200)
@given(rules, partial_values)
def test_determined_results_are_sound(rule: Rule, values: dict[str, Truth]) -> None:
    result = evaluate(rule, values)
    if result is not None:
        for completion in completions(rule, values):
            assert evaluate(rule, completion) is result


@settings(max_examples=200)
@given(rules, partial_values)
def test_learning_a_value_never_flips_a_result(rule: Rule, values: dict[str, Truth]) -> None:
    result = evaluate(rule, values)
    for criterion in sorted(c for c in criteria(rule) if values.get(c) is None):
        for known in (True, False):
            refined = evaluate(rule, {**values, criterion: known})
            assert result is None or refined is result


TOKENS = [
    *("C1", "c2", "C12", "C", "D1", "x", "1", "0", "3", "007", "__import__", "'os'"),
    *("and", "AND", "or", "not", "at", "least", "of", "(", ")", ",", "&&", "-", "é", "\t"),
]


def _parses_or_rejects(text: str) -> Rule | None:
    try:
        return parse_rule(text)
    except RuleSyntaxError as error:
        assert 0 <= error.position <= len(text)
        return None


@settings(max_examples=300)
@given(st.text())
def test_arbitrary_text_parses_or_raises_rule_syntax_error(text: str) -> None:
    _parses_or_rejects(text)


@settings(max_examples=500)
@given(st.lists(st.sampled_from(TOKENS), max_size=25), st.sampled_from(["", " "]))
def test_token_soup_parses_or_raises_rule_syntax_error(tokens: list[str], sep: str) -> None:
    rule = _parses_or_rejects(sep.join(tokens))
    if rule is not None:
        assert parse_rule(render(rule)) == rule
