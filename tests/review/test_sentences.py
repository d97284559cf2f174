"""A classification's rule read as a sentence (issue 13): every criterion of the rule is named,
on the right side of "but not", in the reader's language."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from childsafe.review.model.rules import And, AtLeast, Criterion, Not, Or, Rule, parse_rule
from childsafe.review.web.sentences import rule_sentence

LABELS = {f"C{n}": f"label {n}" for n in range(1, 8)}


def _english(rule: Rule) -> str | None:
    return rule_sentence(rule, LABELS, lambda message: message, "en")


def test_the_shipped_shapes_read_as_sentences() -> None:
    assert _english(parse_rule("C1 and C2 and not C5")) == (
        "Meets criterion 1 (label 1) and criterion 2 (label 2), but not criterion 5 (label 5)."
    )
    assert _english(parse_rule("not C1")) == "Does not meet criterion 1 (label 1)."
    assert _english(parse_rule("C6")) == "Meets criterion 6 (label 6)."
    assert _english(parse_rule("C1 or C2")) == (
        "Meets at least one of criterion 1 (label 1) or criterion 2 (label 2)."
    )
    assert _english(parse_rule("at least 2 of (C1, C2, C3)")) == (
        "Meets at least 2 of criterion 1 (label 1), criterion 2 (label 2), "
        "and criterion 3 (label 3)."
    )


def test_a_deeper_rule_is_left_to_its_code() -> None:
    assert _english(parse_rule("C1 and (C2 or C3)")) is None
    assert _english(parse_rule("not (C1 and C2)")) is None


def test_the_sentence_is_in_the_readers_language() -> None:
    spanish = {
        "Meets {criteria}.": "Cumple {criteria}.",
        "criterion {number} ({label})": "el criterio {number} ({label})",
    }
    sentence = rule_sentence(parse_rule("C1 and C2"), LABELS, lambda m: spanish.get(m, m), "es")
    assert sentence == "Cumple el criterio 1 (label 1) y el criterio 2 (label 2)."


_LITERAL = st.builds(Criterion, st.sampled_from(sorted(LABELS))) | st.builds(
    Not, st.builds(Criterion, st.sampled_from(sorted(LABELS)))
)


@given(st.lists(_LITERAL, min_size=2, max_size=6))
def test_every_criterion_of_a_chain_is_named_on_its_side(literals: list[Rule]) -> None:
    sentence = _english(And(tuple(literals)))
    assert sentence is not None
    met, _, unmet = sentence.partition("but not")
    for item in literals:
        if isinstance(item, Criterion):
            assert f"criterion {item.id[1:]} (" in met
        else:
            assert isinstance(item, Not) and isinstance(item.operand, Criterion)
            side = unmet if "but not" in sentence else met
            assert f"criterion {item.operand.id[1:]} (" in side


def test_alternatives_name_every_operand() -> None:
    operands = tuple(Criterion(c) for c in ("C1", "C3", "C4"))
    for rule in (Or(operands), AtLeast(2, operands)):
        sentence = _english(rule)
        assert sentence is not None
        assert all(f"criterion {n} (" in sentence for n in ("1", "3", "4"))
