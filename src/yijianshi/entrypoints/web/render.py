"""Rendering pages: one Jinja2 environment per language, and what every template can use.

Every template gets:
- `_()` / `ngettext()` for page text (English msgids, translated by the Babel catalogue);
- `t(value)`: the current language's side of a domain `Text`, or of a dict with `name`/`name_en`
  (or any `<key>`/`<key>_en` pair: `t(row, "label")`);
- `lang`, `languages`, `lang_url(code)`: the language and the switch's links;
- `care`, `care_url(on)`: the elderly-friendly mode (适老化: larger text and targets);
- `principal` (None when logged out), `csrf` (the token every POST form carries), `request`;
- `day(date)`, `moment(datetime)`: dates in the reader's language.
"""

from __future__ import annotations

import datetime as dt
import gettext
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlencode

from babel.dates import format_date, format_datetime
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from yijianshi.domain.text import Text
from yijianshi.entrypoints.web import i18n

TEMPLATES = Path(__file__).parent / "templates"
CSRF_COOKIE: Final = "yijianshi_csrf"
CARE_COOKIE: Final = "yijianshi_care"
CST = dt.timezone(dt.timedelta(hours=8))
BABEL_LOCALE = {i18n.ZH: "zh_CN", i18n.EN: "en_GB"}


def _text_in(code: str) -> Any:
    def t(value: Any, key: str = "name") -> str:
        if value is None:
            return ""
        if isinstance(value, Text):
            return value.zh if code == i18n.ZH else value.en
        if isinstance(value, Mapping):
            if code == i18n.EN:
                return str(value.get(f"{key}_en") or value.get("en") or value.get(key) or "")
            return str(value.get(key) or value.get("zh") or "")
        zh, en = getattr(value, "zh", None), getattr(value, "en", None)
        if zh is not None:
            return str(zh if code == i18n.ZH else en)
        return str(value)

    return t


def _dates_in(code: str) -> tuple[Any, Any]:
    locale = BABEL_LOCALE[code]

    def day(value: dt.date | str | None) -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, str):
            value = dt.date.fromisoformat(value[:10])
        return format_date(value, format="long", locale=locale)

    def moment(value: dt.datetime | str | None) -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        if value.tzinfo is not None:
            value = value.astimezone(CST)
        return format_datetime(value, format="medium", locale=locale)

    return day, moment


class Pages:
    """The page renderer of one app: built once at startup, safe to share between threads."""

    def __init__(
        self, translations: Mapping[str, gettext.NullTranslations] | None = None, templates: Path = TEMPLATES
    ) -> None:
        translations = translations or i18n.load()
        self.translations = dict(translations)
        self.environments: dict[str, Environment] = {}
        for code in i18n.LANGUAGES:
            env = Environment(
                loader=FileSystemLoader(templates),
                autoescape=select_autoescape(default=True, default_for_string=True),
                undefined=StrictUndefined,
                extensions=["jinja2.ext.i18n"],
                trim_blocks=True,
                lstrip_blocks=True,
            )
            env.install_gettext_translations(translations[code], newstyle=True)  # type: ignore[attr-defined]
            day, moment = _dates_in(code)
            env.globals.update(
                t=_text_in(code),
                day=day,
                moment=moment,
                lang=i18n.KNOWN[code],
                languages=[i18n.KNOWN[c] for c in i18n.LANGUAGES],
            )
            self.environments[code] = env

    def gettext(self, request: Request) -> Any:
        """`_` of the request's language, for text built in Python (flash messages, PDFs)."""
        return self.translations[language(request)].gettext

    def render(
        self,
        request: Request,
        template: str,
        values: Mapping[str, Any] | None = None,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        code, asked = i18n.chosen(request)
        care = care_mode(request)
        token = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
        env = self.environments[code]
        body = env.get_template(template).render(
            request=request,
            principal=getattr(request.state, "principal", None),
            csrf=token,
            care=care,
            lang_url=lambda c: _with_query(request, lang=c),
            care_url=lambda on: _with_query(request, care="1" if on else "0"),
            **(values or {}),
        )
        response = HTMLResponse(body, status_code=status, headers=dict(headers or {}))
        response.headers.setdefault("Content-Language", i18n.KNOWN[code].html)
        response.headers.setdefault("Cache-Control", "no-store")
        response.headers.setdefault("Vary", "Cookie, Accept-Language")
        if request.cookies.get(CSRF_COOKIE) != token:
            response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict")
        remember(request, response, asked_language=code if asked else None)
        return response


def language(request: Request) -> str:
    return i18n.chosen(request)[0]


def in_language(request: Request, text: Text) -> str:
    """The reader's side of a domain `Text` (a service's message), for text made in Python."""
    return text.zh if language(request) == i18n.ZH else text.en


def care_mode(request: Request) -> bool:
    asked = request.query_params.get("care")
    if asked in ("0", "1"):
        return asked == "1"
    return request.cookies.get(CARE_COOKIE) == "1"


def remember(request: Request, response: Response, asked_language: str | None = None) -> None:
    """Keep an explicitly chosen language and elderly-friendly mode for a year."""
    year = 365 * 24 * 3600
    if asked_language:
        response.set_cookie(i18n.COOKIE, asked_language, max_age=year, samesite="lax")
    asked_care = request.query_params.get("care")
    if asked_care in ("0", "1"):
        response.set_cookie(CARE_COOKIE, asked_care, max_age=year, samesite="lax")


def _with_query(request: Request, **changes: str) -> str:
    query = dict(request.query_params)
    query.update(changes)
    return f"{request.url.path}?{urlencode(query)}"
