"""Uploading materials from the citizen pages, and a department downloading them.

POST /events/{bundle}/materials/upload    one file for one material (multipart), kept in the
                                          database and chosen in the draft
POST /events/{bundle}/materials/remove    remove the upload chosen for a material
GET  /department/cases/{case_id}/materials/{upload_id}
                                          the department's download: only a material its
                                          item asks for, the read audited
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from starlette.responses import Response

from yijianshi.domain.accounts import Role
from yijianshi.domain.text import Text
from yijianshi.entrypoints.api.departments import material_response
from yijianshi.entrypoints.api.deps import ContainerDep, ContextDep
from yijianshi.entrypoints.api.security import Actor, who
from yijianshi.entrypoints.web.citizen_acting import Acts, bundle_of, page, see_other
from yijianshi.entrypoints.web.citizen_apply import guided, material_rows, materials_page
from yijianshi.entrypoints.web.deps import Renderer
from yijianshi.entrypoints.web.errors import refusal_beside, refusal_status
from yijianshi.services.applications.drafts import ReadDraft, draft_of
from yijianshi.services.applications.materials import (
    ReadCaseMaterial,
    RemoveUpload,
    UploadMaterial,
    department_material,
    remove_upload,
    upload_material,
)
from yijianshi.services.errors import Invalid, NotFound

router = APIRouter(include_in_schema=False)
NOT_ASKED = Text("这件事不需要您上传这项材料", "this life event does not ask you to upload that material")


@page(router, "POST", "/events/{bundle}/materials/upload")
def upload(
    request: Request,
    bundle: str,
    container: ContainerDep,
    pages: Renderer,
    acting: Acts,
    material: Annotated[str, Form(max_length=300)] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Store the file for the material (checked by content, type and size); a refusal is shown
    beside the material's file input."""
    found = bundle_of(request, bundle)
    context = container.context
    draft = draft_of(context, ReadDraft(acting.applicant, bundle))
    rows = material_rows(
        container, acting, guided(container, acting, bundle, draft, prefill=False).plan, draft
    )
    row = next((r for r in rows if r["key"] == material), None)
    if row is None:
        raise NotFound(NOT_ASKED)
    field = f"material-{row['number']}"
    limit = container.context.policy.upload_max_bytes
    content = file.file.read(limit + 1) if file is not None else b""
    if file is None or (not file.filename and not content):
        _ = pages.gettext(request)
        errors = [{"field": field, "message": _("Choose the file to upload")}]
        return materials_page(request, container, pages, acting, found, draft, errors, status=422)
    try:
        upload_material(
            context,
            UploadMaterial(
                acting.applicant,
                acting.actor.actor,
                material,
                file.filename or "",
                file.content_type or "",
                content,
                bundle,
            ),
        )
    except Invalid as refused:
        return materials_page(
            request,
            container,
            pages,
            acting,
            found,
            draft,
            refusal_beside(request, refused, field),
            status=refusal_status(refused),
        )
    return see_other(acting.url(f"/events/{bundle}/materials#{field}"))


@page(router, "POST", "/events/{bundle}/materials/remove")
def remove(
    request: Request,
    bundle: str,
    container: ContainerDep,
    acting: Acts,
    material: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    bundle_of(request, bundle)
    remove_upload(container.context, RemoveUpload(acting.applicant, bundle, material))
    return see_other(acting.url(f"/events/{bundle}/materials"))


@router.get("/department/cases/{case_id}/materials/{upload_id}", **who(Role.DEPARTMENT))
def department_download(case_id: str, upload_id: str, context: ContextDep, actor: Actor) -> Response:
    """A material uploaded for the case's item, for its department; the read is audited."""
    return material_response(*department_material(context, ReadCaseMaterial(actor, case_id, upload_id)))
