"""Data sharing (数据共享、系统直接调取): the values of a plan's merged form that government
already holds, from shared registers and from the applicant's electronic certificates.

The plan says where each pre-filled field comes from (`MergedField.prefill`); these functions
only pick the values. A field the source does not know stays for the applicant to fill in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from yijianshi.domain.certificates import Certificate
from yijianshi.domain.planning import Holdings, MergedField, Source


def _from(fields: Sequence[MergedField], source: Source) -> list[MergedField]:
    return [f for f in fields if f.prefill is not None and f.prefill.source is source]


def register_requests(fields: Sequence[MergedField]) -> dict[str, list[str]]:
    """Per subject (`mother`, `household`), the keys of the fields a register pre-fills."""
    wanted: dict[str, list[str]] = {}
    for merged in _from(fields, Source.REGISTER):
        wanted.setdefault(merged.key.partition(".")[0], []).append(merged.key)
    return wanted


def register_values(fields: Sequence[MergedField], found: Mapping[str, str]) -> dict[str, str]:
    """The register-prefilled fields' values among what the registers answered."""
    return {f.key: found[f.key] for f in _from(fields, Source.REGISTER) if found.get(f.key)}


def certificate_values(
    fields: Sequence[MergedField], held: Mapping[str, Sequence[Certificate]], on: dt.date
) -> dict[str, str]:
    """The certificate-prefilled fields' values, read from the face (`data`) of a certificate of
    the planned type that the field's subject holds and that is valid `on` that day."""
    values = {}
    for merged in _from(fields, Source.CERTIFICATE):
        assert merged.prefill is not None
        subject, _, suffix = merged.key.partition(".")
        for certificate in held.get(subject, ()):
            if (
                certificate.certificate_type == merged.prefill.ref
                and suffix in certificate.data
                and certificate.validity_problem(on) is None
            ):
                values[merged.key] = certificate.data[suffix]
                break
    return values


def holdings_of(held: Mapping[str, Sequence[Certificate]]) -> Holdings:
    """What the planner may use instead of asking: each subject's certificates, whatever their
    status (the planner relies only on those valid on the day of acceptance)."""
    return Holdings(tuple(c.held_as(subject) for subject, certificates in held.items() for c in certificates))
