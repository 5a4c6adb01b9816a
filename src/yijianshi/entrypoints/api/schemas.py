"""Request and response bodies of the API (pydantic). A schema is never also a table."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from yijianshi.domain.catalog import MaterialForm, Necessity
from yijianshi.domain.certificates import CertificateStatus, HolderCodeType
from yijianshi.domain.planning import Source
from yijianshi.domain.ratings import RatingLevel

Key = Field(min_length=1, max_length=100)
Answers = dict[str, str]


class Strict(BaseModel):
    """A request body: unknown keys and NUL characters (which no database text column takes)
    are refused with the field named."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, data: Any) -> Any:
        where = nul_in(data)
        if where is not None:
            raise ValueError(f"{where or 'a value'} contains a NUL character (\\u0000); remove it")
        return data


def nul_in(value: Any, where: str = "") -> str | None:
    """The path of the first string (or key) holding U+0000 in `value`, else None."""
    if isinstance(value, str):
        return where if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{where}.{key}" if where else str(key)
            if "\x00" in str(key):
                return here
            found = nul_in(item, here)
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = nul_in(item, f"{where}[{index}]")
            if found is not None:
                return found
    return None


class TextPublic(BaseModel):
    zh: str
    en: str


class TokenCreate(Strict):
    account: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200)


class TokenPublic(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int
    role: str
    account: str


class PrincipalPublic(BaseModel):
    account: str
    role: str
    name: str
    department: str | None


class PlanCreate(Strict):
    answers: Answers = Field(default_factory=dict, description="Question code -> option code")
    people: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "Subject on the form (mother, father, applicant) -> resident ID number, to use what "
            "government holds about them: their electronic certificates and the registers"
        ),
    )


class FormFieldPublic(BaseModel):
    key: str
    label: str
    label_en: str
    required: bool
    items: list[str]
    prefill: str | None = Field(
        description="upstream, certificate, register, or null: typed by the applicant"
    )
    prefill_from: str | None
    value: str | None = Field(description="The pre-filled value, when government holds it")


class FormPublic(BaseModel):
    bundle: str
    fields: list[FormFieldPublic]
    materials: list[dict[str, Any]]


class ApplicationCreate(Strict):
    bundle: str = Key
    answers: Answers = Field(default_factory=dict)
    values: dict[str, str] = Field(default_factory=dict, description="Merged-form field key -> value")
    people: dict[str, str] = Field(
        default_factory=dict, description="As for a plan: whose certificates count"
    )
    materials: dict[str, str] = Field(
        default_factory=dict,
        description="Material key (as `POST /api/materials` took it) -> upload id, for materials the "
        "plan asks the applicant for; attached to the application as it is stored",
    )


class UploadPublic(BaseModel):
    """An uploaded material, checked by content: PDF, JPEG or PNG."""

    id: str
    material: str = Field(description="`<certificate type>:<subject>`, or `name:<name>` for a free-text one")
    filename: str
    content_type: str
    size: int = Field(description="Bytes")
    sha256: str


class SubmittedPublic(BaseModel):
    id: str
    created: bool = Field(description="False when the idempotency key named an earlier submission")


class ApplicationSummary(BaseModel):
    id: str
    bundle: str
    status: str
    submitted_at: dt.datetime


class CasePublic(BaseModel):
    id: str
    item: str
    name: TextPublic
    department: str
    department_name: TextPublic
    state: str
    promised_days: int
    deadline: dt.date | None
    colour: str
    outputs: dict[str, Any]
    reason: TextPublic | None
    deferrable: bool
    deferred: bool


class ApplicationPublic(BaseModel):
    id: str
    bundle: str
    bundle_name: TextPublic
    status: str
    submitted_at: dt.datetime
    cases: list[CasePublic]
    data: dict[str, Any]


class SupplementCreate(Strict):
    values: dict[str, str] = Field(
        default_factory=dict, description="The fields the department asked to add or correct"
    )
    materials: dict[str, str] = Field(
        default_factory=dict,
        description="The materials the department asked to add: material key -> the id of an upload "
        "(`POST /api/materials`), attached to the application with the supplement. A "
        "supplement gives at least one field or one material",
    )


class RatingCreate(Strict):
    level: RatingLevel
    comment: str = Field("", max_length=500)
    item: str | None = Field(
        None, max_length=100, description="Rate one item (一事一评) instead of the whole"
    )


class RatingPublic(BaseModel):
    id: str
    level: str
    level_label: TextPublic
    department: str
    rectification_due: dt.date | None
    reply: str | None = Field(None, description="The department's reply to a bad rating, once it rectified")


class WorkItemPublic(BaseModel):
    application_id: str
    bundle: str
    submitted_at: dt.datetime
    case: CasePublic


class CaseDetailPublic(BaseModel):
    application_id: str
    bundle: str
    case: CasePublic
    fields: dict[str, Any] = Field(description="Only the data elements this item declares")
    materials: list[dict[str, Any]]


class TextCreate(Strict):
    zh: str = Field(min_length=1, max_length=500)
    en: str = Field(min_length=1, max_length=500)


class CompletionCreate(Strict):
    outputs: dict[str, Any] = Field(default_factory=dict, description="What the item produced")


class ReplyCreate(Strict):
    reply: str = Field(min_length=1, max_length=500)


class RectificationPublic(BaseModel):
    id: str
    rating_id: str
    application_id: str
    department: str
    due: dt.date
    status: str
    reply: str | None
    replied_at: dt.datetime | None


class BundlePublic(BaseModel):
    """A life event on offer (一件事), as listed."""

    code: str
    name: str
    name_en: str
    description: str | None
    description_en: str | None
    items: int = Field(description="How many items the bundle can take in")
    lead_department: str


