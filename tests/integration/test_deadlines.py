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
    context = Context(CATALOG, CALENDAR, partial(SqlUnitOfWork, engine), clock)
    worker = assemble_worker(context, SimulatedDepartment(engine, CATALOG, clock.now))  # nobody answers
    app_id = submit_application(context, SubmitApplication("birth", "p", "k", birth_values())).application_id
    worker.run_until_idle()
    first = case_of(engine, app_id, "birth-medical-certificate")
    accept_case(context, AcceptCase(first))
    complete_case(context, CompleteCase(first, {}))
    worker.run_until_idle()
    maternity = case_of(engine, app_id, "maternity-benefits")  # promised 5 working days
    accept_case(context, AcceptCase(maternity))
    assert deadline_warnings(context, ListDeadlineWarnings()) == []

    clock.moment = NOW + dt.timedelta(days=4)  # Friday: 4 of 5 working days used
    (warning,) = deadline_warnings(context, ListDeadlineWarnings())
    assert (warning.item, warning.colour, warning.deadline) == (
        "maternity-benefits",
        Colour.YELLOW,
        dt.date(2026, 3, 9),
    )

    clock.moment = NOW + dt.timedelta(days=8)  # Tuesday 10 March
    (warning,) = deadline_warnings(context, ListDeadlineWarnings("ruian-medical-insurance"))
    assert warning.colour is Colour.RED
    assert deadline_warnings(context, ListDeadlineWarnings("ruian-psb")) == []


def test_the_worker_records_a_warning_and_a_breach_once_each(engine: Engine) -> None:
    clock = FixedClock(NOW)
    context = Context(CATALOG, CALENDAR, partial(SqlUnitOfWork, engine), clock)
    worker = assemble_worker(context, SimulatedDepartment(engine, CATALOG, clock.now), upkeep_every_s=0)
    command = SubmitApplication("birth", "p", "k", birth_values())
    app_id = submit_application(context, command).application_id
    worker.run_until_idle()
    first = case_of(engine, app_id, "birth-medical-certificate")
    accept_case(context, AcceptCase(first))
    complete_case(context, CompleteCase(first, {}))
    worker.run_until_idle()
    accept_case(context, AcceptCase(case_of(engine, app_id, "maternity-benefits")))

    assert record_time_limits(context, RecordTimeLimits()) == 0
    clock.moment = NOW + dt.timedelta(days=4)
    assert record_time_limits(context, RecordTimeLimits()) == 1
    assert record_time_limits(context, RecordTimeLimits()) == 0  # once per colour
    clock.moment = NOW + dt.timedelta(days=8)
    worker.run_once()  # the worker runs the same check
    with SqlUnitOfWork(engine) as uow:
        types = [e.type for e in uow.audit.log(app_id)]
    assert types.count("org.yijianshi.case.time_limit_warning") == 1
    assert types.count("org.yijianshi.case.time_limit_breached") == 1
