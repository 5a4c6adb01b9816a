"""Routes for applicants, and for window clerks acting for them (无差别受理, X-On-Behalf-Of)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Header, Response, UploadFile

from yijianshi.domain.accounts import Role
from yijianshi.domain.text import Text
from yijianshi.entrypoints.api import views
from yijianshi.entrypoints.api.deps import ContainerDep, ContextDep
from yijianshi.entrypoints.api.schemas import (
    ApplicationCreate,
    ApplicationPublic,
    ApplicationSummary,
    BundleGuidancePublic,
    BundlePublic,
    FormFieldPublic,
    FormPublic,
    PlanCreate,
    PlanPublic,
    QuestionOptionPublic,
    QuestionPublic,
    RatingCreate,
    RatingPublic,
    SubmittedPublic,
    SupplementCreate,
    UploadPublic,
)
from yijianshi.entrypoints.api.security import ANYONE, Actor, Applicant, who
from yijianshi.entrypoints.presenters.plan_view import plan_as_dict
from yijianshi.services.applications.materials import UploadMaterial, upload_material
from yijianshi.services.applications.queries import (
    ListApplications,
    ViewApplication,
    application_view,
    applications_of,
)
from yijianshi.services.applications.submission import SubmitApplication, submit_application
from yijianshi.services.cases.actions import (
    SupplementCase,
    WithdrawApplication,
    supplement_case,
    withdraw_application,
)
from yijianshi.services.cases.ratings import RateApplication, ReadRating, rate_application, rating_of
from yijianshi.services.errors import NotFound
from yijianshi.services.sharing.guidance import GuideApplicant, guide

router = APIRouter(prefix="/api", tags=["applicants"])
PEOPLE = (Role.APPLICANT, Role.CLERK)


@router.get("/bundles", **who(ANYONE))
def list_bundles(context: ContextDep) -> list[BundlePublic]:
    """The life events (一件事) on offer."""
    return [
        BundlePublic(
            code=b.code,
            name=b.name.zh,
            name_en=b.name.en,
            description=b.description.zh if b.description else None,
            description_en=b.description.en if b.description else None,
            items=len(b.items),
            lead_department=b.lead_department,
        )
        for b in context.catalog.bundles.values()
    ]


@router.get("/bundles/{code}", **who(ANYONE))
def get_bundle(code: str, context: ContextDep) -> BundleGuidancePublic:
    """A bundle's guidance questions (one per page in the citizen's pages)."""
    bundle = context.catalog.bundles.get(code)
    if bundle is None:
        raise NotFound(Text(f"没有这件事：{code}", f"no bundle {code}"))
    return BundleGuidancePublic(
        code=bundle.code,
        name=bundle.name.zh,
        name_en=bundle.name.en,
        questions=[
            QuestionPublic(
                code=q.code,
                text=q.text.zh,
                text_en=q.text.en,
                default=q.default,
                help=q.help.zh if q.help else None,
                help_en=q.help.en if q.help else None,
                options=[
                    QuestionOptionPublic(code=o.code, label=o.label.zh, label_en=o.label.en)
                    for o in q.options
                ],
            )
            for q in bundle.questions
        ],
    )


# Unset is left out: a plan names `metrics.reported` only for a bundle with reported figures.
@router.post("/bundles/{code}/plan", response_model_exclude_unset=True, **who(*PEOPLE))
def plan(
    code: str, body: PlanCreate, container: ContainerDep, actor: Actor, applicant: Applicant
) -> PlanPublic:
    """What will be done: items, stages, time limit, and what need not be brought."""
    guided = guide(
        container.context,
        GuideApplicant(actor.actor, applicant, code, body.answers, body.people, prefill=False),
        container.registers,
    )
    return PlanPublic.model_validate(plan_as_dict(container.catalog, guided.plan))


@router.post("/bundles/{code}/form", **who(*PEOPLE))
def form(
    code: str, body: PlanCreate, container: ContainerDep, actor: Actor, applicant: Applicant
) -> FormPublic:
    """The one merged form, pre-filled with what government holds, and the materials still needed."""
    guided = guide(
        container.context,
        GuideApplicant(actor.actor, applicant, code, body.answers, body.people),
        container.registers,
    )
    shown = plan_as_dict(container.catalog, guided.plan)
    return FormPublic(
        bundle=code,
        fields=[FormFieldPublic(**f, value=guided.values.get(f["key"])) for f in shown["form"]["fields"]],
        materials=shown["materials"],
    )


@router.post("/applications", status_code=201, **who(*PEOPLE))
def submit(
    body: ApplicationCreate,
    container: ContainerDep,
    actor: Actor,
    applicant: Applicant,
    response: Response,
    idempotency_key: Annotated[
        str,
        Header(
            alias="Idempotency-Key",
            min_length=8,
            max_length=200,
            description="A fresh random key per submission; a retry sends the same one",
        ),
    ],
) -> SubmittedPublic:
    """Submit the one form. What government holds about the `people` (their certificates, the
    registers) fills the fields left empty. A retry with the same Idempotency-Key returns the
    first application (200)."""
    guided = guide(
        container.context,
        GuideApplicant(actor.actor, applicant, body.bundle, body.answers, body.people),
        container.registers,
    )
    done = submit_application(
        container.context,
        SubmitApplication(
            body.bundle,
            applicant,
            idempotency_key,
            {**guided.values, **body.values},
            body.answers,
            guided.holdings,
            actor.actor if actor.role is Role.CLERK else "",
            body.materials,
        ),
    )
    if not done.created:
        response.status_code = 200
    return SubmittedPublic(id=done.application_id, created=done.created)


@router.get("/applications", **who(*PEOPLE))
def my_applications(context: ContextDep, applicant: Applicant) -> list[ApplicationSummary]:
    return [
        ApplicationSummary(id=r.id, bundle=r.bundle, status=r.status, submitted_at=r.submitted_at)
        for r in applications_of(context, ListApplications(applicant))
    ]


@router.get("/applications/{application_id}", **who(*PEOPLE))
def get_application(
    application_id: str, context: ContextDep, actor: Actor, applicant: Applicant
) -> ApplicationPublic:
    """One line per item: state, department, deadline, outputs; and the form data (read audited)."""
    return views.application(application_view(context, ViewApplication(actor, applicant, application_id)))


@router.post("/applications/{application_id}/cases/{case_id}/supplement", status_code=204, **who(*PEOPLE))
def supplement(
    application_id: str,
    case_id: str,
    body: SupplementCreate,
    context: ContextDep,
    actor: Actor,
    applicant: Applicant,
) -> None:
    """Answer a supplement request (补正) with fields and uploaded materials: the item's clock
    resumes."""
    supplement_case(
        context,
        SupplementCase(actor, applicant, application_id, case_id, body.values, body.materials),
    )


@router.post("/applications/{application_id}/withdraw", status_code=204, **who(*PEOPLE))
def withdraw(application_id: str, context: ContextDep, actor: Actor, applicant: Applicant) -> None:
    withdraw_application(context, WithdrawApplication(actor, applicant, application_id))


@router.post("/applications/{application_id}/rating", status_code=201, **who(*PEOPLE))
def rate(
    application_id: str, body: RatingCreate, container: ContainerDep, actor: Actor, applicant: Applicant
) -> RatingPublic:
    """Rate a finished application once (好差评); a bad rating opens a rectification."""
    rating, rectification = rate_application(
        container.context,
        RateApplication(actor, applicant, application_id, body.level, body.comment, body.item),
    )
    return RatingPublic(
        id=rating.id,
        level=rating.level.value,
        level_label=views.text(rating.level.label),
        department=rating.department,
        rectification_due=rectification.due if rectification else None,
    )


@router.get("/applications/{application_id}/rating", **who(*PEOPLE))
def get_rating(application_id: str, context: ContextDep, applicant: Applicant) -> RatingPublic:
    """The rating given, and for a bad one the department's reply once it has rectified (整改)."""
    found = rating_of(context, ReadRating(applicant, application_id))
    if found is None:
        raise NotFound(Text("这件申请还没有评价", "the application has not been rated"))
    rating, rectification = found
    return RatingPublic(
        id=rating.id,
        level=rating.level.value,
        level_label=views.text(rating.level.label),
        department=rating.department,
        rectification_due=rectification.due if rectification else None,
        reply=rectification.reply if rectification else None,
    )


@router.post("/materials", status_code=201, **who(*PEOPLE))
def upload(
    container: ContainerDep,
    actor: Actor,
    applicant: Applicant,
    material: Annotated[
        str,
        Form(min_length=1, max_length=300, description="The material's key, as a plan's materials give it"),
    ],
    file: Annotated[UploadFile, File(description="PDF, JPEG or PNG, at most the configured size")],
) -> UploadPublic:
    """Upload a material the plan asks the applicant for; name it in `materials` when submitting.
    The content must be a PDF, JPEG or PNG (checked by its bytes) of at most
    `YIJIANSHI_UPLOAD_MAX_BYTES` (10 MB by default)."""
    limit = container.context.policy.upload_max_bytes
    content = file.file.read(limit + 1)  # one byte more than allowed is enough to refuse it
    stored = upload_material(
        container.context,
        UploadMaterial(
            applicant, actor.actor, material, file.filename or "", file.content_type or "", content
        ),
    )
    return UploadPublic(
        id=stored.id,
        material=stored.material,
        filename=stored.filename,
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
    )
