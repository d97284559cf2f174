"""``childsafe reports list|show|export`` and ``childsafe lists import|export`` through the real
entry point. Synthetic data: example.com/.org/.net sites, made-up list names."""

from __future__ import annotations

import json
from pathlib import Path

from tests.reports.test_cli import cli, reports_file
from tests.review.test_cli import Cli

__all__ = ["cli"]

LIST = "# synthetic\nurl http://example.org/\nurl http://192.0.2.44/stream\n-url http://x.example.net/\n"


def test_reports_list_json_with_known(cli: Cli, tmp_path: Path) -> None:
    cli("reports", "import", str(reports_file(tmp_path)))
    listed = tmp_path / "partner.txt"
    listed.write_text(LIST, encoding="utf-8")
    code, out, err = cli(
        "lists", "import", str(listed), "--format", "threatexchange", "--source", "Partner"
    )
    assert (code, err) == (0, "")
    assert out.strip() == "partner.txt: 3 entries of 'Partner' (2 new, 0 updated, 1 removed)"
    code, out, err = cli("reports", "list", "--format", "json")
    assert (code, err) == (0, "")
    reports = json.loads(out)["reports"]
    assert [r["id"] for r in reports] == [4, 3, 2, 1]
    first = reports[0]
    for key in ("id", "url", "incident_type", "hosting_country", "source", "known"):
        assert key in first
    assert [(k["source"], k["match"]) for k in first["known"]] == [("Partner", "url")]
    assert reports[1]["known"][0]["value"] == "http://example.org/"
    assert reports[2]["known"] == []
    code, out, _ = cli("reports", "list", "--incident-type", "live_stream", "--format", "csv")
    lines = out.splitlines()
    assert lines[0] == "Id,Received,Type,Stage,Country,Site,URL,Known to"
    assert len(lines) == 2 and "Partner since" in lines[1]
    code, _, err = cli("reports", "list", "--stage", "nowhere")
    assert code == 1 and "stage 'nowhere'" in err
    code, out, _ = cli("reports", "show", "4", "--format", "json")
    assert json.loads(out)["known"][0]["source"] == "Partner"
    code, out, _ = cli("reports", "show", "4")
    assert "to Partner since" in out
    code, _, err = cli("reports", "show", "99")
    assert code == 1 and "no report 99" in err


def test_exports_write_whole_files(cli: Cli, tmp_path: Path) -> None:
    cli("reports", "import", str(reports_file(tmp_path)))
    target = tmp_path / "tip.xml"
    code, _, err = cli("reports", "export", "cybertipline", "--report", "4", "-o", str(target))
    assert code == 1 and "email" in err and not target.exists()
    code, _, _ = cli(
        "reports", "export", "cybertipline", "--report", "4", "--email", "a@example.org",
        "-o", str(target),
    )  # fmt: skip
    assert code == 0 and b"<email>a@example.org</email>" in target.read_bytes()
    code, _, _ = cli("reports", "export", "threatexchange", "-o", str(tmp_path / "s.txt"))
    assert code == 0 and (tmp_path / "s.txt").read_bytes() == b""  # nothing assessed yet
    code, _, err = cli("reports", "export", "goaml", "-o", str(tmp_path / "g.xml"))
    assert code == 1 and "--site" in err
    code, _, _ = cli("lists", "export", "--format", "csv", "-o", str(tmp_path / "l.csv"))
    assert code == 0
    assert (tmp_path / "l.csv").read_text().startswith("type,value,source,added")
