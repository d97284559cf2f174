"""goAML (UNODC) suspicious transaction and activity reports, as XML for an FIU.

Each FIU sets its own code lists (report codes, transmission modes, funds types, indicators,
countries, currencies), so they are configuration: one YAML file per FIU in
``childsafe/data/fiu`` (``uae.yaml`` ships, read from the UAE FIU's schema). Nothing here
names a country. :func:`build_report` checks every code against the FIU's lists and the
values the schema constrains, then writes the elements in the schema's order; it is pure and
deterministic (same report, same bytes), and :func:`entity_reference` gives a case the same
reference every time so that a resubmission replaces rather than duplicates.

What the goAML 5.0.2 schema (UAE variant) requires of our data, beyond the FIU's own ids:
``rentity_id``, ``submission_code``, ``report_code``, ``entity_reference``, ``submission_date``,
``currency_code_local``, at least one ``transaction`` (a transaction report such as an STR) or
an ``activity`` with at least one ``report_party`` and its ``reason`` (an activity report such
as a SAR, the FIU's ``activity_report_code``), and at least one ``indicator``; each
transaction a number, location and description (may be empty), date, ``transmode_code``,
``transmode_comment`` (exactly one character in this schema), ``amount_local``, and a source
and destination each with a funds code, an account or entity, and a country; an account needs
``institution_code`` or ``swift``, ``account`` and ``account_name``; an entity needs ``name``.
Names allow only ``A-Z a-z 0-9 space . ' -`` (:func:`goaml_name` makes a name fit).
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

import yaml
from stdnum import iban as stdnum_iban

from childsafe.kernel.errors import ChildsafeError, ConfigurationError, InvalidValue
from childsafe.kernel.paths import DATA_DIR

FIU_DIR: Final = DATA_DIR / "fiu"
_NAME: Final = re.compile(r"^[a-zA-Z0-9 .'-]*$")
_NOT_XML: Final = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_REFERENCE: Final = re.compile(r"^[A-Za-z0-9._:-]{1,255}$")
_LISTS: Final = ("submission", "report", "transmode", "funds", "account_type", "contact_type")
_LISTS_TOO: Final = ("indicator", "currency", "country")
COMMENT_MAX: Final = 8000
URL_MAX: Final = 255
AMOUNT_MAX: Final = Decimal("7900000000000000")


@dataclass(frozen=True)
class FiuConfig:
    """One FIU's code lists (``codes[list] = {code: description}``), defaults, and which of
    its transmission modes and funds types each payment kind is (``payment_codes[kind] =
    (transmode_code, funds_code)``)."""

    fiu: str
    name: str
    schema_version: str
    defaults: Mapping[str, Any]
    codes: Mapping[str, Mapping[str, str]]
    payment_codes: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def activity_report_code(self) -> str | None:
        """The report code of a report without transactions (a SAR), if the FIU has one."""
        found = self.defaults.get("activity_report_code")
        return None if found is None else str(found)

    def check(self, codes: str, value: str, where: str) -> str:
        """``value`` if the FIU's list ``codes`` has it, else ``InvalidValue`` naming ``where``."""
        if value not in self.codes[codes]:
            raise InvalidValue(
                f"{where}: {value!r} is not in the {self.fiu} FIU's {codes} codes",
                field=where,
                value=value,
            )
        return value

    @property
    def utc_offset(self) -> timezone:
        """The FIU's local time, in which goAML dates (without offsets) are written."""
        found = re.fullmatch(r"([+-])(\d\d):(\d\d)", str(self.defaults["utc_offset"]))
        if found is None:
            raise ConfigurationError(f"{self.fiu}: utc_offset must look like +04:00")
        delta = timedelta(hours=int(found.group(2)), minutes=int(found.group(3)))
        return timezone(-delta if found.group(1) == "-" else delta)


def shipped_fius() -> tuple[str, ...]:
    """The names of the FIU profiles configured in ``childsafe/data/fiu``."""
    return tuple(sorted(p.stem for p in FIU_DIR.glob("*.yaml")))


def _fiu_file(name_or_path: str | Path) -> tuple[Path, str]:
    """The profile's file and how errors name it: a configured name (never a path built from
    what a client sent, and never the server's data folder in a message) or the file given."""
    path = Path(name_or_path)
    if path.suffix in (".yaml", ".yml"):
        return path, str(path)
    known = shipped_fius()
    if str(name_or_path) not in known:
        raise InvalidValue(
            f"no FIU profile {str(name_or_path)!r}; configured: {', '.join(known)}",
            field="fiu",
            value=str(name_or_path),
            allowed=list(known),
        )
    return FIU_DIR / f"{name_or_path}.yaml", str(name_or_path)


