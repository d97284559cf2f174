"""Summaries of the effectiveness metrics kept up to date by the write path (commercial reports
per site and month, sites per month, price observations per currency, month and amount), so
that the metrics read a few hundred rows instead of scanning millions of reports; back-filled
from the rows already written
"""

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"

BACK_FILL = (
    "INSERT INTO metric_commercial_site_months (report_month, site_id, reports)"
    " SELECT report_month, site_id, count(*) FROM reports WHERE commercial"
    " GROUP BY report_month, site_id",
    "INSERT INTO metric_commercial_months (report_month, sites)"
    " SELECT report_month, count(*) FROM metric_commercial_site_months GROUP BY report_month",
    "INSERT INTO metric_price_counts (currency, month, amount, observations)"
    " SELECT currency, month, amount, count(*) FROM price_observations"
    " GROUP BY currency, month, amount",
)


def upgrade() -> None:
    op.create_table(
        "metric_commercial_site_months",
        sa.Column("report_month", sa.String(7), primary_key=True),
        sa.Column("site_id", sa.Integer(), sa.ForeignKey("sites.id"), primary_key=True),
        sa.Column("reports", sa.Integer(), nullable=False),
    )
    op.create_table(
        "metric_commercial_months",
        sa.Column("report_month", sa.String(7), primary_key=True),
        sa.Column("sites", sa.Integer(), nullable=False),
    )
    op.create_table(
        "metric_price_counts",
        sa.Column("currency", sa.String(3), primary_key=True),
        sa.Column("month", sa.String(7), primary_key=True),
        sa.Column("amount", sa.String(40), primary_key=True),
        sa.Column("observations", sa.Integer(), nullable=False),
    )
    for statement in BACK_FILL:
        op.execute(statement)


def downgrade() -> None:
    op.drop_table("metric_price_counts")
    op.drop_table("metric_commercial_months")
    op.drop_table("metric_commercial_site_months")
