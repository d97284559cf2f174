"""Known-site lists and the analysts' verdicts on their matches; incident types widened to the
CyberTipline's categories that apply to metadata (the longest is 21 characters)
"""

import sqlalchemy as sa
from alembic import op

from childsafe.kernel.db.models import UTCDateTime
from childsafe.kernel.db.revisions import id_column, reference

revision: str = "0010"
down_revision: str | None = "0009"  # re-chained at merge (was 0005)


def upgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.alter_column(
            "incident_type", existing_type=sa.String(16), type_=sa.String(32), nullable=False
        )
    op.create_table(
        "list_entries",
        id_column(),
        sa.Column("source", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("added_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("removed", sa.Boolean(), nullable=False),
        sa.Column("imported_at", UTCDateTime(), nullable=False),
        sa.Column("imported_by", sa.String(200), nullable=False),
        sa.UniqueConstraint("source", "key", name="uq_list_entries_source_key"),
    )
    op.create_index("ix_list_entries_source", "list_entries", ["source"])
    op.create_index("ix_list_entries_key", "list_entries", ["key"])
    op.create_table(
        "list_verdicts",
        id_column(),
        reference("entry_id", "list_entries.id"),
        reference("report_id", "reports.id"),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("by", sa.String(200), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("entry_id", "report_id", name="uq_list_verdicts_entry_report"),
    )
    op.create_index("ix_list_verdicts_entry_id", "list_verdicts", ["entry_id"])
    op.create_index("ix_list_verdicts_report_id", "list_verdicts", ["report_id"])


def downgrade() -> None:
    op.drop_table("list_verdicts")
    op.drop_table("list_entries")
    with op.batch_alter_table("reports") as batch:
        batch.alter_column(
            "incident_type", existing_type=sa.String(32), type_=sa.String(16), nullable=False
        )
