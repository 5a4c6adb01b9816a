"""A clock the tests set by hand."""

from __future__ import annotations

import datetime as dt


class FixedClock:
    def __init__(self, now: dt.datetime) -> None:
        self.moment = now

    def now(self) -> dt.datetime:
        return self.moment

    def today(self) -> dt.date:
        return self.moment.date()
