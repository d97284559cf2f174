"""The command line, run in-process through its real entry point (errors included)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from childsafe.app.cli import main
from tests.review.seed_tables import ASEAN_8TH, COMPARATIVE, RESULTS_8TH, mark_value

ROOT = Path(__file__).resolve().parents[2]
Cli = Callable[..., tuple[int, str, str]]


def run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.argv", ["childsafe", *args])
    code = 0
    try:
        main()
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, database_url: str
) -> Cli:
    def invoke(*args: str) -> tuple[int, str, str]:
        return run(capsys, monkeypatch, *args, "--database", database_url)

    return invoke


def test_table_reproduces_the_seed(cli: Cli) -> None:
    code, out, _ = cli("review", "table", "--edition", "8", "--region", "ASEAN", "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert (document["edition"], document["region"]) == (8, "ASEAN")
    rows = {row["jurisdiction"]: row for row in document["rows"]}
    for code_, marks in ASEAN_8TH.items():
        values = [mark_value(m) for m in marks]
        assert [rows[code_]["values"][f"C{i}"] for i in range(1, 7)] == values


def test_table_prints_marks_for_people(cli: Cli) -> None:
    code, out, _ = cli("review", "table", "--edition", "8", "--region", "ASEAN")
    assert code == 0
    thailand = next(line for line in out.splitlines() if "Thailand" in line)
    assert re.findall("[✓✗]", thailand) == ["✓", "✗", "✓", "✓", "✗", "✓"]


def test_results_json_shape(cli: Cli) -> None:
    code, out, _ = cli("review", "results", "--edition", "8", "--format", "json")
    document = json.loads(out)
    assert code == 0
    assert {"edition", "universe", "assessed", "classifications"} <= set(document)
    assert {c["id"]: c["published"] for c in document["classifications"]} == RESULTS_8TH
    for c in document["classifications"]:
        assert {"id", "label", "rule", "computed", "undetermined", "published"} <= set(c)


def test_compare_json_shape(cli: Cli) -> None:
    code, out, _ = cli("review", "compare", "--editions", "1,7,8", "--format", "json")
    document = json.loads(out)
    assert code == 0 and document["editions"] == [1, 7, 8]
    rows = {r["id"]: r for r in document["rows"]}
    for cid, figures in COMPARATIVE.items():
        assert {e: rows[cid]["values"][e]["published"] for e in figures} == figures


@pytest.mark.parametrize("fmt", ["table", "csv", "markdown"])
def test_every_format_prints(cli: Cli, fmt: str) -> None:
    for command in (
        ["review", "results", "--edition", "8"],
        ["review", "compare", "--editions", "1,7,8"],
        ["review", "jurisdiction", "THA"],
        ["review", "editions"],
        ["review", "diff", "--from", "7", "--to", "8"],
        ["review", "audit"],
    ):
        code, out, err = cli(*command, "--format", fmt)
        assert code == 0, (command, err)
        assert out.strip()


def test_import_export_and_audit(cli: Cli, tmp_path: Path) -> None:
    source = tmp_path / "thailand.csv"
    source.write_text("jurisdiction,C2\nThailand,yes\n")
    code, out, _ = cli("review", "import", str(source), "--edition", "8", "--actor", "tester")
    assert (code, out.strip()) == (
        0,
        "thailand.csv: 0 added, 1 changed (old values kept in history), 0 unchanged; batch 3",
    )
    exported = tmp_path / "out.xlsx"
    code, _, _ = cli("review", "export", "--edition", "8", "--format", "xlsx", "-o", str(exported))
    assert code == 0 and exported.read_bytes()[:2] == b"PK"
    code, out, _ = cli("review", "audit", "--cell", "8/THA/C2", "--format", "json")
    entries = json.loads(out)["entries"]
    assert [(e["actor"], e["before"]["value"], e["after"]["value"]) for e in entries[:1]] == [
        ("tester", "no", "yes")
    ]


def test_a_bad_import_names_file_line_column_value(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("jurisdiction,edition,criterion,value\nTHA,8,C1,no\nNarnia,8,C1,yes\n")
    code, _, err = cli("review", "import", str(bad))
    assert code == 1
    assert "bad.csv:3: column 'jurisdiction', value 'Narnia'" in err
    assert "nothing was written" in err
    _, out, _ = cli("review", "table", "--edition", "8", "--region", "ASEAN", "--format", "json")
    thailand = next(r for r in json.loads(out)["rows"] if r["jurisdiction"] == "THA")
    assert thailand["values"]["C1"] == "yes"


def test_errors_in_json_mode_use_the_one_error_shape(cli: Cli) -> None:
    code, _, err = cli("review", "results", "--edition", "42", "--format", "json")
    assert code == 1
    assert json.loads(err) == {
        "error": {
            "code": "not_found",
            "message": "no edition 42; known editions: 1, 5, 6, 7, 8, 9",
            "status": 404,
            "details": {"edition": 42},
        }
    }


def test_usage_errors_exit_2(cli: Cli) -> None:
    code, _, err = cli("review", "results")
    assert code == 2 and "--edition" in err


def _commands() -> list[str]:
    import typer.main

    from childsafe.app.cli import app

    group = typer.main.get_command(app)
    names: list[str] = []

    def walk(command: object, prefix: str) -> None:
        subcommands = getattr(command, "commands", None)
        if subcommands is None:
            names.append(prefix)
            return
        for name, sub in subcommands.items():
            walk(sub, f"{prefix} {name}")

    walk(group, "childsafe")
    return names


def test_every_command_and_option_is_documented() -> None:
    docs = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    commands = _commands()
    assert "childsafe review results" in commands
    missing = [name for name in commands if f"### `{name}" not in docs]
    assert missing == [], f"undocumented commands: {missing}"


def test_every_setting_is_documented() -> None:
    from childsafe.kernel.settings import Settings

    docs = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    missing = [
        f"CHILDSAFE_{name.upper()}"
        for name in Settings.model_fields
        if f"`CHILDSAFE_{name.upper()}`" not in docs
    ]
    assert missing == []
