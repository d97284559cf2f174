"""``childsafe reports import``, ``sites list``, ``metrics`` and ``tokens`` through the
real entry point. The reports are synthetic (example.com/.org/.net, documentation IPs)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.review.test_cli import Cli, run


@pytest.fixture
def cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, database_url: str
) -> Cli:
    def invoke(*args: str) -> tuple[int, str, str]:
        return run(capsys, monkeypatch, *args, "--database", database_url)

    return invoke


def reports_file(tmp_path: Path) -> Path:
    rows = [
        {"url": "https://www.example.com/join?utm_source=x", "incident_type": "commercial_site",
         "observed_at": "2026-09-03T10:00:00Z", "price": {"amount": "49.99", "currency": "USD"}},
        {"url": "http://example.com/members", "incident_type": "commercial_site",
         "observed_at": "2026-10-01T10:00:00Z", "notes": "synthetic"},
        {"url": "https://example.org/", "incident_type": "commercial_site",
         "observed_at": "2026-10-02T10:00:00Z"},
        {"url": "http://192.0.2.44/stream", "incident_type": "live_stream"},
    ]  # fmt: skip
    path = tmp_path / "reports.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_import_then_sites_list_json_shape(cli: Cli, tmp_path: Path) -> None:
    code, out, err = cli("reports", "import", str(reports_file(tmp_path)))
    assert (code, err) == (0, "")
    assert out.strip() == "reports.jsonl: 4 reports, 3 new sites, 1 of sites known before"
    code, out, _ = cli("sites", "list", "--format", "json")
    assert code == 0
    sites = json.loads(out)["sites"]
    assert [s["domain"] for s in sites] == ["example.com", "example.org", "192.0.2.44"]
    for site in sites:
        assert set(site) == {"id", "domain", "urls", "first_reported", "reports", "status"}
    assert sites[0]["urls"] == ["http://example.com/members", "https://www.example.com/join"]
    assert (sites[0]["reports"], sites[0]["status"]) == (2, "active")
    assert sites[0]["first_reported"] == "2026-09-03T10:00:00+00:00"
    code, out, _ = cli("sites", "list", "--format", "csv")
    assert out.splitlines()[0] == "Id,Domain,Status,Reports,First reported,URLs"
    code, out, _ = cli("sites", "list", "--status", "down", "--format", "json")
    assert json.loads(out)["sites"] == []


def test_metrics_json(cli: Cli, tmp_path: Path) -> None:
    cli("reports", "import", str(reports_file(tmp_path)))
    code, out, err = cli(
        "metrics", "--baseline-start", "2026-09-01", "--baseline-end", "2026-09-30", "-f", "json"
    )
    assert (code, err) == (0, "")
    document = json.loads(out)
    unique = document["unique_commercial_sites"]
    assert unique["months"] == [{"month": "2026-09", "sites": 1}, {"month": "2026-10", "sites": 2}]
    assert unique["change"] == 1.0
    assert unique["baseline"]["start"] == "2026-09"
    assert set(document) == {
        "definitions",
        "unique_commercial_sites",
        "test_transactions",
        "card_refusals",
        "prices",
        "report_to_action",
        "public_suffix_list",
    }
    assert document["prices"]["currencies"]["USD"][0]["median"] == 49.99
    assert document["report_to_action"] == {"median_hours": None, "p90_hours": None, "cases": 0}
    code, out, _ = cli("metrics")
    assert code == 0 and "Unique commercial sites" in out
    code, _, err = cli("metrics", "--baseline-start", "September", "-f", "json")
    assert code == 1 and json.loads(err)["error"]["code"] == "invalid_value"


def test_an_import_error_exits_1_and_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"url": "https://example.com/", "incident_type": "commercial_site"}\n'
        '{"url": "javascript:alert(1)", "incident_type": "commercial_site"}\n'
        '{"url": "https://example.net/", "incident_type": "commercial_site", "extra": 1}\n',
        encoding="utf-8",
    )
    code, out, err = cli("reports", "import", str(bad))
    assert code == 1 and out == ""
    assert "import refused, nothing was written (2 problem(s))" in err
    assert "bad.jsonl:2: column 'url'" in err and "bad.jsonl:3: column 'extra'" in err
    code, out, _ = cli("sites", "list", "-f", "json")
    assert json.loads(out)["sites"] == []
    code, _, err = cli("reports", "import", str(tmp_path / "missing.jsonl"))
    assert code == 1


def test_tokens_create(cli: Cli) -> None:
    code, out, err = cli("tokens", "create", "--organisation", "visa", "--name", "nightly feed")
    assert code == 0 and "only its SHA-256 is kept" in err
    first, token = out.splitlines()
    assert first == "created API token 1 'nightly feed' for visa"
    assert token.startswith("token: cst_")
    code, _, err = cli("tokens", "create", "--organisation", "acme-pay", "--name", "x")
    assert code == 1 and "acme-pay" in err


def test_tokens_list_and_revoke(cli: Cli) -> None:
    cli("tokens", "create", "--organisation", "visa", "--name", "nightly feed")
    code, out, _ = cli("tokens", "list", "--format", "json")
    assert code == 0
    (token,) = json.loads(out)["tokens"]
    assert token["name"] == "nightly feed" and token["revoked_at"] is None
    assert "sha256" not in token and "token" not in token
    code, out, _ = cli("tokens", "revoke", str(token["id"]))
    assert code == 0 and out.startswith(f"revoked API token {token['id']} 'nightly feed' at ")
    code, out, _ = cli("tokens", "list", "--organisation", "visa")
    assert code == 0 and "1 tokens, 1 revoked" in out
    code, _, err = cli("tokens", "revoke", "42")
    assert code == 1 and "no API token 42" in err
