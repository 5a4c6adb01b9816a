"""Use case: plan a bundle for an applicant's answers and holdings.

`plan_bundle(context, command)` plans with the context's catalogue and calendar, remembering
plans (a PlanCache, one per context); `build_bundle_plan` plans with any catalogue, remembering
nothing (the CLI's `plan --catalog DIR`, benchmarks).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field

from yijianshi.domain.calendar import WorkingCalendar
from yijianshi.domain.catalog import Catalog
from yijianshi.domain.errors import UnknownBundle
from yijianshi.domain.planning import Holdings, Plan, build_plan
from yijianshi.services.context import Context


@dataclass(frozen=True, slots=True)
class PlanBundle:
    """Command: plan `bundle` from `start` (the day of acceptance, not itself counted)."""

    bundle: str
    start: dt.date
    answers: Mapping[str, str] = field(default_factory=dict)
    holdings: Holdings = field(default_factory=Holdings)


def build_bundle_plan(catalog: Catalog, calendar: WorkingCalendar, command: PlanBundle) -> Plan:
    """Return the plan; raise UnknownBundle, InvalidAnswers or CalendarOutOfRange."""
    bundle = catalog.bundles.get(command.bundle)
    if bundle is None:
        raise UnknownBundle(command.bundle, sorted(catalog.bundles))
    return build_plan(catalog, bundle, command.answers, command.holdings, calendar, command.start)


class PlanCache:
    """Plans of one catalogue and calendar, remembered: a plan depends only on the bundle, the
    start day, the answers and the holdings, and thousands of applicants share those.
    Thread-safe; holds at most `size` plans. A Plan is immutable, so sharing one is safe."""

    def __init__(self, catalog: Catalog, calendar: WorkingCalendar, size: int = 1024) -> None:
        self.catalog = catalog
        self.calendar = calendar
        self._cached = functools.lru_cache(maxsize=size)(self._plan)

    def plan(self, command: PlanBundle) -> Plan:
        """As `plan_bundle`, for this cache's catalogue and calendar."""
        return self._cached(
            command.bundle, command.start, tuple(sorted(command.answers.items())), command.holdings
        )

    def _plan(
        self, bundle: str, start: dt.date, answers: tuple[tuple[str, str], ...], holdings: Holdings
    ) -> Plan:
        return build_bundle_plan(
            self.catalog, self.calendar, PlanBundle(bundle, start, dict(answers), holdings)
        )

    @classmethod
    def of(cls, context: Context) -> PlanCache:
        """The cache of the context's catalogue and calendar."""
        return cls(context.catalog, context.calendar)


def plan_bundle(context: Context, command: PlanBundle) -> Plan:
    """The plan of `command` with the context's catalogue and calendar, made once for every
    applicant who shares its bundle, start day, answers and holdings. Raises UnknownBundle,
    InvalidAnswers or CalendarOutOfRange."""
    return context.component(PlanCache, PlanCache.of).plan(command)
