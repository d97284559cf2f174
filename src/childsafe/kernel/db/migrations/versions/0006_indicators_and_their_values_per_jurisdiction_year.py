"""Indicators beside the law: each indicator's reviewed definition and its values per
jurisdiction (or published name) and year
"""

import sqlalchemy as sa
from alembic import op

from childsafe.kernel.db.models import UTCDateTime
from childsafe.kernel.db.revisions import id_column

revision: str = "0006"
down_revision: str | None = "0005"


def upgrade() -> None:
    op.create_table(
        "indicators",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("seed_sha256", sa.String(64), nullable=True),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "indicator_values",
        id_column(),
        sa.Column("indicator_id", sa.String(64), sa.ForeignKey("indicators.id"), nullable=False),
        sa.Column("key", sa.String(210), nullable=False),
        sa.Column("jurisdiction", sa.String(3), nullable=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
    )
    op.create_index(
        "uq_indicator_values_indicator_key_year",
        "indicator_values",
        ["indicator_id", "key", "year"],
        unique=True,
    )
    op.create_index(
        "ix_indicator_values_indicator_year", "indicator_values", ["indicator_id", "year"]
    )
    op.create_index("ix_indicator_values_jurisdiction", "indicator_values", ["jurisdiction"])


def downgrade() -> None:
    op.drop_table("indicator_values")
    op.drop_table("indicators")
