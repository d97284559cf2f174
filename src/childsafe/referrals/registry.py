"""The partner registry: adding partners (every setting checked first) and finding them."""

from __future__ import annotations

from childsafe.accounts.model import Action, Actor, actor_name, require
from childsafe.audit.entry import AuditEntry
from childsafe.kernel.documents import Document
from childsafe.kernel.errors import NotFound
from childsafe.referrals import documents as docs
from childsafe.referrals.context import Context
from childsafe.referrals.model import partners as rules
from childsafe.referrals.store import Row


class Partners:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def add(
        self,
        actor: Actor,
        name: str,
        *,
        kind: str,
        target: str,
        countries: str | list[str] | None = None,
        incident_types: str | list[str] | None = None,
        token_env: str | None = None,
        organisation: str | None = None,
    ) -> Document:
        """Register a partner; every setting is checked before anything is stored."""
        who = actor_name(require(actor, Action.MANAGE_TOKENS))
        clean_kind = rules.clean_kind(kind)
        at = self.ctx.clock()
        values: Row = {
            "name": rules.clean_name(name),
            "kind": clean_kind.value,
            "target": rules.clean_target(clean_kind, target),
            "countries": list(
                rules.clean_countries(rules.split_list(countries), self.ctx.reports.resolve_country)
            ),
            "incident_types": list(
                rules.clean_incident_types(
                    rules.split_list(incident_types), self.ctx.reports.incident_types()
                )
            ),
            "token_env": rules.clean_token_env(clean_kind, token_env),
            "organisation": (organisation or "").strip() or None,
            "active": True,
            "created_by": who,
            "created_at": at,
        }
        after = {k: v for k, v in values.items() if k not in ("created_by", "created_at")}
        entry = AuditEntry(who, "partner.add", "partner", f"partner/{values['name']}", None, after)
        return {"partner": docs.partner_document(self.ctx.store.add_partner(values, entry, at))}

    def list(self, actor: Actor) -> Document:
        require(actor, Action.TRIAGE)
        return {"partners": [docs.partner_document(p) for p in self.ctx.store.partners()]}

    def named(self, name: str) -> Row:
        found = self.ctx.store.partner(name.strip().lower())
        if found is None:
            known = ", ".join(p["name"] for p in self.ctx.store.partners()) or "none yet"
            raise NotFound(f"no partner {name!r} (partners: {known})", partner=name)
        return found
