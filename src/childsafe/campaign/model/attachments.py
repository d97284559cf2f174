"""A statute attached to a verifier's answers: a PDF or a text file, never an image or video.

Only what identifies the file is kept (its name, size and SHA-256, in the proposals' note):
the reviewer asks the verifier for the file itself, and childsafe holds no document bodies.
"""

from __future__ import annotations

import hashlib
from pathlib import PurePath

from childsafe.kernel.errors import InvalidValue
from childsafe.kernel.text import check_text, media_kind, refuse_media

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
PDF_TYPES = frozenset({"application/pdf", "application/octet-stream"})
TEXT_TYPES = frozenset({"text/plain", "application/octet-stream"})


def describe_attachment(filename: str, content_type: str | None, data: bytes) -> str:
    """``attached: NAME (N bytes, sha256 …)`` for an acceptable file, else ``InvalidValue``."""
    name = check_text(PurePath(filename).name, "file name")
    declared = (content_type or "application/octet-stream").split(";")[0].strip().lower()
    kind = media_kind(data[:64])
    if kind is not None or declared.startswith(("image/", "video/")):
        raise InvalidValue(
            "images and videos are never accepted: attach the statute as a PDF or text file",
            file=name,
        )
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise InvalidValue(f"{name!r} is larger than 5 MB", file=name)
    suffix = PurePath(name).suffix.lower()
    if suffix == ".pdf":
        if declared not in PDF_TYPES or not data.startswith(b"%PDF-"):
            raise InvalidValue(f"{name!r} is not a PDF file", file=name)
    elif suffix == ".txt":
        if declared not in TEXT_TYPES:
            raise InvalidValue(f"{name!r}: declared as {declared}, not text", file=name)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidValue(f"{name!r} is not UTF-8 text", file=name) from None
        refuse_media(text)
    else:
        raise InvalidValue(f"{name!r}: attach a .pdf or .txt file", file=name)
    digest = hashlib.sha256(data).hexdigest()
    return f"attached: {name} ({len(data)} bytes, sha256 {digest})"
