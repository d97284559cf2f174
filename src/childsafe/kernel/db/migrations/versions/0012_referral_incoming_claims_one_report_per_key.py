"""A received referral is recorded by one request at a time: the claim of its (organisation,
key) row and how long it holds, and at most one received referral per report
"""

import sqlalchemy as sa
from alembic import op

from childsafe.kernel.db.models import UTCDateTime

revision: str = "0012"
down_revision: str | None = "0011"  # re-chained at merge (was 0010)


def upgrade() -> None:
    with op.batch_alter_table("referral_incoming") as batch:
        batch.add_column(sa.Column("claim", sa.String(32), nullable=True))
        batch.add_column(sa.Column("claimed_until", UTCDateTime(), nullable=True))
        batch.drop_index("ix_referral_incoming_report_id")
        batch.create_index("ix_referral_incoming_report_id", ["report_id"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("referral_incoming") as batch:
        batch.drop_index("ix_referral_incoming_report_id")
        batch.create_index("ix_referral_incoming_report_id", ["report_id"])
        batch.drop_column("claimed_until")
        batch.drop_column("claim")
