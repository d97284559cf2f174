"""What a feature hands the audit log: one entry, appended by ``childsafe.audit.store``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class AuditEntry:
    """One entry to append to the audit log (proposals and accounts alike)."""

    actor: str
    action: str
    entity: str
    entity_key: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str = ""
