"""Rows written through the driver (adapters/sql/driver.py) read back as rows SQLAlchemy wrote."""

import datetime as dt

from sqlalchemy import Engine, insert, select

from yijianshi.adapters.sql.driver import DriverStatement, insert_into, insert_or_ignore
from yijianshi.adapters.sql.tables import outbox, wallet_certificates

AT = dt.datetime(2026, 3, 2, 1, 2, 3, tzinfo=dt.UTC)
ON_THE_SECOND = dt.datetime(2026, 3, 2, 1, 2, 4, tzinfo=dt.UTC)  # no microseconds: written .000000

_COLUMNS = (
    "event_id",
    "application_id",
    "case_id",
    "item",
    "department",
    "payload",
    "created_at",
    "next_attempt_at",
    "attempts",
    "shard",
)


def row(event_id: str, created_at: dt.datetime) -> dict[str, object]:
    return {
        "event_id": event_id,
        "application_id": "a",
        "case_id": "c",
        "item": "i",
        "department": "d",
        "created_at": created_at,
        "next_attempt_at": created_at,
        "attempts": 0,
        "shard": 7,
    }


def test_a_row_written_through_the_driver_reads_back_as_one_sqlalchemy_wrote(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(
            insert(outbox),
            [
                {**row("by-sqlalchemy", AT), "payload": {"名": ["张三", 1, True]}},
                {**row("by-sqlalchemy-2", ON_THE_SECOND), "payload": {}},
            ],
        )
        written = DriverStatement(insert_into(outbox, *_COLUMNS)).run(
            connection,
            [
                {**row("by-driver", AT), "payload": '{"名":["张三",1,true]}'},
                {**row("by-driver-2", ON_THE_SECOND), "payload": "{}"},
            ],
        )
    assert written == 2
    with engine.connect() as connection:
        rows = {r.event_id: r for r in connection.execute(select(outbox))}
        # times compare as text on SQLite: both must be written alike to be found alike
        due = set(
            connection.execute(
                select(outbox.c.event_id).where(outbox.c.next_attempt_at <= ON_THE_SECOND)
            ).scalars()
        )
    for suffix in ("", "-2"):
        by_driver, by_sqlalchemy = rows[f"by-driver{suffix}"], rows[f"by-sqlalchemy{suffix}"]
        unnamed = {"id": 0, "event_id": ""}
        assert {**by_driver._mapping, **unnamed} == {**by_sqlalchemy._mapping, **unnamed}
    assert due == set(rows)


def test_an_insert_or_ignore_leaves_a_taken_key_as_it_was(engine: Engine) -> None:
    store = insert_or_ignore(
        wallet_certificates,
        "identifier",
        "holder_code",
        "holder_code_type",
        "certificate_type",
        "status",
        "issue_date",
        "application_id",
        "case_id",
        "document",
        "key_id",
        "signature",
        "issued_at",
    )
    certificate = {
        "identifier": "x",
        "holder_code": "h",
        "holder_code_type": "111",
        "certificate_type": "t",
        "status": "01",
        "issue_date": AT.date(),
        "application_id": "a",
        "case_id": "c",
        "document": '{"n":1}',
        "key_id": "k",
        "signature": "s",
        "issued_at": AT,
    }
    with engine.begin() as connection:
        assert store.run(connection, [certificate]) == 1
        store.run(connection, [{**certificate, "signature": "other"}])
        stored = connection.execute(select(wallet_certificates)).one()
    assert stored.signature == "s"
    assert stored.issue_date == AT.date()
    assert stored.document == {"n": 1}
