"""Tables of the service people log in to: accounts, ratings and their rectifications, uploaded
materials and the pages' drafts."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)

from yijianshi.adapters.sql.tables import applications, metadata

accounts = Table(
    "accounts",
    metadata,
    Column("account", String(100), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("department", String(100)),
    Column("id_number", String(18)),
    Column("failures", Integer, nullable=False, default=0),
    Column("locked_until", DateTime(timezone=True)),
    Index("ix_accounts_id_number", "id_number"),  # a window clerk finds applicants by ID number
)

ratings = Table(
    "ratings",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("application_id", String(36), ForeignKey("applications.id"), nullable=False, unique=True),
    Column("rater", String(100), nullable=False),
    Column("level", String(30), nullable=False),
    Column("comment", Text, nullable=False),
    Column("department", String(100), nullable=False),
    Column("item", String(100)),
    Column("rated_at", DateTime(timezone=True), nullable=False),
)

rectifications = Table(
    "rectifications",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("rating_id", String(36), ForeignKey("ratings.id"), nullable=False),
    Column("application_id", String(36), nullable=False),
    Column("department", String(100), nullable=False),
    Column("due", Date, nullable=False),
    Column("status", String(20), nullable=False),
    Column("reply", Text),
    Column("replied_at", DateTime(timezone=True)),
    Index("ix_rectifications_department", "department", "status"),
)

Index("ix_applications_applicant", applications.c.applicant, applications.c.submitted_at)

# Uploaded materials (上传的申请材料): the bytes with what was checked about them; an upload belongs
# to its applicant until the submission that uses it sets application_id.
uploaded_materials = Table(
    "uploaded_materials",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("applicant", String(100), nullable=False),
    Column("material", String(300), nullable=False),
    Column("filename", String(255), nullable=False),
    Column("content_type", String(100), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("uploaded_by", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("application_id", String(36), ForeignKey("applications.id")),
    Column("content", LargeBinary, nullable=False),
    Index("ix_uploaded_materials_applicant", "applicant", "application_id"),
    Index("ix_uploaded_materials_application", "application_id"),
)

# The pages' drafts (草稿): an application in progress, one per applicant and bundle.
drafts = Table(
    "drafts",
    metadata,
    Column("applicant", String(100), nullable=False),
    Column("bundle", String(100), nullable=False),
    Column("data", JSON, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    PrimaryKeyConstraint("applicant", "bundle"),
)
