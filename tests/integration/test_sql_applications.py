import datetime as dt

import pytest
from sqlalchemy import Engine, inspect, update

from yijianshi.adapters.sql.applications import SqlApplications
from yijianshi.adapters.sql.migrate import upgrade
from yijianshi.adapters.sql.reads import SqlApplicationReads
from yijianshi.adapters.sql.tables import cases
from yijianshi.domain.cases import Application, ApplicationStatus, Case, CaseState
from yijianshi.domain.text import Text
from yijianshi.services.applications.ports import DuplicateSubmission
from yijianshi.services.unit_of_work import ConcurrentUpdate

AT = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def application(app_id: str = "a1") -> Application:
    cases = [
        Case(f"{app_id}-c1", "birth-certificate", "hospital", 0),
        Case(f"{app_id}-c2", "household", "police", 1, upstream=(f"{app_id}-c1",), deferrable=True),
    ]
    return Application(app_id, "birth", "applicant-1", {c.id: c for c in cases}, {"child.name": "王小明"})


def test_migrations_create_the_schema_and_are_idempotent(engine: Engine) -> None:
    upgrade(engine)
    assert {"applications", "cases", "alembic_version"} <= set(inspect(engine).get_table_names())


def test_an_application_round_trips_with_its_cases(engine: Engine) -> None:
    app = application()
    app.start(AT)
    app.case("a1-c1").dispatch(AT)
    app.case("a1-c1").accept(AT)
    app.case("a1-c1").request_supplement(Text("请补充", "please add"), AT)
    with engine.begin() as connection:
        SqlApplications(connection).add(app, "key-1", AT)
    with engine.connect() as connection:
        loaded = SqlApplications(connection).get("a1")
    assert loaded is not None
    assert loaded.data == {"child.name": "王小明"}
    first = loaded.case("a1-c1")
    assert first.state is CaseState.SUPPLEMENT_REQUESTED
    assert first.accepted_on == AT.date()
    assert first.pauses == app.case("a1-c1").pauses
    assert first.reason == Text("请补充", "please add")
    assert loaded.case("a1-c2").upstream == ("a1-c1",)
    assert loaded.status is ApplicationStatus.ACTION_REQUIRED


def test_a_saved_change_is_read_back(engine: Engine) -> None:
    with engine.begin() as connection:
        SqlApplications(connection).add(application(), "key-1", AT)
    with engine.begin() as connection:
        repo = SqlApplications(connection)
        app = repo.get("a1")
        assert app is not None
        app.start(AT)
        app.case("a1-c1").dispatch(AT)
        app.case("a1-c1").accept(AT)
        app.complete_case("a1-c1", {"child.birth_medical_certificate_no": "Q1"}, AT)
        repo.save(app)
    with engine.connect() as connection:
        again = SqlApplications(connection).get("a1")
    assert again is not None
    assert again.case("a1-c2").state is CaseState.READY
    assert again.data["child.birth_medical_certificate_no"] == "Q1"


def test_a_stale_write_is_refused(engine: Engine) -> None:
    with engine.begin() as connection:
        SqlApplications(connection).add(application(), "key-1", AT)
    with engine.connect() as first, engine.connect() as second:
        one, two = SqlApplications(first), SqlApplications(second)
        a, b = one.get("a1"), two.get("a1")
        assert a is not None
        assert b is not None
        a.start(AT)
        one.save(a)
        first.commit()
        b.withdraw(AT)
        with pytest.raises(ConcurrentUpdate):
            two.save(b)


def test_the_same_idempotency_key_cannot_make_two_applications(engine: Engine) -> None:
    with engine.begin() as connection:
        SqlApplications(connection).add(application("a1"), "key-1", AT)
        assert SqlApplications(connection).find_by_key("applicant-1", "key-1") == "a1"
    with pytest.raises(DuplicateSubmission), engine.begin() as connection:
        SqlApplications(connection).add(application("a2"), "key-1", AT)


def test_only_the_cases_that_recorded_an_event_are_written_back(engine: Engine) -> None:
    with engine.begin() as connection:
        SqlApplications(connection).add(application(), "key-1", AT)
    with engine.begin() as connection:
        repo = SqlApplications(connection)
        app = repo.get("a1")
        assert app is not None
        # another writer changed the untouched case meanwhile (by hand): saving must not undo it
        connection.execute(update(cases).where(cases.c.id == "a1-c2").values(warned="red"))
        app.start(AT)
        app.case("a1-c1").dispatch(AT)
        app.case("a1-c1").accept(AT)
        app.case("a1-c1").request_supplement(Text("请补充", "please add"), AT)
        repo.save(app)
    with engine.connect() as connection:
        again = SqlApplications(connection).get("a1")
    assert again is not None
    first = again.case("a1-c1")
    assert (first.state, first.accepted_on, first.reason) == (
        CaseState.SUPPLEMENT_REQUESTED,
        AT.date(),
        Text("请补充", "please add"),
    )
    assert first.pauses == app.case("a1-c1").pauses
    assert again.case("a1-c2").state is CaseState.WAITING  # no event: not written back
    assert again.case("a1-c2").warned.value == "red"


def test_the_submission_time_is_the_same_instant_whatever_its_offset(engine: Engine) -> None:
    """A submission at 09:00 in Beijing is read back as 09:00 in Beijing, not 8 hours later
    (SQLite keeps no offset: times go in as UTC)."""
    beijing = dt.timezone(dt.timedelta(hours=8))
    at = dt.datetime(2026, 3, 2, 9, 0, tzinfo=beijing)
    with engine.begin() as connection:
        SqlApplications(connection).add(application(), "key-1", at)
    with engine.connect() as connection:
        row = SqlApplicationReads(connection).row("a1")
    assert row is not None
    assert row.submitted_at == at
    assert row.submitted_at.astimezone(beijing).hour == 9
