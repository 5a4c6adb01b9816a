"""The other people at work in a real browser: a supplement round trip between a department and the
applicant, a window clerk applying for someone and printing the receipt, and a department user
refused another department's case."""

from __future__ import annotations

import io
from pathlib import Path

from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from tests.browser.conftest import DESKTOP, log_in, new_page
from tests.browser.flows import apply_for_a_newborn, staff_page
from tests.browser.live import MOTHER_ID, Live
from tests.browser.seed import Client, submit, wait_for_sent


def test_a_supplement_round_trip(browser: Browser, live: Live, page: Page) -> None:
    client = Client(live)
    try:
        application_id = submit(client, 21)
        case = wait_for_sent(client, application_id)[0]
    finally:
        client.close()
    staff = staff_page(browser, live, case["department"])
    staff.goto(f"/department/cases/{case['id']}")
    staff.get_by_test_id("accept").click()
    staff.locator("#field-request_zh").fill("请核对新生儿姓名")
    staff.locator("#field-request_en").fill("Check the child's name")
    staff.get_by_test_id("request-supplement").click()
    expect(staff.get_by_test_id("case-state")).to_have_attribute("data-state", "supplement_requested")

    log_in(page, "mother")
    page.goto(f"/applications/{application_id}")
    request = page.get_by_test_id("supplement")
    expect(request).to_contain_text("请核对新生儿姓名")
    first = request.locator("input.input").first
    first.fill(first.input_value() or "王小明")
    request.get_by_test_id("send-supplement").click()
    expect(page.get_by_test_id("supplement")).to_have_count(0)
    line = page.locator(f"#case-{case['id']}")
    expect(line).to_have_attribute("data-state", "accepted")

    staff.reload()
    expect(staff.get_by_test_id("case-state")).to_have_attribute("data-state", "accepted")
    staff.context.close()


def test_a_window_clerk_applies_for_the_mother_and_prints_the_receipt(
    browser: Browser, live: Live, tmp_path: Path
) -> None:
    clerk = new_page(browser, live, viewport=DESKTOP)
    log_in(clerk, "clerk")
    clerk.locator("#field-q").fill(MOTHER_ID[:-1] + "9")  # a wrong check character is caught
    clerk.get_by_test_id("search").click()
    expect(clerk.get_by_test_id("error-summary")).to_be_visible()
    clerk.locator("#field-q").fill(MOTHER_ID)
    clerk.get_by_test_id("search").click()
    clerk.get_by_test_id("act-for").click()
    expect(clerk.get_by_test_id("applicant-name")).to_have_text("林晓梅")

    reference = apply_for_a_newborn(clerk, live, tmp_path, base="/clerk/for/mother")
    receipt = clerk.get_by_test_id("receipt-link").get_attribute("href")
    assert receipt
    response = clerk.request.get(receipt)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert reference in text.replace("\n", "")
    assert "出生医学证明" in text
    clerk.context.close()

    with live.container.unit_of_work() as uow:
        log = uow.audit.log(reference)
    (submitted,) = [e for e in log if e.type == "org.yijianshi.application.submitted"]
    assert submitted.actor == "clerk:clerk"
    assert submitted.data["assisted"] is True


def test_a_department_user_is_refused_another_departments_case(browser: Browser, live: Live) -> None:
    client = Client(live)
    try:
        application_id = submit(client, 22)
        case = wait_for_sent(client, application_id)[0]
    finally:
        client.close()
    other = next(code for code in live.container.catalog.departments if code != case["department"])
    intruder = staff_page(browser, live, other)
    response = intruder.goto(f"/department/cases/{case['id']}")
    assert response is not None
    assert response.status == 404
    expect(intruder.get_by_test_id("error-detail")).to_be_visible()
    expect(intruder.locator("body")).not_to_contain_text(MOTHER_ID)
    intruder.context.close()
    with live.container.unit_of_work() as uow:  # the refusal is in the application's trail
        log = uow.audit.log(application_id)
    reads = [e for e in log if e.type == "org.yijianshi.personal_data.read" and e.actor.endswith(other)]
    assert [e.data["result"] for e in reads] == ["refused"]
