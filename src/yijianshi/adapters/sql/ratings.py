"""Ratings and rectifications in SQL, on the unit of work's connection."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from yijianshi.adapters.sql.service_tables import ratings, rectifications
from yijianshi.adapters.sql.times import utc
from yijianshi.domain.ratings import Rating, RatingLevel, Rectification, RectificationStatus
from yijianshi.services.cases.ports import AlreadyRated


def _rating(row: Any) -> Rating:
    return Rating(
        row.id,
        row.application_id,
        row.rater,
        RatingLevel(row.level),
        row.comment,
        row.department,
        utc(row.rated_at),
        row.item,
    )


def _rectification(row: Any) -> Rectification:
    return Rectification(
        row.id,
        row.rating_id,
        row.application_id,
        row.department,
        row.due,
        RectificationStatus(row.status),
        row.reply,
        utc(row.replied_at) if row.replied_at else None,
    )


class SqlRatings:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, rating: Rating, rectification: Rectification | None) -> None:
        # ON CONFLICT, not a savepoint around the insert: on SQLite a savepoint opened before the
        # transaction's first write begins the transaction itself, and its release commits the
        # rating even when the unit of work is rolled back
        upsert = postgresql.insert if self.connection.dialect.name == "postgresql" else sqlite.insert
        added = self.connection.execute(
            upsert(ratings)
            .values(
                id=rating.id,
                application_id=rating.application_id,
                rater=rating.rater,
                level=rating.level.value,
                comment=rating.comment,
                department=rating.department,
                item=rating.item,
                rated_at=utc(rating.rated_at),
            )
            .on_conflict_do_nothing(index_elements=["application_id"])
            .returning(ratings.c.id)
        ).first()
        if added is None:
            raise AlreadyRated(rating.application_id)
        if rectification is not None:
            self.connection.execute(
                insert(rectifications).values(
                    id=rectification.id,
                    rating_id=rectification.rating_id,
                    application_id=rectification.application_id,
                    department=rectification.department,
                    due=rectification.due,
                    status=rectification.status.value,
                )
            )

    def of_application(self, application_id: str) -> Rating | None:
        row = self.connection.execute(
            select(ratings).where(ratings.c.application_id == application_id)
        ).first()
        return _rating(row) if row else None

    def all(self) -> list[Rating]:
        return [_rating(r) for r in self.connection.execute(select(ratings).order_by(ratings.c.rated_at))]

    def rectifications(self, department: str | None = None) -> list[Rectification]:
        query = select(rectifications).order_by(rectifications.c.due, rectifications.c.id)
        if department is not None:
            query = query.where(rectifications.c.department == department)
        return [_rectification(r) for r in self.connection.execute(query)]

    def rectification(self, rectification_id: str) -> Rectification | None:
        row = self.connection.execute(
            select(rectifications).where(rectifications.c.id == rectification_id)
        ).first()
        return _rectification(row) if row else None

    def rectification_of(self, rating_id: str) -> Rectification | None:
        row = self.connection.execute(
            select(rectifications).where(rectifications.c.rating_id == rating_id)
        ).first()
        return _rectification(row) if row else None

    def reply(self, rectification_id: str, reply: str, at: dt.datetime) -> None:
        self.connection.execute(
            update(rectifications)
            .where(rectifications.c.id == rectification_id)
            .values(status=RectificationStatus.REPLIED.value, reply=reply, replied_at=utc(at))
        )
