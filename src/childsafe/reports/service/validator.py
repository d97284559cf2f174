"""The validating process of a large import (see ``reports_pipeline``):
``python -m childsafe.reports.service.validator FILE NOW`` writes the file's storage rows as
frames to standard output. Started by the importer, not by people."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from childsafe.reports.service.pipeline import validate_to


def main(argv: list[str]) -> int:
    path, now = argv
    try:
        validate_to(Path(path), datetime.fromisoformat(now), sys.stdout.buffer)
    except BrokenPipeError:  # the writer stopped reading (it failed): nothing more to do
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
