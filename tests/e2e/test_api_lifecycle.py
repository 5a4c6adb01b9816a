"""A newborn's application through the API, from the form to the rating, as each role sees it."""

from __future__ import annotations

import random
import uuid
from typing import Any

from tests.certificates import certificate
from tests.e2e.conftest import MOTHER_ID, PASSWORD, Api, department_account
from yijianshi.adapters.departments.outputs import item_outputs
from yijianshi.adapters.synthetic_people import SyntheticPeople
from yijianshi.domain.accounts import Role
from yijianshi.domain.issuance import CertificateIssue
from yijianshi.services.accounts.local_accounts import CreateAccount, create_account
from yijianshi.services.planning import PlanBundle, plan_bundle


def filled_form(api: Api) -> dict[str, str]:
    context = api.container.context
    plan = plan_bundle(context, PlanBundle("birth", api.clock.today()))
    values = SyntheticPeople(context.catalog, seed=7).form_values(plan, api.clock.today())
    values["mother.id_number"] = MOTHER_ID
    return values


def submit(api: Api, account: str = "mother", key: str | None = None, **headers: str) -> Any:
    return api.as_(
        account,
        "POST",
        "/api/applications",
        json={"bundle": "birth", "values": filled_form(api)},
        headers={"Idempotency-Key": key or uuid.uuid4().hex, **headers},
    )


def supplement_requested(api: Api, zh: str, en: str) -> tuple[str, dict[str, Any], str]:
    """A birth submitted for the mother whose first case its department accepted and then asked a
    supplement of: the application id, the case (as the applicant's API shows it) and the
    department's staff account."""
    application_id = submit(api).json()["id"]
    cases = api.as_("mother", "GET", f"/api/applications/{application_id}").json()["cases"]
    case = next(c for c in cases if c["state"] == "sent")
    staff = department_account(case["department"])
    api.as_(staff, "POST", f"/api/department/cases/{case['id']}/accept")
    asked = api.as_(
        staff, "POST", f"/api/department/cases/{case['id']}/supplement-request", json={"zh": zh, "en": en}
    )
    assert asked.status_code == 204, asked.text
    return application_id, case, staff


def work_every_case(api: Api, application_id: str) -> None:
    """Each department accepts and completes what reached it, until nothing is left open."""
    catalog, rng = api.container.catalog, random.Random(1)
    for _ in range(10):
        cases = api.as_("mother", "GET", f"/api/applications/{application_id}").json()["cases"]
        sent = [c for c in cases if c["state"] == "sent"]
        if not sent:
            return
        for case in sent:
            staff = department_account(case["department"])
            detail = api.as_(staff, "GET", f"/api/department/cases/{case['id']}").json()
            assert api.as_(staff, "POST", f"/api/department/cases/{case['id']}/accept").status_code == 204
            outputs = item_outputs(
                catalog, catalog.items[case["item"]], detail["fields"], api.clock.today(), rng
            )
            done = api.as_(
                staff, "POST", f"/api/department/cases/{case['id']}/complete", json={"outputs": outputs}
            )
            assert done.status_code == 204, done.text


