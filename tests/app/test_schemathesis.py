"""Property-based tests of the API against its own OpenAPI document, with every check."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings

from childsafe.app.web import create_app

# One database for the whole module: schemathesis generates its tests at import time.
_DB = Path(tempfile.mkdtemp(prefix="childsafe-schemathesis-")) / "api.sqlite3"
_URL = os.environ.get("CHILDSAFE_SCHEMATHESIS_DATABASE_URL", f"sqlite:///{_DB}")
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", create_app(_URL))


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_conforms_to_its_openapi_document(case: schemathesis.Case[Any]) -> None:
    case.call_and_validate()
