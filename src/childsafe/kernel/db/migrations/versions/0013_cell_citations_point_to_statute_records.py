"""Cell citations point to statute records: ``cell_statutes`` links a cell (edition,
jurisdiction, criterion) to one record of the statute library, so one statute is cited by many
cells across editions and carried forward with its cell

Revision ID: 0013
Revises: 0010
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

from childsafe.kernel.db.models import UTCDateTime

revision = "0013"
down_revision = "0010"  # re-chained at merge
branch_labels = depends_on = None


def upgrade() -> None:
    op.create_table(
        "cell_statutes",
        sa.Column("edition", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("jurisdiction", sa.String(8), primary_key=True),
        sa.Column("criterion", sa.String(8), primary_key=True),
        sa.Column("statute_id", sa.Integer(), sa.ForeignKey("statutes.id"), nullable=False),
        sa.Column("linked_by", sa.Text(), nullable=False),
        sa.Column("linked_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_cell_statutes_statute", "cell_statutes", ["statute_id"])


def downgrade() -> None:
    op.drop_index("ix_cell_statutes_statute", table_name="cell_statutes")
    op.drop_table("cell_statutes")
