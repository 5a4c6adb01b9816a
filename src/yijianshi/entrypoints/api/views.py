"""Service-layer results as API bodies."""

from __future__ import annotations

from yijianshi.domain.ratings import Rectification
from yijianshi.domain.text import Text
from yijianshi.entrypoints.api.schemas import (
    ApplicationPublic,
    CasePublic,
    RectificationPublic,
    TextPublic,
    WorkItemPublic,
)
from yijianshi.services.applications.queries import ApplicationView, CaseView, WorkItem


def text(value: Text) -> TextPublic:
    return TextPublic(zh=value.zh, en=value.en)


def case(view: CaseView) -> CasePublic:
    return CasePublic(
        id=view.id,
        item=view.item,
        name=text(view.name),
        department=view.department,
        department_name=text(view.department_name),
        state=view.state,
        promised_days=view.promised_days,
        deadline=view.deadline,
        colour=view.colour.value,
        outputs=view.outputs,
        reason=text(view.reason) if view.reason else None,
        deferrable=view.deferrable,
        deferred=view.deferred,
    )


def application(view: ApplicationView) -> ApplicationPublic:
    return ApplicationPublic(
        id=view.row.id,
        bundle=view.row.bundle,
        bundle_name=text(view.bundle_name),
        status=view.row.status,
        submitted_at=view.row.submitted_at,
        cases=[case(c) for c in view.cases],
        data=view.data,
    )


def work_item(item: WorkItem) -> WorkItemPublic:
    return WorkItemPublic(
        application_id=item.application_id,
        bundle=item.bundle,
        submitted_at=item.submitted_at,
        case=case(item.case),
    )


def rectification(found: Rectification) -> RectificationPublic:
    return RectificationPublic(
        id=found.id,
        rating_id=found.rating_id,
        application_id=found.application_id,
        department=found.department,
        due=found.due,
        status=found.status.value,
        reply=found.reply,
        replied_at=found.replied_at,
    )
