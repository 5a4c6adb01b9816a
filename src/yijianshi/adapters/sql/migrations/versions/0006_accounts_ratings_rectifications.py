"""accounts, ratings (好差评) and rectifications of bad ratings (整改)

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("account", sa.String(100), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("department", sa.String(100)),
        sa.Column("id_number", sa.String(18)),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("account", name="pk_accounts"),
    )
    op.create_table(
        "ratings",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("application_id", sa.String(36), nullable=False),
        sa.Column("rater", sa.String(100), nullable=False),
        sa.Column("level", sa.String(30), nullable=False),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("department", sa.String(100), nullable=False),
        sa.Column("item", sa.String(100)),
        sa.Column("rated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ratings"),
        sa.ForeignKeyConstraint(
            ["application_id"], ["applications.id"], name="fk_ratings_application_id_applications"
        ),
        sa.UniqueConstraint("application_id", name="uq_ratings_application_id"),
    )
    op.create_table(
        "rectifications",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("rating_id", sa.String(36), nullable=False),
        sa.Column("application_id", sa.String(36), nullable=False),
        sa.Column("department", sa.String(100), nullable=False),
        sa.Column("due", sa.Date, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reply", sa.Text),
        sa.Column("replied_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name="pk_rectifications"),
        sa.ForeignKeyConstraint(["rating_id"], ["ratings.id"], name="fk_rectifications_rating_id_ratings"),
    )
    op.create_index("ix_rectifications_department", "rectifications", ["department", "status"])
    op.create_index("ix_applications_applicant", "applications", ["applicant", "submitted_at"])


def downgrade() -> None:
    op.drop_index("ix_applications_applicant", "applications")
    op.drop_index("ix_rectifications_department", "rectifications")
    op.drop_table("rectifications")
    op.drop_table("ratings")
    op.drop_table("accounts")
