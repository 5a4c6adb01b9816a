"""The relational schema. Alembic migrations in `migrations/` create and change it.

Workflow state lives only here: a process may die at any line, and the next one carries on
from what was committed. Hot paths use SQLAlchemy Core (set-based statements), not ORM objects.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

applications = Table(
    "applications",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("bundle", String(100), nullable=False),
    Column("applicant", String(100), nullable=False),
    Column("idempotency_key", String(200), nullable=False),
    Column("status", String(30), nullable=False),
    Column("data", JSON, nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("version", Integer, nullable=False),
    UniqueConstraint("applicant", "idempotency_key"),
)

cases = Table(
    "cases",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("application_id", String(36), ForeignKey("applications.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("item", String(100), nullable=False),
    Column("department", String(100), nullable=False),
    Column("state", String(30), nullable=False),
    Column("promised_days", Integer, nullable=False),
    Column("upstream", JSON, nullable=False),
    Column("deferrable", Boolean, nullable=False),
    Column("deferred", Boolean, nullable=False),
    Column("accepted_on", Date),
    Column("completed_on", Date),
    Column("pauses", JSON, nullable=False),
    Column("outputs", JSON, nullable=False),
    Column("reason_zh", Text),
    Column("reason_en", Text),
    Column("warned", String(10), nullable=False, server_default="green"),
    Index("ix_cases_application", "application_id"),
    Index("ix_cases_department_state", "department", "state"),
)

_DUE = text("delivered_at IS NULL AND dead_lettered_at IS NULL")
_DEAD = text("dead_lettered_at IS NOT NULL")
_OPEN = text("done_at IS NULL")

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(36), nullable=False, unique=True),
    Column("application_id", String(36), nullable=False),
    Column("case_id", String(36), nullable=False),
    Column("item", String(100), nullable=False),
    Column("department", String(100), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("delivered_at", DateTime(timezone=True)),
    Column("attempts", Integer, nullable=False, default=0),
    # Retries: when the dispatch is next due, why its last attempt failed, when it was dead-lettered
    # (then it is not attempted again until an administrator replays it).
    Column(
        "next_attempt_at",
        DateTime(timezone=True),
        nullable=False,
        server_default=text("'1970-01-01 00:00:00'"),
    ),
    Column("last_error", Text),
    Column("dead_lettered_at", DateTime(timezone=True)),
    # The application's shard (services.delivery_ports.shard_of): workers side by side each
    # deliver the dispatches of their own partition.
    Column("shard", Integer, nullable=False, server_default="0"),
    # Partial indexes: the due ones cover only what is still to deliver, so polling stays cheap
    # however many dispatches were delivered before.
    Index("ix_outbox_due", "next_attempt_at", "id", postgresql_where=_DUE, sqlite_where=_DUE),
    Index(
        "ix_outbox_dead_letters", "department", "dead_lettered_at", postgresql_where=_DEAD, sqlite_where=_DEAD
    ),
)

# The simulated department's own inbox: what it received (once per event id) and when it answers.
simulated_inbox = Table(
    "simulated_inbox",
    metadata,
    Column("event_id", String(36), primary_key=True),
    Column("case_id", String(36), nullable=False),
    Column("item", String(100), nullable=False),
    Column("department", String(100), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("done_at", DateTime(timezone=True)),
    Column("shard", Integer, nullable=False, server_default="0"),  # of the case's application
    # only what is still to answer, by due time: marking an answer collected drops its entry
    Index("ix_simulated_inbox_due", "due_at", postgresql_where=_OPEN, sqlite_where=_OPEN),
)

# The audit trail: hash-chained CloudEvents per application; the head is kept apart from the log.
# One row per transaction and application: `document` is the JSON array of the events it
# appended, oldest first, each a CloudEvent with its own sequence (the first one's is
# `first_sequence`), prevhash and hash.
audit_batches = Table(
    "audit_batches",
    metadata,
    Column("application_id", String(36), primary_key=True),
    Column("first_sequence", Integer, primary_key=True),
    Column("document", Text, nullable=False),
)

audit_heads = Table(
    "audit_heads",
    metadata,
    Column("application_id", String(36), primary_key=True),
    Column("count", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
)

# Electronic certificates (电子证照库): every holder's wallet. `document` is the directory entry as
# signed (domain.certificates.to_document); `status` is the status now, which may move on from it.
wallet_certificates = Table(
    "wallet_certificates",
    metadata,
    Column("identifier", String(120), primary_key=True),
    Column("holder_code", String(18), nullable=False),
    Column("holder_code_type", String(3), nullable=False),
    Column("certificate_type", String(100), nullable=False),
    Column("status", String(2), nullable=False),
    Column("issue_date", Date, nullable=False),
    Column("application_id", String(36), nullable=False),
    Column("case_id", String(36), nullable=False),
    Column("document", JSON, nullable=False),
    Column("key_id", String(64), nullable=False),
    Column("signature", String(200), nullable=False),
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Index("ix_wallet_certificates_holder", "holder_code", "holder_code_type", "certificate_type"),
)

# The local shared registers: population (人口库), household (户籍) and marriage (婚姻登记).
register_households = Table(
    "register_households",
    metadata,
    Column("number", String(20), primary_key=True),
    Column("address", String(300), nullable=False),
    Column("head", String(18), nullable=False),
    Column("region", String(6), nullable=False),
)

register_residents = Table(
    "register_residents",
    metadata,
    Column("id_number", String(18), primary_key=True),
    Column("name", String(50), nullable=False),
    Column("sex", String(1), nullable=False),
    Column("birth_date", Date, nullable=False),
    Column("ethnicity", String(20), nullable=False),
    Column("birth_place", String(200), nullable=False),
    Column("household", String(20), nullable=False),
    Column("phone", String(20), nullable=False),
    Index("ix_register_residents_household", "household"),
)

register_marriages = Table(
    "register_marriages",
    metadata,
    Column("certificate_number", String(40), primary_key=True),
    Column("husband", String(18), nullable=False),
    Column("wife", String(18), nullable=False),
    Column("registered_on", Date, nullable=False),
    Index("ix_register_marriages_husband", "husband"),
    Index("ix_register_marriages_wife", "wife"),
)
