"""``childsafe serve`` renders what the first readers ask for before it answers anyone: the first
page a process renders pays for templates, catalogs and an edition's results (0.6-0.9 s), and
every connection that asked for it meanwhile waited (bench/web_load.py's p99 at 10 connections)."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from childsafe.app.serve import warm_paths
from childsafe.app.web import create_app
from childsafe.kernel.languages import LANGUAGES


def test_the_pages_first_readers_ask_for_are_ready_when_serving_starts(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    app = create_app(database_url)
    app.state.warm_paths = warm_paths(app)
    assert [f"/{code}/" for code in LANGUAGES] == app.state.warm_paths[: len(LANGUAGES)]
    latest = app.state.review.latest_edition()
    assert f"/api/v1/editions/{latest}/results" in app.state.warm_paths
    assert any(path.startswith("/en/jurisdictions/") for path in app.state.warm_paths)
    with caplog.at_level(logging.WARNING), TestClient(app):
        version = app.state.data_version.current()[0]
        for code in LANGUAGES:
            assert isinstance(app.state.documents.peek(version, f"html:/{code}/?"), bytes)
    assert "warm-up" not in caplog.text  # every warmed path answered 200


def test_an_application_not_served_warms_nothing(database_url: str) -> None:
    app = create_app(database_url)
    with TestClient(app):
        version = app.state.data_version.current()[0]
        assert app.state.documents.peek(version, "html:/en/?") is None
