"""Reporting's reviewed configuration: who operates a payment brand, and where reports are
referred by hosting country (``data/payment_operators.yaml``, ``data/referral_contacts.yaml``).

Both are read and checked at start: a bad file is a ``FrameworkError`` naming it, not a wrong
alert later. Contacts are shipped empty (none is invented); a referral to a country without
one records "no contact configured".
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from childsafe.kernel.errors import ChildsafeError, FrameworkError
from childsafe.kernel.jurisdictions import JurisdictionRegistry
from childsafe.reports.model.cases import ContactKind
from childsafe.review.model.framework import DATA_DIR

OPERATORS_FILE: Final = DATA_DIR / "payment_operators.yaml"
CONTACTS_FILE: Final = DATA_DIR / "referral_contacts.yaml"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReferralContact(_Model):
    kind: ContactKind
    name: str = Field(min_length=1, max_length=200)
    channel: str = Field(min_length=1, max_length=2000)
    source: str = Field(min_length=1, max_length=2000)
    note: str = ""


class _OperatorsFile(_Model):
    operators: dict[str, str]


class _ContactsFile(_Model):
    contacts: dict[str, list[ReferralContact]] = Field(default_factory=dict)


def _read(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except (OSError, yaml.YAMLError) as exc:
        raise FrameworkError(f"{path}: cannot read: {exc}") from exc


def brand_key(brand: str) -> str:
    """How brands are matched: case-folded, runs of whitespace made one space."""
    return " ".join(brand.split()).casefold()


def load_operators(path: Path = OPERATORS_FILE) -> dict[str, str]:
    """Brand (as :func:`brand_key`) -> organisation id."""
    try:
        parsed = _OperatorsFile.model_validate(_read(path))
    except ValidationError as exc:
        raise FrameworkError(f"{path}: {exc}") from exc
    return {brand_key(brand): org for brand, org in parsed.operators.items()}


def check_operators(operators: Mapping[str, str], organisations: Collection[str]) -> None:
    """Every operator must be an organisation of the directory."""
    unknown = sorted({o for o in operators.values() if o not in organisations})
    if unknown:
        raise FrameworkError(
            f"{OPERATORS_FILE.name}: no organisation {', '.join(unknown)} in the directory",
            unknown=unknown,
        )


def load_contacts(
    registry: JurisdictionRegistry, path: Path = CONTACTS_FILE
) -> dict[str, tuple[ReferralContact, ...]]:
    """Hosting country (ISO alpha-3) -> its contacts, first one first."""
    try:
        parsed = _ContactsFile.model_validate(_read(path) or {})
    except ValidationError as exc:
        raise FrameworkError(f"{path}: {exc}") from exc
    found: dict[str, tuple[ReferralContact, ...]] = {}
    for code, contacts in parsed.contacts.items():
        try:
            country = registry.resolve(code).code
        except ChildsafeError:
            raise FrameworkError(f"{path}: {code!r} is not a country code") from None
        if country != code:
            raise FrameworkError(f"{path}: write {code!r} as its alpha-3 code {country}")
        found[country] = tuple(contacts)
    return found


@dataclass(frozen=True)
class ReportsConfig:
    operators: Mapping[str, str]
    contacts: Mapping[str, tuple[ReferralContact, ...]]

    def operator_of(self, brand: str | None) -> str | None:
        return None if brand is None else self.operators.get(brand_key(brand))


@cache
def _shipped_operators() -> dict[str, str]:
    return load_operators()


def default_config(registry: JurisdictionRegistry) -> ReportsConfig:
    """The shipped files (the operators file is read once per process)."""
    return ReportsConfig(_shipped_operators(), load_contacts(registry))
