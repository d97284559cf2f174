"""Report records: strict cleaning, JSON Lines and CSV all or nothing, and triage order.

Every identifier here is synthetic (see ``test_report_identifiers``); URLs use example.com,
example.org and example.net.
"""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from childsafe.kernel.errors import ImportRejected
from childsafe.kernel.io.writers import to_csv
from childsafe.reports.model.intake import (
    CSV_COLUMNS,
    IncidentType,
    ReportRecord,
    csv_rows,
    iter_jsonl,
    parse_csv,
    parse_jsonl,
    parse_report,
    to_jsonl,
    triage_priority,
    urgency,
    urgency_rank,
    validate_jsonl,
)
from childsafe.reports.model.records import URGENT
from tests.reports.test_identifiers import BECH32_V0, BTC_P2PKH, IBANS, MEDIA, WALLETS

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
TEST_PANS = [
    "4111111111111111",  # Visa test number
    "4111 1111 1111 1111",
    "4111-1111-1111-1111",
    "5555555555554444",  # Mastercard test number
    "378282246310005",  # American Express test number (15 digits)
    "6011111111111117",  # Discover test number
    "4222222222222",  # 13-digit Visa test number
]


def body(**fields: Any) -> dict[str, Any]:
    return {"url": "http://www.example.com/shop", "incident_type": "commercial_site", **fields}


def record(**fields: Any) -> ReportRecord:
    return ReportRecord.model_validate_json(json.dumps(body(**fields)), context={"now": NOW})


def rejected(data: bytes, *, csv: bool = False) -> list[tuple[int, str, str, str]]:
    with pytest.raises(ImportRejected) as caught:
        (parse_csv if csv else parse_jsonl)(data, "f", now=NOW)
    return [
        (p.details["line"], p.details["column"], p.details["value"], p.details["reason"])
        for p in caught.value.problems
    ]


def jsonl(*objects: dict[str, Any]) -> bytes:
    return b"".join(json.dumps(o).encode() + b"\n" for o in objects)


# -- the record ------------------------------------------------------------------------------


def test_a_full_record_is_cleaned() -> None:
    r = record(
        url="HTTP://WWW.Example.COM:80/shop/?utm_source=mail#top",
        observed_at="2024-05-01T10:00:00+02:00",
        payment=[
            {"kind": "card", "brand": "Visa", "identifier": "EXAMPLE*SHOP 1111"},
            {"kind": "bank", "identifier": "gb82 west 1234 5698 7654 32"},
            {"kind": "wallet", "brand": "Bitcoin", "identifier": BECH32_V0.upper()},
            {"kind": "processor", "brand": "Example Pay"},
        ],
        price={"amount": "29.99", "currency": "usd"},
        hosting_country="nl",
        reporter_type="hotline",
        notes="Seen twice.\nPrices in USD.",
        urls=["https://shop.example.com/a", "example.org"],
    )
    assert r.url == "HTTP://WWW.Example.COM:80/shop/?utm_source=mail#top"  # as reported
    assert r.canonical_url == "http://www.example.com/shop"
    assert r.site_key == "example.com"
    assert r.canonical_urls == ("https://shop.example.com/a", "http://example.org/")
    assert r.observed_at == datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    assert [p.identifier for p in r.payment[1:3]] == ["GB82WEST12345698765432", BECH32_V0]
    assert r.price is not None and r.price.amount == Decimal("29.99")
    assert r.price.currency == "USD"
    assert r.hosting_country == "NLD"


@pytest.mark.parametrize(
    ("given_time", "stored"),
    [
        ("2024-05-01T10:00:00", datetime(2024, 5, 1, 10, tzinfo=UTC)),  # naive is UTC
        ("2024-05-01T10:00:00Z", datetime(2024, 5, 1, 10, tzinfo=UTC)),
        ("2024-05-01", datetime(2024, 5, 1, tzinfo=UTC)),
        ("2024-06-01T12:04:59Z", datetime(2024, 6, 1, 12, 4, 59, tzinfo=UTC)),  # clock drift
    ],
)
def test_observed_at(given_time: str, stored: datetime) -> None:
    assert record(observed_at=given_time).observed_at == stored


