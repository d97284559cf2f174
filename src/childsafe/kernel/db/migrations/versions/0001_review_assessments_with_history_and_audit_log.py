"""Review assessments with full version history, import batches, and an append-only audit log"""

import sqlalchemy as sa
from alembic import op

from childsafe.kernel.db.models import UTCDateTime
from childsafe.kernel.db.revisions import assessed_cell, id_column, imported_file, reference

revision: str = "0001"
down_revision: str | None = None

_SQLITE_GUARDS = [
    f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
    for verb in ("UPDATE", "DELETE")
]
_POSTGRES_GUARDS = [
    "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$",
    "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
]


def upgrade() -> None:
    op.create_table(
        "import_batches",
        id_column(),
        *imported_file(),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("shipped", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_import_batches_sha256", "import_batches", ["sha256"])
    op.create_table(
        "assessments",
        id_column(),
        *assessed_cell(),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
        sa.Column("superseded_at", UTCDateTime(), nullable=True),
        reference("batch_id", "import_batches.id", nullable=True),
    )
    op.create_index(
        "uq_assessments_current_cell",
        "assessments",
        ["edition", "jurisdiction", "criterion"],
        unique=True,
        sqlite_where=sa.text("is_current"),
        postgresql_where=sa.text("is_current"),
    )
    op.create_index(
        "ix_assessments_cell_version",
        "assessments",
        ["edition", "jurisdiction", "criterion", "version"],
        unique=True,
    )
    op.create_index("ix_assessments_edition_current", "assessments", ["edition", "is_current"])
    op.create_table(
        "audit_log",
        id_column(),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("entity", sa.String(64), nullable=False),
        sa.Column("entity_key", sa.String(200), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_entity_key", "audit_log", ["entity_key"])
    guards = _POSTGRES_GUARDS if op.get_bind().dialect.name == "postgresql" else _SQLITE_GUARDS
    for statement in guards:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION audit_log_append_only() CASCADE")
    op.drop_table("audit_log")
    op.drop_table("assessments")
    op.drop_table("import_batches")
