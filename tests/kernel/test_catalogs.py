"""The interface catalogs: every msgid translated in every language, placeholders kept."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.pofile import read_po

from childsafe.kernel.languages import DEFAULT_LANGUAGE, LANGUAGES
from childsafe.kernel.paths import LOCALE_DIR
from childsafe.kernel.web.i18n import translations
from childsafe.review.model.diff import Direction
from childsafe.review.model.results import Agreement

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "update_catalogs.py"
TARGETS = [code for code in LANGUAGES if code != DEFAULT_LANGUAGE]
PLACEHOLDER = re.compile(r"%\(\w+\)[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("update_catalogs", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


script = _load_script()


def test_languages_are_the_interface_languages() -> None:
    assert set(TARGETS) == {"es", "ar", "ru"}
    assert list(script.TARGET_LANGUAGES) == TARGETS


def test_nothing_is_missing_or_untranslated() -> None:
    problems = [str(problem) for problem in script.check()]
    assert problems == [], "run scripts/update_catalogs.py and translate:\n" + "\n".join(problems)


def test_the_template_covers_the_dynamic_sources() -> None:
    msgids = {message.id for message in script.build_template()}
    expected = {
        "Results",  # a template literal
        "World map of the review",  # a gettext() call of a web module
        "Meets all five criteria",  # CATEGORY_LABELS
        "Not met",  # VALUE_LABELS
        "Legislation specific to CSAM",  # criteria.yaml
        "Requires ISP reporting",  # classifications.yaml
        "8th Edition",  # an edition_label
        "Countries that refined or implemented legislation since 2006",  # other_figures
        "Association of Southeast Asian Nations",  # groupings/asean.yaml
        "Sub-Saharan Africa",  # groupings/un-m49.yaml
        "yes",
        "no",
    }
    assert expected <= msgids
    assert {a.value for a in Agreement} <= msgids
    assert {d.value for d in Direction} <= msgids


def test_the_explicit_words_cover_the_domain_enums() -> None:
    words = {word for group in script.ENUM_WORDS.values() for word in group}
    assert {a.value for a in Agreement} <= words
    assert {d.value for d in Direction} <= words


def test_arabic_is_translated() -> None:
    assert translations("ar").gettext("Results") != "Results"
    assert translations("es").gettext("8th Edition") == "8.ª edición"


@pytest.mark.parametrize("lang", TARGETS)
def test_placeholders_are_preserved(lang: str) -> None:
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    checked = 0
    for message in catalog:
        if not message.id or not isinstance(message.id, str):
            continue
        assert isinstance(message.string, str) and message.string, message.id
        assert set(PLACEHOLDER.findall(message.string)) == set(PLACEHOLDER.findall(message.id)), (
            message.id
        )
        checked += 1
    assert checked > 100
    assert translations(lang).gettext(
        "computed from %(assessed)s of %(universe)s jurisdictions"
    ) % {"assessed": "1", "universe": "2"}


def test_update_keeps_translations_adds_new_msgids_and_drops_removed_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    for page in script.TEMPLATES.glob("*.html"):
        (templates / page.name).write_text(page.read_text(encoding="utf-8"), encoding="utf-8")
    (templates / "extra.html").write_text('{{ _("A brand new message") }}', encoding="utf-8")
    locale_dir = tmp_path / "locale"
    for lang in TARGETS:
        target = locale_dir / lang / "LC_MESSAGES"
        target.mkdir(parents=True)
        po = (LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
        po += '\nmsgid "A message nobody uses any more"\nmsgstr "x"\n'
        (target / "messages.po").write_text(po, encoding="utf-8")
    monkeypatch.setattr(script, "TEMPLATES", templates)

    script.update(locale_dir)

    problems = {(p.language, p.kind, p.msgid) for p in script.check(locale_dir)}
    assert problems == {(lang, "untranslated", "A brand new message") for lang in TARGETS}
    for lang in TARGETS:
        text = (locale_dir / lang / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
        assert "A message nobody uses any more" not in text
    arabic = (locale_dir / "ar" / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
    assert 'msgstr "النتائج"' in arabic
