"""Uploads and drafts: an upload is its applicant's until a submission attaches it; drafts and
unattached uploads expire, on every backend."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib

import pytest

from tests.contracts.conftest import UnitOfWorkFactory
from tests.contracts.samples import NOW, application, new_id, stored
from yijianshi.services.applications.ports import Draft, Upload
from yijianshi.services.errors import UploadsUnavailable

CARD = "resident_id_card:mother"
DAY = dt.timedelta(days=1)


def uploaded(
    unit_of_work: UnitOfWorkFactory, applicant: str = "parent-1", material: str = CARD, at: dt.datetime = NOW
) -> Upload:
    content = f"%PDF-1.7 {new_id('content')}".encode()
    upload = Upload(
        new_id("upload"),
        applicant,
        material,
        "身份证.pdf",
        "application/pdf",
        len(content),
        hashlib.sha256(content).hexdigest(),
        applicant,
        at,
    )
    with unit_of_work() as uow:
        uow.uploads.add(upload, content)
        uow.commit()
    return upload


def test_an_upload_reads_back_with_its_content(unit_of_work: UnitOfWorkFactory) -> None:
    upload = uploaded(unit_of_work)
    with unit_of_work() as uow:
        assert uow.uploads.get(upload.id) == upload
        content = uow.uploads.content(upload.id)
        assert uow.uploads.get("none") is None
        assert uow.uploads.content("none") is None
    assert content is not None
    assert hashlib.sha256(content).hexdigest() == upload.sha256


def test_an_applicant_removes_only_their_own_unattached_upload(unit_of_work: UnitOfWorkFactory) -> None:
    mine, attached = uploaded(unit_of_work), uploaded(unit_of_work)
    app = stored(unit_of_work(), application("parent-1"))
    with unit_of_work() as uow:
        uow.uploads.attach([(app.id, "parent-1", {CARD: attached.id})])
        uow.commit()
    with unit_of_work() as uow:
        assert not uow.uploads.remove(mine.id, "parent-2")
        assert not uow.uploads.remove(attached.id, "parent-1")
        assert not uow.uploads.remove("none", "parent-1")
        assert uow.uploads.remove(mine.id, "parent-1")
        uow.commit()
    with unit_of_work() as uow:
        assert uow.uploads.get(mine.id) is None
        assert uow.uploads.get(attached.id) is not None


def test_attached_uploads_belong_to_the_application(unit_of_work: UnitOfWorkFactory) -> None:
    card, other = uploaded(unit_of_work), uploaded(unit_of_work, material="name:出生医学证明")
    app = stored(unit_of_work(), application("parent-1"))
    with unit_of_work() as uow:
        uow.uploads.attach([(app.id, "parent-1", {CARD: card.id, "name:出生医学证明": other.id})])
        uow.commit()
    with unit_of_work() as uow:
        found = uow.uploads.of_application(app.id)
        assert uow.uploads.of_application("other") == []
    assert {u.id for u in found} == {card.id, other.id}
    assert all(u.application_id == app.id for u in found)


@pytest.mark.parametrize("problem", ["another applicant's", "of another material", "attached already"])
def test_an_upload_that_is_not_the_applicants_to_use_is_unavailable(
    unit_of_work: UnitOfWorkFactory, problem: str
) -> None:
    upload = uploaded(unit_of_work, "parent-2" if problem == "another applicant's" else "parent-1")
    first, second = stored(unit_of_work(), application("parent-1")), stored(unit_of_work(), application())
    material = "name:出生医学证明" if problem == "of another material" else CARD
    if problem == "attached already":
        with unit_of_work() as uow:
            uow.uploads.attach([(first.id, "parent-1", {CARD: upload.id})])
            uow.commit()
    with unit_of_work() as uow, pytest.raises(UploadsUnavailable) as raised:
        uow.uploads.attach([(second.id, "parent-1", {material: upload.id})])
    assert raised.value.field == f"materials.{material}"


def test_expiry_removes_old_unattached_uploads_of_applicants_without_a_draft(
    unit_of_work: UnitOfWorkFactory,
) -> None:
    old = uploaded(unit_of_work, "parent-1", at=NOW - 3 * DAY)
    new = uploaded(unit_of_work, "parent-1", at=NOW)
    drafting = uploaded(unit_of_work, "parent-2", at=NOW - 3 * DAY)
    used = uploaded(unit_of_work, "parent-3", at=NOW - 3 * DAY)
    app = stored(unit_of_work(), application("parent-3"))
    with unit_of_work() as uow:
        uow.uploads.attach([(app.id, "parent-3", {CARD: used.id})])
        uow.drafts.put(Draft("parent-2", "birth", updated_at=NOW))
        uow.commit()
    with unit_of_work() as uow:
        expired = uow.uploads.expire(NOW - DAY)
        uow.commit()
    assert expired == [old]
    with unit_of_work() as uow:
        assert [uow.uploads.get(u.id) is not None for u in (old, new, drafting, used)] == [
            False,
            True,
            True,
            True,
        ]


def test_uploads_are_kept_only_when_committed(unit_of_work: UnitOfWorkFactory) -> None:
    upload = uploaded(unit_of_work)
    with unit_of_work() as uow:
        assert uow.uploads.remove(upload.id, "parent-1")
    with unit_of_work() as uow:
        assert uow.uploads.get(upload.id) == upload


DRAFT = Draft(
    "parent-1",
    "birth",
    answers={"mother_insurance": "none"},
    people={"mother": "11010519491231002X"},
    values={"mother.name": "李秀英"},
    materials={CARD: "upload-1"},
    steps=frozenset({"people", "form"}),
    idempotency_key="key-1",
    updated_at=NOW,
)


def test_a_draft_reads_back_as_it_was_put(unit_of_work: UnitOfWorkFactory) -> None:
    with unit_of_work() as uow:
        uow.drafts.put(DRAFT)
        uow.commit()
    with unit_of_work() as uow:
        assert uow.drafts.get("parent-1", "birth") == DRAFT
        assert uow.drafts.get("parent-1", "marriage") is None
        assert uow.drafts.get("parent-2", "birth") is None


def test_a_draft_put_again_replaces_the_earlier_one(unit_of_work: UnitOfWorkFactory) -> None:
    later = dataclasses.replace(DRAFT, values={}, steps=frozenset(), updated_at=NOW + DAY)
    with unit_of_work() as uow:
        uow.drafts.put(DRAFT)
        uow.drafts.put(later)
        uow.commit()
    with unit_of_work() as uow:
        assert uow.drafts.get("parent-1", "birth") == later


def test_a_draft_without_a_time_is_stamped_when_put(unit_of_work: UnitOfWorkFactory) -> None:
    with unit_of_work() as uow:
        uow.drafts.put(dataclasses.replace(DRAFT, updated_at=None))
        found = uow.drafts.get("parent-1", "birth")
    assert found is not None
    assert found.updated_at is not None
    assert abs(found.updated_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)


def test_deleted_drafts_are_gone(unit_of_work: UnitOfWorkFactory) -> None:
    with unit_of_work() as uow:
        uow.drafts.put(DRAFT)
        uow.drafts.put(dataclasses.replace(DRAFT, bundle="marriage"))
        uow.commit()
    with unit_of_work() as uow:
        uow.drafts.delete([("parent-1", "birth"), ("parent-9", "birth")])
        uow.commit()
    with unit_of_work() as uow:
        assert uow.drafts.get("parent-1", "birth") is None
        assert uow.drafts.get("parent-1", "marriage") is not None


def test_drafts_last_changed_before_a_time_expire(unit_of_work: UnitOfWorkFactory) -> None:
    stale = dataclasses.replace(DRAFT, updated_at=NOW - 31 * DAY)
    fresh = dataclasses.replace(DRAFT, bundle="marriage", updated_at=NOW)
    with unit_of_work() as uow:
        uow.drafts.put(stale)
        uow.drafts.put(fresh)
        uow.commit()
    with unit_of_work() as uow:
        assert uow.drafts.expire(NOW - 30 * DAY) == [stale]
        uow.commit()
    with unit_of_work() as uow:
        assert uow.drafts.get("parent-1", "birth") is None
        assert uow.drafts.get("parent-1", "marriage") == fresh
