"""Use cases of sharing through the fake context (tests/fakes.py): certificates issued into
holders' wallets as cases complete, read and exported with a stated purpose, verified offline;
forms prefilled from the shared registers, and the local registers seeded."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.fakes import (
    CHILD_ID,
    HOSPITAL_OUTPUTS,
    NOW,
    MemoryCertificateFiles,
    case_of,
    fake_context,
    submit_birth,
)
from yijianshi.adapters.certificates.keys import Ed25519Keys, ephemeral_keys
from yijianshi.adapters.memory.registers import MemoryRegisters
from yijianshi.adapters.synthetic_population import SyntheticPopulation
from yijianshi.domain import audit
from yijianshi.domain.accounts import Principal, Role
from yijianshi.domain.errors import InvalidPurpose
from yijianshi.domain.planning import Holdings, Plan, build_plan
from yijianshi.domain.registers import Resident
from yijianshi.services.cases.actions import DecideCase, department_decision
from yijianshi.services.cases.decisions import AnswerCase, answer_case
from yijianshi.services.catalogue.ports import InputFileError
from yijianshi.services.context import Context
from yijianshi.services.errors import UnknownCertificate
from yijianshi.services.sharing.certificates import (
    DownloadHeldCertificate,
    ExportCertificate,
    ListCertificates,
    ReadWallets,
    export_certificate,
    held_certificate,
    list_certificates,
    read_wallets,
    resident,
)
from yijianshi.services.sharing.registers import PrefillFromRegisters, prefill_from_registers, seed_registers
from yijianshi.services.sharing.verification import verify_certificate_file

HOSPITAL = Principal("doctor-1", Role.DEPARTMENT, "陈医生", "ruian-hospital")
POLICE = Principal("officer-1", Role.DEPARTMENT, "赵警官", "ruian-psb")
CHILD = resident(CHILD_ID)
PURPOSE = "办理社会保障卡"
TODAY = NOW.date()


def decide(
    context: Context, application_id: str, item: str, staff: Principal, outputs: dict[str, str]
) -> None:
    case_id = case_of(context, application_id, item).id
    department_decision(context, DecideCase(staff, case_id, "accept"))
    department_decision(context, DecideCase(staff, case_id, "complete", outputs=outputs))


def registered(context: Context) -> str:
    """A birth the hospital certified and the police registered: the child has an ID number."""
    application_id = submit_birth(context)
    decide(context, application_id, "birth-medical-certificate", HOSPITAL, HOSPITAL_OUTPUTS)
    decide(context, application_id, "birth-household-registration", POLICE, {"child.id_number": CHILD_ID})
    return application_id


def trail(context: Context, application_id: str) -> list[audit.AuditEvent]:
    with context.unit_of_work() as uow:
        return uow.audit.log(application_id)


def wallet(context: Context, holder_code: str = CHILD_ID) -> list[str]:
    held = list_certificates(context, ListCertificates(resident(holder_code), PURPOSE, "clerk:window-1"))
    return sorted(c.certificate_type for c in held)


def exported(context: Context, files: MemoryCertificateFiles, location: str = "child/birth.json") -> str:
    """Export the child's birth medical certificate to `location`; return its identifier."""
    (certificate,) = [
        c
        for c in list_certificates(context, ListCertificates(CHILD, PURPOSE, "applicant:parent-1"))
        if c.certificate_type == "birth_medical_certificate"
    ]
    identifier = str(certificate.identifier)
    export_certificate(context, ExportCertificate(identifier, location, "留存", "applicant:parent-1"), files)
    return identifier


# Certificates issued into wallets


def test_a_childs_certificates_reach_their_wallet_once_the_police_give_the_child_an_id_number() -> None:
    context = fake_context()
    application_id = submit_birth(context)
    decide(context, application_id, "birth-medical-certificate", HOSPITAL, HOSPITAL_OUTPUTS)
    assert wallet(context) == []  # the child has no ID number yet: no holder to issue to
    decide(context, application_id, "birth-household-registration", POLICE, {"child.id_number": CHILD_ID})
    assert wallet(context) == ["birth_medical_certificate", "household_register_page"]
    issued = [e for e in trail(context, application_id) if e.type == "org.yijianshi.certificate.issued"]
    assert {e.actor for e in issued} == {"department:officer-1"}
    assert {e.data["holder_code"] for e in issued} == {"330381********0010"}


