"""The wallet (电子证照库) in SQL: certificates signed as they are stored, in the unit of work."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.dialects import postgresql, sqlite

from yijianshi.adapters.sql.tables import wallet_certificates as wallet
from yijianshi.domain.certificate_documents import canonical_bytes, from_document, to_document
from yijianshi.domain.certificates import Certificate, CertificateStatus, Holder, SignedCertificate
from yijianshi.domain.issuance import Issue
from yijianshi.services.sharing_ports import CertificateKeys


class SqlWallet:
    """Every holder's certificates, on the unit of work's connection; `keys` sign what is issued."""

    def __init__(self, connection: Connection, keys: CertificateKeys) -> None:
        self.connection = connection
        self.keys = keys
        dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
        self._insert = dialect.insert

    def issue(self, issues: Sequence[Issue]) -> list[SignedCertificate]:
        """Sign and store; a certificate already stored (same identifier) is left as it was."""
        if not issues:
            return []
        signed = {str(i.certificate.identifier): self._sign(i.certificate) for i in issues}
        rows = [self._row(issue, signed[str(issue.certificate.identifier)]) for issue in issues]
        stored = self.connection.execute(
            self._insert(wallet).on_conflict_do_nothing().returning(wallet.c.identifier), rows).scalars()
        return [signed[identifier] for identifier in stored]

    def _sign(self, certificate: Certificate) -> SignedCertificate:
        return SignedCertificate(certificate, self.keys.key_id, self.keys.sign(canonical_bytes(certificate)))

    @staticmethod
    def _row(issue: Issue, signed: SignedCertificate) -> dict[str, Any]:
        c = issue.certificate
        return {"identifier": str(c.identifier), "holder_code": c.holder.code,
                "holder_code_type": c.holder.code_type.value, "certificate_type": c.certificate_type,
                "status": c.status.value, "issue_date": c.issue_date,
                "application_id": issue.application_id, "case_id": issue.case_id,
                "document": to_document(c), "key_id": signed.key_id, "signature": signed.signature,
                "issued_at": issue.issued_at}

    def held_by(self, holder: Holder, certificate_type: str | None = None) -> list[Certificate]:
        query = (select(wallet.c.document, wallet.c.status)
                 .where(wallet.c.holder_code == holder.code,
                        wallet.c.holder_code_type == holder.code_type.value)
                 .order_by(wallet.c.issued_at, wallet.c.identifier))
        if certificate_type is not None:
            query = query.where(wallet.c.certificate_type == certificate_type)
        return [dataclasses.replace(from_document(row.document), status=CertificateStatus(row.status))
                for row in self.connection.execute(query)]

    def get(self, identifier: str) -> tuple[SignedCertificate, str] | None:
        row = self.connection.execute(select(wallet).where(wallet.c.identifier == identifier)).first()
        if row is None:
            return None
        signed = SignedCertificate(from_document(row.document), row.key_id, row.signature)
        return signed, row.application_id
