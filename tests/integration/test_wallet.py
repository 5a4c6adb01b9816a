"""Electronic certificates in the wallet: issued as cases complete, read for later plans."""

from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import Engine, update

from tests.certificates import MOTHER_ID, certificate
from tests.clock import FixedClock
from tests.integration.test_submit import CALENDAR, CATALOG, NOW, birth_values
from yijianshi.adapters.certificates.files import JsonCertificateFiles
from yijianshi.adapters.certificates.keys import ephemeral_keys
from yijianshi.adapters.departments.simulated import SimulatedDepartment
from yijianshi.adapters.sql.tables import wallet_certificates
from yijianshi.adapters.sql.unit_of_work import SqlUnitOfWork
from yijianshi.bootstrap import assemble_worker
from yijianshi.domain.audit import AuditEvent
from yijianshi.domain.errors import InvalidPurpose
from yijianshi.domain.issuance import CertificateIssue
from yijianshi.domain.planning import Source
from yijianshi.services.applications.submission import SubmitApplication, submit_application
from yijianshi.services.audit.verification import VerifyAuditTrails, verify_audit
from yijianshi.services.context import Context
from yijianshi.services.errors import FormInvalid
from yijianshi.services.planning import PlanBundle, build_bundle_plan
from yijianshi.services.sharing.certificates import (
    ExportCertificate,
    ReadWallets,
    export_certificate,
    read_wallets,
    resident,
)
from yijianshi.services.sharing.verification import verify_certificate_file

CHILDS = {
    "birth_medical_certificate",
    "vaccination_certificate",
    "household_register_page",
    "medical_insurance_enrolment",
    "social_security_card",
}
PURPOSE = "办理新生儿出生一件事，核验父母居民身份证"
FATHER_ID = "440524188001010014"
FATHERS_CARD = certificate(
    holder=FATHER_ID, serial="20200000002", holder_name="王强", data={"name": "王强", "id_number": FATHER_ID}
)


def context(engine: Engine) -> Context:
    return Context(CATALOG, CALENDAR, partial(SqlUnitOfWork, engine), FixedClock(NOW))


def completed_birth(engine: Engine) -> str:
    app_services = context(engine)
    department = SimulatedDepartment(engine, CATALOG, app_services.clock.now, seed=3)
    submitted = submit_application(app_services, SubmitApplication("birth", "parent", "k", birth_values()))
    assemble_worker(app_services, department, department).run_until_idle()
    return submitted.application_id


def log(engine: Engine, trail: str) -> list[AuditEvent]:
    with SqlUnitOfWork(engine) as uow:
        return uow.audit.log(trail)


def test_completing_a_birth_puts_the_childs_certificates_into_the_childs_wallet(engine: Engine) -> None:
    app_id = completed_birth(engine)
    with SqlUnitOfWork(engine) as uow:
        app = uow.applications.get(app_id)
        assert app is not None
        held = uow.wallet.held_by(resident(app.data["child.id_number"]))
    assert {c.certificate_type for c in held} == CHILDS
    assert {c.holder_name for c in held} == {app.data["child.name"]}
    birth = next(c for c in held if c.certificate_type == "birth_medical_certificate")
    assert birth.number == app.data["child.birth_medical_certificate_no"]
    assert birth.issuer == "瑞安市人民医院"
    issued = [e for e in log(engine, app_id) if e.type == "org.yijianshi.certificate.issued"]
    assert sorted(e.data["certificate"] for e in issued) == sorted(CHILDS)
    assert all(e.actor == "department" and "出具电子证照" in e.purpose for e in issued)
    (check,) = verify_audit(context(engine), VerifyAuditTrails(app_id))
    assert check.result.ok


def test_an_issued_certificate_exports_to_a_file_that_verifies_offline(
    engine: Engine, tmp_path: Path
) -> None:
    app_id = completed_birth(engine)
    with SqlUnitOfWork(engine) as uow:
        app = uow.applications.get(app_id)
        assert app is not None
        (card,) = uow.wallet.held_by(resident(app.data["child.id_number"]), "household_register_page")
    file = tmp_path / "card.json"
    export_certificate(
        context(engine),
        ExportCertificate(str(card.identifier), str(file), "申请人下载电子证照", "citizen"),
        JsonCertificateFiles(),
    )
    result = verify_certificate_file(JsonCertificateFiles(), ephemeral_keys(), str(file), NOW.date())
    assert result.ok, result.problem
    assert result.signed is not None
    assert result.signed.certificate == card
    exported = [e for e in log(engine, app_id) if e.type == "org.yijianshi.certificate.exported"]
    assert [(e.actor, e.purpose) for e in exported] == [("citizen", "申请人下载电子证照")]


