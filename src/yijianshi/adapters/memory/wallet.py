"""The wallet (电子证照库) in memory: certificates signed with the platform's keys, as in SQL."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence

from yijianshi.adapters.memory.applications import utc
from yijianshi.adapters.memory.database import Transaction, WalletRow
from yijianshi.domain.certificate_documents import canonical_text, from_document
from yijianshi.domain.certificates import Certificate, CertificateStatus, Holder, SignedCertificate
from yijianshi.domain.issuance import CertificateIssue
from yijianshi.services.sharing.ports import CertificateKeys, SignedCertificateIssue
from yijianshi.services.unit_of_work import Write


def _row(signed: SignedCertificateIssue) -> WalletRow:
    issue, c = signed.issue, signed.issue.certificate
    return WalletRow(
        str(c.identifier),
        c.holder.code,
        c.holder.code_type.value,
        c.certificate_type,
        c.status.value,
        issue.application_id,
        signed.text,
        signed.signed.key_id,
        signed.signed.signature,
        utc(issue.issued_at),
    )


class MemoryWallet:
    """Every holder's certificates in one unit of work (ports.Wallet); `keys` sign what is issued."""

    def __init__(self, transaction: Transaction, keys: CertificateKeys) -> None:
        self.transaction = transaction
        self.keys = keys

    def issue(self, issues: Sequence[CertificateIssue]) -> list[SignedCertificate]:
        signed = self.sign(issues)
        self.store(signed)
        return [s.signed for s in signed]

    def sign(self, issues: Sequence[CertificateIssue]) -> list[SignedCertificateIssue]:
        stored = self.transaction.read().wallet
        signed: dict[str, SignedCertificateIssue] = {}
        for issue in issues:
            identifier = str(issue.certificate.identifier)
            if identifier in stored or identifier in signed:
                continue
            text = canonical_text(issue.certificate)
            certificate = SignedCertificate(
                issue.certificate, self.keys.key_id, self.keys.sign(text.encode("utf-8"))
            )
            signed[identifier] = SignedCertificateIssue(issue, certificate, text)
        return list(signed.values())

    def store(self, signed: Sequence[SignedCertificateIssue]) -> None:
        self.prepare_store(signed)()

    def prepare_store(self, signed: Sequence[SignedCertificateIssue]) -> Write:
        rows = [_row(s) for s in signed]

        def write() -> None:
            if rows:
                wallet = self.transaction.write().wallet
                for row in rows:
                    wallet.setdefault(row.identifier, row)  # one stored meanwhile is left as it is

        return write

    def held_by(self, holder: Holder, certificate_type: str | None = None) -> list[Certificate]:
        held = sorted(
            (
                row
                for row in self.transaction.read().wallet.values()
                if row.holder_code == holder.code
                and row.holder_code_type == holder.code_type.value
                and (certificate_type is None or row.certificate_type == certificate_type)
            ),
            key=lambda row: (row.issued_at, row.identifier),
        )
        return [
            dataclasses.replace(from_document(json.loads(row.document)), status=CertificateStatus(row.status))
            for row in held
        ]

    def get(self, identifier: str) -> tuple[SignedCertificate, str] | None:
        row = self.transaction.read().wallet.get(identifier)
        if row is None:
            return None
        certificate = from_document(json.loads(row.document))
        return SignedCertificate(certificate, row.key_id, row.signature), row.application_id
