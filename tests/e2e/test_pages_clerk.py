"""The window clerk's pages through HTTP: find or register an applicant, act for them, print the
receipt (a PDF read back with a real PDF parser), on SQLite and on PostgreSQL."""

from __future__ import annotations

import io
import re
import uuid

from pypdf import PdfReader

from tests.e2e.conftest import MOTHER_ID, Api
from tests.e2e.pages import csrf_of, log_in
from tests.e2e.test_api_lifecycle import submit
from yijianshi.domain.identifiers import id_number_check_char
from yijianshi.services.accounts.local_accounts import FindApplicants, find_applicants

NEWCOMER_17 = "11010119850615123"
NEWCOMER_ID = NEWCOMER_17 + id_number_check_char(NEWCOMER_17)
WRONG_CHECK = MOTHER_ID[:17] + ("4" if MOTHER_ID[17] != "4" else "5")


def submitted_for_mother(api: Api) -> str:
    made = submit(api, "clerk", **{"X-On-Behalf-Of": "mother"})
    assert made.status_code == 201, made.text
    application_id: str = made.json()["id"]
    api.client.cookies.clear()
    return application_id


def pdf_text(body: bytes, chinese: bool = False) -> str:
    """The PDF's text, its lines joined (table cells wrap long names): with one space between
    words, or none for Chinese."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    return re.sub(r"\s+", "" if chinese else " ", text)


def test_a_clerk_finds_an_applicant_by_id_number_shown_masked(api: Api) -> None:
    log_in(api.client, "clerk")
    found = api.client.get("/clerk", params={"q": f" {MOTHER_ID[:6]} {MOTHER_ID[6:]} "})
    assert found.status_code == 200, found.text
    assert 'data-testid="result"' in found.text
    assert "林晓梅" in found.text
    assert "3303**********0023" in found.text
    assert 'href="/clerk/for/mother"' in found.text
    assert "王芳" not in found.text


def test_an_id_number_with_a_wrong_check_character_is_refused_beside_the_field(api: Api) -> None:
    log_in(api.client, "clerk")
    refused = api.client.get("/clerk", params={"q": WRONG_CHECK})
    assert refused.status_code == 422
    assert 'href="#field-q"' in refused.text
    assert 'id="q-error"' in refused.text
    assert 'aria-invalid="true"' in refused.text
    assert "check character" in refused.text
    assert 'data-testid="result"' not in refused.text
    assert 'data-testid="register"' not in refused.text
    chinese = api.client.get("/clerk", params={"q": WRONG_CHECK, "lang": "zh-CN"})
    assert "校验位不符" in chinese.text
    short = api.client.get("/clerk", params={"q": MOTHER_ID[:16], "lang": "en"})
    assert short.status_code == 422
    assert "(this has 16)" in short.text
    lettered = api.client.get("/clerk", params={"q": MOTHER_ID[:17] + "Y"})
    assert lettered.status_code == 422
    assert "check for letters or symbols" in lettered.text


def test_a_name_or_account_search_finds_partial_matches_only_among_applicants(api: Api) -> None:
    log_in(api.client, "clerk")
    by_name = api.client.get("/clerk", params={"q": "晓梅"})
    assert by_name.status_code == 200
    assert "林晓梅" in by_name.text
    assert "王芳" not in by_name.text
    by_account = api.client.get("/clerk", params={"q": "other"})
    assert "王芳" in by_account.text
    nobody = api.client.get("/clerk", params={"q": "%"})
    assert 'data-testid="result"' not in nobody.text
    assert 'data-testid="no-match"' in nobody.text
    staff = api.client.get("/clerk", params={"q": "窗口一号"})  # a clerk's account is no applicant
    assert 'data-testid="result"' not in staff.text


def test_nobody_with_a_valid_id_number_offers_to_register_them(api: Api) -> None:
    log_in(api.client, "clerk")
    offered = api.client.get("/clerk", params={"q": NEWCOMER_ID})
    assert offered.status_code == 200
    assert 'data-testid="no-match"' in offered.text
    assert 'data-testid="register"' in offered.text
    assert f'name="id_number" type="text" value="{NEWCOMER_ID}"' in offered.text


def test_the_clerk_registers_a_new_applicant_who_can_log_in_with_the_password_shown(api: Api) -> None:
    token = log_in(api.client, "clerk")
    made = api.client.post(
        "/clerk/applicants",
        data={"csrf": token, "name": "赵新民", "id_number": NEWCOMER_ID.lower(), "mobile": "139 1234 5678"},
    )
    assert made.status_code == 201, made.text
    account = re.search(r'data-testid="new-account">([^<]+)<', made.text)
    password = re.search(r'data-testid="initial-password">([^<]+)<', made.text)
    assert account
    assert password
    assert account.group(1) == "13912345678"
    assert "1101**********" + NEWCOMER_ID[-4:] in made.text
    again = api.client.post(
        "/clerk/applicants", data={"csrf": token, "name": "赵新民", "id_number": NEWCOMER_ID, "mobile": ""}
    )
    assert again.status_code == 422
    assert "registered already" in again.text
    assert 'href="#field-id_number"' in again.text
    found = api.client.get("/clerk", params={"q": NEWCOMER_ID})
    assert 'href="/clerk/for/13912345678"' in found.text
    log_in(api.client, account.group(1), password.group(1))
    mine = api.client.get("/api/applications")  # the session of the new applicant
    assert mine.status_code == 200
    assert mine.json() == []


def test_registration_errors_are_shown_beside_their_fields_and_nothing_is_stored(api: Api) -> None:
    token = log_in(api.client, "clerk")
    refused = api.client.post(
        "/clerk/applicants", data={"csrf": token, "name": " ", "id_number": WRONG_CHECK, "mobile": "12345"}
    )
    assert refused.status_code == 422
    for key in ("name", "id_number", "mobile"):
        assert f'href="#field-{key}"' in refused.text
        assert f'id="{key}-error"' in refused.text
    assert "mainland mobile number" in refused.text
    assert f'value="{WRONG_CHECK}"' in refused.text  # what was typed is kept to correct it
    assert find_applicants(api.container.identity, FindApplicants(id_number=WRONG_CHECK)) == []
    forged = api.client.post(
        "/clerk/applicants", data={"csrf": "forged", "name": "赵新民", "id_number": NEWCOMER_ID}
    )
    assert forged.status_code == 403
    assert find_applicants(api.container.identity, FindApplicants(id_number=NEWCOMER_ID)) == []


def test_the_act_for_page_lists_the_applicants_applications_and_life_events(api: Api) -> None:
    application_id = submitted_for_mother(api)
    log_in(api.client, "clerk")
    page = api.client.get("/clerk/for/mother")
    assert page.status_code == 200, page.text
    assert "林晓梅" in page.text
    assert "3303**********0023" in page.text
    assert MOTHER_ID not in page.text
    assert f'href="/clerk/for/mother/applications/{application_id}"' in page.text
    assert f'href="/clerk/for/mother/applications/{application_id}/receipt.pdf"' in page.text
    assert 'href="/clerk/for/mother/events/birth"' in page.text
    other = api.client.get("/clerk/for/other")
    assert 'data-testid="no-applications"' in other.text
    assert application_id not in other.text
    for nobody in ("nobody", "admin"):
        missing = api.client.get(f"/clerk/for/{nobody}")
        assert missing.status_code == 404
        assert missing.headers["content-type"].startswith("text/html")


def test_the_receipt_is_a_pdf_with_the_reference_number_and_the_items(api: Api) -> None:
    application_id = submitted_for_mother(api)
    log_in(api.client, "clerk")
    got = api.client.get(f"/clerk/for/mother/applications/{application_id}/receipt.pdf")
    assert got.status_code == 200, got.text
    assert got.headers["content-type"] == "application/pdf"
    assert got.headers["content-disposition"] == f'inline; filename="receipt-{application_id}.pdf"'
    assert got.content.startswith(b"%PDF")
    text = pdf_text(got.content)
    with api.container.unit_of_work() as uow:
        application = uow.applications.get(application_id)
    assert application is not None
    items = [api.container.catalog.items[c.item] for c in application.cases.values()]
    assert len(items) == 7
    assert application_id in text
    assert "Receipt of acceptance" in text
    assert "窗口一号" in text
    assert "3303**********0023" in text
    assert MOTHER_ID not in text
    assert all(item.name.en in text for item in items), text
    chinese = pdf_text(
        api.client.get(f"/clerk/for/mother/applications/{application_id}/receipt.pdf?lang=zh-CN").content,
        chinese=True,
    )
    assert "受理回执" in chinese
    assert application_id in chinese
    assert all(item.name.zh in chinese for item in items), chinese
    with api.container.unit_of_work() as uow:
        reads = [e for e in uow.audit.log(application_id) if e.type == "org.yijianshi.personal_data.read"]
    assert [(e.actor, e.data["result"], e.data["on_behalf_of"]) for e in reads[-2:]] == [
        ("clerk:clerk", "shown", "mother")
    ] * 2


def test_a_receipt_names_the_applicant_in_the_url_or_is_not_found(api: Api) -> None:
    application_id = submitted_for_mother(api)
    log_in(api.client, "clerk")
    for url in (
        f"/clerk/for/other/applications/{application_id}/receipt.pdf",
        f"/clerk/for/mother/applications/{uuid.uuid4()}/receipt.pdf",
        f"/clerk/for/nobody/applications/{application_id}/receipt.pdf",
    ):
        refused = api.client.get(url)
        assert refused.status_code == 404, url
        assert refused.headers["content-type"].startswith("text/html")
        assert 'data-testid="error-detail"' in refused.text


def test_only_window_clerks_reach_the_clerk_pages(api: Api) -> None:
    application_id = submitted_for_mother(api)
    away = api.client.get("/clerk", follow_redirects=False)
    assert away.status_code == 303
    assert away.headers["location"].startswith("/login?next=")
    log_in(api.client, "mother")
    receipt = f"/clerk/for/mother/applications/{application_id}/receipt.pdf"
    for url in ("/clerk", "/clerk/for/mother", receipt):
        refused = api.client.get(url)
        assert refused.status_code == 403, url
        assert refused.headers["content-type"].startswith("text/html")
    token = csrf_of(api.client.get("/login").text)
    posted = api.client.post(
        "/clerk/applicants", data={"csrf": token, "name": "赵新民", "id_number": NEWCOMER_ID}
    )
    assert posted.status_code == 403
    assert find_applicants(api.container.identity, FindApplicants(id_number=NEWCOMER_ID)) == []


def test_who_a_clerk_found_or_registered_is_in_that_applicants_trail(api: Api) -> None:
    token = log_in(api.client, "clerk")
    api.client.get("/clerk", params={"q": MOTHER_ID})
    api.client.get("/clerk", params={"q": "林"})  # by name
    api.client.get("/clerk", params={"q": "nobody-by-this-name"})
    made = api.client.post(
        "/clerk/applicants", data={"csrf": token, "name": "赵新民", "id_number": NEWCOMER_ID}
    )
    assert made.status_code == 201
    account = re.search(r'data-testid="new-account">([^<]+)<', made.text)
    assert account
    with api.container.unit_of_work() as uow:
        mother = uow.audit.log("applicant:mother")
        newcomer = uow.audit.log(f"applicant:{account.group(1)}")
        other = uow.audit.log("applicant:other")
    reads = [
        (e.actor, e.data["searched_by"], e.data["result"])
        for e in mother
        if e.type == "org.yijianshi.personal_data.read"
    ]
    assert reads == [("clerk:clerk", "id_number", "shown"), ("clerk:clerk", "text", "shown")]
    assert all("窗口代办" in e.purpose for e in mother)
    assert [(e.type, e.actor) for e in newcomer] == [("org.yijianshi.account.registered", "clerk:clerk")]
    assert other == []  # 王芳 was never shown
