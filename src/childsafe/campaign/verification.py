"""Outside verification without an account: an editor invites a verifier for one jurisdiction,
the verifier opens a capability link, confirms or corrects each draft cell, and the answers
become editorial proposals attributed to them (a reviewer still decides).

The verifier's proposals need an author: each invitation makes an inactive researcher account
(it can never sign in) named after the link, so the proposals, their audit entries and the
reviewers' queue say who verified. Opening a link writes nothing; only an answer does.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import timedelta

from childsafe.accounts.model import Actor, Operator, Role
from childsafe.audit.entry import AuditEntry
from childsafe.campaign.model.answers import check_answers
from childsafe.campaign.model.cells import Answer, CellAnswer, DraftCell
from childsafe.campaign.model.records import Link, NewLink
from childsafe.campaign.model.reminders import NextStep, next_step
from childsafe.campaign.model.status import Status, check_step
from childsafe.campaign.model.tokens import (
    LinkState,
    link_state,
    new_token,
    token_digest,
    well_formed,
)
from childsafe.campaign.parts import SYSTEM, CampaignParts, editor, entry
from childsafe.campaign.service import item_key
from childsafe.campaign.store import LinkClosed
from childsafe.kernel.errors import ChildsafeError, InvalidValue, NotFound
from childsafe.kernel.languages import LANGUAGES
from childsafe.kernel.mail import MailMessage
from childsafe.kernel.text import check_text

EMAIL_MAX = 254


class LinkRefused(ChildsafeError):
    """A verifier link that does not open its page: the page says why, nothing is written."""

    status = 403
    code = "link_refused"

    def __init__(self, state: LinkState) -> None:
        super().__init__(REFUSALS[state], state=state.value)
        self.state = state
        if state in GONE:
            self.status = 410  # the link was real and is closed for good


GONE = frozenset({LinkState.EXPIRED, LinkState.REVOKED, LinkState.USED})
REFUSALS = {
    LinkState.FORGED: "This link is not valid. Check that the whole address was copied.",
    LinkState.EXPIRED: "This link has expired. Ask the person who invited you for a new one.",
    LinkState.REVOKED: "This link was withdrawn. Ask the person who invited you for a new one.",
    LinkState.USED: "This link was used already: your answers were received. Thank you.",
    LinkState.OTHER_JURISDICTION: "This link is for another jurisdiction.",
}


@dataclass(frozen=True)
class Invitation:
    link: Link
    url: str  # holds the token: shown once, never stored
    mailed: bool


@dataclass(frozen=True)
class VerifierView:
    """All a verifier sees: their own jurisdiction's draft cells."""

    link: Link
    name: str
    drafts: tuple[DraftCell, ...]
    questions: dict[str, str]  # criterion -> the question as the edition words it


def _clean_email(text: str) -> str:
    email = text.strip()
    local, _, domain = email.partition("@")
    if not local or "." not in domain or len(email) > EMAIL_MAX or " " in email:
        raise InvalidValue(f"{text!r} is not an email address", field="email", value=text)
    return check_text(email, "email")


