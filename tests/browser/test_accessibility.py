"""WCAG 2.1 AA checks by axe-core (shipped inside the axe-playwright-python package) on the main
pages, in both languages, at phone width and in the elderly-friendly mode."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.browser.conftest import log_in

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
           "resultTypes": ["violations"]}
axe = Axe()


def violations(page: Page) -> list[str]:
    found: dict[str, Any] = axe.run(page, options=WCAG_AA).response
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in found["violations"]]


@pytest.mark.parametrize("query", ["?lang=zh-CN", "?lang=en", "?lang=zh-CN&care=1"])
def test_public_pages_pass_wcag_aa(page: Page, query: str) -> None:
    for path in ("/", "/login"):
        page.goto(path + query)
        assert violations(page) == [], path + query


def test_login_errors_pass_wcag_aa(page: Page) -> None:
    log_in(page, "mother", "wrong password")
    assert violations(page) == []
