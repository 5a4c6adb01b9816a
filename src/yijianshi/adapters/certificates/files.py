"""Signed certificate files: JSON a holder keeps and anyone verifies offline.

    {
      "format": "yijianshi.certificate/1",
      "certificate": { the directory entry: domain.certificates.to_document },
      "signature": {"algorithm": "Ed25519", "key_id": "<16 hex>", "value": "<base64>"}
    }

The signature is over `canonical_bytes(certificate)`, so a file may be re-indented or its keys
reordered without breaking it; a changed value breaks it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from yijianshi.domain.certificate_documents import FORMAT, from_document, signed_document
from yijianshi.domain.certificates import SignedCertificate
from yijianshi.domain.problems import Line, Problem, untranslated
from yijianshi.services.catalogue.ports import InputFileError

_SHAPE = (
    f'is not a signed certificate file: expected a JSON object with "format": "{FORMAT}", '
    'a "certificate" object and a "signature" object with text algorithm, key_id and value'
)


def _refuse(location: str, message: str, line: int = 1) -> InputFileError:
    return InputFileError([Problem(Line(location, line), untranslated(message))])


def _load(location: str) -> Any:
    try:
        return json.loads(Path(location).read_text(encoding="utf-8"))
    except OSError as error:
        raise _refuse(location, f"cannot be read: {error.strerror}") from None
    except UnicodeDecodeError:
        raise _refuse(location, "cannot be read: it is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise _refuse(location, f"is not JSON: {error.msg} (column {error.colno})", error.lineno) from None


class JsonCertificateFiles:
    """Reads and writes signed certificate files (module docstring)."""

    def read(self, location: str) -> SignedCertificate:
        """Raise InputFileError for a file that is not a certificate file; InvalidCertificate
        (from the domain) for a certificate whose fields are ill-formed."""
        document = _load(location)
        signature = document.get("signature") if isinstance(document, dict) else None
        if (
            not isinstance(document, dict)
            or document.get("format") != FORMAT
            or not isinstance(document.get("certificate"), dict)
            or not isinstance(signature, dict)
            or not all(isinstance(signature.get(k), str) for k in ("algorithm", "key_id", "value"))
        ):
            raise _refuse(location, _SHAPE)
        return SignedCertificate(
            from_document(document["certificate"]),
            signature["key_id"],
            signature["value"],
            signature["algorithm"],
        )

    def write(self, location: str, signed: SignedCertificate) -> None:
        document = signed_document(signed)
        try:
            Path(location).write_text(
                json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
            )
        except OSError as error:
            raise _refuse(location, f"cannot be written: {error.strerror}") from None