class VerificationService:
    def __init__(self, parts: CampaignParts) -> None:
        self.parts = parts
        self.store = parts.store

    def invite(
        self,
        actor: Actor,
        edition: int,
        jurisdiction: str,
        *,
        email: str,
        name: str,
        organisation: str = "",
        lang: str = "en",
    ) -> Invitation:
        """A new link for one jurisdiction, mailed (or only returned, when no SMTP is set)."""
        by = editor(actor)
        item = self.parts.item(edition, jurisdiction)
        if lang not in LANGUAGES:
            raise InvalidValue(f"language {lang!r}: use one of {', '.join(LANGUAGES)}")
        name = check_text(" ".join(name.split()), "name")
        if not name:
            raise InvalidValue("a verifier needs a name", field="name")
        organisation = check_text(" ".join(organisation.split()), "organisation")
        steps = self._steps_to_sent(item.jurisdiction, item.status)
        token, at = new_token(), self.parts.clock()
        verifier = self._verifier_account(edition, item.jurisdiction, name, organisation, by)
        new = NewLink(
            edition=edition,
            jurisdiction=item.jurisdiction,
            token_sha256=token_digest(token),
            name=name,
            organisation=organisation,
            email=_clean_email(email),
            lang=lang,
            verifier=verifier,
            invited_by=by,
            expires_at=at + timedelta(days=self.parts.config.link_days),
        )
        invited = {"edition": edition, "jurisdiction": item.jurisdiction, "name": name}
        invited |= {"organisation": organisation, "email": new.email, "lang": lang}
        invited["expires_at"] = new.expires_at.isoformat()
        reason = f"{name} invited to verify {item.jurisdiction}"
        audit = entry(by, "campaign.invite", "verifier_link/{link}", (None, invited), reason)
        link = self.store.add_link(new, at=at, audit=[audit])
        if steps:
            self._step(
                edition, item.jurisdiction, item.status, steps, by=by, why="invited a verifier"
            )
        url = self.url(link, token)
        return Invitation(link, url, self._mail(link, url, reminder=False))

    @staticmethod
    def _steps_to_sent(jurisdiction: str, status: Status) -> list[Status]:
        if status is Status.SENT_FOR_VERIFICATION:
            return []  # another verifier for the same draft
        path = [Status.DRAFTING] if status is Status.NOT_STARTED else []
        current = path[-1] if path else status
        check_step(jurisdiction, current, Status.SENT_FOR_VERIFICATION)
        return [*path, Status.SENT_FOR_VERIFICATION]

    def _step(
        self, edition: int, code: str, before: Status, steps: list[Status], *, by: str, why: str
    ) -> None:
        audit, previous = [], before
        for status in steps:
            audit.append(_status_entry(edition, code, previous, status, by=by, why=why))
            previous = status
        self.store.update_item(edition, code, at=self.parts.clock(), audit=audit, status=steps[-1])

    def _verifier_account(
        self, edition: int, code: str, name: str, organisation: str, by: str
    ) -> str:
        username = f"verifier-{edition}-{code.lower()}-{secrets.token_hex(4)}"
        label = f"{name}, {organisation}" if organisation else name
        operator = Operator(f"{by} (campaign invitation)")
        self.parts.accounts.create_user(
            operator,
            username,
            role=Role.RESEARCHER,
            password=secrets.token_urlsafe(32),  # never told to anyone: the account is inactive
            display_name=f"{label} (verifier)"[:200],
        )
        self.parts.accounts.deactivate(operator, username)
        return username

    def url(self, link: Link, token: str) -> str:
        base = self.parts.config.public_url.rstrip("/")
        return f"{base}/{link.lang}/verify/{link.jurisdiction}/{token}"

    def _mail(self, link: Link, url: str, *, reminder: bool) -> bool:
        if self.parts.mailer is None:
            return False
        name = self.parts.review.framework.jurisdictions.name(link.jurisdiction)
        subject = f"{'Reminder: ' if reminder else ''}please verify the draft for {name}"
        body = (
            f"Dear {link.name},\n\n"
            f"ICMEC's Global Review asks you to verify its draft assessment of {name} "
            f"(edition {link.edition}). For each question, confirm it or propose a correction "
            f"with a citation. The link works for this jurisdiction only, once, until "
            f"{link.expires_at:%Y-%m-%d}:\n\n{url}\n\nThank you.\n"
        )
        self.parts.mailer.send(MailMessage(to=link.email, subject=subject, body=body))
        return True

    # -- the verifier's side ----------------------------------------------------------------

    def open(self, jurisdiction: str, token: str) -> VerifierView:
        """The page behind a link, or ``LinkRefused`` saying why not. Writes nothing."""
        link = self.store.link(token_digest(token)) if well_formed(token) else None
        state = link_state(None if link is None else link.facts(), jurisdiction, self.parts.clock())
        if state is not LinkState.VALID or link is None:
            raise LinkRefused(state)
        drafts = self.store.drafts(link.edition, link.jurisdiction)
        framework = self.parts.review.framework
        name = framework.jurisdictions.name(link.jurisdiction, link.lang)
        criteria = framework.edition_criteria(framework.edition(link.edition))
        questions = {c.id: c.question for c in criteria}
        return VerifierView(link, name, tuple(drafts), questions)

    def answer(
        self, jurisdiction: str, token: str, answers: Sequence[CellAnswer], attachment: str = ""
    ) -> Status:
        """Confirmations and corrections become pending proposals by the verifier; the
        corrected drafts change, the link is used up and the jurisdiction is ``verified`` (all
        confirmed) or ``corrected``. ``attachment`` describes an attached statute."""
        view = self.open(jurisdiction, token)
        link = view.link
        checked = check_answers(view.drafts, answers)
        item = self.parts.item(link.edition, link.jurisdiction)
        corrected = any(a.answer is Answer.CORRECT for a in checked)
        target = check_step(
            link.jurisdiction, item.status, Status.CORRECTED if corrected else Status.VERIFIED
        )
        changed = self._propose(link, view.drafts, checked, attachment)
        audit = [
            entry(
                link.verifier,
                "campaign.answer",
                f"verifier_link/{link.id}",
                (None, {"answers": _answered(checked), "attachment": attachment or None}),
                f"{link.name} answered for {link.jurisdiction}",
            ),
            _status_entry(
                link.edition,
                link.jurisdiction,
                item.status,
                target,
                by=link.verifier,
                why="the verifier answered",
            ),
        ]
        try:
            self.store.answer_link(
                link.id, drafts=changed, status=target, at=self.parts.clock(), audit=audit
            )
        except LinkClosed:
            raise LinkRefused(LinkState.USED) from None
        return target

    def _propose(
        self,
        link: Link,
        drafts: Sequence[DraftCell],
        answers: Sequence[CellAnswer],
        attachment: str,
    ) -> list[DraftCell]:
        """One proposal per answer whose value is not already current; the corrected drafts."""
        verifier = self.parts.accounts.get_user(SYSTEM, link.verifier).signed_in()
        current = {
            r.criterion: r
            for r in self.parts.review.store.current(link.edition, {link.jurisdiction})
        }
        by = f"{link.name}, {link.organisation}" if link.organisation else link.name
        changed: list[DraftCell] = []
        for draft, answer in zip(drafts, answers, strict=True):
            cell = draft
            if answer.answer is Answer.CORRECT:
                cell = replace(draft, **answer.correction(), carried_from=None)
                changed.append(cell)
            now = current.get(cell.criterion)
            if now is not None and (now.value.value, now.citation, now.excerpt) == (
                cell.value,
                cell.citation,
                cell.excerpt,
            ):
                continue  # already the current value: nothing to propose
            verb = "corrected" if answer.answer is Answer.CORRECT else "confirmed"
            reason = f"{verb} by {by} (verifier invited by {link.invited_by})"
            if answer.note:
                reason += f": {answer.note}"
            self.parts.editorial.propose(
                verifier,
                edition=link.edition,
                jurisdiction=link.jurisdiction,
                criterion=cell.criterion,
                value=cell.value,
                citation=cell.citation or "(no citation in the draft)",
                reason=reason,
                base_version=None if now is None else now.version,
                excerpt=cell.excerpt,
                source=cell.source,
                note=attachment,
            )
        return changed

    # -- the editor's side ------------------------------------------------------------------

    def revoke(self, actor: Actor, link_id: int, edition: int) -> Link:
        by = editor(actor)
        link = next((k for k in self.store.links(edition) if k.id == link_id), None)
        if link is None:
            raise NotFound(f"edition {edition} has no verifier link {link_id}", link=link_id)
        change = ({"revoked": False}, {"revoked": True})
        reason = f"link to {link.name} revoked"
        audit = entry(by, "campaign.revoke", f"verifier_link/{link.id}", change, reason)
        try:
            return self.store.revoke_link(link.id, at=self.parts.clock(), audit=audit)
        except LinkClosed:
            raise InvalidValue(f"link {link_id} was used or revoked already") from None

    def remind(self, actor: Actor, edition: int) -> dict[str, list[str]]:
        """Remind unanswered verifiers whose period ran out; after the last reminder the
        jurisdiction is ``no_response`` (the link stays open until it expires)."""
        by = editor(actor)
        now, policy = self.parts.clock(), self.parts.config.reminders
        done: dict[str, list[str]] = {"reminded": [], "no_response": []}
        items = {i.jurisdiction: i for i in self.store.items(edition)}
        for link in self.store.links(edition):
            item = items[link.jurisdiction]
            if link.used_at or link.revoked_at or now >= link.expires_at:
                continue
            if item.status is not Status.SENT_FOR_VERIFICATION or link.created_at is None:
                continue
            step = next_step(
                link.created_at, link.last_reminded_at, link.reminders_sent, now, policy
            )
            if step is NextStep.REMIND:
                self._remind(link, by)
                done["reminded"].append(link.jurisdiction)
            elif step is NextStep.NO_RESPONSE:
                self._step(
                    edition,
                    link.jurisdiction,
                    item.status,
                    [Status.NO_RESPONSE],
                    by=by,
                    why="the reminders ran out",
                )
                items[link.jurisdiction] = replace(item, status=Status.NO_RESPONSE)
                done["no_response"].append(link.jurisdiction)
        return done

    def _remind(self, link: Link, by: str) -> None:
        """The reminder points to the first message's link: only the verifier ever had the
        token (we keep its hash), so it cannot be sent again."""
        change = (
            {"reminders_sent": link.reminders_sent},
            {"reminders_sent": link.reminders_sent + 1},
        )
        audit = entry(
            by, "campaign.remind", f"verifier_link/{link.id}", change, f"{link.name} reminded"
        )
        self.store.remind_link(link.id, at=self.parts.clock(), audit=audit)
        if self.parts.mailer is not None:
            self.parts.mailer.send(
                MailMessage(
                    to=link.email,
                    subject="Reminder: please verify the draft",
                    body=f"Dear {link.name},\n\nThis is a reminder of our request to verify "
                    f"the draft for {link.jurisdiction}; please use the link in our first "
                    "message.\n",
                )
            )


def _answered(answers: Sequence[CellAnswer]) -> dict[str, str]:
    return {a.criterion: a.answer.value for a in answers}


def _status_entry(
    edition: int, code: str, before: Status, after: Status, *, by: str, why: str
) -> AuditEntry:
    change = ({"status": before.value}, {"status": after.value})
    reason = f"{code}: {before.value} -> {after.value} ({why})"
    return entry(by, "campaign.status", item_key(edition, code), change, reason)