def test_a_departments_answer_replayed_issues_no_certificate_twice() -> None:
    context = fake_context()
    application_id = registered(context)
    police = case_of(context, application_id, "birth-household-registration").id
    answer_case(context, AnswerCase(police, {"child.id_number": CHILD_ID}))
    assert wallet(context) == ["birth_medical_certificate", "household_register_page"]
    issued = [e for e in trail(context, application_id) if e.type == "org.yijianshi.certificate.issued"]
    assert len(issued) == 2


def test_listing_a_wallet_is_recorded_with_its_purpose_in_the_trail_of_the_issuing_application() -> None:
    context = fake_context()
    application_id = registered(context)
    held = list_certificates(context, ListCertificates(CHILD, PURPOSE, "clerk:window-1"))
    last = trail(context, application_id)[-1]
    assert (last.type, last.actor, last.purpose) == (
        "org.yijianshi.personal_data.read",
        "clerk:window-1",
        PURPOSE,
    )
    assert last.data["certificates"] == [str(c.identifier) for c in held]
    assert last.data["holder_code"] == "330381********0010"


def test_a_wallet_is_not_read_without_a_purpose() -> None:
    context = fake_context()
    application_id = registered(context)
    before = len(trail(context, application_id))
    with pytest.raises(InvalidPurpose):
        list_certificates(context, ListCertificates(CHILD, "  ", "clerk:window-1"))
    assert len(trail(context, application_id)) == before


def test_reading_wallets_for_a_new_application_records_one_read_per_person_in_its_trail() -> None:
    context = fake_context()
    registered(context)
    new = submit_birth(context, key="second")
    people = {"child": CHILD, "father": resident("110105194912310021")}
    held = read_wallets(
        context,
        ReadWallets(people, PURPOSE, "applicant:parent-1", new, frozenset({"household_register_page"})),
    )
    assert [c.certificate_type for c in held.certificates["child"]] == ["household_register_page"]
    assert held.certificates["father"] == []
    reads = [e for e in trail(context, new) if e.type == "org.yijianshi.personal_data.read"]
    assert [(e.data["subject"], e.purpose) for e in reads] == [("child", PURPOSE), ("father", PURPOSE)]


# Export and download


def test_an_exported_certificate_verifies_offline_and_its_export_is_audited() -> None:
    context = fake_context()
    application_id = registered(context)
    files = MemoryCertificateFiles()
    identifier = exported(context, files)
    result = verify_certificate_file(files, ephemeral_keys(), "child/birth.json", TODAY)
    assert result.ok
    assert result.signed is not None
    assert str(result.signed.certificate.identifier) == identifier
    last = trail(context, application_id)[-1]
    assert (last.type, last.purpose, last.data["identifier"]) == (
        "org.yijianshi.certificate.exported",
        "留存",
        identifier,
    )


def test_a_certificate_no_wallet_holds_is_not_exported() -> None:
    context = fake_context()
    registered(context)
    files = MemoryCertificateFiles()
    identifier = exported(context, files)
    with pytest.raises(UnknownCertificate):
        export_certificate(
            context, ExportCertificate(identifier[:-1] + "0", "x.json", "留存", "applicant:parent-1"), files
        )
    assert list(files.documents) == ["child/birth.json"]


def test_a_holder_downloads_their_certificate_and_nobody_else_can() -> None:
    context = fake_context()
    registered(context)
    identifier = exported(context, MemoryCertificateFiles())
    signed = held_certificate(
        context, DownloadHeldCertificate(identifier, CHILD, "下载", "applicant:parent-1")
    )
    assert signed.certificate.holder == CHILD
    with pytest.raises(UnknownCertificate):
        held_certificate(
            context,
            DownloadHeldCertificate(identifier, resident("110105194912310021"), "下载", "applicant:x"),
        )


# Verification


def test_verification_refuses_a_certificate_changed_after_it_was_signed() -> None:
    context = fake_context()
    registered(context)
    files = MemoryCertificateFiles()
    exported(context, files)
    files.documents["child/birth.json"]["certificate"]["holder"] = "王伟"
    result = verify_certificate_file(files, ephemeral_keys(), "child/birth.json", TODAY)
    assert result.problem is not None
    assert "was changed" in result.problem.en
    assert "改动" in result.problem.zh