class QuestionOptionPublic(BaseModel):
    code: str
    label: str
    label_en: str


class QuestionPublic(BaseModel):
    """A guidance question (智能引导问题)."""

    code: str
    text: str
    text_en: str
    default: str = Field(description="The option code taken when the question is not answered")
    help: str | None
    help_en: str | None
    options: list[QuestionOptionPublic]


class BundleGuidancePublic(BaseModel):
    """A bundle and its guidance questions."""

    code: str
    name: str
    name_en: str
    questions: list[QuestionPublic]


class PlanBundlePublic(BaseModel):
    code: str
    name: str
    name_en: str


class PlanItemPublic(BaseModel):
    """An item the plan takes on, placed in its stage."""

    code: str
    name: str
    name_en: str
    department: str
    department_name: str
    department_name_en: str
    stage: int = Field(description="Stage number; the items of one stage run in parallel")
    depends_on: list[str] = Field(description="Codes of the items whose outputs this item needs")
    promised_days: int = Field(description="Working days")
    starts_after_days: int = Field(description="Working days after acceptance when its inputs are ready")
    finishes_after_days: int = Field(description="Working days after acceptance")
    deferrable: bool


class PlanCompletionPublic(BaseModel):
    working_days: int
    date: dt.date
    provisional: bool = Field(
        description="True when the date is reached through a year whose holidays were computed by rule, "
        "not yet published by the State Council"
    )


class PlanFieldPublic(BaseModel):
    """A field of the one merged form."""

    key: str
    label: str
    label_en: str
    items: list[str]
    required: bool
    prefill: str | None = Field(
        description="upstream, certificate, register, or null: typed by the applicant"
    )
    prefill_from: str | None


class PlanFormPublic(BaseModel):
    fields: list[PlanFieldPublic]


class PlanMaterialPublic(BaseModel):
    """A material and where it comes from; only `source: applicant` is brought by the applicant."""

    name: str
    name_en: str
    certificate: str | None
    subject: str
    items: list[str]
    source: Source
    source_ref: str | None
    necessity: Necessity
    form: MaterialForm


class PlanMeasuresPublic(BaseModel):
    """What the applicant goes through, counted."""

    forms: int
    fields: int
    materials: int
    departments: int
    trips: int
    working_days: int


class ReportedFiguresPublic(BaseModel):
    """Figures a source reports for the bundle, to compare with the computed ones."""

    source: str
    before: dict[str, int | float] = Field(description="Measure -> figure")
    after: dict[str, int | float] = Field(description="Measure -> figure")


class PlanMetricsPublic(BaseModel):
    before: PlanMeasuresPublic = Field(description="Applying item by item")
    after: PlanMeasuresPublic = Field(description="Applying for the bundle as one thing")
    reported: ReportedFiguresPublic | None = Field(
        None, description="Present only for a bundle with reported figures"
    )


class PlanPublic(BaseModel):
    """What will be done: items, parallel stages, time limit, one form, materials, what it saves."""

    bundle: PlanBundlePublic
    answers: Answers = Field(description="Question code -> option code, defaults filled in")
    start: dt.date = Field(description="Day of acceptance")
    items: list[PlanItemPublic]
    skipped: list[str] = Field(description="Codes of the bundle's items the answers ruled out")
    stages: list[list[str]] = Field(description="Item codes per stage, in order")
    critical_path: list[str]
    completion: PlanCompletionPublic
    form: PlanFormPublic
    materials: list[PlanMaterialPublic]
    metrics: PlanMetricsPublic


class CatalogItemPublic(BaseModel):
    """A service item of the catalogue (政务服务事项)."""

    code: str
    name: str
    name_en: str
    department: str
    promised_days: int = Field(description="Working days")
    statutory_days: int = Field(description="Working days")
    fields: list[str] = Field(description="Data-element keys of its form")
    materials: list[str] = Field(description="Material names")
    issues: list[str] = Field(description="Certificate types it issues")
    outputs: list[str] = Field(description="Data-element keys it produces")


class CatalogBundlePublic(BaseModel):
    code: str
    name: str
    name_en: str
    lead_department: str
    items: list[str] = Field(description="Item codes")


class StatisticsPublic(BaseModel):
    """Figures over every application; a share is null while there is nothing to count."""

    applications: dict[str, dict[str, int]] = Field(description="Bundle -> status -> count")
    cases_completed: int
    mean_working_days: float | None = Field(description="Acceptance to completion, pauses excluded")
    within_time_limit: float | None = Field(description="Share of completed cases finished by their deadline")
    overdue_open: int = Field(description="Cases still open past their deadline")
    ratings: dict[str, int] = Field(description="Rating level -> count")
    satisfaction: float | None = Field(description="Share of ratings that are not bad")
    rectifications_open: int
    rectifications_overdue: int
    completion_days: dict[int, int] = Field(description="Working days -> completed cases")


class CertificatePublic(BaseModel):
    """An electronic certificate's directory entry (电子证照, GB/T 36903)."""

    identifier: str
    certificate_type: str
    type_name: str
    type_code: str
    number: str
    issuer: str
    issuer_code: str
    issue_date: dt.date
    holder: str
    holder_code: str
    holder_code_type: HolderCodeType
    jurisdiction: str
    valid_from: dt.date
    valid_until: dt.date | None = Field(description="null: long-term")
    status: CertificateStatus
    related: str | None = Field(description="The identifier of the certificate this one renews")
    data: dict[str, str] = Field(description="照面信息: data-element key -> text")


class CertificateSignaturePublic(BaseModel):
    algorithm: str
    key_id: str
    value: str


class SignedCertificatePublic(BaseModel):
    """A signed certificate file, verifiable offline."""

    format: str
    certificate: CertificatePublic
    signature: CertificateSignaturePublic
