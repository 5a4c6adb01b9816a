"""Routes of electronic certificates: the holder's wallet, downloads, and verification by anyone."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from yijianshi.domain.accounts import Role
from yijianshi.domain.certificate_documents import FORMAT, signed_document, to_document
from yijianshi.domain.text import Text
from yijianshi.entrypoints.api.deps import ContainerDep
from yijianshi.entrypoints.api.schemas import CertificatePublic, SignedCertificatePublic, Strict
from yijianshi.entrypoints.api.security import ANYONE, Actor, Applicant, who
from yijianshi.services.accounts.local_accounts import ReadApplicantIdNumber, applicant_id_number
from yijianshi.services.errors import Invalid, NotFound, UnknownCertificate
from yijianshi.services.sharing.certificates import (
    DownloadHeldCertificate,
    ListCertificates,
    held_certificate,
    list_certificates,
    resident,
)
from yijianshi.services.sharing.verification import verify_certificate_document

router = APIRouter(prefix="/api/certificates", tags=["certificates"])
PURPOSE = "持证人查看、下载本人电子证照 (the holder views or downloads their certificates)"


class SignaturePublic(Strict):
    algorithm: str = Field("Ed25519", max_length=20)
    key_id: str = Field(min_length=1, max_length=200)
    value: str = Field(min_length=1, max_length=400)


class SignedCertificateBody(Strict):
    """A signed certificate file, as downloaded."""

    format: str = Field(FORMAT, max_length=50)
    certificate: dict[str, Any]
    signature: SignaturePublic


class VerificationPublic(BaseModel):
    valid: bool
    identifier: str | None
    problem: str | None
    problem_zh: str | None


def _holder(container: ContainerDep, applicant: str) -> str:
    id_number = applicant_id_number(container.identity, ReadApplicantIdNumber(applicant))
    if not id_number:
        raise NotFound(
            Text("该申请人没有登记公民身份号码", "the applicant has no resident ID number on record")
        )
    return id_number


@router.get("", **who(Role.APPLICANT, Role.CLERK))
def my_certificates(container: ContainerDep, actor: Actor, applicant: Applicant) -> list[CertificatePublic]:
    """The applicant's wallet (电子证照): every certificate issued to them, with its status."""
    held = list_certificates(
        container.context,
        ListCertificates(resident(_holder(container, applicant)), PURPOSE, actor.actor),
    )
    return [CertificatePublic.model_validate(to_document(c)) for c in held]


@router.get("/{identifier}", **who(Role.APPLICANT, Role.CLERK))
def download(
    identifier: str, container: ContainerDep, actor: Actor, applicant: Applicant
) -> SignedCertificatePublic:
    """The signed certificate file, verifiable offline with `yijianshi certificate verify FILE`."""
    try:
        signed = held_certificate(
            container.context,
            DownloadHeldCertificate(
                identifier, resident(_holder(container, applicant)), PURPOSE, actor.actor
            ),
        )
    except UnknownCertificate:
        raise NotFound(Text("您的证照中没有这一张", "no such certificate in your wallet")) from None
    return SignedCertificatePublic.model_validate(signed_document(signed))


@router.post("/verify", **who(ANYONE))
def verify(body: SignedCertificateBody, container: ContainerDep) -> VerificationPublic:
    """Check a signed certificate: signature, identifier check character, content, validity today.
    Answers 200 with `valid: false` and the reason for a tampered or invalid one."""
    if body.format != FORMAT:
        raise Invalid(Text(f"format 应为 {FORMAT}", f"format must be {FORMAT}"), "format")
    found = verify_certificate_document(
        container.certificate_keys,
        body.certificate,
        body.signature.key_id,
        body.signature.value,
        container.clock.today(),
        body.signature.algorithm,
    )
    identifier = str(found.signed.certificate.identifier) if found.signed else None
    return VerificationPublic(
        valid=found.ok,
        identifier=identifier,
        problem=found.problem.en if found.problem else None,
        problem_zh=found.problem.zh if found.problem else None,
    )
