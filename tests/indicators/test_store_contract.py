"""The contract of :class:`IndicatorStore`, run against SQLite and PostgreSQL alike: recording
is one transaction with one audit entry, values are replaced by key and year, and reading
filters by jurisdiction and year. Every value here is synthetic."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, select

from childsafe.audit.models import AuditRow
from childsafe.indicators.data import default_shipped
from childsafe.indicators.model.values import IndicatorValue
from childsafe.indicators.store import IndicatorStore, SqlIndicatorStore
from tests.indicators.helpers import counts

AT = datetime(2026, 11, 29, 12, tzinfo=UTC)
DEFINITION = default_shipped()["ncmec-cybertipline-reports"].definition
VALUES = [
    IndicatorValue("PHL", "Philippines", 2022, 10.0, "synthetic (example.org)"),
    IndicatorValue("PHL", "Philippines", 2023, 11.0),
    IndicatorValue(None, "No Country Listed", 2022, 3.0),
    IndicatorValue("GUF", "Guiana, French", 2022, 1.0, separate=True),
    IndicatorValue("GUF", "French Guiana", 2022, 2.0),
]


@pytest.fixture
def store(engine: Engine) -> IndicatorStore:
    return SqlIndicatorStore(engine)


def test_record_and_read_back(store: IndicatorStore, engine: Engine) -> None:
    outcome = store.record(
        DEFINITION, VALUES, actor="tester", at=AT, reason="synthetic", seed_sha256="ab"
    )
    assert (outcome.added, outcome.changed, outcome.unchanged) == (5, 0, 0)
    assert sorted(store.values(DEFINITION.id), key=lambda v: (v.key, v.year)) == sorted(
        VALUES, key=lambda v: (v.key, v.year)
    )
    assert store.seed_hash(DEFINITION.id) == "ab"
    assert [d.id for d in store.definitions()] == [DEFINITION.id]
    assert store.definitions()[0] == DEFINITION
    assert [v.year for v in store.values(DEFINITION.id, jurisdictions={"PHL"}, years={2023})] == [
        2023
    ]


def test_recording_again_changes_only_what_differs(store: IndicatorStore, engine: Engine) -> None:
    store.record(DEFINITION, VALUES, actor="tester", at=AT, reason="synthetic")
    changed = IndicatorValue("PHL", "Philippines", 2022, 12.0, "synthetic fix (example.org)")
    outcome = store.record(DEFINITION, [changed, VALUES[1]], actor="tester", at=AT, reason="fix")
    assert (outcome.added, outcome.changed, outcome.unchanged) == (0, 1, 1)
    assert store.values(DEFINITION.id, jurisdictions={"PHL"}, years={2022}) == [changed]
    with engine.connect() as conn:
        after = (
            conn.execute(
                select(AuditRow.after)
                .where(AuditRow.entity == "indicator")
                .order_by(AuditRow.id.desc())
            )
            .scalars()
            .first()
        )
    assert after is not None
    assert after["changes"] == [
        {
            "key": "PHL",
            "year": 2022,
            "before": {
                "jurisdiction": "PHL",
                "name": "Philippines",
                "value": 10.0,
                "source": "synthetic (example.org)",
                "note": None,
            },
            "after": {
                "jurisdiction": "PHL",
                "name": "Philippines",
                "value": 12.0,
                "source": "synthetic fix (example.org)",
                "note": None,
            },
        }
    ]


def test_a_failed_record_writes_nothing(store: IndicatorStore, engine: Engine) -> None:
    before = counts(engine)
    twice = [VALUES[0], VALUES[0]]  # the same key and year twice: the unique index refuses
    with pytest.raises(Exception):  # noqa: B017 - the driver's IntegrityError
        store.record(DEFINITION, twice, actor="tester", at=AT, reason="synthetic")
    assert counts(engine) == before
    assert store.definitions() == []
