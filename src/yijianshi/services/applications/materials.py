"""Use cases of materials: what an applicant uploads, what a department reads of it, and the
certificates an application issued.

An upload is checked before it is stored: by size (a setting), by content (the file's first
bytes must be a PDF, JPEG or PNG) and against the type the browser declared. The pages keep the
upload chosen for each material in the applicant's draft, in the transaction that stores it; the
submission attaches the chosen uploads to the application (services.applications). A department
reads only the uploads of its own case's item's materials, and each read is an entry of the
application's audit trail.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from yijianshi.domain.accounts import Principal
from yijianshi.domain.audit import AuditRecord
from yijianshi.domain.catalog import Catalog, MaterialForm, Necessity
from yijianshi.domain.certificates import SignedCertificate
from yijianshi.domain.planning import Plan, ResolvedMaterial, Source
from yijianshi.domain.text import Text
from yijianshi.services.access import department_case, owned_application
from yijianshi.services.applications.ports import Draft, Upload
from yijianshi.services.applications.queries import PURPOSES, READ
from yijianshi.services.audit.ports import ISSUED
from yijianshi.services.context import Context
from yijianshi.services.errors import Invalid, NotFound, TooLarge, UnsupportedType
from yijianshi.services.unit_of_work import retried_on_conflict

# What the first bytes of a file of each accepted type are (its "magic number").
SIGNATURES = {"application/pdf": b"%PDF-", "image/jpeg": b"\xff\xd8\xff", "image/png": b"\x89PNG\r\n\x1a\n"}
TYPE_NAMES = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}
UNDECLARED = {"", "application/octet-stream"}  # a browser that does not know the type says so
EXPORTED = "org.yijianshi.certificate.exported"
DOWNLOAD_PURPOSE = (
    "申请人下载本申请出具的电子证照 (the applicant downloads a certificate the application issued)"
)
NOT_FOUND_UPLOAD = Text("没有这份材料", "no such uploaded material")


@dataclass(frozen=True, slots=True)
class UploadMaterial:
    """Command: store a file as the applicant's material `material` (a material key); with
    `bundle`, also choose it for that material in the applicant's draft of the bundle."""

    applicant: str
    actor: str
    material: str
    filename: str
    declared_type: str
    content: bytes
    bundle: str | None = None


def sniffed_type(content: bytes) -> str | None:
    """The accepted type the content is, by its first bytes; None for anything else."""
    return next((kind for kind, magic in SIGNATURES.items() if content.startswith(magic)), None)


def readable_size(size: int) -> str:
    """A size limit as people read it: `10 MB`, `1.5 MB`, `512 KB`."""
    if size >= 1024 * 1024:
        return f"{round(size / (1024 * 1024), 1):g} MB"
    return f"{max(size // 1024, 1)} KB"


def checked_type(command: UploadMaterial, max_bytes: int) -> str:
    """The content type of an acceptable upload; raise Invalid, TooLarge or UnsupportedType naming the
    field `file` and saying what to do."""
    size, limit = len(command.content), readable_size(max_bytes)
    if size == 0:
        raise Invalid(
            Text("文件是空的，请选择要上传的文件", "the file is empty: choose the file to upload"),
            "file",
        )
    if size > max_bytes:
        raise TooLarge(
            Text(
                f"文件超过 {limit}，请压缩或降低扫描分辨率后重新上传",
                f"the file is larger than {limit}: make it smaller (scan at a lower "
                "resolution) and upload it again",
            ),
            "file",
        )
    found = sniffed_type(command.content)
    if found is None:
        raise UnsupportedType(
            Text(
                "只能上传 PDF、JPEG 或 PNG 文件，此文件的内容不是这几种格式",
                "only PDF, JPEG or PNG files can be uploaded, and this file's content is none of them",
            ),
            "file",
        )
    declared = command.declared_type.split(";")[0].strip().lower()
    if declared not in UNDECLARED and declared != found:
        said = TYPE_NAMES.get(declared, declared)
        raise UnsupportedType(
            Text(
                f"文件声明为 {said}，但内容是 {TYPE_NAMES[found]}，请检查后重新上传",
                f"the file says it is {said} but its content is {TYPE_NAMES[found]}: "
                "check the file and upload it again",
            ),
            "file",
        )
    return found


def catalog_materials(catalog: Catalog) -> set[str]:
    """The key of every material any item of the catalogue asks for."""
    return {m.key for i in catalog.items.values() for m in i.materials}


