"""Department decisions on cases: accept (受理), complete (办结), reject, request a supplement.

Each decision loads the application, applies the domain transition, dispatches the cases it
made ready, and commits once; a concurrent change to the same application is retried.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from yijianshi.domain.cases import Application, Case, CaseState
from yijianshi.domain.text import Text
from yijianshi.services.audit.ports import audit_records
from yijianshi.services.cases.issuing import sign_certificates
from yijianshi.services.context import Context
from yijianshi.services.delivery.ports import AnswerCases, dispatch
from yijianshi.services.errors import ConcurrentUpdate, UnknownCase
from yijianshi.services.unit_of_work import UnitOfWork, Write

Change = Callable[[Application], list[Case]]


def apply_in(
    uow: UnitOfWork,
    context: Context,
    decisions: Sequence[tuple[str, Change]],
    actor: str = "system",
) -> None:
    """Apply decisions (case id, change) inside an open unit of work, without committing.

    The applications involved are loaded together; each is saved once, its dispatches and audit
    entries written with the others'. Raises UnknownCase, IllegalTransition, or ConcurrentUpdate
    when another transaction changed one of the applications since it was read.
    """
    for write in prepare_in(uow, context, decisions, actor):
        write()


def prepare_in(
    uow: UnitOfWork,
    context: Context,
    decisions: Sequence[tuple[str, Change]],
    actor: str = "system",
) -> list[Write]:
    """`apply_in` up to its writes: every read and all the work done, the writes prepared and
    returned in the order they must run (none has run yet)."""
    owners = uow.applications.get_many_by_cases([case_id for case_id, _ in decisions])
    changed: dict[str, Application] = {}
    dispatches = []
    for case_id, change in decisions:
        application = owners.get(case_id)
        if application is None:
            raise UnknownCase(case_id)
        dispatches += dispatch(
            context.catalog, application, change(application), context.clock.now(), context.ids
        )
        changed[application.id] = application
    records = {app.id: audit_records(app, actor) for app in changed.values()}
    # certificates of completed cases go into their holders' wallets
    certificates = sign_certificates(uow, context.catalog, changed.values(), actor)
    for app_id, issued in certificates.records.items():
        records[app_id] += issued
    # Every write comes after the work, rows included: a transaction holds its write locks (on
    # SQLite, the database's) only while its statements run. A concurrent change to an
    # application shows as a taken place in its trail or a changed version: ConcurrentUpdate
    # either way, raised by the write that finds it.
    return [
        uow.audit.prepare_many(records),
        uow.applications.prepare_save(list(changed.values())),
        uow.outbox.prepare_add(dispatches),
        uow.wallet.prepare_store(certificates.signed),
    ]


def decide(
    context: Context,
    case_id: str,
    change: Change,
    actor: str = "system",
    attempts: int = 20,
    also: Callable[[UnitOfWork], None] | None = None,
) -> None:
    """Apply one decision in its own transaction, retrying on a concurrent change; `also` writes
    more in the same transaction, after the decision (an applicant's supplement attaches its
    uploads so). The building block of the decisions below and of `actions`, not a use case."""
    for attempt in range(attempts):
        with context.unit_of_work() as uow:
            try:
                apply_in(uow, context, [(case_id, change)], actor)
                if also is not None:
                    also(uow)
            except ConcurrentUpdate:
                if attempt == attempts - 1:
                    raise
                continue
            uow.commit()
            return


@dataclass(frozen=True, slots=True)
class AcceptCase:
    """Command: 受理 case `case_id` (as the system)."""

    case_id: str


def accept_case(context: Context, command: AcceptCase) -> None:
    """受理: the department takes the case on; its time limit starts."""
    now, case_id = context.clock.now(), command.case_id

    def change(app: Application) -> list[Case]:
        app.case(case_id).accept(now)
        return []

    decide(context, case_id, change)


@dataclass(frozen=True, slots=True)
class CompleteCase:
    """Command: 办结 case `case_id` with `outputs` (as the system)."""

    case_id: str
    outputs: Mapping[str, Any]


def complete_case(context: Context, command: CompleteCase) -> None:
    """办结: outputs flow on and the cases they make ready are dispatched."""
    now, case_id, outputs = context.clock.now(), command.case_id, command.outputs
    decide(context, case_id, lambda app: app.complete_case(case_id, outputs, now))


def answer_change(context: Context, case_id: str, outputs: Mapping[str, Any]) -> Change:
    """A department's whole answer: accept if not yet accepted, then complete.

    An answer already applied (the case is final) changes nothing, so a replay after a crash
    is harmless. A building block of `answer_case` and `answer_cases`, not a use case.
    """
    now = context.clock.now()

    def change(app: Application) -> list[Case]:
        case = app.case(case_id)
        if case.final:
            return []
        if case.state is CaseState.SENT:
            case.accept(now)
        return app.complete_case(case_id, outputs, now)

    return change


@dataclass(frozen=True, slots=True)
class AnswerCase:
    """Command: apply a department's answer (`outputs`) to case `case_id`, as `actor`."""

    case_id: str
    outputs: Mapping[str, Any]
    actor: str = "system"