def test_verification_refuses_a_certificate_signed_by_a_key_it_does_not_trust() -> None:
    context = fake_context()
    registered(context)
    files = MemoryCertificateFiles()
    exported(context, files)
    elsewhere = Ed25519Keys(Ed25519PrivateKey.generate())
    result = verify_certificate_file(files, elsewhere, "child/birth.json", TODAY)
    assert result.problem is not None
    assert "unknown key" in result.problem.en


def test_verification_names_an_ill_formed_field_and_raises_for_a_file_that_is_not_there() -> None:
    context = fake_context()
    registered(context)
    files = MemoryCertificateFiles()
    exported(context, files)
    files.documents["child/birth.json"]["certificate"]["issue_date"] = "2026-02-30"
    result = verify_certificate_file(files, ephemeral_keys(), "child/birth.json", TODAY)
    assert result.signed is None
    assert result.problem is not None
    assert "issue_date" in result.problem.en
    with pytest.raises(InputFileError):
        verify_certificate_file(files, ephemeral_keys(), "nowhere.json", TODAY)


# Registers


def birth_plan(context: Context) -> Plan:
    return build_plan(
        context.catalog, context.catalog.bundles["birth"], {}, Holdings(), context.calendar, TODAY
    )


def seeded(residents: int = 40) -> tuple[MemoryRegisters, Resident]:
    """Registers seeded with synthetic residents, and a woman among them."""
    registers = MemoryRegisters()
    seed_registers(registers, SyntheticPopulation(TODAY, seed=3), residents)
    mother = next(r for r in registers.content.residents if r.sex == "2")
    return registers, mother


def test_a_form_is_prefilled_from_the_registers_and_the_lookup_is_audited_with_its_purpose() -> None:
    context = fake_context()
    application_id = submit_birth(context)
    registers, mother = seeded()
    command = PrefillFromRegisters(
        birth_plan(context),
        {"mother": mother.id_number.lower()},
        "办理新生儿出生一件事",
        "applicant:parent-1",
        application_id,
    )
    values = prefill_from_registers(context, command, registers)
    assert values == {"mother.name": mother.name, "mother.id_number": mother.id_number}
    assert [p.text for p in registers.purposes] == ["办理新生儿出生一件事"]
    last = trail(context, application_id)[-1]
    assert (last.type, last.purpose) == ("org.yijianshi.personal_data.read", "办理新生儿出生一件事")
    assert last.data["registers"] == ["ruian-hospital-his", "zhejiang-medical-insurance-platform"]
    assert last.data["answered"] == ["mother.id_number", "mother.name"]


def test_a_person_the_registers_do_not_know_gets_nothing_but_the_lookup_is_still_audited() -> None:
    context = fake_context()
    application_id = submit_birth(context)
    registers, _ = seeded()
    command = PrefillFromRegisters(
        birth_plan(context),
        {"mother": "11010519491231002X"},
        "办理新生儿出生一件事",
        "applicant:parent-1",
        application_id,
    )
    assert prefill_from_registers(context, command, registers) == {}
    assert trail(context, application_id)[-1].data["answered"] == []


def test_nothing_is_looked_up_without_a_purpose_or_without_a_person() -> None:
    context = fake_context()
    application_id = submit_birth(context)
    registers, mother = seeded()
    before = len(trail(context, application_id))
    with pytest.raises(InvalidPurpose):
        prefill_from_registers(
            context,
            PrefillFromRegisters(
                birth_plan(context), {"mother": mother.id_number}, "", "applicant:parent-1", application_id
            ),
            registers,
        )
    nobody = PrefillFromRegisters(
        birth_plan(context), {"mother": " "}, "办理", "applicant:parent-1", application_id
    )
    assert prefill_from_registers(context, nobody, registers) == {}
    assert registers.purposes == []
    assert len(trail(context, application_id)) == before


def test_seeding_the_registers_reports_progress_and_replaces_what_they_held() -> None:
    registers = MemoryRegisters()
    steps: list[tuple[int, int]] = []
    first = seed_registers(
        registers, SyntheticPopulation(TODAY, seed=3, chunk=20), 50, lambda *s: steps.append(s)
    )
    assert first.residents == 50
    assert steps[-1] == (50, 50)
    assert len(steps) >= 2  # in chunks
    again = seed_registers(registers, SyntheticPopulation(TODAY, seed=4), 10)
    assert again.residents == 10
    assert len(registers.content.residents) == 10
