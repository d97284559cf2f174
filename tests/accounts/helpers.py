"""Helpers for the accounts and editorial tests: a cheap password hasher, a clock the test
moves, synthetic users, and a client signed in to the API. Not a conftest: import what you
use."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient

from childsafe.accounts.model import AuthenticatedUser, Operator, Role, User
from childsafe.accounts.service import AccountsService

# argon2id with tiny parameters: the tests check behaviour, not hashing cost.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
OPERATOR = Operator("tester (command line)")
PASSWORD = "correct horse battery"  # synthetic, >= 12 characters


class FakeClock:
    """Both clocks the accounts use: aware datetimes (sessions) and seconds (the limiter)."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
        self.start = self.now

    def __call__(self) -> datetime:
        return self.now

    def seconds(self) -> float:
        return (self.now - self.start).total_seconds()

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def signed_in(user: User) -> AuthenticatedUser:
    """The ``AuthenticatedUser`` a session of ``user`` would give."""
    return user.signed_in()


def add_user(accounts: AccountsService, username: str, role: Role) -> AuthenticatedUser:
    return signed_in(accounts.create_user(OPERATOR, username, role=role, password=PASSWORD))


def api_session(app: FastAPI, username: str) -> tuple[TestClient, dict[str, str]]:
    """A client signed in as ``username`` (``POST /api/v1/session``, password ``PASSWORD``) and
    the CSRF header its writes send."""
    client = TestClient(app, base_url="https://testserver")
    response = client.post("/api/v1/session", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return client, {"X-CSRF-Token": response.json()["csrf_token"]}
