"""Known-site lists both ways on a real database (SQLite and PostgreSQL): imported all or
nothing, matched against reports, verdicts given and exported. Synthetic data: every URL is
an example.com/.org/.net address and the list names are made up."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine

from childsafe.kernel.errors import Conflict, Forbidden, ImportRejected, InvalidValue
from childsafe.reports.lists import model
from childsafe.reports.model.urls import canonical_url
from childsafe.reports.service.core import ReportsService
from tests.accounts.helpers import FakeClock
from tests.reports.helpers import (
    ANALYST,
    OPERATOR,
    VISA,
    audit_actions,
    record,
    submit,
)

SIGNALS = (
    "# synthetic test list\n"
    "url http://known.example.com/shop?id=7\n"
    "url_md5 " + "0" * 32 + "\n"
    "sha256 " + "a" * 64 + "\n"
    "-url http://gone.example.org/\n"
)


def _file(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_listed_url_reported_again_is_known(
    reports: ReportsService, engine: Engine, tmp_path: Path
) -> None:
    found = reports.lists.import_file(
        _file(tmp_path, "partner.txt", SIGNALS), "threatexchange", "Partner Hotline", OPERATOR
    )
    assert (found["entries"], found["added"], found["removed"]) == (3, 2, 1)
    assert found["skipped_file_hashes"] == 1
    for spelling in (
        "https://www.known.example.com/shop?id=7&utm_source=mail",
        "HTTP://KNOWN.EXAMPLE.COM/shop?id=7#top",
    ):
        report = submit(reports, record(spelling))
        known = reports.report(ANALYST, report["id"])["known"]
        assert [(k["source"], k["since"], k["match"]) for k in known] == [
            ("Partner Hotline", "2026-11-28", "url")
        ]
    queue = reports.queue(ANALYST)["reports"]
    assert [len(r["known"]) for r in queue] == [1, 1]  # triage shows it from the start
    other = submit(reports, record("http://known.example.com/other"))
    assert reports.report(ANALYST, other["id"])["known"] == []
    gone = submit(reports, record("http://gone.example.org/"))
    assert reports.report(ANALYST, gone["id"])["known"] == []  # a tombstone matches nothing
    assert "list.import" in audit_actions(engine)
    site = reports.site(ANALYST, reports.report(ANALYST, report["id"])["site"]["id"])
    assert [(k["source"], len(k["reports"])) for k in site["known"]] == [("Partner Hotline", 2)]


def test_csv_lists_match_sites_and_expire(
    reports: ReportsService, clock: FakeClock, tmp_path: Path
) -> None:
    text = (
        "type,value,added,expires\n"
        "site,https://www.mirror.example.net/x,2026-01-15,\n"
        "url,http://one.example.org/a,2026-02-01,2026-12-01\n"
    )
    reports.lists.import_file(_file(tmp_path, "l.csv", text), "csv", "Bank list", OPERATOR)
    report = submit(reports, record("https://cdn.mirror.example.net/page"))
    known = reports.report(ANALYST, report["id"])["known"]
    assert [(k["since"], k["match"], k["value"]) for k in known] == [
        ("2026-01-15", "site", "example.net")
    ]
    one = submit(reports, record("http://one.example.org/a"))
    assert reports.report(ANALYST, one["id"])["known"][0]["expires"] == "2026-12-01"
    clock.advance(days=10)
    assert reports.report(ANALYST, one["id"])["known"] == []  # expired


def test_a_bad_list_writes_nothing_and_names_every_line(
    reports: ReportsService, tmp_path: Path
) -> None:
    text = "type,value,added\nurl,http://ok.example.com/,\nsite,not a url at all,\nhash,x,\n"
    with pytest.raises(ImportRejected) as refused:
        reports.lists.import_file(_file(tmp_path, "bad.csv", text), "csv", "P", OPERATOR)
    assert [(p["line"], p["column"]) for p in refused.value.details["problems"]] == [
        (3, "value"),
        (4, "type"),
    ]
    assert "bad.csv" in refused.value.message
    report = submit(reports, record("http://ok.example.com/"))
    assert reports.report(ANALYST, report["id"])["known"] == []
    with pytest.raises(InvalidValue):
        reports.lists.import_file(_file(tmp_path, "x.txt", SIGNALS), "yaml", "P", OPERATOR)
    with pytest.raises(Forbidden):
        reports.lists.import_file(_file(tmp_path, "y.txt", SIGNALS), "threatexchange", "P", VISA)


def test_verdicts_are_audited_and_exported(
    reports: ReportsService, engine: Engine, tmp_path: Path
) -> None:
    reports.lists.import_file(
        _file(tmp_path, "p.txt", SIGNALS), "threatexchange", "Partner", OPERATOR
    )
    first = submit(reports, record("http://known.example.com/shop?id=7"))
    second = submit(reports, record("https://known.example.com/shop?id=7"))
    entry = reports.report(ANALYST, first["id"])["known"][0]["entry"]
    marked = reports.lists.mark(ANALYST, first["id"], entry, "confirmed")
    assert marked["known"][0]["verdict"] == "confirmed"
    assert marked["known"][0]["verdict_by"] == "ana"
    reports.lists.mark(ANALYST, second["id"], entry, "false_positive")
    reports.lists.mark(ANALYST, second["id"], entry, "confirmed")  # changed mind: latest stands
    assert audit_actions(engine).count("list.verdict") == 3
    with pytest.raises(InvalidValue):
        reports.lists.mark(ANALYST, first["id"], entry, "maybe")
    unrelated = submit(reports, record("http://elsewhere.example.com/"))
    with pytest.raises(Conflict):
        reports.lists.mark(ANALYST, unrelated["id"], entry, "confirmed")
    lines = reports.lists.export(ANALYST, "csv").decode().splitlines()
    assert lines[0] == ",".join(model.CSV_EXPORT_COLUMNS)
    assert "url,http://known.example.com/shop?id=7,Partner,2026-11-28,,no,2,0" in lines
    signals = reports.lists.export(ANALYST, "threatexchange").decode().splitlines()
    assert signals == [  # the file's own order: by type, then value; tombstones kept
        "-url http://gone.example.org/",
        "url http://known.example.com/shop?id=7",
        "url_md5 " + "0" * 32,
    ]


def test_false_positives_become_tombstones(reports: ReportsService, tmp_path: Path) -> None:
    reports.lists.import_file(
        _file(tmp_path, "p.txt", SIGNALS), "threatexchange", "Partner", OPERATOR
    )
    report = submit(reports, record("http://known.example.com/shop?id=7"))
    entry = reports.report(ANALYST, report["id"])["known"][0]["entry"]
    reports.lists.mark(ANALYST, report["id"], entry, "false_positive")
    signals = reports.lists.export(ANALYST, "threatexchange").decode().splitlines()
    assert "-url http://known.example.com/shop?id=7" in signals
    assert "-url http://gone.example.org/" in signals
    with pytest.raises(Forbidden):
        reports.lists.export(VISA, "csv")


@given(
    st.sampled_from(["http://", "https://", "HTTP://", ""]),
    st.sampled_from(["", "www.", "WWW."]),
    st.sampled_from(["", "&utm_source=x", "&fbclid=abc"]),
)
def test_spellings_of_a_url_share_its_key(scheme: str, www: str, tracking: str) -> None:
    listed = model.report_keys(canonical_url("http://known.example.com/a?id=1"), "x")
    url = f"{scheme or 'http://'}{www}known.example.com/a?id=1{tracking}"
    keys = model.report_keys(canonical_url(url), "x")
    assert {k for k, v in keys.items() if v == "url"} == {
        k for k, v in listed.items() if v == "url"
    }


def test_csv_dates_and_header_are_checked() -> None:
    with pytest.raises(ImportRejected):
        model.parse_list(b"kind,value\nurl,x\n", "h.csv", "csv", today=date(2026, 1, 1))
    with pytest.raises(ImportRejected) as refused:
        model.parse_list(
            b"type,value,added,expires\nurl,http://a.example.com/,2026-05-01,2026-04-01\n",
            "d.csv",
            "csv",
            today=date(2026, 1, 1),
        )
    assert refused.value.details["problems"][0]["column"] == "expires"
