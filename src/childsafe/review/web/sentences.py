"""A classification's rule as a sentence in the reader's language (the methodology page).

The rule language (``C1 and C2 and not C5``) is exact but is code; a reader in Arabic or Russian
should read "Meets criterion 1 (…) and criterion 2 (…), but not criterion 5 (…)", its lists
joined by the locale's own CLDR pattern (through Babel). The shapes the shipped framework uses
(a chain of met and unmet criteria, ``or``, ``at least n of``) get a sentence; a rule
nested deeper than that is shown by its code alone (``None`` here).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Literal

from babel.lists import format_list

from childsafe.kernel.web.i18n import mark as _
from childsafe.review.model.rules import And, AtLeast, Criterion, Not, Or, Rule

Translate = Callable[[str], str]
ListStyle = Literal["standard", "or"]

MEETS = _("Meets {criteria}.")
MEETS_NONE_OF = _("Does not meet {criteria}.")
MEETS_BUT_NOT = _("Meets {met}, but not {unmet}.")
MEETS_ONE_OF = _("Meets at least one of {criteria}.")
MEETS_N_OF = _("Meets at least {n} of {criteria}.")
CRITERION = _("criterion {number} ({label})")


def rule_sentence(
    rule: Rule, labels: Mapping[str, str], translate: Translate, locale: str
) -> str | None:
    """The sentence for ``rule``; ``labels`` maps criterion ids to their (English) labels."""

    def named(items: Sequence[Rule], style: ListStyle) -> str:
        texts = [
            translate(CRITERION).format(
                number=item.id.removeprefix("C"), label=translate(labels.get(item.id, item.id))
            )
            for item in items
            if isinstance(item, Criterion)
        ]
        return format_list(texts, style=style, locale=locale)

    chosen = _shape(rule)
    if chosen is None:
        return None
    template, parts = chosen
    return translate(template).format(
        **{
            key: named(items, "or" if isinstance(rule, Or) else "standard")
            for key, items in parts.items()
        },
        n=rule.n if isinstance(rule, AtLeast) else 0,
    )


def _shape(rule: Rule) -> tuple[str, dict[str, list[Rule]]] | None:
    """The sentence's template and the criteria named in each of its places."""
    operands: tuple[Rule, ...] = (rule,) if isinstance(rule, Criterion | Not) else ()
    if isinstance(rule, And | Or | AtLeast):
        operands = rule.operands
    met: list[Rule] = [item for item in operands if isinstance(item, Criterion)]
    unmet: list[Rule] = [
        item.operand
        for item in operands
        if isinstance(item, Not) and isinstance(item.operand, Criterion)
    ]
    if not operands or len(met) + len(unmet) != len(operands):
        return None
    if isinstance(rule, Or | AtLeast):
        alternatives = MEETS_ONE_OF if isinstance(rule, Or) else MEETS_N_OF
        return None if unmet else (alternatives, {"criteria": met})
    if not unmet:
        return MEETS, {"criteria": met}
    if not met:
        return MEETS_NONE_OF, {"criteria": unmet}
    return MEETS_BUT_NOT, {"met": met, "unmet": unmet}
