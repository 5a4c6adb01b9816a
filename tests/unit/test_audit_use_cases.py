"""The audit area's use case (services/audit/verification.py) on the fake context: `yijianshi
audit verify` tells an intact trail from one edited, cut short or made unreadable by hand, and
names the entry where it breaks. The in-memory store keeps each entry as the text a database
row holds, so a test edits that text as someone with database access would."""

from __future__ import annotations

import json

from tests.fakes import NOW, fake_context
from yijianshi.adapters.memory.database import MemoryDatabase
from yijianshi.adapters.synthetic_people import SyntheticPeople
from yijianshi.domain import audit
from yijianshi.domain.accounts import Principal, Role
from yijianshi.domain.planning import Holdings, build_plan
from yijianshi.services.applications.queries import ViewApplication, application_view
from yijianshi.services.applications.submission import SubmitApplication, submit_application
from yijianshi.services.audit.verification import LogCheck, VerifyAuditTrails, verify_audit
from yijianshi.services.context import Context


def submitted(context: Context, applicant: str = "parent-1") -> str:
    """The id of a new birth application of `applicant`, read once by them (a trail of a few entries)."""
    plan = build_plan(
        context.catalog, context.catalog.bundles["birth"], {}, Holdings(), context.calendar, NOW.date()
    )
    values = SyntheticPeople(context.catalog, seed=0).form_values(plan, NOW.date())
    application_id = submit_application(
        context, SubmitApplication("birth", applicant, "k", values)
    ).application_id
    application_view(
        context, ViewApplication(Principal(applicant, Role.APPLICANT, ""), applicant, application_id)
    )
    return application_id


def stored(database: MemoryDatabase, application_id: str) -> list[str]:
    return list(database.committed.audit_logs[application_id])


def store(database: MemoryDatabase, application_id: str, entries: list[str]) -> None:
    database.committed.audit_logs[application_id] = tuple(entries)


def test_an_untouched_trail_verifies_entry_by_entry() -> None:
    context = fake_context()
    application_id = submitted(context)
    (check,) = verify_audit(context, VerifyAuditTrails(application_id))
    with context.unit_of_work() as uow:
        entries = len(uow.audit.log(application_id))
    assert check == LogCheck(application_id, entries, audit.VerifyResult())
    assert check.result.ok
    assert entries >= 3


def test_without_an_application_every_trail_is_verified_including_the_applicants_own() -> None:
    context = fake_context()
    first, second = submitted(context, "parent-1"), submitted(context, "parent-2")
    with context.unit_of_work() as uow:
        uow.audit.record("applicant:parent-1", [audit.AuditRecord("org.yijianshi.test", NOW, "system")])
        uow.commit()
    checks = verify_audit(context, VerifyAuditTrails())
    assert sorted(c.application_id for c in checks) == sorted([first, second, "applicant:parent-1"])
    assert all(c.result.ok for c in checks)


def test_an_entry_edited_by_hand_is_named_with_its_id() -> None:
    database = MemoryDatabase()
    context = fake_context(database=database)
    application_id = submitted(context)
    entries = stored(database, application_id)
    edited = json.loads(entries[1])
    edited["actor"] = "applicant:someone-else"
    store(database, application_id, [entries[0], json.dumps(edited), *entries[2:]])

    (check,) = verify_audit(context, VerifyAuditTrails(application_id))
    assert (check.result.index, check.result.event_id) == (1, edited["id"])
    assert audit.Break.CHANGED in check.result.breaks


def test_a_trail_cut_short_is_caught_against_its_head() -> None:
    database = MemoryDatabase()
    context = fake_context(database=database)
    application_id = submitted(context)
    entries = stored(database, application_id)
    store(database, application_id, entries[:-1])

    (check,) = verify_audit(context, VerifyAuditTrails(application_id))
    assert check.entries == len(entries) - 1
    assert check.result.index == len(entries) - 1
    assert check.result.breaks == (audit.Break.TRUNCATED,)


def test_an_entry_edited_into_something_unreadable_is_reported_not_raised() -> None:
    database = MemoryDatabase()
    context = fake_context(database=database)
    application_id = submitted(context)
    entries = stored(database, application_id)
    store(database, application_id, [entries[0], "{not json", *entries[2:]])

    (check,) = verify_audit(context, VerifyAuditTrails(application_id))
    assert check.entries == len(entries)  # as many as the head says there are
    assert (check.result.index, check.result.event_id, check.result.breaks) == (
        1,
        None,
        (audit.Break.CHANGED,),
    )
    assert "not JSON" in check.result.detail
    other = submitted(context, "parent-2")
    assert [c.result.ok for c in verify_audit(context, VerifyAuditTrails()) if c.application_id == other] == [
        True
    ]


def test_an_application_without_a_trail_verifies_as_empty() -> None:
    (check,) = verify_audit(fake_context(), VerifyAuditTrails("no-such-application"))
    assert check == LogCheck("no-such-application", 0, audit.VerifyResult())
