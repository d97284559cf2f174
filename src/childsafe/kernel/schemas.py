"""Shapes every feature's API shares: the base of each response model, the one error body,
and the provenance every published value carries.

Response models describe the JSON documents the services build (the OpenAPI document at
``/api/v1/openapi.json`` is generated from them). Hot read routes keep serving their cached
bytes (``kernel/web/responses.py``): the model documents the route, and the schemathesis runs
prove that the bytes validate against it.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field


class Schema(BaseModel):
    """The base of every response model: field docstrings become the OpenAPI descriptions."""

    model_config = ConfigDict(use_attribute_docstrings=True, populate_by_name=True)


class ErrorDetail(Schema):
    code: str
    """A stable, machine-readable code: not_found, invalid_value, forbidden, conflict, …"""
    message: str
    """What went wrong, in words a person can act on."""
    status: int
    """The HTTP status, repeated in the body."""
    details: dict[str, Any]
    """Where and what: the field, file, line or value concerned (may be empty)."""


class ErrorBody(Schema):
    """The one error shape of every API response with a 4xx or 5xx status."""

    error: ErrorDetail


# Where a recorded value comes from: what every published assessment and every proposal
# carries, after the cell and its value (the models spell the four fields out in that order).
Citation = Annotated[str, Field(description="The law or article cited, as written (may be empty)")]
Excerpt = Annotated[str, Field(description="The words of the law relied on (may be empty)")]
SourceText = Annotated[
    str, Field(description="Where the value was read: a publication or an address")
]
Note = Annotated[str, Field(description="Why, or what is uncertain (may be empty)")]


class SourceRef(Schema):
    """A publication the shipped figures and assessments were read from."""

    id: str
    title: str
    publisher: str | None
    url: str | None
    location: str | None = Field(description="Where the project keeps its copy, if it does")
    citation: str | None = Field(
        default=None, description="The source as a reader would cite it (what pages show)"
    )
    note: str | None


TEXT_BODY: dict[str, Any] = {"schema": {"type": "string"}}
"""The OpenAPI content schema of a non-JSON download (CSV, XML, plain text)."""
BINARY_BODY: dict[str, Any] = {"schema": {"type": "string", "format": "binary"}}
"""The OpenAPI content schema of a binary download (XLSX)."""