@pytest.mark.parametrize(
    ("fields", "column", "reason"),
    [
        ({"observed_at": "2024-06-01T12:05:01Z"}, "observed_at", "in the future"),
        ({"observed_at": "yesterday"}, "observed_at", "not an ISO 8601"),
        ({"observed_at": "1985-01-01"}, "observed_at", "before 1991"),
        ({"incident_type": "site"}, "incident_type", "'commercial_site', 'live_stream'"),
        ({"incident_type": 1}, "incident_type", "Input should be"),  # strict: no coercion
        ({"url": "ftp://example.com/"}, "url", "ftp: URLs are not accepted"),
        ({"url": "http://localhost/"}, "url", "single-label host"),
        ({"url": "data:image/jpeg;base64,/9j/4AAQSkZJRg=="}, "url", "data: URLs"),
        ({"urls": ["http://example.org/", "mailto:x@example.org"]}, "urls", "urls[1]: mailto"),
        ({"price": {"amount": "-1", "currency": "USD"}}, "price.amount", "greater than or equal"),
        ({"price": {"amount": 5, "currency": "XYZ"}}, "price.currency", "not an ISO 4217"),
        ({"price": {"amount": "5"}}, "price.currency", "required"),
        ({"hosting_country": "Netherlands"}, "hosting_country", "alpha-2 or alpha-3"),
        ({"hosting_country": "ANT"}, "hosting_country", "no longer exists"),
        ({"reporter_type": "anonymous"}, "reporter_type", "'public', 'isp'"),
        ({"notes": "x" * 4001}, "notes", "at most 4000"),
        ({"notes": "bell\x07"}, "notes", "control characters"),
        ({"payment": [{"kind": "card"}]}, "payment[0]", "a brand or an identifier"),
        ({"payment": [{"kind": "cash", "brand": "x"}]}, "payment[0].kind", "'card'"),
        ({"payment": [{"kind": "wallet", "brand": "Bitcoin"}]}, "payment[0]", "its address"),
        ({"payment": [{"kind": "card", "brand": "Visa", "cvv": "1"}]}, "payment[0].cvv", "unknown"),
        ({"extra": 1}, "extra", "unknown field"),
    ],
)
def test_bad_fields_are_located(fields: dict[str, Any], column: str, reason: str) -> None:
    problems = rejected(jsonl(body(**fields)))
    assert [(line, col) for line, col, _, _ in problems] == [(1, column)]
    assert reason in problems[0][3]


def test_an_api_body_is_one_record() -> None:
    assert parse_report(json.dumps(body()), now=NOW).site_key == "example.com"
    with pytest.raises(ImportRejected, match=r"\(request body\):1: column 'price.currency'"):
        parse_report(json.dumps(body(price={"amount": "1", "currency": "ABC"})).encode())


def test_missing_required_fields() -> None:
    problems = rejected(jsonl({"notes": "only notes"}))
    assert {(col, reason) for _, col, _, reason in problems} == {
        ("url", "required"),
        ("incident_type", "required"),
    }


# -- payment data ----------------------------------------------------------------------------


@pytest.mark.parametrize("pan", TEST_PANS)
@pytest.mark.parametrize("where", ["identifier", "brand", "notes"])
def test_card_numbers_are_refused_and_never_echoed(pan: str, where: str) -> None:
    if where == "notes":
        fields: dict[str, Any] = {"notes": f"card used: {pan} on checkout"}
        column = "notes"
    else:
        fields = {"payment": [{"kind": "card", where: pan}]}
        column = f"payment[0].{where}"
    problems = rejected(jsonl(body(**fields)))
    assert [(col, "full card number" in reason) for _, col, _, reason in problems] == [
        (column, True)
    ]
    digits = pan.replace(" ", "").replace("-", "")
    assert problems[0][2] == f"{digits[:6]}…{digits[-4:]}"
    assert digits not in str(problems)


def test_last_four_digits_are_kept() -> None:
    r = record(payment=[{"kind": "card", "brand": "Visa", "identifier": "last four 1111"}])
    assert r.payment[0].identifier == "last four 1111"


@pytest.mark.parametrize("valid", IBANS)
def test_valid_ibans_are_stored_compact(valid: str) -> None:
    spaced = " ".join(valid[i : i + 4] for i in range(0, len(valid), 4)).lower()
    r = record(payment=[{"kind": "bank", "brand": "Example Bank", "identifier": spaced}])
    assert r.payment[0].identifier == valid


def test_iban_shaped_bank_identifiers_must_be_valid() -> None:
    bad = IBANS[0][:-1] + ("0" if IBANS[0][-1] != "0" else "1")
    problems = rejected(jsonl(body(payment=[{"kind": "bank", "identifier": bad}])))
    assert problems[0][1] == "payment[0].identifier" and "mod-97" in problems[0][3]
    other = record(
        payment=[{"kind": "bank", "brand": "Example Bank", "identifier": "SWIFT EXAMGB2L"}]
    )
    assert other.payment[0].identifier == "SWIFT EXAMGB2L"


