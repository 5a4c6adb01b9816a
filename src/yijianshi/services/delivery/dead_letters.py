"""Dead letters (死信): dispatches that used their retry budget without reaching their department.

An administrator lists them (department, case, attempts, last error, when) and, once the
department's system is back, replays one or all of a department's: each becomes pending again,
due at once, its attempts kept (so one more failure dead-letters it again). Every replay is
written to the application's audit trail with the administrator as actor.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from yijianshi.domain.audit import AuditRecord
from yijianshi.services.context import Context
from yijianshi.services.delivery.ports import DeadLetter
from yijianshi.services.errors import NoSuchDeadLetter
from yijianshi.services.unit_of_work import retried_on_conflict

REPLAYED = "org.yijianshi.dispatch.replayed"


@dataclass(frozen=True, slots=True)
class ListDeadLetters:
    """Command: list the dead letters of `department`, or of all (None)."""

    department: str | None = None


def dead_letters(context: Context, command: ListDeadLetters) -> list[DeadLetter]:
    """Every dead letter, or one department's; the oldest dead letter first."""
    with context.unit_of_work() as uow:
        return uow.outbox.dead_letters(command.department)


@dataclass(frozen=True, slots=True)
class ReplayDeadLetter:
    """Command: `actor` (an administrator) replays the dead letter of dispatch `event_id`."""

    actor: str
    event_id: str


def replay_dead_letter(context: Context, command: ReplayDeadLetter) -> DeadLetter:
    """Make one dead letter pending again; return it as it was. Raise NoSuchDeadLetter."""
    replayed = _replay(context, command.actor, event_id=command.event_id)
    if not replayed:
        raise NoSuchDeadLetter(command.event_id)
    return replayed[0]


@dataclass(frozen=True, slots=True)
class ReplayDepartment:
    """Command: `actor` (an administrator) replays every dead letter of `department`."""

    actor: str
    department: str


def replay_department(context: Context, command: ReplayDepartment) -> list[DeadLetter]:
    """Make every dead letter of `department` pending again; return them as they were (none: [])."""
    return _replay(context, command.actor, department=command.department)


@retried_on_conflict
def _replay(
    context: Context, actor: str, department: str | None = None, event_id: str | None = None
) -> list[DeadLetter]:
    now = context.clock.now()
    with context.unit_of_work() as uow:
        found = uow.outbox.dead_letters(department, event_id)
        uow.outbox.replay([d.event_id for d in found], now)
        uow.audit.record_many(_records(found, actor, now))
        uow.commit()
    return found


def _records(found: Sequence[DeadLetter], actor: str, now: dt.datetime) -> dict[str, list[AuditRecord]]:
    records: dict[str, list[AuditRecord]] = defaultdict(list)
    for letter in found:
        records[letter.application_id].append(
            AuditRecord(
                REPLAYED,
                now,
                actor,
                letter.case_id,
                {
                    "event_id": letter.event_id,
                    "department": letter.department,
                    "attempts": letter.attempts,
                    "last_error": letter.last_error,
                },
            )
        )
    return records
