from functools import partial

from sqlalchemy import Engine, delete, select, update

from tests.clock import FixedClock
from tests.integration.test_submit import CALENDAR, CATALOG, NOW, birth_values
from yijianshi.adapters.departments.simulated import SimulatedDepartment
from yijianshi.adapters.sql.tables import audit_events
from yijianshi.adapters.sql.unit_of_work import SqlUnitOfWork
from yijianshi.domain.audit import Break
from yijianshi.services.applications import ApplicationServices, SubmitApplication, submit_application
from yijianshi.services.audit_verification import verify_audit
from yijianshi.services.worker import Worker


def completed_application(engine: Engine) -> str:
    clock = FixedClock(NOW)
    services = ApplicationServices(CATALOG, CALENDAR, partial(SqlUnitOfWork, engine), clock)
    department = SimulatedDepartment(engine, CATALOG, clock.now, seed=1)
    command = SubmitApplication("birth", "parent-1", "k", birth_values())
    app_id = submit_application(services, command).application_id
    Worker(services, department, department).run_until_idle()
    return app_id


def check(engine: Engine, app_id: str):  # type: ignore[no-untyped-def]
    (result,) = verify_audit(partial(SqlUnitOfWork, engine), app_id)
    return result


def test_every_state_change_is_in_the_applications_audit_trail(engine: Engine) -> None:
    app_id = completed_application(engine)
    with SqlUnitOfWork(engine) as uow:
        log = uow.audit.log(app_id)
    types = [e.type for e in log]
    assert types[0] == "org.yijianshi.application.submitted"
    assert types.count("org.yijianshi.case.completed") == 7
    assert types.count("org.yijianshi.case.sent") == 7
    assert check(engine, app_id).result.ok
    # the values produced stay out of the trail; it names the outputs
    completed = next(e for e in log if e.type == "org.yijianshi.case.completed" and e.data["outputs"])
    assert all(isinstance(key, str) and "." in key for key in completed.data["outputs"])


def test_a_changed_entry_is_named(engine: Engine) -> None:
    app_id = completed_application(engine)
    with engine.begin() as connection:
        document = connection.execute(select(audit_events.c.document).where(
            audit_events.c.application_id == app_id, audit_events.c.sequence == 5)).scalar_one()
        document = {**document, "actor": "someone-else"}
        connection.execute(update(audit_events).where(
            audit_events.c.application_id == app_id, audit_events.c.sequence == 5).values(document=document))
    result = check(engine, app_id).result
    assert result.index == 5
    assert Break.CHANGED in result.breaks


def test_a_removed_middle_entry_and_a_removed_last_entry_are_found(engine: Engine) -> None:
    app_id = completed_application(engine)
    with engine.begin() as connection:
        last = connection.execute(select(audit_events.c.sequence).where(
            audit_events.c.application_id == app_id).order_by(audit_events.c.sequence.desc())).first()
        assert last is not None
        connection.execute(delete(audit_events).where(
            audit_events.c.application_id == app_id, audit_events.c.sequence == last.sequence))
    result = check(engine, app_id).result
    assert Break.TRUNCATED in result.breaks
    with engine.begin() as connection:
        connection.execute(delete(audit_events).where(
            audit_events.c.application_id == app_id, audit_events.c.sequence == 3))
    result = check(engine, app_id).result
    assert result.index == 3
    assert Break.UNLINKED in result.breaks


def test_an_entry_edited_into_an_unreadable_event_is_named(engine: Engine) -> None:
    app_id = completed_application(engine)
    with engine.begin() as connection:
        connection.execute(update(audit_events).where(
            audit_events.c.application_id == app_id, audit_events.c.sequence == 2).values(
            document={"specversion": "1.0"}))
    result = check(engine, app_id).result
    assert result.index == 2
    assert "cannot be read" in result.detail
