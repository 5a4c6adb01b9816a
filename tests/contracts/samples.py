"""Things to store, built by hand for the contract tests."""

from __future__ import annotations

import datetime as dt
import itertools

from yijianshi.domain.cases import Application, Case, CaseState
from yijianshi.services.unit_of_work import UnitOfWork

CST = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 3, 2, 9, 30, 0, 123456, tzinfo=CST)
_numbers = itertools.count(1)


def new_id(prefix: str = "id") -> str:
    return f"{prefix}-{next(_numbers):06d}"


def application(
    applicant: str = "parent-1",
    department: str = "d1",
    states: tuple[CaseState, ...] = (CaseState.SENT, CaseState.WAITING),
    bundle: str = "birth",
) -> Application:
    """An application whose cases are in `states`, the later ones downstream of the first."""
    app_id = new_id("app")
    ids = [new_id("case") for _ in states]
    cases = {
        case_id: Case(
            case_id,
            f"item-{n}",
            department,
            promised_days=5 + n,
            upstream=tuple(ids[:1]) if n else (),
            state=state,
            accepted_on=NOW.date() if state is CaseState.ACCEPTED else None,
        )
        for n, (case_id, state) in enumerate(zip(ids, states, strict=True))
    }
    return Application(app_id, bundle, applicant, cases, {"mother.name": "李秀英"})


def stored(
    unit_of_work: UnitOfWork, app: Application, key: str | None = None, at: dt.datetime = NOW
) -> Application:
    """`app` added and committed in a unit of work of its own."""
    with unit_of_work as uow:
        uow.applications.add(app, key or new_id("key"), at)
        uow.commit()
    return app
