"""``childsafe coalition …`` through the real entry point (errors included). Imported rows are
synthetic (example.org) and say so."""

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
        return run(capsys, monkeypatch, "coalition", *args, "--database", database_url)

    return invoke


def test_members_json_shape(cli: Cli) -> None:
    code, out, err = cli("members", "--coalition", "APAC-FCACP", "--sector", "bank", "-f", "json")
    assert (code, err) == (0, "")
    document = json.loads(out)
    assert document["coalition"] == "APAC-FCACP"
    assert len(document["members"]) == 4
    for member in document["members"]:
        assert set(member) >= {"organisation", "sector", "country", "role", "since"}
        assert member["sector"] == "bank"
    code, out, _ = cli("members", "--coalition", "APAC-FCACP", "--country", "AUS", "-f", "json")
    assert {m["country"] for m in json.loads(out)["members"]} == {"AUS"}


def test_members_as_a_table_and_csv(cli: Cli) -> None:
    code, out, _ = cli("members", "--coalition", "FCACP")
    assert code == 0 and "NCMEC" in out and "founder" in out
    code, out, _ = cli("members", "--coalition", "FCACP", "--format", "csv")
    assert out.splitlines()[0] == "Organisation,Id,Sector,Country,Roles,Since"


def test_roundtables_json_shape_with_actions(cli: Cli) -> None:
    code, out, _ = cli("roundtables", "--coalition", "APAC-FCACP", "--format", "json")
    assert code == 0
    roundtables = json.loads(out)["roundtables"]
    assert [(r["working_group"], r["date"], r["city"]) for r in roundtables] == [
        ("APAC-FCACP/NZL", "2013-09-11", "Auckland"),
        ("APAC-FCACP/AUS", "2014-05-09", "Sydney"),
        ("APAC-FCACP/HKG", "2015-07-21", None),
        ("APAC-FCACP/THA", "2016-09-15", None),
    ]
    assert all(len(r["actions"]) == 3 for r in roundtables)  # the command line is an operator
    action = roundtables[0]["actions"][0]
    assert set(action) == {
        "id",
        "working_group",
        "roundtable",
        "text",
        "owner",
        "due_date",
        "status",
        "notes",
        "version",
        "updated_by",
        "updated_at",
    }
    code, out, _ = cli("roundtables", "--coalition", "APAC-FCACP", "-f", "markdown")
    assert "Auckland" in out and "| unknown |" in out


def test_unknown_coalition_and_sector_exit_1(cli: Cli) -> None:
    code, _, err = cli("members", "--coalition", "NOPE", "--format", "json")
    assert code == 1 and json.loads(err)["error"]["code"] == "not_found"
    code, _, err = cli("members", "--coalition", "FCACP", "--sector", "banks")
    assert code == 1 and "card_network" in err


def test_export_then_import_round_trip(cli: Cli, tmp_path: Path) -> None:
    organisations = tmp_path / "organisations.csv"
    code, out, _ = cli("organisations", "export", "-o", str(organisations))
    assert code == 0 and out.startswith(f"wrote {organisations}")
    with organisations.open("a", encoding="utf-8") as handle:
        handle.write("example-ngo,Example NGO (synthetic; example.org),ngo,NZL,synthetic\n")
    code, out, _ = cli("organisations", "import", str(organisations))
    assert (code, out.strip()) == (0, "organisations.csv: 1 added, 0 changed, 37 unchanged")
    memberships = tmp_path / "memberships.csv"
    memberships.write_text(
        "coalition,organisation,role,since,until,source\n"
        "APAC-FCACP,example-ngo,member,2026,,https://example.org/synthetic\n",
        encoding="utf-8",
    )
    code, out, _ = cli("memberships", "import", str(memberships))
    assert (code, out.strip()) == (0, "memberships.csv: 1 added, 0 changed, 0 unchanged")
    exported = tmp_path / "all-memberships.csv"
    code, _, _ = cli("memberships", "export", "--output", str(exported))
    assert "APAC-FCACP,example-ngo,member,2026,,https://example.org/synthetic" in (
        exported.read_text(encoding="utf-8")
    )


def test_a_bad_import_exits_1_naming_line_column_and_value(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "id,name,sector\nexample-x,Example X (synthetic; example.org),bnak\n", encoding="utf-8"
    )
    code, out, err = cli("organisations", "import", str(bad))
    assert (code, out) == (1, "")
    assert f"{bad}:2: column 'sector', value 'bnak'" in err
    assert "nothing was written" in err
    code, _, err = cli("memberships", "import", str(bad))
    assert code == 1 and "unknown column" in err
