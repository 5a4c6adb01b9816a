"""Helpers for page tests through the TestClient: log in by the login form, find the CSRF token."""

from __future__ import annotations

import re
from typing import Any

from tests.e2e.conftest import PASSWORD

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def log_in(client: Any, account: str, password: str = PASSWORD, lang: str = "en") -> str:
    """Log `account` in through the login page (session cookie); return the CSRF token."""
    client.cookies.clear()
    page = client.get(f"/login?lang={lang}")
    token = csrf_of(page.text)
    done = client.post(
        "/login",
        data={"account": account, "password": password, "csrf": token, "next": ""},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    return token
