"""What reporting's services share: who may see which case, and the look-ups the intake,
sites, alerts, metrics and exports parts all use. ``ReportsBase`` is one object, built from
the stores' Protocols, the coalition's directory, the review and the configuration, and
passed to each part (``childsafe.reports.service.core`` composes them).

Who sees what: ``READ_CASES`` lets hotline analysts, law enforcement, coordinators and admins
read every report and site; a ``member`` reads only the sites its organisation has been sent
an alert about (its cases), and only its own organisation's alerts and channels there.
Nobody anonymous reads a case: URLs of abuse sites are never public.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Final, Protocol

from childsafe.accounts.model import Action, Actor, AuthenticatedUser, Operator, require
from childsafe.coalition.model import Organisation
from childsafe.kernel.db.models import utcnow
from childsafe.kernel.documents import Document
from childsafe.kernel.errors import Forbidden, InvalidValue, NotFound
from childsafe.reports.lists.service import ListsService
from childsafe.reports.model.cases import scoped_organisation
from childsafe.reports.service.config import ReportsConfig
from childsafe.reports.store.interfaces import AlertsStore, CasesStore
from childsafe.review.explorer import CATEGORY_LABELS, map_category
from childsafe.review.model.values import Value
from childsafe.review.service import ReviewService

Viewer = AuthenticatedUser | Operator
CLOCK_SKEW: Final = timedelta(minutes=5)  # how far in the future a time people give may be


class Directory(Protocol):
    """The coalition's organisations (its store or service): whom alerts and tokens go to."""

    def organisations(self) -> Sequence[Organisation]: ...


class ReportsBase:
    def __init__(
        self,
        cases: CasesStore,
        alerts: AlertsStore,
        directory: Directory,
        review: ReviewService,
        config: ReportsConfig,
        *,
        lists: ListsService,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.cases = cases
        self.alerting = alerts
        self.directory = directory
        self.review = review
        self.config = config
        self.registry = review.framework.jurisdictions
        self.clock = clock
        self.lists = lists  # the known-site lists reports are matched against

    # -- look-ups ---------------------------------------------------------------------------

    def names(self) -> dict[str, str]:
        """Organisation id -> name, for documents."""
        return {o.id: o.name for o in self.directory.organisations()}

    def operators(self) -> Callable[[str | None], str | None]:
        """Brand -> the organisation operating it, among those in this database's directory
        (read once per submission or import)."""
        known = {o.id for o in self.directory.organisations()}

        def operator_of(brand: str | None) -> str | None:
            found = self.config.operator_of(brand)
            return found if found in known else None

        return operator_of

    def country(self, text: str, what: str = "country") -> str:
        """ISO alpha-3 of a code or English name; ``InvalidValue`` when none matches."""
        try:
            return self.registry.resolve(text).code
        except NotFound as exc:
            raise InvalidValue(f"{what}: {exc.message}", value=text) from None

    def site_row(self, site_id: int) -> dict[str, Any]:
        found = self.cases.site(site_id)
        if found is None:
            raise NotFound(f"no site {site_id}", site=site_id)
        return found

    def when(self, value: datetime, what: str) -> datetime:
        """A time someone gives: aware (naive is refused), not in the future; as UTC."""
        if value.tzinfo is None:
            raise InvalidValue(f"{what}: give a time zone (e.g. 2024-05-01T10:00:00Z)")
        if value > self.clock() + CLOCK_SKEW:
            raise InvalidValue(f"{what}: {value.isoformat()} is in the future")
        return value.astimezone(UTC)

    # -- who may ----------------------------------------------------------------------------

    def reader(self, viewer: Actor, site_id: int) -> Viewer:
        """``viewer`` if they may read the cases of ``site_id``: 401, 403 (role), 403 (a member
        whose organisation has no alert about the site)."""
        allowed = require(viewer, Action.READ_CASES)
        scope = scoped_organisation(allowed)
        if scope is not None and not self.alerting.alerts(
            organisation=scope, sent_only=True, site_id=site_id
        ):
            raise Forbidden(
                f"site {site_id} is not a case of your organisation ({scope or 'none'})",
                site=site_id,
                organisation=scope or None,
            )
        return allowed

    def report_row(self, user: Actor, report_id: int) -> dict[str, Any]:
        require(user, Action.READ_CASES)  # the role, before saying what exists
        row = self.cases.report(report_id)
        if row is None:
            raise NotFound(f"no report {report_id}", report=report_id)
        self.reader(user, row["site_id"])
        return row

    # -- the Global Review beside a case ----------------------------------------------------

    def review_status(self, country: str | None) -> Document | None:
        """The hosting country's map category in the latest edition that assessed it."""
        if country is None:
            return None
        if country not in self.registry:
            return _status(country, country, None, "not_assessed")
        profile = self.review.jurisdiction(country)
        assessed = [e for e in profile["editions"] if e["assessed"]]
        if not assessed:
            latest = max(self.review.framework.editions)
            return _status(country, profile["name"], latest, "not_assessed")
        edition = max(assessed, key=lambda e: int(e["edition"]))
        values = {c["criterion"]: Value(c["value"]) for c in edition["criteria"]}
        category = map_category(self.review, edition["edition"], values)
        return _status(country, profile["name"], edition["edition"], category)


def _status(country: str, name: str, edition: int | None, category: str) -> Document:
    return {
        "country": country,
        "name": name,
        "edition": edition,
        "category": category,
        "label": CATEGORY_LABELS[category],
    }
