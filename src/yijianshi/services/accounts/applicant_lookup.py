"""What window clerks learn when they identify an applicant, in the applicant's own trail.

A clerk's search shows names and masked ID numbers of the applicants it finds: a read of personal
data, recorded in each applicant's trail (`applicant:<account>`, as the reads made while planning
for them) with the clerk as actor and the purpose. A registration at the window is recorded there
as well.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from yijianshi.domain.accounts import Principal
from yijianshi.domain.audit import AuditRecord
from yijianshi.services.accounts.ports import Account
from yijianshi.services.audit.ports import trail
from yijianshi.services.context import Context
from yijianshi.services.unit_of_work import retried_on_conflict

READ = "org.yijianshi.personal_data.read"
REGISTERED = "org.yijianshi.account.registered"
PURPOSE = "窗口代办：查找并确认申请人 (a window clerk identifies the applicant)"


@dataclass(frozen=True, slots=True)
class RecordLookup:
    """Command: record that clerk `actor`, searching by `searched_by`, was shown the accounts `found`."""

    actor: Principal
    searched_by: str
    found: Sequence[Account]


@retried_on_conflict
def record_lookup(context: Context, command: RecordLookup) -> None:
    """One read in each found applicant's trail: who searched, by what, and that they were shown."""
    actor, searched_by, found = command.actor, command.searched_by, command.found
    if not found:
        return
    now = context.clock.now()
    with context.unit_of_work() as uow:
        uow.audit.record_many(
            {
                trail(account.account): [
                    AuditRecord(
                        READ,
                        now,
                        actor.actor,
                        account.account,
                        {
                            "source": "accounts",
                            "searched_by": searched_by,
                            "result": "shown",
                            "role": actor.role.value,
                        },
                        purpose=PURPOSE,
                    )
                ]
                for account in found
            }
        )
        uow.commit()


@dataclass(frozen=True, slots=True)
class RecordRegistration:
    """Command: record that clerk `actor` registered `account` at the window."""

    actor: Principal
    account: Account


@retried_on_conflict
def record_registration(context: Context, command: RecordRegistration) -> None:
    """One entry in the registered applicant's trail, with the clerk as actor."""
    actor, account = command.actor, command.account
    now = context.clock.now()
    with context.unit_of_work() as uow:
        uow.audit.record(
            trail(account.account),
            [
                AuditRecord(
                    REGISTERED,
                    now,
                    actor.actor,
                    account.account,
                    {"role": account.role.value},
                    purpose=PURPOSE,
                )
            ],
        )
        uow.commit()
