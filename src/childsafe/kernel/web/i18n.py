"""Interface languages: gettext catalogs (``childsafe/locale/*/LC_MESSAGES/messages.po``)
compiled in memory with Babel at first use, so no compiled files are committed."""

from __future__ import annotations

import gettext
import io
from dataclasses import dataclass
from functools import cache

from babel import Locale
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


def negotiate(accept_language: str | None) -> str:
    """The first supported language of an Accept-Language header, else English."""
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE
