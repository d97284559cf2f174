"""``childsafe indicators …`` through the real entry point (errors included). Imported rows
are synthetic and say so (example.org)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.indicators.helpers import NCMEC_TOTALS, write
from tests.review.test_cli import Cli, run


@pytest.fixture
def cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, database_url: str
) -> Cli:
    def invoke(*args: str) -> tuple[int, str, str]:
        return run(capsys, monkeypatch, "indicators", *args, "--database", database_url)

    return invoke


def test_show_json_has_the_issues_shape(cli: Cli) -> None:
    code, out, err = cli(
        "show", "ncmec-cybertipline-reports", "--jurisdiction", "PHL", "--format", "json"
    )
    assert (code, err) == (0, "")
    document = json.loads(out)
    assert document["indicator"] == "ncmec-cybertipline-reports"
    assert [(v["jurisdiction"], v["year"]) for v in document["values"]] == [
        ("PHL", year) for year in range(2019, 2024)
    ]
    assert document["values"][3]["value"] == 2_576_182
    assert {row["year"]: row["total"] for row in document["totals"]} == NCMEC_TOTALS
    assert "not where the child" in " ".join(document["definition"]["caveats"]["en"])


def test_show_derived_by_year_as_csv_and_table(cli: Cli) -> None:
    code, out, _ = cli("show", "reports-per-1000", "--year", "2022", "--format", "csv")
    assert code == 0
    assert (
        out.splitlines()[0]
        == "jurisdiction,name,year,value,ncmec-cybertipline-reports,un-population"
    )
    code, out, _ = cli("show", "reports-per-1000", "-j", "VNM", "-y", "2022")
    assert code == 0 and "Caveat" in out and "Source: United Nations" in out


def test_list(cli: Cli) -> None:
    code, out, _ = cli("list", "--format", "json")
    ids = [item["id"] for item in json.loads(out)["indicators"]]
    assert (code, ids) == (0, ["ncmec-cybertipline-reports", "reports-per-1000", "un-population"])


def test_import_then_refuse_a_bad_file(cli: Cli, tmp_path: Path) -> None:
    good = write(
        tmp_path / "good.csv", "jurisdiction,year,value,note\nTHA,2024,7,synthetic (example.org)\n"
    )
    code, out, err = cli("import", str(good), "--indicator", "ncmec-cybertipline-reports")
    assert (code, err) == (0, "")
    assert "1 added" in out
    bad = write(tmp_path / "bad.csv", "jurisdiction,year,value\nTHA,2025,7\nAtlantis,2025,3\n")
    code, out, err = cli(
        "import", str(bad), "--indicator", "ncmec-cybertipline-reports", "-f", "json"
    )
    assert code == 1
    problem = json.loads(err)["error"]["details"]["problems"][0]
    assert (problem["line"], problem["column"], problem["value"]) == (3, "jurisdiction", "Atlantis")
    code, out, _ = cli(
        "show", "ncmec-cybertipline-reports", "-j", "THA", "-y", "2025", "-f", "json"
    )
    assert json.loads(out)["values"] == []  # nothing of the refused file was written
