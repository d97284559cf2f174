"""goAML export: the output validates against the UAE FIU's schema, codes come from config.

All data is synthetic: a made-up bank, account and customer, and example.org URLs.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
import xmlschema
import yaml

from childsafe.kernel.errors import ConfigurationError, InvalidValue
from childsafe.reports.exports.goaml import (
    FIU_DIR,
    Account,
    Address,
    Entity,
    FiuConfig,
    GoamlReport,
    Party,
    Person,
    Transaction,
    build_report,
    entity_reference,
    goaml_name,
    load_fiu,
)
from tests.reports import addresses

XSD = Path(__file__).resolve().parent.parent / "fixtures" / "goaml" / "goAMLSchema-5.0.2-uae.xsd"
JS_NAME_PATTERN = "^[a-zA-Z0-9 .'-]*$"
XS = "{http://www.w3.org/2001/XMLSchema}"


@cache
def schema(as_written: bool = False) -> xmlschema.XMLSchema11:
    """The UAE schema; by default with its JavaScript-style name anchors read as anchors."""
    text = XSD.read_text(encoding="utf-8")
    if not as_written:
        text = text.replace(f'value="{JS_NAME_PATTERN}"', 'value="[a-zA-Z0-9 .\'-]*"')
    return xmlschema.XMLSchema11(text)


def errors(data: bytes, *, as_written: bool = False) -> list[str]:
    return [f"{e.path}: {e.reason}" for e in schema(as_written).iter_errors(ET.fromstring(data))]


@pytest.fixture(scope="module")
def uae() -> FiuConfig:
    return load_fiu("uae")


CUSTOMER = Account(
    account="0001234567",
    account_name="Synthetic Customer",
    swift="EXAMAEAD",
    institution_name="Example Bank",
)
SITE = Entity(name="example.org", urls=("http://example.org/shop",))


def smallest(**changes: object) -> GoamlReport:
    """The smallest STR a bank member can file: one card payment to a reported site."""
    report = GoamlReport(
        rentity_id=1,
        entity_reference=entity_reference("0001"),
        submission_date=datetime(2024, 6, 1, 8, 0, tzinfo=UTC),
        transactions=(
            Transaction(
                number="TX-1",
                date=datetime(2024, 5, 1, 10, 0, tzinfo=UTC),
                transmode_code="CCD",
                amount_local=Decimal("110.00"),
                source=Party(funds_code="CRTCR", country="AE", account=CUSTOMER),
                destination=Party(funds_code="CRTCR", country="NL", entity=SITE),
            ),
        ),
    )
    return replace(report, **changes)  # type: ignore[arg-type]


def test_the_smallest_str_validates(uae: FiuConfig) -> None:
    data = build_report(smallest(), uae)
    assert errors(data) == []
    root = ET.fromstring(data)
    assert [child.tag for child in root] == [
        "rentity_id",
        "submission_code",
        "report_code",
        "entity_reference",
        "submission_date",
        "currency_code_local",
        "transaction",
        "report_indicators",
    ]
    assert root.findtext("report_code") == "STR"
    assert root.findtext("submission_date") == "2024-06-01T12:00:00"  # UAE time, +04:00
    assert [i.text for i in root.iter("indicator")] == ["CSAM1"]
    assert root.findtext("transaction/t_to/to_entity/urls/url") == "http://example.org/shop"


def test_against_the_schema_as_written_only_the_name_anchors_fail(uae: FiuConfig) -> None:
    """XSD reads ^ and $ literally: the FIU's JavaScript-style anchors are the only failures."""
    found = errors(build_report(smallest(), uae), as_written=True)
    assert found
    assert all(JS_NAME_PATTERN in e for e in found)
    assert {e.split(":")[0] for e in found} == {
        "/report/transaction/t_from/from_account/account_name",
        "/report/transaction/t_to/to_entity/name",
    }


def test_a_full_report_validates(uae: FiuConfig) -> None:
    long_url = "http://example.org/" + "x" * 300
    wallet = addresses.bech32_encode("bc", [0, *[i % 32 for i in range(32)]])
    site = Entity(
        name=goaml_name("Exämple Shop & Co"),
        urls=("http://example.org/shop", "https://pay.example.org/checkout", long_url),
        business="Online shop reported as a commercial child sexual abuse material site",
        incorporation_country_code="NL",
        comments="Synthetic test data.",
    )
    crypto = Transaction(
        number="TX-2",
        date=datetime(2024, 5, 2, 23, 30),  # naive: UTC
        transmode_code="DAWLT",
        amount_local=Decimal("0.0012345"),
        source=Party(
            funds_code="CRPTC",
            country="AE",
            account=replace(CUSTOMER, account=wallet, account_type="CRYWT", currency_code="AED"),
        ),
        destination=Party(funds_code="CRPTC", country="NL", entity=site, funds_comment="wallet"),
        description="Payment to the wallet shown on the site",
        location="Online",
        internal_ref="CASE-0001-2",
        comments="Synthetic.",
    )
    report = smallest(
        transactions=(*smallest().transactions, crypto),
        reporting_person=Person("Test", "Analyst", email="analyst@example.org", occupation="MLRO"),
        location=Address("BU", "1 Example Street", "Dubai", "AE", "Dubai", zip="00000"),
        reason="Card and crypto payments to a site reported to the hotline.",
        action="Accounts under review.",
        indicators=("CSAM1",),
        rentity_branch="Head office",
    )
    data = build_report(report, uae)
    assert errors(data) == []
    root = ET.fromstring(data)
    urls = [u.text for u in root.iter("url")]
    assert long_url not in urls and len(urls) == 3
    assert long_url in (root.findtext("transaction[2]/t_to/to_entity/comments") or "")
    assert [i.text for i in root.iter("indicator")] == ["CSAM1"]
    assert root.findtext("transaction[2]/amount_local") == "0.0012345"
    assert root.findtext("transaction[2]/date_transaction") == "2024-05-03T03:30:00"


