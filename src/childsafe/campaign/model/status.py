"""A jurisdiction's way through an edition's campaign, and the counts of the progress page.

Pure: the service stores the status and appends an audit entry for every step taken here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping
from enum import StrEnum

from childsafe.kernel.errors import Conflict


class Status(StrEnum):
    NOT_STARTED = "not_started"
    DRAFTING = "drafting"
    SENT_FOR_VERIFICATION = "sent_for_verification"
    VERIFIED = "verified"
    CORRECTED = "corrected"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    NO_RESPONSE = "no_response"


TRANSITIONS: Mapping[Status, frozenset[Status]] = {
    Status.NOT_STARTED: frozenset({Status.DRAFTING}),
    Status.DRAFTING: frozenset({Status.SENT_FOR_VERIFICATION}),
    Status.SENT_FOR_VERIFICATION: frozenset(
        {Status.VERIFIED, Status.CORRECTED, Status.NO_RESPONSE}
    ),
    Status.VERIFIED: frozenset({Status.IN_REVIEW}),
    Status.CORRECTED: frozenset({Status.IN_REVIEW}),
    Status.IN_REVIEW: frozenset({Status.APPROVED}),
    # the reminders ran out: the editor may invite someone else
    Status.NO_RESPONSE: frozenset({Status.SENT_FOR_VERIFICATION}),
    Status.APPROVED: frozenset(),
}

# Where an answered verification stands is read from the editorial decisions on its proposals
# (the reviewers decide there), so those steps are derived, not stored.
ANSWERED = frozenset({Status.VERIFIED, Status.CORRECTED})


def check_step(jurisdiction: str, current: Status, target: Status) -> Status:
    """``target`` when the machine allows the step from ``current``, else ``Conflict``."""
    if target not in TRANSITIONS[current]:
        allowed = ", ".join(sorted(TRANSITIONS[current])) or "nothing (it is final)"
        raise Conflict(
            f"{jurisdiction} is {current.value}: it may go to {allowed}, not {target.value}",
            jurisdiction=jurisdiction,
            status=current.value,
            wanted=target.value,
        )
    return target


def effective_status(stored: Status, *, pending: int, approved: int, rejected: int) -> Status:
    """The status shown: an answered jurisdiction is ``in_review`` once a reviewer has decided
    on some of its proposals and ``approved`` once every one of them was approved."""
    if stored not in ANSWERED or pending + approved + rejected == 0:
        return stored
    if pending == 0 and rejected == 0:
        return Status.APPROVED
    if approved + rejected > 0:
        return Status.IN_REVIEW
    return stored


def status_counts(universe: Collection[str], statuses: Mapping[str, Status]) -> dict[Status, int]:
    """Every status with how many of the universe's jurisdictions have it: a member without a
    status is ``not_started``, a status outside the universe is not counted, so the counts
    always add up to the size of the universe."""
    counted = Counter(statuses.get(code, Status.NOT_STARTED) for code in set(universe))
    return {status: counted.get(status, 0) for status in Status}
