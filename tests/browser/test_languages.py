"""Language and display in a real browser: zh-CN by default, the browser's language, a
remembered switch, ?lang=, and the elderly-friendly mode's larger text."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import log_in, new_page
from tests.browser.live import Live


def test_chinese_by_default_and_the_switch_is_remembered(page: Page) -> None:
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("heading", level=1)).to_have_text("高效办成一件事")
    page.get_by_test_id("language-switch").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Get a life event done as one thing")
    page.goto("/login")  # another page, no ?lang=: the choice is remembered
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    page.goto("/?lang=zh-CN")
    expect(page.get_by_role("heading", level=1)).to_have_text("高效办成一件事")


def test_the_browsers_language_is_followed(browser: Browser, live: Live) -> None:
    english = new_page(browser, live, locale="en-GB")
    english.goto("/")
    expect(english.locator("html")).to_have_attribute("lang", "en")
    english.context.close()


FONT_SIZE = "() => parseFloat(getComputedStyle(document.querySelector('#field-account')).fontSize)"


def test_elderly_friendly_mode_enlarges_text_and_targets(page: Page) -> None:
    page.goto("/login")
    size = page.evaluate(FONT_SIZE)
    height = page.locator("[data-testid=login]").bounding_box()
    page.get_by_test_id("care-switch").click()
    page.goto("/login")  # remembered
    expect(page.locator("html")).to_have_class("care")
    larger = page.evaluate(FONT_SIZE)
    taller = page.locator("[data-testid=login]").bounding_box()
    assert larger >= size * 1.25
    assert height is not None
    assert taller is not None
    assert taller["height"] >= 56 > height["height"]


def test_a_wrong_password_is_shown_beside_the_field_and_in_the_summary(page: Page) -> None:
    log_in(page, "mother", "not the password")
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_contain_text("账号或密码错误")
    summary.get_by_role("link").click()
    expect(page.locator("#field-account")).to_be_focused()
    expect(page.locator("#field-account")).to_have_attribute("aria-invalid", "true")
