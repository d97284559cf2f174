"""Uploads are metadata only: a CSV, XLSX or JSON file of assessments, never imagery or video.

The name, the declared type and the first bytes must all agree; anything that looks like an
image or a video is refused outright, whatever it is called.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePath
from typing import Any

from childsafe.kernel.errors import ChildsafeError, InvalidValue
from childsafe.kernel.io.readers import check_xlsx_archive

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
ALLOWED = {
    ".csv": {"text/csv", "application/csv", "text/plain", "application/vnd.ms-excel"},
    ".json": {"application/json", "text/json", "text/plain"},
    ".xlsx": {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/octet-stream",
    },
}
# Leading bytes of image and video formats (JPEG, PNG, GIF, WebP/AVI, BMP, TIFF, WebM/MKV,
# MP4/MOV at offset 4, MPEG): refused even when renamed.
_MEDIA_SIGNATURES = (
    b"\xff\xd8\xff",
    b"\x89PNG",
    b"GIF8",
    b"RIFF",
    b"BM",
    b"II*\x00",
    b"MM\x00*",
    b"\x1aE\xdf\xa3",
    b"\x00\x00\x01\xba",
    b"\x00\x00\x01\xb3",
)


def looks_like_media(data: bytes) -> bool:
    return data.startswith(_MEDIA_SIGNATURES) or data[4:8] in (b"ftyp", b"moov", b"mdat")


def check_metadata_upload(filename: str, content_type: str | None, data: bytes) -> str:
    """The file's suffix when it is an acceptable metadata file, else ``InvalidValue``."""
    suffix = PurePath(filename).suffix.lower()
    if looks_like_media(data) or (content_type or "").startswith(("image/", "video/")):
        raise InvalidValue(
            "images and videos are never accepted: childsafe holds metadata only", file=filename
        )
    if suffix not in ALLOWED:
        raise InvalidValue(f"{filename!r}: upload a .csv, .xlsx or .json file", file=filename)
    declared = (content_type or "application/octet-stream").split(";")[0].strip().lower()
    if declared not in ALLOWED[suffix]:
        raise InvalidValue(
            f"{filename!r}: declared as {declared}, not a {suffix} file", file=filename
        )
    if len(data) > MAX_UPLOAD_BYTES:
        raise InvalidValue(
            f"{filename!r} is larger than {MAX_UPLOAD_BYTES // 1024 // 1024} MB", file=filename
        )
    if suffix == ".xlsx" and not data.startswith(b"PK"):
        raise InvalidValue(f"{filename!r} is not an XLSX workbook", file=filename)
    if suffix == ".xlsx":
        check_xlsx_archive(data, PurePath(filename).name)
    return suffix


@contextmanager
def saved_upload(filename: str, data: bytes) -> Iterator[Path]:
    """The upload as a file named as its sender named it, in a private temporary folder that
    is gone afterwards. Errors raised while it is used name the file, never the folder: the
    server's temporary paths are nobody's business."""
    with tempfile.TemporaryDirectory(prefix="childsafe-upload-") as folder:
        path = Path(folder) / (PurePath(filename).name or "upload")
        path.write_bytes(data)
        try:
            yield path
        except ChildsafeError as error:
            _forget_folder(error, folder + os.sep)
            raise


def _without(folder: str, value: Any) -> Any:
    if isinstance(value, str):
        return value.replace(folder, "")
    if isinstance(value, list):
        return [_without(folder, v) for v in value]
    if isinstance(value, dict):
        return {k: _without(folder, v) for k, v in value.items()}
    return value


def _forget_folder(error: ChildsafeError, folder: str) -> None:
    error.message = _without(folder, error.message)
    error.details = _without(folder, error.details)
    error.args = (error.message,)
