"""How pages show text the project wrote for itself in shipped data: the seed's file path and
font legend, the shipping recorder's name. The data keeps its words (its batch hash seeds the
database, so changing them would create new versions); readers see a citation as they would
write it, in their language."""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup

from childsafe.kernel.web.i18n import mark as _

# ICMEC's report title is a published title: it stays in English, marked as such.
GLOBAL_REVIEW = Markup(
    '<cite lang="en" dir="ltr">Child Pornography: Model Legislation &amp; Global Review</cite>'
)
SEED_SOURCE = (
    'ICMEC presentation (seed: shared/seed/icmec-deck.txt), slide "ASEAN: Country-Specific '
    'Findings", 8th edition'
)
SEED_NOTE = (
    "As published in the seed's table (ü = check mark, met; û = cross, not met); statute "
    "citations not yet recorded."
)
SHIPPED_ACTOR = "childsafe (shipped data)"  # review.bootstrap's recorder of shipped data

# shipped text -> (a translatable sentence, the values it names)
READER_TEXT: dict[str, tuple[str, dict[str, object]]] = {
    SEED_SOURCE: (
        _("%(publisher)s, %(title)s, 8th edition, ASEAN country-specific findings"),
        {"publisher": "ICMEC", "title": GLOBAL_REVIEW},
    ),
    SEED_NOTE: (
        _("As ICMEC published it in its table of ASEAN findings; the statutes are not yet cited."),
        {},
    ),
    SHIPPED_ACTOR: (_("shipped data"), {}),
}


def for_readers(
    text: object, sentence: Callable[..., Markup], foreign: Callable[[object], object]
) -> object:
    """``text`` as a reader should see it: a known piece of shipped text by its translated
    sentence, anything else as the content it is (marked as English by ``foreign``)."""
    if isinstance(text, str) and text in READER_TEXT:
        message, values = READER_TEXT[text]
        return sentence(message, **values)
    return foreign(text)
