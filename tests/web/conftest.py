from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from childsafe.web.app import create_app


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    """The application on this test's fresh database (seeded on start), over HTTPS so that
    Secure cookies are sent back as a browser would."""
    with TestClient(create_app(database_url), base_url="https://testserver") as test_client:
        yield test_client
