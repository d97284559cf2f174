"""The review service on the shipped data and on synthetic editions, on each backend."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from childsafe.kernel.errors import ImportRejected
from childsafe.review.bootstrap import seed_shipped_data
from childsafe.review.service import ReviewService
from tests.review.seed_tables import ASEAN_8TH, COMPARATIVE, RESULTS_8TH, mark_value
from tests.review.synthetic import synthetic_edition, write_long_csv
from tests.review.tally import tally


@pytest.fixture
def seeded(service: ReviewService) -> ReviewService:
    assert seed_shipped_data(service) == 2
    assert seed_shipped_data(service) == 0  # by hash: exactly once
    return service


def test_asean_table_reproduces_the_seed_cell_for_cell(seeded: ReviewService) -> None:
    table = seeded.table(8, "ASEAN")
    assert [c["id"] for c in table["criteria"]] == ["C1", "C2", "C3", "C4", "C5", "C6"]
    got = {row["jurisdiction"]: row["values"] for row in table["rows"]}
    assert set(got) == set(ASEAN_8TH)
    for code, marks in ASEAN_8TH.items():
        expected = {f"C{i}": mark_value(m) for i, m in enumerate(marks, start=1)}
        assert got[code] == expected, code
    assert [row["name"] for row in table["rows"]][:2] == ["Brunei", "Cambodia"]


def test_results_show_every_published_8th_edition_figure(seeded: ReviewService) -> None:
    results = seeded.results(8)
    assert (results["edition"], results["universe"], results["assessed"]) == (8, 196, 10)
    published = {c["id"]: c["published"] for c in results["classifications"]}
    assert published == RESULTS_8TH
    assert {c["agreement"] for c in results["classifications"]} == {"incomplete"}
    assert results["coverage"] == "computed from 10 of 196 jurisdictions"


def test_asean_results_are_computed_from_the_seed(seeded: ReviewService) -> None:
    computed = {
        c["id"]: (c["computed"], c["undetermined"])
        for c in seeded.results(8, "ASEAN")["classifications"]
    }
    assert computed["sufficient"] == (2, 0)  # Brunei, Philippines (Thailand does not define)
    assert computed["all_five"] == (1, 0)  # Philippines
    assert computed["data_retention"] == (2, 0)  # Philippines, Thailand
    assert computed["no_legislation"] == (0, 0)


def test_compare_shows_the_seeds_comparative_table(seeded: ReviewService) -> None:
    document = seeded.compare([1, 7, 8])
    assert document["editions"] == [1, 7, 8]
    rows = {row["id"]: row["values"] for row in document["rows"]}
    for cid, figures in COMPARATIVE.items():
        assert {e: rows[cid][e]["published"] for e in figures} == figures, cid
    assert rows["all_five"]["1"]["computed"] == 5  # the five shipped 1st-edition countries
    assert rows["data_retention"]["1"] is None  # not a criterion of the 1st edition


def test_a_complete_synthetic_edition_matches_an_independent_tally(
    service: ReviewService, tmp_path: Path
) -> None:
    edition = service.framework.edition(8)
    codes = sorted(service.framework.universe_of(edition).members)
    table = synthetic_edition(codes, list(edition.criteria), seed=8)
    summary = service.import_file(
        write_long_csv(tmp_path / "complete.csv", 8, table), edition=None, actor="tester"
    )
    assert summary.added == sum(len(v) for v in table.values())
    results = service.results(8)
    assert results["assessed"] == len(codes) == results["universe"]
    for count in results["classifications"]:
        assert (count["computed"], count["undetermined"]) == tally(count["id"], table)
        assert count["agreement"] in {"match", "mismatch", "undetermined"}


def test_a_bad_file_changes_nothing(seeded: ReviewService, tmp_path: Path) -> None:
    before = seeded.export(8, file_format="json")
    path = tmp_path / "bad.csv"
    path.write_text("jurisdiction,edition,criterion,value\nTHA,8,C1,no\nTHA,8,C2,perhaps\n")
    with pytest.raises(ImportRejected, match=r"bad.csv:3: column 'value', value 'perhaps'"):
        seeded.import_file(path, edition=None, actor="tester")
    assert seeded.export(8, file_format="json") == before
    assert len(seeded.audit(1000)["entries"]) == 10 * 6 + 5 * 5


@pytest.mark.parametrize(
    ("fmt", "layout"), [("csv", "long"), ("csv", "wide"), ("xlsx", "long"), ("json", "long")]
)
def test_exports_import_back_unchanged(
    seeded: ReviewService, tmp_path: Path, fmt: str, layout: str
) -> None:
    path = tmp_path / f"export.{fmt}"
    path.write_bytes(seeded.export(8, file_format=fmt, layout=layout))
    summary = seeded.import_file(path, edition=8, actor="tester")
    assert (summary.added, summary.changed) == (0, 0)
    assert summary.unchanged == 60


def test_json_export_shape(seeded: ReviewService) -> None:
    document = json.loads(seeded.export(8, file_format="json"))
    assert document["edition"] == 8
    assert document["assessments"][0] == {
        "jurisdiction": "BRN",
        "edition": 8,
        "criterion": "C1",
        "value": "yes",
        "citation": "",
        "excerpt": "",
        "source": document["assessments"][0]["source"],
        "note": document["assessments"][0]["note"],
    }
    assert "ASEAN: Country-Specific Findings" in document["assessments"][0]["source"]


def test_changes_are_kept_and_diffed(seeded: ReviewService, tmp_path: Path) -> None:
    path = tmp_path / "thailand-9.csv"
    path.write_text(
        "jurisdiction,edition,criterion,value,note\n"
        "THA,9,C1,yes,synthetic\nTHA,9,C2,yes,synthetic\nTHA,9,C5,unknown,synthetic\n"
    )
    seeded.import_file(path, edition=None, actor="tester")
    diff = seeded.diff(8, 9, "Thailand")
    assert diff["compared"] == 1
    assert {(c["criterion"], c["from"], c["to"], c["direction"]) for c in diff["changes"]} == {
        ("C2", "no", "yes", "improved"),
        ("C4", "yes", None, "undetermined"),
        ("C3", "yes", None, "undetermined"),
        ("C5", "no", "unknown", "undetermined"),
    }
    assert diff["refined_or_implemented"]["jurisdictions"] == ["THA"]
    # the profile's changes are the same diff, computed from the history it already read
    assert seeded.jurisdiction("THA")["changes"] == [diff]


def test_jurisdiction_profile_has_provenance_history_and_groupings(
    seeded: ReviewService, tmp_path: Path
) -> None:
    path = tmp_path / "fix.csv"
    path.write_text(
        "jurisdiction,edition,criterion,value,citation,note\n"
        "THA,8,C2,yes,Synthetic Act s. 2,synthetic correction\n"
    )
    seeded.import_file(path, edition=None, actor="tester")
    profile = seeded.jurisdiction("THA")
    assert profile["name"] == "Thailand"
    assert "ASEAN" in {g["id"] for g in profile["groupings"]}
    eighth = next(e for e in profile["editions"] if e["edition"] == 8)
    assert {c["criterion"]: c["value"] for c in eighth["criteria"]}["C2"] == "yes"
    assert [(h["criterion"], h["value"], h["version"]) for h in eighth["history"]] == [
        ("C2", "no", 1)
    ]
    assert eighth["classifications"]["sufficient"] is True
    first = next(e for e in profile["editions"] if e["edition"] == 1)
    assert first["assessed"] is False and first["classifications"] == {}


def test_the_latest_edition_is_the_newest_with_country_findings(
    service: ReviewService, tmp_path: Path
) -> None:
    """Read from the data, not written down: the shipped 8th, until a 9th holds findings."""
    assert service.latest_edition() == max(service.framework.editions)  # nothing assessed yet
    seed_shipped_data(service)
    assert service.latest_edition() == 8
    edition = service.framework.edition(9)
    codes = sorted(service.framework.universe_of(edition).members)[:3]
    table = synthetic_edition(codes, list(edition.criteria), seed=9)
    service.import_file(write_long_csv(tmp_path / "ninth.csv", 9, table), edition=None, actor="t")
    assert service.latest_edition() == 9
