"""The API against its own OpenAPI document, signed in as every role (the anonymous run is
tests/app/test_schemathesis.py): no 5xx, only documented statuses, response bodies valid
where the document gives them a schema.

The suite runs a few examples per operation and role; the long run (60 s or more per role) is
the documented command in docs/api.md ("Testing the API"):
``CHILDSAFE_SCHEMATHESIS_EXAMPLES=30 .venv/bin/pytest tests/security/test_schemathesis_roles.py``.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.security.web_clients import PEOPLE, app_with_people, signed_in


def _database_url() -> str:
    """A database for this module (schemathesis builds its tests at import, before fixtures):
    SQLite, or a fresh database on the PostgreSQL server of a PostgreSQL run."""
    if os.environ.get("CHILDSAFE_TEST_BACKEND") != "postgresql":
        folder = Path(tempfile.mkdtemp(prefix="childsafe-schemathesis-roles-"))
        return f"sqlite:///{folder / 'api.sqlite3'}"
    server_url = os.environ["CHILDSAFE_TEST_POSTGRES_URL"]
    name = f"st_roles_{uuid.uuid4().hex[:12]}"
    server = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    server.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


EXAMPLES = int(os.environ.get("CHILDSAFE_SCHEMATHESIS_EXAMPLES", "2"))
_APP = app_with_people(_database_url())
# Signed in once, before any generated sign-in fails: the sign-in limiter counts per address.
_SESSIONS = {role: signed_in(_APP, role) for role in PEOPLE}
# Signing out would leave the role's remaining cases anonymous.
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", _APP).exclude(
    method="DELETE", path="/api/v1/session"
)


@pytest.mark.parametrize("role", list(PEOPLE))
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_conforms_signed_in_as(case: schemathesis.Case[Any], role: str) -> None:
    client, csrf = _SESSIONS[role]
    cookie = f"childsafe_session={client.cookies['childsafe_session']}"
    case.call_and_validate(
        headers={"Cookie": cookie, "X-CSRF-Token": csrf},
        # A schema-valid body may still name no jurisdiction or site that exists: a 422 from
        # the domain is right there. Every other check, server errors first, still runs.
        excluded_checks=[positive_data_acceptance],
    )
