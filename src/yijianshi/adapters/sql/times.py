"""Times in SQL: stored in UTC. SQLite keeps no offset, so an aware time is converted going in
and marked UTC coming out; PostgreSQL returns aware times already."""

from __future__ import annotations

import datetime as dt
from typing import overload


@overload
def utc(moment: dt.datetime) -> dt.datetime: ...


@overload
def utc(moment: None) -> None: ...


def utc(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is None:
        return None
    return moment.astimezone(dt.UTC) if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
