"""uploaded materials (their bytes, checked type, size and SHA-256, attached to the application
that used them) and the pages' drafts of applications in progress, one per applicant and bundle

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "uploaded_materials",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("applicant", sa.String(100), nullable=False),
        sa.Column("material", sa.String(300), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("uploaded_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("application_id", sa.String(36)),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_uploaded_materials"),
        sa.ForeignKeyConstraint(
            ["application_id"], ["applications.id"], name="fk_uploaded_materials_application_id_applications"
        ),
    )
    op.create_index("ix_uploaded_materials_applicant", "uploaded_materials", ["applicant", "application_id"])
    op.create_index("ix_uploaded_materials_application", "uploaded_materials", ["application_id"])
    op.create_table(
        "drafts",
        sa.Column("applicant", sa.String(100), nullable=False),
        sa.Column("bundle", sa.String(100), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("applicant", "bundle", name="pk_drafts"),
    )


def downgrade() -> None:
    op.drop_table("drafts")
    op.drop_index("ix_uploaded_materials_application", "uploaded_materials")
    op.drop_index("ix_uploaded_materials_applicant", "uploaded_materials")
    op.drop_table("uploaded_materials")
