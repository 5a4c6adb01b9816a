"""audit trail written one row per transaction (audit_batches replaces audit_events); dispatches
and the simulated inbox carry their application's shard, so workers can share the work

The events one transaction appends to one application's log are kept together, as one JSON
array. Each event keeps its own sequence, prevhash and hash inside the array, so the chain and
its verification are unchanged; only the number of rows is (about five per application instead
of thirty). The upgrade moves every existing event into a batch of its own.

Rows written before this revision get shard 0 and are handled by the first partition's worker;
with a single worker (the default) every shard is its own.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_batches",
        sa.Column("application_id", sa.String(36), nullable=False),
        sa.Column("first_sequence", sa.Integer, nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("application_id", "first_sequence", name=op.f("pk_audit_batches")),
    )
    op.execute(
        "INSERT INTO audit_batches (application_id, first_sequence, document) "
        "SELECT application_id, sequence, '[' || CAST(document AS TEXT) || ']' FROM audit_events"
    )
    op.drop_table("audit_events")
    for table in ("outbox", "simulated_inbox"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("shard", sa.Integer, nullable=False, server_default="0"))


def downgrade() -> None:
    for table in ("simulated_inbox", "outbox"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("shard")
    events = op.create_table(
        "audit_events",
        sa.Column("application_id", sa.String(36), nullable=False),
        sa.Column("sequence", sa.Integer, nullable=False),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("type", sa.String(100), nullable=False),
        sa.Column("time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("document", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("application_id", "sequence", name=op.f("pk_audit_events")),
        sa.UniqueConstraint("event_id", name=op.f("uq_audit_events_event_id")),
    )
    assert events is not None
    batches = op.get_bind().execute(sa.text("SELECT application_id, document FROM audit_batches"))
    rows = [
        {
            "application_id": app_id,
            "sequence": e["sequence"],
            "event_id": e["id"],
            "type": e["type"],
            "time": dt.datetime.fromisoformat(e["time"]),
            "document": e,
        }
        for app_id, document in batches
        for e in json.loads(document)
    ]
    if rows:
        op.bulk_insert(events, rows)
    op.drop_table("audit_batches")