def test_a_newborn_application_is_done_by_every_department_and_rated(api: Api) -> None:
    bundles = api.client.get("/api/bundles").json()
    assert "birth" in {b["code"] for b in bundles}
    form = api.as_("mother", "POST", "/api/bundles/birth/form", json={"people": {"mother": MOTHER_ID}}).json()
    prefilled = {f["key"]: f["value"] for f in form["fields"]}
    assert prefilled["mother.id_number"] == MOTHER_ID

    key = uuid.uuid4().hex
    first = submit(api, key=key)
    assert first.status_code == 201, first.text
    again = submit(api, key=key)
    assert again.status_code == 200
    assert again.json() == {"id": first.json()["id"], "created": False}
    application_id = first.json()["id"]

    shown = api.as_("mother", "GET", f"/api/applications/{application_id}").json()
    assert len(shown["cases"]) == 7
    assert {c["state"] for c in shown["cases"]} == {"sent", "waiting"}
    work_every_case(api, application_id)

    done = api.as_("mother", "GET", f"/api/applications/{application_id}").json()
    assert done["status"] == "completed"
    assert {c["state"] for c in done["cases"]} == {"completed"}
    first_item = next(c for c in done["cases"] if c["item"] == "birth-medical-certificate")
    assert first_item["outputs"]["child.birth_medical_certificate_no"]
    assert [a["id"] for a in api.as_("mother", "GET", "/api/applications").json()] == [application_id]

    rated = api.as_(
        "mother",
        "POST",
        f"/api/applications/{application_id}/rating",
        json={"level": "very_dissatisfied", "comment": "等了太久"},
    )
    assert rated.status_code == 201, rated.text
    assert rated.json()["rectification_due"] == "2026-03-23"  # 15 working days after Monday 2 March
    twice = api.as_(
        "mother", "POST", f"/api/applications/{application_id}/rating", json={"level": "satisfied"}
    )
    assert twice.status_code == 409
    lead = api.container.catalog.bundles["birth"].lead_department
    (task,) = api.as_(department_account(lead), "GET", "/api/department/rectifications").json()
    replied = api.as_(
        department_account(lead),
        "POST",
        f"/api/department/rectifications/{task['id']}/reply",
        json={"reply": "已整改：增加了窗口人员"},
    )
    assert replied.json()["status"] == "replied"
    seen = api.as_("mother", "GET", f"/api/applications/{application_id}/rating").json()
    assert seen["reply"] == "已整改：增加了窗口人员"
    stats = api.as_("admin", "GET", "/api/admin/statistics").json()
    assert stats["applications"] == {"birth": {"completed": 1}}
    assert stats["cases_completed"] == 7
    assert stats["ratings"]["very_dissatisfied"] == 1


def test_a_clerk_submits_for_an_identified_applicant_and_the_trail_says_assisted(api: Api) -> None:
    refused = submit(api, "clerk")
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "X-On-Behalf-Of"
    made = submit(api, "clerk", **{"X-On-Behalf-Of": "mother"})
    assert made.status_code == 201
    application_id = made.json()["id"]
    seen = api.as_("mother", "GET", "/api/applications").json()
    assert [a["id"] for a in seen] == [application_id]
    viewed = api.as_(
        "clerk", "GET", f"/api/applications/{application_id}", headers={"X-On-Behalf-Of": "mother"}
    )
    assert viewed.status_code == 200
    with api.container.unit_of_work() as uow:
        log = uow.audit.log(application_id)
    (submitted,) = [e for e in log if e.type == "org.yijianshi.application.submitted"]
    assert (submitted.actor, submitted.data["applicant"], submitted.data["assisted"]) == (
        "clerk:clerk",
        "mother",
        True,
    )
    reads = [e for e in log if e.type == "org.yijianshi.personal_data.read"]
    assert reads[-1].actor == "clerk:clerk"
    assert reads[-1].data["on_behalf_of"] == "mother"
    assert "窗口代办" in reads[-1].purpose


