"""Cases, pure: stages only move forward, four eyes, who reads which alerts, mirror linking by
shared payment identifiers (union-find against a brute-force closure), and the reviewed
configuration files (operators exist in the directory; referral contacts ship empty).
All identifiers are synthetic."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from childsafe.accounts.model import AuthenticatedUser, Operator, Role
from childsafe.coalition.data import default_coalition_data
from childsafe.kernel.errors import Forbidden, FrameworkError, InvalidValue
from childsafe.kernel.jurisdictions import default_registry
from childsafe.reports.model.cases import (
    STAGES,
    ActionTaken,
    ApiClient,
    Assessment,
    Outcome,
    SiteStatus,
    Stage,
    advanced,
    alert_reader_scope,
    check_four_eyes,
    check_own_organisation,
    clean_enum,
    mirror_groups,
    mirrors_of,
    scoped_organisation,
    stage_of,
)
from childsafe.reports.service.config import (
    ReportsConfig,
    check_operators,
    load_contacts,
    load_operators,
)


def user(role: Role, organisation: str | None = None) -> AuthenticatedUser:
    return AuthenticatedUser(1, "synthetic", "Synthetic Person", role, organisation)


def test_the_values() -> None:
    assert [s.value for s in STAGES] == [
        "received",
        "assessed",
        "referred",
        "notified",
        "acted",
        "closed",
    ]
    assert {a.value for a in Assessment} == {"baseline", "nationally_illegal", "not_illegal"}
    assert {s.value for s in SiteStatus} == {"active", "payment_removed", "down"}
    assert {a.value for a in ActionTaken} == {"merchant_terminated", "wallet_flagged", "other"}
    assert {o.value for o in Outcome} == {
        "completed",
        "declined",
        "card_refused",
        "redirected",
        "site_down",
    }
    assert clean_enum(Outcome, " Card_Refused ", "outcome") is Outcome.CARD_REFUSED
    with pytest.raises(InvalidValue) as bad:
        clean_enum(Assessment, "illegal", "assessment")
    assert "baseline, nationally_illegal, not_illegal" in bad.value.message


def test_stages_only_move_forward() -> None:
    assert advanced(Stage.RECEIVED, Stage.ASSESSED) is Stage.ASSESSED
    assert advanced("notified", Stage.ASSESSED) is Stage.NOTIFIED
    assert advanced(Stage.CLOSED, Stage.ACTED) is Stage.CLOSED
    at = datetime(2024, 5, 1, tzinfo=UTC)
    assert stage_of({}) is Stage.RECEIVED
    assert stage_of({Stage.RECEIVED: at, Stage.ASSESSED: at, Stage.NOTIFIED: None}) is (
        Stage.ASSESSED
    )


def test_four_eyes() -> None:
    check_four_eyes("ana", "cora")
    with pytest.raises(Forbidden) as same:
        check_four_eyes("cora", "CORA")
    assert "four eyes" in same.value.message


def test_who_reads_which_cases_and_alerts() -> None:
    member = user(Role.MEMBER, "visa")
    assert scoped_organisation(member) == "visa"
    assert scoped_organisation(user(Role.MEMBER)) == ""  # no organisation: sees nothing
    assert scoped_organisation(user(Role.HOTLINE_ANALYST)) is None
    assert scoped_organisation(Operator("tester")) is None
    assert alert_reader_scope(member) == "visa"
    assert alert_reader_scope(user(Role.COORDINATOR, "icmec")) is None
    assert alert_reader_scope(user(Role.ADMIN)) is None
    with pytest.raises(Forbidden):
        alert_reader_scope(user(Role.LAW_ENFORCEMENT))
    check_own_organisation(member, "visa", "alert 1")
    with pytest.raises(Forbidden) as other:
        check_own_organisation(member, "mastercard", "alert 1")
    assert "mastercard" in other.value.message


def test_an_api_client_names_its_organisation() -> None:
    client = ApiClient("visa", 7, "nightly feed")
    assert client.label == "visa (API token 'nightly feed')"


def test_mirrors_are_linked_through_shared_identifiers_transitively() -> None:
    pairs = [
        ("a.example.com", "wallet-1"),
        ("b.example.org", "wallet-1"),
        ("b.example.org", "descriptor-9"),
        ("c.example.net", "descriptor-9"),
        ("d.example.com", "wallet-2"),  # alone: shares nothing
        ("e.example.org", "wallet-3"),
        ("f.example.net", "wallet-3"),
    ]
    assert mirror_groups(pairs) == [
        frozenset({"a.example.com", "b.example.org", "c.example.net"}),
        frozenset({"e.example.org", "f.example.net"}),
    ]
    assert mirrors_of("c.example.net", pairs) == {"a.example.com", "b.example.org"}
    assert mirrors_of("d.example.com", pairs) == frozenset()


def _closure(pairs: list[tuple[int, int]]) -> set[frozenset[int]]:
    """Brute force: grow each site's group until no shared identifier adds a site."""
    groups = set()
    for site, _ in pairs:
        group = {site}
        while True:
            ids = {i for s, i in pairs if s in group}
            grown = {s for s, i in pairs if i in ids}
            if grown <= group:
                break
            group |= grown
        if len(group) > 1:
            groups.add(frozenset(group))
    return groups


@given(st.lists(st.tuples(st.integers(0, 12), st.integers(0, 8)), max_size=40))
def test_union_find_agrees_with_the_brute_force_closure(pairs: list[tuple[int, int]]) -> None:
    assert set(mirror_groups(pairs)) == _closure(pairs)


def test_the_shipped_operators_are_in_the_directory() -> None:
    operators = load_operators()
    assert operators["visa"] == "visa"
    assert operators["american express"] == "american-express"
    assert operators["western union"] == "western-union"
    check_operators(operators, default_coalition_data().organisations)
    with pytest.raises(FrameworkError):
        check_operators({"acme": "acme-pay"}, default_coalition_data().organisations)
    config = ReportsConfig(operators, {})
    assert config.operator_of("  MasterCard ") == "mastercard"
    assert config.operator_of("Unknown Pay") is None
    assert config.operator_of(None) is None


def test_referral_contacts_ship_empty_and_the_structure_is_checked(tmp_path: Path) -> None:
    registry = default_registry()
    assert load_contacts(registry) == {}  # no contact is invented
    good = tmp_path / "contacts.yaml"
    good.write_text(
        "contacts:\n  NLD:\n    - kind: hotline\n      name: Synthetic Hotline\n"
        "      channel: ICCAM\n      source: https://example.org/synthetic\n",
        encoding="utf-8",
    )
    [contact] = load_contacts(registry, good)["NLD"]
    assert (contact.kind.value, contact.name) == ("hotline", "Synthetic Hotline")
    alpha2 = tmp_path / "alpha2.yaml"
    alpha2.write_text(good.read_text().replace("NLD", "NL"), encoding="utf-8")
    with pytest.raises(FrameworkError, match="alpha-3"):
        load_contacts(registry, alpha2)
    bad = tmp_path / "bad.yaml"
    bad.write_text(good.read_text().replace("hotline", "police"), encoding="utf-8")
    with pytest.raises(FrameworkError):
        load_contacts(registry, bad)
