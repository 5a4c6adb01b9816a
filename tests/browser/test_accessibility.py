"""WCAG 2.1 AA checks by axe-core (shipped inside the axe-playwright-python package) on the pages of
every role, in both languages, at phone width, and in the elderly-friendly mode."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from tests.browser.conftest import log_in, new_page
from tests.browser.flows import answer_questions, fill_the_form, upload_materials
from tests.browser.live import MOTHER_ID, Live, department_account
from tests.browser.seed import Client, cases, form_values, seed

WCAG_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
axe = Axe()
# What axe checks is the HTML the pages render, the same whichever database holds the data: the
# flows are run on both databases by the other browser tests; these checks on SQLite only.
pytestmark = pytest.mark.parametrize("live", ["sqlite"], indirect=True)


def violations(page: Page) -> list[str]:
    found: dict[str, Any] = axe.run(page, options=WCAG_AA).response
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in found["violations"]
    ]


@pytest.mark.parametrize("query", ["?lang=zh-CN", "?lang=en", "?lang=zh-CN&care=1"])
def test_public_pages_pass_wcag_aa(page: Page, query: str) -> None:
    for path in ("/", "/login"):
        page.goto(path + query)
        assert violations(page) == [], path + query


def test_login_errors_pass_wcag_aa(page: Page) -> None:
    log_in(page, "mother", "wrong password")
    assert violations(page) == []


def test_every_roles_main_pages_pass_wcag_aa(browser: Browser, live: Live, tmp_path: Path) -> None:
    seeded = seed(live)
    client = Client(live)
    try:
        case = next(c for c in cases(client, seeded.under_way) if c["state"] in ("sent", "accepted"))
    finally:
        client.close()
    staff = department_account(case["department"])
    visits = {
        "mother": [
            "/events/birth",
            "/events/birth/questions/1",
            "/applications",
            f"/applications/{seeded.under_way}",
            f"/applications/{seeded.finished}",
        ],
        "clerk": ["/clerk", f"/clerk?q={MOTHER_ID}", "/clerk/for/mother", "/clerk/for/mother/events/birth"],
        staff: ["/department", f"/department/cases/{case['id']}", "/department/rectifications"],
        "admin": [
            "/admin",
            "/admin/catalog",
            "/admin/bundles/birth",
            "/admin/rectifications",
            "/admin/catalog/items/birth-medical-certificate",
        ],
    }
    found = {}
    for account, paths in visits.items():
        for language in ("zh-CN", "en"):
            page = new_page(browser, live, locale=language)
            log_in(page, account)
            for path in paths:
                page.goto(path)
                problems = violations(page)
                if problems:
                    found[f"{account} {language} {path}"] = problems
            page.context.close()
    assert found == {}


def test_the_citizens_flow_pages_pass_wcag_aa(page: Page, live: Live, tmp_path: Path) -> None:
    log_in(page, "mother")
    page.goto("/events/birth/questions/1")
    answer_questions(page, live)
    checked = {"people": violations(page)}
    page.get_by_test_id("continue").click()
    checked["plan"] = violations(page)
    page.get_by_test_id("continue").click()
    fill_the_form(page, form_values(live), leave_out="child.name")
    checked["form with errors"] = violations(page)
    fill_the_form(page, form_values(live))
    checked["materials"] = violations(page)
    upload_materials(page, tmp_path)
    checked["check your answers"] = violations(page)
    page.get_by_test_id("submit").click()
    checked["confirmation"] = violations(page)
    assert {name: found for name, found in checked.items() if found} == {}
