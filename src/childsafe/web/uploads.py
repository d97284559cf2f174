"""Uploads are metadata only: a CSV, XLSX or JSON file of assessments, never imagery or video.

The name, the declared type and the first bytes must all agree; anything that looks like an
image or a video is refused outright, whatever it is called.
"""

from __future__ import annotations

from pathlib import PurePath

from childsafe.errors import InvalidValue

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
    return suffix
