"""Notice and takedown: notices to a site's host or registrar, acknowledged, and removal
confirmed by a person's recheck (childsafe never fetches content). Time to removal runs from
the report's receipt to the confirmed removal; INHOPE reports removal times, and the share
removed within three days is the figure given here per country and per host."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from statistics import median
from typing import Final

THREE_DAYS: Final = timedelta(days=3)


class NoticeStatus(StrEnum):
    SENT = "sent"
    ACKNOWLEDGED = "acknowledged"
    REMOVED = "removed"  # a person rechecked and found the content gone
    NOT_REMOVED = "not_removed"  # a person rechecked and found it still there


@dataclass(frozen=True)
class NoticeTimes:
    country: str | None
    host: str
    received_at: datetime  # the report's receipt
    removed_at: datetime | None


@dataclass(frozen=True)
class RemovalFigures:
    group: str
    notices: int
    removed: int
    removed_within_3_days: int
    median_hours: float | None

    @property
    def share_within_3_days(self) -> float | None:
        return None if not self.notices else self.removed_within_3_days / self.notices


def removal_hours(times: NoticeTimes) -> float | None:
    if times.removed_at is None:
        return None
    return max(0.0, (times.removed_at - times.received_at).total_seconds() / 3600)


def figures(notices: Iterable[NoticeTimes], by: str) -> list[RemovalFigures]:
    """Removal figures grouped ``by`` ``"country"`` or ``"host"``, largest group first."""
    groups: dict[str, list[NoticeTimes]] = defaultdict(list)
    for notice in notices:
        key = notice.host if by == "host" else (notice.country or "unknown")
        groups[key].append(notice)
    found = []
    for key, members in groups.items():
        hours = [h for h in map(removal_hours, members) if h is not None]
        within = sum(1 for h in hours if h <= THREE_DAYS.total_seconds() / 3600)
        found.append(
            RemovalFigures(key, len(members), len(hours), within, median(hours) if hours else None)
        )
    return sorted(found, key=lambda f: (-f.notices, f.group))
