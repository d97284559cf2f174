"""The comparative chart says which years, over how many jurisdictions, and what share."""

from __future__ import annotations

from typing import Any

from childsafe.kernel.web.i18n import language
from childsafe.review.web.charts import comparative_chart, criteria_timeline


def _document() -> dict[str, Any]:
    """Synthetic figures over two universes of different sizes."""
    return {
        "editions": [1, 8],
        "universe": {"1": 184, "8": 196},
        "rows": [
            {
                "id": "sufficient",
                "label": "Sufficient",
                "values": {"1": {"published": 27}, "8": {"published": 98}},
            },
            {
                "id": "no_legislation",
                "label": "None <b>",
                "values": {"1": {"published": 92}, "8": None},
            },
        ],
    }


def test_bars_are_shares_of_each_edition_and_labelled_with_years() -> None:
    svg = str(comparative_chart(_document(), language("en"), {"1": "2006", "8": "2016"}))
    assert "27 · 15%" in svg  # 27 of 184
    assert "98 · 50%" in svg  # 98 of 196
    assert "92 · 50%" in svg
    assert ">2006</tspan>" in svg and ">2016</tspan>" in svg
    assert "Share of the edition’s jurisdictions" in svg
    assert "None &lt;b&gt;" in svg and "<b>" not in svg


def test_arabic_numbers_and_no_years_when_unknown() -> None:
    svg = str(comparative_chart(_document(), language("ar")))
    assert "tspan" not in svg
    assert 'role="img"' in svg


def test_the_timeline_places_editions_by_year_with_symbols() -> None:
    document = {
        "name": "Synthetic <land>",
        "editions": [
            {"edition": 1, "edition_label": "1st Edition", "criteria": []},
            {
                "edition": 8,
                "edition_label": "8th Edition",
                "criteria": [
                    {"criterion": "C1", "value": "yes"},
                    {"criterion": "C2", "value": "no"},
                ],
            },
        ],
    }
    svg = str(criteria_timeline(document, ["C1", "C2"], {"1": "2006", "8": "2016"}, language("en")))
    assert svg.count('class="mark-none"') == 2  # edition 1 assessed nothing
    assert 'class="mark-yes"' in svg and "✓" in svg
    assert 'class="mark-no"' in svg and "✗" in svg
    assert ">2006</text>" in svg and ">2016</text>" in svg
    assert "C2, 8th Edition: Not met" in svg
    assert "Synthetic &lt;land&gt;" in svg
    assert str(criteria_timeline({"editions": []}, ["C1"], {}, language("en"))) == ""
