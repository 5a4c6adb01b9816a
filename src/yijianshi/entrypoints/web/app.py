"""`install(app)`: the pages (Jinja2 + HTMX) on the API's app, over the same service layer.

Pages live in `templates/<area>/` (public, citizen, clerk, department, admin); HTMX fragments in
`templates/includes/` are served under `/_partials/...`. Page routes are left out of the OpenAPI
document but declare who may call them like every API route (`who(...)`), and the app-wide
deny-by-default check applies to them too. Every POST carries the CSRF token.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from yijianshi.entrypoints.web import admin, citizen, clerk, department, public
from yijianshi.entrypoints.web.errors import html_errors
from yijianshi.entrypoints.web.render import Pages

STATIC = Path(__file__).parent / "static"


def install(app: FastAPI) -> Pages:
    """Add the pages to `app`; return the renderer (its errors handler goes to problems.install)."""
    pages = Pages()
    app.state.pages = pages
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (public, citizen, clerk, department, admin):
        app.include_router(module.router)
    return pages


__all__ = ["html_errors", "install"]
