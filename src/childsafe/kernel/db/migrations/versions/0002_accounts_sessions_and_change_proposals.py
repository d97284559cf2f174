"""Accounts, server-side sessions, and change proposals for the editorial workflow"""

import sqlalchemy as sa
from alembic import op

from childsafe.kernel.db.models import UTCDateTime
from childsafe.kernel.db.revisions import assessed_cell, id_column, imported_file, reference

revision: str = "0002"
down_revision: str | None = "0001"


def upgrade() -> None:
    op.create_table(
        "users",
        id_column(),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("organisation_id", sa.String(64), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_users_username", "users", ["username"], unique=True)
    op.create_table(
        "sessions",
        id_column(),
        sa.Column("token_sha256", sa.String(64), nullable=False),
        reference("user_id", "users.id"),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
    )
    op.create_index("ix_sessions_token_sha256", "sessions", ["token_sha256"], unique=True)
    op.create_index("ix_sessions_user_id", "sessions", ["user_id"])
    op.create_table(
        "proposal_batches",
        id_column(),
        *imported_file(),
        sa.Column("proposed_by", sa.String(64), sa.ForeignKey("users.username"), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    _create_change_proposals()


def _create_change_proposals() -> None:
    op.create_table(
        "change_proposals",
        id_column(),
        *assessed_cell(),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=True),
        sa.Column("proposed_by", sa.String(64), sa.ForeignKey("users.username"), nullable=False),
        sa.Column("proposed_at", UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("decided_by", sa.String(64), sa.ForeignKey("users.username"), nullable=True),
        sa.Column("decided_at", UTCDateTime(), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=False),
        reference("batch_id", "proposal_batches.id", nullable=True),
    )
    op.create_index(
        "ix_change_proposals_cell", "change_proposals", ["edition", "jurisdiction", "criterion"]
    )
    op.create_index("ix_change_proposals_status", "change_proposals", ["status"])
    op.create_index("ix_change_proposals_batch_id", "change_proposals", ["batch_id"])


def downgrade() -> None:
    op.drop_table("change_proposals")
    op.drop_table("proposal_batches")
    op.drop_table("sessions")
    op.drop_table("users")
