"""Times in SQL: stored in UTC. SQLite keeps no offset, so an aware time is converted going in
and marked UTC coming out; PostgreSQL returns aware times already."""

from __future__ import annotations

import datetime as dt
from typing import overload

_last: tuple[object, dt.datetime | None] = (None, None)


@overload
def utc(moment: dt.datetime) -> dt.datetime: ...


@overload
def utc(moment: None) -> None: ...


def utc(moment: dt.datetime | None) -> dt.datetime | None:
    # The rows of one statement mostly share their time object: it is converted once, and the
    # same converted object comes back for it, so the driver's text of it is made once too
    # (driver.py). An identity cache, not an equality one: equal instants differ in offset.
    global _last
    last = _last  # read once: another thread may replace it meanwhile
    if moment is last[0]:
        return last[1]
    if moment is None:
        return None
    converted = moment.astimezone(dt.UTC) if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    _last = (moment, converted)
    return converted
