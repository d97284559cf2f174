"""Accounts on a real database (SQLite, and PostgreSQL in the full run): users, argon2id hashes,
sessions, the same 401 for every failed login, rate limiting, and the audit of user changes."""

from __future__ import annotations

from typing import Literal

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, text

from childsafe.accounts.limits import LoginRateLimiter
from childsafe.accounts.model import Role
from childsafe.accounts.service import AccountsService
from childsafe.accounts.store import SqlAccountStore
from childsafe.kernel.errors import (
    Conflict,
    Forbidden,
    InvalidValue,
    TooManyRequests,
    Unauthenticated,
)
from childsafe.review.store import SqlReviewStore
from tests.accounts.helpers import FAST_HASHER, OPERATOR, PASSWORD, FakeClock, add_user

IP = "192.0.2.10"


@pytest.fixture
def accounts(engine: Engine, clock: FakeClock) -> AccountsService:
    return AccountsService(
        SqlAccountStore(engine),
        hasher=FAST_HASHER,
        limiter=LoginRateLimiter(clock=clock.seconds),
        clock=clock,
    )


def test_a_user_signs_in_and_the_session_knows_them(accounts: AccountsService) -> None:
    accounts.create_user(
        OPERATOR,
        "Alice",
        role="reviewer",
        password=PASSWORD,
        display_name="Alice Example",
        organisation_id="example-org",
    )
    session_token, csrf_token = accounts.login("alice", PASSWORD, IP)
    user = accounts.session_user(session_token)
    assert user is not None
    assert (user.username, user.display_name, user.role, user.organisation_id) == (
        "alice",
        "Alice Example",
        Role.REVIEWER,
        "example-org",
    )
    assert user.csrf_token == csrf_token and csrf_token != session_token
    assert len(session_token) >= 43  # token_urlsafe(32)
    assert accounts.session_user("not-a-token") is None
    assert accounts.session_user(None) is None


def test_only_the_argon2id_hash_and_the_token_digest_are_stored(
    accounts: AccountsService, engine: Engine
) -> None:
    accounts.create_user(OPERATOR, "alice", role=Role.RESEARCHER, password=PASSWORD)
    session_token, _ = accounts.login("alice", PASSWORD, IP)
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT password_hash FROM users")).scalar_one()
        digest = connection.execute(text("SELECT token_sha256 FROM sessions")).scalar_one()
        dumped = " ".join(str(row) for row in connection.execute(text("SELECT * FROM audit_log")))
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert session_token not in digest and len(digest) == 64
    assert PASSWORD not in dumped and "$argon2" not in dumped


@pytest.mark.parametrize(
    ("username", "password"),
    [("alice", "wrong password!!"), ("nobody-here", PASSWORD), ("x", PASSWORD)],
)
def test_every_failed_login_is_the_same_401(
    accounts: AccountsService, username: str, password: str
) -> None:
    accounts.create_user(OPERATOR, "alice", role=Role.RESEARCHER, password=PASSWORD)
    with pytest.raises(Unauthenticated) as failed:
        accounts.login(username, password, IP)
    assert (failed.value.status, failed.value.code) == (401, "unauthenticated")
    assert failed.value.message == "wrong username or password"
    assert failed.value.details == {}


def test_an_unknown_user_costs_a_password_check_too(engine: Engine) -> None:
    class CountingHasher(PasswordHasher):
        verified = 0

        def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
            CountingHasher.verified += 1
            return super().verify(hash, password)

    accounts = AccountsService(
        SqlAccountStore(engine), hasher=CountingHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )
    with pytest.raises(Unauthenticated):
        accounts.login("nobody-here", PASSWORD, IP)
    assert CountingHasher.verified == 1  # against a dummy hash, as long as a real check


def test_a_deactivated_user_cannot_sign_in_and_is_signed_out(accounts: AccountsService) -> None:
    accounts.create_user(OPERATOR, "alice", role=Role.RESEARCHER, password=PASSWORD)
    session_token, _ = accounts.login("alice", PASSWORD, IP)
    accounts.deactivate(OPERATOR, "alice")
    assert accounts.session_user(session_token) is None
    with pytest.raises(Unauthenticated, match="wrong username or password"):
        accounts.login("alice", PASSWORD, IP)
    assert accounts.get_user(OPERATOR, "alice").active is False
    accounts.reactivate(OPERATOR, "alice")
    assert accounts.session_user(accounts.login("alice", PASSWORD, IP).session_token)


def test_five_failures_then_429_even_with_the_right_password(
    accounts: AccountsService, clock: FakeClock
) -> None:
    accounts.create_user(OPERATOR, "alice", role=Role.RESEARCHER, password=PASSWORD)
    for _ in range(5):
        with pytest.raises(Unauthenticated):
            accounts.login("alice", "wrong password!!", IP)
    with pytest.raises(TooManyRequests) as limited:
        accounts.login("alice", PASSWORD, IP)
    assert (limited.value.status, limited.value.code) == (429, "rate_limited")
    assert limited.value.details["retry_after"] == 300
    accounts.login("alice", PASSWORD, "192.0.2.99")  # another address is not blocked
    clock.advance(seconds=301)
    assert accounts.login("alice", PASSWORD, IP)


