"""The department's pages through the TestClient: the worklist with its deadline colours, a case
worked from acceptance to completion or rejection, refusals, and ratings to rectify."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

from fastapi.testclient import TestClient

from tests.e2e.conftest import Api, department_account
from tests.e2e.pages import log_in
from tests.e2e.test_api_lifecycle import submit, work_every_case
from yijianshi.domain.identifiers import id_number_check_char

HOSPITAL, PSB = "ruian-hospital", "ruian-psb"


def browser(api: Api, account: str, lang: str = "en") -> tuple[TestClient, str]:
    """A second client on the same app (the API helper clears its own cookies), logged in."""
    client = TestClient(api.client.app, raise_server_exceptions=False)
    return client, log_in(client, account, lang=lang)


def cases_of(api: Api, application_id: str) -> dict[str, dict[str, Any]]:
    shown = api.as_("mother", "GET", f"/api/applications/{application_id}").json()
    return {c["item"]: c for c in shown["cases"]}


def case_id(api: Api, application_id: str, item: str) -> str:
    return str(cases_of(api, application_id)[item]["id"])


def post(client: TestClient, url: str, token: str, **data: str) -> Any:
    return client.post(url, data={"csrf": token, **data}, follow_redirects=False)


def hospital_outputs(day: dt.date) -> dict[str, str]:
    return {
        "outputs.child.birth_medical_certificate_no": "Q330381202600123",
        "outputs.child.birth_date": day.isoformat(),
        "outputs.child.sex": "2",
        "outputs.child.birth_place": "瑞安市人民医院",
    }


def complete_birth_certificate(api: Api, application_id: str) -> None:
    """The hospital's case done through the API, so household registration reaches the police."""
    case = case_id(api, application_id, "birth-medical-certificate")
    staff = department_account(HOSPITAL)
    assert api.as_(staff, "POST", f"/api/department/cases/{case}/accept").status_code == 204
    outputs = {k.removeprefix("outputs."): v for k, v in hospital_outputs(api.clock.today()).items()}
    done = api.as_(staff, "POST", f"/api/department/cases/{case}/complete", json={"outputs": outputs})
    assert done.status_code == 204, done.text


def rows(page: str) -> list[str]:
    return re.findall(r'<tr data-testid="work-item".*?</tr>', page, re.S)


