"""No leak: every role × department × item × field, through lists, details, counts and errors.

One newborn application is worked to completion; then every department user asks for every
case, every applicant and clerk for the application, and each answer is checked for personal
values the asker may not see.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from tests.e2e.conftest import Api, department_account
from tests.e2e.test_api_lifecycle import filled_form, work_every_case
from yijianshi.domain.catalog import PersonalData

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
NAMES = ("欧阳春晓", "司马秋实", "上官明月", "诸葛长风", "东方晨曦", "慕容雪松")


@pytest.fixture
def finished(api: Api) -> tuple[str, dict[str, str]]:
    """A completed application whose names are unique markers; its id and personal values."""
    values, names = filled_form(api), iter(NAMES)
    for key in sorted(values):
        if key.endswith(".name") and key != "household.head_name":
            values[key] = next(names)
    made = api.as_(
        "mother",
        "POST",
        "/api/applications",
        json={"bundle": "birth", "values": values},
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )
    assert made.status_code == 201, made.text
    work_every_case(api, made.json()["id"])
    with api.container.unit_of_work() as uow:
        application = uow.applications.get(made.json()["id"])
    assert application is not None
    elements = api.container.catalog.elements
    personal = {
        k: str(v)
        for k, v in application.data.items()
        if k in elements and elements[k].personal is not PersonalData.NONE and len(str(v)) >= 4
    }
    return application.id, personal


def leaked(text: str, personal: dict[str, str], allowed: set[str]) -> list[str]:
    """Keys whose values appear in `text` although not allowed (unless an allowed field holds the
    same value). Dates are left out: answers show deadlines and submission times by design, so a
    birth date on the same day would match; the `fields` keys are checked for them instead."""
    allowed_values = {personal[k] for k in allowed if k in personal}
    return [
        k
        for k, v in personal.items()
        if k not in allowed and v not in allowed_values and v in text and not ISO_DATE.fullmatch(v)
    ]


def test_each_department_sees_only_its_cases_and_only_its_items_fields(
    api: Api, finished: tuple[str, dict[str, str]]
) -> None:
    application_id, personal = finished
    catalog = api.container.catalog
    cases = api.as_("mother", "GET", f"/api/applications/{application_id}").json()["cases"]
    nowhere = api.as_(department_account("ruian-psb"), "GET", f"/api/department/cases/{uuid.uuid4().hex}")
    checked = 0
    for department in catalog.departments:
        staff = department_account(department)
        own = [c for c in cases if c["department"] == department]
        listing = api.as_(staff, "GET", "/api/department/cases")
        assert sorted(w["case"]["id"] for w in listing.json()) == sorted(c["id"] for c in own)
        own_outputs = {k for c in own for k in c["outputs"]}
        assert leaked(listing.text, personal, own_outputs) == [], department
        for case in cases:
            detail = api.as_(staff, "GET", f"/api/department/cases/{case['id']}")
            if case["department"] != department:
                assert (detail.status_code, detail.json()) == (404, nowhere.json()), (
                    department,
                    case["item"],
                )
                continue
            declared = {f.key for f in catalog.items[case["item"]].fields}
            assert detail.status_code == 200
            assert set(detail.json()["fields"]) <= declared
            assert leaked(detail.text, personal, declared | set(case["outputs"])) == [], case["item"]
            checked += 1
    assert checked == len(cases) == 7


def test_another_applicant_and_a_clerk_for_them_learn_nothing(
    api: Api, finished: tuple[str, dict[str, str]]
) -> None:
    application_id, personal = finished
    missing = api.as_("other", "GET", f"/api/applications/{uuid.uuid4().hex}")
    for account, headers in (("other", {}), ("clerk", {"X-On-Behalf-Of": "other"})):
        seen = api.as_(account, "GET", f"/api/applications/{application_id}", headers=headers)
        assert (seen.status_code, seen.json()) == (404, missing.json())
        listing = api.as_(account, "GET", "/api/applications", headers=headers)
        assert listing.json() == []
        for action in ("withdraw", "rating"):
            body: dict[str, Any] = {"level": "satisfied"} if action == "rating" else {}
            tried = api.as_(
                account, "POST", f"/api/applications/{application_id}/{action}", json=body, headers=headers
            )
            assert (tried.status_code, tried.json()) == (404, missing.json())
    stats = api.as_("admin", "GET", "/api/admin/statistics")
    assert leaked(stats.text, personal, set()) == []


def test_every_refused_read_is_in_the_audit_trail(api: Api, finished: tuple[str, dict[str, str]]) -> None:
    application_id, _ = finished
    api.as_("other", "GET", f"/api/applications/{application_id}")
    cases = api.as_("mother", "GET", f"/api/applications/{application_id}").json()["cases"]
    foreign = next(d for d in api.container.catalog.departments if d != cases[0]["department"])
    api.as_(department_account(foreign), "GET", f"/api/department/cases/{cases[0]['id']}")
    with api.container.unit_of_work() as uow:
        reads = [e for e in uow.audit.log(application_id) if e.type == "org.yijianshi.personal_data.read"]
    refused = {(e.actor, e.data["result"]) for e in reads if e.data["result"] == "refused"}
    assert refused == {
        ("applicant:other", "refused"),
        (f"department:{department_account(foreign)}", "refused"),
    }
    assert all(e.purpose for e in reads)