def load_fiu(name_or_path: str | Path) -> FiuConfig:
    """An FIU's configuration: a configured name (``"uae"``) or a path to a YAML file;
    ``InvalidValue`` (422) for a name that is not configured."""
    path, shown = _fiu_file(name_or_path)
    try:
        with path.open(encoding="utf-8") as handle:
            raw = yaml.safe_load(handle)
        codes = {k: {str(c): str(d) for c, d in v.items()} for k, v in raw["codes"].items()}
        payment = {
            str(kind): (str(pair[0]), str(pair[1]))
            for kind, pair in (raw.get("payment_codes") or {}).items()
        }
        config = FiuConfig(
            str(raw["fiu"]),
            str(raw["name"]),
            str(raw["schema"]["version"]),
            raw["defaults"],
            codes,
            payment,
        )
        missing = {*_LISTS, *_LISTS_TOO} - set(codes)
        if missing:
            raise KeyError(f"code lists missing: {', '.join(sorted(missing))}")
        config.utc_offset  # noqa: B018 - a bad offset fails at load, not at export
        for indicator in config.defaults.get("indicators", []):
            config.check("indicator", indicator, "defaults.indicators")
        for kind, (mode, funds) in payment.items():
            config.check("transmode", mode, f"payment_codes.{kind}")
            config.check("funds", funds, f"payment_codes.{kind}")
        if config.activity_report_code is not None:
            config.check("report", config.activity_report_code, "defaults.activity_report_code")
    except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError, ChildsafeError) as exc:
        raise ConfigurationError(f"{shown}: not a usable FIU configuration: {exc}") from exc
    return config


# -- the report, as plain data ---------------------------------------------------------------


@dataclass(frozen=True)
class Address:
    address_type: str  # the FIU's contact_type code
    address: str
    city: str
    country_code: str
    state: str
    town: str | None = None
    zip: str | None = None


@dataclass(frozen=True)
class Person:
    first_name: str
    last_name: str
    email: str | None = None
    occupation: str | None = None


@dataclass(frozen=True)
class Entity:
    """An organisation; for a reported site, its name and URLs."""

    name: str
    urls: tuple[str, ...] = ()
    business: str | None = None
    incorporation_country_code: str | None = None
    comments: str | None = None


@dataclass(frozen=True)
class Account:
    account: str
    account_name: str
    swift: str | None = None
    institution_code: str | None = None
    institution_name: str | None = None
    iban: str | None = None
    currency_code: str | None = None
    account_type: str | None = None  # the FIU's account_type code
    comments: str | None = None


@dataclass(frozen=True)
class Party:
    """One side of a transaction: an account or an entity, with a funds code and country."""

    funds_code: str
    country: str
    account: Account | None = None
    entity: Entity | None = None
    funds_comment: str | None = None


@dataclass(frozen=True)
class Transaction:
    number: str
    date: datetime
    transmode_code: str
    amount_local: Decimal
    source: Party
    destination: Party
    description: str = ""
    location: str = ""
    internal_ref: str | None = None
    comments: str | None = None


@dataclass(frozen=True)
class ReportParty:
    """A party of an activity report (no transactions): an account or an entity, and why it
    is reported."""

    reason: str
    account: Account | None = None
    entity: Entity | None = None
    comments: str | None = None


@dataclass(frozen=True)
class GoamlReport:
    rentity_id: int
    entity_reference: str
    submission_date: datetime
    transactions: tuple[Transaction, ...] = ()
    parties: tuple[ReportParty, ...] = ()  # an activity report's, when there are no transactions
    reason: str | None = None
    action: str | None = None
    reporting_person: Person | None = None
    location: Address | None = None
    report_code: str | None = None  # the FIU's default (STR) when None
    indicators: tuple[str, ...] = field(default=())  # added to the FIU's default indicators
    rentity_branch: str | None = None


def entity_reference(case_id: str | int, *, prefix: str = "CHILDSAFE-CASE") -> str:
    """The filer's reference for a case: the same case always gets the same reference."""
    return entity_reference_checked(f"{prefix}-{case_id}")


def goaml_name(text: str) -> str:
    """``text`` made to fit goAML name fields: accents dropped, other characters spaced."""
    plain = "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )
    fitted = " ".join(re.sub(r"[^a-zA-Z0-9 .'-]", " ", plain).split())
    return fitted[:255]


# -- writing ---------------------------------------------------------------------------------


