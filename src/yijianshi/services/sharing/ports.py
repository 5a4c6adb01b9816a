"""What sharing needs from the outside world, as typed protocols: holders' wallets and the shared
registers (inside a unit of work), the platform's keys, signed certificate files, and the
registers' synthetic content."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from yijianshi.domain.certificates import Certificate, Holder, SignedCertificate
from yijianshi.domain.issuance import CertificateIssue
from yijianshi.domain.registers import Population, Purpose
from yijianshi.services.errors import SigningKeyUnavailable as SigningKeyUnavailable  # CertificateKeys
from yijianshi.services.errors import UnknownSigningKey as UnknownSigningKey  # CertificateKeys.verify
from yijianshi.services.unit_of_work import Write


@dataclass(frozen=True, slots=True)
class SignedCertificateIssue:
    """A certificate to issue, signed: `text` is what was signed (`canonical_text`)."""

    issue: CertificateIssue
    signed: SignedCertificate
    text: str


class Wallet(Protocol):
    """Holders' electronic certificates (电子证照库), inside one unit of work."""

    def issue(self, issues: Sequence[CertificateIssue]) -> list[SignedCertificate]:
        """Sign and store each certificate in its holder's wallet; return those newly stored
        (one already stored, by identifier, is left as it is)."""
        ...

    def sign(self, issues: Sequence[CertificateIssue]) -> list[SignedCertificateIssue]:
        """Sign the certificates not stored yet (by identifier), each once; write nothing. With
        `store`, `issue` in two steps, so that a transaction can do its work before it writes."""
        ...

    def store(self, signed: Sequence[SignedCertificateIssue]) -> None:
        """Store certificates signed by `sign` in this unit of work (one stored meanwhile, by
        identifier, is left as it is)."""
        ...

    def prepare_store(self, signed: Sequence[SignedCertificateIssue]) -> Write:
        """`store`, prepared (see Write)."""
        ...

    def held_by(self, holder: Holder, certificate_type: str | None = None) -> list[Certificate]:
        """The holder's certificates, of one catalogue type or all, oldest first, each with the
        status the wallet records now."""
        ...

    def get(self, identifier: str) -> tuple[SignedCertificate, str] | None:
        """A certificate as signed, and the id of the application that issued it."""
        ...


class Registers(Protocol):
    """Shared registers (population, household, marriage, ...), queried by person."""

    def lookup(self, id_number: str, subject: str, keys: Collection[str], purpose: Purpose) -> dict[str, str]:
        """What the registers hold among `keys` about the resident, keyed as data elements of
        `subject` (see domain.registers); {} for a person they do not know."""
        ...


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
