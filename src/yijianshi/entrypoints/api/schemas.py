"""Request and response bodies of the API (pydantic). A schema is never also a table."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

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
