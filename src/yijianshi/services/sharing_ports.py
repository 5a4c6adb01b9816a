"""What signing, verifying and seeding need from the outside world, as typed protocols: the
platform's keys, signed certificate files, and the registers' synthetic content.

The ports the use cases of applications need are in `ports.py`; these serve
`services.certificate_files` and `services.registers`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

from yijianshi.domain.certificates import SignedCertificate
from yijianshi.domain.registers import Population


class UnknownSigningKey(Exception):
    """A signature names a key that is neither the platform's nor a trusted issuer's."""

    def __init__(self, key_id: str) -> None:
        super().__init__(f"signed with an unknown key {key_id}")
        self.key_id = key_id


class SigningKeyUnavailable(Exception):
    """The platform's signing key cannot be loaded (missing outside development, or unreadable)."""


class CertificateKeys(Protocol):
    """The platform's Ed25519 key pair, and the public keys of issuers it trusts."""

    @property
    def key_id(self) -> str:
        """The id of the platform's public key, written into every signature."""
        ...

    def public_pem(self) -> str:
        """The platform's public key as PEM, for verifiers elsewhere to trust."""
        ...

    def sign(self, payload: bytes) -> str:
        """The base64 signature of `payload` by the platform's key."""
        ...

    def verify(self, key_id: str, payload: bytes, signature: str) -> bool:
        """Whether `signature` (base64) is the key's over `payload`; raise UnknownSigningKey."""
        ...


class CertificateFiles(Protocol):
    """Signed certificate files (JSON), for the holder to keep and anyone to verify offline."""

    def read(self, location: str) -> SignedCertificate:
        """Read a file; raise InputFileError when it cannot be read or is no certificate file,
        InvalidCertificate when a field of the certificate is ill-formed."""
        ...

    def write(self, location: str, signed: SignedCertificate) -> None: ...


@dataclass(frozen=True, slots=True)
class Seeded:
    """What a register store holds after seeding."""

    households: int
    residents: int
    marriages: int


class PopulationSource(Protocol):
    """Makes up register content (a synthetic population)."""

    def generate(self, residents: int) -> Iterator[Population]:
        """Exactly `residents` residents, in chunks, with their households and marriages."""
        ...


class RegisterStore(Protocol):
    """The local registers' content, written in bulk."""

    def replace(self, content: Iterable[Population]) -> Seeded:
        """Drop what the registers held and write `content` instead, in one transaction."""
        ...
