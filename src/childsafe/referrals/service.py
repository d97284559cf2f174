"""Referrals: a report delivered to the partner that can act on it, and what came of it.
:class:`ReferralsService` is composed of four parts that share one ``context.Context``:
``registry.Partners`` (the partner registry), ``outbox.Outbox`` (referring and delivering),
``exchange.Exchange`` (referrals between instances and their outcomes) and
``takedown.Takedown`` (notices to hosts).

Who may: partners are managed with ``MANAGE_TOKENS`` (admins, the command line); referring,
the outbox, outcomes and notices with ``TRIAGE`` (hotline analysts). Another instance reaches
us with an API token we issued to the organisation its partner entry names.
"""

from __future__ import annotations

from childsafe.referrals.context import Context
from childsafe.referrals.exchange import Exchange
from childsafe.referrals.outbox import Outbox
from childsafe.referrals.registry import Partners
from childsafe.referrals.takedown import Takedown


class ReferralsService:
    """The parts, composed: ``partners``, ``outbox``, ``exchange``, ``takedown``."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.partners = Partners(ctx)
        self.outbox = Outbox(ctx, self.partners)
        self.exchange = Exchange(ctx, self.partners)
        self.takedown = Takedown(ctx, self.partners)
