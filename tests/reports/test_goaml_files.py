"""goAML files that file: an STR paid to the site's bank account carries it as a structured
``t_account``, a SAR (the FIU's activity report) carries the site and its accounts without
transactions, and the filer's reporting person and location; each validates against the UAE
FIU's schema read as the FIU means it, and against the schema as published fails only on the
documented name patterns (docs/data.md). Synthetic data: example.org sites, made-up IBANs."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import pytest

from childsafe.kernel.errors import ConfigurationError, InvalidValue
from childsafe.reports.exports import goaml
from childsafe.reports.service.core import ReportsService
from tests.reports.helpers import (
    ANALYST,
    COORDINATOR,
    OPERATOR,
    iban,
    paid_purchase,
    record,
    site_of,
    submit,
)
from tests.reports.test_goaml import JS_NAME_PATTERN, errors

ACCOUNT = iban("GB", "EXMP12345678901234")
FILER = goaml.Filer(
    rentity_id=7,
    reporting_person=goaml.Person("Test", "Analyst", email="mlro@example.org"),
    location=goaml.Address("BU", "1 Example Street", "Dubai", "AE", "Dubai"),
)


def _site(reports: ReportsService) -> int:
    payment = [
        {"kind": "bank", "brand": "Example Bank", "identifier": ACCOUNT},
        {"kind": "card", "brand": "Visa", "identifier": "EXAMPLE*SHOP"},
    ]
    report = submit(
        reports, record("https://example.org/vip", payment=payment, hosting_country="NLD")
    )
    reports.assess(ANALYST, report["id"], assessment="baseline", commercial=True)
    return site_of(reports, "example.org")


def _as_published(data: bytes) -> set[str]:
    """The paths of the errors the schema as published gives (all must be name patterns)."""
    found = errors(data, as_written=True)
    assert all(JS_NAME_PATTERN in e for e in found), found
    return {e.split(":")[0] for e in found}


def test_a_sar_without_transactions_validates(reports: ReportsService) -> None:
    site_id = _site(reports)
    data = reports.export_goaml(COORDINATOR, site_id, report_code="SAR", filer=FILER)
    assert errors(data) == []
    root = ET.fromstring(data)
    assert root.findtext("report_code") == "SAR"
    assert root.find("transaction") is None
    parties = root.findall("activity/report_parties/report_party")
    assert [p[0].tag for p in parties] == ["entity", "account"]
    account = parties[1].find("account")
    assert account is not None
    assert (account.findtext("iban"), account.findtext("institution_code")) == (ACCOUNT, "EXMP")
    assert account.findtext("institution_name") == "Example Bank"
    assert root.findtext("reporting_person/email") == "mlro@example.org"
    assert root.findtext("location/city") == "Dubai"
    assert _as_published(data) == {
        "/report/reporting_person/first_name",
        "/report/reporting_person/last_name",
        "/report/activity/report_parties/report_party[1]/entity/name",
        "/report/activity/report_parties/report_party[2]/account/account_name",
    }


def test_an_str_paid_to_the_sites_account_names_it(reports: ReportsService) -> None:
    site_id = _site(reports)
    channel = next(c for c in reports.site(OPERATOR, site_id)["channels"] if c["kind"] == "bank")
    paid_purchase(reports, site_id, "100", "AED", channel_id=channel["id"], issuing_country="ARE")
    data = reports.export_goaml(COORDINATOR, site_id, filer=FILER)
    assert errors(data) == []
    root = ET.fromstring(data)
    assert root.findtext("report_code") == "STR"
    assert root.findtext("transaction/t_to/to_account/iban") == ACCOUNT
    assert root.findtext("transaction/t_to/to_country") == "GB"
    assert "/report/transaction/t_to/to_account/account_name" in _as_published(data)
    with pytest.raises(InvalidValue, match="rentity_id"):
        reports.export_goaml(COORDINATOR, site_id)
    with pytest.raises(InvalidValue, match="report codes"):
        reports.export_goaml(COORDINATOR, site_id, filer=FILER, report_code="NOPE")


def test_report_kinds_are_not_mixed(uae: goaml.FiuConfig) -> None:
    party = goaml.ReportParty("reported site", entity=goaml.Entity("example.org"))
    base = goaml.GoamlReport(7, "CHILDSAFE-CASE-1", datetime(2026, 1, 1, tzinfo=UTC))
    with pytest.raises(InvalidValue, match="needs at least one transaction"):
        goaml.build_report(goaml.GoamlReport(**{**base.__dict__, "parties": (party,)}), uae)
    with pytest.raises(InvalidValue, match="report parties"):
        goaml.build_report(goaml.GoamlReport(**{**base.__dict__, "report_code": "SAR"}), uae)


@pytest.fixture(scope="module")
def uae() -> goaml.FiuConfig:
    return goaml.load_fiu("uae")


def test_the_filer_file(tmp_path: Path) -> None:
    path = tmp_path / "filer.yaml"
    path.write_text(
        "rentity_id: 7\n"
        "reporting_person: {first_name: Test, last_name: Analyst, email: mlro@example.org}\n"
        "location: {address_type: BU, address: 1 Example Street, city: Dubai,"
        " state: Dubai, country_code: AE}\n",
        encoding="utf-8",
    )
    assert goaml.load_filer(path) == FILER
    path.write_text("reporting_person: {}\n", encoding="utf-8")
    with pytest.raises(ConfigurationError, match=r"filer\.yaml"):
        goaml.load_filer(path)


@pytest.mark.parametrize(
    ("number", "bank"),
    [
        (iban("GB", "EXMP12345678901234"), "EXMP"),
        (iban("DE", "370400440532013000"), "37040044"),
        (iban("IT", "X0542811101000000123456"), "05428"),  # the CIN check letter is skipped
    ],
)
def test_the_bank_identifier_of_an_iban(number: str, bank: str) -> None:
    assert goaml.iban_institution(number) == (number[:2], bank)