def answer_case(context: Context, command: AnswerCase) -> None:
    """Apply a department's answer in its own transaction."""
    case_id = command.case_id
    decide(context, case_id, answer_change(context, case_id, command.outputs), command.actor)


def answer_cases(context: Context, command: AnswerCases) -> None:
    """Apply many answers in one transaction (a group commit), loading their applications
    together; on a concurrent change to any of them, fall back to one transaction per answer.

    `also` prepares more writes for the same transaction, run after the answers' (the worker
    records the round's deliveries so); on the fall-back they run in a transaction of their own
    first. The command is the delivery area's (`delivery.ports.AnswerCases`): the worker makes it.
    """
    answers, actor, also = command.answers, command.actor, command.also
    with context.unit_of_work() as uow:
        try:
            writes = prepare_in(
                uow,
                context,
                [(case_id, answer_change(context, case_id, outputs)) for case_id, outputs in answers],
                actor,
            )
            if also is not None:
                writes += also(uow)
            for write in writes:
                write()
        except ConcurrentUpdate:
            pass
        else:
            uow.commit()
            return
    if also is not None:
        with context.unit_of_work() as uow:
            for write in also(uow):
                write()
            uow.commit()
    for case_id, outputs in answers:
        answer_case(context, AnswerCase(case_id, outputs, actor))


@dataclass(frozen=True, slots=True)
class RejectCase:
    """Command: refuse case `case_id` for `reason` (as the system)."""

    case_id: str
    reason: Text


def reject_case(context: Context, command: RejectCase) -> None:
    """Refuse a case; every case waiting for it is blocked."""
    now, case_id, reason = context.clock.now(), command.case_id, command.reason

    def change(app: Application) -> list[Case]:
        app.end_case(case_id, reason, now)
        return []

    decide(context, case_id, change)


@dataclass(frozen=True, slots=True)
class RequestSupplement:
    """Command: 补正 on case `case_id`: ask the applicant for `what` (as the system)."""

    case_id: str
    what: Text


def request_supplement(context: Context, command: RequestSupplement) -> None:
    """补正: ask the applicant for something; the clock stops."""
    now, case_id, what = context.clock.now(), command.case_id, command.what

    def change(app: Application) -> list[Case]:
        app.case(case_id).request_supplement(what, now)
        return []

    decide(context, case_id, change)


@dataclass(frozen=True, slots=True)
class Supplement:
    """Command: answer the supplement request of case `case_id` with `provided` (field values)."""

    case_id: str
    provided: Mapping[str, Any]


def supplement(context: Context, command: Supplement) -> None:
    """The applicant answers a supplement request; the clock resumes."""
    now, case_id, provided = context.clock.now(), command.case_id, command.provided

    def change(app: Application) -> list[Case]:
        app.case(case_id).supplement(provided, now)
        app.data.update(provided)
        return []

    decide(context, case_id, change)
