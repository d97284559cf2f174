"""The PDF report, rendered through the real command line and read back with poppler: its
figures are the API's, its labels are the catalogs', its tables are the web's. Page 1 and a
table page of each language land in test-artifacts/ as PNG to look at."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from childsafe.app.cli import main
from childsafe.app.web import create_app
from childsafe.kernel.languages import LANGUAGES
from childsafe.kernel.web.i18n import translations
from childsafe.publish.report import published_date, render_report_html, text_dir
from childsafe.review.bootstrap import open_review
from childsafe.review.model.framework import default_framework
from tests.review.seed_tables import ASEAN_8TH
from tests.review.synthetic import write_long_csv

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
MARKS = {"yes": "✓", "no": "✗", "partial": "~", "unknown": "?", None: "–"}
NUMBER = re.compile(r"\d+|–")
LAM_ALEF = re.compile("ل([اأإآ])")


def as_extracted(text: str) -> str:
    """``text`` as pdftotext gives it back: it spells each lam-alef ligature (لا) alef first
    (ال), e.g. لاوس as الوس. The PDF shows the ligature right (see test-artifacts)."""
    return LAM_ALEF.sub(r"\1ل", text)


def _needs(reason: str) -> None:
    """Skip outside CI; in CI a missing tool is a failure (the suite must run in full)."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


try:
    import weasyprint  # type: ignore[import-untyped, import-not-found, unused-ignore]  # noqa: F401
except (ImportError, OSError) as exc:  # OSError: Pango missing
    _needs(f"WeasyPrint cannot be imported ({exc}): pip install weasyprint")


@pytest.fixture(scope="module", autouse=True)
def poppler() -> None:
    if shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None:
        _needs("pdftotext/pdftoppm not found: apt-get install poppler-utils")


@pytest.fixture
def api(database_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(database_url)) as client:
        yield client


