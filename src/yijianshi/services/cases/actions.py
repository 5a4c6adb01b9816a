"""What applicants and department staff do to cases through the API and the pages.

Applicants (or clerks for them) answer supplement requests and withdraw; department staff
accept, request a supplement, complete and reject their own department's cases. Every change
goes through `decisions.decide` (one transaction, audited, retried on a concurrent change) with
the actor named; another department's case is refused as if it did not exist.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from yijianshi.domain.accounts import Principal, Role
from yijianshi.domain.cases import Application, Case, CaseState
from yijianshi.domain.catalog import Catalog
from yijianshi.domain.forms import validate_form
from yijianshi.domain.planning import MergedField
from yijianshi.domain.problems import Problem
from yijianshi.domain.text import Text
from yijianshi.services.access import department_case, owned_application
from yijianshi.services.cases.decisions import decide
from yijianshi.services.context import Context
from yijianshi.services.errors import Conflict, FormInvalid, Invalid, NotFound, OutputsInvalid
from yijianshi.services.unit_of_work import UnitOfWork


def _actor(actor: Principal, applicant: str) -> str:
    """Clerks act for an applicant (无差别受理): both are named in the trail."""
    return f"{actor.actor} for applicant:{applicant}" if actor.role is Role.CLERK else actor.actor


@dataclass(frozen=True, slots=True)
class SupplementCase:
    """Command: `actor` (the applicant, or a clerk for them) answers the supplement request of
    case `case_id` of `applicant`'s application with field `values` and `materials` (material
    key -> id of an upload of the applicant's)."""

    actor: Principal
    applicant: str
    application_id: str
    case_id: str
    values: Mapping[str, str]
    materials: Mapping[str, str] = field(default_factory=dict)


def supplement_case(context: Context, command: SupplementCase) -> None:
    """补正: add or correct fields of the case's item, and add materials it asks for (attached to
    the application in the same transaction); its clock resumes. Raise NotFound (not the
    applicant's), Conflict (no supplement pending), Invalid (nothing given, a field or material
    the item does not have), FormInvalid or UploadsUnavailable."""
    actor, applicant, application_id = command.actor, command.applicant, command.application_id
    case_id, values, materials = command.case_id, command.values, dict(command.materials)
    with context.unit_of_work() as uow:
        application, _ = owned_application(uow, application_id, applicant)
    case = application.cases.get(case_id)
    if case is None:
        raise NotFound(Text("没有这个办件", "no such case"))
    if case.state is not CaseState.SUPPLEMENT_REQUESTED:
        raise Conflict(Text("该事项没有待补正的内容", "this item has no supplement request pending"))
    item = context.catalog.items[case.item]
    if not values and not materials:
        raise Invalid(Text("请填写或上传部门要求补正的内容", "give what the department asked for"), "values")
    unknown = sorted(set(values) - {f.key for f in item.fields})
    if unknown:
        raise Invalid(
            Text(f"该事项没有字段 {unknown[0]}", f"the item has no field {unknown[0]}"),
            f"values.{unknown[0]}",
        )
    asked = {m.key for m in item.materials}
    strange = sorted(set(materials) - asked)
    if strange:
        raise Invalid(
            Text(f"该事项不需要材料 {strange[0]}", f"the item asks for no material {strange[0]}"),
            f"materials.{strange[0]}",
        )
    elements = context.catalog.elements
    fields = tuple(
        MergedField(k, elements[k].label if k in elements else Text(k, k), (case.item,), True, None)
        for k in values
    )
    errors = [e for e in validate_form(fields, elements, dict(values)) if not e.warning]
    if errors:
        raise FormInvalid(errors)
    now = context.clock.now()

    def change(app: Application) -> list[Case]:
        app.case(case_id).supplement(dict(values), now, materials)
        app.data.update(values)
        return []

    def attach(uow: UnitOfWork) -> None:
        uow.uploads.attach([(application_id, applicant, materials)])

    decide(context, case_id, change, _actor(actor, applicant), also=attach if materials else None)


@dataclass(frozen=True, slots=True)
class WithdrawApplication:
    """Command: `actor` (the applicant, or a clerk for them) withdraws `applicant`'s application."""

    actor: Principal
    applicant: str
    application_id: str


def withdraw_application(context: Context, command: WithdrawApplication) -> None:
    """Withdraw every open case. Raise NotFound (not theirs) or Conflict (nothing left open)."""
    actor, applicant = command.actor, command.applicant
    with context.unit_of_work() as uow:
        application, _ = owned_application(uow, command.application_id, applicant)
    open_cases = [c for c in application.cases.values() if not c.final]
    if not open_cases:
        raise Conflict(Text("申请已经办结，不能撤回", "the application is finished; nothing to withdraw"))
    now = context.clock.now()
    # withdraw() returns the cases it stopped, not cases to dispatch: the change dispatches none
    decide(context, open_cases[0].id, lambda app: _then_none(app.withdraw, now), _actor(actor, applicant))


@dataclass(frozen=True, slots=True)
class DecideCase:
    """Command: department staff `actor` decides case `case_id` of their department: `action` is
    accept | request_supplement (with `text`: what to supplement) | complete (with `outputs`) |
    reject (with `text`: the reason)."""

    actor: Principal
    case_id: str
    action: str
    text: Text | None = None
    outputs: Mapping[str, Any] | None = None


def department_decision(context: Context, command: DecideCase) -> None:
    """Apply the decision on a case of the actor's own department. Raise NotFound for another
    department's case, OutputsInvalid for a completion missing an output its item declares or with
    a malformed one, and IllegalTransition for a case whose state does not allow the action."""
    actor, case_id, action, text, outputs = (
        command.actor,
        command.case_id,
        command.action,
        command.text,
        command.outputs,
    )
    with context.unit_of_work() as uow:
        _, case = department_case(uow, case_id, actor.department or "")
    if action == "complete" and case.state is CaseState.ACCEPTED:  # else the transition is refused
        problems = output_problems(context.catalog, case.item, outputs or {})
        if problems:
            raise OutputsInvalid(problems)
    now = context.clock.now()
    changes = {
        "accept": lambda app: _then_none(app.case(case_id).accept, now),
        "request_supplement": lambda app: _then_none(app.case(case_id).request_supplement, text, now),
        "complete": lambda app: app.complete_case(case_id, dict(outputs or {}), now),
        # end_case returns the cases it blocked: nothing to dispatch
        "reject": lambda app: _then_none(app.end_case, case_id, text, now),
    }
    decide(context, case_id, changes[action], actor.actor)


def output_problems(catalog: Catalog, item: str, outputs: Mapping[str, Any]) -> list[Problem[str]]:
    """What is wrong with the outputs of a completion of `item`: each data element the item
    declares as output must be given and valid (a resident ID number passes its GB 11643 check
    character); other keys (certificate numbers) pass as they are. Warnings are not problems."""
    elements = catalog.elements
    fields = tuple(
        MergedField(k, elements[k].label if k in elements else Text(k, k), (item,), True, None)
        for k in catalog.items[item].outputs
    )
    values = {k: "" if v is None else str(v) for k, v in outputs.items()}
    return [e for e in validate_form(fields, elements, values) if not e.warning]


def _then_none(transition: Any, *args: Any) -> list[Case]:
    transition(*args)
    return []
