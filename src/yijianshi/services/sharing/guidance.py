"""Plan and pre-fill for one applicant: what government already holds is used, not asked for.

The people an application concerns (mother, father, applicant) are named by resident ID number;
their wallets' valid certificates become the plan's holdings (a material they satisfy is not
asked for) and pre-fill fields, and the registers pre-fill the rest they know. Every read is
recorded with its purpose (申请事由) in the applicant's trail, `applicant:<account>`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from yijianshi.domain.planning import Holdings, Plan
from yijianshi.services.audit.ports import trail
from yijianshi.services.context import Context
from yijianshi.services.planning import PlanBundle, plan_bundle
from yijianshi.services.sharing.certificates import HeldCertificates, ReadWallets, read_wallets, resident
from yijianshi.services.sharing.ports import Registers
from yijianshi.services.sharing.registers import PrefillFromRegisters, prefill_from_registers

PURPOSE = "办理“一件事”申请，预填表单、免交已有材料 (to plan a one-thing application and pre-fill its form)"


@dataclass(frozen=True, slots=True)
class Guided:
    plan: Plan
    values: dict[str, str]  # pre-filled field values: certificates first, then registers
    holdings: Holdings


def _people(people: Mapping[str, str]) -> dict[str, str]:
    return {subject: code.strip().upper() for subject, code in people.items() if code.strip()}


def _read(context: Context, actor: str, applicant: str, named: Mapping[str, str]) -> HeldCertificates | None:
    if not named:
        return None
    return read_wallets(
        context,
        ReadWallets({s: resident(code) for s, code in named.items()}, PURPOSE, actor, trail(applicant)),
    )


@dataclass(frozen=True, slots=True)
class GuideApplicant:
    """Command: plan `bundle` for `applicant` with their `answers` to its guidance questions and
    the `people` it concerns (subject -> resident ID number), as `actor`; with `prefill`, also
    pre-fill the form from the registers and the wallets."""

    actor: str
    applicant: str
    bundle: str
    answers: Mapping[str, str] = field(default_factory=dict)
    people: Mapping[str, str] = field(default_factory=dict)
    prefill: bool = True


def guide(context: Context, command: GuideApplicant, registers: Registers) -> Guided:
    """The plan for these answers and people, and (with `prefill`) the values government holds,
    asked of `registers` (the port the shared registers are reached through, not part of the
    context). Raises UnknownBundle, InvalidAnswers, InvalidPurpose."""
    actor, applicant = command.actor, command.applicant
    named = _people(command.people)
    today = context.clock.today()
    held = _read(context, actor, applicant, named)
    holdings = held.holdings if held else Holdings()
    plan = plan_bundle(context, PlanBundle(command.bundle, today, command.answers, holdings))
    values: dict[str, str] = {}
    if command.prefill and named:
        values = prefill_from_registers(
            context, PrefillFromRegisters(plan, named, PURPOSE, actor, trail(applicant)), registers
        )
        values.update(held.values(plan) if held else {})
    for subject, code in named.items():
        if any(f.key == f"{subject}.id_number" for f in plan.fields):
            values.setdefault(f"{subject}.id_number", code)
    return Guided(plan, values, holdings)
