"""Ratings: one per application, and the rectifications bad ones open, on every backend."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from tests.contracts.conftest import UnitOfWorkFactory
from tests.contracts.samples import NOW, application, new_id, stored
from yijianshi.domain.ratings import Rating, RatingLevel, Rectification, RectificationStatus
from yijianshi.services.cases.ports import AlreadyRated


def rated(
    unit_of_work: UnitOfWorkFactory,
    level: RatingLevel = RatingLevel.DISSATISFIED,
    department: str = "d1",
    due: dt.date = dt.date(2026, 3, 23),
    at: dt.datetime = NOW,
) -> tuple[Rating, Rectification | None]:
    app = stored(unit_of_work(), application())
    rating = Rating(new_id("rating"), app.id, app.applicant, level, "太慢了", department, at, "item-0")
    rectification = Rectification(new_id("rect"), rating.id, app.id, department, due) if level.bad else None
    with unit_of_work() as uow:
        uow.ratings.add(rating, rectification)
        uow.commit()
    return rating, rectification


def test_a_rating_and_its_rectification_read_back(unit_of_work: UnitOfWorkFactory) -> None:
    rating, rectification = rated(unit_of_work)
    assert rectification is not None
    with unit_of_work() as uow:
        assert uow.ratings.of_application(rating.application_id) == rating
        assert uow.ratings.of_application("nobody") is None
        assert uow.ratings.rectification(rectification.id) == rectification
        assert uow.ratings.rectification_of(rating.id) == rectification
        assert uow.ratings.rectification("nothing") is None


def test_a_good_rating_opens_no_rectification(unit_of_work: UnitOfWorkFactory) -> None:
    rating, _ = rated(unit_of_work, RatingLevel.VERY_SATISFIED)
    with unit_of_work() as uow:
        assert uow.ratings.rectification_of(rating.id) is None
        assert uow.ratings.rectifications() == []


def test_an_application_is_rated_once(unit_of_work: UnitOfWorkFactory) -> None:
    rating, _ = rated(unit_of_work, RatingLevel.SATISFIED)
    with unit_of_work() as uow:
        with pytest.raises(AlreadyRated):
            uow.ratings.add(dataclasses.replace(rating, id=new_id("rating")), None)
        assert uow.ratings.of_application(rating.application_id) == rating  # still usable


def test_ratings_come_in_the_order_given(unit_of_work: UnitOfWorkFactory) -> None:
    later, _ = rated(unit_of_work, RatingLevel.SATISFIED, at=NOW + dt.timedelta(hours=1))
    earlier, _ = rated(unit_of_work, RatingLevel.SATISFIED, at=NOW)
    with unit_of_work() as uow:
        assert uow.ratings.all() == [earlier, later]


def test_rectifications_come_earliest_due_first_per_department(unit_of_work: UnitOfWorkFactory) -> None:
    _, late = rated(unit_of_work, due=dt.date(2026, 4, 1))
    _, soon = rated(unit_of_work, due=dt.date(2026, 3, 20))
    _, elsewhere = rated(unit_of_work, department="d2", due=dt.date(2026, 3, 1))
    with unit_of_work() as uow:
        assert uow.ratings.rectifications() == [elsewhere, soon, late]
        assert uow.ratings.rectifications("d1") == [soon, late]


def test_a_reply_closes_the_rectification(unit_of_work: UnitOfWorkFactory) -> None:
    _, rectification = rated(unit_of_work)
    assert rectification is not None
    with unit_of_work() as uow:
        uow.ratings.reply(rectification.id, "已整改", NOW)
        uow.commit()
    with unit_of_work() as uow:
        found = uow.ratings.rectification(rectification.id)
    assert found == dataclasses.replace(
        rectification, status=RectificationStatus.REPLIED, reply="已整改", replied_at=NOW
    )


def test_a_rating_is_kept_only_when_committed(unit_of_work: UnitOfWorkFactory) -> None:
    app = stored(unit_of_work(), application())
    with unit_of_work() as uow:
        uow.ratings.add(Rating("r-1", app.id, "p", RatingLevel.SATISFIED, "", "d1", NOW), None)
    with unit_of_work() as uow:
        assert uow.ratings.all() == []
