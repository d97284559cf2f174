"""The shipped Financial Coalition data reproduces the seed's slides, and a broken file fails at
load naming itself. The broken files are synthetic copies made in a temporary folder."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from childsafe.accounts.model import Action, AuthenticatedUser, Operator, Role
from childsafe.coalition.data import (
    COALITION_DIR,
    CoalitionData,
    default_coalition_data,
    load_coalition_data,
)
from childsafe.coalition.model import (
    Membership,
    MembershipRole,
    Sector,
    check_actions_access,
    clean_day,
    clean_partial_date,
    coalitions_of,
    may_reach_actions,
)
from childsafe.kernel.errors import Forbidden, FrameworkError, InvalidValue, Unauthenticated

# "APAC - FCACP Members" (seed), as the seed writes the names
APAC_MEMBERS = [
    "Abacus Mutuals Australia",
    "Allen & Overy",
    "American Express",
    "ANZ Bank",
    "Australasian Cards Risk Council",
    "Australian Communication & Media Authority",
    "Australian Federal Police",
    "Child Wise Australia",
    "Citi Asia Pacific",
    "Discover Financial Services LLC",
    "ECPAT International",
    "ECPAT Child Alert New Zealand",
    "Facebook",
    "Google",
    "G2 Web Services",
    "Inter-Agency Council Against Trafficking, Philippines DOJ",
    "MasterCard",
    "Microsoft",
    "New Zealand Department of Internal Affairs",
    "PayPal",
    "Standard Chartered Bank, Singapore + HK",
    "Terre des Hommes, Asia office",
    "Thai Bankers Association",
    "Trend Micro",
    "TrustWave",
    "Uniting Church in Australia",
    "U.S. Immigration and Customs Enforcement",
    "Verisite",
    "Visa",
    "Western Union",
    "Westpac, New Zealand Limited",
    "WorldRemit",
    "Xoom.com",
    "Yahoo! Inc.",
]


@pytest.fixture(scope="module")
def data() -> CoalitionData:
    return default_coalition_data()


def test_every_apac_member_of_the_seed_is_loaded_with_a_sector(data: CoalitionData) -> None:
    members = data.coalitions["APAC-FCACP"].members
    assert len(APAC_MEMBERS) == 34
    assert sorted(data.organisations[m].name for m in members) == sorted(APAC_MEMBERS)
    assert all(isinstance(data.organisations[m].sector, Sector) for m in members)
    assert data.organisations["visa"].sector is Sector.CARD_NETWORK
    assert data.organisations["afp"].sector is Sector.LAW_ENFORCEMENT


def test_founders_and_founding(data: CoalitionData) -> None:
    fcacp, apac = data.coalitions["FCACP"], data.coalitions["APAC-FCACP"]
    assert (fcacp.founded, fcacp.founders) == ("2006", ["ncmec", "icmec"])
    assert (apac.founded, apac.founders, apac.country) == ("2009-08", ["icmec"], "SGP")


def test_the_four_roundtables(data: CoalitionData) -> None:
    found = sorted(
        (r.date.isoformat(), r.city, wg.country)
        for wg in data.working_groups.values()
        for r in wg.roundtables
    )
    assert [(d, c) for d, _, c in found] == [
        ("2013-09-11", "NZL"),
        ("2014-05-09", "AUS"),
        ("2015-07-21", "HKG"),
        ("2016-09-15", "THA"),
    ]
    assert found[0][1] == "Auckland" and found[1][1] == "Sydney"
    assert found[3][1] is None  # the seed gives no city for Thailand
    assert all(len(r.agenda) == 3 for wg in data.working_groups.values() for r in wg.roundtables)
    assert set(data.working_groups) == {f"APAC-FCACP/{c}" for c in ("NZL", "AUS", "HKG", "THA")}


def test_publications_and_work_streams(data: CoalitionData) -> None:
    publications = {p.date: p for p in data.activities.publications}
    assert sorted(publications) == ["2013-09", "2014-01", "2016-03"]
    assert publications["2016-03"].coalition == "FCACP"
    assert publications["2013-09"].work_stream == "technology-challenges"
    sponsors = {s.id: data.organisations[s.sponsor].name for s in data.activities.work_streams}
    assert sponsors == {"technology-challenges": "PayPal", "industry-education": "First Data"}


def test_the_seed_becomes_memberships_and_actions(data: CoalitionData) -> None:
    seed = data.seed()
    roles = {(m.coalition_id, m.organisation_id): m.role for m in seed.memberships}
    assert roles[("FCACP", "ncmec")] is MembershipRole.FOUNDER
    assert roles[("APAC-FCACP", "first-data")] is MembershipRole.SPONSOR
    paypal = {m.role for m in seed.memberships if m.organisation_id == "paypal"}
    assert paypal == {MembershipRole.MEMBER, MembershipRole.SPONSOR}
    assert sum(len(r.agenda) for r in seed.roundtables) == 12
    assert load_coalition_data().sha256 == data.sha256  # the same files, the same hash


def _broken(tmp_path: Path, name: str, old: str, new: str) -> Path:
    folder = tmp_path / "coalition"
    shutil.copytree(COALITION_DIR, folder)
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("name", "old", "new", "says"),
    [
        ("organisations.yaml", "sector: card_network", "sector: cards", "sector"),
        ("organisations.yaml", "country: AUS", "country: XXA", "unknown country"),
        ("coalitions.yaml", "    - visa\n", "    - visa-synthetic\n", "unknown organisation"),
        ("coalitions.yaml", "founded_source: seed", "founded_source: nowhere", "unknown source"),
        ("working_groups.yaml", "coalition: APAC-FCACP", "coalition: XYZ", "unknown coalition"),
        ("working_groups.yaml", "country: THA", "country: Thailand", "unknown country"),
        ("activities.yaml", "sponsor: paypal", "sponsor: nobody", "unknown organisation"),
        ("activities.yaml", "work_stream: technology-challenges", "work_stream: x", "work stream"),
        ("activities.yaml", 'date: "2013-09"', 'date: "Sept 2013"', "YYYY"),
        ("activities.yaml", "work_streams:", "work_streams: [\n", "cannot read"),
        (
            "coalitions.yaml",
            "  region: Asia Pacific",
            "  region: Asia Pacific\n  chairs: []",
            "chairs",
        ),
    ],
)
def test_a_bad_file_fails_at_load_naming_itself(
    tmp_path: Path, name: str, old: str, new: str, says: str
) -> None:
    folder = _broken(tmp_path, name, old, new)
    with pytest.raises(FrameworkError) as failed:
        load_coalition_data(folder)
    assert str(folder / name) in failed.value.message
    assert says in failed.value.message
    assert failed.value.details["file"] == str(folder / name)


# -- pure rules ------------------------------------------------------------------------------


def test_dates() -> None:
    assert clean_partial_date("2009-08") == "2009-08"
    assert clean_partial_date(" ") is None
    assert clean_day("2026-12-01") == "2026-12-01"
    for bad in ("2026-13", "2026-02-30", "Sept 2013", "2026-1-1"):
        with pytest.raises(InvalidValue):
            clean_partial_date(bad)
    with pytest.raises(InvalidValue):
        clean_day("2026-12")


def _user(role: Role, organisation: str | None) -> AuthenticatedUser:
    return AuthenticatedUser(1, "synthetic", "Synthetic", role, organisation)


def test_who_reaches_a_coalitions_actions() -> None:
    memberships = [
        Membership("APAC-FCACP", "example-bank", MembershipRole.MEMBER),
        Membership("APAC-FCACP", "example-former", MembershipRole.MEMBER, "2010", "2012"),
    ]
    today = date(2026, 11, 28)
    assert coalitions_of("example-bank", memberships, today) == {"APAC-FCACP"}
    assert coalitions_of("example-former", memberships, today) == set()  # ended in 2012
    assert coalitions_of(None, memberships, today) == set()
    member = _user(Role.MEMBER, "example-bank")
    assert may_reach_actions(member, Action.READ_ACTIONS, "APAC-FCACP", {"APAC-FCACP"})
    assert not may_reach_actions(member, Action.EDIT_ACTIONS, "APAC-FCACP", {"APAC-FCACP"})
    assert not may_reach_actions(member, Action.READ_ACTIONS, "FCACP", {"APAC-FCACP"})
    assert not may_reach_actions(None, Action.READ_ACTIONS, "FCACP", set())
    assert may_reach_actions(_user(Role.ADMIN, None), Action.EDIT_ACTIONS, "FCACP", set())
    assert may_reach_actions(Operator("tester"), Action.EDIT_ACTIONS, "FCACP", set())
    with pytest.raises(Unauthenticated):
        check_actions_access(None, Action.READ_ACTIONS, "FCACP", set())
    with pytest.raises(Forbidden):
        check_actions_access(
            _user(Role.RESEARCHER, "example-bank"),
            Action.READ_ACTIONS,
            "APAC-FCACP",
            {"APAC-FCACP"},
        )
    with pytest.raises(Forbidden) as outside:
        check_actions_access(
            _user(Role.COORDINATOR, "example-bank"), Action.EDIT_ACTIONS, "FCACP", {"APAC-FCACP"}
        )
    assert outside.value.details == {"coalition": "FCACP", "organisation": "example-bank"}
