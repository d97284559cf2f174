"""Partners: the hotlines, law-enforcement units, FIUs, payment members and hosting providers a
report can be delivered to, each with the countries and incident types it accepts and how it is
reached (another childsafe instance, email, a signed webhook)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final
from urllib.parse import urlsplit

from childsafe.kernel.errors import InvalidValue


class PartnerKind(StrEnum):
    CHILDSAFE = "childsafe"  # another childsafe instance, over its API with a token it issued
    EMAIL = "email"  # a mailbox, over SMTP: metadata and a link only
    WEBHOOK = "webhook"  # an HTTPS endpoint, signed with HMAC-SHA256


NAME: Final = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
ENV_VAR: Final = re.compile(r"^[A-Z_][A-Z0-9_]{0,127}$")
EMAIL: Final = re.compile(r"^[^@\s<>,;]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
INCIDENT: Final = re.compile(r"^[a-z][a-z_]{0,31}$")
LOOPBACK: Final = frozenset({"localhost", "127.0.0.1", "::1"})


@dataclass(frozen=True)
class Partner:
    """A partner as configured; ``countries`` / ``incident_types`` empty means "any"."""

    name: str
    kind: PartnerKind
    target: str
    countries: tuple[str, ...] = ()
    incident_types: tuple[str, ...] = ()
    token_env: str | None = None
    organisation: str | None = None  # whose API tokens authenticate this partner's calls to us
    active: bool = True

    def accepts(self, country: str | None, incident_type: str) -> bool:
        """Whether a report of ``incident_type`` hosted in ``country`` is this partner's."""
        if not self.active:
            return False
        if self.countries and country not in self.countries:
            return False
        return not self.incident_types or incident_type in self.incident_types


def matching(partners: Iterable[Partner], country: str | None, incident_type: str) -> list[Partner]:
    """The partners that accept a report, by name (a report without a hosting country goes only
    to partners that accept any country)."""
    return sorted((p for p in partners if p.accepts(country, incident_type)), key=lambda p: p.name)


def _refused(message: str, field: str, value: str | None) -> InvalidValue:
    """A refused setting, naming the field (the web shows it there) and what was given."""
    return InvalidValue(message, field=field, value=value)


def clean_name(text: str) -> str:
    name = text.strip().lower()
    if not NAME.match(name):
        rule = "use 1-64 lower-case letters, digits, '.', '_' or '-'"
        raise _refused(f"partner name {text!r}: {rule}", "name", text)
    return name


def clean_kind(text: str) -> PartnerKind:
    try:
        return PartnerKind(text.strip().lower())
    except ValueError:
        known = ", ".join(k.value for k in PartnerKind)
        raise _refused(f"--kind {text!r}: use one of {known}", "kind", text) from None


def clean_target(kind: PartnerKind, text: str) -> str:
    """An http(s) URL for an instance or a webhook (plain http on loopback only), an address
    for email."""
    target = text.strip()
    if kind is PartnerKind.EMAIL:
        if not EMAIL.match(target):
            raise _refused(f"--target {text!r} is not an email address", "target", text)
        return target
    parts = urlsplit(target)
    secure = parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK)
    if not parts.hostname or not secure or parts.query or parts.fragment:
        rule = "give an https:// URL without query or fragment (http:// only on localhost)"
        raise _refused(f"--target {text!r}: {rule}", "target", text)
    return target.rstrip("/") if kind is PartnerKind.CHILDSAFE else target


def clean_token_env(kind: PartnerKind, text: str | None) -> str | None:
    """The environment variable holding the partner's token (an instance) or shared secret (a
    webhook): required for both, refused for email. Only its name is stored."""
    value = (text or "").strip() or None
    if kind is PartnerKind.EMAIL:
        if value is not None:
            raise _refused("--token-env is for childsafe and webhook partners", "token_env", value)
        return None
    if value is None:
        what = "token" if kind is PartnerKind.CHILDSAFE else "signing secret"
        needs = f"a {kind.value} partner needs --token-env VAR (the variable holding its {what})"
        raise _refused(needs, "token_env", None)
    if not ENV_VAR.match(value):
        rule = "an environment variable name (A-Z, 0-9, _)"
        raise _refused(f"--token-env {text!r}: {rule}", "token_env", text)
    return value


def split_list(text: str | Sequence[str] | None) -> list[str]:
    """``"NLD, BEL"`` or ``["NLD", "BEL"]`` as items, blanks dropped."""
    if text is None:
        return []
    items = text.split(",") if isinstance(text, str) else list(text)
    return [i.strip() for i in items if i.strip()]


def clean_incident_types(items: Iterable[str], known: Iterable[str]) -> tuple[str, ...]:
    allowed = set(known)
    cleaned = []
    for item in items:
        value = item.strip().lower()
        if value not in allowed:
            names = ", ".join(sorted(allowed))
            message = f"--incident-types: no incident type {item!r}; use {names}"
            raise _refused(message, "incident_types", item)
        cleaned.append(value)
    return tuple(sorted(set(cleaned)))


def clean_countries(items: Iterable[str], resolve: Callable[[str], str]) -> tuple[str, ...]:
    """ISO alpha-3 codes; ``resolve`` raises ``InvalidValue`` for a country it does not know."""
    codes = set()
    for item in items:
        try:
            codes.add(resolve(item))
        except InvalidValue as exc:
            raise _refused(f"--countries: {exc.message}", "countries", item) from None
    return tuple(sorted(codes))