def publish(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.setattr("sys.argv", ["childsafe", "publish", "report", *args])
    try:
        main()
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


def pages_of(pdf: Path) -> list[str]:
    """Each page's text as laid out, without the bidi controls pdftotext adds around RTL."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return BIDI_CONTROLS.sub("", text).split("\f")[:-1]


def numbers_in(pages: list[str], rtl: bool) -> list[str]:
    """Every table cell of the document that is a number alone, in reading order (cells are
    apart by two spaces or more; a right-to-left line's cells come out of pdftotext left to
    right, so they are reversed back). Numbers inside labels ("since 2006") do not count."""
    found: list[str] = []
    for page in pages:
        for line in page.splitlines():
            cells = [c for c in re.split(r"\s{2,}", line.strip()) if NUMBER.fullmatch(c)]
            found += reversed(cells) if rtl else cells
    return found


def expected_numbers(results: dict[str, Any]) -> list[str]:
    """The results table's numbers as the report must print them, row by row."""
    shown: list[str] = []
    for c in results["classifications"]:
        shown += [str(c["computed"]), str(c["undetermined"]), str(c["published"] or "–")]
    shown += [str(f["published"]) for f in results["other_published"]]
    return shown


def contains_run(haystack: list[str], needle: list[str]) -> bool:
    return any(haystack[i : i + len(needle)] == needle for i in range(len(haystack)))


def snapshot(pdf: Path, page: int, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    prefix = ARTIFACTS / name
    pages = ["-f", str(page), "-l", str(page)]
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", "-singlefile", *pages, str(pdf), str(prefix)], check=True
    )
    return prefix.with_suffix(".png")


def marks_rows(pages: list[str], rtl: bool) -> dict[int, list[tuple[str, str]]]:
    """Per page, the lines that read as a country row (a name then six marks)."""
    rows: dict[int, list[tuple[str, str]]] = {}
    for number, page in enumerate(pages, start=1):
        for line in page.splitlines():
            marks = re.findall(r"(?<!\S)[✓✗~?–](?!\S)", line)
            if len(marks) == 6:
                name = re.sub(r"(?<!\S)[✓✗~?–](?!\S)", "", line).strip()
                rows.setdefault(number, []).append((name, "".join(marks[::-1] if rtl else marks)))
    return rows


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_report_prints_the_apis_figures_in_each_language(
    lang: str, database_url: str, api: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdf = tmp_path / f"edition-8-{lang}.pdf"
    code = publish(
        monkeypatch, "--edition", "8", "--lang", lang, "-o", str(pdf), "--database", database_url
    )
    assert code == 0 and pdf.stat().st_size > 10_000
    pages, rtl, _ = pages_of(pdf), lang == "ar", translations(lang).gettext
    text = "\n".join(pages)

    results = api.get("/api/v1/editions/8/results").json()
    assert contains_run(numbers_in(pages, rtl), expected_numbers(results))

    for label in ("Results", "Contents", "Criteria and methodology", "Comparative results"):
        assert as_extracted(_(label)) in text, label
    if lang == "ar":
        assert _("Results") == "النتائج" and "dir" not in _("Results")

    table = api.get("/api/v1/editions/8/table", params={"region": "ASEAN"}).json()
    registry = default_framework().jurisdictions
    found = dict(row for rows in marks_rows(pages, rtl).values() for row in rows)
    for row in table["rows"]:
        name = as_extracted(registry.name(row["jurisdiction"], lang))
        marks = "".join(MARKS[row["values"][c["id"]]] for c in table["criteria"])
        assert found.get(name) == marks, (name, found)

    table_page = next(n for n, rows in marks_rows(pages, rtl).items() if len(rows) >= 10)
    assert snapshot(pdf, 1, f"report-{lang}-page-1").exists()
    assert snapshot(pdf, table_page, f"report-{lang}-asean-table").exists()


def test_english_asean_rows_run_from_brunei_to_vietnam_with_their_marks(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdf = tmp_path / "report.pdf"
    assert publish(monkeypatch, "-e", "8", "-o", str(pdf), "--database", database_url) == 0
    rows = [row for page in marks_rows(pages_of(pdf), False).values() for row in page]
    assert [name for name, _ in rows][:1] == ["Brunei"] and rows[9][0] == "Vietnam"
    seed = {code: marks.replace("ü", "✓").replace("û", "✗") for code, marks in ASEAN_8TH.items()}
    assert rows[0] == ("Brunei", seed["BRN"]) and rows[9] == ("Vietnam", seed["VNM"])
    assert ("Thailand", seed["THA"]) in rows


def test_a_long_region_table_repeats_its_header_and_the_contents_give_pages(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdf = tmp_path / "africa.pdf"
    args = ["-e", "8", "--region", "ASEAN", "--region", "M49-002", "-o", str(pdf)]
    assert publish(monkeypatch, *args, "--database", database_url) == 0
    pages = pages_of(pdf)
    by_page = marks_rows(pages, False)
    africa = [n for n, rows in by_page.items() if any(name == "Algeria" for name, _ in rows)]
    following = africa[0] + 1
    assert following in by_page, "the Africa table should continue on the next page"
    for number in (africa[0], following):
        assert re.search(r"Jurisdiction\s+C1\s+C2\s+C3\s+C4\s+C5\s+C6", pages[number - 1])
    snapshot(pdf, following, "report-en-table-continued")

    contents = re.search(r"Results \.+ ?(\d+)", pages[1])
    assert contents is not None
    results_page = int(contents.group(1))
    assert re.search(r"^Results$", pages[results_page - 1], re.M)
    assert f"{results_page} / {len(pages)}" in pages[results_page - 1]


def test_unknown_edition_is_refused_before_any_file_is_written(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    pdf = tmp_path / "nothing.pdf"
    code = publish(monkeypatch, "-e", "42", "-o", str(pdf), "--database", database_url)
    assert code == 1 and not pdf.exists()
    assert "no edition 42" in capsys.readouterr().err


def test_dates_and_directions_follow_the_language() -> None:
    assert published_date("2016-01", "es") == "enero de 2016"
    assert published_date("2006", "ru") == "2006"
    assert published_date("2018-03-05", "en") == "March 5, 2018"
    assert text_dir("ICMEC presentation") == "ltr"
    assert text_dir("«قانون» 2016") == "rtl"
    assert text_dir("2016") == "ltr"


def test_a_jurisdiction_page_shows_what_changed_since_the_edition_before(
    database_url: str, tmp_path: Path
) -> None:
    review = open_review(database_url)
    earlier = {"THA": {c: "yes" for c in ("C1", "C2", "C3", "C4", "C5")}}
    csv = write_long_csv(tmp_path / "thailand-7.csv", 7, earlier)  # SYNTHETIC TEST DATA
    review.import_file(csv, edition=7, actor="tester")

    html = render_report_html(review, 8, "es", today=date(2026, 1, 2))
    thailand = html[html.index('id="j-THA"') :]
    thailand = thailand[: thailand.index("</section>")]
    assert "Edición 7 → 8" in thailand
    assert translations("es").gettext("regressed") in thailand
    cambodia = html[html.index('id="j-KHM"') :]
    assert translations("es").gettext("Not assessed in an earlier edition.") in cambodia
    assert "2 de enero de 2026" in html and 'lang="es"' in html
