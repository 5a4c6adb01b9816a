"""Use case: plan a bundle for an applicant's answers and holdings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from yijianshi.domain.calendar import WorkingCalendar
from yijianshi.domain.catalog import Catalog
from yijianshi.domain.errors import UnknownBundle
from yijianshi.domain.planning import Holdings, Plan, build_plan


@dataclass(frozen=True, slots=True)
class PlanBundle:
    """Command: plan `bundle` from `start` (the day of acceptance, not itself counted)."""

    bundle: str
    start: dt.date
    answers: Mapping[str, str] = field(default_factory=dict)
    holdings: Holdings = field(default_factory=Holdings)


def plan_bundle(catalog: Catalog, calendar: WorkingCalendar, command: PlanBundle) -> Plan:
    """Return the plan; raise UnknownBundle, InvalidAnswers or CalendarOutOfRange."""
    bundle = catalog.bundles.get(command.bundle)
    if bundle is None:
        raise UnknownBundle(command.bundle, sorted(catalog.bundles))
    return build_plan(catalog, bundle, command.answers, command.holdings, calendar, command.start)
