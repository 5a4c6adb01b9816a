"""Browser tests: headless Chromium (Debian's package, driven by Playwright) against a live server
on loopback, on SQLite and on PostgreSQL. Nothing is downloaded; Chromium must be installed
(`.ci/run` installs it and a CJK font)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser.browsers import launch
from tests.browser.live import PASSWORD, Live, live_server

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = launch(playwright)
        yield launched
        launched.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def live(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Live]:
    url = (
        f"sqlite:///{tmp_path / 'live.sqlite3'}"
        if request.param == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    with live_server(url, tmp_path) as server:
        yield server


def new_page(
    browser: Browser,
    live: Live,
    locale: str = "zh-CN",
    viewport: dict[str, int] | None = None,
    **options: Any,
) -> Page:
    """A page in a fresh browser context (own cookies), on a phone-sized screen by default."""
    context = browser.new_context(base_url=live.url, locale=locale, viewport=viewport or PHONE, **options)
    context.set_default_timeout(15_000)
    return context.new_page()


@pytest.fixture
def page(browser: Browser, live: Live) -> Iterator[Page]:
    opened = new_page(browser, live)
    yield opened
    opened.context.close()


def log_in(page: Page, account: str, password: str = PASSWORD) -> None:
    """Log in through the login page, as a person would."""
    page.goto("/login")
    page.locator("#field-account").fill(account)
    page.locator("#field-password").fill(password)
    page.get_by_test_id("login").click()
    page.wait_for_load_state()
