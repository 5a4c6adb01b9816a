"""Issuing certificates (出证) as cases complete: each certificate an item issues is signed for its
holder's wallet in the transaction that completes the case, and recorded in the application's
audit trail."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from yijianshi.domain.audit import AuditRecord
from yijianshi.domain.cases import Application
from yijianshi.domain.catalog import Catalog
from yijianshi.domain.issuance import due_certificates
from yijianshi.services.audit.ports import ISSUED, masked
from yijianshi.services.sharing.ports import SignedCertificateIssue
from yijianshi.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class SignedCertificates:
    """The certificates due after a unit of work's transitions, signed but not stored yet, and
    per application id their `certificate.issued` records."""

    signed: list[SignedCertificateIssue]
    records: dict[str, list[AuditRecord]]


def sign_certificates(
    uow: UnitOfWork, catalog: Catalog, applications: Iterable[Application], actor: str
) -> SignedCertificates:
    """Sign the certificates due after this unit of work's transitions and not issued before.

    Call it in the transaction that completes the cases, after the transitions; it reads but
    writes nothing: `uow.wallet.store(result.signed)` stores them, and the records go into the
    applications' trails with their other records.
    """
    due = [issue for application in applications for issue in due_certificates(catalog, application)]
    signed = uow.wallet.sign(due)
    records: dict[str, list[AuditRecord]] = {}
    for s in signed:
        issue, c = s.issue, s.signed.certificate
        records.setdefault(issue.application_id, []).append(
            AuditRecord(
                ISSUED,
                issue.issued_at,
                actor,
                issue.case_id,
                {
                    "identifier": str(c.identifier),
                    "certificate": c.certificate_type,
                    "holder_code": masked(c.holder.code),
                    "holder_code_type": c.holder.code_type.value,
                    "key_id": s.signed.key_id,
                },
                purpose=f"办结{issue.item}，出具电子证照 (issued on completing {issue.item})",
            )
        )
    return SignedCertificates(signed, records)
