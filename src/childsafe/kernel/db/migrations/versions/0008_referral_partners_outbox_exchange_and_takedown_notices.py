"""Referrals: partners, the durable outbox of deliveries, referrals received from other
instances, outcomes both ways and takedown notices
"""

import sqlalchemy as sa
from alembic import op

from childsafe.kernel.db.revisions import id_column, moment, reference

revision: str = "0008"
down_revision: str | None = "0006"  # re-chained at merge (was 0005)


def upgrade() -> None:
    _partners_and_deliveries()
    _incoming_and_outcomes()
    _notices()


def _partners_and_deliveries() -> None:
    op.create_table(
        "referral_partners",
        id_column(),
        sa.Column("name", sa.String(64), nullable=False, unique=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("countries", sa.JSON(), nullable=False),
        sa.Column("incident_types", sa.JSON(), nullable=False),
        sa.Column("token_env", sa.String(128), nullable=True),
        sa.Column("organisation", sa.String(64), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        moment("created_at"),
    )
    op.create_index("ix_referral_partners_organisation", "referral_partners", ["organisation"])
    op.create_table(
        "referral_deliveries",
        id_column(),
        sa.Column("key", sa.String(64), nullable=False, unique=True),
        sa.Column(
            "partner_id", sa.Integer(), sa.ForeignKey("referral_partners.id"), nullable=False
        ),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("site", sa.String(253), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        moment("next_attempt_at", nullable=True),
        moment("leased_until", nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("remote_ref", sa.String(200), nullable=True),
        sa.Column("created_by", sa.String(200), nullable=False),
        moment("created_at"),
        moment("delivered_at", nullable=True),
    )
    op.create_index(
        "ix_referral_deliveries_due", "referral_deliveries", ["status", "next_attempt_at"]
    )
    op.create_index("ix_referral_deliveries_partner_id", "referral_deliveries", ["partner_id"])
    op.create_index("ix_referral_deliveries_report_id", "referral_deliveries", ["report_id"])


def _incoming_and_outcomes() -> None:
    op.create_table(
        "referral_incoming",
        id_column(),
        sa.Column("organisation", sa.String(64), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        reference("partner_id", "referral_partners.id", nullable=True),
        sa.Column("origin_report_id", sa.Integer(), nullable=True),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("site", sa.String(253), nullable=True),
        sa.Column("site_known", sa.Boolean(), nullable=False),
        sa.Column("assessment", sa.JSON(), nullable=False),
        moment("received_at"),
        sa.UniqueConstraint("organisation", "key", name="uq_referral_incoming_key"),
    )
    op.create_index("ix_referral_incoming_report_id", "referral_incoming", ["report_id"])
    op.create_table(
        "referral_outcomes",
        id_column(),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column(
            "delivery_id", sa.Integer(), sa.ForeignKey("referral_deliveries.id"), nullable=True
        ),
        sa.Column(
            "incoming_id", sa.Integer(), sa.ForeignKey("referral_incoming.id"), nullable=True
        ),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        moment("at"),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.UniqueConstraint("key", name="uq_referral_outcomes_key"),
    )
    op.create_index("ix_referral_outcomes_delivery_id", "referral_outcomes", ["delivery_id"])
    op.create_index("ix_referral_outcomes_incoming_id", "referral_outcomes", ["incoming_id"])


def _notices() -> None:
    op.create_table(
        "takedown_notices",
        id_column(),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("site", sa.String(253), nullable=False),
        sa.Column("country", sa.String(3), nullable=True),
        sa.Column("host", sa.String(200), nullable=False),
        sa.Column(
            "delivery_id", sa.Integer(), sa.ForeignKey("referral_deliveries.id"), nullable=False
        ),
        sa.Column("status", sa.String(16), nullable=False),
        moment("received_at"),
        sa.Column("sent_by", sa.String(200), nullable=False),
        moment("sent_at"),
        moment("acknowledged_at", nullable=True),
        sa.Column("rechecked_by", sa.String(200), nullable=True),
        moment("rechecked_at", nullable=True),
        moment("removed_at", nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
    )
    op.create_index("ix_takedown_notices_report_id", "takedown_notices", ["report_id"])


def downgrade() -> None:
    for table in (
        "takedown_notices",
        "referral_outcomes",
        "referral_incoming",
        "referral_deliveries",
        "referral_partners",
    ):
        op.drop_table(table)
