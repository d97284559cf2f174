"""How a command reaches its service: by the service's type, from the composition root.

The kernel knows no feature, and a feature may not import the app; so the app
(``childsafe.app.container``) registers how to open its container here when the command line
starts, and each feature's commands ask ``service(ReportsService, database)``. One container
per database and process: every service is built once however many commands a process runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from childsafe.kernel.errors import ConfigurationError

T = TypeVar("T")


class Services(Protocol):
    def service(self, kind: type[T]) -> T:
        """The one service of type ``kind``."""
        ...


_opener: list[Callable[[str | None], Services]] = []


def provide(opener: Callable[[str | None], Services]) -> None:
    """Register how to open the services of a database URL (the app does it, once)."""
    _opener[:] = [opener]


def service(kind: type[T], database: str | None) -> T:
    """The service of type ``kind`` on ``database`` (else ``CHILDSAFE_DATABASE_URL``, else
    the embedded SQLite), migrated and seeded on first use."""
    if not _opener:
        raise ConfigurationError("no composition root registered: run childsafe.app.cli")
    return _opener[0](database).service(kind)
