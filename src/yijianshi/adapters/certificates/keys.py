"""Ed25519 keys (`cryptography`): the platform's key pair in a PEM file, trusted issuers' public keys.

A key's id is the first 16 hex digits of the SHA-256 of its raw 32-byte public key. The private
key file is read on first use; in development a missing file is generated then (mode 0600), in
production it is an error. Verifying never creates a key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import tempfile
from functools import cached_property, lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from yijianshi.services.sharing.ports import SigningKeyUnavailable, UnknownSigningKey


def key_id(public_key: Ed25519PublicKey) -> str:
    """The id written into signatures: 16 hex digits of the SHA-256 of the raw public key."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def public_pem(public_key: Ed25519PublicKey) -> str:
    """The public key as PEM text, for a verifier's trusted-keys directory."""
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


class Ed25519Keys:
    """A private key that signs and the public keys that verify (its own and the trusted ones)."""

    def __init__(
        self, private_key: Ed25519PrivateKey | None, trusted: tuple[Ed25519PublicKey, ...] = ()
    ) -> None:
        self._private = private_key
        own = (private_key.public_key(),) if private_key else ()
        self._public = {key_id(k): k for k in (*own, *trusted)}

    @property
    def key_id(self) -> str:
        return key_id(self._signing_key().public_key())

    def public_pem(self) -> str:
        return public_pem(self._signing_key().public_key())

    def sign(self, payload: bytes) -> str:
        return base64.b64encode(self._signing_key().sign(payload)).decode("ascii")

    def verify(self, key_id: str, payload: bytes, signature: str) -> bool:
        """Whether `signature` is the key's over `payload`; raise UnknownSigningKey."""
        public = self._public.get(key_id)
        if public is None:
            raise UnknownSigningKey(key_id)
        try:
            public.verify(base64.b64decode(signature, validate=True), payload)
        except (InvalidSignature, binascii.Error, ValueError):
            return False
        return True

    def _signing_key(self) -> Ed25519PrivateKey:
        if self._private is None:
            raise SigningKeyUnavailable("no signing key is configured")
        return self._private


class FileKeys:
    """The platform's keys as configured: a PEM private key at `path`, read (or, when `create`,
    generated) on first use, and every `*.pem` public key in `trusted_dir`."""

    def __init__(self, path: Path, create: bool, trusted_dir: Path | None = None) -> None:
        self.path = path
        self.create = create
        self.trusted_dir = trusted_dir

    @property
    def key_id(self) -> str:
        return self._signer.key_id

    def public_pem(self) -> str:
        return self._signer.public_pem()

    def sign(self, payload: bytes) -> str:
        return self._signer.sign(payload)

    def verify(self, key_id: str, payload: bytes, signature: str) -> bool:
        return self._verifier.verify(key_id, payload, signature)

    @cached_property
    def _signer(self) -> Ed25519Keys:
        if not self.path.exists():
            if not self.create:
                raise SigningKeyUnavailable(
                    f"signing key {self.path} does not exist: set YIJIANSHI_SIGNING_KEY to the PEM file "
                    "of the platform's Ed25519 key (one is generated only in development)"
                )
            _generate(self.path)
        return Ed25519Keys(_read_private(self.path), self._trusted())

    @cached_property
    def _verifier(self) -> Ed25519Keys:
        if "_signer" in self.__dict__ or self.path.exists():
            return self._signer
        return Ed25519Keys(None, self._trusted())

    def _trusted(self) -> tuple[Ed25519PublicKey, ...]:
        if self.trusted_dir is None:
            return ()
        return tuple(_read_public(path) for path in sorted(self.trusted_dir.glob("*.pem")))


def _generate(path: Path) -> None:
    """Create the key file with its whole content at once, unless another process did first.

    The key is written to a file of its own beside `path`, then linked to `path` (which fails if
    `path` exists): a process starting at the same moment never reads a half-written key.
    """
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    try:
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    except OSError as error:
        raise SigningKeyUnavailable(f"cannot create signing key {path}: {error.strerror}") from None
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(pem)
            file.flush()
            os.fsync(file.fileno())
        os.link(temporary, path)
    except FileExistsError:  # another process generated it first: use that one
        pass
    except OSError as error:
        raise SigningKeyUnavailable(f"cannot create signing key {path}: {error.strerror}") from None
    finally:
        os.unlink(temporary)


def _read_private(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except OSError as error:
        raise SigningKeyUnavailable(f"cannot read signing key {path}: {error.strerror}") from None
    except (ValueError, TypeError) as error:
        raise SigningKeyUnavailable(f"signing key {path} is not an unencrypted PEM key: {error}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyUnavailable(f"signing key {path} is not an Ed25519 key")
    return key


def _read_public(path: Path) -> Ed25519PublicKey:
    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except (OSError, ValueError) as error:
        raise SigningKeyUnavailable(f"trusted key {path} cannot be read: {error}") from None
    if not isinstance(key, Ed25519PublicKey):
        raise SigningKeyUnavailable(f"trusted key {path} is not an Ed25519 public key")
    return key


@lru_cache(maxsize=1)
def ephemeral_keys() -> Ed25519Keys:
    """A key pair made for this process only: for units of work built by hand (tests,
    benchmarks); a deployment's bootstrap passes the configured keys instead."""
    return Ed25519Keys(Ed25519PrivateKey.generate())
