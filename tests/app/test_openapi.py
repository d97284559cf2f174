"""The OpenAPI document describes every answer: each 2xx body of each operation has a schema
(a response model from a feature's ``schemas.py``), each error the one error body; and the
bodies the API serves for the shipped data are exactly what those models describe (the hot read
routes serve cached bytes, so this is where their models are held to them)."""

from __future__ import annotations

import importlib
import pkgutil
import re
from types import ModuleType
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

import childsafe
from childsafe.app.web import create_app
from tests.accounts.helpers import OPERATOR, PASSWORD

# Every ``schemas`` module of the kernel and the features, found rather than listed, so a new
# feature's models are held to the same rules without editing this test.
SCHEMA_MODULES: tuple[ModuleType, ...] = tuple(
    importlib.import_module(found.name)
    for found in pkgutil.walk_packages(childsafe.__path__, "childsafe.")
    if found.name.endswith(".schemas")
)
NO_BODY = {"204", "304"}
JSON = "application/json"


def _models() -> dict[str, type[BaseModel]]:
    found: dict[str, type[BaseModel]] = {}
    for module in SCHEMA_MODULES:
        for name, value in vars(module).items():
            mine = isinstance(value, type) and value.__module__ == module.__name__
            if mine and issubclass(value, BaseModel):
                assert name not in found, f"{name} is defined twice: names must be unique"
                found[name] = value
    return found


MODELS = _models()


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("openapi")
    openapi: dict[str, Any] = create_app(f"sqlite:///{folder / 'api.sqlite3'}").openapi()
    return openapi


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    ]


def test_every_success_response_has_a_schema(document: dict[str, Any]) -> None:
    missing = []
    for method, path, operation in _operations(document):
        successes = {s: r for s, r in operation["responses"].items() if s.startswith("2")}
        assert successes, f"{method} {path} documents no success"
        for status, response in successes.items():
            content = response.get("content") or {}
            if status in NO_BODY:
                assert content == {}, f"{method} {path} {status} has no body"
                continue
            if not content:
                missing.append(f"{method} {path} {status}: no content")
            for media, described in content.items():
                if not described.get("schema"):
                    missing.append(f"{method} {path} {status} {media}: no schema")
    assert missing == []


def test_every_json_body_is_a_response_model_from_a_schemas_module(
    document: dict[str, Any],
) -> None:
    """A named model (no inline ``{}``), found in a feature's ``schemas.py``."""
    wrong = []
    for method, path, operation in _operations(document):
        for status, response in operation["responses"].items():
            schema = (response.get("content") or {}).get(JSON, {}).get("schema", {})
            name = schema.get("$ref", "").rsplit("/", 1)[-1]
            if JSON in (response.get("content") or {}) and name not in MODELS:
                wrong.append(f"{method} {path} {status}: {schema}")
    assert wrong == []


def test_every_error_is_the_one_error_body(document: dict[str, Any]) -> None:
    for method, path, operation in _operations(document):
        for status, response in operation["responses"].items():
            if status[0] in "45":
                schema = response["content"][JSON]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorBody"}, (method, path)
    shape = document["components"]["schemas"]
    assert shape["ErrorBody"]["required"] == ["error"]
    assert shape["ErrorDetail"]["required"] == ["code", "message", "status", "details"]


def _model_of(document: dict[str, Any], method: str, url: str, status: int) -> type[BaseModel]:
    path = url.split("?", maxsplit=1)[0]
    candidates = [
        (template, operations[method.lower()])
        for template, operations in document["paths"].items()
        if method.lower() in operations
        and re.fullmatch(re.sub(r"\{[^}]+\}", "[^?]+", template), path)
    ]
    candidates.sort(key=lambda found: (found[0].count("{"), -len(found[0])))
    response = candidates[0][1]["responses"][str(status)]
    return MODELS[response["content"][JSON]["schema"]["$ref"].rsplit("/", 1)[-1]]


def _exactly_described(document: dict[str, Any], method: str, url: str, body: bytes) -> None:
    """The body validates strictly against its route's model, and the model writes it back
    byte for byte: no field missing, none of another type, the order and nulls as served."""
    model = _model_of(document, method, url, 200 if method == "GET" else 201)
    again = model.model_validate_json(body, strict=True)
    assert again.model_dump_json(by_alias=True, exclude_unset=True).encode() == body, url


