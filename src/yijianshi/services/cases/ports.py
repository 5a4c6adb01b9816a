"""What the cases area needs from storage: ratings (好差评) and the rectifications (整改) bad ones
open, inside one unit of work."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from yijianshi.domain.ratings import Rating, Rectification
from yijianshi.services.errors import AlreadyRated as AlreadyRated  # Ratings.add raises it


class Ratings(Protocol):
    """Ratings and rectifications, inside one unit of work."""

    def add(self, rating: Rating, rectification: Rectification | None) -> None:
        """Store a rating (and the rectification a bad one opens); AlreadyRated if rated before."""
        ...

    def of_application(self, application_id: str) -> Rating | None: ...

    def all(self) -> list[Rating]: ...

    def rectifications(self, department: str | None = None) -> list[Rectification]: ...

    def rectification(self, rectification_id: str) -> Rectification | None: ...

    def rectification_of(self, rating_id: str) -> Rectification | None:
        """The rectification a bad rating opened, if any."""
        ...

    def reply(self, rectification_id: str, reply: str, at: dt.datetime) -> None: ...
