"""What page routes depend on: the renderer, the container, the caller, the CSRF check."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from yijianshi.entrypoints.web.csrf import csrf_checked
from yijianshi.entrypoints.web.render import Pages


def pages(request: Request) -> Pages:
    found: Pages = request.app.state.pages
    return found


Renderer = Annotated[Pages, Depends(pages)]
CSRF = [Depends(csrf_checked)]  # dependencies=CSRF on every POST route of a page
