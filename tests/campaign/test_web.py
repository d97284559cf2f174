"""The campaign over HTTP: the verifier's capability page (noindex, nothing else of the site,
refusals that write nothing, rate-limited), the progress page and API, the release API (the
``app`` and ``client`` fixtures are conftest's)."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from childsafe.kernel.web.ratelimit import SubmissionLimiter
from tests.accounts.helpers import OPERATOR, PASSWORD

CORRECTION = {
    "answer_C1": "confirm",
    "answer_C2": "confirm",
    "answer_C3": "correct",
    "value_C3": "partial",
    "citation_C3": "Synthetic Computer Crimes Act 2017, s. 14",
    "excerpt_C3": "Synthetic excerpt.",
    "note_C3": "synthetic correction",
    "answer_C4": "confirm",
    "answer_C5": "confirm",
}


def _invite(app: FastAPI, code: str = "THA", lang: str = "en") -> str:
    invitation = app.state.campaigns.verification.invite(
        OPERATOR, 9, code, email="counsel@example.org", name="Synthetic Counsel", lang=lang
    )
    return str(invitation.url.split("testserver", 1)[-1].split("8000", 1)[-1])


def _pending(app: FastAPI) -> int:
    return len(app.state.editorial.pending(OPERATOR, edition=9))


def test_the_verifier_page_shows_the_draft_and_nothing_else(
    app: FastAPI, client: TestClient
) -> None:
    path = _invite(app, lang="ar")
    page = client.get(path)
    assert page.status_code == 200
    assert page.headers["x-robots-tag"].startswith("noindex")
    assert page.headers["referrer-policy"] == "no-referrer"
    assert '<meta name="robots" content="noindex' in page.text
    assert 'dir="rtl"' in page.text and 'name="answer_C5"' in page.text
    for elsewhere in ("/login", "/report", "/proposals", "/sites", "/audit"):
        assert elsewhere not in page.text


def test_answers_become_proposals_and_the_link_closes(app: FastAPI, client: TestClient) -> None:
    path = _invite(app)
    pdf = ("act.pdf", b"%PDF-1.7 synthetic statute", "application/pdf")
    answered = client.post(path, data=CORRECTION, files={"attachment": pdf})
    assert answered.status_code == 200, answered.text
    assert _pending(app) == 5
    diff = app.state.campaigns.planning.jurisdiction(OPERATOR, 9, "THA")["diff"]
    assert [(row["criterion"], row["draft"]) for row in diff] == [("C3", "partial")]
    notes = {p.note for p in app.state.editorial.pending(OPERATOR, edition=9)}
    assert len(notes) == 1 and notes.pop().startswith("attached: act.pdf (26 bytes")
    again = client.get(path)
    assert again.status_code == 410 and 'data-state="used"' in again.text
    assert client.post(path, data=CORRECTION).status_code == 410
    assert _pending(app) == 5


@pytest.mark.parametrize(
    ("mangle", "status", "state"),
    [
        (lambda p: p[:-4] + "AAAA", 403, "forged"),
        (lambda p: p.replace("/THA/", "/PHL/"), 403, "other_jurisdiction"),
        (lambda p: p + "x", 403, "forged"),
    ],
)
def test_a_wrong_link_is_refused_and_writes_nothing(
    app: FastAPI, client: TestClient, mangle: object, status: int, state: str
) -> None:
    path = mangle(_invite(app))  # type: ignore[operator]
    for response in (client.get(path), client.post(path, data=CORRECTION)):
        assert response.status_code == status
        assert f'data-state="{state}"' in response.text
        assert response.headers["x-robots-tag"].startswith("noindex")
    assert _pending(app) == 0


def test_an_image_attachment_is_refused_and_nothing_is_written(
    app: FastAPI, client: TestClient
) -> None:
    path = _invite(app)
    png = ("act.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 32, "application/pdf")
    refused = client.post(path, data=CORRECTION, files={"attachment": png})
    assert refused.status_code == 422 and "images and videos" in refused.text
    assert 'value="Synthetic Computer Crimes Act 2017, s. 14"' in refused.text  # kept
    assert '<option value="partial" selected>' in refused.text
    assert _pending(app) == 0
    assert client.get(path).status_code == 200  # the link is still open


def test_links_are_rate_limited(app: FastAPI, client: TestClient) -> None:
    app.state.verify_limiter = SubmissionLimiter(limit=3, what="requests")
    path = _invite(app)
    codes = [client.get(path).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_progress_for_editors_only(app: FastAPI, client: TestClient) -> None:
    assert client.get("/api/v1/campaigns/9").status_code == 401
    signed = client.post("/api/v1/session", json={"username": "rob", "password": PASSWORD})
    assert signed.status_code == 200
    status = client.get("/api/v1/campaigns/9").json()
    assert sum(status["counts"].values()) == status["universe"] == 196
    page = client.get("/en/campaigns/9")
    assert page.status_code == 200 and "world-map" in page.text
    assert "campaign-not-started" in page.text
    detail = client.get("/api/v1/campaigns/9/jurisdictions/THA").json()
    assert detail["carried_from"] == 8 and len(detail["drafts"]) == 5
    assert detail["diff"] == []  # nothing changed yet
    assert client.get("/en/campaigns/9/THA").status_code == 200


def test_the_release_api(app: FastAPI, client: TestClient) -> None:
    assert client.get("/api/v1/releases/9").status_code == 404
    app.state.campaigns.releases.release(OPERATOR, 9)
    released = client.get("/api/v1/releases/9").json()
    assert released["edition"] == 9 and released["cells"] == 0