@pytest.mark.parametrize("address", WALLETS)
def test_wallet_addresses_are_checked(address: str) -> None:
    r = record(payment=[{"kind": "wallet", "identifier": address}])
    assert r.payment[0].identifier in (address, address.lower())
    bad = BECH32_V0[:-1] + ("q" if BECH32_V0[-1] != "q" else "p")
    problems = rejected(jsonl(body(payment=[{"kind": "wallet", "identifier": bad}])))
    assert problems[0][1] == "payment[0].identifier"
    assert "not a recognised wallet address" in problems[0][3]


# -- no imagery ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", MEDIA)
def test_image_and_video_data_are_refused_where_they_are(text: str) -> None:
    problems = rejected(jsonl(body(notes=text), body(payment=[{"kind": "card", "brand": text}])))
    assert [(line, col) for line, col, _, _ in problems] == [(1, "notes"), (2, "payment[0].brand")]
    assert all("metadata only" in reason for *_, reason in problems)
    assert all(len(value) <= 81 for _, _, value, _ in problems)


# -- files -----------------------------------------------------------------------------------


def test_jsonl_line_numbers_count_blank_lines() -> None:
    data = jsonl(body()) + b"\n   \n" + jsonl(body(incident_type="x")) + b"{broken\n"
    problems = rejected(b"\xef\xbb\xbf" + data)
    assert [(line, col) for line, col, _, _ in problems] == [(4, "incident_type"), (5, "(line)")]


@settings(max_examples=50)
@given(st.lists(st.sampled_from(["good", "bad", "blank"]), min_size=1, max_size=30))
def test_error_lines_are_right(kinds: list[str]) -> None:
    lines = {"good": json.dumps(body()), "bad": json.dumps(body(url="ftp://x")), "blank": ""}
    data = "\n".join(lines[k] for k in kinds).encode()
    expected = [n for n, k in enumerate(kinds, start=1) if k == "bad"]
    if not expected:
        if "good" in kinds:
            assert len(parse_jsonl(data, "f", now=NOW)) == kinds.count("good")
        return
    assert [line for line, *_ in rejected(data)] == expected


def test_empty_and_non_utf8_files() -> None:
    assert rejected(b"\n\n") == [(1, "(file)", "", "no reports in the file")]
    assert rejected(jsonl(body()) + b'{"url": "\xff"}\n')[0][:2] == (2, "(line)")


def test_streaming_validate_then_write() -> None:
    good = jsonl(body(), body(incident_type="live_stream"))
    assert validate_jsonl(io.BytesIO(good), "f", now=NOW) == 2
    assert [r.incident_type for r in iter_jsonl(io.BytesIO(good), "f", now=NOW)] == [
        IncidentType.COMMERCIAL_SITE,
        IncidentType.LIVE_STREAM,
    ]
    bad = good + jsonl(body(url="ftp://x")) * 5
    with pytest.raises(ImportRejected) as caught:
        validate_jsonl(io.BytesIO(bad), "f", now=NOW, max_problems=2)
    lines = [p.details["line"] for p in caught.value.problems]
    assert lines == [3, 4, 7] and "5 line(s)" in caught.value.problems[-1].details["reason"]
    seen = []
    with pytest.raises(ImportRejected, match=r"f:3: column 'url'"):
        for r in iter_jsonl(io.BytesIO(bad), "f", now=NOW):
            seen.append(r)
    assert len(seen) == 2


CSV_HEADER = ",".join(CSV_COLUMNS) + "\n"


def test_csv_rows_flatten_the_record() -> None:
    data = (
        CSV_HEADER + f'http://www.example.com/,commercial_site,2024-05-01,"card:Visa:EXAMPLE*SHOP;'
        f'wallet::{BTC_P2PKH}",9.99,eur,DE,member,"two\nlines",http://example.org/a http://example.net/\n'
    ).encode()
    (r,) = parse_csv(data, "f.csv", now=NOW)
    assert [(p.kind.value, p.brand, p.identifier) for p in r.payment] == [
        ("card", "Visa", "EXAMPLE*SHOP"),
        ("wallet", None, BTC_P2PKH),
    ]
    assert r.price is not None and (r.price.amount, r.price.currency) == (Decimal("9.99"), "EUR")
    assert (r.hosting_country, r.notes, len(r.urls)) == ("DEU", "two\nlines", 2)
    assert parse_csv(to_csv(CSV_COLUMNS, csv_rows([r])), "again.csv", now=NOW) == [r]


def test_csv_problems_name_csv_columns_and_physical_lines() -> None:
    data = (
        b"url,incident_type,notes,price_amount,price_currency,payment\n"
        b'http://example.com/,other,"multi\nline",1,USD,\n'
        b"http://example.com/,other,,-1,XYZ,card:Visa:4111111111111111\n"
    )
    problems = rejected(data, csv=True)
    assert [(line, col) for line, col, _, _ in problems] == [
        (4, "payment"),
        (4, "price_amount"),
        (4, "price_currency"),
    ]


