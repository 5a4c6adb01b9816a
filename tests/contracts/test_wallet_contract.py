"""Wallet: certificates signed with the platform's key, stored once, found by holder, on every
backend."""

from __future__ import annotations

import dataclasses
import datetime as dt

from tests.certificates import MOTHER_ID, certificate
from tests.contracts.conftest import UnitOfWorkFactory
from tests.contracts.samples import NOW
from yijianshi.adapters.certificates.keys import ephemeral_keys
from yijianshi.domain.certificate_documents import canonical_text
from yijianshi.domain.certificates import Holder
from yijianshi.domain.issuance import CertificateIssue

OTHER_ID = "110105194912310020"  # hypothetical holder; its certificates are not the mother's


def issue(serial: str, at: dt.datetime = NOW, holder: str = MOTHER_ID, **changes: object) -> CertificateIssue:
    return CertificateIssue(certificate(holder, serial, **changes), "app-1", "case-1", "item-1", at)


def test_an_issued_certificate_is_signed_stored_and_found_by_identifier(
    unit_of_work: UnitOfWorkFactory,
) -> None:
    card = issue("20200000001")
    with unit_of_work() as uow:
        (signed,) = uow.wallet.issue([card])
        uow.commit()
    keys = ephemeral_keys()
    assert signed.key_id == keys.key_id
    assert keys.verify(signed.key_id, canonical_text(card.certificate).encode("utf-8"), signed.signature)
    with unit_of_work() as uow:
        found = uow.wallet.get(str(card.certificate.identifier))
        assert uow.wallet.get("no-such-certificate") is None
    assert found == (signed, "app-1")


def test_a_certificate_stored_before_is_left_as_it_was(unit_of_work: UnitOfWorkFactory) -> None:
    first = issue("20200000001")
    with unit_of_work() as uow:
        uow.wallet.issue([first])
        uow.commit()
    again = dataclasses.replace(first, application_id="app-2")
    with unit_of_work() as uow:
        assert uow.wallet.sign([again, again]) == []
        assert uow.wallet.issue([again]) == []
        uow.commit()
    with unit_of_work() as uow:
        found = uow.wallet.get(str(first.certificate.identifier))
    assert found is not None
    assert found[1] == "app-1"


def test_signing_writes_nothing_and_signs_each_certificate_once(unit_of_work: UnitOfWorkFactory) -> None:
    card = issue("20200000001")
    with unit_of_work() as uow:
        signed = uow.wallet.sign([card, card])
        assert len(signed) == 1
        assert signed[0].text == canonical_text(card.certificate)
        assert uow.wallet.get(str(card.certificate.identifier)) is None
        write = uow.wallet.prepare_store(signed)
        write()
        write()  # stored once, whatever happens
        uow.commit()
    with unit_of_work() as uow:
        assert len(uow.wallet.held_by(Holder(MOTHER_ID))) == 1


def test_a_holders_certificates_come_oldest_first_of_one_type_or_all(
    unit_of_work: UnitOfWorkFactory,
) -> None:
    later = issue("20200000002", NOW + dt.timedelta(days=1))
    earlier = issue("20200000001", NOW)
    other_type = issue("20200000003", NOW, certificate_type="birth_certificate")
    someone_else = issue("20200000004", NOW, holder=OTHER_ID)
    with unit_of_work() as uow:
        uow.wallet.issue([later, earlier, other_type, someone_else])
        uow.commit()
    with unit_of_work() as uow:
        held = uow.wallet.held_by(Holder(MOTHER_ID))
        cards = uow.wallet.held_by(Holder(MOTHER_ID), "resident_id_card")
        assert uow.wallet.held_by(Holder("11010519491231003X")) == []
    assert [c.identifier for c in cards] == [earlier.certificate.identifier, later.certificate.identifier]
    assert cards[0] == earlier.certificate
    assert {c.identifier for c in held} == {
        earlier.certificate.identifier,
        later.certificate.identifier,
        other_type.certificate.identifier,
    }


def test_certificates_are_kept_only_when_committed(unit_of_work: UnitOfWorkFactory) -> None:
    with unit_of_work() as uow:
        uow.wallet.issue([issue("20200000001")])
        assert len(uow.wallet.held_by(Holder(MOTHER_ID))) == 1
    with unit_of_work() as uow:
        assert uow.wallet.held_by(Holder(MOTHER_ID)) == []
