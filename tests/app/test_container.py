"""The composition root builds each service once, on one engine, and hands commands theirs
by type."""

from __future__ import annotations

import pytest

from childsafe.app.container import Container, open_container
from childsafe.app.web import create_app
from childsafe.kernel.cli import services
from childsafe.kernel.errors import ConfigurationError
from childsafe.reports.service.core import ReportsService
from childsafe.review import service as review_service
from childsafe.review.service import ReviewService


def test_create_app_builds_the_review_service_once(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[ReviewService] = []
    original = review_service.ReviewService.__init__

    def counted(self: ReviewService, *args: object, **kwargs: object) -> None:
        built.append(self)
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(review_service.ReviewService, "__init__", counted)
    app = create_app(database_url)
    container: Container = app.state.container
    assert len(built) == 1
    assert app.state.review is container.review is app.state.editorial.review
    assert app.state.coalition.review is container.review is app.state.reports.base.review


def test_commands_get_one_service_per_database_by_type(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "_opener", [])
    services.provide(open_container)  # as app/cli.py does
    container = open_container(database_url)
    assert open_container(database_url) is container
    reports = services.service(ReportsService, database_url)
    assert reports is container.reports is container.service(ReportsService)
    with pytest.raises(ConfigurationError, match="no service"):
        container.service(str)


def test_without_a_composition_root_a_command_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "_opener", [])
    with pytest.raises(ConfigurationError, match="composition root"):
        services.service(ReviewService, None)