def test_csv_header_problems() -> None:
    problems = rejected(b"url,colour\nhttp://example.com/,red\n", csv=True)
    assert [(line, col, reason[:15]) for line, col, _, reason in problems] == [
        (1, "incident_type", "missing require"),
        (1, "colour", "unknown column;"),
    ]


# -- round trips -----------------------------------------------------------------------------

texts = st.text(  # no ':' or ';', which the CSV payment cell uses as separators
    alphabet=st.characters(
        whitelist_categories=("L", "Zs", "P"), max_codepoint=0x2FFF, blacklist_characters=":;"
    ),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip() == s and s)


@st.composite
def records(draw: st.DrawFn) -> ReportRecord:
    host = draw(st.sampled_from(["example.com", "www.example.org", "a.blogspot.com", "192.0.2.5"]))
    path = draw(st.text(alphabet="abcxyz/-_.~%é", max_size=12))
    payments = draw(
        st.lists(
            st.one_of(
                st.builds(lambda b: {"kind": "card", "brand": b}, texts),
                st.builds(lambda w: {"kind": "wallet", "identifier": w}, st.sampled_from(WALLETS)),
                st.builds(lambda i: {"kind": "bank", "identifier": i}, st.sampled_from(IBANS)),
                st.builds(
                    lambda b, i: {"kind": "processor", "brand": b, "identifier": i}, texts, texts
                ),
            ),
            max_size=3,
        )
    )
    moment = draw(
        st.datetimes(
            datetime(1995, 1, 1),
            datetime(2024, 6, 1),
            timezones=st.sampled_from([UTC, timezone(timedelta(hours=4))]),
        )
    )
    obj: dict[str, Any] = body(
        url=f"http://{host}/{path}",
        incident_type=draw(st.sampled_from(["commercial_site", "live_stream", "other"])),
        observed_at=moment.isoformat(),
        payment=payments,
        price={
            "amount": str(draw(st.decimals(0, 10**6, places=2, allow_nan=False))),
            "currency": draw(st.sampled_from(["USD", "eur", "AED"])),
        },
        hosting_country=draw(st.sampled_from(["NL", "usa", "ae", "DEU"])),
        reporter_type=draw(
            st.sampled_from(["public", "isp", "hotline", "member", "law_enforcement"])
        ),
        notes=draw(texts),
        urls=draw(
            st.lists(
                st.sampled_from(["http://example.net/x", "https://shop.example.com/"]), max_size=2
            )
        ),
    )
    return ReportRecord.model_validate_json(json.dumps(obj), context={"now": NOW})


@settings(max_examples=60)
@given(st.lists(records(), min_size=1, max_size=4))
def test_valid_records_round_trip_through_json_lines(batch: list[ReportRecord]) -> None:
    again = parse_jsonl(to_jsonl(batch), "again.jsonl", now=NOW)
    assert again == batch
    assert [r.site_key for r in again] == [r.site_key for r in batch]


@settings(max_examples=30)
@given(st.lists(records(), min_size=1, max_size=3))
def test_valid_records_round_trip_through_csv(batch: list[ReportRecord]) -> None:
    assert parse_csv(to_csv(CSV_COLUMNS, csv_rows(batch)), "again.csv", now=NOW) == batch


# -- triage ----------------------------------------------------------------------------------


def test_triage_live_streams_first_then_commercial_then_oldest() -> None:
    received = datetime(2024, 6, 1, 11, 0)
    old_other = record(incident_type="other", observed_at="2024-01-01T00:00:00Z")
    new_live = record(incident_type="live_stream", observed_at="2024-06-01T10:59:00Z")
    old_live = record(incident_type="live_stream", observed_at="2024-06-01T09:00:00Z")
    shop = record(incident_type="commercial_site")  # no observation: counted from receipt
    queue = sorted(
        [old_other, shop, new_live, old_live], key=lambda r: triage_priority(r, received)
    )
    assert queue == [old_live, new_live, shop, old_other]
    why = urgency(shop, received)
    assert (why.level, why.since) == ("high", datetime(2024, 6, 1, 11, 0, tzinfo=UTC))
    assert "payment" in why.reason
    assert urgency(new_live, received).level == "immediate"


def test_live_streams_and_enticement_are_urgent() -> None:
    assert {IncidentType.LIVE_STREAM, IncidentType.ONLINE_ENTICEMENT} == URGENT
    sextortion = parse_report(
        '{"url": "https://chat.example.org/u/1", "incident_type": "sextortion"}'
    )
    assert sextortion.incident_type is IncidentType.ONLINE_ENTICEMENT
    assert urgency_rank(IncidentType.CHILD_SEX_TRAFFICKING) < urgency_rank(IncidentType.OTHER)
