"""Reports without the index on (commercial, report_month, site_id): the metrics read the
summaries of revision 0011 since, no page query uses it, and every report written paid for it
"""

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"


def upgrade() -> None:
    op.drop_index("ix_reports_commercial_month_site", table_name="reports")


def downgrade() -> None:
    op.create_index(
        "ix_reports_commercial_month_site", "reports", ["commercial", "report_month", "site_id"]
    )
