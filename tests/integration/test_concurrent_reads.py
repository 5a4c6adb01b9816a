"""People reading and deciding on the same application at the same moment: every audited read and
decision lands (each appends to the application's one hash chain), and the chain still verifies."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from pathlib import Path

import pytest

from tests.clock import FixedClock
from yijianshi.adapters.synthetic_people import SyntheticPeople
from yijianshi.bootstrap import bootstrap
from yijianshi.domain.accounts import Principal, Role
from yijianshi.services.applications.queries import ViewApplication, ViewCase, application_view, case_detail
from yijianshi.services.applications.submission import SubmitApplication, submit_application
from yijianshi.services.audit.verification import VerifyAuditTrails, verify_audit
from yijianshi.services.planning import PlanBundle, plan_bundle
from yijianshi.services.unit_of_work import ConcurrentUpdate, retried_on_conflict
from yijianshi.settings import Settings

MONDAY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
READ = "org.yijianshi.personal_data.read"


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_simultaneous_audited_reads_of_one_application_all_land(
    database: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url = (
        f"sqlite:///{tmp_path / 'r.sqlite3'}"
        if database == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    settings = Settings(database_url=url, signing_key=tmp_path / "key.pem")
    container = bootstrap(settings, clock=FixedClock(MONDAY))
    context = container.context
    plan = plan_bundle(context, PlanBundle("birth", MONDAY.date()))
    values = SyntheticPeople(context.catalog, seed=5).form_values(plan, MONDAY.date())
    application_id = submit_application(
        context, SubmitApplication("birth", "mother", uuid.uuid4().hex, values)
    ).application_id
    with container.unit_of_work() as uow:
        application = uow.applications.get(application_id)
    assert application is not None
    first = next(iter(application.cases.values()))
    mother = Principal("mother", Role.APPLICANT, "林晓梅")
    staff = Principal("staff", Role.DEPARTMENT, "staff", first.department)
    failures: list[BaseException] = []
    start = threading.Barrier(8)

    def read(n: int) -> None:
        try:
            start.wait()
            for _ in range(10):
                if n % 2:
                    application_view(context, ViewApplication(mother, "mother", application_id))
                else:
                    case_detail(context, ViewCase(staff, first.id))
        except BaseException as failure:  # reported below
            failures.append(failure)

    threads = [threading.Thread(target=read, args=(n,)) for n in range(8)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        assert failures == []
        with container.unit_of_work() as uow:
            reads = [e for e in uow.audit.log(application_id) if e.type == READ]
        assert len(reads) == 80
        assert [
            check.result.ok for check in verify_audit(container.context, VerifyAuditTrails(application_id))
        ] == [True]
    finally:
        container.close()


def test_a_lost_race_is_run_again_and_a_lasting_one_is_reported() -> None:
    calls = []

    @retried_on_conflict
    def flaky(losses: int) -> str:
        calls.append(1)
        if len(calls) <= losses:
            raise ConcurrentUpdate("changed meanwhile")
        return "done"

    assert flaky(3) == "done"
    assert len(calls) == 4
    calls.clear()
    with pytest.raises(ConcurrentUpdate):
        flaky(100)
    assert len(calls) == 20
