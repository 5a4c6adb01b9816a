import datetime as dt
from functools import partial

from sqlalchemy import Engine

from tests.clock import FixedClock
from tests.integration.test_submit import CALENDAR, CATALOG, NOW, birth_values
from yijianshi.adapters.departments.simulated import SimulatedDepartment
from yijianshi.adapters.sql.unit_of_work import SqlUnitOfWork
from yijianshi.bootstrap import assemble_worker
from yijianshi.domain.cases import Colour
from yijianshi.services.applications.submission import SubmitApplication, submit_application
from yijianshi.services.cases.deadlines import (
    ListDeadlineWarnings,
    RecordTimeLimits,
    deadline_warnings,
    record_time_limits,
)
from yijianshi.services.cases.decisions import AcceptCase, CompleteCase, accept_case, complete_case
from yijianshi.services.context import Context


def case_of(engine: Engine, application_id: str, item: str) -> str:
    with SqlUnitOfWork(engine) as uow:
        app = uow.applications.get(application_id)
    assert app is not None
    return next(c.id for c in app.cases.values() if c.item == item)


def test_deadlines_turn_yellow_then_red_on_working_days(engine: Engine) -> None:
    clock = FixedClock(NOW)  # Monday 2 March 2026
    services = Context(CATALOG, CALENDAR, partial(SqlUnitOfWork, engine), clock)
    worker = assemble_worker(services, SimulatedDepartment(engine, CATALOG, clock.now))  # nobody answers
    app_id = submit_application(services, SubmitApplication("birth", "p", "k", birth_values())).application_id
    worker.run_until_idle()
    first = case_of(engine, app_id, "birth-medical-certificate")
    accept_case(services, AcceptCase(first))
    complete_case(services, CompleteCase(first, {}))
    worker.run_until_idle()
    maternity = case_of(engine, app_id, "maternity-benefits")  # promised 5 working days
    accept_case(services, AcceptCase(maternity))
    assert deadline_warnings(services, ListDeadlineWarnings()) == []

    clock.moment = NOW + dt.timedelta(days=4)  # Friday: 4 of 5 working days used
    (warning,) = deadline_warnings(services, ListDeadlineWarnings())
    assert (warning.item, warning.colour, warning.deadline) == (
        "maternity-benefits",
        Colour.YELLOW,
        dt.date(2026, 3, 9),
    )

    clock.moment = NOW + dt.timedelta(days=8)  # Tuesday 10 March
    (warning,) = deadline_warnings(services, ListDeadlineWarnings("ruian-medical-insurance"))
    assert warning.colour is Colour.RED
    assert deadline_warnings(services, ListDeadlineWarnings("ruian-psb")) == []


def test_the_worker_records_a_warning_and_a_breach_once_each(engine: Engine) -> None:
    clock = FixedClock(NOW)
    services = Context(CATALOG, CALENDAR, partial(SqlUnitOfWork, engine), clock)
    worker = assemble_worker(services, SimulatedDepartment(engine, CATALOG, clock.now), upkeep_every_s=0)
    command = SubmitApplication("birth", "p", "k", birth_values())
    app_id = submit_application(services, command).application_id
    worker.run_until_idle()
    first = case_of(engine, app_id, "birth-medical-certificate")
    accept_case(services, AcceptCase(first))
    complete_case(services, CompleteCase(first, {}))
    worker.run_until_idle()
    accept_case(services, AcceptCase(case_of(engine, app_id, "maternity-benefits")))

    assert record_time_limits(services, RecordTimeLimits()) == 0
    clock.moment = NOW + dt.timedelta(days=4)
    assert record_time_limits(services, RecordTimeLimits()) == 1
    assert record_time_limits(services, RecordTimeLimits()) == 0  # once per colour
    clock.moment = NOW + dt.timedelta(days=8)
    worker.run_once()  # the worker runs the same check
    with SqlUnitOfWork(engine) as uow:
        types = [e.type for e in uow.audit.log(app_id)]
    assert types.count("org.yijianshi.case.time_limit_warning") == 1
    assert types.count("org.yijianshi.case.time_limit_breached") == 1
