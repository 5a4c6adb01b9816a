"""Screenshots of the main pages, at phone and desktop widths, in Chinese and English, written to
docs/screenshots/ (`make screenshots`). A live server on a fresh SQLite database is seeded through
its API with applications in several states; the pages are then visited as each role would.

    python -m tests.browser.screenshots docs/screenshots
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser.browsers import launch
from tests.browser.conftest import DESKTOP, PHONE, log_in, new_page
from tests.browser.flows import answer_questions, fill_the_form
from tests.browser.live import MOTHER_ID, Live, department_account, live_server
from tests.browser.seed import Client, Seeded, cases, form_values, seed

DEVICES = {"phone": PHONE, "desktop": DESKTOP}
LANGUAGES = {"zh": "zh-CN", "en": "en"}


def shots(live: Live, seeded: Seeded) -> list[tuple[str, str | None, Callable[[Page], None]]]:
    """(name, account logged in, how to reach the page)."""
    client = Client(live)
    try:
        open_cases = [c for c in cases(client, seeded.under_way) if c["state"] in ("sent", "accepted")]
    finally:
        client.close()
    case = open_cases[0]

    def to_plan(page: Page) -> None:
        page.goto("/events/birth/questions/1")
        answer_questions(page, live)
        page.get_by_test_id("continue").click()

    def to_form_errors(page: Page) -> None:
        to_plan(page)
        page.get_by_test_id("continue").click()
        fill_the_form(page, form_values(live), leave_out="child.name")

    return [
        ("home", None, lambda p: p.goto("/")),
        ("citizen-plan", "mother", to_plan),
        ("citizen-form-errors", "mother", to_form_errors),
        ("citizen-status", "mother", lambda p: p.goto(f"/applications/{seeded.under_way}")),
        ("clerk-find", "clerk", lambda p: p.goto(f"/clerk?q={MOTHER_ID}")),
        ("department-worklist", department_account(case["department"]), lambda p: p.goto("/department")),
        (
            "department-case",
            department_account(case["department"]),
            lambda p: p.goto(f"/department/cases/{case['id']}"),
        ),
        ("admin-dashboard", "admin", lambda p: p.goto("/admin")),
        ("admin-bundle", "admin", lambda p: p.goto("/admin/bundles/birth")),
    ]


def take(browser: Browser, live: Live, seeded: Seeded, target: Path) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, account, reach in shots(live, seeded):
        for language, locale in LANGUAGES.items():
            for device, viewport in DEVICES.items():
                page = new_page(browser, live, locale=locale, viewport=viewport)
                page.goto(f"/?lang={locale}")  # remembered from here on
                if account:
                    log_in(page, account)
                reach(page)
                page.wait_for_load_state("networkidle")
                path = target / f"{name}-{language}-{device}.png"
                page.screenshot(path=str(path), full_page=True)
                written.append(path)
                page.context.close()
    page = new_page(browser, live, locale="zh-CN", viewport=PHONE)
    page.goto("/?care=1")
    path = target / "home-zh-phone-elderly.png"
    page.screenshot(path=str(path), full_page=True)
    written.append(path)
    page.context.close()
    return written


def main(target: Path) -> None:
    with tempfile.TemporaryDirectory() as work, sync_playwright() as playwright:
        browser = launch(playwright)
        with live_server(f"sqlite:///{Path(work) / 'screens.sqlite3'}", Path(work)) as live:
            seeded = seed(live)
            for path in take(browser, live, seeded, target):
                print(path)
        browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
