"""A released edition is published from its snapshot: the PDF and the site say which release
they reproduce, and a value approved after the release shows in neither; a snapshot changed
behind its digest is refused. Synthetic values only."""

from __future__ import annotations

import contextlib
from html import escape as html_escape
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from childsafe.app.cli import main
from childsafe.app.container import open_container
from childsafe.app.web import create_app
from childsafe.campaign.models import ReleaseValueRow
from childsafe.publish.report import render_report_html
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
    code, out = _run(
        capsys, monkeypatch, "publish", "report", "--edition", "8", "-o", str(pdf), *db
    )
    assert code == 0 and "1 cell(s) changed since the release are not shown" in out
    frozen = open_container(database_url).campaigns.releases.frozen(8)
    assert frozen is not None
    html = render_report_html(frozen[1], 8, "en")
    assert "Synthetic Act s. 1" not in html and cell.citation in html

    site = tmp_path / "s"
    code, out = _run(
        capsys,
        monkeypatch,
        "publish",
        "site",
        "--edition",
        "8",
        "-o",
        str(site),
        "--workers",
        "1",
        *db,
    )
    assert code == 0 and "from its snapshot" in out
    page = (site / "en" / "jurisdictions" / "THA.html").read_text(encoding="utf-8")
    assert "Synthetic Act s. 1" not in page and html_escape(cell.citation) in page
    assert "Synthetic Act s. 1" in _live_page(database_url)  # the explorer shows it live

    # the snapshot itself changed behind its digest: publishing is refused, nothing written
    with Session(open_container(database_url).engine) as session, session.begin():
        session.execute(update(ReleaseValueRow).values(citation="tampered"))
    with contextlib.suppress(FileNotFoundError):
        pdf.unlink()
    code, out = _run(
        capsys, monkeypatch, "publish", "report", "--edition", "8", "-o", str(pdf), *db
    )
    assert code == 1 and "snapshot changed since its release" in out and not pdf.exists()


def _live_page(database_url: str) -> str:
    from fastapi.testclient import TestClient

    with TestClient(create_app(database_url)) as client:
        return client.get("/en/jurisdictions/THA").text
