"""Cross-site request forgery: every state-changing page request carries the CSRF token.

Double-submit: the token lives in an HttpOnly, SameSite=Strict cookie set when a page is rendered,
and every POST form repeats it in a hidden `csrf` field (HTMX requests send it in the
`X-CSRF-Token` header, set once on <body>). A POST whose token is missing or differs is refused.
The session cookie is SameSite=Strict as well, so this is a second lock, not the only one.
"""

from __future__ import annotations

import hmac

from starlette.requests import Request

from yijianshi.domain.text import Text
from yijianshi.entrypoints.web.render import CSRF_COOKIE
from yijianshi.services.errors import Forbidden

HEADER = "x-csrf-token"
FIELD = "csrf"


async def csrf_checked(request: Request) -> None:
    """A route dependency of every page POST."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    expected = request.cookies.get(CSRF_COOKIE, "")
    sent = request.headers.get(HEADER, "")
    if not sent:
        form = await request.form()
        value = form.get(FIELD, "")
        sent = value if isinstance(value, str) else ""
    if not expected or not hmac.compare_digest(expected.encode(), sent.encode()):
        raise Forbidden(
            Text(
                "页面已过期或来源不明，请返回上一页刷新后再提交",
                "this page has expired or did not come from this site: go back, reload it and submit again",
            ),
        )
