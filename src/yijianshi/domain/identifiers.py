"""Check characters of Chinese national identifiers.

- Resident ID number (公民身份号码, GB 11643-1999): ISO 7064 MOD 11-2.
- Unified social credit code (统一社会信用代码, GB 32100-2015): weighted MOD 31.
- Administrative area code (GB/T 2260): six digits.
"""

from __future__ import annotations

import datetime as dt
import re

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")

_CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

_PHONE = re.compile(r"^1[3-9]\d{9}$")
_AREA = re.compile(r"^[1-8]\d{5}$")


def id_number_check_char(first17: str) -> str:
    """Return the GB 11643 check character for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def id_number_problem(value: str) -> str | None:
    """Return why `value` is not a valid resident ID number, or None when it is."""
    if not _ID_SHAPE.match(value):
        return "must be 17 digits followed by a digit or X"
    try:
        dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return f"birth date {value[6:14]} is not a real date"
    expected = id_number_check_char(value[:17])
    if value[17] != expected:
        return f"check character is {value[17]}, expected {expected}"
    return None


def credit_code_check_char(first17: str) -> str:
    """Return the GB 32100 check character for the first 17 characters."""
    total = sum(_CREDIT_ALPHABET.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return _CREDIT_ALPHABET[(31 - total % 31) % 31]


def credit_code_problem(value: str) -> str | None:
    """Return why `value` fails the credit-code check, or None.

    Some genuine codes fail the check, so callers treat this as a warning.
    """
    if len(value) != 18 or any(c not in _CREDIT_ALPHABET for c in value):
        return f"must be 18 characters from {_CREDIT_ALPHABET}"
    expected = credit_code_check_char(value[:17])
    if value[17] != expected:
        return f"check character is {value[17]}, expected {expected}"
    return None


def phone_problem(value: str) -> str | None:
    """Return why `value` is not a mainland mobile number, or None."""
    return None if _PHONE.match(value) else "must be an 11-digit mobile number starting with 1"


def area_code_problem(value: str) -> str | None:
    """Return why `value` is not a GB/T 2260 area code, or None."""
    return None if _AREA.match(value) else "must be a 6-digit GB/T 2260 area code"
