"""Electronic certificates (电子证照, GB/T 36901–36905): identifier, status, directory entry.

An identifier (电子证照标识, GB/T 36904) is nine dot-separated parts:

    1.2.156.3005.2 . <type code> . <issuer code> . <serial> . <version> . <check>
    └─ OID prefix ─┘   21 chars:     18 chars:      issuer's    3 digits   ISO 7064
                       definer's     issuer's       number                 MOD 37,36 over
                       credit code   credit code                           type+issuer+serial+version
                       + 3 digits

A directory entry (目录信息, GB/T 36903) describes one certificate: its name and type, number,
issuer, issue date, holder (持证主体, with the holder code and its type: 111 resident ID number,
001 unified social credit code), jurisdiction, validity, status and the identifier of the
certificate it renews. `data` is its face (照面信息): the values it carries about its holder,
keyed by the certificate type's element suffixes (`name`, `birth_date`, ...).

`certificate_documents` writes an entry as JSON, reads it back and gives the bytes signed.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from yijianshi.domain import identifiers
from yijianshi.domain.errors import InvalidCertificate
from yijianshi.domain.planning import HeldCertificate
from yijianshi.domain.text import Text

PREFIX = "1.2.156.3005.2"
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_POSITIONS = {char: position for position, char in enumerate(_ALPHABET)}
_CREDIT = "[0-9A-HJ-NPQRTUWXY]{18}"
_TYPE_CODE = re.compile(rf"^{_CREDIT}\d{{3}}$")
_ISSUER_CODE = re.compile(rf"^{_CREDIT}$")
_SERIAL = re.compile(r"^[0-9A-Z]{1,40}$")
_VERSION = re.compile(r"^\d{3}$")


def check_character(text: str) -> str:
    """The ISO 7064 MOD 37,36 check character of `text` (digits and upper-case letters).

    Raises ValueError for a character outside 0-9 A-Z.
    """
    return _check_from(36, text)


@functools.lru_cache(maxsize=256)
def _carry(text: str) -> int:
    """The MOD 37,36 state after `text`, to go on from."""
    return _step(36, text)


def _check_from(carry: int, text: str) -> str:
    carry = _step(carry, text)
    return _ALPHABET[(37 - carry) % 36]


def _step(carry: int, text: str) -> int:
    positions = _POSITIONS
    for char in text:
        position = positions.get(char)
        if position is None:
            raise ValueError(f"{char!r} is not a digit or an upper-case letter")
        carry = ((carry + position) % 36 or 36) * 2 % 37
    return carry


@dataclass(frozen=True, slots=True)
class CertificateIdentifier:
    """电子证照标识: written `1.2.156.3005.2.<type>.<issuer>.<serial>.<version>.<check>`.

    Construction checks the shape of each part and raises InvalidCertificate naming it.
    """

    type_code: str
    issuer_code: str
    serial: str
    version: str = "001"
    # the written form, made once: it is asked for often (wallet rows, documents, audit records)
    _text: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name, pattern, shape in (
            ("type code", _TYPE_CODE, "a credit code (18 characters) and 3 digits"),
            ("issuer code", _ISSUER_CODE, "a credit code of 18 characters"),
            ("serial", _SERIAL, "1 to 40 digits or upper-case letters"),
            ("version", _VERSION, "3 digits"),
        ):
            value = getattr(self, name.replace(" ", "_"))
            if not pattern.match(value):
                raise InvalidCertificate("identifier", f"{name} {value!r} must be {shape}")
        object.__setattr__(
            self,
            "_text",
            ".".join((PREFIX, self.type_code, self.issuer_code, self.serial, self.version, self.check)),
        )

    @property
    def check(self) -> str:
        # the type and issuer codes repeat from certificate to certificate: their part is kept
        return _check_from(_carry(self.type_code + self.issuer_code), self.serial + self.version)

    def __str__(self) -> str:
        return self._text

    @classmethod
    def parse(cls, text: str) -> CertificateIdentifier:
        """Read an identifier; raise InvalidCertificate saying what is wrong, a wrong check
        character included (with the expected one)."""
        if not text.startswith(PREFIX + "."):
            raise InvalidCertificate("identifier", f"{text!r} does not start with {PREFIX}")
        parts = text[len(PREFIX) + 1 :].split(".")
        if len(parts) != 5:
            raise InvalidCertificate(
                "identifier",
                f"{text!r} must have 5 parts after {PREFIX}: type, issuer, serial, version, check",
            )
        identifier = cls(*parts[:4])
        got, expected = parts[4], identifier.check
        if got != expected:
            raise InvalidCertificate(
                "identifier",
                f"check character is {got!r}, expected {expected!r}",
                f"校验位为“{got}”，应为“{expected}”",
            )
        return identifier


class CertificateStatus(StrEnum):
    """证照状态 (GB/T 36903): only a valid certificate stands in for a material."""

    VALID = "01"
    SUSPENDED = "02"
    REVOKED = "03"
    CANCELLED = "04"
    EXPIRED = "05"

    @property
    def label(self) -> Text:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    CertificateStatus.VALID: Text("有效", "valid"),
    CertificateStatus.SUSPENDED: Text("暂停", "suspended"),
    CertificateStatus.REVOKED: Text("撤销", "revoked"),
    CertificateStatus.CANCELLED: Text("注销", "cancelled"),
    CertificateStatus.EXPIRED: Text("过期", "expired"),
}


class HolderCodeType(StrEnum):
    """持证主体代码类型."""

    RESIDENT_ID = "111"  # 公民身份号码
    CREDIT_CODE = "001"  # 统一社会信用代码


@dataclass(frozen=True, slots=True)
class Holder:
    """Who holds a certificate, by code; `holder_problem` says whether the code fits its type."""

    code: str
    code_type: HolderCodeType = HolderCodeType.RESIDENT_ID


def holder_problem(holder: Holder) -> str | None:
    """Why the holder code is not a code of its type, or None (a credit code is checked for
    shape only: some genuine codes fail their check character)."""
    if holder.code_type is HolderCodeType.RESIDENT_ID:
        return identifiers.id_number_problem(holder.code)
    return None if _ISSUER_CODE.match(holder.code) else "must be a credit code of 18 characters"


@dataclass(frozen=True, slots=True)
class Certificate:
    """One electronic certificate's directory entry (电子证照目录信息).

    `certificate_type` is the catalogue's code (`birth_medical_certificate`), `type_name` its
    name (also the certificate's name, 证照名称); the GB/T type code is part of the identifier.
    `valid_until` None means long-term (长期).
    """

    identifier: CertificateIdentifier
    certificate_type: str
    type_name: str
    number: str
    issuer: str
    issue_date: dt.date
    holder_name: str
    holder: Holder
    jurisdiction: str  # GB/T 2260 area code
    valid_from: dt.date
    valid_until: dt.date | None = None
    status: CertificateStatus = CertificateStatus.VALID
    related: str | None = None  # identifier of the certificate this one renews
    data: Mapping[str, str] = field(default_factory=dict)

    def status_on(self, day: dt.date) -> CertificateStatus:
        """The status on `day`: a valid certificate past its validity counts as expired."""
        if self.status is CertificateStatus.VALID and self.valid_until is not None and day > self.valid_until:
            return CertificateStatus.EXPIRED
        return self.status

    def validity_problem(self, day: dt.date) -> Text | None:
        """Why the certificate cannot be relied on on `day` (zh and en), or None when it can."""
        status = self.status_on(day)
        if status is not CertificateStatus.VALID:
            return Text(
                f"证照状态为{status.label.zh}（{status.value}）",
                f"the certificate is {status.label.en} (status {status.value})",
            )
        if day < self.valid_from:
            return Text(
                f"证照自{self.valid_from.isoformat()}起有效",
                f"the certificate is not valid before {self.valid_from.isoformat()}",
            )
        return None

    def held_as(self, subject: str) -> HeldCertificate:
        """This certificate as the planner sees it, held by `subject` (mother, applicant, ...)."""
        status = self.status.label.en
        return HeldCertificate(
            self.certificate_type, subject, self.number, status, self.valid_until, self.valid_from
        )


@dataclass(frozen=True, slots=True)
class SignedCertificate:
    """A directory entry and its Ed25519 signature over `canonical_bytes`, base64-encoded."""

    certificate: Certificate
    key_id: str
    signature: str
    algorithm: str = "Ed25519"
