"""The time, injected so that deadlines can be tested: every use case reads it from its context."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

CHINA_STANDARD_TIME = dt.timezone(dt.timedelta(hours=8))


class Clock(Protocol):
    """The time, injected so that deadlines can be tested."""

    def today(self) -> dt.date:
        """Today in China Standard Time."""
        ...

    def now(self) -> dt.datetime:
        """Timezone-aware."""
        ...


class SystemClock:
    """Today in China Standard Time, whatever the server's zone."""

    def today(self) -> dt.date:
        return self.now().date()

    def now(self) -> dt.datetime:
        return dt.datetime.now(CHINA_STANDARD_TIME)
