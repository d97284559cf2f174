"""The report forms' fields (the public form and the analyst's assessment): a hosting country
picked by name in the page's language, a payment channel entered field by field, and the
pipeline's refusals turned into a translated message next to the field they concern.

The pipeline's own messages are written for import files (file, line, column); a person filling
in a form gets one sentence per field in their language instead.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from typing import Any, Final

from childsafe.kernel.errors import ChildsafeError, ImportRejected, NotFound
from childsafe.kernel.jurisdictions import default_registry, normalise
from childsafe.kernel.web.i18n import mark as _
from childsafe.reports.model.records import PaymentKind

# The public form's fields, in the order the form shows them.
REPORT_FIELDS: Final = (
    "url",
    "incident_type",
    "observed_at",
    "payment_kind",
    "payment_brand",
    "payment_identifier",
    "price_amount",
    "price_currency",
    "hosting_country",
    "notes",
)
FORM: Final = "form"  # a problem that belongs to no one field

FIELD_MESSAGES: Final[Mapping[str, str]] = {
    "url": _("Give the full address of the page, starting with http:// or https://."),
    "incident_type": _("Choose what it is."),
    "observed_at": _("Give a date and time that is not in the future."),
    "payment_kind": _("Choose the kind of payment."),
    "payment_brand": _("Give the brand in at most 200 characters, never a card number."),
    "payment_identifier": _(
        "Give a brand or an identifier (a wallet needs its address); never a full card number."
    ),
    "price_amount": _("Give the price as a number, such as 29.99, with its currency."),
    "price_currency": _("Give the currency as a three-letter code, such as USD or EUR."),
    "hosting_country": _("Choose a country from the list, or leave it empty."),
    "notes": _("Notes have at most 4000 characters and never a card number or image data."),
    FORM: _("The report could not be accepted. Check the fields and send it again."),
}

# The analyst's form: the assessment and its commercial flag are chosen from lists, so only
# the note can be refused; a referral needs an illegal assessment and a hosting country.
ASSESSMENT_NOTE: Final = _("A note has at most 4000 characters and no control characters.")
REFERRAL_NEEDS: Final = _(
    "The assessment is saved, but a referral needs an illegal assessment and a hosting country."
)

# Where the pipeline's columns (``payment[0].brand``) land on the form.
_COLUMN_FIELDS: Final = {
    "payment[0].kind": "payment_kind",
    "payment[0].brand": "payment_brand",
    "payment[0].identifier": "payment_identifier",
    "payment[0]": "payment_identifier",
    "payment": "payment_kind",
    "price.amount": "price_amount",
    "price.currency": "price_currency",
    "price": "price_amount",
}


def field_of(column: str) -> str:
    """The form field an import column names (``FORM`` when none does)."""
    if column in _COLUMN_FIELDS:
        return _COLUMN_FIELDS[column]
    return column if column in REPORT_FIELDS else FORM


def field_errors(error: ChildsafeError) -> dict[str, str]:
    """The message (an untranslated msgid) for every field the refusal concerns."""
    if not isinstance(error, ImportRejected):
        return {FORM: FIELD_MESSAGES[FORM]}
    fields = {field_of(str(p.details.get("column", ""))) for p in error.problems}
    return {field: FIELD_MESSAGES[field] for field in sorted(fields)}


@cache
def country_choices(lang: str) -> tuple[tuple[str, str], ...]:
    """(alpha-3, name in ``lang``) of every current jurisdiction, by name."""
    registry = default_registry()
    named = [(j.code, registry.name(j.code, lang)) for j in registry.all() if j.withdrawn is None]
    return tuple(sorted(named, key=lambda pair: normalise(pair[1])))


@cache
def _names(lang: str) -> dict[str, str]:
    return {normalise(name): code for code, name in country_choices(lang)}


def country_code(text: str, lang: str) -> str | None:
    """The alpha-3 of a code, an English name or a name in ``lang``; None when none matches."""
    wanted = text.strip()
    try:
        found = default_registry().resolve(wanted)
    except NotFound:
        return _names(lang).get(normalise(wanted))
    return found.code if found.withdrawn is None else None


def record_json(fields: Mapping[str, str], hosting_country: str | None) -> bytes:
    """The public form's fields as the one report record format (one validator judges both);
    ``hosting_country`` is already resolved to its code."""
    entered = {name: fields.get(name, "").strip() for name in REPORT_FIELDS}
    record: dict[str, Any] = {
        "url": entered["url"],
        "incident_type": entered["incident_type"],
        "reporter_type": "public",
    }
    if entered["observed_at"]:
        record["observed_at"] = entered["observed_at"]
    payment = [entered[f"payment_{part}"] for part in ("kind", "brand", "identifier")]
    if any(payment):
        kind, brand, identifier = payment
        record["payment"] = [
            {"kind": kind, "brand": brand or None, "identifier": identifier or None}
        ]
    if entered["price_amount"] or entered["price_currency"]:
        record["price"] = {"amount": entered["price_amount"], "currency": entered["price_currency"]}
    if hosting_country:
        record["hosting_country"] = hosting_country
    if entered["notes"]:
        record["notes"] = entered["notes"]
    return json.dumps(record).encode()


PAYMENT_KINDS: Final = tuple(kind.value for kind in PaymentKind)
