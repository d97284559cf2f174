"""Jurisdictions, groupings and universes: look-ups, names, dated membership, shipped data."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from childsafe.kernel.errors import FrameworkError, InvalidValue, NotFound
from childsafe.kernel.jurisdictions import DATA_DIR as JURISDICTIONS_DIR
from childsafe.kernel.jurisdictions import (
    JurisdictionRegistry,
    default_registry,
    normalise,
    text_direction,
)
from childsafe.kernel.languages import LANGUAGES
from childsafe.review.model.groupings import DATA_DIR as GROUPINGS_DIR
from childsafe.review.model.groupings import Grouping, Membership, load_groupings
from childsafe.review.model.universes import DATA_DIR as UNIVERSES_DIR
from childsafe.review.model.universes import load_universe, load_universes

ROOT = Path(__file__).resolve().parents[2]
SEED_ASEAN = {
    "Brunei": "BRN",
    "Cambodia": "KHM",
    "Indonesia": "IDN",
    "Laos": "LAO",
    "Malaysia": "MYS",
    "Myanmar": "MMR",
    "Philippines": "PHL",
    "Singapore": "SGP",
    "Thailand": "THA",
    "Vietnam": "VNM",
}


@pytest.fixture(scope="module")
def registry() -> JurisdictionRegistry:
    return default_registry()


# -- jurisdictions ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["THA", "tha", " Tha ", "TH", "th", "764", "Thailand", "THAILAND"])
def test_resolve_by_code_and_name(registry: JurisdictionRegistry, text: str) -> None:
    assert registry.resolve(text).code == "THA"


@pytest.mark.parametrize(("name", "code"), sorted(SEED_ASEAN.items()))
def test_seed_asean_names_resolve(registry: JurisdictionRegistry, name: str, code: str) -> None:
    assert registry.resolve(name).code == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Russia", "RUS"),
        ("Russian Federation", "RUS"),
        ("Syria", "SYR"),
        ("Iran", "IRN"),
        ("South Korea", "KOR"),
        ("North Korea", "PRK"),
        ("Bolivia", "BOL"),
        ("Venezuela", "VEN"),
        ("Tanzania", "TZA"),
        ("Moldova", "MDA"),
        ("Micronesia", "FSM"),
        ("Vatican", "VAT"),
        ("Holy See", "VAT"),
        ("Ivory Coast", "CIV"),
        ("Côte d'Ivoire", "CIV"),
        ("Cote d’Ivoire", "CIV"),
        ("Czech Republic", "CZE"),
        ("Macedonia", "MKD"),
        ("North Macedonia", "MKD"),
        ("Swaziland", "SWZ"),
        ("Eswatini", "SWZ"),
        ("Cape Verde", "CPV"),
        ("Turkey", "TUR"),
        ("Türkiye", "TUR"),
        ("United States", "USA"),
        ("USA", "USA"),
        ("United Kingdom", "GBR"),
        ("UK", "GBR"),
        ("Palestine", "PSE"),
        ("Taiwan", "TWN"),
        ("Democratic Republic of the Congo", "COD"),
        ("Republic of the Congo", "COG"),
        ("The Gambia", "GMB"),
        ("Gambia", "GMB"),
        ("The Bahamas", "BHS"),
        ("Bahamas", "BHS"),
        ("East Timor", "TLS"),
        ("Timor-Leste", "TLS"),
        ("Timor Leste", "TLS"),
        ("Burma", "MMR"),
        ("Antigua & Barbuda", "ATG"),
        ("Kosovo", "XKX"),
        ("XK", "XKX"),
        ("Netherlands Antilles", "ANT"),
        ("Serbia and Montenegro", "SCG"),
    ],
)
def test_resolve_aliases(registry: JurisdictionRegistry, text: str, code: str) -> None:
    assert registry.resolve(text).code == code


def test_get_is_alpha3_only_and_case_insensitive(registry: JurisdictionRegistry) -> None:
    assert registry.get("vnm").name == "Vietnam"
    with pytest.raises(NotFound):
        registry.get("VN")


def test_unknown_name_suggests_close_matches(registry: JurisdictionRegistry) -> None:
    with pytest.raises(NotFound) as caught:
        registry.resolve("Thailnd")
    assert "Thailnd" in caught.value.message
    assert "Thailand (THA)" in caught.value.message
    assert "Thailand (THA)" in caught.value.details["suggestions"]


def test_all_is_sorted_and_holds_iso_and_extra(registry: JurisdictionRegistry) -> None:
    codes = [j.code for j in registry.all()]
    assert codes == sorted(codes)
    assert {"THA", "XKX", "ANT"} <= set(codes)
    kosovo = registry.get("XKX")
    assert (kosovo.alpha2, kosovo.iso, kosovo.numeric) == ("XK", False, None)
    assert registry.get("ANT").withdrawn == date(2010, 12, 15)


def test_names_in_four_languages(registry: JurisdictionRegistry) -> None:
    arabic = registry.name("THA", "ar")
    assert arabic and arabic != registry.name("THA", "en") == "Thailand"
    assert registry.name("THA", "es") == "Tailandia"
    assert registry.name("THA", "ru") == "Таиланд"
    for lang in LANGUAGES:
        assert registry.name("XKX", lang)
        assert registry.name("ANT", lang)
    assert registry.name("XKX", "ru") == "Косово"
    assert registry.name("SCG", "es") == "Serbia y Montenegro"


def test_unsupported_language_and_direction(registry: JurisdictionRegistry) -> None:
    with pytest.raises(InvalidValue):
        registry.name("THA", "fr")
    assert text_direction("ar") == "rtl"
    assert registry.text_direction("en") == "ltr"


def test_normalise_ignores_case_accents_and_punctuation() -> None:
    assert normalise("  The  Gambia ") == normalise("gambia")
    assert normalise("Côte d’Ivoire") == normalise("cote d'ivoire")
    assert normalise("Antigua & Barbuda") == normalise("Antigua and Barbuda")


def _copy_jurisdictions(tmp_path: Path, extra_alias: str) -> Path:
    target = tmp_path / "jurisdictions"
    shutil.copytree(JURISDICTIONS_DIR, target)
    with (target / "aliases.yaml").open("a", encoding="utf-8") as handle:
        handle.write(extra_alias)
    return target


def test_a_name_for_two_codes_fails_at_load(tmp_path: Path) -> None:
    data = _copy_jurisdictions(tmp_path, "  Siam: THA\n  siam: LAO\n")
    with pytest.raises(FrameworkError, match="Siam"):
        JurisdictionRegistry.load(data)


def test_an_alias_to_an_unknown_code_fails_at_load(tmp_path: Path) -> None:
    data = _copy_jurisdictions(tmp_path, "  Atlantis: ATL\n")
    with pytest.raises(FrameworkError, match="ATL"):
        JurisdictionRegistry.load(data)


# -- groupings ----------------------------------------------------------------------------------


def test_asean_membership_by_date() -> None:
    groupings = load_groupings()
    asean = groupings["asean"]
    assert asean is groupings["ASEAN"]
    assert asean.members_on(date(2016, 1, 1)) == frozenset(SEED_ASEAN.values())
    assert len(asean.members_on(date(2016, 1, 1))) == 10
    assert asean.members_on(date(2026, 1, 1)) == frozenset(SEED_ASEAN.values()) | {"TLS"}
    assert asean.members_on(date(1990, 1, 1)) == {"BRN", "IDN", "MYS", "PHL", "SGP", "THA"}
    assert asean.all_members() == asean.members_on(date(2026, 1, 1))


def test_m49_regions() -> None:
    groupings = load_groupings()
    asia = groupings["M49-142"]
    assert asia is groupings["asia"]
    assert asia.kind == "un_m49_region"
    assert "THA" in asia.all_members()
    assert groupings["South-eastern Asia"].all_members() >= set(SEED_ASEAN.values())
    for region in ("Africa", "Americas", "Asia", "Europe", "Oceania"):
        assert groupings[region].kind == "un_m49_region"
    europe = groupings["Europe"]
    assert "SCG" in europe.members_on(date(2006, 4, 30))
    assert "SCG" not in europe.members_on(date(2010, 1, 1))


def test_unknown_grouping_is_not_found() -> None:
    groupings = load_groupings()
    with pytest.raises(NotFound):
        groupings["Atlantis"]
    assert "Atlantis" not in groupings
    assert groupings.get("Atlantis") is None


def test_membership_dates() -> None:
    member = Membership("XKX", since=date(2008, 2, 17), until=date(2010, 1, 1))
    grouping = Grouping("X", "X", "regional_organisation", "test", (member,))
    assert grouping.members_on(date(2009, 1, 1)) == {"XKX"}
    assert grouping.members_on(date(2010, 1, 1)) == frozenset()
    assert grouping.members_on(date(2008, 2, 16)) == frozenset()


def test_unknown_code_in_a_grouping_names_file_and_code(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(
        "id: BAD\nname: Bad\nkind: regional_organisation\nsource: test\nretrieved: '2026'\n"
        "members: [THA, ATL]\n",
        encoding="utf-8",
    )
    with pytest.raises(FrameworkError) as caught:
        load_groupings(tmp_path)
    assert "bad.yaml" in caught.value.message
    assert "ATL" in caught.value.message


def test_m49_file_is_generated_and_current() -> None:
    script = ROOT / "scripts" / "generate_m49_groupings.py"
    done = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


# -- universes ----------------------------------------------------------------------------------


def test_universe_counts() -> None:
    universes = load_universes()
    expected = {"interpol-2006-184": 184, "icmec-187": 187, "icmec-196": 196}
    for uid, count in expected.items():
        universe = universes[uid]
        assert universe.count == count
        assert universe.count_verified
        assert len(universe.members) == count


def test_icmec_196_holds_the_un_member_states() -> None:
    universes = load_universes()
    icmec = universes["icmec-196"]
    un = icmec.part("un_member_states")
    assert len(un) == 193
    assert icmec.members >= un
    assert {"VAT", "SSD"} <= icmec.members
    assert icmec.members - un == {"VAT", "ABW", "XKX"}


def test_editions_universes_follow_interpol_membership() -> None:
    universes = load_universes()
    first, fifth = universes["interpol-2006-184"].members, universes["icmec-187"].members
    assert fifth - first == {"SRB", "MNE", "SMR", "VAT"}
    assert first - fifth == {"SCG"}
    assert "ANT" in first & fifth
    assert not {"PRK", "TUV", "WSM", "SSD"} & fifth


def test_universe_count_mismatch_fails(tmp_path: Path) -> None:
    text = (UNIVERSES_DIR / "icmec-187.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "icmec-187.yaml"
    bad.write_text(text.replace("count: 187", "count: 188"), encoding="utf-8")
    with pytest.raises(FrameworkError, match="count is 188"):
        load_universe(bad)


def test_every_shipped_code_is_known(registry: JurisdictionRegistry) -> None:
    codes: set[str] = set()
    for grouping in load_groupings(GROUPINGS_DIR).values():
        codes |= grouping.all_members()
    for universe in load_universes(UNIVERSES_DIR).values():
        codes |= universe.members
    unknown = {code for code in codes if code not in registry}
    assert not unknown
    assert all(registry.get(code).code == code for code in codes)
