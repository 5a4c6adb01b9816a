"""the simulated department's inbox indexes only what is still to answer

The index its answers are looked up by held every row, keyed by (done_at, due_at), so marking an
answer collected moved its entry; it now holds only the rows not yet done, by due time, and
marking one removes its entry.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_OPEN = sa.text("done_at IS NULL")


def upgrade() -> None:
    op.drop_index("ix_simulated_inbox_due", table_name="simulated_inbox")
    op.create_index(
        "ix_simulated_inbox_due", "simulated_inbox", ["due_at"], postgresql_where=_OPEN, sqlite_where=_OPEN
    )


def downgrade() -> None:
    op.drop_index("ix_simulated_inbox_due", table_name="simulated_inbox")
    op.create_index("ix_simulated_inbox_due", "simulated_inbox", ["done_at", "due_at"])
