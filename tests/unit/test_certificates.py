import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.certificates import MOTHER_ID, certificate
from tests.factories import MONDAY, bundle, catalog, item, plain_calendar
from yijianshi.domain.certificate_documents import canonical_bytes, from_document, to_document
from yijianshi.domain.certificates import (
    Certificate,
    CertificateIdentifier,
    CertificateStatus,
    check_character,
)
from yijianshi.domain.errors import InvalidCertificate
from yijianshi.domain.planning import Source, build_plan
from yijianshi.domain.sharing import holdings_of

REFERENCE = "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
CREDIT = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def test_the_reference_identifier_is_read_with_its_parts() -> None:
    identifier = CertificateIdentifier.parse(REFERENCE)
    assert identifier.type_code == "11100000000013338W011"
    assert identifier.issuer_code == "11430000006122244L"
    assert identifier.serial == "20230000403"
    assert identifier.version == "001"
    assert identifier.check == "U"
    assert str(identifier) == REFERENCE


def test_the_check_character_is_iso_7064_mod_37_36_over_type_issuer_serial_and_version() -> None:
    assert check_character("11100000000013338W01111430000006122244L20230000403001") == "U"


def test_a_wrong_check_character_is_refused_naming_the_expected_one() -> None:
    with pytest.raises(InvalidCertificate, match="check character is 'V', expected 'U'"):
        CertificateIdentifier.parse(REFERENCE[:-1] + "V")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1.2.156.3005.3.11100000000013338W011.11430000006122244L.20230000403.001.U", "does not start with"),
        ("1.2.156.3005.2.11100000000013338W011.11430000006122244L.001.U", "must have 5 parts"),
        ("1.2.156.3005.2.11100000000013338W01.11430000006122244L.20230000403.001.U", "type code"),
        ("1.2.156.3005.2.11100000000013338W011.11430000006122244.20230000403.001.U", "issuer code"),
        ("1.2.156.3005.2.11100000000013338W011.11430000006122244L.2023-0403.001.U", "serial"),
        ("1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.1.U", "version"),
    ],
)
def test_an_ill_formed_identifier_says_which_part_is_wrong(text: str, message: str) -> None:
    with pytest.raises(InvalidCertificate, match=message):
        CertificateIdentifier.parse(text)


@st.composite
def identifiers(draw: st.DrawFn) -> str:
    type_code = draw(st.text(CREDIT, min_size=18, max_size=18)) + draw(
        st.text("0123456789", min_size=3, max_size=3)
    )
    issuer = draw(st.text(CREDIT, min_size=18, max_size=18))
    serial = draw(st.text(ALPHABET, min_size=1, max_size=20))
    return str(CertificateIdentifier(type_code, issuer, serial, draw(st.sampled_from(["001", "002"]))))


@given(identifiers(), st.data())
def test_any_single_changed_character_of_an_identifier_is_detected(text: str, data: st.DataObject) -> None:
    positions = [i for i in range(len("1.2.156.3005.2."), len(text)) if text[i] != "."]
    position = data.draw(st.sampled_from(positions))
    replacement = data.draw(st.sampled_from([c for c in ALPHABET if c != text[position]]))
    changed = text[:position] + replacement + text[position + 1 :]
    with pytest.raises(InvalidCertificate):
        CertificateIdentifier.parse(changed)


@given(st.text(ALPHABET, min_size=1, max_size=60), st.data())
def test_the_check_character_changes_with_any_single_substitution(body: str, data: st.DataObject) -> None:
    position = data.draw(st.integers(0, len(body) - 1))
    replacement = data.draw(st.sampled_from([c for c in ALPHABET if c != body[position]]))
    assert check_character(body[:position] + replacement + body[position + 1 :]) != check_character(body)


def test_a_certificate_survives_its_document_and_its_signed_bytes_ignore_layout() -> None:
    card = certificate()
    document = to_document(card)
    assert from_document(document) == card
    assert canonical_bytes(from_document(dict(reversed(document.items())))) == canonical_bytes(card)
    assert canonical_bytes(dataclasses.replace(card, holder_name="王伟")) != canonical_bytes(card)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"issue_date": "2020-02-30"}, "issue_date"),
        ({"status": "09"}, "status"),
        ({"holder_code": "110105194912310021"}, "holder_code"),
        ({"type_code": "11100000000013338W011"}, "type_code"),
        ({"issuer": ""}, "issuer"),
        ({"colour": "red"}, "colour"),
        ({"data": {"name": 3}}, "data"),
    ],
)
def test_an_ill_formed_document_names_the_field(change: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidCertificate) as caught:
        from_document({**to_document(certificate()), **change})
    assert caught.value.field == field


def test_only_a_valid_certificate_within_its_validity_can_be_relied_on() -> None:
    card = certificate()
    assert card.validity_problem(dt.date(2026, 3, 2)) is None
    assert card.status_on(dt.date(2040, 5, 2)) is CertificateStatus.EXPIRED
    revoked = dataclasses.replace(card, status=CertificateStatus.REVOKED).validity_problem(MONDAY)
    assert revoked is not None
    assert "revoked" in revoked.en
    assert "撤销" in revoked.zh
    early = card.validity_problem(dt.date(2019, 1, 1))
    assert early is not None
    assert "not valid before 2020-05-01" in early.en


NEEDS_ID_CARD = catalog(
    item("birth-registration", needs=(("resident_id_card", "mother"),), fields=("mother.name",)),
    bundles=(bundle("b", "birth-registration"),),
)


def material_source(held: dict[str, list[Certificate]], on: dt.date = MONDAY) -> Source:
    plan = build_plan(NEEDS_ID_CARD, NEEDS_ID_CARD.bundles["b"], {}, holdings_of(held), plain_calendar(), on)
    (material,) = plan.materials
    return material.source


def test_a_held_valid_certificate_satisfies_a_material_of_its_type() -> None:
    assert material_source({"mother": [certificate()]}) is Source.CERTIFICATE


@pytest.mark.parametrize("status", [s for s in CertificateStatus if s is not CertificateStatus.VALID])
def test_a_certificate_that_is_not_valid_does_not_satisfy_a_material(status: CertificateStatus) -> None:
    assert material_source({"mother": [certificate(status=status)]}) is Source.APPLICANT


def test_a_certificate_outside_its_validity_does_not_satisfy_a_material() -> None:
    assert material_source({"mother": [certificate()]}, on=dt.date(2040, 5, 2)) is Source.APPLICANT
    assert material_source({"mother": [certificate()]}, on=dt.date(2019, 12, 31)) is Source.APPLICANT


def test_a_certificate_held_by_someone_else_does_not_satisfy_the_mothers_material() -> None:
    assert material_source({"father": [certificate(holder=MOTHER_ID)]}) is Source.APPLICANT
