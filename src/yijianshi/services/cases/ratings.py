"""Use cases of ratings (好差评): rate an application once; a bad rating opens a rectification
(整改) for the department answerable, due in working days; the department replies to the rater."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

from yijianshi.domain.accounts import Principal, Role
from yijianshi.domain.audit import AuditRecord
from yijianshi.domain.cases import Case
from yijianshi.domain.ratings import MAX_COMMENT, Rating, RatingLevel, Rectification, RectificationStatus
from yijianshi.domain.text import Text
from yijianshi.services.access import owned_application
from yijianshi.services.context import Context
from yijianshi.services.errors import Conflict, Invalid, NotFound
from yijianshi.services.unit_of_work import retried_on_conflict

RATEABLE = {"completed", "partially_completed", "rejected"}


@dataclass(frozen=True, slots=True)
class RateApplication:
    """Command: `actor`, the applicant (or a clerk for them), rates `applicant`'s application, or
    one of its items."""

    actor: Principal
    applicant: str
    application_id: str
    level: RatingLevel
    comment: str = ""
    item: str | None = None


@retried_on_conflict
def rate_application(context: Context, command: RateApplication) -> tuple[Rating, Rectification | None]:
    """Store the rating; for a bad one, open a rectification due the policy's `rectification_days`
    working days from today. Raise NotFound (not theirs), Conflict (not finished), Invalid (unknown
    item, comment too long) or AlreadyRated."""
    actor, applicant = command.actor, command.applicant
    if len(command.comment) > MAX_COMMENT:
        raise Invalid(
            Text(
                f"评价内容不能超过{MAX_COMMENT}个字", f"the comment is longer than {MAX_COMMENT} characters"
            ),
            "comment",
        )
    now = context.clock.now()
    with context.unit_of_work() as uow:
        application, row = owned_application(uow, command.application_id, applicant)
        if row.status not in RATEABLE:
            raise Conflict(Text("办结后才能评价", "an application can be rated once it is finished"))
        department = _answerable(context, application.bundle, application.cases.values(), command.item)
        rating = Rating(
            context.ids(),
            application.id,
            applicant,
            command.level,
            command.comment,
            department,
            now,
            command.item,
        )
        rectification = None
        if command.level.bad:
            due = context.calendar.add_working_days(now.date(), context.policy.rectification_days).date
            rectification = Rectification(context.ids(), rating.id, application.id, department, due)
        uow.ratings.add(rating, rectification)
        uow.audit.record(
            application.id,
            [
                AuditRecord(
                    "org.yijianshi.application.rated",
                    now,
                    actor.actor,
                    data={
                        "level": command.level.value,
                        "department": department,
                        "rectification_due": rectification.due.isoformat() if rectification else None,
                        "assisted": actor.role is Role.CLERK,
                    },
                )
            ],
        )
        uow.commit()
    return rating, rectification


def _answerable(context: Context, bundle: str, cases: Iterable[Case], item: str | None) -> str:
    """The rated item's department, else the bundle's lead department (牵头部门)."""
    if item is None:
        return context.catalog.bundles[bundle].lead_department
    for case in cases:
        if case.item == item:
            return case.department
    raise Invalid(Text("该申请不包含此事项", "the application has no such item"), "item")


@dataclass(frozen=True, slots=True)
class ReplyToRectification:
    """Command: `actor` (department staff, or an administrator) replies `reply` to the rater of
    the bad rating that opened rectification `rectification_id`."""

    actor: Principal
    rectification_id: str
    reply: str


@retried_on_conflict
def reply_to_rectification(context: Context, command: ReplyToRectification) -> Rectification:
    """Record the department's reply to the rater; close the rectification. Department staff
    reply for their own department only; administrators for any."""
    actor, rectification_id, reply = command.actor, command.rectification_id, command.reply
    if not reply.strip() or len(reply) > MAX_COMMENT:
        raise Invalid(
            Text(f"回复须为1至{MAX_COMMENT}个字", f"a reply has 1 to {MAX_COMMENT} characters"), "reply"
        )
    now = context.clock.now()
    with context.unit_of_work() as uow:
        found = uow.ratings.rectification(rectification_id)
        if found is None or (actor.role is Role.DEPARTMENT and found.department != actor.department):
            raise NotFound(Text("没有这项整改", "no such rectification"))
        if found.status is RectificationStatus.REPLIED:
            raise Conflict(Text("已经回复过", "already replied"))
        uow.ratings.reply(rectification_id, reply, now)
        uow.audit.record(
            found.application_id,
            [
                AuditRecord(
                    "org.yijianshi.rectification.replied", now, actor.actor, data={"rectification": found.id}
                )
            ],
        )
        uow.commit()
    return dataclasses.replace(found, status=RectificationStatus.REPLIED, reply=reply, replied_at=now)


@dataclass(frozen=True, slots=True)
class ListRectifications:
    """Command: list the rectifications of `department`, or of all (None)."""

    department: str | None = None


def rectifications_of(context: Context, command: ListRectifications) -> list[Rectification]:
    """Rectifications of one department, or of all (None), earliest due first."""
    with context.unit_of_work() as uow:
        return uow.ratings.rectifications(command.department)


@dataclass(frozen=True, slots=True)
class RatedRectification:
    """A rectification with the bad rating that opened it (level, comment, rated item; the
    rater is not named)."""

    rectification: Rectification
    rating: Rating | None


def rated_rectifications(context: Context, command: ListRectifications) -> list[RatedRectification]:
    """As `rectifications_of`, each with its rating: what the department is to rectify."""
    with context.unit_of_work() as uow:
        found = uow.ratings.rectifications(command.department)
        return [RatedRectification(r, uow.ratings.of_application(r.application_id)) for r in found]


@dataclass(frozen=True, slots=True)
class ReadRating:
    """Command: read `applicant`'s rating of their application `application_id`."""

    applicant: str
    application_id: str


def rating_of(context: Context, command: ReadRating) -> tuple[Rating, Rectification | None] | None:
    """The applicant's rating of their application and, for a bad one, its rectification with
    the department's reply; None before rating. NotFound for another's application."""
    applicant, application_id = command.applicant, command.application_id
    with context.unit_of_work() as uow:
        owned_application(uow, application_id, applicant)
        rating = uow.ratings.of_application(application_id)
        if rating is None:
            return None
        return rating, uow.ratings.rectification_of(rating.id)