def test_single_url_element_for_schemas_before_5_2(uae: FiuConfig) -> None:
    config = replace(uae, defaults={**uae.defaults, "entity_url_element": "url"})
    site = replace(SITE, urls=("http://example.org/a", "http://example.org/b"))
    transaction = replace(smallest().transactions[0], destination=Party("CRTCR", "NL", entity=site))
    data = build_report(smallest(transactions=(transaction,)), config)
    assert errors(data) == []
    entity = ET.fromstring(data).find("transaction/t_to/to_entity")
    assert entity is not None and entity.findtext("url") == "http://example.org/a"
    assert "http://example.org/b" in (entity.findtext("comments") or "")


def test_the_same_case_gives_the_same_reference_and_bytes(uae: FiuConfig) -> None:
    assert entity_reference("0001") == entity_reference("0001") == "CHILDSAFE-CASE-0001"
    assert entity_reference(7, prefix="BANK-X") == "BANK-X-7"
    assert build_report(smallest(), uae) == build_report(smallest(), uae)
    with pytest.raises(InvalidValue, match="entity reference"):
        entity_reference("case one")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"report_code": "XYZ"}, "not in the uae FIU's report codes"),
        ({"indicators": ("NOPE1",)}, "not in the uae FIU's indicator codes"),
        ({"transactions": ()}, "at least one transaction"),
        ({"rentity_id": 0}, "rentity_id"),
        ({"entity_reference": ""}, "entity reference"),
    ],
)
def test_report_problems_are_refused(
    uae: FiuConfig, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidValue, match=message):
        build_report(smallest(**changes), uae)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (Party("CRTCR", "AE", account=replace(CUSTOMER, swift=None)), "swift or institution_code"),
        (Party("CRTCR", "AE", account=replace(CUSTOMER, account_name="Ünï & Co")), "goaml_name"),
        (Party("CRTCR", "AE"), "exactly one of an account or an entity"),
        (Party("CRTCR", "AE", account=CUSTOMER, entity=SITE), "exactly one"),
        (Party("XX", "AE", account=CUSTOMER), "funds codes"),
        (Party("CRTCR", "ZZ", account=CUSTOMER), "country codes"),
    ],
)
def test_party_problems_are_refused(uae: FiuConfig, source: Party, message: str) -> None:
    transaction = replace(smallest().transactions[0], source=source)
    with pytest.raises(InvalidValue, match=message):
        build_report(smallest(transactions=(transaction,)), uae)


def test_amounts_outside_the_schema_range(uae: FiuConfig) -> None:
    for amount in (Decimal("1E+16"), Decimal("0.00000000000001"), Decimal("NaN")):
        transaction = replace(smallest().transactions[0], amount_local=amount)
        with pytest.raises(InvalidValue, match="decimal range"):
            build_report(smallest(transactions=(transaction,)), uae)


def test_goaml_name() -> None:
    assert goaml_name("Exämple Shop & Co") == "Example Shop Co"
    assert goaml_name("ex_ample.org") == "ex ample.org"


# -- configuration ---------------------------------------------------------------------------


def enumerations(type_name: str) -> set[str]:
    root = ET.parse(XSD).getroot()
    for simple in root.iter(f"{XS}simpleType"):
        if simple.get("name") == type_name:
            return {str(e.get("value")) for e in simple.iter(f"{XS}enumeration")}
    raise AssertionError(type_name)


def test_uae_code_lists_equal_the_schema_enumerations() -> None:
    raw = yaml.safe_load((FIU_DIR / "uae.yaml").read_text(encoding="utf-8"))
    for name, type_name in raw["schema"]["schema_types"].items():
        assert set(raw["codes"][name]) == enumerations(type_name), name
    assert "Child Sexual Abuse Material" in raw["codes"]["indicator"]["CSAM1"]
    assert raw["defaults"]["indicators"] == ["CSAM1"]
    assert "Vyttah/goAML" in raw["schema"]["source"]


def test_bad_configurations_fail_at_load(tmp_path: Path) -> None:
    path = tmp_path / "other.yaml"
    path.write_text("fiu: other\nname: x\nschema: {version: '1'}\ndefaults: {}\ncodes: {}\n")
    with pytest.raises(ConfigurationError, match="code lists missing"):
        load_fiu(path)
    with pytest.raises(InvalidValue, match="no FIU profile 'no-such-fiu'; configured: uae"):
        load_fiu("no-such-fiu")  # a name from a request: 422, and no path of the server's
