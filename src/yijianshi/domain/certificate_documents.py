"""Electronic certificates as JSON documents, and the bytes that get signed.

What gets signed is `canonical_bytes`: the directory entry as JSON (`to_document`) with keys
sorted, "," and ":" as separators, no whitespace, non-ASCII characters as themselves, in UTF-8.
Re-indenting a document or reordering its keys does not change those bytes; changing a value does.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from enum import StrEnum
from typing import TypeVar

from yijianshi.domain import identifiers
from yijianshi.domain.certificates import (
    Certificate,
    CertificateIdentifier,
    CertificateStatus,
    Holder,
    HolderCodeType,
    SignedCertificate,
    holder_problem,
)
from yijianshi.domain.errors import InvalidCertificate

_E = TypeVar("_E", bound=StrEnum)
FORMAT = "yijianshi.certificate/1"  # the "format" of a signed certificate file
# what json.dumps(..., sort_keys=True, separators=(",", ":"), ensure_ascii=False) writes, with the
# encoder made once instead of per certificate
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode


def signed_document(signed: SignedCertificate) -> dict[str, object]:
    """A signed certificate as its file holds it: format, certificate, signature."""
    return {
        "format": FORMAT,
        "certificate": to_document(signed.certificate),
        "signature": {"algorithm": signed.algorithm, "key_id": signed.key_id, "value": signed.signature},
    }


def to_document(certificate: Certificate) -> dict[str, object]:
    """The entry as a JSON object: text, dates as YYYY-MM-DD, `data` as an object of text."""
    c = certificate
    return {
        "identifier": str(c.identifier),
        "certificate_type": c.certificate_type,
        "type_name": c.type_name,
        "type_code": c.identifier.type_code,
        "number": c.number,
        "issuer": c.issuer,
        "issuer_code": c.identifier.issuer_code,
        "issue_date": c.issue_date.isoformat(),
        "holder": c.holder_name,
        "holder_code": c.holder.code,
        "holder_code_type": c.holder.code_type.value,
        "jurisdiction": c.jurisdiction,
        "valid_from": c.valid_from.isoformat(),
        "valid_until": c.valid_until.isoformat() if c.valid_until else None,
        "status": c.status.value,
        "related": c.related,
        "data": dict(c.data),
    }


def canonical_bytes(certificate: Certificate) -> bytes:
    """The bytes an issuer signs and a verifier checks (module docstring)."""
    return canonical_text(certificate).encode("utf-8")


def canonical_text(certificate: Certificate) -> str:
    """`canonical_bytes` before UTF-8 encoding: a JSON text of `to_document`, which reads back
    as the same entry."""
    return _CANONICAL(to_document(certificate))


_TEXT_FIELDS = (
    "identifier",
    "certificate_type",
    "type_name",
    "type_code",
    "number",
    "issuer",
    "issuer_code",
    "issue_date",
    "holder",
    "holder_code",
    "holder_code_type",
    "jurisdiction",
    "valid_from",
    "status",
)
_OPTIONAL_FIELDS = ("valid_until", "related")
_FIELDS = frozenset((*_TEXT_FIELDS, *_OPTIONAL_FIELDS, "data"))


def from_document(document: Mapping[str, object]) -> Certificate:
    """Read an entry written by `to_document`.

    Raises InvalidCertificate naming the first field that is missing, unknown, not text, ill-formed
    (a date, a code, the identifier's check character) or that disagrees with the identifier.
    """
    unknown = sorted(set(document) - _FIELDS)
    if unknown:
        raise InvalidCertificate(unknown[0], "is not a field of a certificate")
    text = {name: _text(document, name) for name in _TEXT_FIELDS}
    optional = {name: _optional_text(document, name) for name in _OPTIONAL_FIELDS}
    identifier = CertificateIdentifier.parse(text["identifier"])
    for name, expected in (("type_code", identifier.type_code), ("issuer_code", identifier.issuer_code)):
        if text[name] != expected:
            raise InvalidCertificate(name, f"is {text[name]!r} but the identifier says {expected!r}")
    holder = Holder(text["holder_code"], _choice(HolderCodeType, "holder_code_type", text))
    problem = holder_problem(holder)
    if problem:
        raise InvalidCertificate("holder_code", problem)
    valid_until = optional["valid_until"]
    return Certificate(
        identifier=identifier,
        certificate_type=text["certificate_type"],
        type_name=text["type_name"],
        number=text["number"],
        issuer=text["issuer"],
        issue_date=_date("issue_date", text["issue_date"]),
        holder_name=text["holder"],
        holder=holder,
        jurisdiction=_area("jurisdiction", text["jurisdiction"]),
        valid_from=_date("valid_from", text["valid_from"]),
        valid_until=_date("valid_until", valid_until) if valid_until is not None else None,
        status=_choice(CertificateStatus, "status", text),
        related=optional["related"],
        data=_data(document.get("data", {})),
    )


def _text(document: Mapping[str, object], name: str) -> str:
    value = document.get(name)
    if not isinstance(value, str) or not value.strip():
        raise InvalidCertificate(name, "is missing" if value is None else "must be non-empty text")
    return value


def _optional_text(document: Mapping[str, object], name: str) -> str | None:
    return None if document.get(name) is None else _text(document, name)


def _date(name: str, value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidCertificate(name, f"{value!r} is not a date written YYYY-MM-DD") from None


def _area(name: str, value: str) -> str:
    problem = identifiers.area_code_problem(value)
    if problem:
        raise InvalidCertificate(name, f"{value!r} {problem}")
    return value


def _choice(kind: type[_E], name: str, text: Mapping[str, str]) -> _E:
    try:
        return kind(text[name])
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise InvalidCertificate(name, f"{text[name]!r} is not one of {allowed}") from None


def _data(value: object) -> dict[str, str]:
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise InvalidCertificate("data", "must be an object of text values")
    return dict(value)