def issue_id_card(engine: Engine, mother_id: str) -> str:
    card = certificate(holder=mother_id, data={"name": "李秀英", "id_number": mother_id})
    with SqlUnitOfWork(engine) as uow:
        stored = uow.wallet.issue(
            [CertificateIssue(card, "earlier-app", "earlier-case", "resident-id-card", NOW)]
        )
        uow.commit()
    assert len(stored) == 1
    return str(card.identifier)


def test_issuing_the_same_certificate_again_stores_it_once(engine: Engine) -> None:
    mother_id = MOTHER_ID
    issue_id_card(engine, mother_id)
    with SqlUnitOfWork(engine) as uow:
        again = uow.wallet.issue([CertificateIssue(certificate(holder=mother_id), "a", "c", "i", NOW)])
        assert again == []
        assert len(uow.wallet.held_by(resident(mother_id))) == 1


def read_mothers_wallet(engine: Engine, mother_id: str, trail: str = "draft-1"):  # type: ignore[no-untyped-def]
    return read_wallets(
        context(engine),
        ReadWallets({"mother": resident(mother_id)}, PURPOSE, "window-clerk", trail),
    )


def test_a_held_certificate_stands_in_for_its_material_and_the_form_does_not_ask_for_it(
    engine: Engine,
) -> None:
    with SqlUnitOfWork(engine) as uow:
        uow.wallet.issue(
            [CertificateIssue(FATHERS_CARD, "earlier-app", "earlier-case", "resident-id-card", NOW)]
        )
        uow.commit()
    held = read_wallets(
        context(engine),
        ReadWallets({"father": resident(FATHER_ID)}, PURPOSE, "window-clerk", "draft-1"),
    )
    plan = build_bundle_plan(CATALOG, CALENDAR, PlanBundle("birth", NOW.date(), holdings=held.holdings))
    sources = {(m.certificate, m.subject): m.source for m in plan.materials}
    assert sources[("resident_id_card", "father")] is Source.CERTIFICATE
    assert sources[("resident_id_card", "mother")] is Source.APPLICANT
    prefilled = {f.key: f.prefill.source for f in plan.fields if f.prefill}
    assert prefilled["father.name"] is prefilled["father.id_number"] is Source.CERTIFICATE
    assert held.values(plan) == {"father.name": "王强", "father.id_number": FATHER_ID}
    typed = {k: v for k, v in birth_values().items() if k not in ("father.name", "father.id_number")}
    with pytest.raises(FormInvalid):  # without the certificate, the form asks for the father
        submit_application(context(engine), SubmitApplication("birth", "parent", "k0", typed))
    submitted = submit_application(
        context(engine),
        SubmitApplication("birth", "parent", "k", {**typed, **held.values(plan)}, holdings=held.holdings),
    )
    with SqlUnitOfWork(engine) as uow:
        app = uow.applications.get(submitted.application_id)
    assert app is not None
    assert app.data["father.name"] == "王强"
    (read,) = log(engine, "draft-1")
    assert (read.type, read.actor, read.purpose) == (
        "org.yijianshi.personal_data.read",
        "window-clerk",
        PURPOSE,
    )
    assert read.data["certificates"] == [str(FATHERS_CARD.identifier)]
    assert FATHER_ID not in str(read.data)


def test_a_revoked_certificate_no_longer_stands_in_for_its_material(engine: Engine) -> None:
    mother_id = MOTHER_ID
    identifier = issue_id_card(engine, mother_id)
    with engine.begin() as connection:
        connection.execute(
            update(wallet_certificates)
            .where(wallet_certificates.c.identifier == identifier)
            .values(status="03")
        )
    held = read_mothers_wallet(engine, mother_id)
    plan = build_bundle_plan(CATALOG, CALENDAR, PlanBundle("birth", NOW.date(), holdings=held.holdings))
    sources = {(m.certificate, m.subject): m.source for m in plan.materials}
    assert sources[("resident_id_card", "mother")] is Source.APPLICANT
    assert held.values(plan) == {}


@pytest.mark.parametrize("purpose", ["", "   ", "事" * 201])
def test_a_wallet_is_not_read_without_a_stated_purpose(engine: Engine, purpose: str) -> None:
    with pytest.raises(InvalidPurpose):
        read_wallets(
            context(engine),
            ReadWallets({"mother": resident(MOTHER_ID)}, purpose, "clerk", "draft-2"),
        )
    assert log(engine, "draft-2") == []
