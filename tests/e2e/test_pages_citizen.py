"""The citizen pages through HTTP (TestClient), on SQLite and PostgreSQL: a newborn's seven items
from the guidance questions to the rating, done by the mother or by a window clerk for her, with
uploaded materials, the draft kept between pages, and one application per submission."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from tests.e2e.conftest import MOTHER_ID, Api, department_account
from tests.e2e.pages import csrf_of, log_in
from tests.e2e.test_api_lifecycle import filled_form, submit, supplement_requested

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
ANSWERS = {1: "yes", 2: "employee", 3: "yes"}  # hukou_local, mother_insurance, social_security_card
MATERIALS = re.compile(r'name="material" value="([^"]+)"')
REFERENCE = re.compile(r'data-testid="reference">([0-9a-f]{32})<')


def answer_questions(api: Api, base: str, token: str) -> None:
    for number, option in ANSWERS.items():
        done = api.client.post(
            f"{base}/events/birth/questions/{number}",
            data={"csrf": token, "answer": option},
            follow_redirects=False,
        )
        assert done.status_code == 303, done.text
    assert done.headers["location"] == f"{base}/events/birth/people"


def fill_in(api: Api, base: str, token: str) -> dict[str, str]:
    """People, plan and a valid form; return the form values."""
    values = filled_form(api)
    named = api.client.post(
        f"{base}/events/birth/people",
        follow_redirects=False,
        data={"csrf": token, "person.mother": MOTHER_ID, "person.father": values["father.id_number"]},
    )
    assert named.headers["location"] == f"{base}/events/birth/plan"
    assert api.client.get(f"{base}/events/birth/plan").status_code == 200
    done = api.client.post(
        f"{base}/events/birth/form", data={"csrf": token, **values}, follow_redirects=False
    )
    assert done.status_code == 303, done.text
    return values


def upload_all(api: Api, base: str, token: str) -> list[str]:
    page = api.client.get(f"{base}/events/birth/materials").text
    keys = list(dict.fromkeys(MATERIALS.findall(page)))
    for key in keys:
        done = api.client.post(
            f"{base}/events/birth/materials/upload",
            data={"csrf": token, "material": key},
            files={"file": ("scan.pdf", PDF, "application/pdf")},
            follow_redirects=False,
        )
        assert done.status_code == 303, done.text
    assert (
        api.client.post(
            f"{base}/events/birth/materials", data={"csrf": token}, follow_redirects=False
        ).headers["location"]
        == f"{base}/events/birth/check"
    )
    return keys


def submit_from_check(api: Api, base: str, token: str) -> tuple[str, str]:
    """Render the check page, submit it; return (idempotency key, application id)."""
    check = api.client.get(f"{base}/events/birth/check")
    assert check.status_code == 200, check.text
    key = re.search(r'name="idempotency_key" value="([^"]+)"', check.text)
    assert key
    done = api.client.post(
        f"{base}/events/birth/check",
        data={"csrf": token, "idempotency_key": key.group(1)},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    location = done.headers["location"]
    found = re.fullmatch(rf"{re.escape(base)}/applications/([0-9a-f]+)/confirmation", location)
    assert found, done.headers["location"]
    return key.group(1), found.group(1)


def apply_through_pages(api: Api, account: str, base: str = "") -> str:
    token = log_in(api.client, account)
    answer_questions(api, base, token)
    fill_in(api, base, token)
    upload_all(api, base, token)
    return submit_from_check(api, base, token)[1]


def trail(api: Api, application_id: str) -> list[Any]:
    with api.container.unit_of_work() as uow:
        return uow.audit.log(application_id)


def test_a_newborn_is_applied_for_through_the_pages_from_questions_to_rating(api: Api) -> None:
    client = api.client
    token = log_in(client, "mother")
    start = client.get("/events/birth")
    assert 'data-testid="start"' in start.text
    assert "/events/birth/questions/1" in start.text
    unanswered = client.post("/events/birth/questions/1", data={"csrf": token})
    assert unanswered.status_code == 422
    assert 'href="#field-answer"' in unanswered.text
    assert 'id="answer-error"' in unanswered.text
    answer_questions(api, "", token)

    people = client.get("/events/birth/people").text
    assert f'value="{MOTHER_ID}"' in people  # the applicant's own ID number, pre-filled
    wrong = client.post("/events/birth/people", data={"csrf": token, "person.mother": "330381199003070024"})
    assert wrong.status_code == 422
    assert 'id="person.mother-error"' in wrong.text
    values = filled_form(api)
    client.post(
        "/events/birth/people",
        data={"csrf": token, "person.mother": MOTHER_ID, "person.father": values["father.id_number"]},
    )
    plan = client.get("/events/birth/plan").text
    assert plan.count('data-testid="plan-item"') == 7
    assert plan.count('data-testid="not-needed-material"') == 7  # upstream or held by a register
    assert plan.count('data-testid="needed-material"') == 5
    assert "Delivery record" in plan.split('data-testid="not-needed"')[1].split("You will need")[0]
    assert "Item by item you would fill in 5 forms with 57 fields" in plan

    form = client.get("/events/birth/form").text
    assert f'name="mother.id_number" value="{MOTHER_ID}"' in form
    empty = client.post(
        "/events/birth/form",
        data={"csrf": token, "child.name": "", "father.name": "王强", "mother.phone": "12345"},
    )
    assert empty.status_code == 422
    assert 'href="#field-child.name"' in empty.text
    assert 'id="child.name-error"' in empty.text
    assert 'id="mother.phone-error"' in empty.text
    assert 'aria-invalid="true"' in empty.text
    assert 'name="father.name" value="王强"' in empty.text  # what was typed is kept
    assert (
        client.post("/events/birth/form", data={"csrf": token, **values}, follow_redirects=False).headers[
            "location"
        ]
        == "/events/birth/materials"
    )

    blocked = client.post("/events/birth/materials", data={"csrf": token})
    assert blocked.status_code == 422
    assert blocked.text.count('class="error-message"') == 5
    uploaded = upload_all(api, "", token)
    assert len(uploaded) == 5
    assert client.get("/events/birth/materials").text.count('data-testid="uploaded"') == 5

    _key, application_id = submit_from_check(api, "", token)
    confirmation = client.get(f"/applications/{application_id}/confirmation").text
    assert REFERENCE.search(confirmation).group(1) == application_id  # type: ignore[union-attr]
    assert 'data-testid="receipt-link"' not in confirmation
    with api.container.unit_of_work() as uow:
        attached = uow.uploads.of_application(application_id)
        assert uow.drafts.get("mother", "birth") is None  # deleted with the submission
    assert sorted(u.material for u in attached) == sorted(uploaded)

    api.container.worker().run_until_idle()
    status = client.get(f"/applications/{application_id}").text
    assert status.count('data-testid="case-line"') == 7
    assert status.count('data-state="completed"') == 7
    assert 'data-testid="outputs"' in status
    assert "Birth medical certificate number" in status
    link = re.search(r'href="(/applications/[^"]+/certificates/[^"]+)"', status)
    assert link, "a completed item links its certificate"
    certificate = client.get(link.group(1))
    assert certificate.status_code == 200
    assert certificate.json()["format"] == "yijianshi.certificate/1"
    partial = client.get(f"/_partials/applications/{application_id}/status")
    assert partial.status_code == 200
    assert "<html" not in partial.text
    assert "hx-get" not in partial.text

    no_level = client.post(f"/applications/{application_id}/rating", data={"csrf": token, "comment": "快"})
    assert no_level.status_code == 422
    assert 'id="level-error"' in no_level.text
    rated = client.post(
        f"/applications/{application_id}/rating",
        follow_redirects=True,
        data={"csrf": token, "level": "very_satisfied", "comment": "很快"},
    )
    assert 'data-testid="rating-given"' in rated.text
    assert "very satisfied" in rated.text
    mine = client.get("/applications").text
    assert mine.count('data-testid="application-row"') == 1


def test_a_department_downloads_only_the_uploads_its_item_asks_for(api: Api) -> None:
    application_id = apply_through_pages(api, "mother")
    api.container.worker().run_until_idle()
    with api.container.unit_of_work() as uow:
        application = uow.applications.get(application_id)
        uploads = {u.material: u for u in uow.uploads.of_application(application_id)}
    assert application is not None
    household = next(c for c in application.cases.values() if c.item == "birth-household-registration")
    hospital = next(c for c in application.cases.values() if c.item == "birth-medical-certificate")
    marriage = uploads["marriage_certificate:couple"]
    log_in(api.client, department_account(household.department))
    detail = api.as_(department_account(household.department), "GET", f"/api/department/cases/{household.id}")
    shown = {m["key"]: [u["id"] for u in m["uploads"]] for m in detail.json()["materials"]}
    assert shown["marriage_certificate:couple"] == [marriage.id]
    by_api = api.as_(
        department_account(household.department),
        "GET",
        f"/api/department/cases/{household.id}/materials/{marriage.id}",
    )
    assert by_api.status_code == 200
    assert by_api.content == PDF
    log_in(api.client, department_account(household.department))
    got = api.client.get(f"/department/cases/{household.id}/materials/{marriage.id}")
    assert got.status_code == 200
    assert got.content == PDF
    assert got.headers["content-type"] == "application/pdf"
    log_in(api.client, department_account(hospital.department))
    refused = api.client.get(f"/department/cases/{hospital.id}/materials/{marriage.id}")
    assert refused.status_code == 404
    reads = [e for e in trail(api, application_id) if e.data.get("upload") == marriage.id]
    assert [e.data["result"] for e in reads] == ["shown", "shown", "refused"]


def test_a_double_submit_makes_one_application(api: Api) -> None:
    token = log_in(api.client, "mother")
    answer_questions(api, "", token)
    fill_in(api, "", token)
    upload_all(api, "", token)
    key, application_id = submit_from_check(api, "", token)
    again = api.client.post(
        "/events/birth/check", data={"csrf": token, "idempotency_key": key}, follow_redirects=False
    )
    assert again.headers["location"] == f"/applications/{application_id}/confirmation"
    assert [a["id"] for a in api.as_("mother", "GET", "/api/applications").json()] == [application_id]


def test_another_applicants_application_is_not_found(api: Api) -> None:
    application_id = submit(api).json()["id"]
    log_in(api.client, "other")
    for path in ("", "/confirmation", "/rating", "/withdraw"):
        page = api.client.get(f"/applications/{application_id}{path}")
        assert page.status_code == 404, path
        assert 'data-testid="error-detail"' in page.text
    assert api.client.get(f"/_partials/applications/{application_id}/status").status_code == 404


def test_a_clerk_applies_for_the_mother_and_the_trail_names_the_clerk(api: Api) -> None:
    base = "/clerk/for/mother"
    application_id = apply_through_pages(api, "clerk", base)
    confirmation = api.client.get(f"{base}/applications/{application_id}/confirmation").text
    assert "Acting for 林晓梅" in confirmation
    assert f'href="{base}/applications/{application_id}/receipt.pdf"' in confirmation
    assert 'data-testid="receipt-link"' in confirmation
    assert "Acting for 林晓梅" in api.client.get(f"{base}/applications/{application_id}").text
    (submitted,) = [e for e in trail(api, application_id) if e.type == "org.yijianshi.application.submitted"]
    assert (submitted.actor, submitted.data["applicant"], submitted.data["assisted"]) == (
        "clerk:clerk",
        "mother",
        True,
    )
    with api.container.unit_of_work() as uow:
        assert {u.uploaded_by for u in uow.uploads.of_application(application_id)} == {"clerk:clerk"}
    assert api.client.get("/clerk/for/admin/events/birth/form").status_code == 404
    assert api.client.get("/events/birth/form").status_code == 403  # a clerk names the applicant
    log_in(api.client, "mother")
    assert api.client.get(f"{base}/events/birth/form").status_code == 403
    assert [a["id"] for a in api.as_("mother", "GET", "/api/applications").json()] == [application_id]


def test_a_supplement_request_is_answered_on_the_status_page(api: Api) -> None:
    application_id, case, _ = supplement_requested(api, "请补充新生儿姓名", "Add the child's name")
    token = log_in(api.client, "mother")
    page = api.client.get(f"/applications/{application_id}").text
    assert "Add the child&#39;s name" in page
    assert 'data-testid="supplement"' in page
    assert f'hx-get="/_partials/applications/{application_id}/status?since=' in page  # refreshed while open
    names = re.findall(rf'name="({case["id"]}\.[^"]+)" type="text" value="([^"]*)"', page)
    assert names
    cleared = {name: "" for name, _ in names}
    empty = api.client.post(
        f"/applications/{application_id}/cases/{case['id']}/supplement", data={"csrf": token, **cleared}
    )
    assert empty.status_code == 422
    assert 'class="error-message"' in empty.text
    filled = dict(names)
    done = api.client.post(
        f"/applications/{application_id}/cases/{case['id']}/supplement",
        data={"csrf": token, **filled},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    after = api.as_("mother", "GET", f"/api/applications/{application_id}").json()
    assert next(c for c in after["cases"] if c["id"] == case["id"])["state"] == "accepted"

    log_in(api.client, "mother")  # api.as_ calls with a bearer token only, and cleared the session
    confirm = api.client.get(f"/applications/{application_id}/withdraw")
    assert 'data-testid="confirm-withdraw"' in confirm.text
    api.client.post(f"/applications/{application_id}/withdraw", data={"csrf": csrf_of(confirm.text)})
    assert api.as_("mother", "GET", f"/api/applications/{application_id}").json()["status"] == "withdrawn"


def test_a_supplement_on_the_status_page_can_add_a_file(api: Api) -> None:
    application_id, case, _ = supplement_requested(api, "请补充分娩记录", "Add the delivery record")
    token = log_in(api.client, "mother")
    page = api.client.get(f"/applications/{application_id}").text
    assert 'enctype="multipart/form-data"' in page
    inputs = dict(re.findall(rf'name="({case["id"]}\.material\.\d+)" value="([^"]+)"', page))
    [(key_field, key)] = [(f, k) for f, k in inputs.items() if k == "delivery_record:mother"]
    file_field = key_field.replace(".material.", ".file.")
    assert f'name="{file_field}" type="file"' in page
    url = f"/applications/{application_id}/cases/{case['id']}/supplement"
    wrong = api.client.post(
        url,
        data={"csrf": token, key_field: key},
        files={file_field: ("record.pdf", b"not a pdf", "application/pdf")},
    )
    assert wrong.status_code == 415
    assert f'id="{file_field}-error"' in wrong.text  # beside its input
    with api.container.unit_of_work() as uow:
        assert uow.uploads.of_application(application_id) == []
    done = api.client.post(
        url,
        data={"csrf": token, key_field: key},
        files={file_field: ("record.pdf", PDF, "application/pdf")},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    with api.container.unit_of_work() as uow:
        attached = uow.uploads.of_application(application_id)
    assert [(u.material, u.filename) for u in attached] == [("delivery_record:mother", "record.pdf")]
    after = api.as_("mother", "GET", f"/api/applications/{application_id}").json()
    assert next(c for c in after["cases"] if c["id"] == case["id"])["state"] == "accepted"


def test_an_upload_of_the_wrong_type_or_too_big_is_refused_with_a_message(api: Api) -> None:
    token = log_in(api.client, "mother")
    answer_questions(api, "", token)
    fill_in(api, "", token)
    key = MATERIALS.findall(api.client.get("/events/birth/materials").text)[0]

    def upload(name: str, content: bytes, kind: str) -> Any:
        return api.client.post(
            "/events/birth/materials/upload",
            data={"csrf": token, "material": key},
            files={"file": (name, content, kind)},
        )

    text = upload("notes.pdf", b"just some text", "application/pdf")
    assert text.status_code == 415
    assert "only PDF, JPEG or PNG files can be uploaded" in text.text
    assert 'id="material-1-error"' in text.text
    disguised = upload("photo.pdf", PNG, "application/pdf")
    assert disguised.status_code == 415
    assert "says it is PDF but its content is PNG" in disguised.text
    context = api.container.context  # the limit use cases apply is the context's policy
    api.container.context = dataclasses.replace(
        context, policy=dataclasses.replace(context.policy, upload_max_bytes=1024)
    )
    big = upload("big.pdf", PDF + b"0" * 2048, "application/pdf")
    assert big.status_code == 413
    assert "the file is larger than 1 KB" in big.text
    with api.container.unit_of_work() as uow:
        assert uow.drafts.get("mother", "birth").materials == {}  # type: ignore[union-attr]
    api.client.cookies.clear()
    token_api = api.login("mother")
    refused = api.client.post(
        "/api/materials",
        headers=token_api,
        data={"material": key},
        files={"file": ("x.png", b"GIF89a....", "image/png")},
    )
    assert refused.status_code == 415
    assert refused.json()["errors"][0]["field"] == "file"


def test_the_same_page_in_english_and_chinese_and_in_the_elderly_mode(api: Api) -> None:
    english = api.client.get("/events/birth?lang=en")
    assert "Start now" in english.text
    assert english.headers["content-language"] == "en"
    chinese = api.client.get("/events/birth?lang=zh-CN")
    assert "开始办理" in chinese.text
    assert "新生儿出生“一件事”" in chinese.text
    assert chinese.headers["content-language"] == "zh-CN"
    token = log_in(api.client, "mother", lang="zh-CN")
    api.client.post("/events/birth/questions/1", data={"csrf": token, "answer": "yes"})
    question = api.client.get("/events/birth/questions/2").text
    assert "母亲参加的是哪种医疗保险？" in question
    assert "第 2 个问题，共 3 个" in question
    api.client.cookies.set("yijianshi_care", "1")
    cared = api.client.get("/events/birth/questions/2").text
    assert '<html lang="zh-CN" class="care">' in cared


def test_the_draft_keeps_answers_between_visits(api: Api) -> None:
    token = log_in(api.client, "mother")
    api.client.post("/events/birth/questions/1", data={"csrf": token, "answer": "no"})
    log_in(api.client, "mother")
    start = api.client.get("/events/birth").text
    assert 'data-testid="resume"' in start
    assert "/events/birth/questions/2" in start
    assert 'value="no" checked' in api.client.get("/events/birth/questions/1").text
    assert (
        api.client.get("/events/birth/check", follow_redirects=False).headers["location"]
        == "/events/birth/questions/2"
    )


def test_an_applicant_account_is_needed_to_start(api: Api) -> None:
    started = api.client.get("/events/birth/questions/1", follow_redirects=False)
    assert started.status_code == 303
    assert started.headers["location"].startswith("/login?next=")
    assert api.client.get("/events/no-such-event").status_code == 404


def test_the_api_takes_an_upload_and_attaches_it_to_the_submission(api: Api) -> None:
    mother = api.login("mother")
    api.client.cookies.clear()
    made = api.client.post(
        "/api/materials",
        headers=mother,
        data={"material": "marriage_certificate:couple"},
        files={"file": ("结婚证.png", PNG, "image/png")},
    )
    assert made.status_code == 201, made.text
    upload = made.json()
    assert (upload["content_type"], upload["size"]) == ("image/png", len(PNG))
    assert upload["filename"] == "结婚证.png"
    unknown = api.client.post(
        "/api/materials",
        headers=mother,
        data={"material": "no_such:thing"},
        files={"file": ("x.pdf", PDF, "application/pdf")},
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "material"
    body = {"bundle": "birth", "values": filled_form(api)}
    wrong = api.client.post(
        "/api/applications",
        headers={**mother, "Idempotency-Key": "k" * 16},
        json={**body, "materials": {"hospital_invoice:mother": upload["id"]}},
    )
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "materials.hospital_invoice:mother"
    done = api.client.post(
        "/api/applications",
        headers={**mother, "Idempotency-Key": "k" * 16},
        json={**body, "materials": {"marriage_certificate:couple": upload["id"]}},
    )
    assert done.status_code == 201, done.text
    with api.container.unit_of_work() as uow:
        assert [u.id for u in uow.uploads.of_application(done.json()["id"])] == [upload["id"]]
    reused = api.client.post(
        "/api/applications",
        headers={**mother, "Idempotency-Key": "j" * 16},
        json={**body, "materials": {"marriage_certificate:couple": upload["id"]}},
    )
    assert reused.status_code == 409
    assert reused.json()["errors"][0]["field"] == "materials.marriage_certificate:couple"
    other = api.login("other")
    stolen = api.client.post(
        "/api/applications",
        headers={**other, "Idempotency-Key": "o" * 16},
        json={**body, "materials": {"marriage_certificate:couple": upload["id"]}},
    )
    assert stolen.status_code == 409


def test_an_open_status_page_reads_the_application_again_only_when_it_moved_on(api: Api) -> None:
    application_id = submit(api).json()["id"]
    log_in(api.client, "mother")
    page = api.client.get(f"/applications/{application_id}").text
    since = re.search(rf'hx-get="(/_partials/applications/{application_id}/status\?since=\d+)"', page)
    assert since, "the status lines refresh themselves"

    def reads() -> int:
        return len([e for e in trail(api, application_id) if e.type == "org.yijianshi.personal_data.read"])

    before = reads()
    for _ in range(3):  # nothing happened: nothing to swap, nothing read
        unchanged = api.client.get(since[1])
        assert unchanged.status_code == 204
        assert unchanged.text == ""
    assert reads() == before

    sent = next(
        c
        for c in api.as_("mother", "GET", f"/api/applications/{application_id}").json()["cases"]
        if c["state"] == "sent"
    )
    api.as_(department_account(sent["department"]), "POST", f"/api/department/cases/{sent['id']}/accept")
    log_in(api.client, "mother")
    moved = api.client.get(since[1])
    assert moved.status_code == 200
    assert f'id="case-{sent["id"]}"' in moved.text
    assert 'data-state="accepted"' in moved.text
    assert f"?since={int(since[1].rsplit('=', 1)[1]) + 1}" in moved.text
    other = api.client.get(since[1].replace(application_id, "0" * 32))
    assert other.status_code == 404
