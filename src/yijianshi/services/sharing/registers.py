"""Use cases of shared registers: pre-fill a merged form from them, seed the local ones.

Each lookup states its purpose (申请事由) and is recorded in the audit trail of the application
it serves, with the registers the plan names, the elements asked and those answered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from yijianshi.domain.audit import AuditRecord
from yijianshi.domain.planning import Plan
from yijianshi.domain.registers import Population, Purpose
from yijianshi.domain.sharing import register_requests, register_values
from yijianshi.services.audit.ports import masked
from yijianshi.services.context import Context
from yijianshi.services.sharing.certificates import READ
from yijianshi.services.sharing.ports import PopulationSource, Registers, RegisterStore, Seeded
from yijianshi.services.unit_of_work import retried_on_conflict


@dataclass(frozen=True, slots=True)
class PrefillFromRegisters:
    """Command: the values registers hold for `plan`'s register-prefilled fields.

    `people` maps the subject each person plays on the form (mother, retiree, applicant) to their
    resident ID number; `household` may name any member of the household. `trail` is the audit
    log the uses are recorded in: the application they serve.
    """

    plan: Plan
    people: Mapping[str, str]
    purpose: str
    actor: str
    trail: str


@retried_on_conflict
def prefill_from_registers(
    context: Context, command: PrefillFromRegisters, registers: Registers
) -> dict[str, str]:
    """Field key -> value for every register-prefilled field one of `registers` (the port the
    shared registers are asked through, not part of the context) knows; the others stay for the
    applicant. One audit record per person looked up, committed before the values are returned.
    Raises InvalidPurpose (nothing is looked up) for an empty or too long purpose."""
    purpose = Purpose(command.purpose)
    refs = {f.key: f.prefill.ref for f in command.plan.fields if f.prefill is not None}
    found: dict[str, str] = {}
    records = []
    for subject, keys in register_requests(command.plan.fields).items():
        id_number = command.people.get(subject, "").strip().upper()
        if not id_number:
            continue
        answer = registers.lookup(id_number, subject, keys, purpose)
        found.update(answer)
        records.append(
            AuditRecord(
                READ,
                context.clock.now(),
                command.actor,
                data={
                    "source": "registers",
                    "registers": sorted({refs[key] for key in keys}),
                    "subject": subject,
                    "holder_code": masked(id_number),
                    "asked": keys,
                    "answered": sorted(answer),
                },
                purpose=purpose.text,
            )
        )
    if records:
        with context.unit_of_work() as uow:
            uow.audit.record(command.trail, records)
            uow.commit()
    return register_values(command.plan.fields, found)


Progress = Callable[[int, int], None]  # (residents written, residents in all)


def seed_registers(
    store: RegisterStore, population: PopulationSource, residents: int, progress: Progress = lambda *_: None
) -> Seeded:
    """Replace the local registers' content with `residents` synthetic residents, their
    households and marriages; seeding again replaces, it never adds."""

    def counted() -> Iterator[Population]:
        done = 0
        for chunk in population.generate(residents):
            yield chunk
            done += len(chunk.residents)
            progress(done, residents)

    return store.replace(counted())
