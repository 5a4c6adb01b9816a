"""Read query: cases whose time limit is nearly used (yellow) or passed (red)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from yijianshi.domain.cases import Application, Case, Colour
from yijianshi.services.cases.decisions import decide
from yijianshi.services.context import Context


@dataclass(frozen=True, slots=True)
class DeadlineWarning:
    application_id: str
    case_id: str
    item: str
    department: str
    state: str
    accepted_on: dt.date
    deadline: dt.date
    colour: Colour
    recorded: Colour  # the colour last recorded in the audit trail


@dataclass(frozen=True, slots=True)
class ListDeadlineWarnings:
    """Command: list the running cases of `department` (None: of all) whose time limit is nearly
    used or passed; with `include_green`, the others too."""

    department: str | None = None
    include_green: bool = False


def deadline_warnings(context: Context, command: ListDeadlineWarnings) -> list[DeadlineWarning]:
    """Every running case that is yellow or red today (and green ones on request), most urgent first."""
    today, include_green = context.clock.today(), command.include_green
    with context.unit_of_work() as uow:
        running = uow.applications.running_cases(command.department)
    warnings = []
    for application_id, case in running:
        colour = case.colour(context.calendar, today)
        deadline = case.deadline(context.calendar, today)
        if (include_green or colour is not Colour.GREEN) and deadline and case.accepted_on:
            warnings.append(
                DeadlineWarning(
                    application_id,
                    case.id,
                    case.item,
                    case.department,
                    case.state.value,
                    case.accepted_on,
                    deadline,
                    colour,
                    case.warned,
                )
            )
    order = {Colour.RED: 0, Colour.YELLOW: 1, Colour.GREEN: 2}
    return sorted(warnings, key=lambda w: (order[w.colour], w.deadline, w.case_id))


@dataclass(frozen=True, slots=True)
class RecordTimeLimits:
    """Command: record the running cases whose time limit colour changed (the worker's upkeep)."""


def record_time_limits(context: Context, command: RecordTimeLimits) -> int:
    """Record, once per colour, each running case that turned yellow or red; return how many."""
    noted = 0
    for warning in deadline_warnings(context, ListDeadlineWarnings()):
        if warning.recorded is warning.colour:
            continue

        def change(app: Application, w: DeadlineWarning = warning) -> list[Case]:
            app.case(w.case_id).note_colour(w.colour, w.deadline, context.clock.now())
            return []

        decide(context, warning.case_id, change, actor="system:time-limits")
        noted += 1
    return noted
