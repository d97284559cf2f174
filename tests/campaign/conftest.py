"""The campaign over HTTP: an application with edition 9 under way (carried from the 8th), an
editor (rob, reviewer) and a researcher (rita), and a client on it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from childsafe.app.web import create_app
from tests.accounts.helpers import OPERATOR, PASSWORD


@pytest.fixture
def app(database_url: str) -> FastAPI:
    application = create_app(database_url)
    for name, role in (("rob", "reviewer"), ("rita", "researcher")):
        application.state.accounts.create_user(OPERATOR, name, role=role, password=PASSWORD)
    application.state.campaigns.planning.start(OPERATOR, 9, carry_from=8)
    return application


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url="https://testserver") as test_client:
        yield test_client
