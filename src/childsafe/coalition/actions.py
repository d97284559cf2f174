"""The Financial Coalition service's base: look-ups, who may reach which actions, and the
actions themselves (read, add, update with optimistic concurrency). ``CoalitionService``
(``childsafe.coalition.service``) adds the public documents, imports and exports."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from childsafe.accounts.model import (
    Action,
    Actor,
    AuthenticatedUser,
    Operator,
    actor_name,
    require,
)
from childsafe.coalition import documents as docs
from childsafe.coalition.data import CoalitionData
from childsafe.coalition.model import (
    TEXT_MAX,
    ActionItem,
    ActionStatus,
    Coalition,
    Membership,
    NewAction,
    Organisation,
    WorkingGroup,
    check_actions_access,
    clean_day,
    clean_status,
    coalitions_of,
    may_reach_actions,
)
from childsafe.coalition.store import CoalitionStore, StaleAction
from childsafe.kernel.db.models import utcnow
from childsafe.kernel.documents import Document
from childsafe.kernel.errors import Conflict, InvalidValue, NotFound
from childsafe.kernel.text import NOTES_MAX, clean_text
from childsafe.review.service import ReviewService

_API_NAMES = {"owner_organisation_id": "owner"}  # storage field -> the API's (and audit's) name


class CoalitionBase:
    def __init__(
        self,
        store: CoalitionStore,
        review: ReviewService,
        data: CoalitionData,
        *,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.store = store
        self.review = review
        self.data = data
        self.registry = review.framework.jurisdictions
        self.clock = clock

    # -- look-ups ---------------------------------------------------------------------------

    def _coalition(self, text: str) -> Coalition:
        found = {c.id.lower(): c for c in self.store.coalitions()}
        coalition = found.get(text.strip().lower())
        if coalition is None:
            known = ", ".join(c.id for c in found.values())
            raise NotFound(f"no coalition {text!r}; coalitions: {known}", coalition=text)
        return coalition

    def _organisations(self) -> dict[str, Organisation]:
        return {o.id: o for o in self.store.organisations()}

    def _country(self, text: str) -> str:
        """A country filter: ISO code or English name (``NotFound`` when none matches, as for
        every other jurisdiction look-up)."""
        return self.registry.resolve(text).code

    def _country_name(self, code: str) -> str:
        return self.registry.get(code).name if code in self.registry else code

    def _working_group(self, text: str) -> WorkingGroup:
        """By id (``APAC-FCACP/THA``), else by key (``THA``) or country (``Thailand``) when
        exactly one working group matches."""
        groups = self.store.working_groups()
        wanted = text.strip().lower()
        found = [g for g in groups if g.id.lower() == wanted]
        found = found or [g for g in groups if g.id.lower().rsplit("/", 1)[-1] == wanted]
        if not found and wanted and "/" not in wanted:
            try:
                code = self.registry.resolve(text).code
            except NotFound:
                code = None
            found = [g for g in groups if g.country == code]
        if len(found) == 1:
            return found[0]
        if found:
            ids = ", ".join(g.id for g in found)
            raise InvalidValue(f"{text!r} means several working groups: {ids}", value=text)
        ids = ", ".join(g.id for g in groups)
        raise NotFound(f"no working group {text!r}; working groups: {ids}", working_group=text)

    def _in(self, viewer: Actor) -> set[str]:
        """The coalitions the viewer's organisation is currently in."""
        if not isinstance(viewer, AuthenticatedUser):
            return set()
        today = self.clock().date()
        return coalitions_of(viewer.organisation_id, self.store.memberships(), today)

    def _members(self, coalition_id: str) -> list[tuple[Membership, Organisation]]:
        organisations = self._organisations()
        return [
            (m, organisations[m.organisation_id])
            for m in self.store.memberships()
            if m.coalition_id == coalition_id and m.organisation_id in organisations
        ]

    def _may_read(self, viewer: Actor, coalition_id: str) -> bool:
        return may_reach_actions(viewer, Action.READ_ACTIONS, coalition_id, self._in(viewer))

    def _access(
        self, viewer: Actor, action: Action, wg: WorkingGroup
    ) -> AuthenticatedUser | Operator:
        return check_actions_access(viewer, action, wg.coalition_id, self._in(viewer))

    # -- actions ----------------------------------------------------------------------------

    def _action_document(self, action: ActionItem) -> Document:
        return docs.action_document(action, self._organisations())

    def _found_action(
        self, viewer: Actor, action_id: int, action: Action
    ) -> tuple[AuthenticatedUser | Operator, ActionItem]:
        """The action, once ``viewer`` may ``action`` it: 401, 403 (role), 404, 403 (scope)."""
        require(viewer, action)  # the role, before saying what exists
        found = self.store.action(action_id)
        if found is None:
            raise NotFound(f"no action {action_id}", action=action_id)
        allowed = self._access(viewer, action, self._working_group(found.working_group_id))
        return allowed, found

    def action(self, action_id: int, viewer: Actor) -> Document:
        return self._action_document(self._found_action(viewer, action_id, Action.READ_ACTIONS)[1])

    def _owner(self, text: str) -> str | None:
        """An owner organisation by id; blank clears the owner."""
        if not text.strip():
            return None
        wanted = text.strip().lower()
        found = next((o.id for o in self.store.organisations() if o.id.lower() == wanted), None)
        if found is None:
            raise InvalidValue(f"no organisation {text!r} in the directory", owner=text)
        return found

    def _changes(
        self,
        status: ActionStatus | str | None,
        notes: str | None,
        owner: str | None,
        due_date: str | None,
    ) -> dict[str, Any]:
        changes: dict[str, Any] = {}
        if status is not None:
            changes["status"] = clean_status(status).value
        if notes is not None:
            changes["notes"] = clean_text(notes, "notes", NOTES_MAX, required=False, lines=True)
        if owner is not None:
            changes["owner_organisation_id"] = self._owner(owner)
        if due_date is not None:
            changes["due_date"] = clean_day(due_date)
        if not changes:
            raise InvalidValue("nothing to change: give a status, notes, an owner or a due date")
        return changes

    def update_action(
        self,
        user: Actor,
        action_id: int,
        *,
        expected_version: int,
        status: ActionStatus | str | None = None,
        notes: str | None = None,
        owner: str | None = None,
        due_date: str | None = None,
    ) -> Document:
        """Change an action from the version the editor saw; ``""`` clears an owner or due
        date. Nothing is written (and the version stays) when every value is already so."""
        editor, current = self._found_action(user, action_id, Action.EDIT_ACTIONS)
        changes = self._changes(status, notes, owner, due_date)
        yours = {_API_NAMES.get(k, k): v for k, v in changes.items()}
        if current.version != expected_version:
            raise self._conflict(current, expected_version, yours)
        changes = {k: v for k, v in changes.items() if getattr(current, k) != v}
        if not changes:
            return self._action_document(current)
        reason = ", ".join(
            f"{_API_NAMES.get(k, k)} {'changed' if k == 'notes' else v or '(none)'}"
            for k, v in changes.items()
        )
        try:
            updated = self.store.update_action(
                action_id,
                changes,
                expected_version=expected_version,
                actor=actor_name(editor),
                reason=reason,
                at=self.clock(),
            )
        except StaleAction as stale:
            raise self._conflict(stale.current, expected_version, yours) from None
        return self._action_document(updated)

    def _conflict(self, current: ActionItem, yours: int, changes: dict[str, Any]) -> Conflict:
        return Conflict(
            f"action {current.id} changed since you saw it: it is at version "
            f"{current.version}, you saw version {yours}; reload it and make your change again",
            current=self._action_document(current),
            yours=changes | {"expected_version": yours},
        )

    def add_action(
        self,
        user: Actor,
        wg_id: str,
        *,
        text: str,
        roundtable_id: int | None = None,
        owner: str | None = None,
        due_date: str | None = None,
        status: ActionStatus | str = ActionStatus.OPEN,
    ) -> Document:
        """A new action in a working group (at one of its roundtables, or none)."""
        wg = self._working_group(wg_id)
        editor = self._access(user, Action.EDIT_ACTIONS, wg)
        if roundtable_id is not None and not any(
            r.id == roundtable_id and r.working_group_id == wg.id for r in self.store.roundtables()
        ):
            raise InvalidValue(
                f"no roundtable {roundtable_id} in working group {wg.id}", roundtable=roundtable_id
            )
        new = NewAction(
            working_group_id=wg.id,
            text=clean_text(text, "text", TEXT_MAX),
            roundtable_id=roundtable_id,
            owner_organisation_id=None if owner is None else self._owner(owner),
            due_date=None if due_date is None else clean_day(due_date),
            status=clean_status(status),
        )
        created = self.store.add_action(new, actor=actor_name(editor), at=self.clock())
        return self._action_document(created)
