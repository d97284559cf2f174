"""An edition's campaign: jurisdictions with status, assignee and due date, draft cells,
verifier links (token hashes only) and the release snapshot

Revision ID: 0009
Revises: 0005
Create Date: 2026-11-29
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from childsafe.kernel.db.models import UTCDateTime

revision: str = "0009"
down_revision: str | None = "0008"  # re-chained at merge (was 0005)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "campaigns",
        sa.Column("edition", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("carried_from", sa.Integer(), nullable=True),
        sa.Column("started_by", sa.Text(), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "campaign_items",
        sa.Column("edition", sa.Integer(), sa.ForeignKey("campaigns.edition"), primary_key=True),
        sa.Column("jurisdiction", sa.String(8), primary_key=True),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("assignee", sa.String(64), sa.ForeignKey("users.username"), nullable=True),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "campaign_drafts",
        *_cell_columns("campaigns.edition"),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("carried_from", sa.Integer(), nullable=True),
    )
    op.create_table(
        "verifier_links",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("edition", sa.Integer(), sa.ForeignKey("campaigns.edition"), nullable=False),
        sa.Column("jurisdiction", sa.String(8), nullable=False),
        sa.Column("token_sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("organisation", sa.Text(), nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("verifier", sa.String(64), sa.ForeignKey("users.username"), nullable=False),
        sa.Column("invited_by", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.Column("used_at", UTCDateTime(), nullable=True),
        sa.Column("reminders_sent", sa.Integer(), nullable=False),
        sa.Column("last_reminded_at", UTCDateTime(), nullable=True),
    )
    op.create_index("ix_verifier_links_cell", "verifier_links", ["edition", "jurisdiction"])
    op.create_table(
        "releases",
        sa.Column("edition", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("released_by", sa.Text(), nullable=False),
        sa.Column("released_at", UTCDateTime(), nullable=False),
        sa.Column("cells", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
    )
    op.create_table(
        "release_values",
        *_cell_columns("releases.edition"),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    _create_statutes()


def _cell_columns(edition: str) -> list[sa.Column[Any]]:
    """A cell and its content, as a draft and a released value both hold them."""
    return [
        sa.Column("edition", sa.Integer(), sa.ForeignKey(edition), primary_key=True),
        sa.Column("jurisdiction", sa.String(8), primary_key=True),
        sa.Column("criterion", sa.String(8), primary_key=True),
        sa.Column("value", sa.String(8), nullable=False),
        *(sa.Column(name, sa.Text(), nullable=False) for name in ("citation", "excerpt", "source")),
    ]


def _create_statutes() -> None:
    op.create_table(
        "statutes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("jurisdiction", sa.String(8), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("article", sa.Text(), nullable=False),
        sa.Column("in_force", sa.String(10), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("excerpt", sa.Text(), nullable=False),
        sa.Column("added_by", sa.Text(), nullable=False),
        sa.Column("added_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_statutes_jurisdiction", "statutes", ["jurisdiction"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX ix_statutes_fts ON statutes "
            "USING gin (to_tsvector('simple', title || ' ' || excerpt))"
        )
        return
    # SQLite: an external-content FTS5 index kept in step by triggers
    op.execute(
        "CREATE VIRTUAL TABLE statutes_fts USING fts5("
        "title, excerpt, content='statutes', content_rowid='id')"
    )
    op.execute(
        "CREATE TRIGGER statutes_fts_insert AFTER INSERT ON statutes BEGIN "
        "INSERT INTO statutes_fts(rowid, title, excerpt) "
        "VALUES (new.id, new.title, new.excerpt); END"
    )
    op.execute(
        "CREATE TRIGGER statutes_fts_delete AFTER DELETE ON statutes BEGIN "
        "INSERT INTO statutes_fts(statutes_fts, rowid, title, excerpt) "
        "VALUES ('delete', old.id, old.title, old.excerpt); END"
    )
    op.execute(
        "CREATE TRIGGER statutes_fts_update AFTER UPDATE ON statutes BEGIN "
        "INSERT INTO statutes_fts(statutes_fts, rowid, title, excerpt) "
        "VALUES ('delete', old.id, old.title, old.excerpt); "
        "INSERT INTO statutes_fts(rowid, title, excerpt) "
        "VALUES (new.id, new.title, new.excerpt); END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE statutes_fts")
    op.drop_table("statutes")
    for table in (
        "release_values",
        "releases",
        "verifier_links",
        "campaign_drafts",
        "campaign_items",
        "campaigns",
    ):
        op.drop_table(table)
