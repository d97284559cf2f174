"""The audit log as a hash chain: each entry's hash and its predecessor's, back-filled for the
entries already there, and the chain head row that appenders lock
"""

import sqlalchemy as sa
from alembic import op

from childsafe.audit.chain import GENESIS, entry_hash, stored_entry
from childsafe.kernel.db.models import UTCDateTime
from childsafe.kernel.db.revisions import id_column

revision: str = "0005"
down_revision: str | None = "0004"

# The back-fill rewrites rows the append-only guards protect: SQLite's triggers are dropped and
# created again (as revision 0001 wrote them), PostgreSQL's are disabled meanwhile.
_SQLITE_GUARDS = {
    f"audit_log_no_{verb.lower()}": f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} "
    "ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
    for verb in ("UPDATE", "DELETE")
}

_AUDIT = sa.table(
    "audit_log",
    sa.column("id", sa.Integer()),
    sa.column("at", UTCDateTime()),
    sa.column("actor", sa.String()),
    sa.column("action", sa.String()),
    sa.column("entity", sa.String()),
    sa.column("entity_key", sa.String()),
    sa.column("before", sa.JSON()),
    sa.column("after", sa.JSON()),
    sa.column("reason", sa.Text()),
    sa.column("prev_hash", sa.String()),
    sa.column("hash", sa.String()),
)


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        for name in _SQLITE_GUARDS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        op.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only")
    op.add_column("audit_log", sa.Column("prev_hash", sa.String(64), nullable=True))
    op.add_column("audit_log", sa.Column("hash", sa.String(64), nullable=True))
    head_id, head_hash = _back_fill()
    with op.batch_alter_table("audit_log") as batch:
        batch.alter_column("prev_hash", existing_type=sa.String(64), nullable=False)
        batch.alter_column("hash", existing_type=sa.String(64), nullable=False)
    if sqlite:  # (a batch copy of the table drops its triggers too)
        for statement in _SQLITE_GUARDS.values():
            op.execute(statement)
    else:
        op.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only")
    head = op.create_table(
        "audit_chain_head",
        id_column(),
        sa.Column("entry_id", sa.Integer(), nullable=True),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.bulk_insert(head, [{"id": 1, "entry_id": head_id, "hash": head_hash}])


def _back_fill() -> tuple[int | None, str]:
    """Chains the existing entries in ``id`` order; returns the head."""
    bind = op.get_bind()
    previous, last_id = GENESIS, None
    for row in bind.execute(sa.select(_AUDIT).order_by(_AUDIT.c.id)).all():
        entry = stored_entry(row, prev_hash=previous, hash=None)
        digest = entry_hash(entry, previous)
        bind.execute(
            sa.update(_AUDIT).where(_AUDIT.c.id == row.id).values(prev_hash=previous, hash=digest)
        )
        previous, last_id = digest, row.id
    return last_id, previous


def downgrade() -> None:
    op.drop_table("audit_chain_head")
    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("hash")
        batch.drop_column("prev_hash")
    if sqlite:
        for name, statement in _SQLITE_GUARDS.items():
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
            op.execute(statement)
