"""Where the package's own files are: reviewed data and translation catalogs."""

from __future__ import annotations

from pathlib import Path
from typing import Final

PACKAGE_DIR: Final = Path(__file__).resolve().parent.parent
DATA_DIR: Final = PACKAGE_DIR / "data"
LOCALE_DIR: Final = PACKAGE_DIR / "locale"
