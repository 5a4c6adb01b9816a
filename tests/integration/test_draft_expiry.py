"""Drafts left unsubmitted, and the materials uploaded for them, are deleted after the retention
time; what an application uses, and what a recent draft may still use, stays. Each deletion is
recorded in the applicant's trail."""

import datetime as dt
from functools import partial

from sqlalchemy import Engine

from tests.clock import FixedClock
from tests.integration.test_submit import CALENDAR, CATALOG, NOW, birth_values
from yijianshi.adapters.departments.simulated import SimulatedDepartment
from yijianshi.adapters.sql.unit_of_work import SqlUnitOfWork
from yijianshi.bootstrap import assemble_worker
from yijianshi.services.applications.drafts import (
    DRAFT_EXPIRED,
    UPLOAD_DELETED,
    Expired,
    ExpireDrafts,
    expire_drafts,
)
from yijianshi.services.applications.ports import Draft, Upload
from yijianshi.services.applications.submission import SubmitApplication, submit_application
from yijianshi.services.audit.ports import trail
from yijianshi.services.context import Context, Policy

KEPT = dt.timedelta(days=30)
KEPT_POLICY = Policy(draft_retention_days=KEPT.days)
OLD = NOW - dt.timedelta(days=31)
RECENT = NOW - dt.timedelta(days=2)


def upload(upload_id: str, applicant: str, at: dt.datetime, application_id: str | None = None) -> Upload:
    return Upload(
        upload_id,
        applicant,
        "birth_medical_certificate",
        f"{upload_id}.pdf",
        "application/pdf",
        9,
        "0" * 64,
        applicant,
        at,
        application_id,
    )


def store(engine: Engine, drafts: list[Draft], uploads: list[Upload]) -> None:
    with SqlUnitOfWork(engine) as uow:
        for draft in drafts:
            uow.drafts.put(draft)
        for made in uploads:
            uow.uploads.add(made, b"%PDF-1.4\n")
        uow.commit()


def test_stale_drafts_and_their_uploads_go_and_everything_still_in_use_stays(engine: Engine) -> None:
    clock = FixedClock(NOW)
    context = Context(CATALOG, CALENDAR, partial(SqlUnitOfWork, engine), clock, policy=KEPT_POLICY)
    submitted = submit_application(context, SubmitApplication("birth", "submitted", "k", birth_values()))
    store(
        engine,
        [
            Draft("gone", "birth", materials={"m": "u-gone"}, updated_at=OLD),
            Draft("back", "birth", updated_at=OLD),  # an old draft of one bundle...
            Draft("back", "death", updated_at=RECENT),  # ...and a recent one of another
        ],
        [
            upload("u-gone", "gone", OLD),
            upload("u-back", "back", OLD),  # an old upload of an applicant still at work: kept
            upload("u-new", "new", RECENT),  # recent, no draft yet (the draft is saved next): kept
            upload("u-used", "submitted", OLD, submitted.application_id),  # attached: the application's
        ],
    )
    expired = expire_drafts(context, ExpireDrafts())

    assert (expired.drafts, expired.uploads) == (2, 1)
    with SqlUnitOfWork(engine) as uow:
        assert uow.drafts.get("gone", "birth") is None
        assert uow.drafts.get("back", "birth") is None
        assert uow.drafts.get("back", "death") is not None
        assert uow.uploads.get("u-gone") is None
        assert uow.uploads.content("u-gone") is None
        kept = ("u-back", "u-new", "u-used")
        assert [u for u in kept if uow.uploads.get(u)] == list(kept)
        gone = uow.audit.log(trail("gone"))
        back = uow.audit.log(trail("back"))
    assert [e.type for e in gone] == [DRAFT_EXPIRED, UPLOAD_DELETED]
    assert gone[0].data["bundle"] == "birth"
    assert gone[1].data["upload"] == "u-gone"
    assert "filename" not in gone[1].data  # what identifies the file, not what it says
    assert [e.type for e in back] == [DRAFT_EXPIRED]
    assert expire_drafts(context, ExpireDrafts()) == Expired(0, 0)  # nothing left to expire


def test_the_first_worker_expires_drafts_with_its_time_limit_checks(engine: Engine) -> None:
    clock = FixedClock(NOW)
    context = Context(CATALOG, CALENDAR, partial(SqlUnitOfWork, engine), clock, policy=KEPT_POLICY)
    store(engine, [Draft("gone", "birth", updated_at=OLD)], [upload("u-gone", "gone", OLD)])
    department = SimulatedDepartment(engine, CATALOG, clock.now)
    assemble_worker(context, department, department, expiring_drafts=True).run_once()
    with SqlUnitOfWork(engine) as uow:
        assert uow.drafts.get("gone", "birth") is None
        assert uow.uploads.get("u-gone") is None
