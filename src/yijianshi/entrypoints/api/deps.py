"""The container of the running app, for routes (built by bootstrap, never by a route)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from yijianshi.bootstrap import Container
from yijianshi.services.context import Context


def container(request: Request) -> Container:
    found: Container = request.app.state.container
    return found


def context(request: Request) -> Context:
    return container(request).context


ContextDep = Annotated[Context, Depends(context)]
ContainerDep = Annotated[Container, Depends(container)]
