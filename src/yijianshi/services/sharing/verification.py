"""Use case: verify a signed certificate file offline (no database, no network).

    file ──read──► well-formed? ──► identifier check character ──► signed by a trusted key?
                   (else: unreadable)   (content problems refuse)    signature over the canonical
                                                                     bytes ──► valid today?

A file that cannot be read or is no certificate file raises InputFileError; every other
problem is a refusal with one reason, in zh-CN and en.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from yijianshi.domain.certificate_documents import canonical_bytes, from_document
from yijianshi.domain.certificates import SignedCertificate
from yijianshi.domain.errors import InvalidCertificate
from yijianshi.domain.text import Text
from yijianshi.services.sharing.ports import CertificateFiles, CertificateKeys, UnknownSigningKey


@dataclass(frozen=True, slots=True)
class Verification:
    """The outcome: `problem` None when the certificate is authentic and valid on the day checked."""

    signed: SignedCertificate | None
    problem: Text | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _content_problem(error: InvalidCertificate) -> Text:
    if error.field == "identifier":
        return Text(f"证照标识有误：{error.zh}", f"the identifier is wrong: {error.reason}")
    return Text(
        f"证照内容不合规（{error.field}）：{error.zh}", f"the certificate's content is ill-formed: {error}"
    )


def signature_problem(keys: CertificateKeys, signed: SignedCertificate) -> Text | None:
    """Why the signature does not vouch for the certificate, or None when it does."""
    if signed.algorithm != "Ed25519":
        return Text(
            f"签名算法 {signed.algorithm} 不受支持",
            f"signature algorithm {signed.algorithm!r} is not Ed25519",
        )
    try:
        good = keys.verify(signed.key_id, canonical_bytes(signed.certificate), signed.signature)
    except UnknownSigningKey:
        return Text(
            f"签名密钥 {signed.key_id} 不受信任：并非本平台或受信任的签发方签发",
            f"signed with an unknown key {signed.key_id}: not issued by this platform or an issuer it trusts",
        )
    if not good:
        return Text(
            "签名与证照内容不符：证照或签名已被改动",
            "the signature does not match the content: the certificate or its signature was changed",
        )
    return None


def _verified(keys: CertificateKeys, signed: SignedCertificate, today: dt.date) -> Verification:
    return Verification(signed, signature_problem(keys, signed) or signed.certificate.validity_problem(today))


def verify_certificate_file(
    files: CertificateFiles, keys: CertificateKeys, location: str, today: dt.date
) -> Verification:
    """Check the file at `location` (module docstring); raise InputFileError when unreadable."""
    try:
        signed = files.read(location)
    except InvalidCertificate as error:
        return Verification(None, _content_problem(error))
    return _verified(keys, signed, today)


def verify_certificate_document(
    keys: CertificateKeys,
    certificate: Mapping[str, object],
    key_id: str,
    signature: str,
    today: dt.date,
    algorithm: str = "Ed25519",
) -> Verification:
    """The same checks on a certificate posted as JSON (an API route's body: the file's
    `certificate` object and its `signature` parts)."""
    try:
        signed = SignedCertificate(from_document(certificate), key_id, signature, algorithm)
    except InvalidCertificate as error:
        return Verification(None, _content_problem(error))
    return _verified(keys, signed, today)