def test_sessions_expire_and_logout_ends_them(accounts: AccountsService, clock: FakeClock) -> None:
    accounts.create_user(OPERATOR, "alice", role=Role.RESEARCHER, password=PASSWORD)
    first, _ = accounts.login("alice", PASSWORD, IP)
    second, _ = accounts.login("alice", PASSWORD, IP)
    accounts.logout(first)
    assert accounts.session_user(first) is None
    assert accounts.session_user(second) is not None  # other sessions go on
    clock.advance(hours=12)
    assert accounts.session_user(second) is None


def test_the_hash_is_renewed_when_the_parameters_change(engine: Engine) -> None:
    store = SqlAccountStore(engine)
    AccountsService(store, hasher=FAST_HASHER).create_user(
        OPERATOR, "alice", role=Role.RESEARCHER, password=PASSWORD
    )
    stronger = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1)
    AccountsService(store, hasher=stronger).login("alice", PASSWORD, IP)
    found = store.user("alice")
    assert found is not None
    assert not stronger.check_needs_rehash(found[1])
    assert "m=2048,t=2" in found[1]


def test_duplicate_usernames_conflict(accounts: AccountsService) -> None:
    accounts.create_user(OPERATOR, "alice", role=Role.RESEARCHER, password=PASSWORD)
    with pytest.raises(Conflict, match="already exists") as duplicate:
        accounts.create_user(OPERATOR, "ALICE", role=Role.REVIEWER, password=PASSWORD)
    assert duplicate.value.status == 409


def test_bad_input_is_refused(accounts: AccountsService) -> None:
    with pytest.raises(InvalidValue, match="12 characters"):
        accounts.create_user(OPERATOR, "alice", role=Role.RESEARCHER, password="too short")
    with pytest.raises(InvalidValue, match="no role 'astronaut'"):
        accounts.create_user(OPERATOR, "alice", role="astronaut", password=PASSWORD)
    assert accounts.list_users(OPERATOR) == []


def test_only_admins_manage_users(accounts: AccountsService) -> None:
    admin = add_user(accounts, "dana", Role.ADMIN)
    reviewer = add_user(accounts, "bob", Role.REVIEWER)
    with pytest.raises(Forbidden):
        accounts.create_user(reviewer, "eve", role=Role.ADMIN, password=PASSWORD)
    with pytest.raises(Unauthenticated):
        accounts.list_users(None)
    accounts.create_user(admin, "eve", role=Role.RESEARCHER, password=PASSWORD)
    assert accounts.set_role(admin, "eve", "reviewer").role is Role.REVIEWER
    with pytest.raises(Forbidden, match="your own role"):
        accounts.set_role(admin, "dana", Role.RESEARCHER)
    with pytest.raises(Forbidden):
        accounts.deactivate(admin, "dana")
    assert [u.username for u in accounts.list_users(admin)] == ["bob", "dana", "eve"]


def test_a_role_change_applies_to_open_sessions(accounts: AccountsService) -> None:
    accounts.create_user(OPERATOR, "alice", role=Role.RESEARCHER, password=PASSWORD)
    token, _ = accounts.login("alice", PASSWORD, IP)
    accounts.set_role(OPERATOR, "alice", Role.REVIEWER)
    user = accounts.session_user(token)
    assert user is not None and user.role is Role.REVIEWER


def test_changing_ones_own_password_needs_the_current_one(accounts: AccountsService) -> None:
    alice = add_user(accounts, "alice", Role.RESEARCHER)
    token, _ = accounts.login("alice", PASSWORD, IP)
    with pytest.raises(Unauthenticated):
        accounts.set_password(alice, "alice", "a brand new passphrase", current_password="nope")
    with pytest.raises(Forbidden):
        accounts.set_password(alice, "someone-else", "a brand new passphrase")
    accounts.set_password(alice, "alice", "a brand new passphrase", current_password=PASSWORD)
    assert accounts.session_user(token) is None  # signed out everywhere
    with pytest.raises(Unauthenticated):
        accounts.login("alice", PASSWORD, IP)
    assert accounts.login("alice", "a brand new passphrase", IP)


def test_user_changes_are_audited(accounts: AccountsService, engine: Engine) -> None:
    accounts.create_user(OPERATOR, "alice", role=Role.RESEARCHER, password=PASSWORD)
    accounts.set_role(OPERATOR, "alice", Role.REVIEWER)
    accounts.set_password(OPERATOR, "alice", "another passphrase")
    entries = SqlReviewStore(engine).audit_log(entity_key="user/alice")
    assert [(e.action, e.actor, e.before, e.after) for e in entries] == [
        ("user.update", OPERATOR.name, {"password": "(not shown)"}, {"password": "changed"}),
        ("user.update", OPERATOR.name, {"role": "researcher"}, {"role": "reviewer"}),
        (
            "user.create",
            OPERATOR.name,
            None,
            {
                "username": "alice",
                "display_name": "alice",
                "role": "researcher",
                "organisation_id": None,
                "active": True,
            },
        ),
    ]
