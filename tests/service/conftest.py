"""Fixtures the service tests share: a fixed clock, and reporting on a seeded database."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from childsafe.services.reports import ReportsService
from childsafe.services.review import ReviewService
from tests.accounts_helpers import FakeClock
from tests.reports_helpers import reports_on


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()  # 2026-11-28 12:00 UTC


@pytest.fixture
def reports(service: ReviewService, engine: Engine, clock: FakeClock) -> ReportsService:
    return reports_on(service, engine, clock)
