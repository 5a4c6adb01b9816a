"""Routes for administrators: dead letters (死信), the dispatches that used their retry budget
without reaching their department, and their replay once the department's system is back."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel

from yijianshi.domain.accounts import Role
from yijianshi.entrypoints.api.deps import ContextDep
from yijianshi.entrypoints.api.security import Actor, who
from yijianshi.services.delivery.dead_letters import (
    ListDeadLetters,
    ReplayDeadLetter,
    ReplayDepartment,
    dead_letters,
    replay_dead_letter,
    replay_department,
)
from yijianshi.services.delivery.ports import DeadLetter

router = APIRouter(prefix="/api/admin/dead-letters", tags=["administrators"])
ADMIN = who(Role.ADMIN)
CODE = r"^[a-z0-9][a-z0-9_.-]*$"  # a department code, as the catalogue writes it
EventId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,64}$", description="The dead letter's event id")]


class DeadLetterPublic(BaseModel):
    event_id: str
    application_id: str
    case_id: str
    item: str
    department: str
    attempts: int
    last_error: str
    dead_lettered_at: dt.datetime
    created_at: dt.datetime


def _public(letter: DeadLetter) -> DeadLetterPublic:
    return DeadLetterPublic(
        event_id=letter.event_id,
        application_id=letter.application_id,
        case_id=letter.case_id,
        item=letter.item,
        department=letter.department,
        attempts=letter.attempts,
        last_error=letter.last_error,
        dead_lettered_at=letter.dead_lettered_at,
        created_at=letter.created_at,
    )


@router.get("", **ADMIN)
def list_dead_letters(
    context: ContextDep,
    department: Annotated[
        str | None, Query(description="Only this department's dead letters", pattern=CODE, max_length=100)
    ] = None,
) -> list[DeadLetterPublic]:
    """Dispatches no longer attempted, with why the last attempt failed; the oldest first."""
    return [_public(d) for d in dead_letters(context, ListDeadLetters(department))]


@router.post("/replay", **ADMIN)
def replay_all_of_department(
    context: ContextDep,
    actor: Actor,
    department: Annotated[
        str, Query(description="The department whose dead letters to replay", pattern=CODE, max_length=100)
    ],
) -> list[DeadLetterPublic]:
    """Make every dead letter of a department pending again (attempts kept); each replay is
    recorded in its application's audit trail. Returns them as they were."""
    return [_public(d) for d in replay_department(context, ReplayDepartment(actor.actor, department))]


@router.post("/{event_id}/replay", **ADMIN)
def replay(event_id: EventId, context: ContextDep, actor: Actor) -> DeadLetterPublic:
    """Make one dead letter pending again, due at once (attempts kept); the replay is recorded in
    its application's audit trail. Returns it as it was; 404 when no dead letter has this id."""
    return _public(replay_dead_letter(context, ReplayDeadLetter(actor.actor, event_id)))