class _Writer:
    def __init__(self, config: FiuConfig) -> None:
        self.config = config

    def text(self, parent: ET.Element, tag: str, value: str | None, *, limit: int = 255) -> None:
        if value is None:
            return
        if len(value) > limit:
            raise InvalidValue(f"{tag}: longer than {limit} characters", value=value[:80])
        if _NOT_XML.search(value):
            raise InvalidValue(f"{tag}: contains characters XML cannot carry", value=value[:80])
        ET.SubElement(parent, tag).text = value

    def name(self, parent: ET.Element, tag: str, value: str) -> None:
        if not value or not _NAME.match(value):
            raise InvalidValue(
                f"{tag}: {value!r} has characters goAML names do not allow (use goaml_name)",
                value=value,
            )
        self.text(parent, tag, value)

    def date(self, parent: ET.Element, tag: str, value: datetime) -> None:
        aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value
        local = aware.astimezone(self.config.utc_offset).replace(tzinfo=None)
        self.text(parent, tag, local.isoformat(timespec="seconds"))

    def code(self, parent: ET.Element, tag: str, codes: str, value: str | None) -> None:
        if value is not None:
            self.text(parent, tag, self.config.check(codes, value, tag))

    def address(self, parent: ET.Element, tag: str, a: Address) -> None:
        node = ET.SubElement(parent, tag)
        self.code(node, "address_type", "contact_type", a.address_type)
        self.text(node, "address", _required(a.address, "address"), limit=100)
        self.text(node, "town", a.town)
        self.text(node, "city", _required(a.city, "city"))
        self.text(node, "zip", a.zip, limit=10)
        self.code(node, "country_code", "country", a.country_code)
        self.text(node, "state", _required(a.state, "state"))

    def person(self, parent: ET.Element, tag: str, p: Person) -> None:
        node = ET.SubElement(parent, tag)
        self.name(node, "first_name", p.first_name)
        self.name(node, "last_name", p.last_name)
        self.text(node, "email", p.email)
        self.text(node, "occupation", p.occupation)

    def entity(self, parent: ET.Element, tag: str, e: Entity) -> None:
        node = ET.SubElement(parent, tag)
        self.name(node, "name", e.name)
        self.text(node, "business", e.business)
        fitting = [u for u in e.urls if len(u) <= URL_MAX]
        too_long = [u for u in e.urls if len(u) > URL_MAX]
        if self.config.defaults.get("entity_url_element", "urls") == "urls" and fitting:
            urls = ET.SubElement(node, "urls")
            for url in fitting:
                self.text(urls, "url", url)
        elif fitting:
            self.text(node, "url", fitting[0])
            too_long = fitting[1:] + too_long
        self.code(node, "incorporation_country_code", "country", e.incorporation_country_code)
        extra = "\n".join(["Further URLs:", *too_long]) if too_long else None
        comments = "\n\n".join(c for c in (e.comments, extra) if c) or None
        self.text(node, "comments", comments, limit=COMMENT_MAX)

    def account(self, parent: ET.Element, tag: str, a: Account) -> None:
        node = ET.SubElement(parent, tag)
        self.text(node, "institution_name", a.institution_name)
        if a.institution_code is not None:
            self.text(node, "institution_code", a.institution_code, limit=50)
        else:
            self.text(node, "swift", _required(a.swift, "swift or institution_code"), limit=11)
        self.text(node, "account", _required(a.account, "account"))
        self.code(node, "currency_code", "currency", a.currency_code)
        self.name(node, "account_name", a.account_name)
        self.text(node, "iban", a.iban, limit=34)
        self.code(node, "personal_account_type", "account_type", a.account_type)
        self.text(node, "comments", a.comments, limit=COMMENT_MAX)

    def party(self, parent: ET.Element, side: str, p: Party) -> None:
        node = ET.SubElement(parent, f"t_{side}")
        self.code(node, f"{side}_funds_code", "funds", p.funds_code)
        self.text(node, f"{side}_funds_comment", p.funds_comment)
        if (p.account is None) == (p.entity is None):
            raise InvalidValue(f"t_{side}: give exactly one of an account or an entity")
        if p.account is not None:
            self.account(node, f"{side}_account", p.account)
        if p.entity is not None:
            self.entity(node, f"{side}_entity", p.entity)
        self.code(node, f"{side}_country", "country", p.country)

    def report_party(self, parent: ET.Element, p: ReportParty) -> None:
        node = ET.SubElement(parent, "report_party")
        if (p.account is None) == (p.entity is None):
            raise InvalidValue("report_party: give exactly one of an account or an entity")
        if p.account is not None:
            self.account(node, "account", p.account)
        if p.entity is not None:
            self.entity(node, "entity", p.entity)
        self.text(
            node, "reason", _required(p.reason, "a reason for each report party"), limit=COMMENT_MAX
        )
        self.text(node, "comments", p.comments, limit=COMMENT_MAX)

    def transaction(self, parent: ET.Element, t: Transaction) -> None:
        node = ET.SubElement(parent, "transaction")
        self.text(node, "transactionnumber", _required(t.number, "transactionnumber"), limit=100)
        self.text(node, "internal_ref_number", t.internal_ref, limit=100)
        self.text(node, "transaction_location", t.location)
        self.text(node, "transaction_description", t.description, limit=COMMENT_MAX)
        self.date(node, "date_transaction", t.date)
        self.code(node, "transmode_code", "transmode", t.transmode_code)
        self.text(node, "transmode_comment", self.config.defaults["transmode_comment"], limit=1)
        self.text(node, "amount_local", _amount(t.amount_local))
        self.party(node, "from", t.source)
        self.party(node, "to", t.destination)
        self.text(node, "comments", t.comments, limit=COMMENT_MAX)


