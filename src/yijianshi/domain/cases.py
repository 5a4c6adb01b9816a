"""Applications and their cases: one case per applicable item, and the case state machine.

    waiting ──(all upstream completed)──► ready ──(dispatched)──► sent ──(受理)──► accepted
       │                                                            │               │  ▲
       │ (an upstream case rejected, blocked or withdrawn)          │ (不予受理)     │  │ (补正 supplied:
       ▼                                                            ▼               │  │  clock resumes)
    blocked                                                      rejected ◄─────────┤  │
                                                                                    ▼  │
                                                         supplement_requested ──────────┘
                                                         (补正: the clock stops)
    accepted ──(办结, with outputs)──► completed
    any state that is not final ──(applicant withdraws)──► withdrawn

Final states: completed, rejected, blocked, withdrawn. A deferrable item (甩项后置) may be
*deferred* while not final: the application then finishes without waiting for it.

When a case completes, its outputs join the application's data and every waiting case whose
upstream cases have all completed becomes ready. When a case ends without completing, every
case that depends on it, directly or not, is blocked with a reason the applicant can read.
An illegal transition raises IllegalTransition; nothing changes. Every change of a case is one
of these transitions and records a `CaseEvent`: a store writes back the cases that recorded one.

Time limits count working days from acceptance (受理), paused while a supplement is pending:
yellow once 80% of the promised limit is used, red when the deadline has passed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from yijianshi.domain.calendar import WorkingCalendar
from yijianshi.domain.errors import IllegalTransition
from yijianshi.domain.planning import Plan
from yijianshi.domain.text import Text


class CaseState(StrEnum):
    WAITING = "waiting"
    READY = "ready"
    SENT = "sent"
    ACCEPTED = "accepted"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    COMPLETED = "completed"
    REJECTED = "rejected"
    BLOCKED = "blocked"
    WITHDRAWN = "withdrawn"


FINAL = frozenset({CaseState.COMPLETED, CaseState.REJECTED, CaseState.BLOCKED, CaseState.WITHDRAWN})
UNSUCCESSFUL = FINAL - {CaseState.COMPLETED}
_REACHED = frozenset(
    {
        CaseState.SENT,
        CaseState.ACCEPTED,
        CaseState.SUPPLEMENT_REQUESTED,
        CaseState.COMPLETED,
        CaseState.REJECTED,
    }
)


class Colour(StrEnum):
    """Time-limit warning colour (红黄牌)."""

    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


class ApplicationStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    ACTION_REQUIRED = "action_required"  # a supplement is requested from the applicant
    COMPLETED = "completed"
    PARTIALLY_COMPLETED = "partially_completed"  # done, but some items were refused
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True, slots=True)
class CaseEvent:
    """Something that happened to a case (past tense: `case.accepted`, `case.completed`)."""

    type: str
    case: str
    at: dt.datetime
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Pause:
    """A supplement period: the clock stops from `start` until `end` (None while pending)."""

    start: dt.date
    end: dt.date | None = None


@dataclass(slots=True)
class Case:
    """One item of an application, handled by one department (办件)."""

    id: str
    item: str
    department: str
    promised_days: int
    upstream: tuple[str, ...] = ()  # ids of the cases whose outputs this one needs
    deferrable: bool = False
    state: CaseState = CaseState.WAITING
    deferred: bool = False
    accepted_on: dt.date | None = None
    completed_on: dt.date | None = None
    pauses: list[Pause] = field(default_factory=list)
    outputs: dict[str, Any] = field(default_factory=dict)
    reason: Text | None = None  # why rejected or blocked, or what supplement is requested
    warned: Colour = Colour.GREEN  # the last time-limit colour recorded
    events: list[CaseEvent] = field(default_factory=list)

    @property
    def final(self) -> bool:
        return self.state in FINAL

    @property
    def reached_department(self) -> bool:
        """Whether the department has received the case (a withdrawn case if it had accepted it)."""
        return self.state in _REACHED or (self.state is CaseState.WITHDRAWN and self.accepted_on is not None)

    def _move(
        self, allowed: Iterable[CaseState], to: CaseState, event: str, at: dt.datetime, **data: Any
    ) -> None:
        if self.state not in allowed:
            raise IllegalTransition(self.id, self.state.value, to.value)
        self.state = to
        self.events.append(CaseEvent(event, self.id, at, data))

    def make_ready(self, at: dt.datetime) -> None:
        self._move({CaseState.WAITING}, CaseState.READY, "case.ready", at)

    def dispatch(self, at: dt.datetime) -> None:
        self._move({CaseState.READY}, CaseState.SENT, "case.sent", at)

    def accept(self, at: dt.datetime) -> None:
        self._move({CaseState.SENT}, CaseState.ACCEPTED, "case.accepted", at)
        self.accepted_on = at.date()

    def request_supplement(self, what: Text, at: dt.datetime) -> None:
        self._move(
            {CaseState.ACCEPTED},
            CaseState.SUPPLEMENT_REQUESTED,
            "case.supplement_requested",
            at,
            what_zh=what.zh,
            what_en=what.en,
        )
        self.reason = what
        self.pauses.append(Pause(at.date()))

    def supplement(self, provided: Mapping[str, Any], at: dt.datetime, materials: Iterable[str] = ()) -> None:
        """补正 answered: fields added or corrected (`provided`), materials added (their keys)."""
        added = sorted(materials)
        self._move(
            {CaseState.SUPPLEMENT_REQUESTED},
            CaseState.ACCEPTED,
            "case.supplemented",
            at,
            provided=sorted(provided),
            **({"materials": added} if added else {}),
        )
        self.reason = None
        self.pauses[-1] = Pause(self.pauses[-1].start, at.date())

    def complete(self, outputs: Mapping[str, Any], at: dt.datetime) -> None:
        # the event names what was produced; the values stay in the application's data
        self._move({CaseState.ACCEPTED}, CaseState.COMPLETED, "case.completed", at, outputs=sorted(outputs))
        self.outputs = dict(outputs)
        self.completed_on = at.date()

    def reject(self, reason: Text, at: dt.datetime) -> None:
        self._move(
            {CaseState.SENT, CaseState.ACCEPTED, CaseState.SUPPLEMENT_REQUESTED},
            CaseState.REJECTED,
            "case.rejected",
            at,
            reason_zh=reason.zh,
            reason_en=reason.en,
        )
        self.reason = reason

    def block(self, reason: Text, at: dt.datetime) -> None:
        self._move(
            {CaseState.WAITING},
            CaseState.BLOCKED,
            "case.blocked",
            at,
            reason_zh=reason.zh,
            reason_en=reason.en,
        )
        self.reason = reason

    def withdraw(self, at: dt.datetime) -> None:
        self._move(set(CaseState) - FINAL, CaseState.WITHDRAWN, "case.withdrawn", at)

    def defer(self, at: dt.datetime) -> None:
        """Let the application finish without this case (甩项后置); the case goes on."""
        if not self.deferrable or self.final or self.deferred:
            raise IllegalTransition(self.id, self.state.value, "deferred")
        self.deferred = True
        self.events.append(CaseEvent("case.deferred", self.id, at))

    def note_colour(self, colour: Colour, deadline: dt.date, at: dt.datetime) -> bool:
        """Record a time-limit warning (yellow) or breach (red) once; True when it was new."""
        if colour is self.warned or colour is Colour.GREEN or self.final:
            return False
        kind = "case.time_limit_breached" if colour is Colour.RED else "case.time_limit_warning"
        self.events.append(CaseEvent(kind, self.id, at, {"deadline": deadline.isoformat()}))
        self.warned = colour
        return True

    def paused_working_days(self, calendar: WorkingCalendar, today: dt.date) -> int:
        """Working days the clock stood still for supplements, up to `today`."""
        return sum(calendar.working_days_between(p.start, p.end or today) for p in self.pauses)

    def deadline(self, calendar: WorkingCalendar, today: dt.date) -> dt.date | None:
        """The day the promised limit runs out, pauses added; None before acceptance."""
        if self.accepted_on is None:
            return None
        extra = self.paused_working_days(calendar, today)
        return calendar.add_working_days(self.accepted_on, self.promised_days + extra).date

    def colour(self, calendar: WorkingCalendar, today: dt.date) -> Colour:
        """Red when overdue, yellow once 80% of the limit is used; green before acceptance or once final."""
        deadline = self.deadline(calendar, today)
        if deadline is None or self.accepted_on is None or self.final:
            return Colour.GREEN
        if today > deadline:
            return Colour.RED
        used = calendar.working_days_between(self.accepted_on, today) - self.paused_working_days(
            calendar, today
        )
        return Colour.YELLOW if used * 5 >= max(self.promised_days, 1) * 4 else Colour.GREEN


def _blocked_reason(upstream: Case) -> Text:
    return Text(
        f"前序事项“{upstream.item}”未办结，本事项无法继续办理",
        f"the item {upstream.item} this one needs did not complete, so it cannot go on",
    )


@dataclass(slots=True)
class Application:
    """One submission for a bundle (一件事申请): its cases and the data they share."""

    id: str
    bundle: str
    applicant: str
    cases: dict[str, Case]
    data: dict[str, Any] = field(default_factory=dict)

    def case(self, case_id: str) -> Case:
        return self.cases[case_id]

    def pending_events(self) -> list[CaseEvent]:
        """Events of this unit of work's transitions (cases are loaded with none), in time order."""
        return sorted((e for c in self.cases.values() for e in c.events), key=lambda e: e.at)

    def start(self, at: dt.datetime) -> list[Case]:
        """Make every case without upstream ready; return them (to be dispatched)."""
        return self._release(at)

    def _release(self, at: dt.datetime) -> list[Case]:
        ready = []
        for case in self.cases.values():
            if case.state is CaseState.WAITING and all(
                self.cases[u].state is CaseState.COMPLETED for u in case.upstream
            ):
                case.make_ready(at)
                ready.append(case)
        return ready

    def complete_case(self, case_id: str, outputs: Mapping[str, Any], at: dt.datetime) -> list[Case]:
        """Complete a case; its outputs flow on. Return the cases that became ready."""
        self.cases[case_id].complete(outputs, at)
        self.data.update(outputs)
        return self._release(at)

    def end_case(self, case_id: str, reason: Text, at: dt.datetime) -> list[Case]:
        """Reject a case; block everything downstream of it. Return the blocked cases."""
        self.cases[case_id].reject(reason, at)
        return self._block_downstream(case_id, at)

    def _block_downstream(self, case_id: str, at: dt.datetime) -> list[Case]:
        blocked: list[Case] = []
        for case in self.cases.values():
            if case_id in case.upstream and case.state is CaseState.WAITING:
                case.block(_blocked_reason(self.cases[case_id]), at)
                blocked.append(case)
                blocked.extend(self._block_downstream(case.id, at))
        return blocked

    def withdraw(self, at: dt.datetime) -> list[Case]:
        """Withdraw every case that is not final; return them."""
        open_cases = [case for case in self.cases.values() if not case.final]
        for case in open_cases:
            case.withdraw(at)
        return open_cases

    @property
    def status(self) -> ApplicationStatus:
        """Derived from the cases; deferred cases do not hold the application open."""
        cases = list(self.cases.values())
        if any(c.state is CaseState.SUPPLEMENT_REQUESTED for c in cases):
            return ApplicationStatus.ACTION_REQUIRED
        if any(not c.final and not c.deferred for c in cases):
            return ApplicationStatus.IN_PROGRESS
        states = {c.state for c in cases if c.final}
        if states == {CaseState.WITHDRAWN}:
            return ApplicationStatus.WITHDRAWN
        if CaseState.COMPLETED not in states:
            return ApplicationStatus.REJECTED
        return (
            ApplicationStatus.COMPLETED
            if states <= {CaseState.COMPLETED}
            else ApplicationStatus.PARTIALLY_COMPLETED
        )


def open_application(
    plan: Plan, application_id: str, applicant: str, data: Mapping[str, Any], case_ids: Mapping[str, str]
) -> Application:
    """A new application for `plan`: one waiting case per planned item.

    `case_ids` maps each item code to the id of its case; upstream cases follow the plan's
    dependencies.
    """
    cases = {
        case_ids[item.code]: Case(
            case_ids[item.code],
            item.code,
            item.department,
            item.promised_days,
            upstream=tuple(case_ids[code] for code in item.depends_on),
            deferrable=item.deferrable,
        )
        for item in plan.items
    }
    return Application(application_id, plan.bundle.code, applicant, cases, dict(data))
