"""The jurisdictions the review covers: ISO 3166 countries (pycountry), a few that ISO does not
code (Kosovo) and withdrawn ISO codes earlier editions need (Netherlands Antilles, Serbia and
Montenegro), with their names in English, Spanish, Arabic and Russian.

Everything is read from installed packages and the reviewed YAML files in
``childsafe/data/jurisdictions``; a name that would mean two jurisdictions fails at load.
"""

from __future__ import annotations

import difflib
import gettext
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Final, Literal

import pycountry
from babel import Locale
from pydantic import Field

from childsafe.kernel.errors import FrameworkError, InvalidValue, NotFound
from childsafe.kernel.io.datafile import DataFileModel, load_data_file
from childsafe.kernel.languages import LANGUAGES
from childsafe.kernel.paths import DATA_DIR as PACKAGE_DATA

DATA_DIR: Final = PACKAGE_DATA / "jurisdictions"
TextDirection = Literal["ltr", "rtl"]

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "–": " ", "—": " ", "-": " "})


@dataclass(frozen=True, slots=True)
class Jurisdiction:
    """One reviewed jurisdiction. ``code`` is ISO 3166-1 alpha-3, or an agreed code (``XKX``)."""

    code: str
    alpha2: str
    numeric: str | None
    name: str  # English short name as commonly used
    iso: bool  # has (or had) an ISO 3166-1 code
    withdrawn: date | None = None  # when ISO withdrew the code (a dissolved jurisdiction)


