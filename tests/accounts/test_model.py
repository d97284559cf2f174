"""Roles and permissions, usernames and passwords, the login rate limiter (pure)."""

from __future__ import annotations

import pytest

from childsafe.accounts.limits import LoginRateLimiter
from childsafe.accounts.model import (
    PERMISSIONS,
    Action,
    AuthenticatedUser,
    Operator,
    Role,
    can,
    check_password,
    clean_username,
    require,
    require_user,
)
from childsafe.kernel.errors import (
    Conflict,
    Forbidden,
    InvalidValue,
    TooManyRequests,
    Unauthenticated,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _user(role: Role) -> AuthenticatedUser:
    return AuthenticatedUser(id=1, username="synthetic-user", display_name="S", role=role)


REPORTING_ADMIN = {
    "submit_reports",
    "triage",
    "read_cases",
    "propose_alerts",
    "approve_alerts",
    "read_alerts",
    "read_own_alerts",
    "acknowledge_alerts",
    "export_str",
    "export_reports",
    "read_metrics",
    "manage_tokens",
}


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.RESEARCHER, {"propose", "read_proposals"}),
        (Role.REVIEWER, {"propose", "read_proposals", "review", "read_audit"}),
        (
            Role.ADMIN,
            {
                "propose",
                "read_proposals",
                "review",
                "read_audit",
                "manage_users",
                "read_actions",
                "edit_actions",
                "manage_directory",
                *REPORTING_ADMIN,  # everything but recording test transactions
            },
        ),
        (
            Role.COORDINATOR,
            {
                "read_actions",
                "edit_actions",
                "submit_reports",
                "read_cases",
                "propose_alerts",
                "approve_alerts",
                "read_alerts",
                "export_str",
                "export_reports",
                "read_metrics",
            },
        ),
        (
            Role.MEMBER,
            {
                "read_actions",
                "submit_reports",
                "read_cases",
                "read_own_alerts",
                "acknowledge_alerts",
                "export_str",
                "read_metrics",
            },
        ),
        (
            Role.HOTLINE_ANALYST,
            {
                "submit_reports",
                "triage",
                "read_cases",
                "propose_alerts",
                "read_alerts",
                "export_reports",
                "read_metrics",
            },
        ),
        (
            Role.LAW_ENFORCEMENT,
            {"submit_reports", "read_cases", "record_test_transactions", "read_metrics"},
        ),
    ],
)
def test_the_permission_table(role: Role, allowed: set[str]) -> None:
    assert {a.value for a in Action if can(role, a)} == allowed
    assert {a.value for a in Action if can(role.value, a.value)} == allowed  # plain strings too


def test_every_role_has_permissions_and_unknown_ones_have_none() -> None:
    assert set(PERMISSIONS) == set(Role)
    assert not can("law_enforcement", "propose")
    assert [r for r in Role if can(r, "record_test_transactions")] == [Role.LAW_ENFORCEMENT]
    assert [r for r in Role if can(r, "approve_alerts")] == [Role.ADMIN, Role.COORDINATOR]
    assert not can(Role.ADMIN, "delete_everything")


def test_require_says_401_when_nobody_and_403_when_the_role_may_not() -> None:
    with pytest.raises(Unauthenticated) as nobody:
        require(None, Action.PROPOSE)
    assert (nobody.value.status, nobody.value.code) == (401, "unauthenticated")
    with pytest.raises(Forbidden) as researcher:
        require(_user(Role.RESEARCHER), Action.REVIEW)
    assert (researcher.value.status, researcher.value.code) == (403, "forbidden")
    assert require_user(_user(Role.REVIEWER), Action.REVIEW).username == "synthetic-user"
    operator = Operator("tester (command line)")
    assert require(operator, Action.MANAGE_USERS) is operator
    with pytest.raises(Unauthenticated):
        require_user(operator, Action.REVIEW)  # decisions need a person, not the command line


def test_error_classes_carry_their_status() -> None:
    assert (Conflict("x").status, Conflict("x").code) == (409, "conflict")
    limited = TooManyRequests("slow down", retry_after=12)
    assert (limited.status, limited.code, limited.retry_after) == (429, "rate_limited", 12)
    assert limited.to_dict()["error"]["details"] == {"retry_after": 12}


@pytest.mark.parametrize("text", ["Alice", " alice ", "ALICE"])
def test_usernames_are_lower_cased(text: str) -> None:
    assert clean_username(text) == "alice"


@pytest.mark.parametrize("text", ["ab", "a" * 65, "a b c", "alice@example.org", "", "élise"])
def test_bad_usernames_are_refused(text: str) -> None:
    with pytest.raises(InvalidValue):
        clean_username(text)


def test_usernames_allow_digits_dots_dashes_and_underscores() -> None:
    assert clean_username("r.smith_2-x") == "r.smith_2-x"
    assert clean_username("a" * 64) == "a" * 64


@pytest.mark.parametrize("password", ["short", "x" * 11, " " * 20, "y" * 1025])
def test_the_password_policy_refuses(password: str) -> None:
    with pytest.raises(InvalidValue):
        check_password(password)


def test_the_password_policy_accepts_twelve_characters() -> None:
    check_password("x" * 12)
    check_password("a long passphrase with spaces")


def test_the_limiter_blocks_after_five_failures_until_the_window_slides() -> None:
    clock = Clock()
    limiter = LoginRateLimiter(max_failures=5, window_seconds=300, clock=clock)
    for _ in range(5):
        limiter.check("alice", "192.0.2.1")
        limiter.record_failure("alice", "192.0.2.1")
        clock.now += 10
    with pytest.raises(TooManyRequests) as blocked:
        limiter.check("ALICE", "192.0.2.1")  # the username is not case-sensitive
    assert blocked.value.retry_after == 250  # the first failure (at 1000) leaves at 1300
    limiter.check("alice", "192.0.2.2")  # another address is not blocked
    limiter.check("bob", "192.0.2.1")  # nor another user from that address
    clock.now = 1300
    limiter.check("alice", "192.0.2.1")  # the oldest failure left the window


def test_the_limiter_blocks_an_address_trying_many_usernames() -> None:
    clock = Clock()
    limiter = LoginRateLimiter(
        max_failures=5, window_seconds=300, max_failures_per_ip=20, clock=clock
    )
    for n in range(20):
        limiter.record_failure(f"user{n}", "198.51.100.7")
    with pytest.raises(TooManyRequests):
        limiter.check("somebody-new", "198.51.100.7")
    limiter.check("somebody-new", "198.51.100.8")


def test_a_success_resets_that_users_failures() -> None:
    clock = Clock()
    limiter = LoginRateLimiter(clock=clock)
    for _ in range(4):
        limiter.record_failure("alice", "192.0.2.1")
    limiter.reset("alice", "192.0.2.1")
    for _ in range(4):
        limiter.record_failure("alice", "192.0.2.1")
    limiter.check("alice", "192.0.2.1")  # 4 since the reset: still allowed
