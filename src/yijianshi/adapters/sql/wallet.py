"""The wallet (电子证照库) in SQL: certificates signed as they are stored, in the unit of work."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, select

from yijianshi.adapters.sql.driver import insert_or_ignore
from yijianshi.adapters.sql.tables import wallet_certificates as wallet
from yijianshi.domain.certificate_documents import canonical_text, from_document
from yijianshi.domain.certificates import Certificate, CertificateStatus, Holder, SignedCertificate
from yijianshi.domain.issuance import CertificateIssue
from yijianshi.services.sharing.ports import CertificateKeys, SignedCertificateIssue
from yijianshi.services.unit_of_work import Write

_STORE = insert_or_ignore(
    wallet,
    "identifier",
    "holder_code",
    "holder_code_type",
    "certificate_type",
    "status",
    "issue_date",
    "application_id",
    "case_id",
    "document",
    "key_id",
    "signature",
    "issued_at",
)


class SqlWallet:
    """Every holder's certificates, on the unit of work's connection; `keys` sign what is issued."""

    def __init__(self, connection: Connection, keys: CertificateKeys) -> None:
        self.connection = connection
        self.keys = keys

    def issue(self, issues: Sequence[CertificateIssue]) -> list[SignedCertificate]:
        """Sign and store; a certificate already stored (same identifier) is left as it was."""
        signed = self.sign(issues)
        self.store(signed)
        return [s.signed for s in signed]

    def sign(self, issues: Sequence[CertificateIssue]) -> list[SignedCertificateIssue]:
        """Sign those not stored yet, once each (one read, no write). The text signed is the
        document stored: encoded once."""
        if not issues:
            return []
        stored = set(
            self.connection.execute(
                select(wallet.c.identifier).where(
                    wallet.c.identifier.in_([str(i.certificate.identifier) for i in issues])
                )
            ).scalars()
        )
        key_id = self.keys.key_id
        signed: dict[str, SignedCertificateIssue] = {}
        for issue in issues:
            identifier = str(issue.certificate.identifier)
            if identifier in stored or identifier in signed:
                continue
            text = canonical_text(issue.certificate)
            certificate = SignedCertificate(issue.certificate, key_id, self.keys.sign(text.encode("utf-8")))
            signed[identifier] = SignedCertificateIssue(issue, certificate, text)
        return list(signed.values())

    def store(self, signed: Sequence[SignedCertificateIssue]) -> None:
        self.prepare_store(signed)()

    def prepare_store(self, signed: Sequence[SignedCertificateIssue]) -> Write:
        return _STORE.bind(self.connection, [self._row(s) for s in signed])

    @staticmethod
    def _row(signed: SignedCertificateIssue) -> dict[str, Any]:
        issue, c = signed.issue, signed.issue.certificate
        return {
            "identifier": str(c.identifier),
            "holder_code": c.holder.code,
            "holder_code_type": c.holder.code_type.value,
            "certificate_type": c.certificate_type,
            "status": c.status.value,
            "issue_date": c.issue_date,
            "application_id": issue.application_id,
            "case_id": issue.case_id,
            "document": signed.text,
            "key_id": signed.signed.key_id,
            "signature": signed.signed.signature,
            "issued_at": issue.issued_at,
        }

    def held_by(self, holder: Holder, certificate_type: str | None = None) -> list[Certificate]:
        query = (
            select(wallet.c.document, wallet.c.status)
            .where(wallet.c.holder_code == holder.code, wallet.c.holder_code_type == holder.code_type.value)
            .order_by(wallet.c.issued_at, wallet.c.identifier)
        )
        if certificate_type is not None:
            query = query.where(wallet.c.certificate_type == certificate_type)
        return [
            dataclasses.replace(from_document(row.document), status=CertificateStatus(row.status))
            for row in self.connection.execute(query)
        ]

    def get(self, identifier: str) -> tuple[SignedCertificate, str] | None:
        row = self.connection.execute(select(wallet).where(wallet.c.identifier == identifier)).first()
        if row is None:
            return None
        signed = SignedCertificate(from_document(row.document), row.key_id, row.signature)
        return signed, row.application_id
