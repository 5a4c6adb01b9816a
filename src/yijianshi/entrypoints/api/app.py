"""`create_app(container)`: the FastAPI application over the service layer."""

from __future__ import annotations

from fastapi import Depends, FastAPI

from yijianshi.bootstrap import Container
from yijianshi.entrypoints.api import (
    admin,
    applicants,
    auth,
    certificates,
    dead_letters,
    departments,
    problems,
)
from yijianshi.entrypoints.api.security import authorise
from yijianshi.entrypoints.web import app as web

DESCRIPTION = """Deliver a life event as one thing: one guide, one form, one submission.

Every operation states who may call it in `x-roles` (`anyone`, `applicant`, `clerk`,
`department`, `admin`). Authenticate with `POST /api/auth/token` and send
`Authorization: Bearer <token>`. Window clerks act for an applicant with `X-On-Behalf-Of`.
Errors are `application/problem+json` with `detail` / `detail_zh` and field-level `errors`.
"""


def create_app(container: Container) -> FastAPI:
    """The API on `container`'s context; nothing is built at import time."""
    app = FastAPI(
        title="yijianshi 一件事", version="0.1.0", description=DESCRIPTION, dependencies=[Depends(authorise)]
    )
    app.state.container = container
    for module in (auth, applicants, certificates, departments, admin, dead_letters):
        app.include_router(module.router)
    pages = web.install(app)
    problems.install(app, html=web.html_errors(pages))
    return app
