"""Errors on pages: the same problems the API answers, shown as a page in the reader's language.

A page that needs a login sends the browser to the login page (and back afterwards); any other
problem is a page with its status, what is wrong and what to do, never a traceback. A refusal a
page shows beside the field it concerns (an upload, a reply, a rating) answers with the status the
API gives its kind (`refusal_status`), so that the page and the API answer alike.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from fastapi.responses import JSONResponse
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from yijianshi.entrypoints.api.problems import status_of
from yijianshi.entrypoints.web.render import Pages, in_language
from yijianshi.services.errors import ServiceError


def html_errors(pages: Pages) -> Any:
    def render(request: Request, problem: JSONResponse) -> Response:
        body: dict[str, Any] = json.loads(bytes(problem.body))
        status = problem.status_code
        if status == 401:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            nxt = quote(target, safe="") if request.method == "GET" else ""
            return RedirectResponse(f"/login?next={nxt}" if nxt else "/login", status_code=303)
        return pages.render(
            request,
            "errors/error.html",
            {
                "status": status,
                "title": {"zh": body.get("title_zh", ""), "en": body.get("title", "")},
                "detail": {"zh": body.get("detail_zh", ""), "en": body.get("detail", "")},
                "errors": body.get("errors", []),
            },
            status=status,
        )

    return render


def refusal_status(error: ServiceError) -> int:
    """The status of a page showing `error` beside its field: NotFound 404, Conflict 409, Invalid
    422, TooLarge 413, UnsupportedType 415 (the API's, for the same kind)."""
    return status_of(error)


def refusal_beside(request: Request, error: ServiceError, field: str) -> list[dict[str, str]]:
    """The error summary's entry for a refusal shown beside the input `field-<field>`, in the
    reader's language."""
    return [{"field": field, "message": in_language(request, error.message)}]
