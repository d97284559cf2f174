"""Cell citations point to statute records: ``cell_statutes`` links a cell (edition,
jurisdiction, criterion) to one record of the statute library, so one statute is cited by many
cells across editions and carried forward with its cell
"""

import sqlalchemy as sa
from alembic import op

from childsafe.kernel.db.models import UTCDateTime

revision: str = "0013"
down_revision: str | None = "0012"  # re-chained at merge (was 0010)


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
