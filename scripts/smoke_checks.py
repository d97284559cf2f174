"""The checks of scripts/smoke, run by the runtime install's own Python (standard library only).

python scripts/smoke_checks.py install            # no test tooling; every module imports
python scripts/smoke_checks.py serve URL          # the server answers its main pages
python scripts/smoke_checks.py outputs FOLDER     # the site, the PDF and --help are whole
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import re
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST_TOOLING = ("pytest", "hypothesis", "playwright", "httpx2", "schemathesis", "mypy", "ruff")
PAGES = ("/", "/api/v1/editions/8/results", "/en/jurisdictions/THA", "/ar/jurisdictions/THA")
FIRST_START_SECONDS = 180


def check_install() -> None:
    """The runtime install holds no test tooling, childsafe is installed (not linked to src/),
    and every module imports there: src/ importing test tooling anywhere fails here."""
    present = [name for name in TEST_TOOLING if importlib.util.find_spec(name) is not None]
    if present:
        fail(f"test tooling in the runtime install: {', '.join(present)}")
    import childsafe  # noqa: PLC0415 - the installed package, imported once checked for

    if (ROOT / "src") in Path(childsafe.__file__).resolve().parents:
        fail(f"childsafe is imported from the checkout ({childsafe.__file__}), not installed")
    for module in pkgutil.walk_packages(childsafe.__path__, "childsafe."):
        if module.name.endswith("__main__"):
            continue  # running it is `python -m childsafe`, not an import
        importlib.import_module(module.name)


def check_serve(base: str) -> None:
    """Waits for the first start (migrate and seed), then asks for the README's main pages."""
    deadline = time.monotonic() + FIRST_START_SECONDS
    while True:
        try:
            fetch(base + "/")
            break
        except (urllib.error.URLError, ConnectionError) as exc:
            if time.monotonic() > deadline:
                fail(f"the server did not answer {base}/ in {FIRST_START_SECONDS} s: {exc}")
            time.sleep(0.5)
    for path in PAGES:
        body = fetch(base + path)
        say(f"GET {path}: 200, {len(body):,} bytes")


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - our own server
        if response.status != 200:
            fail(f"GET {url}: {response.status}")
        body: bytes = response.read()
        return body


def check_outputs(folder: Path) -> None:
    site = folder / "site"
    pages = list(site.rglob("*.html"))
    if not (site / "index.html").is_file() or len(pages) < 10:
        fail(f"publish site wrote {len(pages)} pages and no index.html")
    pdf = (folder / "report-ar.pdf").read_bytes()
    if not pdf.startswith(b"%PDF") or len(pdf) < 10_000:
        fail(f"publish report wrote {len(pdf)} bytes that are not a PDF")
    say(f"site: {len(pages)} pages; report-ar.pdf: {len(pdf):,} bytes")
    documented = set(re.findall(r"^### `childsafe (\w[\w-]*)", read(ROOT / "docs/cli.md"), re.M))
    listed = set(re.findall(r"^│ (\w[\w-]*) ", read(folder / "help.txt"), re.M))
    if documented - listed:
        fail(f"childsafe --help does not list {sorted(documented - listed)}")
    say(f"childsafe --help lists every documented command: {', '.join(sorted(listed))}")


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def say(message: str) -> None:
    print(f"smoke: {message}", file=sys.stderr)


def fail(message: str) -> None:
    say(f"FAILED: {message}")
    raise SystemExit(1)


def main(argv: list[str]) -> None:
    match argv:
        case ["install"]:
            check_install()
        case ["serve", base]:
            check_serve(base)
        case ["outputs", folder]:
            check_outputs(Path(folder))
        case _:
            fail(f"usage: {__doc__}")


if __name__ == "__main__":
    main(sys.argv[1:])