def normalise(text: str) -> str:
    """The key names are compared by: case, accents, apostrophes, hyphens, '&', a leading
    'the', dots and runs of whitespace do not matter ("the Gambia" = "Gambia")."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = plain.replace("&", " and ").replace(".", "").casefold().split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


class _Extra(DataFileModel):
    code: str
    alpha2: str
    numeric: str | None = None
    name: str
    iso: bool = False
    names: dict[str, str]
    aliases: list[str] = Field(default_factory=list)
    source: str
    note: str | None = None


class _Historic(DataFileModel):
    code: str
    reason: str
    aliases: list[str] = Field(default_factory=list)


class _ExtraFile(DataFileModel):
    source: str
    retrieved: str
    note: str
    jurisdictions: list[_Extra]
    historic: list[_Historic] = Field(default_factory=list)


class _AliasFile(DataFileModel):
    source: str
    retrieved: str
    note: str
    display_names: dict[str, str] = Field(default_factory=dict)
    aliases: dict[str, str]


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(lang)


@cache
def _translations(domain: str, lang: str) -> gettext.NullTranslations:
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[lang], fallback=True)


class JurisdictionRegistry:
    """Look-ups by code or by name; build one with :meth:`load` or use :func:`default_registry`."""

    def __init__(
        self,
        jurisdictions: Iterable[Jurisdiction],
        names: Mapping[str, Iterable[str]],
        translated: Mapping[str, Mapping[str, str]] | None = None,
        iso_names: Mapping[str, tuple[str, str]] | None = None,
    ) -> None:
        """``names``: code -> every name that resolves to it; ``translated``: code -> lang ->
        name (overrides CLDR); ``iso_names``: code -> (pycountry gettext domain, ISO name)."""
        self._by_code: dict[str, Jurisdiction] = {}
        self._by_alpha2: dict[str, Jurisdiction] = {}
        self._by_numeric: dict[str, Jurisdiction] = {}
        for item in jurisdictions:
            self._add_codes(item)
        self._by_name: dict[str, str] = {}
        self._label: dict[str, str] = {}
        for item in self._by_code.values():
            for text in [item.name, *names.get(item.code, ())]:
                self._add_name(text, item.code)
        self._translated = {code: dict(by_lang) for code, by_lang in (translated or {}).items()}
        self._iso_names = dict(iso_names or {})

    def _add_codes(self, item: Jurisdiction) -> None:
        if item.code in self._by_code or item.alpha2 in self._by_alpha2:
            raise FrameworkError(f"jurisdiction code {item.code}/{item.alpha2} defined twice")
        self._by_code[item.code] = item
        self._by_alpha2[item.alpha2] = item
        if item.numeric and item.withdrawn is None:
            self._by_numeric[item.numeric] = item

    def _add_name(self, text: str, code: str) -> None:
        key = normalise(text)
        if not key:
            raise FrameworkError(f"empty name for jurisdiction {code}")
        owner = self._by_name.get(key)
        if owner is not None and owner != code:
            raise FrameworkError(
                f"name {text!r} would mean both {owner} and {code}", name=text, codes=[owner, code]
            )
        coded = self._by_code.get(key.upper()) or self._by_alpha2.get(key.upper())
        if len(key) <= 3 and coded is not None and coded.code != code:
            raise FrameworkError(f"name {text!r} of {code} is the code of {coded.code}", name=text)
        self._by_name[key] = code
        self._label.setdefault(key, text)

    @classmethod
    def load(cls, data_dir: Path = DATA_DIR) -> JurisdictionRegistry:
        """pycountry's countries, plus ``extra.yaml`` and ``aliases.yaml`` from ``data_dir``."""
        extra_path, alias_path = data_dir / "extra.yaml", data_dir / "aliases.yaml"
        extra = load_data_file(extra_path, _ExtraFile, "jurisdiction data")
        alias_file = load_data_file(alias_path, _AliasFile, "jurisdiction data")
        items, names, iso_names = _iso_jurisdictions(alias_file.display_names)
        translated: dict[str, dict[str, str]] = {}
        for historic in extra.historic:
            item, domain_name = _historic(historic, alias_file.display_names, extra_path)
            items.append(item)
            names[item.code] = [domain_name[1], *historic.aliases]
            iso_names[item.code] = domain_name
        for entry in extra.jurisdictions:
            items.append(
                Jurisdiction(entry.code, entry.alpha2, entry.numeric, entry.name, entry.iso)
            )
            names[entry.code] = [entry.names.get("en", entry.name), *entry.aliases]
            translated[entry.code] = dict(entry.names)
        known = {item.code for item in items}
        for alias, code in alias_file.aliases.items():
            if code not in known:
                raise FrameworkError(f"{alias_path}: alias {alias!r} names unknown code {code!r}")
            names.setdefault(code, []).append(alias)
        try:
            return cls(items, names, translated, iso_names)
        except FrameworkError as exc:
            raise FrameworkError(f"{data_dir}: {exc.message}", **exc.details) from exc

    # -- look-ups -------------------------------------------------------------------------------

    def get(self, code: str) -> Jurisdiction:
        """The jurisdiction with this alpha-3 code (any case)."""
        found = self._by_code.get(code.strip().upper())
        if found is None:
            raise NotFound(f"no jurisdiction with code {code!r}", code=code)
        return found

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code.strip().upper() in self._by_code

    def resolve(self, text: str) -> Jurisdiction:
        """Alpha-3, alpha-2, numeric code or an English name (ISO, CLDR, common or alias)."""
        wanted = text.strip()
        upper = wanted.upper()
        found = (
            (self._by_code.get(upper) if len(upper) == 3 else None)
            or (self._by_alpha2.get(upper) if len(upper) == 2 else None)
            or (self._by_numeric.get(upper) if upper.isdigit() else None)
        )
        if found is not None:
            return found
        code = self._by_name.get(normalise(wanted))
        if code is not None:
            return self._by_code[code]
        raise NotFound(self._not_found_message(text), text=text, suggestions=self.suggest(text))

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        """Close matches for an unknown name, as ``"Thailand (THA)"``."""
        close = difflib.get_close_matches(normalise(text), self._by_name, n=limit, cutoff=0.6)
        return [f"{self._label[key]} ({self._by_name[key]})" for key in close]

    def _not_found_message(self, text: str) -> str:
        suggestions = self.suggest(text)
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        return f"no jurisdiction matches {text!r}{hint}"

    def names_by_code(self) -> dict[str, list[str]]:
        """Every name that resolves to each code, as first written (ISO, CLDR English, common
        names and aliases), for search."""
        found: dict[str, list[str]] = {}
        for key, code in self._by_name.items():
            found.setdefault(code, []).append(self._label[key])
        return found

    def all(self) -> list[Jurisdiction]:
        """Every jurisdiction, sorted by code."""
        return [self._by_code[code] for code in sorted(self._by_code)]

    def __len__(self) -> int:
        return len(self._by_code)

    # -- names ----------------------------------------------------------------------------------

    def name(self, code: str, lang: str = "en") -> str:
        """The jurisdiction's name in ``lang`` (one of :data:`LANGUAGES`).

        English is :attr:`Jurisdiction.name`; other languages use the names of ``extra.yaml``
        for the jurisdictions it defines, else Babel's CLDR territory names, else pycountry's
        translation of the ISO name, else the English name.
        """
        item = self.get(code)
        lang = _check_language(lang)
        if lang == "en":
            return item.name
        own = self._translated.get(item.code, {}).get(lang)
        if own:
            return own
        cldr = _locale(lang).territories.get(item.alpha2)
        if cldr:
            return str(cldr)
        if item.code in self._iso_names:
            domain, iso_name = self._iso_names[item.code]
            return _translations(domain, lang).gettext(iso_name)
        return item.name

    def text_direction(self, lang: str) -> TextDirection:
        return text_direction(lang)


