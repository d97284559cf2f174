"""The shipped framework files: consistent, sourced, and refusing mistakes at load."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from childsafe.kernel.errors import FrameworkError
from childsafe.review.model.framework import DATA_DIR, Framework, load_framework

PUBLIC_CLASSIFICATION_IDS = {
    "sufficient": "C1 and C2 and C3 and C4",
    "all_five": "C1 and C2 and C3 and C4 and C5",
    "sufficient_without_isp": "C1 and C2 and C3 and C4 and not C5",
    "no_legislation": "not C1",
    "data_retention": "C6",
    "not_defined": "C1 and not C2",
    "no_computer_offenses": "C1 and not C3",
    "no_possession": "C1 and not C4",
}


def test_the_public_classification_ids_and_rules(framework: Framework) -> None:
    for cid, rule in PUBLIC_CLASSIFICATION_IDS.items():
        assert framework.classifications[cid].rule_text == rule


def test_editions_shipped(framework: Framework) -> None:
    assert list(framework.editions) == [1, 5, 6, 7, 8, 9]
    assert framework.edition(8).criteria == ("C1", "C2", "C3", "C4", "C5", "C6")
    assert framework.edition(1).criteria == ("C1", "C2", "C3", "C4", "C5")
    assert framework.edition(9).title.startswith("Child Sexual Abuse Material")
    assert framework.edition(7).languages == ("ar", "en", "ru", "es")


def test_universes(framework: Framework) -> None:
    assert len(framework.universe_of(framework.edition(1)).members) == 184
    for number in (6, 7, 8, 9):
        assert len(framework.universe_of(framework.edition(number)).members) == 196


def test_every_published_figure_has_a_known_source(framework: Framework) -> None:
    for edition in framework.editions.values():
        assert edition.published_figures, edition.number
        cited = [f.source for f in edition.published_figures]
        cited += [f.source for f in edition.other_figures]
        for source_id in cited:
            source = framework.sources[source_id]
            assert source.url or source.location


def test_asean_on_the_8th_editions_date(framework: Framework) -> None:
    assert len(framework.region_members(framework.edition(8), "asean")) == 10


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def test_a_bad_rule_fails_at_load_naming_its_file(data_copy: Path) -> None:
    path = data_copy / "classifications.yaml"
    path.write_text(path.read_text().replace("rule: not C1", "rule: not C1 and"))
    with pytest.raises(FrameworkError, match=r"classifications\.yaml"):
        load_framework(data_copy)


def test_an_edition_using_an_unknown_criterion_fails(data_copy: Path) -> None:
    path = data_copy / "editions" / "edition-08.yaml"
    path.write_text(path.read_text().replace("C5, C6]", "C5, C7]"))
    with pytest.raises(FrameworkError, match=r"edition-08.yaml: unknown criterion C7"):
        load_framework(data_copy)


def test_a_figure_without_a_source_fails(data_copy: Path) -> None:
    path = data_copy / "editions" / "edition-07.yaml"
    path.write_text(path.read_text().replace("value: 69, source: seed", "value: 69, source: blog"))
    with pytest.raises(FrameworkError, match="unknown source blog"):
        load_framework(data_copy)
