"""Reports, unique sites, payment channels and prices, alerts, test transactions, referrals
and API tokens
"""

import sqlalchemy as sa
from alembic import op

from childsafe.kernel.db.models import UTCDateTime
from childsafe.kernel.db.revisions import id_column, reference

revision: str = "0004"
down_revision: str | None = "0003"


def upgrade() -> None:
    _create_sites()
    _create_reports()
    _create_channels()
    _create_alerts()
    _create_test_transactions_and_prices()
    _create_referrals_and_tokens()


def _create_sites() -> None:
    op.create_table(
        "sites",
        id_column(),
        sa.Column("domain", sa.String(253), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("status_changed_at", UTCDateTime(), nullable=False),
        sa.Column("first_reported_at", UTCDateTime(), nullable=False),
        sa.Column("last_reported_at", UTCDateTime(), nullable=False),
        sa.Column("report_count", sa.Integer(), nullable=False),
    )
    op.create_index("ix_sites_domain", "sites", ["domain"], unique=True)
    op.create_index("ix_sites_status", "sites", ["status"])
    op.create_table(
        "site_status_history",
        id_column(),
        reference("site_id", "sites.id"),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
    )
    op.create_index("ix_site_status_history_site_id", "site_status_history", ["site_id"])


def _create_reports() -> None:
    op.create_table(
        "reports",
        id_column(),
        reference("site_id", "sites.id"),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("canonical_url", sa.Text(), nullable=False),
        sa.Column("incident_type", sa.String(16), nullable=False),
        sa.Column("source", sa.String(8), nullable=False),
        sa.Column("reporter", sa.String(200), nullable=True),
        sa.Column("reporter_organisation_id", sa.String(64), nullable=True),
        sa.Column("reporter_type", sa.String(16), nullable=True),
        sa.Column("observed_at", UTCDateTime(), nullable=True),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("report_month", sa.String(7), nullable=False),
        sa.Column("urgency_rank", sa.SmallInteger(), nullable=False),
        sa.Column("urgency_since", UTCDateTime(), nullable=False),
        sa.Column("hosting_country", sa.String(3), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("commercial", sa.Boolean(), nullable=True),
        sa.Column("assessment", sa.String(24), nullable=True),
        sa.Column("assessment_note", sa.Text(), nullable=True),
        sa.Column("assessed_by", sa.String(200), nullable=True),
        sa.Column("stage", sa.String(16), nullable=False),
        *[
            sa.Column(f"{stage}_at", UTCDateTime(), nullable=True)
            for stage in ("assessed", "referred", "notified", "acted", "closed")
        ],
    )
    op.create_index("ix_reports_site_id", "reports", ["site_id"])
    op.create_index(
        "ix_reports_commercial_month_site", "reports", ["commercial", "report_month", "site_id"]
    )
    op.create_index("ix_reports_queue", "reports", ["stage", "urgency_rank", "urgency_since"])
    op.create_table(
        "report_urls",
        id_column(),
        reference("report_id", "reports.id"),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("canonical_url", sa.Text(), nullable=False),
        sa.Column("site_key", sa.String(253), nullable=False),
    )
    op.create_index("ix_report_urls_report_id", "report_urls", ["report_id"])
    op.create_index("ix_report_urls_site_key", "report_urls", ["site_key"])


def _create_channels() -> None:
    op.create_table(
        "payment_channels",
        id_column(),
        sa.Column("key", sa.String(500), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("brand", sa.String(200), nullable=True),
        sa.Column("identifier", sa.String(200), nullable=True),
        sa.Column(
            "operator_organisation_id",
            sa.String(64),
            sa.ForeignKey("organisations.id"),
            nullable=True,
        ),
    )
    op.create_index("ix_payment_channels_key", "payment_channels", ["key"], unique=True)
    op.create_index("ix_payment_channels_identifier", "payment_channels", ["identifier"])
    op.create_index(
        "ix_payment_channels_operator_organisation_id",
        "payment_channels",
        ["operator_organisation_id"],
    )
    op.create_table(
        "channel_observations",
        id_column(),
        reference("site_id", "sites.id"),
        reference("channel_id", "payment_channels.id"),
        reference("report_id", "reports.id", nullable=True),
        sa.Column("observed_at", UTCDateTime(), nullable=False),
    )
    op.create_index(
        "ix_channel_observations_site_channel", "channel_observations", ["site_id", "channel_id"]
    )
    op.create_index(
        "ix_channel_observations_channel_site", "channel_observations", ["channel_id", "site_id"]
    )


def _create_alerts() -> None:
    op.create_table(
        "alerts",
        id_column(),
        reference("site_id", "sites.id"),
        reference("channel_id", "payment_channels.id"),
        sa.Column(
            "organisation_id", sa.String(64), sa.ForeignKey("organisations.id"), nullable=False
        ),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("proposed_by", sa.String(200), nullable=False),
        sa.Column("proposed_at", UTCDateTime(), nullable=False),
        sa.Column("approved_by", sa.String(200), nullable=True),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.Column("acknowledged_by", sa.String(200), nullable=True),
        sa.Column("acknowledged_at", UTCDateTime(), nullable=True),
        sa.Column("action_taken", sa.String(32), nullable=True),
        sa.Column("acted_at", UTCDateTime(), nullable=True),
        sa.Column("action_note", sa.Text(), nullable=True),
    )
    op.create_index("ix_alerts_site_id", "alerts", ["site_id"])
    op.create_index("ix_alerts_organisation_id", "alerts", ["organisation_id"])


def _create_test_transactions_and_prices() -> None:
    op.create_table(
        "test_transactions",
        id_column(),
        reference("site_id", "sites.id"),
        reference("channel_id", "payment_channels.id", nullable=True),
        sa.Column("card_brand", sa.String(200), nullable=False),
        sa.Column("issuing_country", sa.String(3), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("price_amount", sa.String(40), nullable=True),
        sa.Column("price_currency", sa.String(3), nullable=True),
        sa.Column("transacted_at", UTCDateTime(), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_test_transactions_site_id", "test_transactions", ["site_id"])
    op.create_index("ix_test_transactions_month", "test_transactions", ["month"])
    op.create_table(
        "price_observations",
        id_column(),
        reference("site_id", "sites.id"),
        reference("report_id", "reports.id", nullable=True),
        reference("test_transaction_id", "test_transactions.id", nullable=True),
        sa.Column("amount", sa.String(40), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("observed_at", UTCDateTime(), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
    )
    op.create_index("ix_price_observations_site_id", "price_observations", ["site_id"])
    op.create_index(
        "ix_price_observations_currency_month_amount",
        "price_observations",
        ["currency", "month", "amount"],
    )


def _create_referrals_and_tokens() -> None:
    op.create_table(
        "referrals",
        id_column(),
        reference("report_id", "reports.id"),
        sa.Column("country", sa.String(3), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("contact_kind", sa.String(32), nullable=True),
        sa.Column("contact_name", sa.String(200), nullable=True),
        sa.Column("contact_channel", sa.Text(), nullable=True),
        sa.Column("referred_by", sa.String(200), nullable=False),
        sa.Column("referred_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_referrals_report_id", "referrals", ["report_id"])
    op.create_table(
        "api_tokens",
        id_column(),
        sa.Column(
            "organisation_id", sa.String(64), sa.ForeignKey("organisations.id"), nullable=False
        ),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
    )
    op.create_index("ix_api_tokens_organisation_id", "api_tokens", ["organisation_id"])
    op.create_index("ix_api_tokens_sha256", "api_tokens", ["sha256"], unique=True)


def downgrade() -> None:
    for table in (
        "api_tokens",
        "referrals",
        "price_observations",
        "test_transactions",
        "alerts",
        "channel_observations",
        "payment_channels",
        "site_status_history",
        "report_urls",
        "reports",
        "sites",
    ):
        op.drop_table(table)
