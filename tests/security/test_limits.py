"""Input that costs too much is refused before it is parsed (issue 11, items 6, 7 and 8).
Every file and body here is synthetic."""

from __future__ import annotations

import io
import json
import re
import tempfile
import zipfile
from pathlib import Path

import pytest
from fastapi import FastAPI
from hypothesis import assume, given
from hypothesis import strategies as st
from openpyxl import Workbook

from childsafe.kernel.errors import ImportRejected
from childsafe.kernel.io.readers import LIMITS, read_json, read_xlsx, strict_json
from tests.review.test_cli import Cli, cli  # noqa: F401 - the fixture, used by name
from tests.security.web_clients import app_with_people, call_asgi, signed_in

HEADER = ["jurisdiction", "edition", "criterion", "value", "citation", "excerpt", "source"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def app(database_url: str) -> FastAPI:
    return app_with_people(database_url)


def _workbook(fill: dict[str, str]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for column, name in enumerate(HEADER, start=1):
        sheet.cell(row=1, column=column, value=name)
    for ref, value in fill.items():
        sheet[ref] = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rezipped(data: bytes, sheet_padding: int = 0, extra_entries: int = 0) -> bytes:
    """``data`` with a comment of ``sheet_padding`` bytes in its sheet (it compresses
    1000:1) and ``extra_entries`` more parts."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            part = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml" and sheet_padding:
                comment = b"<!--" + b"a" * sheet_padding + b"-->"
                part = part.replace(b"</worksheet>", comment + b"</worksheet>")
            archive.writestr(info.filename, part)
        for number in range(extra_entries):
            archive.writestr(f"customXml/item{number}.xml", b"<x/>")
    return out.getvalue()


def _refusal(call: object, *args: object) -> str:
    with pytest.raises(ImportRejected) as refused:
        call(*args)  # type: ignore[operator]
    return refused.value.message


def test_an_xlsx_whose_sheet_pads_to_a_million_rows_is_refused_by_its_row_count() -> None:
    # 5 KB on disk; openpyxl pads every missing row up to the last one.
    data = _workbook({f"A{LIMITS.max_rows + 50}": "THA"})
    assert len(data) < 10_000
    message = _refusal(read_xlsx, data, "rows.xlsx")
    assert f"more than {LIMITS.max_rows} rows" in message


def test_an_xlsx_declaring_a_huge_dimension_is_not_padded_to_it() -> None:
    data = _workbook({"A2": "THA", "B2": "8", "C2": "C1", "D2": "yes"})
    forged = _rezipped(data)
    archive = zipfile.ZipFile(io.BytesIO(forged))
    sheet = archive.read("xl/worksheets/sheet1.xml")
    sheet = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', sheet)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as rewritten:
        for info in archive.infolist():
            part = sheet if info.filename == "xl/worksheets/sheet1.xml" else archive.read(info)
            rewritten.writestr(info.filename, part)
    table = read_xlsx(out.getvalue(), "dimension.xlsx")  # read as it is, at once
    assert [row.cells["jurisdiction"] for row in table.rows] == ["THA"]


def test_an_xlsx_compressed_like_a_bomb_is_refused_before_openpyxl_opens_it() -> None:
    bomb = _rezipped(_workbook({}), sheet_padding=20 * 1024 * 1024)
    assert len(bomb) < 200_000
    assert "compressed" in _refusal(read_xlsx, bomb, "bomb.xlsx")


def test_an_xlsx_with_too_many_parts_is_refused() -> None:
    parts = _rezipped(_workbook({}), extra_entries=LIMITS.xlsx_max_entries)
    assert "parts in the archive" in _refusal(read_xlsx, parts, "parts.xlsx")


def test_json_nested_100000_levels_deep_is_a_located_refusal_not_a_recursion_error() -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    assert f"nested deeper than {LIMITS.json_max_depth} levels" in _refusal(
        read_json, deep, "deep.json"
    )


def test_a_json_import_with_a_key_twice_is_refused() -> None:
    record = '{"jurisdiction": "THA", "jurisdiction": "VNM"}'
    assert "duplicate key 'jurisdiction'" in _refusal(read_json, f"[{record}]".encode(), "d.json")


def test_the_cli_refuses_deep_json_without_a_traceback(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    deep = tmp_path / "deep.json"
    deep.write_bytes(b"[" * 100_000 + b"]" * 100_000)
    code, _, err = cli("review", "import", str(deep))
    assert code == 1
    assert "nested deeper than" in err
    assert "Traceback" not in err and "RecursionError" not in err


def test_an_xlsx_bomb_upload_is_refused_naming_the_file_not_the_server_folder(
    app: FastAPI,
) -> None:
    client, csrf = signed_in(app, "researcher")
    bomb = _rezipped(_workbook({}), sheet_padding=20 * 1024 * 1024)
    response = client.post(
        "/en/proposals/import",
        headers={"Accept": "application/json"},
        data={"csrf_token": csrf, "reason": "synthetic test"},
        files={"file": ("bomb.xlsx", bomb, XLSX)},
    )
    assert response.status_code == 422
    assert "bomb.xlsx" in response.text and "compressed" in response.text


def test_import_errors_name_the_uploaded_file_never_a_temporary_path(app: FastAPI) -> None:
    client, csrf = signed_in(app, "researcher")
    bad = ",".join(HEADER) + "\nTHA,8,C9,maybe,,,\n"
    response = client.post(
        "/en/proposals/import",
        headers={"Accept": "application/json"},
        data={"csrf_token": csrf, "reason": "synthetic test"},
        files={"file": ("mine.csv", bad.encode(), "text/csv")},
    )
    assert response.status_code == 422
    assert "mine.csv" in response.text
    assert tempfile.gettempdir() not in response.text
    assert "childsafe-upload" not in response.text


BIG = 100 * 1024 * 1024


def test_an_anonymous_write_is_refused_before_its_body_is_read(app: FastAPI) -> None:
    chunks = [b"x" * 1024 * 1024] * 100  # 100 MB, offered a MiB at a time
    headers = {"content-type": "application/json", "content-length": str(BIG)}
    result = call_asgi(app, "POST", "/api/v1/proposals", headers, chunks)
    assert (result.status, result.chunks_read) == (401, 0)
    assert json.loads(result.body)["error"]["code"] == "unauthenticated"


def test_a_body_declared_too_large_is_refused_before_it_is_read(app: FastAPI) -> None:
    client, csrf = signed_in(app, "researcher")
    cookie = f"childsafe_session={client.cookies['childsafe_session']}"
    headers = {
        "content-type": "application/json",
        "content-length": str(BIG),
        "cookie": cookie,
        "x-csrf-token": csrf,
    }
    result = call_asgi(app, "POST", "/api/v1/proposals", headers, [b"x" * 1024 * 1024] * 100)
    assert (result.status, result.chunks_read) == (413, 0)
    assert json.loads(result.body)["error"]["code"] == "too_large"


def test_a_streamed_body_is_cut_off_once_it_passes_the_limit(app: FastAPI) -> None:
    client, csrf = signed_in(app, "researcher")
    cookie = f"childsafe_session={client.cookies['childsafe_session']}"
    headers = {"content-type": "application/json", "cookie": cookie, "x-csrf-token": csrf}
    result = call_asgi(app, "POST", "/api/v1/proposals", headers, [b" " * 256 * 1024] * 400)
    assert result.status == 413
    assert result.chunks_read <= 5  # 1 MiB and the chunk that passed it, not 100 MB
    assert json.loads(result.body)["error"]["status"] == 413


def _depth(value: object) -> int:
    if isinstance(value, list):
        return 1 + max((_depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((_depth(v) for v in value.values()), default=0)
    return 0


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=40,
)


@given(JSON_VALUES)
def test_strict_json_reads_what_json_reads_within_the_depth_limit(value: object) -> None:
    text = json.dumps(value, ensure_ascii=False)
    if _depth(value) <= LIMITS.json_max_depth:
        assert strict_json(text) == value
        assert strict_json("\ufeff" + text) == value  # a BOM changes nothing
    else:
        with pytest.raises(json.JSONDecodeError, match="nested deeper"):
            strict_json(text)


@given(st.integers(min_value=1, max_value=200), st.sampled_from(["[", '{"k":']))
def test_strict_json_refuses_exactly_what_nests_too_deep(depth: int, opener: str) -> None:
    closer = "]" if opener == "[" else "}"
    text = opener * depth + "0" + closer * depth
    if depth <= LIMITS.json_max_depth:
        assert strict_json(text) is not None
    else:
        with pytest.raises(json.JSONDecodeError, match="nested deeper"):
            strict_json(text)


@given(st.text(min_size=1, max_size=8), JSON_VALUES, JSON_VALUES)
def test_a_key_given_twice_is_refused_wherever_it_is(key: str, first: object, last: object) -> None:
    pair = f"{json.dumps(key)}: {json.dumps(first)}, {json.dumps(key)}: {json.dumps(last)}"
    assume(max(_depth(first), _depth(last)) < LIMITS.json_max_depth - 1)
    with pytest.raises(json.JSONDecodeError, match="duplicate key"):
        strict_json(f'[{{"outer": {{{pair}}}}}]')