def _filename(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(c for c in base if c.isprintable()).strip()
    return cleaned[-255:] or "upload"


def upload_material(context: Context, command: UploadMaterial) -> Upload:
    """Store the upload (and, with `bundle`, choose it in the draft, removing the upload it
    replaces) in one transaction. Raise Invalid for a material no item asks for or an empty file,
    TooLarge (over the policy's `upload_max_bytes`), or UnsupportedType for a file not a PDF, JPEG
    or PNG by content or declaration."""
    if command.material not in catalog_materials(context.catalog):
        raise Invalid(
            Text(f"没有这项材料：{command.material}", f"no material {command.material}"), "material"
        )
    content_type = checked_type(command, context.policy.upload_max_bytes)
    upload = Upload(
        context.ids(),
        command.applicant,
        command.material,
        _filename(command.filename),
        content_type,
        len(command.content),
        hashlib.sha256(command.content).hexdigest(),
        command.actor,
        context.clock.now(),
    )
    with context.unit_of_work() as uow:
        uow.uploads.add(upload, command.content)
        if command.bundle is not None:
            draft = uow.drafts.get(command.applicant, command.bundle) or Draft(
                command.applicant, command.bundle
            )
            replaced = draft.materials.get(command.material)
            if replaced:
                uow.uploads.remove(replaced, command.applicant)
            chosen = {**draft.materials, command.material: upload.id}
            uow.drafts.put(dataclasses.replace(draft, materials=chosen, updated_at=upload.created_at))
        uow.commit()
    return upload


@dataclass(frozen=True, slots=True)
class RemoveUpload:
    """Command: remove the upload chosen for `material` in `applicant`'s draft of `bundle`."""

    applicant: str
    bundle: str
    material: str


def remove_upload(context: Context, command: RemoveUpload) -> None:
    """Remove the upload chosen for `material` in the applicant's draft of `bundle` (it is not
    attached to any application yet). NotFound when none is chosen."""
    applicant, material = command.applicant, command.material
    with context.unit_of_work() as uow:
        draft = uow.drafts.get(applicant, command.bundle)
        chosen = draft.materials.get(material) if draft else None
        if draft is None or chosen is None:
            raise NotFound(NOT_FOUND_UPLOAD, f"materials.{material}")
        uow.uploads.remove(chosen, applicant)
        left = {k: v for k, v in draft.materials.items() if k != material}
        uow.drafts.put(dataclasses.replace(draft, materials=left, updated_at=context.clock.now()))
        uow.commit()


@dataclass(frozen=True, slots=True)
class DiscardUploads:
    """Command: delete `applicant`'s uploads `upload_ids`, made for something then refused."""

    applicant: str
    upload_ids: Sequence[str]


def discard_uploads(context: Context, command: DiscardUploads) -> None:
    """Delete the applicant's uploads made for something that was then refused (a supplement);
    an upload attached to an application meanwhile is left as it is."""
    if command.upload_ids:
        with context.unit_of_work() as uow:
            for upload_id in command.upload_ids:
                uow.uploads.remove(upload_id, command.applicant)
            uow.commit()


@dataclass(frozen=True, slots=True)
class ReadDraftUploads:
    """Command: read the uploads `draft` chose."""

    draft: Draft


def uploads_of_draft(context: Context, command: ReadDraftUploads) -> dict[str, Upload]:
    """The uploads the draft chose, by material key (ones gone meanwhile are left out)."""
    draft = command.draft
    with context.unit_of_work() as uow:
        found = {key: uow.uploads.get(upload_id) for key, upload_id in draft.materials.items()}
    return {
        k: u
        for k, u in found.items()
        if u is not None and u.applicant == draft.applicant and u.application_id is None
    }


def to_upload(plan: Plan) -> list[ResolvedMaterial]:
    """The plan's materials the applicant still provides that can be uploaded (not paper only)."""
    return [m for m in plan.materials if m.source is Source.APPLICANT and m.form is not MaterialForm.PAPER]


def on_paper(plan: Plan) -> list[ResolvedMaterial]:
    """The plan's materials the applicant brings as paper originals (a trip to the window)."""
    return [m for m in plan.materials if m.source is Source.APPLICANT and m.form is MaterialForm.PAPER]


def missing_uploads(plan: Plan, chosen: Sequence[str]) -> list[ResolvedMaterial]:
    """Required materials to upload that no upload was chosen for (these block a submission on
    the pages; one that may follow later, 容缺后补, does not)."""
    return [m for m in to_upload(plan) if m.necessity is Necessity.REQUIRED and m.key not in chosen]


@dataclass(frozen=True, slots=True)
class ReadCaseMaterial:
    """Command: department staff `actor` reads upload `upload_id` of their case `case_id`."""

    actor: Principal
    case_id: str
    upload_id: str


@retried_on_conflict
def department_material(context: Context, command: ReadCaseMaterial) -> tuple[Upload, bytes]:
    """An uploaded material of the case's application, for the case's department, if it is one
    of the materials the case's item asks for; the read is audited. NotFound otherwise, as
    for one that does not exist."""
    actor, case_id, upload_id = command.actor, command.case_id, command.upload_id
    now = context.clock.now()
    with context.unit_of_work() as uow:
        application, case = department_case(uow, case_id, actor.department or "")
        upload = uow.uploads.get(upload_id)
        item = context.catalog.items[case.item]
        keys = {m.key for m in item.materials}
        content = uow.uploads.content(upload_id) if upload else None
        shown = (
            upload is not None
            and content is not None
            and upload.application_id == application.id
            and upload.material in keys
        )
        uow.audit.record(
            application.id,
            [
                AuditRecord(
                    READ,
                    now,
                    actor.actor,
                    case_id,
                    {
                        "result": "shown" if shown else "refused",
                        "role": actor.role.value,
                        "upload": upload_id,
                        "material": upload.material if upload else None,
                    },
                    purpose=PURPOSES[actor.role],
                )
            ],
        )
        uow.commit()
    if not shown or upload is None or content is None:
        raise NotFound(NOT_FOUND_UPLOAD)
    return upload, content


@dataclass(frozen=True, slots=True)
class IssuedCertificate:
    """A certificate an application issued: the case that issued it and its identifier."""

    case_id: str
    identifier: str
    certificate_type: str


@dataclass(frozen=True, slots=True)
class ListIssuedCertificates:
    """Command: list the certificates `applicant`'s application `application_id` issued."""

    applicant: str
    application_id: str


def issued_certificates(context: Context, command: ListIssuedCertificates) -> list[IssuedCertificate]:
    """The electronic certificates `applicant`'s application issued, as its trail records them.
    NotFound for another applicant's application."""
    with context.unit_of_work() as uow:
        owned_application(uow, command.application_id, command.applicant)
        log = uow.audit.log(command.application_id)
    return [
        IssuedCertificate(str(e.subject or ""), str(e.data["identifier"]), str(e.data["certificate"]))
        for e in log
        if e.type == ISSUED
    ]


@dataclass(frozen=True, slots=True)
class DownloadApplicationCertificate:
    """Command: `actor` (the applicant, or a clerk for them) downloads certificate `identifier`
    that `applicant`'s application `application_id` issued."""

    actor: Principal
    applicant: str
    application_id: str
    identifier: str


@retried_on_conflict
def application_certificate(context: Context, command: DownloadApplicationCertificate) -> SignedCertificate:
    """A certificate `applicant`'s application issued (to the child of a birth, say), as signed,
    for the applicant to download; the export is audited. NotFound for another applicant's
    application or a certificate another application issued."""
    actor, applicant, application_id = command.actor, command.applicant, command.application_id
    identifier = command.identifier
    with context.unit_of_work() as uow:
        owned_application(uow, application_id, applicant)
        found = uow.wallet.get(identifier)
        if found is None or found[1] != application_id:
            raise NotFound(Text("这件申请没有出具这张证照", "the application issued no such certificate"))
        signed = found[0]
        uow.audit.record(
            application_id,
            [
                AuditRecord(
                    EXPORTED,
                    context.clock.now(),
                    actor.actor,
                    data={
                        "identifier": identifier,
                        "to": "applicant",
                        "on_behalf_of": applicant,
                        "certificate": signed.certificate.certificate_type,
                    },
                    purpose=DOWNLOAD_PURPOSE,
                )
            ],
        )
        uow.commit()
    return signed


@dataclass(frozen=True, slots=True)
class FindSubmission:
    """Command: find `applicant`'s application submitted with `idempotency_key`."""

    applicant: str
    idempotency_key: str


def submitted_with(context: Context, command: FindSubmission) -> str | None:
    """The id of the applicant's application submitted with this idempotency key, if any."""
    with context.unit_of_work() as uow:
        return uow.applications.find_by_key(command.applicant, command.idempotency_key)
