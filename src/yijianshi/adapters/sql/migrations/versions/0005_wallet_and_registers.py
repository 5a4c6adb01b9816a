"""electronic certificate wallet and local shared registers (population, household, marriage)

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "wallet_certificates",
        sa.Column("identifier", sa.String(length=120), nullable=False),
        sa.Column("holder_code", sa.String(length=18), nullable=False),
        sa.Column("holder_code_type", sa.String(length=3), nullable=False),
        sa.Column("certificate_type", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=2), nullable=False),
        sa.Column("issue_date", sa.Date(), nullable=False),
        sa.Column("application_id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.String(length=200), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("identifier", name=op.f("pk_wallet_certificates")),
    )
    with op.batch_alter_table("wallet_certificates", schema=None) as batch_op:
        batch_op.create_index(
            "ix_wallet_certificates_holder",
            ["holder_code", "holder_code_type", "certificate_type"],
            unique=False,
        )
    op.create_table(
        "register_households",
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("head", sa.String(length=18), nullable=False),
        sa.Column("region", sa.String(length=6), nullable=False),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_register_households")),
    )
    op.create_table(
        "register_residents",
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("ethnicity", sa.String(length=20), nullable=False),
        sa.Column("birth_place", sa.String(length=200), nullable=False),
        sa.Column("household", sa.String(length=20), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id_number", name=op.f("pk_register_residents")),
    )
    with op.batch_alter_table("register_residents", schema=None) as batch_op:
        batch_op.create_index("ix_register_residents_household", ["household"], unique=False)
    op.create_table(
        "register_marriages",
        sa.Column("certificate_number", sa.String(length=40), nullable=False),
        sa.Column("husband", sa.String(length=18), nullable=False),
        sa.Column("wife", sa.String(length=18), nullable=False),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("certificate_number", name=op.f("pk_register_marriages")),
    )
    with op.batch_alter_table("register_marriages", schema=None) as batch_op:
        batch_op.create_index("ix_register_marriages_husband", ["husband"], unique=False)
        batch_op.create_index("ix_register_marriages_wife", ["wife"], unique=False)


def downgrade() -> None:
    for table, indexes in (
        ("register_marriages", ["ix_register_marriages_wife", "ix_register_marriages_husband"]),
        ("register_residents", ["ix_register_residents_household"]),
        ("register_households", []),
        ("wallet_certificates", ["ix_wallet_certificates_holder"]),
    ):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for index in indexes:
                batch_op.drop_index(index)
        op.drop_table(table)
