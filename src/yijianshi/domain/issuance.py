"""Issuing (出证) the electronic certificates that completed cases produce.

When a case completes, each certificate its item issues (`Item.issues`) goes into the wallet of
its holder: the subject it concerns, identified in the application's data by
`<subject>.id_number` (code type 111) or `<subject>.credit_code` (001). A subject not yet
identified waits: a newborn's birth medical certificate is issued when household registration
outputs `child.id_number`. So after each unit of work the due certificates are

    those of the cases completed now, whose holder is known
  + those of cases completed earlier, whose holder key was output now.

Identifiers are deterministic (the serial is derived from the application, case, type and
subject), so issuing the same certificate twice stores it once. Until a catalogue gives a
department's credit code or a certificate type's GB/T type code, a stable stand-in code is
derived, with a valid check character.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from yijianshi.domain.cases import Application, Case, CaseState
from yijianshi.domain.catalog import Catalog, Produced
from yijianshi.domain.certificates import (
    Certificate,
    CertificateIdentifier,
    Holder,
    HolderCodeType,
    holder_problem,
)
from yijianshi.domain.identifiers import credit_code_check_char

HOLDER_KEYS = (("id_number", HolderCodeType.RESIDENT_ID), ("credit_code", HolderCodeType.CREDIT_CODE))
_CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_BASE36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_NATIONAL = "100000"  # area code of a national body


@dataclass(frozen=True, slots=True)
class CertificateIssue:
    """A certificate to put into its holder's wallet, and the case that produced it."""

    certificate: Certificate
    application_id: str
    case_id: str
    item: str
    issued_at: dt.datetime


def holder_of(data: Mapping[str, Any], subject: str) -> Holder | None:
    """The holder `subject` names in an application's data, or None while it has no valid code."""
    for suffix, code_type in HOLDER_KEYS:
        code = str(data.get(f"{subject}.{suffix}") or "").strip().upper()
        if code and holder_problem(Holder(code, code_type)) is None:
            return Holder(code, code_type)
    return None


def due_certificates(catalog: Catalog, application: Application) -> list[CertificateIssue]:
    """The certificates due after this unit of work's transitions (module docstring), in case order."""
    completed_now = {
        e.case: e.at for case in application.cases.values() for e in case.events if e.type == "case.completed"
    }
    if not completed_now:
        return []
    at = max(completed_now.values())
    identified = {key for case_id in completed_now for key in application.cases[case_id].outputs}
    return [
        _issue(catalog, application, case, produced, holder, at)
        for case, produced, holder in _candidates(catalog, application, completed_now, identified)
    ]


def _candidates(
    catalog: Catalog, application: Application, completed_now: Collection[str], identified: set[str]
) -> Iterator[tuple[Case, Produced, Holder]]:
    """Completed cases' certificates due now (their case completed now, or their holder's key was
    output now) whose holder is known; a holder is looked up once per subject, and only when due."""
    holders: dict[str, Holder | None] = {}
    for case in application.cases.values():
        if case.state is not CaseState.COMPLETED:
            continue
        now = case.id in completed_now
        for produced in catalog.items[case.item].issues:
            if (
                not (now or _identifier_keys(produced.subject) & identified)
                or produced.certificate not in catalog.certificates
            ):
                continue
            if produced.subject not in holders:
                holders[produced.subject] = holder_of(application.data, produced.subject)
            holder = holders[produced.subject]
            if holder is not None:
                yield case, produced, holder


@functools.lru_cache(maxsize=256)
def _identifier_keys(subject: str) -> frozenset[str]:
    return frozenset(f"{subject}.{suffix}" for suffix, _ in HOLDER_KEYS)


def _issue(
    catalog: Catalog,
    application: Application,
    case: Case,
    produced: Produced,
    holder: Holder,
    at: dt.datetime,
) -> CertificateIssue:
    day = at.date()
    kind = catalog.certificates[produced.certificate]
    department = catalog.departments[catalog.items[case.item].department]
    data, subject = application.data, produced.subject
    serial = _serial(day, application.id, case.id, produced)
    identifier = CertificateIdentifier(
        kind.type_code or stand_in_credit_code(_NATIONAL, f"type:{kind.code}") + "001",
        department.credit_code or stand_in_credit_code(department.region, department.code),
        serial,
    )
    number = str(
        data.get(f"{subject}.{kind.code}_no") or data.get(f"certificate.{kind.code}.{subject}") or serial
    )
    face = {
        suffix: str(data[f"{subject}.{suffix}"])
        for suffix in kind.elements
        if data.get(f"{subject}.{suffix}") not in (None, "")
    }
    certificate = Certificate(
        identifier=identifier,
        certificate_type=kind.code,
        type_name=kind.name.zh,
        number=number,
        issuer=department.name.zh,
        issue_date=day,
        holder_name=str(data.get(f"{subject}.name") or holder.code),
        holder=holder,
        jurisdiction=department.region,
        valid_from=day,
        data=face,
    )
    return CertificateIssue(certificate, application.id, case.id, case.item, at)


def _serial(day: dt.date, application_id: str, case_id: str, produced: Produced) -> str:
    seed = f"{application_id}/{case_id}/{produced.certificate}/{produced.subject}"
    number = int.from_bytes(hashlib.sha256(seed.encode("utf-8")).digest()[:8], "big")
    digits = []
    for _ in range(10):
        number, rest = divmod(number, 36)
        digits.append(_BASE36[rest])
    return f"{day:%Y}" + "".join(digits)


@functools.lru_cache(maxsize=1024)  # a few per department and certificate type, asked per issue
def stand_in_credit_code(region: str, seed: str) -> str:
    """A stable credit code of an organ (机关, "11") in `region`, derived from `seed`.

    A stand-in until the catalogue records the real code; its check character is valid.
    """
    digest = hashlib.sha256(seed.encode("utf-8")).digest()
    first17 = "11" + region + "".join(_CREDIT_ALPHABET[b % 31] for b in digest[:9])
    return first17 + credit_code_check_char(first17)
