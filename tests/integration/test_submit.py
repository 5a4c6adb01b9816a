import datetime as dt
import threading
from functools import partial

import pytest
from sqlalchemy import Engine, func, select

from tests.clock import FixedClock
from yijianshi.adapters.calendar_schedule import chinese_working_calendar
from yijianshi.adapters.catalog_files.loader import FileCatalogSource
from yijianshi.adapters.sql.tables import applications, cases, outbox
from yijianshi.adapters.sql.unit_of_work import SqlUnitOfWork
from yijianshi.adapters.synthetic_people import SyntheticPeople
from yijianshi.domain.cases import CaseState
from yijianshi.domain.planning import Holdings, build_plan
from yijianshi.services.applications.submission import SubmitApplication, submit_application
from yijianshi.services.catalogue.checking import load_valid_catalog
from yijianshi.services.context import Context
from yijianshi.services.errors import FormInvalid
from yijianshi.settings import sample_catalog_dir

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
CATALOG = load_valid_catalog(FileCatalogSource(), str(sample_catalog_dir()))
CALENDAR = chinese_working_calendar()


def context(engine: Engine) -> Context:
    return Context(CATALOG, CALENDAR, partial(SqlUnitOfWork, engine), FixedClock(NOW))


def birth_values() -> dict[str, str]:
    plan = build_plan(CATALOG, CATALOG.bundles["birth"], {}, Holdings(), CALENDAR, NOW.date())
    return SyntheticPeople(CATALOG, seed=0).form_values(plan, NOW.date())


def count(engine: Engine, table) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar_one()


def test_a_submission_becomes_one_case_per_applicable_item(engine: Engine) -> None:
    submitted = submit_application(
        context(engine), SubmitApplication("birth", "parent-1", "key-1", birth_values())
    )
    assert submitted.created
    with SqlUnitOfWork(engine) as uow:
        app = uow.applications.get(submitted.application_id)
    assert app is not None
    assert len(app.cases) == 7
    # the case with no upstream is dispatched in the submitting transaction
    sent = [c.item for c in app.cases.values() if c.state is CaseState.SENT]
    assert sent == ["birth-medical-certificate"]
    assert count(engine, outbox) == 1
    household = next(c for c in app.cases.values() if c.item == "birth-household-registration")
    assert [app.cases[u].item for u in household.upstream] == ["birth-medical-certificate"]


def test_answers_decide_which_cases_exist(engine: Engine) -> None:
    submitted = submit_application(
        context(engine),
        SubmitApplication("birth", "parent-1", "key-1", birth_values(), answers={"mother_insurance": "none"}),
    )
    with SqlUnitOfWork(engine) as uow:
        app = uow.applications.get(submitted.application_id)
    assert app is not None
    assert "maternity-benefits" not in {c.item for c in app.cases.values()}


def test_a_retry_with_the_same_key_returns_the_same_application(engine: Engine) -> None:
    first = submit_application(context(engine), SubmitApplication("birth", "p", "k", birth_values()))
    again = submit_application(context(engine), SubmitApplication("birth", "p", "k", birth_values()))
    assert again == type(first)(first.application_id, created=False)
    assert count(engine, applications) == 1


def test_the_same_key_submitted_concurrently_makes_one_application(engine: Engine) -> None:
    results: list[str] = []
    barrier = threading.Barrier(8)

    def submit() -> None:
        barrier.wait()
        results.append(
            submit_application(
                context(engine), SubmitApplication("birth", "p", "same-key", birth_values())
            ).application_id
        )

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 8
    assert len(set(results)) == 1
    assert count(engine, applications) == 1
    assert count(engine, cases) == 7


def test_every_field_error_is_reported_at_once_and_nothing_is_written(engine: Engine) -> None:
    values = birth_values()
    values["mother.phone"] = "12345"
    values["father.id_number"] = "110105194912310021"
    del values["child.name"]
    with pytest.raises(FormInvalid) as caught:
        submit_application(context(engine), SubmitApplication("birth", "p", "k", values))
    assert {e.where for e in caught.value.errors} == {"mother.phone", "father.id_number", "child.name"}
    assert all(e.message.zh and e.message.en for e in caught.value.errors)
    assert count(engine, applications) == 0
    assert count(engine, cases) == 0
    assert count(engine, outbox) == 0
