"""Use cases of electronic certificates: issue them as cases complete, read holders' wallets.

Every issue and every read is an entry of an application's audit trail, with the actor and the
purpose (申请事由): issues and exports in the trail of the application that issued the
certificate, reads for a new application in that application's trail (`trail`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from yijianshi.domain.audit import AuditRecord
from yijianshi.domain.certificates import Certificate, Holder, HolderCodeType, SignedCertificate
from yijianshi.domain.planning import Holdings, Plan
from yijianshi.domain.registers import Purpose
from yijianshi.domain.sharing import certificate_values, holdings_of
from yijianshi.services.audit.ports import masked
from yijianshi.services.context import Context
from yijianshi.services.errors import UnknownCertificate
from yijianshi.services.sharing.ports import CertificateFiles
from yijianshi.services.unit_of_work import retried_on_conflict

EXPORTED = "org.yijianshi.certificate.exported"
READ = "org.yijianshi.personal_data.read"


@dataclass(frozen=True, slots=True)
class ReadWallets:
    """Command: read the wallets of the people an application concerns, for `purpose`.

    `people` maps the subject each plays on the form (mother, applicant, enterprise) to their
    holder code: a resident ID number, or a credit code with `HolderCodeType.CREDIT_CODE`.
    `trail` is the audit log the reads are recorded in: the application they serve.
    """

    people: Mapping[str, Holder]
    purpose: str
    actor: str
    trail: str
    certificate_types: frozenset[str] = field(default_factory=frozenset)  # empty: every type


@dataclass(frozen=True, slots=True)
class HeldCertificates:
    """What the wallets hold, per subject, and the same as the planner's holdings."""

    certificates: Mapping[str, list[Certificate]]

    @property
    def holdings(self) -> Holdings:
        return holdings_of(self.certificates)

    def values(self, plan: Plan) -> dict[str, str]:
        """The plan's certificate-prefilled fields, read from the certificates valid on its start."""
        return certificate_values(plan.fields, self.certificates, plan.start)


@retried_on_conflict
def read_wallets(context: Context, command: ReadWallets) -> HeldCertificates:
    """Read each person's certificates and record one read per person in `command.trail`.

    Raises InvalidPurpose (nothing is read) for an empty purpose or one over 200 characters.
    """
    purpose = Purpose(command.purpose)
    wanted = command.certificate_types
    with context.unit_of_work() as uow:
        held = {
            subject: [c for c in uow.wallet.held_by(holder) if not wanted or c.certificate_type in wanted]
            for subject, holder in command.people.items()
        }
        now = context.clock.now()
        uow.audit.record(
            command.trail,
            [
                AuditRecord(
                    READ,
                    now,
                    command.actor,
                    data={
                        "source": "wallet",
                        "subject": subject,
                        "holder_code": masked(command.people[subject].code),
                        "certificates": [str(c.identifier) for c in certificates],
                    },
                    purpose=purpose.text,
                )
                for subject, certificates in held.items()
            ],
        )
        uow.commit()
    return HeldCertificates(held)


def resident(id_number: str) -> Holder:
    """A holder known by resident ID number (code type 111)."""
    return Holder(id_number.strip().upper(), HolderCodeType.RESIDENT_ID)


@dataclass(frozen=True, slots=True)
class ExportCertificate:
    """Command: `actor` writes certificate `identifier`, as signed, to a file at `location`, for
    `purpose` (申请事由)."""

    identifier: str
    location: str
    purpose: str
    actor: str


@retried_on_conflict
def export_certificate(
    context: Context, command: ExportCertificate, files: CertificateFiles
) -> SignedCertificate:
    """Write the certificate, as signed, through `files` (the port files are written through, not
    part of the context); the export is recorded in the trail of the application that issued it.
    Raises InvalidPurpose, UnknownCertificate, or InputFileError when the file cannot be written
    (then nothing is recorded)."""
    identifier, actor = command.identifier, command.actor
    stated = Purpose(command.purpose)
    with context.unit_of_work() as uow:
        found = uow.wallet.get(identifier)
        if found is None:
            raise UnknownCertificate(identifier)
        signed, application_id = found
        files.write(command.location, signed)
        uow.audit.record(
            application_id,
            [
                AuditRecord(
                    EXPORTED,
                    context.clock.now(),
                    actor,
                    data={"identifier": identifier, "certificate": signed.certificate.certificate_type},
                    purpose=stated.text,
                )
            ],
        )
        uow.commit()
    return signed


@dataclass(frozen=True, slots=True)
class ListCertificates:
    """Command: `actor` lists the certificates of `holder`'s wallet, for `purpose` (申请事由)."""

    holder: Holder
    purpose: str
    actor: str


@retried_on_conflict
def list_certificates(context: Context, command: ListCertificates) -> list[Certificate]:
    """The holder's certificates, oldest first; the read is recorded in the trail of each
    application that issued one. Raises InvalidPurpose (nothing is read)."""
    holder, actor = command.holder, command.actor
    stated = Purpose(command.purpose)
    with context.unit_of_work() as uow:
        held = uow.wallet.held_by(holder)
        by_application: dict[str, list[str]] = {}
        for certificate in held:
            found = uow.wallet.get(str(certificate.identifier))
            assert found is not None
            by_application.setdefault(found[1], []).append(str(certificate.identifier))
        now = context.clock.now()
        uow.audit.record_many(
            {
                app_id: [
                    AuditRecord(
                        READ,
                        now,
                        actor,
                        data={
                            "source": "wallet",
                            "holder_code": masked(holder.code),
                            "certificates": identifiers,
                        },
                        purpose=stated.text,
                    )
                ]
                for app_id, identifiers in by_application.items()
            }
        )
        uow.commit()
    return held


@dataclass(frozen=True, slots=True)
class DownloadHeldCertificate:
    """Command: `actor` downloads certificate `identifier` of `holder`'s wallet for its holder,
    for `purpose` (申请事由)."""

    identifier: str
    holder: Holder
    purpose: str
    actor: str


@retried_on_conflict
def held_certificate(context: Context, command: DownloadHeldCertificate) -> SignedCertificate:
    """A certificate of `holder`'s wallet as signed, for its holder to download; the read is
    recorded in the trail of the application that issued it. Raises UnknownCertificate for one
    the holder does not hold (whoever else does), InvalidPurpose."""
    identifier, holder = command.identifier, command.holder
    stated = Purpose(command.purpose)
    with context.unit_of_work() as uow:
        found = uow.wallet.get(identifier)
        if found is None or found[0].certificate.holder != holder:
            raise UnknownCertificate(identifier)
        signed, application_id = found
        uow.audit.record(
            application_id,
            [
                AuditRecord(
                    EXPORTED,
                    context.clock.now(),
                    command.actor,
                    data={
                        "identifier": identifier,
                        "to": "holder",
                        "certificate": signed.certificate.certificate_type,
                    },
                    purpose=stated.text,
                )
            ],
        )
        uow.commit()
    return signed
