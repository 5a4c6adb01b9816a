"""Ratings and rectifications in memory (see services/cases/ports.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from yijianshi.adapters.memory.applications import utc
from yijianshi.adapters.memory.database import Transaction
from yijianshi.domain.ratings import Rating, Rectification, RectificationStatus
from yijianshi.services.cases.ports import AlreadyRated


class MemoryRatings:
    """Ratings and rectifications of one unit of work (ports.Ratings)."""

    def __init__(self, transaction: Transaction) -> None:
        self.transaction = transaction

    def add(self, rating: Rating, rectification: Rectification | None) -> None:
        tables = self.transaction.write()
        taken = {r.id for r in tables.ratings.values()}
        if rating.application_id in tables.ratings or rating.id in taken:
            raise AlreadyRated(rating.application_id)
        tables.ratings[rating.application_id] = dataclasses.replace(rating, rated_at=utc(rating.rated_at))
        if rectification is not None:
            tables.rectifications[rectification.id] = rectification

    def of_application(self, application_id: str) -> Rating | None:
        return self.transaction.read().ratings.get(application_id)

    def all(self) -> list[Rating]:
        return sorted(self.transaction.read().ratings.values(), key=lambda r: r.rated_at)

    def rectifications(self, department: str | None = None) -> list[Rectification]:
        return sorted(
            (
                r
                for r in self.transaction.read().rectifications.values()
                if department is None or r.department == department
            ),
            key=lambda r: (r.due, r.id),
        )

    def rectification(self, rectification_id: str) -> Rectification | None:
        return self.transaction.read().rectifications.get(rectification_id)

    def rectification_of(self, rating_id: str) -> Rectification | None:
        found = (r for r in self.transaction.read().rectifications.values() if r.rating_id == rating_id)
        return next(found, None)

    def reply(self, rectification_id: str, reply: str, at: dt.datetime) -> None:
        tables = self.transaction.write()
        found = tables.rectifications.get(rectification_id)
        if found is not None:
            tables.rectifications[rectification_id] = dataclasses.replace(
                found, status=RectificationStatus.REPLIED, reply=reply, replied_at=utc(at)
            )
