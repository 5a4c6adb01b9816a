import dataclasses
import datetime as dt

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.certificates import certificate
from yijianshi.adapters.certificates.keys import Ed25519Keys
from yijianshi.domain.certificate_documents import canonical_bytes, to_document
from yijianshi.services.sharing.verification import verify_certificate_document

TODAY = dt.date(2026, 3, 2)
KEYS = Ed25519Keys(Ed25519PrivateKey.generate())


def test_a_posted_certificate_verifies_with_the_platforms_key() -> None:
    card = certificate()
    result = verify_certificate_document(
        KEYS, to_document(card), KEYS.key_id, KEYS.sign(canonical_bytes(card)), TODAY
    )
    assert result.ok
    assert result.signed is not None
    assert result.signed.certificate == card


def test_a_posted_certificate_with_changed_content_is_refused() -> None:
    card = certificate()
    signature = KEYS.sign(canonical_bytes(card))
    changed = to_document(dataclasses.replace(card, holder_name="王伟"))
    result = verify_certificate_document(KEYS, changed, KEYS.key_id, signature, TODAY)
    assert result.problem is not None
    assert "does not match" in result.problem.en


def test_a_posted_certificate_with_a_bad_identifier_is_refused_before_its_signature_is_checked() -> None:
    document = {**to_document(certificate()), "identifier": str(certificate().identifier)[:-1] + "#"}
    result = verify_certificate_document(KEYS, document, KEYS.key_id, "not base64", TODAY)
    assert result.signed is None
    assert result.problem is not None
    assert "identifier" in result.problem.en


def test_a_signature_that_is_not_base64_is_refused_not_raised() -> None:
    card = certificate()
    result = verify_certificate_document(KEYS, to_document(card), KEYS.key_id, "%%%", TODAY)
    assert result.problem is not None
    assert "does not match" in result.problem.en
