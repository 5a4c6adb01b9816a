"""outbox retries and dead letters: when a dispatch is next due, why it last failed, when it was
dead-lettered; the pending index covers only what is still to deliver

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# What was pending before, and a row written without a due time (by a process of the previous
# version, during an upgrade), is due at once.
_LONG_AGO = sa.text("'1970-01-01 00:00:00'")
_DUE = sa.text("delivered_at IS NULL AND dead_lettered_at IS NULL")
_DEAD = sa.text("dead_lettered_at IS NOT NULL")


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False, server_default=_LONG_AGO)
        )
        batch_op.add_column(sa.Column("last_error", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("dead_lettered_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_pending")
        batch_op.create_index(
            "ix_outbox_due", ["next_attempt_at", "id"], unique=False, postgresql_where=_DUE, sqlite_where=_DUE
        )
        batch_op.create_index(
            "ix_outbox_dead_letters",
            ["department", "dead_lettered_at"],
            unique=False,
            postgresql_where=_DEAD,
            sqlite_where=_DEAD,
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_dead_letters")
        batch_op.drop_index("ix_outbox_due")
        batch_op.create_index("ix_outbox_pending", ["delivered_at", "id"], unique=False)
        batch_op.drop_column("dead_lettered_at")
        batch_op.drop_column("last_error")
        batch_op.drop_column("next_attempt_at")
