"""Exports of cases in the field's formats: a goAML STR or SAR for a bank's FIU, a
CyberTipline-style web page report, and a ThreatExchange signal list of the URLs assessed
illegal.

goAML STR: the transactions are the site's completed law-enforcement test purchases with the
price paid; the site is the receiving party: its bank account as a structured ``t_account``
(IBAN, bank identifier) when the purchase was paid to one, else the site as an entity (its URLs
and payment channels named). goAML SAR (the FIU's ``activity_report_code``): no transactions;
the report parties are the site and every IBAN seen on it. goAML wants amounts in the FIU's
local currency: a price in another currency needs the filer's exchange rate (``rates``:
currency -> local units per unit), written beside the amount. Which transmission mode and
funds type a payment kind is comes from the FIU profile's ``payment_codes``; a profile without
them files SARs only. The filer (``goaml.Filer``) gives the reporting person and location.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Final

from childsafe.accounts.model import Action, Actor, AuthenticatedUser, actor_name, require
from childsafe.coalition.model import Sector
from childsafe.kernel.errors import ConfigurationError, Forbidden, InvalidValue
from childsafe.reports.exports import cybertipline, goaml, threatexchange
from childsafe.reports.model import identifiers
from childsafe.reports.model.cases import scoped_organisation
from childsafe.reports.model.intake import ReportRecord, parse_report
from childsafe.reports.service.base import ReportsBase, Viewer

UNKNOWN_COUNTRY: Final = "-"  # goAML's "UNKNOWN" country code
CENT: Final = Decimal("0.01")
URLS_MAX: Final = 20
SITE_BUSINESS: Final = (
    "Website reported as offering child sexual abuse material for payment (metadata only)"
)


class ReportsExports:
    """Exports of cases: goAML, CyberTipline, ThreatExchange."""

    def __init__(self, base: ReportsBase) -> None:
        self.base = base  # its stores are the ones this part reads and writes

    # -- goAML ------------------------------------------------------------------------------

    def _str_filer(self, user: Actor, site_id: int) -> Viewer:
        """Coordinators and admins file about any site; a member only when its organisation
        is a bank and the site is one of its cases."""
        allowed = require(user, Action.EXPORT_STR)
        self.base.site_row(site_id)
        scope = scoped_organisation(allowed)
        if scope is not None:
            sectors = {o.id: o.sector for o in self.base.directory.organisations()}
            if sectors.get(scope) is not Sector.BANK:
                raise Forbidden("goAML reports are filed by banks", organisation=scope or None)
            self.base.reader(allowed, site_id)
        return allowed

    def export_goaml(
        self,
        user: Actor,
        site_id: int,
        *,
        fiu: str = "uae",
        rentity_id: int | None = None,
        rates: Mapping[str, Decimal | str] | None = None,
        report_code: str | None = None,
        filer: goaml.Filer | None = None,
    ) -> bytes:
        """goAML XML about a site, every code checked against the FIU's lists: an STR of the
        test purchases (the default), or with the FIU's activity code (SAR) the site and its
        accounts without transactions. ``rentity_id`` overrides the filer's."""
        self._str_filer(user, site_id)
        config = goaml.load_fiu(fiu)
        who = _filer(filer, rentity_id)
        site = self.base.site_row(site_id)
        code = report_code or str(config.defaults["report_code"])
        config.check("report", code, "report_code")
        base = goaml.GoamlReport(
            rentity_id=who.rentity_id,
            entity_reference=goaml.entity_reference(f"SITE-{site_id}-{code}"),
            submission_date=self.base.clock(),
            report_code=code,
            reporting_person=who.reporting_person,
            location=who.location,
            rentity_branch=who.rentity_branch,
        )
        if code == config.activity_report_code:
            report = replace(
                base,
                parties=self._site_parties(site, config),
                reason=(
                    f"{site['domain']} was reported to the hotline as offering child sexual "
                    "abuse material for payment; the accounts are those it shows for payment."
                ),
            )
        else:
            report = replace(
                base,
                transactions=self._transactions(site, config, rates),
                reason=(
                    f"Law-enforcement test purchases on {site['domain']}, a site reported to "
                    "the hotline as offering child sexual abuse material for payment."
                ),
            )
        return goaml.build_report(report, config)

    def _transactions(
        self,
        site: Mapping[str, Any],
        config: goaml.FiuConfig,
        rates: Mapping[str, Decimal | str] | None,
    ) -> tuple[goaml.Transaction, ...]:
        if not config.payment_codes:
            raise ConfigurationError(f"no goAML payment codes configured for FIU {config.fiu}")
        tests = self._paid_purchases(site["id"])
        entity = self._site_entity(site)
        host = self._alpha2(self._hosting_country(site["id"]), config)
        local = str(config.defaults["currency_code_local"])
        return tuple(
            self._transaction(
                t,
                site=entity,
                site_row=site,
                host=host,
                config=config,
                codes=config.payment_codes,
                rate=_rate(t, local, rates),
            )
            for t in tests
        )

    def _site_parties(
        self, site: Mapping[str, Any], config: goaml.FiuConfig
    ) -> tuple[goaml.ReportParty, ...]:
        """The site as an entity, then each IBAN seen on it as an account."""
        parties = [
            goaml.ReportParty(
                reason="Website reported to the hotline as offering child sexual abuse "
                "material for payment (metadata only: URLs and payment details).",
                entity=self._site_entity(site),
            )
        ]
        for channel in self.base.cases.site_channels(site["id"]):
            account = _iban_account(channel, site, config)
            if account is not None:
                parties.append(
                    goaml.ReportParty(
                        reason=f"Bank account shown on {site['domain']} to receive payment.",
                        account=account,
                    )
                )
        return tuple(parties)

    def _paid_purchases(self, site_id: int) -> list[dict[str, Any]]:
        """The completed test purchases with a price: goAML needs at least one."""
        tests = [
            t
            for t in self.base.alerting.test_transactions(site_id)
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
        urls = self.base.cases.site_urls([site])[site["id"]][:URLS_MAX]
        channels = self.base.cases.site_channels(site["id"])
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
            for r in self.base.cases.site_reports(site_id, 1000)
            if r["hosting_country"]
        )
        return countries.most_common(1)[0][0] if countries else None

    def _alpha2(self, code: str | None, config: goaml.FiuConfig) -> str:
        if code is None or code not in self.base.registry:
            return UNKNOWN_COUNTRY
        alpha2 = self.base.registry.get(code).alpha2
        return alpha2 if alpha2 in config.codes["country"] else UNKNOWN_COUNTRY

    def _transaction(
        self,
        test: Mapping[str, Any],
        *,
        site: goaml.Entity,
        site_row: Mapping[str, Any],
        host: str,
        config: goaml.FiuConfig,
        codes: Mapping[str, tuple[str, str]],
        rate: Decimal,
    ) -> goaml.Transaction:
        channel = (
            None if test["channel_id"] is None else self.base.alerting.channel(test["channel_id"])
        )
        kind = channel["kind"] if channel else "card"
        if kind not in codes:
            raise ConfigurationError(f"FIU {config.fiu}: no payment_codes for {kind}")
        mode, funds = codes[kind]
        account = None if channel is None else _iban_account(channel, site_row, config)
        country = test["issuing_country"]
        name = self.base.registry.get(country).name if country in self.base.registry else country
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
            destination=(
                goaml.Party(funds, host, entity=site)
                if account is None
                else goaml.Party(funds, _iban_country(account, config), account=account)
            ),
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
        row = self.base.report_row(viewer, report_id)
        record = self._record_of(row)
        who = reporter or _reporter_of(viewer, email.strip())
        page = cybertipline.from_record(record, who, received_at=row["received_at"])
        return cybertipline.build_webpage_report(page)

    def _record_of(self, row: Mapping[str, Any]) -> ReportRecord:
        """The stored report as an intake record again (it was one: it validates)."""
        price = self.base.cases.report_price(row["id"])
        payload = {
            "url": row["url"],
            "incident_type": row["incident_type"],
            "observed_at": None if row["observed_at"] is None else row["observed_at"].isoformat(),
            "payment": [
                {k: p[k] for k in ("kind", "brand", "identifier") if p[k] is not None}
                for p in self.base.cases.report_payments(row["id"])
            ],
            "price": price,
            "hosting_country": row["hosting_country"],
            "reporter_type": row["reporter_type"],
            "notes": row["notes"],
            "urls": [u["url"] for u in self.base.cases.report_urls(row["id"])],
        }
        present = {k: v for k, v in payload.items() if v not in (None, [])}
        return parse_report(
            json.dumps(present), now=self.base.clock(), source=f"report {row['id']}"
        )

    def export_threatexchange(self, user: Actor) -> bytes:
        """Every canonical URL assessed illegal, as ``url`` and ``url_md5`` signals; URLs
        assessed not illegal (and never illegal) as tombstones."""
        require(user, Action.EXPORT_REPORTS)
        live, removed = self.base.cases.illegal_urls()
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
            field="rate",
            currency=currency,
        )
    try:
        rate = Decimal(str(given))
    except InvalidOperation:
        raise InvalidValue(
            f"exchange rate {given!r} is not a number", field="rate", value=str(given)
        ) from None
    if not rate.is_finite() or rate <= 0:
        raise InvalidValue(
            f"exchange rate {given!r} must be positive", field="rate", value=str(given)
        )
    return rate