PUBLIC_READS = [
    "/api/v1/editions",
    "/api/v1/editions/9/results",
    "/api/v1/editions/8/results?region=ASEAN",
    "/api/v1/editions/8/table?region=ASEAN",
    "/api/v1/editions/9/map",
    "/api/v1/editions/1/home",
    "/api/v1/comparative?editions=1,7,8,9",
    "/api/v1/criteria",
    "/api/v1/jurisdictions",
    "/api/v1/jurisdictions/THA",
    "/api/v1/groupings",
    "/api/v1/groupings/ASEAN?edition=9",
    "/api/v1/compare?jurisdictions=THA,VNM,PHL",
    "/api/v1/diff?from=7&to=8",
    "/api/v1/assessments?edition=8&jurisdiction=THA",
    "/api/v1/history?jurisdiction=USA",
    "/api/v1/dataset",
    "/api/v1/coalitions",
    "/api/v1/coalitions/APAC-FCACP",
    "/api/v1/coalitions/APAC-FCACP/members",
    "/api/v1/coalitions/APAC-FCACP/roundtables",
    "/api/v1/organisations",
    "/api/v1/working-groups",
    "/api/v1/working-groups/APAC-FCACP/NZL",
    "/api/v1/publications",
    "/api/v1/health",
]


def test_public_answers_are_exactly_their_models(
    client: TestClient, document: dict[str, Any]
) -> None:
    for url in PUBLIC_READS:
        answer = client.get(url)
        assert answer.status_code == 200, (url, answer.text)
        _exactly_described(document, "GET", url, answer.content)


def _sign_in(client: TestClient, username: str, role: str) -> dict[str, str]:
    """Create a synthetic person with ``role`` and sign the client in as them."""
    client.app.state.accounts.create_user(  # type: ignore[attr-defined]
        OPERATOR, username, role=role, password=PASSWORD
    )
    answer = client.post("/api/v1/session", json={"username": username, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return {"X-CSRF-Token": str(answer.json()["csrf_token"])}


def test_signed_in_answers_are_exactly_their_models(
    client: TestClient, document: dict[str, Any]
) -> None:
    """One journey through the private API (synthetic people and example.org sites)."""
    rita = _sign_in(client, "rita", "researcher")
    proposal = {
        "edition": 9,
        "jurisdiction": "THA",
        "criterion": "C1",
        "value": "no",
        "citation": "Synthetic Act s.1 (synthetic test data)",
        "reason": "synthetic test data",
    }
    created = client.post("/api/v1/proposals", json=proposal, headers=rita)
    _exactly_described(document, "POST", "/api/v1/proposals", created.content)
    token = client.app.state.reports.create_token(  # type: ignore[attr-defined]
        OPERATOR, "visa", "synthetic feed"
    )["token"]
    report = {
        "url": "https://pay.example.org/join",
        "incident_type": "commercial_site",
        "notes": "synthetic test data",
        "payment": [{"kind": "card", "brand": "Visa", "identifier": "EXAMPLE*SHOP"}],
    }
    submitted = client.post(
        "/api/v1/reports", json=report, headers={"Authorization": f"Bearer {token}"}
    )
    _exactly_described(document, "POST", "/api/v1/reports", submitted.content)
    report_id = submitted.json()["report"]["id"]
    ana = _sign_in(client, "ana", "hotline_analyst")
    assessed = client.post(
        f"/api/v1/reports/{report_id}/assessment",
        json={"assessment": "baseline", "commercial": True, "hosting_country": "US"},
        headers=ana,
    )
    assert assessed.status_code == 200, assessed.text
    site_id = client.get(f"/api/v1/reports/{report_id}").json()["site"]["id"]
    for url in (
        "/api/v1/reports/queue",
        f"/api/v1/reports/{report_id}",
        "/api/v1/sites",
        f"/api/v1/sites/{site_id}",
        "/api/v1/alerts",
    ):
        answer = client.get(url)
        assert answer.status_code == 200, (url, answer.text)
        _exactly_described(document, "GET", url, answer.content)
    # Metrics are served as json.dumps writes floats (6.83e-05; pydantic: 0.0000683), so
    # they are held to their model strictly, not byte for byte.
    metrics = client.get("/api/v1/metrics")
    assert metrics.status_code == 200, metrics.text
    _model_of(document, "GET", "/api/v1/metrics", 200).model_validate_json(
        metrics.content, strict=True
    )
