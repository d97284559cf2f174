"""The search API's response bodies."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Kind = Literal["jurisdiction", "grouping", "criterion", "member"]


class SearchResult(BaseModel):
    kind: Kind = Field(description="What was found.")
    id: str = Field(description="Its id: an ISO 3166-1 alpha-3 code, a grouping, C1…, a member.")
    label: str = Field(description="Its name in the requested language.")
    matched: str = Field(description="The name or code the query matched, as written.")
    href: str = Field(description="Its page in the requested language.")


class SearchResults(BaseModel):
    query: str
    lang: str
    results: list[SearchResult] = Field(description="Best first, at most 20.")