def _filer(filer: goaml.Filer | None, rentity_id: int | None) -> goaml.Filer:
    if rentity_id is not None:
        return replace(filer or goaml.Filer(rentity_id), rentity_id=rentity_id)
    if filer is None:
        raise InvalidValue(
            "goAML needs the reporting entity's id (rentity_id): give it or a filer file",
            field="rentity_id",
        )
    return filer


def _iban_account(
    channel: Mapping[str, Any], site: Mapping[str, Any] | None, config: goaml.FiuConfig
) -> goaml.Account | None:
    """A bank channel with an IBAN as a structured account (its bank identifier as the
    institution code); None for anything else."""
    number = channel.get("identifier")
    if channel.get("kind") != "bank" or not number or not identifiers.looks_like_iban(number):
        return None
    _, bank = goaml.iban_institution(number)
    holder = goaml.goaml_name(site["domain"]) if site is not None else ""
    brand = channel.get("brand")
    return goaml.Account(
        account=number,
        account_name=holder or "Unknown holder",
        institution_code=bank,
        institution_name=None if not brand else goaml.goaml_name(brand) or None,
        iban=number,
        comments="Account details as shown on the reported site.",
    )


def _iban_country(account: goaml.Account, config: goaml.FiuConfig) -> str:
    country = (account.iban or "")[:2]
    return country if country in config.codes["country"] else UNKNOWN_COUNTRY


def _reporter_of(viewer: Viewer, email: str) -> cybertipline.Reporter:
    name = viewer.display_name if isinstance(viewer, AuthenticatedUser) else actor_name(viewer)
    first, _, last = name.partition(" ")
    return cybertipline.Reporter(first_name=first, last_name=last or "-", email=email)
