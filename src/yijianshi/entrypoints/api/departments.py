"""Routes for department staff: their own department's cases only, minimised to their items."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Response

from yijianshi.domain.accounts import Role
from yijianshi.domain.cases import CaseState, Colour
from yijianshi.domain.text import Text
from yijianshi.entrypoints.api import views
from yijianshi.entrypoints.api.deps import ContextDep
from yijianshi.entrypoints.api.schemas import (
    CaseDetailPublic,
    CompletionCreate,
    RectificationPublic,
    ReplyCreate,
    TextCreate,
    WorkItemPublic,
)
from yijianshi.entrypoints.api.security import Actor, who
from yijianshi.services.applications.materials import ReadCaseMaterial, department_material
from yijianshi.services.applications.ports import Upload
from yijianshi.services.applications.queries import ListWorklist, ViewCase, case_detail, worklist
from yijianshi.services.cases.actions import DecideCase, department_decision
from yijianshi.services.cases.ratings import (
    ListRectifications,
    ReplyToRectification,
    rectifications_of,
    reply_to_rectification,
)

router = APIRouter(prefix="/api/department", tags=["departments"])
STAFF = who(Role.DEPARTMENT)


def material_response(upload: Upload, content: bytes) -> Response:
    """An uploaded file as a download: its checked type, its name, never sniffed as anything else."""
    name = quote(upload.filename, safe="")
    return Response(
        content,
        media_type=upload.content_type,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{name}",
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
        },
    )


@router.get("/cases", **STAFF)
def list_cases(
    context: ContextDep,
    actor: Actor,
    state: Annotated[CaseState | None, Query(description="Only cases in this state")] = None,
    colour: Annotated[Colour | None, Query(description="Only this deadline colour")] = None,
) -> list[WorkItemPublic]:
    """The worklist: most urgent deadline first."""
    found = worklist(context, ListWorklist(actor.department or "", state.value if state else None, colour))
    return [views.work_item(w) for w in found]


@router.get("/cases/{case_id}", **STAFF)
def get_case(case_id: str, context: ContextDep, actor: Actor) -> CaseDetailPublic:
    """A case with only the data elements and materials its item declares (read audited)."""
    detail = case_detail(context, ViewCase(actor, case_id))
    return CaseDetailPublic(
        application_id=detail.application_id,
        bundle=detail.bundle,
        case=views.case(detail.case),
        fields=detail.minimised.fields,
        materials=detail.minimised.materials,
    )


@router.get(
    "/cases/{case_id}/materials/{upload_id}",
    response_class=Response,
    **STAFF,
    responses={
        200: {
            "content": {t: {} for t in ("application/pdf", "image/jpeg", "image/png")},
            "description": "The uploaded file, as the applicant uploaded it",
        }
    },
)
def download_material(case_id: str, upload_id: str, context: ContextDep, actor: Actor) -> Response:
    """An uploaded material of one of the case's item's materials (the read is audited)."""
    return material_response(*department_material(context, ReadCaseMaterial(actor, case_id, upload_id)))


@router.post("/cases/{case_id}/accept", status_code=204, **STAFF)
def accept(case_id: str, context: ContextDep, actor: Actor) -> None:
    """受理: the time limit starts."""
    department_decision(context, DecideCase(actor, case_id, "accept"))


@router.post("/cases/{case_id}/supplement-request", status_code=204, **STAFF)
def request_supplement(case_id: str, body: TextCreate, context: ContextDep, actor: Actor) -> None:
    """补正: ask the applicant for something; the clock stops."""
    department_decision(context, DecideCase(actor, case_id, "request_supplement", Text(body.zh, body.en)))


@router.post("/cases/{case_id}/complete", status_code=204, **STAFF)
def complete(case_id: str, body: CompletionCreate, context: ContextDep, actor: Actor) -> None:
    """办结 with outputs: they flow to the items waiting for them."""
    department_decision(context, DecideCase(actor, case_id, "complete", outputs=body.outputs))


@router.post("/cases/{case_id}/reject", status_code=204, **STAFF)
def reject(case_id: str, body: TextCreate, context: ContextDep, actor: Actor) -> None:
    """Refuse, with a reason the applicant reads; items waiting for this one are blocked."""
    department_decision(context, DecideCase(actor, case_id, "reject", Text(body.zh, body.en)))


@router.get("/rectifications", **STAFF)
def my_rectifications(context: ContextDep, actor: Actor) -> list[RectificationPublic]:
    """Bad ratings of this department to rectify (整改), earliest due first."""
    return [
        views.rectification(r) for r in rectifications_of(context, ListRectifications(actor.department or ""))
    ]


@router.post("/rectifications/{rectification_id}/reply", **STAFF)
def reply(rectification_id: str, body: ReplyCreate, context: ContextDep, actor: Actor) -> RectificationPublic:
    """Reply to the rater; the rectification is closed."""
    return views.rectification(
        reply_to_rectification(context, ReplyToRectification(actor, rectification_id, body.reply))
    )
