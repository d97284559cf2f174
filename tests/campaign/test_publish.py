"""A released edition is published as frozen: the PDF says which release it reproduces, and
publishing is refused once the edition's values moved on since. Synthetic values only."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from childsafe.app.cli import main
from childsafe.app.container import open_container
from childsafe.review.bootstrap import open_review
from tests.accounts.helpers import OPERATOR, PASSWORD


def _run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[int, str]:
    monkeypatch.setattr("sys.argv", ["childsafe", *args])
    code = 0
    try:
        main()
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_publishing_a_release(
    database_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = ("--database", database_url)
    code, out = _run(capsys, monkeypatch, "campaign", "release", "--edition", "8", *db)
    assert code == 0 and "edition 8 released" in out
    pdf = tmp_path / "review-8.pdf"
    code, out = _run(
        capsys, monkeypatch, "publish", "report", "--edition", "8", "-o", str(pdf), *db
    )
    assert code == 0 and "edition 8 as released" in out and pdf.stat().st_size > 10_000

    # a value of the released edition changes: publishing it again is refused
    review = open_review(database_url)
    accounts = open_container(database_url).campaigns.planning.parts.accounts
    for name, role in (("rita", "researcher"), ("rob", "reviewer")):
        accounts.create_user(OPERATOR, name, role=role, password=PASSWORD)
    editorial = open_container(database_url).editorial
    cell = next(r for r in review.store.current(8, {"THA"}) if r.criterion == "C5")
    proposal = editorial.propose(
        accounts.get_user(OPERATOR, "rita").signed_in(),
        edition=8,
        jurisdiction="THA",
        criterion="C5",
        value="unknown" if cell.value.value != "unknown" else "no",
        citation="Synthetic Act s. 1",
        reason="synthetic change after the release",
        base_version=cell.version,
    )
    editorial.decide(accounts.get_user(OPERATOR, "rob").signed_in(), proposal.id, approve=True)
    with contextlib.suppress(FileNotFoundError):
        pdf.unlink()
    code, out = _run(
        capsys, monkeypatch, "publish", "report", "--edition", "8", "-o", str(pdf), *db
    )
    assert code == 1 and "changed since its release" in out and not pdf.exists()
    code, out = _run(
        capsys, monkeypatch, "publish", "site", "--edition", "8", "-o", str(tmp_path / "s"), *db
    )
    assert code == 1 and "changed since its release" in out
