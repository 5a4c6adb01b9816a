"""Errors as RFC 9457 problem details (application/problem+json), in zh-CN and en.

Every refusal names what is wrong, where (`errors[].field`), and what to do; no route answers
500 to bad input, and an unexpected error answers 500 without internals. This is the one place
where the service layer's errors (context.errors) and the domain's (domain.errors) get an HTTP
status, by kind:

    NotFound 404   Conflict 409   Invalid 422 (TooLarge 413, UnsupportedType 415)
    Forbidden 403 (NotAuthenticated 401 with WWW-Authenticate: Bearer, Locked 423)
    Unavailable 503
    UnknownBundle 404   InvalidAnswers 422   IllegalTransition 409   other DomainError 422
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.responses import Response

from yijianshi.domain.errors import DomainError, IllegalTransition, InvalidAnswers, UnknownBundle
from yijianshi.domain.problems import Problem
from yijianshi.domain.text import Text
from yijianshi.services.errors import (
    Conflict,
    Forbidden,
    Invalid,
    Locked,
    NotAuthenticated,
    NotFound,
    ServiceError,
    TooLarge,
    Unavailable,
    UnsupportedType,
)

MEDIA_TYPE = "application/problem+json"
log = logging.getLogger("yijianshi.api")

TITLES = {
    400: Text("请求有误", "Bad request"),
    401: Text("需要登录", "Authentication required"),
    403: Text("无权访问", "Forbidden"),
    404: Text("未找到", "Not found"),
    405: Text("不支持该方法", "Method not allowed"),
    409: Text("状态冲突", "Conflict"),
    413: Text("内容过大", "Content too large"),
    415: Text("不支持的内容类型", "Unsupported media type"),
    422: Text("内容有误", "Unprocessable content"),
    423: Text("账户已锁定", "Account locked"),
    429: Text("请求过多", "Too many requests"),
    500: Text("服务器内部错误", "Internal server error"),
    503: Text("服务暂不可用", "Service unavailable"),
}


def problem(
    status: int, detail: Text, errors: Sequence[dict[str, Any]] = (), headers: Mapping[str, str] | None = None
) -> JSONResponse:
    title = TITLES.get(status, Text("错误", "Error"))
    body: dict[str, Any] = {
        "type": "about:blank",
        "status": status,
        "title": title.en,
        "title_zh": title.zh,
        "detail": detail.en,
        "detail_zh": detail.zh,
    }
    if errors:
        body["errors"] = list(errors)
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def _field(location: Sequence[Any]) -> str:
    parts = [str(p) for p in location if p not in ("body", "query", "path", "header", "cookie")]
    where = str(location[0]) if location else ""
    return f"{where}:{'.'.join(parts)}" if parts else where


async def _validation(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    errors = [
        {
            "field": _field(e.get("loc", ())),
            "message": str(e.get("msg", "")),
            "message_zh": "格式或取值不正确",
            "type": e.get("type", ""),
        }
        for e in error.errors()
    ]
    return problem(
        422,
        Text(
            "请求内容有误，请按各字段的提示修改后重试",
            "the request is not valid; correct the fields listed and retry",
        ),
        errors,
    )


async def _http(_: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HTTPException)
    title = TITLES.get(error.status_code, Text("错误", "Error"))
    return problem(error.status_code, Text(title.zh, str(error.detail)), headers=error.headers)


# The most specific kind first: a subclass is answered with its own status.
STATUSES: tuple[tuple[type[ServiceError], int], ...] = (
    (NotFound, 404),
    (Conflict, 409),
    (TooLarge, 413),
    (UnsupportedType, 415),
    (Invalid, 422),
    (NotAuthenticated, 401),
    (Locked, 423),
    (Forbidden, 403),
    (Unavailable, 503),
)


def status_of(error: ServiceError) -> int:
    """The HTTP status of a service error's kind; 500 for one of no kind (a bug)."""
    return next((status for kind, status in STATUSES if isinstance(error, kind)), 500)


def service_problem(error: ServiceError) -> JSONResponse:
    """The problem for a service error: its message as the detail and, located, every field it
    concerns (an Invalid's `problems`, else its `field`)."""
    located = error.problems if isinstance(error, Invalid) else (Problem(error.field, error.message),)
    errors = [
        {"field": str(p.where), "message": p.message.en, "message_zh": p.message.zh}
        for p in located
        if p.where
    ]
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(error, NotAuthenticated) else None
    return problem(status_of(error), error.message, errors, headers)


def _handlers() -> dict[type[Exception], Any]:
    return {
        ServiceError: lambda _, e: service_problem(e),
        UnknownBundle: lambda _, e: problem(404, Text(f"没有这件事：{e.code}", str(e))),
        InvalidAnswers: lambda _, e: problem(
            422,
            Text("引导问题的回答有误", "the answers do not fit the questions"),
            [{"field": "answers", "message": p, "message_zh": "回答不符合问题的选项"} for p in e.problems],
        ),
        IllegalTransition: lambda _, e: problem(409, Text("该办件当前状态下不能这样操作", str(e))),
        DomainError: lambda _, e: problem(422, Text("请求无法办理", str(e))),
    }


async def _unexpected(request: Request, error: Exception) -> JSONResponse:
    log.error("unexpected error on %s %s: %s", request.method, request.url.path, type(error).__name__)
    return problem(
        500,
        Text(
            "服务器出现意外错误，已记录；请稍后重试",
            "an unexpected error happened and was logged; retry later",
        ),
    )


HtmlErrors = Callable[[Request, JSONResponse], Response]


def install(app: FastAPI, html: HtmlErrors | None = None) -> None:
    """Answer errors as problem+json; outside `/api/`, `html` turns the problem into a page."""

    def wrapped(handler: Any) -> Any:
        async def handle(request: Request, error: Exception) -> Response:
            response = handler(request, error)
            if inspect.isawaitable(response):
                response = await response
            if html is not None and not request.url.path.startswith("/api/"):
                return html(request, response)
            return cast(Response, response)

        return handle

    app.add_exception_handler(RequestValidationError, wrapped(_validation))
    app.add_exception_handler(HTTPException, wrapped(_http))
    for kind, handler in _handlers().items():
        app.add_exception_handler(kind, wrapped(handler))
    app.add_exception_handler(Exception, wrapped(_unexpected))
