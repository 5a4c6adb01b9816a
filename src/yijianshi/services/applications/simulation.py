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


def simulate(
    services: Context,
    worker: Drives,
    department: AnsweringDepartment,
    people: ApplicantFactory,
    bundle: str,
    applications: int,
    progress: Progress = lambda *_: None,
) -> SimulationReport:
    """Submit `applications` for `bundle`, run the worker until idle, and count the outcomes."""
    started = time.perf_counter()
    today = services.clock.today()
    plan = build_bundle_plan(services.catalog, services.calendar, PlanBundle(bundle, today))
    ids = []
    for n in range(applications):
        command = SubmitApplication(
            bundle, f"simulated-{n}", uuid.uuid4().hex, people.form_values(plan, today)
        )
        ids.append(submit_application(services, command).application_id)
        progress("submit", n + 1, applications)
    worker.run_until_idle()
    statuses = []
    for n, application_id in enumerate(ids):
        with services.unit_of_work() as uow:
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
