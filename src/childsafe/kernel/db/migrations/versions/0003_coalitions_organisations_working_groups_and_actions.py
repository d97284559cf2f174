"""The Financial Coalition: organisations, coalitions, memberships, working groups, roundtables,
actions, and the shipped seeds recorded
"""

import sqlalchemy as sa
from alembic import op

from childsafe.kernel.db.models import UTCDateTime
from childsafe.kernel.db.revisions import id_column, reference

revision: str = "0003"
down_revision: str | None = "0002"


def upgrade() -> None:
    op.create_table(
        "organisations",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("sector", sa.String(32), nullable=False),
        sa.Column("country", sa.String(8), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
    )
    op.create_index("ix_organisations_sector", "organisations", ["sector"])
    op.create_table(
        "coalitions",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("founded", sa.String(10), nullable=False),
        sa.Column("region", sa.String(200), nullable=False),
        sa.Column("country", sa.String(8), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
    )
    op.create_table(
        "memberships",
        id_column(),
        sa.Column("coalition_id", sa.String(32), sa.ForeignKey("coalitions.id"), nullable=False),
        sa.Column(
            "organisation_id", sa.String(64), sa.ForeignKey("organisations.id"), nullable=False
        ),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("since", sa.String(10), nullable=True),
        sa.Column("until", sa.String(10), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
    )
    op.create_index(
        "uq_memberships_coalition_organisation_role",
        "memberships",
        ["coalition_id", "organisation_id", "role"],
        unique=True,
    )
    op.create_index("ix_memberships_organisation_id", "memberships", ["organisation_id"])
    _create_working_groups()
    _create_actions()


def _create_working_groups() -> None:
    op.create_table(
        "working_groups",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("coalition_id", sa.String(32), sa.ForeignKey("coalitions.id"), nullable=False),
        sa.Column("country", sa.String(8), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
    )
    op.create_index("ix_working_groups_coalition_id", "working_groups", ["coalition_id"])
    op.create_table(
        "working_group_members",
        sa.Column(
            "working_group_id",
            sa.String(64),
            sa.ForeignKey("working_groups.id"),
            primary_key=True,
        ),
        sa.Column(
            "organisation_id", sa.String(64), sa.ForeignKey("organisations.id"), primary_key=True
        ),
        sa.Column("role", sa.String(16), primary_key=True),
    )
    op.create_table(
        "roundtables",
        id_column(),
        sa.Column(
            "working_group_id", sa.String(64), sa.ForeignKey("working_groups.id"), nullable=False
        ),
        sa.Column("date", sa.String(10), nullable=False),
        sa.Column("city", sa.String(200), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
    )
    op.create_index(
        "uq_roundtables_working_group_date",
        "roundtables",
        ["working_group_id", "date"],
        unique=True,
    )


def _create_actions() -> None:
    op.create_table(
        "actions",
        id_column(),
        reference("roundtable_id", "roundtables.id", nullable=True),
        sa.Column(
            "working_group_id", sa.String(64), sa.ForeignKey("working_groups.id"), nullable=False
        ),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column(
            "owner_organisation_id",
            sa.String(64),
            sa.ForeignKey("organisations.id"),
            nullable=True,
        ),
        sa.Column("due_date", sa.String(10), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_actions_roundtable_id", "actions", ["roundtable_id"])
    op.create_index("ix_actions_working_group_id", "actions", ["working_group_id"])
    op.create_table(
        "coalition_seeds",
        id_column(),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_coalition_seeds_sha256", "coalition_seeds", ["sha256"], unique=True)


def downgrade() -> None:
    op.drop_table("coalition_seeds")
    op.drop_table("actions")
    op.drop_table("roundtables")
    op.drop_table("working_group_members")
    op.drop_table("working_groups")
    op.drop_table("memberships")
    op.drop_table("coalitions")
    op.drop_table("organisations")
