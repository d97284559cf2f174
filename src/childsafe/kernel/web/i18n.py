"""Interface languages: gettext catalogs (``childsafe/locale/*/LC_MESSAGES/messages.po``)
compiled in memory with Babel at first use, so no compiled files are committed."""

from __future__ import annotations

import gettext
import io
from dataclasses import dataclass
from functools import cache

from babel import Locale, negotiate_locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from childsafe.kernel.languages import DEFAULT_LANGUAGE, LANGUAGES
from childsafe.kernel.paths import LOCALE_DIR

LANGUAGE_COOKIE = "childsafe_lang"  # the reader's chosen language, remembered


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The catalog of ``lang``; English (the source language) and missing catalogs pass through."""
    path = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    if lang == DEFAULT_LANGUAGE or not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def mark(message: str) -> str:
    """Marks ``message`` for the catalogs where it is defined (import it as ``_``); the page
    that shows it translates it."""
    return message


@dataclass(frozen=True)
class Language:
    """What a page needs to speak one language."""

    code: str
    name: str  # in its own language, for the switcher
    direction: str  # "ltr" or "rtl"

    def gettext(self, message: str) -> str:
        return translations(self.code).gettext(message)

    def number(self, value: int | None) -> str:
        return "–" if value is None else format_decimal(value, locale=self.code)


@cache
def language(code: str) -> Language:
    locale = Locale.parse(code)
    return Language(
        code=code,
        name=(locale.get_display_name(code) or code).capitalize(),
        direction=locale.text_direction,
    )


_MAX_HEADER = 2048  # a longer header is cut, not parsed: it is a client's preference, not data


def preferred_languages(accept_language: str | None) -> list[str]:
    """The language tags of an Accept-Language header, most wanted first (RFC 9110: by
    q-value, ties in the order written; ``q=0`` means "not this one")."""
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "")[:_MAX_HEADER].split(",")):
        tag, _, parameters = part.partition(";")
        tag = tag.strip()
        quality = 1.0
        for parameter in parameters.split(";"):
            name, _, value = parameter.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and tag != "*" and 0.0 < quality <= 1.0:
            weighted.append((-quality, position, tag))
    return [tag for _, _, tag in sorted(weighted)]


def negotiate(accept_language: str | None) -> str:
    """The interface language a browser prefers most (Babel's ``negotiate_locale``, which also
    takes ``ar-EG`` for ``ar``), else English."""
    chosen = negotiate_locale(preferred_languages(accept_language), list(LANGUAGES), sep="-")
    return chosen.lower() if chosen else DEFAULT_LANGUAGE
