"""Ratings of service (好差评, 国办发〔2019〕51号, GB/T 39734-2020) and the rectification of bad ones.

One rating per application (一事一评 online), five levels; the last two are bad ratings. Each
bad rating opens a rectification task (整改) for a department, due within a number of working
days (a setting, 15 by default), that ends with a reply to the rater:

    rating (不满意 / 非常不满意) ──► rectification open ──reply──► replied
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from yijianshi.domain.text import Text


class RatingLevel(StrEnum):
    VERY_SATISFIED = "very_satisfied"
    SATISFIED = "satisfied"
    BASICALLY_SATISFIED = "basically_satisfied"
    DISSATISFIED = "dissatisfied"
    VERY_DISSATISFIED = "very_dissatisfied"

    @property
    def label(self) -> Text:
        return _LABELS[self]

    @property
    def bad(self) -> bool:
        return self in (RatingLevel.DISSATISFIED, RatingLevel.VERY_DISSATISFIED)

    @property
    def score(self) -> int:
        """5 (非常满意) down to 1 (非常不满意), for averages."""
        return 5 - list(RatingLevel).index(self)


_LABELS = {
    RatingLevel.VERY_SATISFIED: Text("非常满意", "very satisfied"),
    RatingLevel.SATISFIED: Text("满意", "satisfied"),
    RatingLevel.BASICALLY_SATISFIED: Text("基本满意", "basically satisfied"),
    RatingLevel.DISSATISFIED: Text("不满意", "dissatisfied"),
    RatingLevel.VERY_DISSATISFIED: Text("非常不满意", "very dissatisfied"),
}

MAX_COMMENT = 500  # characters


class RectificationStatus(StrEnum):
    OPEN = "open"
    REPLIED = "replied"


@dataclass(frozen=True, slots=True)
class Rating:
    """One application's rating by its applicant; `item` when a single matter is rated."""

    id: str
    application_id: str
    rater: str
    level: RatingLevel
    comment: str
    department: str  # who answers for it: the rated item's department, else the bundle's lead
    rated_at: dt.datetime
    item: str | None = None


@dataclass(frozen=True, slots=True)
class Rectification:
    """整改: a bad rating followed up by `department` by `due`, ending with a reply to the rater."""

    id: str
    rating_id: str
    application_id: str
    department: str
    due: dt.date
    status: RectificationStatus = RectificationStatus.OPEN
    reply: str | None = None
    replied_at: dt.datetime | None = None
