"""The platform's signing key: generated once in development, required in production."""

import stat
from pathlib import Path

import pytest
from pydantic import ValidationError

from yijianshi.adapters.certificates.keys import FileKeys
from yijianshi.services.sharing.ports import SigningKeyUnavailable, UnknownSigningKey
from yijianshi.settings import Settings


def test_in_development_a_missing_key_is_generated_once_and_kept_private(tmp_path: Path) -> None:
    path = tmp_path / "key.pem"
    first = FileKeys(path, create=True)
    signature = first.sign(b"payload")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = FileKeys(path, create=True)
    assert again.key_id == first.key_id
    assert again.verify(first.key_id, b"payload", signature)
    assert not again.verify(first.key_id, b"payloaD", signature)


def test_in_production_a_missing_key_is_refused_saying_what_to_set(tmp_path: Path) -> None:
    keys = FileKeys(tmp_path / "missing.pem", create=False)
    with pytest.raises(SigningKeyUnavailable, match="YIJIANSHI_SIGNING_KEY"):
        keys.sign(b"payload")
    with pytest.raises(UnknownSigningKey):
        keys.verify("0123456789abcdef", b"payload", "c2lnbmF0dXJl")
    assert not (tmp_path / "missing.pem").exists()


def test_a_file_that_is_not_an_ed25519_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "key.pem"
    path.write_text("not a key\n", encoding="utf-8")
    with pytest.raises(SigningKeyUnavailable, match="not an unencrypted PEM key"):
        FileKeys(path, create=True).sign(b"payload")


def test_production_settings_must_name_the_signing_key(tmp_path: Path) -> None:
    secret = "s" * 32  # production requires other secrets too
    with pytest.raises(ValidationError, match="YIJIANSHI_SIGNING_KEY"):
        Settings(environment="production", secret_key=secret)
    named = Settings(environment="production", secret_key=secret, signing_key=tmp_path / "key.pem")
    assert named.signing_key == tmp_path / "key.pem"
