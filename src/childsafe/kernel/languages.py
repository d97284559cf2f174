"""The interface's languages, defined once: English, Spanish, Arabic (right to left), Russian."""

from __future__ import annotations

from typing import Final, Literal, get_args

Lang = Literal["en", "es", "ar", "ru"]  # a page address's language, checked by FastAPI
LANGUAGES: Final[tuple[str, ...]] = get_args(Lang)
DEFAULT_LANGUAGE: Final = "en"
