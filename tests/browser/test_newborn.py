"""A newborn's seven items from a phone: the mother applies in the pages, each department works its
case in its own pages, and she follows the status to the end and rates the service."""

from __future__ import annotations

import random
import time
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import log_in
from tests.browser.flows import apply_for_a_newborn, work_sent_cases
from tests.browser.live import Live


def states(live: Live, application_id: str) -> dict[str, str]:
    with live.container.unit_of_work() as uow:
        application = uow.applications.get(application_id)
    assert application is not None
    return {case.item: case.state.value for case in application.cases.values()}


def wait_until(condition: object, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_newborn_from_the_first_question_to_completed(
    browser: Browser, live: Live, page: Page, tmp_path: Path
) -> None:
    log_in(page, "mother")
    reference = apply_for_a_newborn(page, live, tmp_path)
    page.get_by_test_id("status-link").click()
    expect(page.get_by_test_id("case-line")).to_have_count(7)

    rng = random.Random(5)
    for _ in range(10):  # each round, the items whose inputs have arrived reach their departments
        wait_until(lambda: "ready" not in states(live, reference).values())
        if set(states(live, reference).values()) == {"completed"}:
            break
        wait_until(lambda: "sent" in states(live, reference).values())
        work_sent_cases(browser, live, reference, rng)
    assert set(states(live, reference).values()) == {"completed"}

    # the status lines refresh by themselves (HTMX) while the page is open
    expect(page.locator("[data-testid=case-line][data-state=completed]")).to_have_count(7, timeout=20_000)
    expect(page.get_by_test_id("certificate-link").first).to_be_visible()
    expect(page.get_by_test_id("outputs").first).to_be_visible()
    page.reload()
    page.get_by_test_id("rate-link").click()
    page.get_by_test_id("level-very_satisfied").check()
    page.locator("#field-comment").fill("一次都没跑 / not a single trip")
    page.get_by_test_id("send-rating").click()
    expect(page.get_by_test_id("rating-given")).to_contain_text("非常满意")
