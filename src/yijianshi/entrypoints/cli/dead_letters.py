"""`yijianshi dead-letters list|replay`: dispatches that used their retry budget (死信)."""

from __future__ import annotations

import getpass
import json
import sys
from contextlib import closing
from typing import Annotated

import typer

from yijianshi.entrypoints.cli.common import DatabaseOption, ReportFormat, clear_errors, container, fail, out
from yijianshi.services.delivery.dead_letters import (
    ListDeadLetters,
    ReplayDeadLetter,
    ReplayDepartment,
    dead_letters,
    replay_dead_letter,
    replay_department,
)
from yijianshi.services.delivery.ports import DeadLetter
from yijianshi.services.errors import NoSuchDeadLetter

dead_letters_app = typer.Typer(
    help="Dead letters (死信): dispatches that did not reach their department.", no_args_is_help=True
)
DepartmentOption = Annotated[str | None, typer.Option("--department", help="Department code")]


def _as_dict(letter: DeadLetter) -> dict[str, object]:
    return {
        "event_id": letter.event_id,
        "application_id": letter.application_id,
        "case_id": letter.case_id,
        "item": letter.item,
        "department": letter.department,
        "attempts": letter.attempts,
        "last_error": letter.last_error,
        "dead_lettered_at": letter.dead_lettered_at.isoformat(),
    }


def _print(found: list[DeadLetter]) -> None:
    """Two plain lines per dead letter, whatever the terminal's width: what and why."""
    if not found:
        typer.echo("no dead letters 暂无死信")
        return
    typer.echo(
        f"{len(found)} dead letter(s) 死信, no more automatic attempts; "
        "replay with `yijianshi dead-letters replay EVENT_ID|--department CODE`"
    )
    for d in found:
        typer.echo(
            f"{d.dead_lettered_at.isoformat(timespec='seconds')}  {d.department}  {d.item}  "
            f"attempts {d.attempts}  event {d.event_id}  case {d.case_id}"
        )
        typer.echo(f"    last error 最后错误: {d.last_error}")


@dead_letters_app.command("list")
def dead_letters_list(
    department: DepartmentOption = None,
    database: DatabaseOption = None,
    format: Annotated[ReportFormat, typer.Option("--format")] = ReportFormat.table,
) -> None:
    """List dead letters (oldest first): department, case, attempts, last error, when."""
    with clear_errors(), closing(container(database=database)) as context:
        found = dead_letters(context.context, ListDeadLetters(department))
    if format is ReportFormat.json:
        sys.stdout.write(json.dumps([_as_dict(d) for d in found], ensure_ascii=False) + "\n")
    else:
        _print(found)


@dead_letters_app.command("replay")
def dead_letters_replay(
    event_id: Annotated[str | None, typer.Argument(help="The dead letter's event id")] = None,
    department: DepartmentOption = None,
    by: Annotated[str, typer.Option(help="Who replays, for the audit trail (default: the system user)")] = "",
    database: DatabaseOption = None,
) -> None:
    """Make one dead letter (EVENT_ID), or all of a department's (--department), pending again;
    the worker delivers them at once. Each replay is recorded in its application's audit trail."""
    if (event_id is None) == (department is None):
        fail(["name one dead letter (EVENT_ID) or one department (--department DEPARTMENT)"])
    actor = f"admin:{by or getpass.getuser()}"
    with clear_errors(), closing(container(database=database)) as context:
        try:
            replayed = (
                [replay_dead_letter(context.context, ReplayDeadLetter(actor, event_id))]
                if event_id
                else replay_department(context.context, ReplayDepartment(actor, department or ""))
            )
        except NoSuchDeadLetter as error:
            fail([f"error: {error}"])
    out.print(f"replayed {len(replayed)} dead letter(s) 已重投 {len(replayed)} 条死信", markup=False)
