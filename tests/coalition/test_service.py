"""The Financial Coalition on a real database (SQLite and PostgreSQL): the shipped seed, who sees
which actions, versioned and audited changes, imports and exports. The users and the organisations
added by imports are synthetic (example.org) and say so."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from childsafe.accounts.model import AuthenticatedUser, Operator, Role
from childsafe.coalition.bootstrap import seed_coalition_data
from childsafe.coalition.data import default_coalition_data
from childsafe.coalition.service import CoalitionService
from childsafe.coalition.store import SqlCoalitionStore
from childsafe.kernel.errors import (
    Conflict,
    Forbidden,
    ImportRejected,
    InvalidValue,
    NotFound,
    Unauthenticated,
)
from childsafe.review.bootstrap import seed_shipped_data
from childsafe.review.service import ReviewService
from tests.accounts.helpers import FakeClock

OPERATOR = Operator("tester (command line)")


def person(username: str, role: Role, organisation: str | None) -> AuthenticatedUser:
    """A synthetic signed-in user of ``organisation``."""
    return AuthenticatedUser(1, username, f"{username} (synthetic)", role, organisation)


VISA_MEMBER = person("mia", Role.MEMBER, "visa")  # Visa is an APAC-FCACP member (seed)
VISA_COORDINATOR = person("cora", Role.COORDINATOR, "visa")
OUTSIDER = person("otto", Role.COORDINATOR, "ncmec")  # NCMEC: FCACP only
RESEARCHER = person("rita", Role.RESEARCHER, "visa")
ADMIN = person("ada", Role.ADMIN, None)


@pytest.fixture
def coalition(service: ReviewService, engine: Engine) -> CoalitionService:
    """The shipped review and coalition data, seeded as on first start."""
    seed_shipped_data(service)
    store = SqlCoalitionStore(engine)
    assert seed_coalition_data(store, default_coalition_data()) is True
    return CoalitionService(store, service, default_coalition_data(), clock=FakeClock())


def _thai_actions(coalition: CoalitionService, viewer: Any = OPERATOR) -> list[dict[str, Any]]:
    [roundtable] = coalition.working_group("APAC-FCACP/THA", viewer)["roundtables"]
    actions: list[dict[str, Any]] = roundtable["actions"]
    return actions


def test_coalitions_and_overview(coalition: CoalitionService) -> None:
    listed = {c["id"]: c for c in coalition.coalitions()["coalitions"]}
    assert listed["APAC-FCACP"]["working_groups"] == 4
    assert listed["APAC-FCACP"]["members"] == 36  # 34 members, ICMEC (founder), First Data
    overview = coalition.overview("apac-fcacp")
    assert overview["coalition"]["founders"] == [
        {"id": "icmec", "name": "International Centre for Missing & Exploited Children (ICMEC)"}
    ]
    sponsors = {w["id"]: w["sponsor"]["name"] for w in overview["work_streams"]}
    assert sponsors == {"technology-challenges": "PayPal", "industry-education": "First Data"}
    dates = [e["date"] for e in overview["timeline"]]
    assert dates == sorted(dates) and dates[0] == "2009-08"
    assert {e["kind"] for e in overview["timeline"]} == {"founded", "roundtable", "publication"}
    assert [w["roundtables"] for w in overview["working_groups"]] == [1, 1, 1, 1]
    fcacp = coalition.overview("FCACP")
    assert len(fcacp["effectiveness_evidence"]) == 5
    assert fcacp["coalition"]["facts"][0]["source"] == "icmec-fcacp-page"
    with pytest.raises(NotFound):
        coalition.overview("NOPE")


def test_members_with_filters(coalition: CoalitionService) -> None:
    banks = coalition.members("APAC-FCACP", sector="bank")
    assert [m["organisation"] for m in banks["members"]] == [
        "ANZ Bank",
        "Citi Asia Pacific",
        "Standard Chartered Bank, Singapore + HK",
        "Westpac, New Zealand Limited",
    ]
    assert set(banks["members"][0]) >= {"organisation", "id", "sector", "country", "role", "since"}
    australian = coalition.members("APAC-FCACP", country="Australia")["members"]
    assert {m["country"] for m in australian} == {"AUS"} and len(australian) == 5
    everyone = coalition.members("APAC-FCACP")["members"]
    assert len(everyone) == 36  # one entry per organisation
    roles = {m["id"]: (m["role"], m["roles"]) for m in everyone}
    assert roles["icmec"] == ("founder", ["founder"])
    assert roles["paypal"] == ("member", ["member", "sponsor"])
    assert roles["first-data"] == ("sponsor", ["sponsor"])
    assert sum(1 for m in everyone if m["role"] == "member") == 34
    assert [m["organisation"].casefold() for m in everyone] == sorted(
        m["organisation"].casefold() for m in everyone
    )
    with pytest.raises(InvalidValue) as bad_sector:
        coalition.members("APAC-FCACP", sector="banks")
    assert "card_network" in bad_sector.value.message
    with pytest.raises(NotFound):
        coalition.members("APAC-FCACP", country="Atlantis")


def test_directory_and_publications(coalition: CoalitionService) -> None:
    directory = coalition.directory(coalition="FCACP")
    assert [o["id"] for o in directory["organisations"]] == ["icmec", "ncmec"]
    assert "industry_body" in directory["sectors"]
    icmec = directory["organisations"][0]
    assert {m["coalition"] for m in icmec["memberships"]} == {"FCACP", "APAC-FCACP"}
    ngos = coalition.directory(sector="ngo", country="NZL")["organisations"]
    assert [o["id"] for o in ngos] == ["ecpat-nz"]
    dates = [p["date"] for p in coalition.publications()["publications"]]
    assert dates == ["2016-03", "2014-01", "2013-09"]
    assert len(coalition.publications("APAC-FCACP")["publications"]) == 2
    groups = coalition.working_groups("APAC-FCACP")["working_groups"]
    assert {g["country"] for g in groups} == {"NZL", "AUS", "HKG", "THA"}
    assert coalition.working_groups()["working_groups"][0]["roundtables"][0]["date"]


def test_roundtables_show_actions_only_to_the_coalitions_people(
    coalition: CoalitionService,
) -> None:
    anonymous = coalition.roundtables("APAC-FCACP", None)["roundtables"]
    assert [(r["date"], r["city"]) for r in anonymous][:2] == [
        ("2013-09-11", "Auckland"),
        ("2014-05-09", "Sydney"),
    ]
    assert all("actions" not in r for r in anonymous)
    for viewer in (VISA_MEMBER, OPERATOR, ADMIN):
        shown = coalition.roundtables("APAC-FCACP", viewer)["roundtables"]
        assert [len(r["actions"]) for r in shown] == [3, 3, 3, 3]
    for viewer in (OUTSIDER, RESEARCHER, person("nobody", Role.MEMBER, None)):
        hidden = coalition.roundtables("APAC-FCACP", viewer)["roundtables"]
        assert all("actions" not in r for r in hidden)  # hidden in lists, never an error


def test_one_action_says_why_it_is_refused(coalition: CoalitionService) -> None:
    action_id = _thai_actions(coalition)[0]["id"]
    assert coalition.action(action_id, VISA_MEMBER)["working_group"] == "APAC-FCACP/THA"
    with pytest.raises(Unauthenticated):
        coalition.action(action_id, None)
    with pytest.raises(Forbidden):
        coalition.action(action_id, RESEARCHER)  # the role may not
    with pytest.raises(Forbidden):
        coalition.action(action_id, OUTSIDER)  # the organisation is not in APAC-FCACP
    with pytest.raises(NotFound):
        coalition.action(99999, VISA_MEMBER)


def test_thailand_working_group_with_its_global_review_profile(
    coalition: CoalitionService,
) -> None:
    group = coalition.working_group("THA", VISA_MEMBER)
    assert (group["id"], group["country_name"], group["actions_visible"]) == (
        "APAC-FCACP/THA",
        "Thailand",
        True,
    )
    [roundtable] = group["roundtables"]
    assert (roundtable["date"], roundtable["city"]) == ("2016-09-15", None)
    assert len(roundtable["actions"]) == 3
    assert {a["status"] for a in roundtable["actions"]} == {"unknown"}
    editions = {e["edition"]: e for e in group["review"]["editions"]}
    assert editions[8]["assessed"] is True and group["review_note"] is None
    public = coalition.working_group("Thailand", None)
    assert public["actions_visible"] is False and "actions" not in public["roundtables"][0]
    new_zealand = coalition.working_group("APAC-FCACP/NZL", None)
    assert new_zealand["review"] is None
    assert "not been assessed" in new_zealand["review_note"]
    with pytest.raises(NotFound):
        coalition.working_group("APAC-FCACP/XYZ", None)


def test_a_coordinator_updates_an_action_with_version_and_audit(
    coalition: CoalitionService,
) -> None:
    action = _thai_actions(coalition)[1]
    updated = coalition.update_action(
        VISA_COORDINATOR,
        action["id"],
        expected_version=1,
        status="in_progress",
        notes="synthetic note",
        owner="thai-bankers-association",
        due_date="2027-03-31",
    )
    assert (updated["version"], updated["status"], updated["updated_by"]) == (
        2,
        "in_progress",
        "cora",
    )
    assert updated["owner"] == {
        "id": "thai-bankers-association",
        "name": "Thai Bankers Association",
    }
    [entry] = coalition.review.store.audit_log(entity_key=f"action/{action['id']}")[:1]
    assert (entry.action, entry.entity, entry.actor) == ("action.update", "action", "cora")
    assert entry.before == {
        "status": "unknown",
        "notes": "",
        "owner_organisation_id": None,
        "due_date": None,
        "version": 1,
    }
    assert (entry.after or {})["version"] == 2 and "status in_progress" in entry.reason
    with pytest.raises(Conflict) as stale:
        coalition.update_action(VISA_COORDINATOR, action["id"], expected_version=1, status="done")
    assert stale.value.details["current"]["version"] == 2
    assert stale.value.details["yours"] == {"status": "done", "expected_version": 1}
    cleared = coalition.update_action(
        ADMIN, action["id"], expected_version=2, owner="", due_date=""
    )
    assert (cleared["owner"], cleared["due_date"], cleared["version"]) == (None, None, 3)
    same = coalition.update_action(OPERATOR, action["id"], expected_version=3, status="in_progress")
    assert same["version"] == 3  # nothing changed, nothing written


def test_who_may_not_edit(coalition: CoalitionService) -> None:
    action_id = _thai_actions(coalition)[0]["id"]
    for refused in (RESEARCHER, VISA_MEMBER, OUTSIDER):
        with pytest.raises(Forbidden):
            coalition.update_action(refused, action_id, expected_version=1, status="done")
    with pytest.raises(Unauthenticated):
        coalition.update_action(None, action_id, expected_version=1, status="done")
    with pytest.raises(InvalidValue):
        coalition.update_action(VISA_COORDINATOR, action_id, expected_version=1, status="finished")
    with pytest.raises(InvalidValue):
        coalition.update_action(VISA_COORDINATOR, action_id, expected_version=1, owner="nobody")
    with pytest.raises(InvalidValue):
        coalition.update_action(VISA_COORDINATOR, action_id, expected_version=1)
    assert coalition.action(action_id, OPERATOR)["version"] == 1


def test_a_coordinator_adds_an_action(coalition: CoalitionService) -> None:
    roundtable_id = coalition.working_group("THA", OPERATOR)["roundtables"][0]["id"]
    created = coalition.add_action(
        VISA_COORDINATOR,
        "THA",
        text="Synthetic follow-up (example.org test data)",
        roundtable_id=roundtable_id,
        due_date="2027-01-15",
    )
    assert (created["status"], created["version"], created["roundtable"]) == (
        "open",
        1,
        roundtable_id,
    )
    assert len(_thai_actions(coalition)) == 4
    entry = coalition.review.store.audit_log(entity_key=f"action/{created['id']}")[0]
    assert entry.action == "action.create" and entry.before is None
    loose = coalition.add_action(ADMIN, "APAC-FCACP/NZL", text="Synthetic, no roundtable")
    assert coalition.working_group("NZL", ADMIN)["other_actions"][0]["id"] == loose["id"]
    with pytest.raises(InvalidValue):
        coalition.add_action(ADMIN, "NZL", text="x", roundtable_id=roundtable_id)  # Thai one
    with pytest.raises(Forbidden):
        coalition.add_action(OUTSIDER, "THA", text="x")


def test_seeding_again_keeps_what_people_changed(
    coalition: CoalitionService, engine: Engine
) -> None:
    action_id = _thai_actions(coalition)[0]["id"]
    coalition.update_action(OPERATOR, action_id, expected_version=1, status="done")
    store = SqlCoalitionStore(engine)
    assert seed_coalition_data(store, default_coalition_data()) is False
    seed = default_coalition_data().seed()
    changed = type(seed)(**{**vars(seed), "sha256": "f" * 64})  # the same rows, a new hash
    assert store.apply_seed(changed, actor="tester", at=FakeClock()()) is True
    assert [a["status"] for a in _thai_actions(coalition)] == ["done", "unknown", "unknown"]


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_import_export_round_trip(coalition: CoalitionService, tmp_path: Path) -> None:
    organisations = _rows(coalition.export_organisations())
    assert list(organisations[0]) == ["id", "name", "sector", "country", "note"]
    same = coalition.import_organisations(_write(tmp_path / "o.csv", organisations), OPERATOR)
    assert (same["added"], same["changed"], same["unchanged"]) == (0, 0, 37)
    organisations[0]["note"] = "synthetic note"
    organisations.append(
        {
            "id": "example-bank",
            "name": "Example Bank (synthetic, example.org)",
            "sector": "bank",
            "country": "Thailand",
            "note": "",
        }
    )
    summary = coalition.import_organisations(_write(tmp_path / "o2.csv", organisations), ADMIN)
    assert (summary["added"], summary["changed"]) == (1, 1)
    found = {o["id"]: o for o in _rows(coalition.export_organisations())}
    assert found["example-bank"]["country"] == "THA"
    entry = coalition.review.store.audit_log(entity_key="organisation/example-bank")[0]
    assert (entry.action, entry.actor) == ("organisation.import", "ada")
    memberships = [
        {
            "coalition": "apac-fcacp",
            "organisation": "example-bank",
            "role": "member",
            "since": "2026-11",
            "until": "",
            "source": "https://example.org/synthetic",
        }
    ]
    coalition.import_memberships(_write(tmp_path / "m.csv", memberships), OPERATOR)
    exported = _rows(coalition.export_memberships())
    assert {
        "coalition": "APAC-FCACP",
        "organisation": "example-bank",
        "role": "member",
        "since": "2026-11",
        "until": "",
        "source": "https://example.org/synthetic",
    } in exported
    again = coalition.import_memberships(_write(tmp_path / "m2.csv", exported), OPERATOR)
    assert (again["added"], again["changed"], again["unchanged"]) == (0, 0, len(exported))
    member = person("eve", Role.MEMBER, "example-bank")
    assert "actions" in coalition.roundtables("APAC-FCACP", member)["roundtables"][0]


def test_a_bad_file_is_refused_whole_and_located(
    coalition: CoalitionService, tmp_path: Path
) -> None:
    before = (coalition.export_organisations(), coalition.export_memberships())
    audit = len(coalition.review.store.audit_log(limit=10000))
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "id,name,sector,country,note\n"
        "example-one,Example One (synthetic),bank,,\n"
        "example-two,Example Two (synthetic),bnak,,\n"
        "example-one,Example One again,ngo,Atlantis,\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as refused:
        coalition.import_organisations(bad, OPERATOR)
    problems = [(p["line"], p["column"], p["value"]) for p in refused.value.details["problems"]]
    assert problems == [(3, "sector", "bnak"), (4, "country", "Atlantis")]
    assert f"{bad}:3: column 'sector', value 'bnak'" in refused.value.message
    bad.write_text("coalition,organisation,role,colour\nFCACP,visa,member,red\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as columns:
        coalition.import_memberships(bad, OPERATOR)
    assert columns.value.details["problems"][0]["column"] == "colour"
    bad.write_text(
        "coalition,organisation,role,since,until\n"
        "FCACP,visa,member,2010,2009\n"
        "XYZ,nobody,boss,soon,\n"
        "FCACP,visa,member,,\n"
        "FCACP,visa,member,,\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as memberships:
        coalition.import_memberships(bad, OPERATOR)
    found = [(p["line"], p["column"]) for p in memberships.value.details["problems"]]
    assert found == [
        (2, "until"),
        (3, "coalition"),
        (3, "organisation"),
        (3, "role"),
        (3, "since"),
        (5, "role"),
    ]
    with pytest.raises(Forbidden):
        coalition.import_organisations(bad, VISA_COORDINATOR)
    assert (coalition.export_organisations(), coalition.export_memberships()) == before
    assert len(coalition.review.store.audit_log(limit=10000)) == audit
