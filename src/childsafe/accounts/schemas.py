"""The accounts' API documents as response models: who signed in, and their CSRF token."""

from __future__ import annotations

from pydantic import Field

from childsafe.kernel.schemas import Schema


class SessionUser(Schema):
    username: str
    display_name: str
    role: str = Field(description="researcher, reviewer, admin, coordinator, member, …")
    organisation: str | None = Field(description="The organisation id, for roles that have one")


class SignedIn(Schema):
    """``POST /session``: the session cookie is set; send this token as ``X-CSRF-Token``."""

    user: SessionUser
    csrf_token: str = Field(description="Send it in the X-CSRF-Token header of every write")
