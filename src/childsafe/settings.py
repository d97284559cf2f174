"""Settings from the environment (``CHILDSAFE_*``), checked at start so a bad value fails fast.

Every setting is documented in docs/settings.md; a test fails when one is not.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs
from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from childsafe.errors import ConfigurationError

_SUPPORTED_SCHEMES = ("sqlite", "postgresql")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CHILDSAFE_", extra="ignore")

    data_dir: Path = Field(
        default_factory=lambda: Path(platformdirs.user_data_dir("childsafe", appauthor=False)),
        description="Folder of the embedded SQLite database (created on first use).",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; default: SQLite in data_dir. PostgreSQL: "
        "postgresql+psycopg://user@host:5432/dbname",
    )

    cookie_secure: bool = Field(
        default=True,
        description="Send session cookies only over HTTPS (browsers also accept them from "
        "http://127.0.0.1 and http://localhost). Set false only behind a trusted proxy on HTTP.",
    )

    @field_validator("database_url")
    @classmethod
    def _known_backend(cls, value: str | None) -> str | None:
        if value is not None and value.split(":", 1)[0].split("+")[0] not in _SUPPORTED_SCHEMES:
            raise ValueError(
                f"{value!r} is not a SQLite or PostgreSQL URL "
                "(sqlite:///path/file.db or postgresql+psycopg://user@host/db)"
            )
        return value

    def resolved_database_url(self, override: str | None = None) -> str:
        """The URL to use: ``--database`` beats the environment beats the embedded default."""
        if override:
            return Settings(database_url=override, data_dir=self.data_dir).resolved_database_url()
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'childsafe.sqlite3'}"


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        raise ConfigurationError(f"invalid CHILDSAFE_* setting: {exc}") from exc
