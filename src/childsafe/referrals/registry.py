"""The partner registry: adding partners (every setting checked first) and finding them."""

from __future__ import annotations

from dataclasses import dataclass

from childsafe.accounts.model import Action, Actor, actor_name, require
from childsafe.audit.entry import AuditEntry
from childsafe.kernel.documents import Document
from childsafe.kernel.errors import InvalidValue, NotFound
from childsafe.referrals import documents as docs
from childsafe.referrals.context import Context
from childsafe.referrals.model import partners as rules
from childsafe.referrals.store import Row


@dataclass
class Partners:
    ctx: Context

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
        check_env: bool = False,
    ) -> Document:
        """Register a partner; every setting is checked before anything is stored. With
        ``check_env`` (the web, which runs the outbox worker) its token variable must be set
        here."""
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
        if check_env:
            self._check_env(values["token_env"])
        after = {k: v for k, v in values.items() if k not in ("created_by", "created_at")}
        entry = AuditEntry(who, "partner.add", "partner", f"partner/{values['name']}", None, after)
        return {"partner": docs.partner_document(self.ctx.store.add_partner(values, entry, at))}

    def _check_env(self, name: str | None) -> None:
        if name is not None and not self.ctx.environ.get(name, "").strip():
            raise InvalidValue(
                f"--token-env {name}: that environment variable is not set where this server "
                "runs; set it (to the partner's token or signing secret) and add the partner again",
                field="token_env",
                value=name,
            )

    def list(self, actor: Actor, action: Action = Action.TRIAGE) -> Document:
        """Every partner, by name (``action``: who may read them; admins manage them)."""
        require(actor, action)
        return {"partners": [docs.partner_document(p) for p in self.ctx.store.partners()]}

    def get(self, actor: Actor, name: str) -> Document:
        require(actor, Action.MANAGE_TOKENS)
        return {"partner": docs.partner_document(self.named(name))}

    def disable(self, actor: Actor, name: str) -> Document:
        """Stop delivering to a partner (its deliveries and history stay); once is enough."""
        who = actor_name(require(actor, Action.MANAGE_TOKENS))
        found = self.named(name)
        if found["active"]:
            key = f"partner/{found['name']}"
            entry = AuditEntry(
                who, "partner.disable", "partner", key, {"active": True}, {"active": False}
            )
            found = self.ctx.store.set_partner_active(found["id"], False, entry, self.ctx.clock())
        return {"partner": docs.partner_document(found)}

    def named(self, name: str) -> Row:
        found = self.ctx.store.partner(name.strip().lower())
        if found is None:
            known = ", ".join(p["name"] for p in self.ctx.store.partners()) or "none yet"
            raise NotFound(f"no partner {name!r} (partners: {known})", partner=name)
        return found
