"""accounts are found by ID number through an index

A window clerk finds an applicant by ID number (GB 11643); without an index every search read
every account.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_accounts_id_number", "accounts", ["id_number"])


def downgrade() -> None:
    op.drop_index("ix_accounts_id_number", table_name="accounts")
