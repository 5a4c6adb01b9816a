"""Window clerks register an applicant who came in person (无差别受理): the checks of what they
typed, in Chinese and English, and the account made with an initial password to hand over."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass

from yijianshi.domain.accounts import Role
from yijianshi.domain.identifiers import id_number_check_char, phone_problem
from yijianshi.domain.problems import Problem
from yijianshi.domain.text import Text
from yijianshi.services.accounts.local_accounts import (
    CreateAccount,
    FindApplicants,
    create_account,
    find_applicants,
)
from yijianshi.services.accounts.ports import Account, Identity
from yijianshi.services.errors import AccountTaken, RegistrationInvalid


@dataclass(frozen=True, slots=True)
class RegisterApplicant:
    """Command: a window clerk registers an applicant who came in person: their name, resident
    ID number and, optionally, a mainland mobile number."""

    name: str
    id_number: str
    mobile: str = ""


@dataclass(frozen=True, slots=True)
class Registered:
    """The new account and its initial password, to hand over once (only its hash is kept)."""

    account: Account
    password: str


def register_applicant(identity: Identity, command: RegisterApplicant) -> Registered:
    """Create the applicant's account with a random initial password, returned once.

    The account name is the mobile number when given (people log in with it), else a
    generated `u` and 8 digits. Raises RegistrationInvalid with every field error at once
    (an invalid value, an ID number already registered, a mobile number already an account
    name); nothing is stored then."""
    name, id_number, mobile = (
        command.name.strip(),
        normal_id_number(command.id_number),
        normal_mobile(command.mobile),
    )
    errors = registration_errors(name, id_number, mobile)
    if not errors and find_applicants(identity, FindApplicants(id_number=id_number, limit=1)):
        errors.append(Problem("id_number", ALREADY_REGISTERED))
    if errors:
        raise RegistrationInvalid(errors)
    password = initial_password()
    # A generated name is taken once in 10^8 tries; a mobile number may be taken for good.
    for account in [mobile] if mobile else [f"u{secrets.randbelow(10**8):08d}" for _ in range(5)]:
        try:
            made = create_account(
                identity, CreateAccount(account, name, Role.APPLICANT, password, None, id_number)
            )
        except AccountTaken:
            continue
        return Registered(made, password)
    raise RegistrationInvalid(
        [Problem("mobile" if mobile else "name", MOBILE_TAKEN if mobile else NO_ACCOUNT_NAME)]
    )


ALREADY_REGISTERED = Text(
    "已有申请人使用这个公民身份号码：请查找并为其办理，不要重复登记",
    "an applicant with this ID number is registered already: find them and act for "
    "them instead of registering again",
)
MOBILE_TAKEN = Text(
    "这个手机号码已被其他账号使用：请换一个号码，或留空",
    "this mobile number is already another account's name: use another number or leave it empty",
)
NO_ACCOUNT_NAME = Text("暂时无法生成账号，请再提交一次", "no free account name was found: submit again")
_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")
_PASSWORD_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o, 1/l/i: read aloud at a window


def normal_id_number(value: str) -> str:
    """A resident ID number as typed, without spaces, with a capital X."""
    return "".join(value.split()).upper()


def normal_mobile(value: str) -> str:
    """A mobile number as typed, without spaces, hyphens or the +86 country code."""
    digits = "".join(value.split()).replace("-", "")
    return digits[3:] if digits.startswith("+86") else digits


def id_number_error(value: str) -> Text | None:
    """Why `value` (normalised) is not a valid resident ID number (GB 11643), or None."""
    if not value:
        return Text("请输入公民身份号码", "enter the resident ID number")
    if not _ID_SHAPE.match(value) and len(value) == 18:
        return Text(
            "公民身份号码前17位应为数字，最后一位为数字或X，请检查是否混入字母或符号",
            "a resident ID number is 17 digits, then a digit or X: check for letters or symbols",
        )
    if not _ID_SHAPE.match(value):
        return Text(
            f"公民身份号码应为18位：前17位是数字，最后一位是数字或X（现在是{len(value)}位）",
            f"a resident ID number has 18 characters: 17 digits, then a digit or X (this has {len(value)})",
        )
    try:
        dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return Text(
            f"公民身份号码第7至14位的出生日期{value[6:14]}不存在，请核对",
            f"characters 7 to 14 give the birth date {value[6:14]}, which does not exist: check them",
        )
    if value[17] != id_number_check_char(value[:17]):
        return Text(
            "公民身份号码校验位不符，可能有一位输错：请对照证件逐位核对",
            "the check character (the last one) does not match the other 17: a digit is probably "
            "mistyped, check each one against the ID card",
        )
    return None


def mobile_error(value: str) -> Text | None:
    """Why `value` (normalised) is not a mainland mobile number, or None."""
    if phone_problem(value) is None:
        return None
    return Text(
        "手机号码应为以1开头的11位数字，例如13912345678",
        "enter a mainland mobile number: 11 digits starting with 1, for example 13912345678",
    )


def registration_errors(name: str, id_number: str, mobile: str) -> list[Problem[str]]:
    errors = []
    if not name:
        errors.append(Problem("name", Text("请输入姓名", "enter the applicant's name")))
    elif len(name) > 50 or any(not c.isprintable() for c in name):
        errors.append(
            Problem(
                "name",
                Text(
                    "姓名最多50个字，不能含控制字符",
                    "the name can have at most 50 characters and no control characters",
                ),
            )
        )
    if (problem := id_number_error(id_number)) is not None:
        errors.append(Problem("id_number", problem))
    if mobile and (problem := mobile_error(mobile)) is not None:
        errors.append(Problem("mobile", problem))
    return errors


def initial_password() -> str:
    """A random password of 16 characters in groups of four (about 79 bits), easy to read out."""
    chars = "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(16))
    return "-".join(chars[i : i + 4] for i in range(0, 16, 4))


def masked_id_number(value: str | None) -> str:
    """A resident ID number as lists show it: the first 4 and the last 4 characters."""
    if not value:
        return ""
    return value[:4] + "*" * max(len(value) - 8, 0) + value[-4:] if len(value) > 8 else "*" * len(value)