def _required(value: str | None, what: str) -> str:
    if not value:
        raise InvalidValue(f"goAML requires {what}")
    return value


def _amount(value: Decimal) -> str:
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int) or abs(value) > AMOUNT_MAX or exponent < -13:
        raise InvalidValue(f"amount {value} is outside goAML's decimal range", value=str(value))
    return format(value, "f")


def build_report(report: GoamlReport, config: FiuConfig) -> bytes:
    """The report as goAML XML (UTF-8), every code checked against ``config``."""
    w, d = _Writer(config), config.defaults
    code = report.report_code or d["report_code"]
    activity = code == config.activity_report_code
    if activity and (report.transactions or not report.parties):
        raise InvalidValue(f"a goAML {code} (activity report) has report parties, no transactions")
    if not activity and not report.transactions:
        raise InvalidValue(f"a goAML {code} (transaction report) needs at least one transaction")
    root = ET.Element("report")
    w.text(root, "rentity_id", str(_positive(report.rentity_id)))
    w.text(root, "rentity_branch", report.rentity_branch)
    w.code(root, "submission_code", "submission", d["submission_code"])
    w.code(root, "report_code", "report", code)
    w.text(root, "entity_reference", entity_reference_checked(report.entity_reference))
    w.date(root, "submission_date", report.submission_date)
    w.code(root, "currency_code_local", "currency", d["currency_code_local"])
    if report.reporting_person is not None:
        w.person(root, "reporting_person", report.reporting_person)
    if report.location is not None:
        w.address(root, "location", report.location)
    w.text(root, "reason", report.reason, limit=COMMENT_MAX)
    w.text(root, "action", report.action, limit=COMMENT_MAX)
    for transaction in report.transactions:
        w.transaction(root, transaction)
    if activity:
        parties = ET.SubElement(ET.SubElement(root, "activity"), "report_parties")
        for party in report.parties:
            w.report_party(parties, party)
    indicators = ET.SubElement(root, "report_indicators")
    for code in dict.fromkeys([*d.get("indicators", []), *report.indicators]):
        w.code(indicators, "indicator", "indicator", code)
    ET.indent(root)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document


def _positive(number: int) -> int:
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise InvalidValue("rentity_id is the positive number the FIU gave the reporting entity")
    return number


def entity_reference_checked(reference: str) -> str:
    if not _REFERENCE.match(reference):
        raise InvalidValue(f"{reference!r} cannot be a goAML entity reference", value=reference)
    return reference


# -- the filer and the reported party's accounts ---------------------------------------------


@dataclass(frozen=True)
class Filer:
    """Who files: the id the FIU gave the reporting entity, the reporting person and the
    entity's location (a YAML file kept by the filer, see :func:`load_filer`)."""

    rentity_id: int
    reporting_person: Person | None = None
    location: Address | None = None
    rentity_branch: str | None = None


def load_filer(path: Path) -> Filer:
    """``rentity_id``, ``reporting_person: {first_name, last_name, email, occupation}``,
    ``location: {address_type, address, city, state, country_code, zip, town}``,
    ``rentity_branch``; ``ConfigurationError`` naming the file otherwise."""
    try:
        with path.open(encoding="utf-8") as handle:
            raw = yaml.safe_load(handle) or {}
        person = raw.get("reporting_person")
        location = raw.get("location")
        return Filer(
            rentity_id=_positive(raw["rentity_id"]),
            reporting_person=None if person is None else Person(**person),
            location=None if location is None else Address(**location),
            rentity_branch=raw.get("rentity_branch"),
        )
    except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError, ChildsafeError) as exc:
        raise ConfigurationError(f"{path}: not a usable goAML filer file: {exc}") from exc


def iban_institution(iban: str) -> tuple[str, str]:
    """(country, bank identifier) of a valid IBAN: the bank identifier is the first field of
    the country's BBAN structure that is longer than two characters (a one- or two-character
    first field is a national check digit), per the SWIFT IBAN registry as python-stdnum
    ships it."""
    country = iban[:2]
    structure = str(stdnum_iban._ibandb.info(iban)[0][1].get("bban", ""))
    position = 4
    for length_text, _kind in re.findall(r"(\d+)!([anc])", structure):
        length = int(length_text)
        if length > 2:
            return country, iban[position : position + length]
        position += length
    return country, iban[4:8]
