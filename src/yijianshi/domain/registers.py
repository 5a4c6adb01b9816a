"""Shared registers (共享数据源) by person: population, household and marriage registers.

A lookup by resident ID number answers in the catalogue's data-element keys, for the subject
the person plays on a form (`mother`, `retiree`, `applicant`):

    population register (人口库)   <subject>.name .id_number .sex .birth_date .ethnicity
                                   .birth_place .phone, and .address (the household's)
    marriage register (婚姻登记)   <subject>.marital_status (GB/T 2261.2: 10 unmarried, 20 married)
                                   .spouse_name .spouse_id_number .marriage_date
    household register (户籍)      household.address, household.head_name: asked as subject
                                   `household`, by the ID number of any member

Every use states its purpose (申请事由, `Purpose`: 1 to 200 characters).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from yijianshi.domain.errors import InvalidPurpose

MAX_PURPOSE = 200
HOUSEHOLD = "household"  # the subject of the household register's elements in the data dictionary
MARRIED, UNMARRIED = "20", "10"  # GB/T 2261.2 marital status


@dataclass(frozen=True, slots=True)
class Purpose:
    """申请事由: why shared data about a person is used; stripped, 1 to 200 characters.

    Raises InvalidPurpose (with zh and en text) when empty or longer.
    """

    text: str

    def __post_init__(self) -> None:
        text = self.text.strip()
        if not text:
            raise InvalidPurpose("请说明申请事由", "a purpose (申请事由) must be stated")
        if len(text) > MAX_PURPOSE:
            raise InvalidPurpose(
                f"申请事由不得超过{MAX_PURPOSE}个字符（现有{len(text)}个）",
                f"a purpose (申请事由) has at most {MAX_PURPOSE} characters, this one has {len(text)}",
            )
        object.__setattr__(self, "text", text)

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class Household:
    """An entry of the household register (户): its number (户号), address and head."""

    number: str
    address: str
    head: str  # the head's resident ID number
    region: str  # GB/T 2260 area code


@dataclass(frozen=True, slots=True)
class Resident:
    """A person in the population register (人口基础信息)."""

    id_number: str
    name: str
    sex: str  # GB/T 2261.1: 1 male, 2 female
    birth_date: dt.date
    ethnicity: str
    birth_place: str
    household: str  # 户号
    phone: str = ""


@dataclass(frozen=True, slots=True)
class Marriage:
    """A marriage registration (结婚登记) between two residents."""

    husband: str  # resident ID numbers
    wife: str
    registered_on: dt.date
    certificate_number: str


@dataclass(frozen=True, slots=True)
class Population:
    """Register content written together: households, their residents and marriages."""

    households: tuple[Household, ...] = ()
    residents: tuple[Resident, ...] = ()
    marriages: tuple[Marriage, ...] = ()


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """What the registers hold about one person, as read from them."""

    resident: Resident
    household: Household | None = None
    head_name: str = ""
    spouse: Resident | None = None
    marriage: Marriage | None = None


def person_elements(record: PersonRecord, subject: str, keys: Collection[str]) -> dict[str, str]:
    """The values among `keys` that `record` holds, keyed as data elements of `subject`
    (module docstring); a key the registers do not hold is left out."""
    known = _household(record) if subject == HOUSEHOLD else _person(record, subject)
    return {key: value for key, value in known.items() if key in keys and value}


def _household(record: PersonRecord) -> dict[str, str]:
    if record.household is None:
        return {}
    return {f"{HOUSEHOLD}.address": record.household.address, f"{HOUSEHOLD}.head_name": record.head_name}


def _person(record: PersonRecord, subject: str) -> dict[str, str]:
    person, spouse, marriage = record.resident, record.spouse, record.marriage
    values = {
        "name": person.name,
        "id_number": person.id_number,
        "sex": person.sex,
        "birth_date": person.birth_date.isoformat(),
        "ethnicity": person.ethnicity,
        "birth_place": person.birth_place,
        "phone": person.phone,
        "address": record.household.address if record.household else "",
        "marital_status": MARRIED if marriage else UNMARRIED,
        "spouse_name": spouse.name if spouse else "",
        "spouse_id_number": spouse.id_number if spouse else "",
        "marriage_date": marriage.registered_on.isoformat() if marriage else "",
    }
    return {f"{subject}.{name}": value for name, value in values.items()}