def test_the_worklist_shows_only_the_departments_own_cases(api: Api) -> None:
    first, second = submit(api).json()["id"], submit(api).json()["id"]
    hospital, _ = browser(api, department_account(HOSPITAL))
    page = hospital.get("/department")
    assert page.status_code == 200, page.text
    assert len(rows(page.text)) == 2
    for application_id in (first, second):
        assert f'data-case-id="{case_id(api, application_id, "birth-medical-certificate")}"' in page.text
    assert "2 cases" in page.text
    police, _ = browser(api, department_account(PSB))
    assert rows(police.get("/department").text) == []  # household registration waits for the hospital
    assert "There are no cases in your worklist." in police.get("/department").text
    partial = hospital.get("/_partials/department/worklist?state=accepted", headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert "<html" not in partial.text
    assert rows(partial.text) == []
    assert partial.headers["HX-Push-Url"] == "/department?state=accepted"
    wrong = hospital.get("/department?state=lost&colour=purple")
    assert wrong.status_code == 422
    assert 'href="#field-state"' in wrong.text
    assert 'href="#field-colour"' in wrong.text


def test_deadlines_show_their_colour_in_words_and_filter(api: Api) -> None:
    applications = [submit(api).json()["id"] for _ in range(3)]
    for application_id in applications:
        complete_birth_certificate(api, application_id)
    registrations = [case_id(api, a, "birth-household-registration") for a in applications]
    staff = department_account(PSB)
    api.as_(staff, "POST", f"/api/department/cases/{registrations[0]}/accept")  # Monday: due Tuesday
    api.clock.moment += dt.timedelta(days=1)
    api.tokens.clear()
    api.as_(staff, "POST", f"/api/department/cases/{registrations[1]}/accept")  # Tuesday: due Wednesday
    api.clock.moment += dt.timedelta(days=1)  # Wednesday: the first is overdue, the second due today
    api.tokens.clear()
    police, _ = browser(api, staff)
    page = police.get("/department?lang=en").text
    shown = {re.search(r'data-case-id="([^"]+)"', r).group(1): r for r in rows(page)}  # type: ignore[union-attr]
    assert list(shown) == [registrations[0], registrations[1], registrations[2]]  # most urgent first
    assert 'data-colour="red"' in shown[registrations[0]]
    assert "Overdue" in shown[registrations[0]]
    assert 'data-colour="yellow"' in shown[registrations[1]]
    assert "Due soon" in shown[registrations[1]]
    assert "Starts when accepted" in shown[registrations[2]]
    red = police.get("/department?colour=red")
    assert [re.search(r'data-case-id="([^"]+)"', r).group(1) for r in rows(red.text)] == [  # type: ignore[union-attr]
        registrations[0]
    ]
    assert "1 case matches these filters" in red.text
    zh = police.get("/department?lang=zh-CN").text
    assert "已超期" in zh
    assert "即将到期" in zh


def test_a_case_is_accepted_and_completed_through_the_pages_and_the_application_moves_on(api: Api) -> None:
    application_id = submit(api).json()["id"]
    case = case_id(api, application_id, "birth-medical-certificate")
    hospital, token = browser(api, department_account(HOSPITAL))
    page = hospital.get(f"/department/cases/{case}")
    assert page.status_code == 200, page.text
    assert 'data-testid="accept"' in page.text
    assert 'data-testid="complete"' not in page.text
    assert application_id in page.text

    early = post(hospital, f"/department/cases/{case}/complete", token, **hospital_outputs(api.clock.today()))
    assert early.status_code == 409
    assert "Accept the case before you complete it." in early.text

    accepted = post(hospital, f"/department/cases/{case}/accept", token)
    assert accepted.status_code == 303
    shown = hospital.get(accepted.headers["location"])
    assert "You accepted the case" in shown.text
    assert 'data-state="accepted"' in shown.text
    assert 'name="outputs.child.birth_medical_certificate_no"' in shown.text

    missing = post(
        hospital,
        f"/department/cases/{case}/complete",
        token,
        **{"outputs.child.birth_medical_certificate_no": "Q1"},
    )
    assert missing.status_code == 422
    assert 'href="#field-outputs.child.sex"' in missing.text
    assert 'id="outputs.child.sex-error"' in missing.text
    assert 'value="Q1"' in missing.text
    assert cases_of(api, application_id)["birth-medical-certificate"]["state"] == "accepted"

    done = post(hospital, f"/department/cases/{case}/complete", token, **hospital_outputs(api.clock.today()))
    assert done.status_code == 303, done.text
    after = cases_of(api, application_id)
    assert after["birth-medical-certificate"]["state"] == "completed"
    assert {
        after[i]["state"]
        for i in ("vaccination-certificate", "birth-household-registration", "maternity-benefits")
    } == {"sent"}
    finished = hospital.get(done.headers["location"]).text
    assert "The case is completed" in finished
    assert "Q330381202600123" in finished
    assert "Completed (办结)" in finished  # the history

    police, police_token = browser(api, department_account(PSB))
    registration = after["birth-household-registration"]["id"]
    assert post(police, f"/department/cases/{registration}/accept", police_token).status_code == 303
    first17 = "33038120260302123"
    wrong = "X" if id_number_check_char(first17) != "X" else "0"
    bad = post(
        police,
        f"/department/cases/{registration}/complete",
        police_token,
        **{"outputs.child.id_number": first17 + wrong},
    )
    assert bad.status_code == 422
    assert "Newborn&#39;s resident ID number" in bad.text
    assert 'aria-invalid="true"' in bad.text
    good = post(
        police,
        f"/department/cases/{registration}/complete",
        police_token,
        **{"outputs.child.id_number": first17 + id_number_check_char(first17)},
    )
    assert good.status_code == 303
    moved = cases_of(api, application_id)
    assert moved["birth-household-registration"]["state"] == "completed"
    assert moved["social-security-card"]["state"] == "sent"


def test_a_rejection_with_its_reason_reaches_the_applicant(api: Api) -> None:
    application_id = submit(api).json()["id"]
    case = case_id(api, application_id, "birth-medical-certificate")
    hospital, token = browser(api, department_account(HOSPITAL), lang="zh-CN")
    empty = post(hospital, f"/department/cases/{case}/reject", token, reason_zh=" ", reason_en="")
    assert empty.status_code == 422
    assert 'href="#field-reason_zh"' in empty.text
    assert "请填写内容" in empty.text
    done = post(
        hospital,
        f"/department/cases/{case}/reject",
        token,
        reason_zh="出生医学证明信息与医院记录不符",
        reason_en="The details differ from the hospital's records",
    )
    assert done.status_code == 303
    assert "已不予受理" in hospital.get(done.headers["location"]).text
    seen = api.as_("mother", "GET", f"/api/applications/{application_id}").json()
    rejected = next(c for c in seen["cases"] if c["id"] == case)
    assert rejected["state"] == "rejected"
    assert rejected["reason"] == {
        "zh": "出生医学证明信息与医院记录不符",
        "en": "The details differ from the hospital's records",
    }
    assert seen["status"] == "rejected"
    assert {c["state"] for c in seen["cases"] if c["id"] != case} == {"blocked"}
    again = post(hospital, f"/department/cases/{case}/accept", token)
    assert again.status_code == 409
    assert "不能再" in again.text


def test_a_supplement_request_in_chinese_only_is_shown_to_english_readers_too(api: Api) -> None:
    application_id = submit(api).json()["id"]
    case = case_id(api, application_id, "birth-medical-certificate")
    hospital, token = browser(api, department_account(HOSPITAL))
    post(hospital, f"/department/cases/{case}/accept", token)
    too_long = post(hospital, f"/department/cases/{case}/supplement-request", token, request_zh="补" * 501)
    assert too_long.status_code == 422
    assert "at most 500 characters" in too_long.text
    asked = post(
        hospital, f"/department/cases/{case}/supplement-request", token, request_zh="请补充新生儿姓名"
    )
    assert asked.status_code == 303
    seen = api.as_("mother", "GET", f"/api/applications/{application_id}").json()
    assert seen["status"] == "action_required"
    assert next(c for c in seen["cases"] if c["id"] == case)["reason"] == {
        "zh": "请补充新生儿姓名",
        "en": "请补充新生儿姓名",
    }
    page = hospital.get(f"/department/cases/{case}").text
    assert "Waiting for the applicant" in page
    assert "请补充新生儿姓名" in page


def test_another_departments_case_is_not_found_and_the_refused_read_is_in_the_trail(api: Api) -> None:
    application_id = submit(api).json()["id"]
    case = case_id(api, application_id, "birth-medical-certificate")
    police, token = browser(api, department_account(PSB))
    page = police.get(f"/department/cases/{case}")
    nowhere = police.get("/department/cases/no-such-case")
    assert page.status_code == nowhere.status_code == 404
    assert 'data-testid="error-detail"' in page.text
    assert html.unescape(page.text).count("no such case") == html.unescape(nowhere.text).count("no such case")
    assert post(police, f"/department/cases/{case}/accept", token).status_code == 404
    with api.container.unit_of_work() as uow:
        log = uow.audit.log(application_id)
    refused = [
        e for e in log if e.type == "org.yijianshi.personal_data.read" and e.data["result"] == "refused"
    ]
    assert refused
    assert refused[0].actor == f"department:{department_account(PSB)}"
    assert refused[0].subject == case
    assert cases_of(api, application_id)["birth-medical-certificate"]["state"] == "sent"


def test_a_bad_rating_is_rectified_with_a_reply_the_rater_reads(api: Api) -> None:
    application_id = submit(api).json()["id"]
    work_every_case(api, application_id)
    rated = api.as_(
        "mother",
        "POST",
        f"/api/applications/{application_id}/rating",
        json={"level": "dissatisfied", "comment": "窗口排队太久"},
    )
    assert rated.status_code == 201
    lead = api.container.catalog.bundles["birth"].lead_department
    staff, token = browser(api, department_account(lead))
    page = staff.get("/department/rectifications")
    assert page.status_code == 200
    assert "窗口排队太久" in page.text
    assert "dissatisfied" in page.text
    rectification = re.search(r'data-testid="rectification" data-id="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    url = f"/department/rectifications/{rectification}/reply"
    empty = post(staff, url, token, reply="")
    assert empty.status_code == 422
    assert f'href="#field-reply-{rectification}"' in empty.text
    done = post(staff, url, token, reply="已增设一个窗口")
    assert done.status_code == 303
    after = staff.get(done.headers["location"]).text
    assert "Your reply was sent to the applicant." in after
    assert 'data-status="replied"' in after
    seen = api.as_("mother", "GET", f"/api/applications/{application_id}/rating").json()
    assert seen["reply"] == "已增设一个窗口"
    twice = post(staff, url, token, reply="再次回复")
    assert twice.status_code == 409
    assert "already replied" in twice.text
    other, other_token = browser(api, department_account(PSB))
    assert "There are no bad ratings to rectify." in other.get("/department/rectifications").text
    assert post(other, url, other_token, reply="x").status_code == 404


def test_other_roles_may_not_open_the_department_pages(api: Api) -> None:
    for account in ("mother", "clerk", "admin"):
        client, _ = browser(api, account)
        for path in ("/department", "/department/rectifications", "/_partials/department/worklist"):
            assert client.get(path).status_code == 403, (account, path)
    anonymous = TestClient(api.client.app, raise_server_exceptions=False)
    assert anonymous.get("/department", follow_redirects=False).headers["location"].startswith("/login?next=")
