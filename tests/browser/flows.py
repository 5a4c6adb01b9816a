"""What people do in the pages, step by step, as a browser test drives them: apply for a newborn,
work cases as department staff."""

from __future__ import annotations

import random
import re
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import DESKTOP, log_in, new_page
from tests.browser.live import MOTHER_ID, Live, department_account
from tests.browser.seed import form_values
from yijianshi.adapters.departments.outputs import item_outputs

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15"
    b"\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00"
    b"IEND\xaeB`\x82"
)


def answer_questions(page: Page, live: Live) -> None:
    """Each guidance question on its own page, answered with its default (all seven items)."""
    for question in live.container.catalog.bundles["birth"].questions:
        expect(page.get_by_test_id("question")).to_be_visible()
        page.get_by_test_id(f"option-{question.default}").check()
        page.get_by_test_id("continue").click()


def fill_the_form(page: Page, values: dict[str, str], leave_out: str | None = None) -> None:
    form = page.get_by_test_id("merged-form")
    for element in form.locator("input[name]:not([type=hidden]), select[name], textarea[name]").all():
        name = element.get_attribute("name") or ""
        if name == leave_out:
            element.fill("")
            continue
        if name not in values or (element.input_value() and name != leave_out):
            continue
        if element.evaluate("e => e.tagName") == "SELECT":
            element.select_option(values[name])
        else:
            element.fill(values[name])
    page.get_by_test_id("continue").click()


def upload_materials(page: Page, tmp_path: Path) -> int:
    """Upload a scan for every material the page still asks for; the number uploaded."""
    scan = tmp_path / "scan.png"
    scan.write_bytes(PNG)
    uploaded = 0
    while True:
        waiting = page.locator("[data-testid=material]:not(:has([data-testid=uploaded]))")
        if waiting.count() == 0:
            break
        section = waiting.first
        section.locator("input[type=file]").set_input_files(str(scan))
        section.locator("button[data-testid^=upload-]").click()
        page.wait_for_load_state()
        uploaded += 1
        assert uploaded < 20, "uploads are not being taken"
    page.get_by_test_id("continue").click()
    return uploaded


def apply_for_a_newborn(page: Page, live: Live, tmp_path: Path, base: str = "") -> str:
    """From the start page to the confirmation; the reference number."""
    page.goto(f"{base}/events/birth")
    page.get_by_test_id("start").click()
    answer_questions(page, live)
    expect(page.get_by_test_id("person-mother")).to_have_value(MOTHER_ID)  # pre-filled: the applicant
    page.get_by_test_id("continue").click()
    expect(page.get_by_test_id("plan-item")).to_have_count(7)
    expect(page.get_by_test_id("not-needed-material").first).to_be_visible()
    page.get_by_test_id("continue").click()
    values = form_values(live)
    fill_the_form(page, values, leave_out="child.name")
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_visible()
    summary.get_by_role("link").first.click()
    expect(page.locator("#field-child\\.name")).to_be_focused()
    fill_the_form(page, values)
    upload_materials(page, tmp_path)
    expect(page.get_by_test_id("check-fields")).to_contain_text(values["child.name"])
    page.get_by_test_id("submit").click()
    reference = page.get_by_test_id("reference").inner_text().strip()
    assert re.fullmatch(r"[0-9a-f]{32}", reference), reference
    return reference


def staff_page(browser: Browser, live: Live, department: str) -> Page:
    page = new_page(browser, live, viewport=DESKTOP)
    log_in(page, department_account(department))
    return page


def work_sent_cases(browser: Browser, live: Live, application_id: str, rng: random.Random) -> int:
    """Every department with a case of the application waiting accepts and completes it in its own
    pages, with the outputs its item declares; the number of cases completed."""
    catalog = live.container.catalog
    with live.container.unit_of_work() as uow:
        application = uow.applications.get(application_id)
    sent = [c for c in application.cases.values() if c.state.value == "sent"]
    for case in sent:
        staff = staff_page(browser, live, case.department)
        staff.goto("/department")
        staff.locator(f"[data-case-id='{case.id}'] [data-testid=case-link]").click()
        staff.get_by_test_id("accept").click()
        expect(staff.get_by_test_id("case-state")).to_have_attribute("data-state", "accepted")
        item = catalog.items[case.item]
        outputs = item_outputs(catalog, item, dict(application.data), live.clock.today(), rng)
        form = staff.get_by_test_id("complete-form")
        for key, value in outputs.items():
            field = form.locator(f"[name='outputs.{key}']")
            if not field.count():
                continue
            if field.evaluate("e => e.tagName") == "SELECT":
                field.select_option(str(value))
            else:
                field.fill(str(value))
        staff.get_by_test_id("complete").click()
        expect(staff.get_by_test_id("case-state")).to_have_attribute("data-state", "completed")
        staff.context.close()
    return len(sent)