def test_a_supplement_request_is_answered_and_the_item_goes_on(api: Api) -> None:
    application_id, case, staff = supplement_requested(api, "请补充新生儿姓名", "Add the child's name")
    status = api.as_("mother", "GET", f"/api/applications/{application_id}").json()
    assert status["status"] == "action_required"
    fields = api.as_(staff, "GET", f"/api/department/cases/{case['id']}").json()["fields"]
    key = next(iter(fields))
    bad = api.as_(
        "mother",
        "POST",
        f"/api/applications/{application_id}/cases/{case['id']}/supplement",
        json={"values": {"no.such.field": "x"}},
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "values.no.such.field"
    answered = api.as_(
        "mother",
        "POST",
        f"/api/applications/{application_id}/cases/{case['id']}/supplement",
        json={"values": {key: fields[key]}},
    )
    assert answered.status_code == 204, answered.text
    after = api.as_("mother", "GET", f"/api/applications/{application_id}").json()
    assert after["status"] == "in_progress"
    assert next(c for c in after["cases"] if c["id"] == case["id"])["state"] == "accepted"


def test_a_supplement_adds_the_material_the_department_asked_for(api: Api) -> None:
    application_id, case, staff = supplement_requested(api, "请补充分娩记录", "Add the delivery record")
    url = f"/api/applications/{application_id}/cases/{case['id']}/supplement"
    nothing = api.as_("mother", "POST", url, json={})
    assert nothing.status_code == 422
    assert nothing.json()["errors"][0]["field"] == "values"
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    uploaded = api.as_(
        "mother",
        "POST",
        "/api/materials",
        data={"material": "delivery_record:mother"},
        files={"file": ("record.pdf", pdf, "application/pdf")},
    )
    assert uploaded.status_code == 201, uploaded.text
    upload_id = uploaded.json()["id"]
    not_asked = api.as_("mother", "POST", url, json={"materials": {"marriage_certificate:mother": upload_id}})
    assert not_asked.status_code == 422
    assert not_asked.json()["errors"][0]["field"] == "materials.marriage_certificate:mother"
    answered = api.as_("mother", "POST", url, json={"materials": {"delivery_record:mother": upload_id}})
    assert answered.status_code == 204, answered.text
    assert (
        api.as_("mother", "POST", url, json={"materials": {"delivery_record:mother": upload_id}}).status_code
        == 409
    )  # answered: no supplement pending any more
    detail = api.as_(staff, "GET", f"/api/department/cases/{case['id']}").json()
    [record] = [m for m in detail["materials"] if m["key"] == "delivery_record:mother"]
    assert upload_id in [u["id"] for u in record["uploads"]]
    download = api.as_(staff, "GET", f"/api/department/cases/{case['id']}/materials/{upload_id}")
    assert download.status_code == 200
    assert download.content == pdf
    after = api.as_("mother", "GET", f"/api/applications/{application_id}").json()
    assert next(c for c in after["cases"] if c["id"] == case["id"])["state"] == "accepted"
    with api.container.unit_of_work() as uow:
        [event] = [e for e in uow.audit.log(application_id) if e.type == "org.yijianshi.case.supplemented"]
    assert event.data["materials"] == ["delivery_record:mother"]


def test_the_mother_downloads_her_childs_certificates_and_anyone_can_verify_them(api: Api) -> None:
    application_id = submit(api).json()["id"]
    work_every_case(api, application_id)
    wallet = api.as_("mother", "GET", "/api/certificates")
    assert wallet.status_code == 200, wallet.text
    assert wallet.json() == []  # issued to the child, not to the mother
    with api.container.unit_of_work() as uow:
        application = uow.applications.get(application_id)
    assert application is not None
    child = application.data["child.id_number"]
    create_account(
        api.container.identity,
        CreateAccount("child-guardian", "监护人", Role.APPLICANT, PASSWORD, id_number=child),
    )
    held = api.as_("child-guardian", "GET", "/api/certificates").json()
    assert {c["certificate_type"] for c in held} >= {"birth_medical_certificate"}
    identifier = held[0]["identifier"]
    file = api.as_("child-guardian", "GET", f"/api/certificates/{identifier}").json()
    assert api.as_("mother", "GET", f"/api/certificates/{identifier}").status_code == 404
    checked = api.client.post("/api/certificates/verify", json=file).json()
    assert checked == {"valid": True, "identifier": identifier, "problem": None, "problem_zh": None}
    file["certificate"]["holder"] = "张冒名"
    tampered = api.client.post("/api/certificates/verify", json=file).json()
    assert tampered["valid"] is False
    assert tampered["problem"]


def test_a_certificate_in_the_wallet_is_not_asked_for_again(api: Api) -> None:
    card = certificate(
        holder=MOTHER_ID,
        data={"name": "林晓梅", "id_number": MOTHER_ID, "sex": "2", "birth_date": "1990-03-07"},
    )
    with api.container.unit_of_work() as uow:
        uow.wallet.issue(
            [
                CertificateIssue(
                    card, "earlier-application", "earlier-case", "resident-id-card", api.clock.now()
                )
            ]
        )
        uow.commit()
    before = api.as_("mother", "POST", "/api/bundles/birth/plan", json={}).json()
    after = api.as_(
        "mother", "POST", "/api/bundles/birth/plan", json={"people": {"mother": MOTHER_ID}}
    ).json()

    def mother_card(plan: dict[str, Any]) -> str:
        (material,) = [
            m
            for m in plan["materials"]
            if m["certificate"] == "resident_id_card" and m["subject"] == "mother"
        ]
        return str(material["source"])

    assert mother_card(before) == "applicant"
    assert mother_card(after) == "certificate"
    assert after["metrics"]["after"]["materials"] == before["metrics"]["after"]["materials"] - 1
    form = api.as_("mother", "POST", "/api/bundles/birth/form", json={"people": {"mother": MOTHER_ID}}).json()
    name = next(f for f in form["fields"] if f["key"] == "mother.name")
    assert (name["prefill"], name["value"]) == ("certificate", "林晓梅")
