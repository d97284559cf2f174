"""Settings from the environment (``CHILDSAFE_*``), checked at start so a bad value fails fast.

Every setting is documented in docs/settings.md; a test fails when one is not.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs
from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from childsafe.kernel.errors import ConfigurationError

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
    database_owner_url: str | None = Field(
        default=None,
        description="PostgreSQL only: the URL of the role that owns the schema. Migrations run "
        "as it, and it grants database_url's role SELECT and INSERT only on the audit log.",
    )

    cookie_secure: bool = Field(
        default=True,
        description="Send session cookies only over HTTPS (browsers also accept them from "
        "http://127.0.0.1 and http://localhost). Set false only behind a trusted proxy on HTTP.",
    )

    smtp_url: str | None = Field(
        default=None,
        description="Outgoing mail server: smtp://[user:password@]host[:587] (STARTTLS "
        "required; add ?starttls=off only for a relay on loopback) or smtps://host[:465]. "
        "Without it nothing is mailed and links are printed instead.",
    )
    mail_from: str = Field(
        default="childsafe@localhost",
        description="The From address of the mail childsafe sends.",
    )
    public_url: str | None = Field(
        default=None,
        description="This instance's address as partners and verifiers reach it, e.g. "
        "https://hotline.example.org (links in referral and notice mail point there, and "
        "verifier links start with it; without it referral mail carries no link and "
        "verifier links start with http://127.0.0.1:8000).",
    )
    outbox_interval_seconds: float = Field(
        default=30.0,
        ge=0,
        description="How often the outbox worker that childsafe serve starts looks for due "
        "deliveries; 0 starts no worker (run childsafe outbox run from cron instead).",
    )
    outbox_lease_seconds: int = Field(
        default=300,
        ge=1,
        description="How long a worker holds a delivery it is sending; a worker that dies "
        "mid-delivery leaves it to be sent again (with the same idempotency key) after this.",
    )

    opentelemetry: bool = Field(
        default=False,
        description="Trace and measure requests with FastAPI's native OpenTelemetry support, "
        "exporting to the providers OpenTelemetry's own settings configure. Off by default: "
        "looking for providers costs every request about a fifth of its time in the app.",
    )

    verifier_link_days: int = Field(
        default=30,
        ge=1,
        le=365,
        description="How many days a verifier's link opens its jurisdiction's draft.",
    )
    reminder_days: int = Field(
        default=7,
        ge=1,
        le=90,
        description="Days after an invitation (or the last reminder) before an unanswered "
        "verifier is reminded.",
    )
    max_reminders: int = Field(
        default=2,
        ge=0,
        le=10,
        description="Reminders a verifier gets at most; the period after the last one ends "
        "with the jurisdiction marked no_response.",
    )

    @field_validator("smtp_url")
    @classmethod
    def _smtp_scheme(cls, value: str | None) -> str | None:
        if value is not None and value.split(":", 1)[0] not in ("smtp", "smtps"):
            raise ValueError(f"{value!r} is not an smtp:// or smtps:// URL")
        return value

    @field_validator("database_url", "database_owner_url")
    @classmethod
    def _known_backend(cls, value: str | None) -> str | None:
        if value is not None and value.split(":", 1)[0].split("+")[0] not in _SUPPORTED_SCHEMES:
            raise ValueError(
                f"{value!r} is not a SQLite or PostgreSQL URL "
                "(sqlite:///path/file.db or postgresql+psycopg://user@host/db)"
            )
        return value

    @model_validator(mode="after")
    def _owner_of_the_same_database(self) -> Settings:
        if self.database_owner_url is not None:
            check_owner_url(self.database_owner_url, self.database_url)
        return self

    def owner_url_for(self, url: str) -> str | None:
        """The owner URL to migrate ``url`` with, or ``None`` to migrate as ``url`` itself."""
        if self.database_owner_url is None:
            return None
        try:
            check_owner_url(self.database_owner_url, url)
        except ValueError as exc:
            raise ConfigurationError(f"CHILDSAFE_DATABASE_OWNER_URL: {exc}") from exc
        return self.database_owner_url

    def resolved_database_url(self, override: str | None = None) -> str:
        """The URL to use: ``--database`` beats the environment beats the embedded default."""
        if override:
            return Settings(
                database_url=override, data_dir=self.data_dir, database_owner_url=None
            ).resolved_database_url()
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'childsafe.sqlite3'}"


def _parsed(url: str) -> URL:
    try:
        return make_url(url)
    except ArgumentError as exc:
        raise ValueError(f"invalid database URL: {exc}") from exc


def check_owner_url(owner_url: str, app_url: str | None) -> None:
    """The owner URL names the application's own PostgreSQL database, as another role."""
    owner = _parsed(owner_url)
    if owner.get_backend_name() != "postgresql":
        raise ValueError("the owner URL is for PostgreSQL only (SQLite has no roles)")
    if app_url is None or _parsed(app_url).get_backend_name() != "postgresql":
        raise ValueError(
            "an owner URL needs a PostgreSQL CHILDSAFE_DATABASE_URL for the application"
        )
    app = _parsed(app_url)
    if (owner.host, owner.port, owner.database) != (app.host, app.port, app.database):
        raise ValueError(
            f"the owner URL is for database {owner.database!r} on {owner.host}:{owner.port}, "
            f"the application's is {app.database!r} on {app.host}:{app.port}"
        )
    if owner.username == app.username:
        raise ValueError(
            f"the owner and the application are the same role ({app.username!r}): the "
            "application must run as a role that does not own the tables"
        )


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        raise ConfigurationError(f"invalid CHILDSAFE_* setting: {exc}") from exc
