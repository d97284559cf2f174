"""Exports of cases in the field's formats: a goAML STR for a bank's FIU, a CyberTipline-style
web page report, and a ThreatExchange signal list of the URLs assessed illegal.

goAML: the transactions are the site's completed law-enforcement test purchases with the price
paid; the site is the receiving entity (its URLs and payment channels named). goAML wants
amounts in the FIU's local currency: a price in another currency needs the filer's exchange
rate (``rates``: currency -> local units per unit), written beside the amount. Which goAML
transmission mode and funds type a payment kind is uses the FIU's own codes
(:data:`FIU_PAYMENT_CODES`); an FIU without that mapping is a configuration error.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Final

from childsafe.accounts.model import Action, Actor, AuthenticatedUser, actor_name, require
from childsafe.coalition.model import Sector
from childsafe.kernel.errors import ConfigurationError, Forbidden, InvalidValue
from childsafe.reports.exports import cybertipline, goaml, threatexchange
from childsafe.reports.model.cases import scoped_organisation
from childsafe.reports.model.intake import ReportRecord, parse_report
from childsafe.reports.service.base import ReportsBase, Viewer

# FIU -> payment kind -> (transmode_code, funds_code), from that FIU's code lists.
FIU_PAYMENT_CODES: Final = {
    "uae": {
        "card": ("CCD", "CRTCR"),  # Credit Card; Credit cards
        "wallet": ("DAWLT", "CRPTC"),  # Digital Assets Wallet; Cryptocurrencies
        "processor": ("ELCFT", "ELCFT"),  # Electronic funds transfer
        "bank": ("ELCFT", "ELCFT"),
    }
}
UNKNOWN_COUNTRY: Final = "-"  # goAML's "UNKNOWN" country code
CENT: Final = Decimal("0.01")
URLS_MAX: Final = 20
SITE_BUSINESS: Final = (
    "Website reported as offering child sexual abuse material for payment (metadata only)"
)


class ReportsExports(ReportsBase):
    # -- goAML ------------------------------------------------------------------------------

    def _str_filer(self, user: Actor, site_id: int) -> Viewer:
        """Coordinators and admins file about any site; a member only when its organisation
        is a bank and the site is one of its cases."""
        allowed = require(user, Action.EXPORT_STR)
        self._site(site_id)
        scope = scoped_organisation(allowed)
        if scope is not None:
            sectors = {o.id: o.sector for o in self.coalition.organisations()}
            if sectors.get(scope) is not Sector.BANK:
                raise Forbidden("goAML reports are filed by banks", organisation=scope or None)
            self._reader(allowed, site_id)
        return allowed

    def export_goaml(
        self,
        user: Actor,
        site_id: int,
        *,
        fiu: str = "uae",
        rentity_id: int,
        rates: Mapping[str, Decimal | str] | None = None,
    ) -> bytes:
        """goAML STR XML about a site, every code checked against the FIU's lists."""
        self._str_filer(user, site_id)
        config = goaml.load_fiu(fiu)
        codes = FIU_PAYMENT_CODES.get(config.fiu)
        if codes is None:
            raise ConfigurationError(f"no goAML payment codes configured for FIU {config.fiu}")
        site = self._site(site_id)
        tests = self._paid_purchases(site_id)
        entity = self._site_entity(site)
        host = self._alpha2(self._hosting_country(site_id), config)
        local = str(config.defaults["currency_code_local"])
        report = goaml.GoamlReport(
            rentity_id=rentity_id,
            entity_reference=goaml.entity_reference(f"SITE-{site_id}"),
            submission_date=self.clock(),
            transactions=tuple(
                self._transaction(
                    t,
                    site=entity,
                    host=host,
                    config=config,
                    codes=codes,
                    rate=_rate(t, local, rates),
                )
                for t in tests
            ),
            reason=(
                f"Law-enforcement test purchases on {site['domain']}, a site reported to the "
                "hotline as offering child sexual abuse material for payment."
            ),
        )
        return goaml.build_report(report, config)

    def _paid_purchases(self, site_id: int) -> list[dict[str, Any]]:
        """The completed test purchases with a price: goAML needs at least one."""
        tests = [
            t
            for t in self.store.test_transactions(site_id)
            if t["outcome"] == "completed" and t["price_amount"] is not None
        ]
        if not tests:
            raise InvalidValue(
                f"site {site_id} has no completed test purchase with a price: a goAML "
                "transaction report needs at least one transaction",
                site=site_id,
            )
        return tests

    def _site_entity(self, site: Mapping[str, Any]) -> goaml.Entity:
        urls = self.store.site_urls([site])[site["id"]][:URLS_MAX]
        channels = self.store.site_channels(site["id"])
        seen = [
            " ".join(p for p in (c["kind"], c["brand"], c["identifier"]) if p) for c in channels
        ]
        return goaml.Entity(
            name=goaml.goaml_name(site["domain"]),
            urls=tuple(urls),
            business=SITE_BUSINESS,
            comments="Payment channels seen: " + "; ".join(seen) if seen else None,
        )

    def _hosting_country(self, site_id: int) -> str | None:
        countries = Counter(
            r["hosting_country"]
            for r in self.store.site_reports(site_id, 1000)
            if r["hosting_country"]
        )
        return countries.most_common(1)[0][0] if countries else None

    def _alpha2(self, code: str | None, config: goaml.FiuConfig) -> str:
        if code is None or code not in self.registry:
            return UNKNOWN_COUNTRY
        alpha2 = self.registry.get(code).alpha2
        return alpha2 if alpha2 in config.codes["country"] else UNKNOWN_COUNTRY

    def _transaction(
        self,
        test: Mapping[str, Any],
        *,
        site: goaml.Entity,
        host: str,
        config: goaml.FiuConfig,
        codes: Mapping[str, tuple[str, str]],
        rate: Decimal,
    ) -> goaml.Transaction:
        channel = None if test["channel_id"] is None else self.store.channel(test["channel_id"])
        mode, funds = codes[channel["kind"] if channel else "card"]
        country = test["issuing_country"]
        name = self.registry.get(country).name if country in self.registry else country
        paid = f"{test['price_amount']} {test['price_currency']}"
        buyer = f"Law enforcement test purchase {test['card_brand']} card issued in {name}"
        local = str(config.defaults["currency_code_local"])
        note = None if rate == 1 else f"Paid {paid}, converted at {rate} {local} per unit."
        return goaml.Transaction(
            number=f"TT-{test['id']}",
            date=test["transacted_at"],
            transmode_code=mode,
            amount_local=(Decimal(test["price_amount"]) * rate).quantize(CENT, ROUND_HALF_UP),
            source=goaml.Party(
                funds, self._alpha2(country, config), entity=goaml.Entity(goaml.goaml_name(buyer))
            ),
            destination=goaml.Party(funds, host, entity=site),
            description=f"{buyer}: {test['outcome']}, paid {paid}",
            location="Online",
            internal_ref=f"CHILDSAFE-TT-{test['id']}",
            comments=note,
        )

    # -- CyberTipline and ThreatExchange ----------------------------------------------------

    def export_cybertipline(
        self,
        user: Actor,
        report_id: int,
        *,
        email: str = "",
        reporter: cybertipline.Reporter | None = None,
    ) -> bytes:
        """A CyberTipline-style web page incident of one report (metadata only). The
        reporter is the exporting person with ``email`` (the CyberTipline requires one: an
        export without it is refused, 422)."""
        viewer = require(user, Action.EXPORT_REPORTS)
        row = self._report_row(viewer, report_id)
        record = self._record_of(row)
        who = reporter or _reporter_of(viewer, email.strip())
        page = cybertipline.from_record(record, who, received_at=row["received_at"])
        return cybertipline.build_webpage_report(page)

    def _record_of(self, row: Mapping[str, Any]) -> ReportRecord:
        """The stored report as an intake record again (it was one: it validates)."""
        price = self.store.report_price(row["id"])
        payload = {
            "url": row["url"],
            "incident_type": row["incident_type"],
            "observed_at": None if row["observed_at"] is None else row["observed_at"].isoformat(),
            "payment": [
                {k: p[k] for k in ("kind", "brand", "identifier") if p[k] is not None}
                for p in self.store.report_payments(row["id"])
            ],
            "price": price,
            "hosting_country": row["hosting_country"],
            "reporter_type": row["reporter_type"],
            "notes": row["notes"],
            "urls": [u["url"] for u in self.store.report_urls(row["id"])],
        }
        present = {k: v for k, v in payload.items() if v not in (None, [])}
        return parse_report(json.dumps(present), now=self.clock(), source=f"report {row['id']}")

    def export_threatexchange(self, user: Actor) -> bytes:
        """Every canonical URL assessed illegal, as ``url`` and ``url_md5`` signals; URLs
        assessed not illegal (and never illegal) as tombstones."""
        require(user, Action.EXPORT_REPORTS)
        live, removed = self.store.illegal_urls()
        signals = []
        for urls, gone in ((live, False), (removed, True)):
            for url in urls:
                signals.append(threatexchange.Signal("url", url, gone))
                signals.append(threatexchange.Signal("url_md5", threatexchange.url_md5(url), gone))
        return threatexchange.write_signals(signals)


def _rate(
    test: Mapping[str, Any], local: str, rates: Mapping[str, Decimal | str] | None
) -> Decimal:
    currency = test["price_currency"]
    if currency == local:
        return Decimal(1)
    given = (rates or {}).get(currency)
    if given is None:
        raise InvalidValue(
            f"test purchase {test['id']} was paid in {currency}: give the rate to {local}",
            currency=currency,
        )
    try:
        rate = Decimal(str(given))
    except InvalidOperation:
        raise InvalidValue(f"exchange rate {given!r} is not a number", value=str(given)) from None
    if not rate.is_finite() or rate <= 0:
        raise InvalidValue(f"exchange rate {given!r} must be positive", value=str(given))
    return rate


def _reporter_of(viewer: Viewer, email: str) -> cybertipline.Reporter:
    name = viewer.display_name if isinstance(viewer, AuthenticatedUser) else actor_name(viewer)
    first, _, last = name.partition(" ")
    return cybertipline.Reporter(first_name=first, last_name=last or "-", email=email)
