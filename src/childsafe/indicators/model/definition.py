"""An indicator as reviewed data: what it counts, who publishes it, where each year comes from,
what its publisher warns, and how its files spell jurisdictions."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from childsafe.kernel.io.datafile import DataFileModel
from childsafe.kernel.languages import DEFAULT_LANGUAGE, LANGUAGES

INDICATOR_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")


class Formula(DataFileModel):
    """``numerator / denominator x per``, for the same jurisdiction and year."""

    numerator: str
    denominator: str
    per: int = Field(gt=0)


class Columns(DataFileModel):
    """The columns of the indicator's own values file; imports also accept the generic ones
    (``jurisdiction``, ``year``, ``value``, ``source``, ``note``)."""

    jurisdiction: str = "jurisdiction"
    value: str = "value"
    code: str | None = None  # a code column the compiler added: checked, never trusted


def _four_languages(value: dict[str, Any], what: str) -> dict[str, Any]:
    missing = [lang for lang in LANGUAGES if not value.get(lang)]
    if missing:
        raise ValueError(f"{what} is missing in {', '.join(missing)}")
    return value


class IndicatorDefinition(DataFileModel):
    id: str
    kind: Literal["published", "derived"]
    title: dict[str, str]
    unit: dict[str, str]
    publisher: str
    publisher_url: str | None = None
    compiled_by: str | None = None
    terms: str
    sources: dict[int, str] = {}
    caveats: dict[str, list[str]]
    integer: bool = True
    minimum: float | None = None
    values_file: str | None = None
    columns: Columns = Columns()
    aliases: dict[str, str] = {}
    non_jurisdictions: list[str] = []
    separate_rows: dict[str, str] = {}  # a second published line for a jurisdiction, by name
    formula: Formula | None = None

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        if not INDICATOR_ID.match(value):
            raise ValueError(f"indicator id {value!r}: lower-case letters, digits and hyphens")
        return value

    @field_validator("title", "unit", "caveats")
    @classmethod
    def _translated(cls, value: dict[str, Any]) -> dict[str, Any]:
        return _four_languages(value, "a text")

    @model_validator(mode="after")
    def _kind_fits(self) -> IndicatorDefinition:
        if self.kind == "derived" and self.formula is None:
            raise ValueError(f"{self.id}: a derived indicator declares its formula")
        if self.kind == "published" and self.formula is not None:
            raise ValueError(f"{self.id}: a published indicator has no formula")
        return self

    def title_in(self, lang: str) -> str:
        return self.title.get(lang) or self.title[DEFAULT_LANGUAGE]

    def unit_in(self, lang: str) -> str:
        return self.unit.get(lang) or self.unit[DEFAULT_LANGUAGE]

    def caveats_in(self, lang: str) -> list[str]:
        return self.caveats.get(lang) or self.caveats[DEFAULT_LANGUAGE]

    def source_of(self, year: int) -> str | None:
        return self.sources.get(year)

    def summary(self) -> dict[str, Any]:
        """What documents show of the definition (JSON-ready)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "title": dict(self.title),
            "unit": dict(self.unit),
            "publisher": self.publisher,
            "publisher_url": self.publisher_url,
            "compiled_by": self.compiled_by,
            "terms": self.terms,
            "sources": {str(year): text for year, text in sorted(self.sources.items())},
            "caveats": {lang: list(texts) for lang, texts in self.caveats.items()},
            "formula": None if self.formula is None else self.formula.model_dump(),
        }