def _check_language(lang: str) -> str:
    wanted = lang.strip().lower()
    if wanted not in LANGUAGES:
        raise InvalidValue(
            f"unsupported language {lang!r}; use one of {', '.join(LANGUAGES)}", lang=lang
        )
    return wanted


def text_direction(lang: str) -> TextDirection:
    """``"rtl"`` for Arabic, ``"ltr"`` for the others (from CLDR via Babel)."""
    return "rtl" if _locale(_check_language(lang)).text_direction == "rtl" else "ltr"


def _iso_jurisdictions(
    display_names: Mapping[str, str],
) -> tuple[list[Jurisdiction], dict[str, list[str]], dict[str, tuple[str, str]]]:
    english = _locale("en").territories
    items: list[Jurisdiction] = []
    names: dict[str, list[str]] = {}
    iso_names: dict[str, tuple[str, str]] = {}
    for country in pycountry.countries:
        code, alpha2 = str(country.alpha_3), str(country.alpha_2)
        common = getattr(country, "common_name", None)
        official = getattr(country, "official_name", None)
        shown = display_names.get(code) or common or str(country.name)
        items.append(Jurisdiction(code, alpha2, str(country.numeric), shown, True))
        texts = [str(country.name), *(str(t) for t in (common, official) if t)]
        if alpha2 in english:
            texts.append(str(english[alpha2]))
        names[code] = texts
        iso_names[code] = ("iso3166-1", str(country.name))
    return items, names, iso_names


def _historic(
    entry: _Historic, display_names: Mapping[str, str], path: Path
) -> tuple[Jurisdiction, tuple[str, str]]:
    country = pycountry.historic_countries.get(alpha_3=entry.code)
    if country is None:
        raise FrameworkError(f"{path}: {entry.code} is not a withdrawn ISO 3166-1 code")
    name = str(country.name)
    withdrawn = date.fromisoformat(str(country.withdrawal_date))
    item = Jurisdiction(
        entry.code,
        str(country.alpha_2),
        str(country.numeric),
        display_names.get(entry.code, name),
        True,
        withdrawn,
    )
    return item, ("iso3166-3", name)


@cache
def default_registry() -> JurisdictionRegistry:
    """The shipped registry, built once per process."""
    return JurisdictionRegistry.load()
