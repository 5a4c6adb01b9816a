"""Use case: submit N generated applications and drive them to the end with simulated departments."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass

from yijianshi.domain.cases import ApplicationStatus
from yijianshi.services.applications.ports import ApplicantFactory, Drives
from yijianshi.services.applications.submission import SubmitApplication, submit_application
from yijianshi.services.context import Context
from yijianshi.services.delivery.ports import AnsweringDepartment
from yijianshi.services.planning import PlanBundle, build_bundle_plan

Progress = Callable[[str, int, int], None]  # (phase, done, total)

SUCCESS = {ApplicationStatus.COMPLETED, ApplicationStatus.PARTIALLY_COMPLETED}
REFUSED = {ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN}


@dataclass(frozen=True, slots=True)
class SimulationReport:
    submitted: int
    completed: int
    rejected: int
    lost: int  # acknowledged but not found in a final state: must be 0
    duplicates: int  # cases a department received more than once: must be 0
    seconds: float
    applications_per_s: float

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Simulate:
    """Command: submit `applications` generated applications for `bundle` and drive them to the end."""

    bundle: str
    applications: int


def simulate(
    context: Context,
    command: Simulate,
    worker: Drives,
    department: AnsweringDepartment,
    people: ApplicantFactory,
    progress: Progress = lambda *_: None,
) -> SimulationReport:
    """Submit the applications, with form values `people` makes, run `worker` until idle (its
    answers come from the simulated `department`), and count the outcomes. `progress` is told
    (phase, done, total) as it goes."""
    bundle, applications = command.bundle, command.applications
    started = time.perf_counter()
    today = context.clock.today()
    plan = build_bundle_plan(context.catalog, context.calendar, PlanBundle(bundle, today))
    ids = []
    for n in range(applications):
        submission = SubmitApplication(
            bundle, f"simulated-{n}", uuid.uuid4().hex, people.form_values(plan, today)
        )
        ids.append(submit_application(context, submission).application_id)
        progress("submit", n + 1, applications)
    worker.run_until_idle()
    statuses = []
    for n, application_id in enumerate(ids):
        with context.unit_of_work() as uow:
            application = uow.applications.get(application_id)
        statuses.append(application.status if application else None)
        progress("check", n + 1, applications)
    seconds = time.perf_counter() - started
    completed = sum(s in SUCCESS for s in statuses)
    rejected = sum(s in REFUSED for s in statuses)
    return SimulationReport(
        applications,
        completed,
        rejected,
        applications - completed - rejected,
        department.duplicate_deliveries(),
        round(seconds, 3),
        round(applications / seconds, 1) if seconds else 0.0,
    )
