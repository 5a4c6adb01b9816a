"""The catalogue of standard service items (政务服务事项目录) and what they refer to.

Every element of an item that planning needs is data here: its department, the data
elements of its form, its materials, what it outputs, its time limits in working days and
the trips it needed before the reform. Code only interprets this data.

`catalog_problems()` checks cross-references and reports each problem (domain.problems) at a
`Ref` (what object and which attribute path), which an adapter turns into `file:line`.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING

from yijianshi.domain import identifiers
from yijianshi.domain.problems import Problem, untranslated
from yijianshi.domain.text import Text

if TYPE_CHECKING:
    from yijianshi.domain.bundles import Bundle


class ValueType(StrEnum):
    """How a data element's value is written and checked."""

    TEXT = "text"
    DATE = "date"
    DATETIME = "datetime"
    INTEGER = "integer"
    DECIMAL = "decimal"
    BOOLEAN = "boolean"
    ENUM = "enum"
    ID_NUMBER = "id_number"  # GB 11643 resident ID number
    CREDIT_CODE = "credit_code"  # GB 32100 unified social credit code (warn only)
    PHONE = "phone"
    AREA_CODE = "area_code"  # GB/T 2260


class PersonalData(StrEnum):
    """The personal-data class of a data element (个人信息类别)."""

    NONE = "none"
    GENERAL = "general"  # 一般个人信息
    SENSITIVE = "sensitive"  # 敏感个人信息: ID numbers, health, finance


class Necessity(StrEnum):
    """材料必要性."""

    REQUIRED = "required"
    OPTIONAL = "optional"
    LATER = "later"  # 容缺后补: may follow after acceptance


class MaterialForm(StrEnum):
    """材料形式."""

    PAPER = "paper"
    ELECTRONIC = "electronic"
    BOTH = "both"


class Handling(StrEnum):
    """办件类型."""

    IMMEDIATE = "immediate"  # 1 即办件
    PROMISED = "promised"  # 2 承诺件


@dataclass(frozen=True, slots=True)
class Option:
    """One permitted value of an enumeration or a guidance question."""

    code: str
    label: Text


@dataclass(frozen=True, slots=True)
class Department:
    """A department or body that handles items (实施主体)."""

    code: str
    name: Text
    region: str  # GB/T 2260 area code
    credit_code: str = ""  # 统一社会信用代码, the issuer code of the certificates it issues


@dataclass(frozen=True, slots=True)
class DataElement:
    """One entry of the data dictionary (数据元), e.g. `child.name`."""

    key: str
    type: ValueType
    label: Text
    personal: PersonalData = PersonalData.NONE
    options: tuple[Option, ...] = ()

    @property
    def subject(self) -> str:
        """The person or body the element describes: the part of the key before the dot."""
        return self.key.split(".", 1)[0]


@dataclass(frozen=True, slots=True)
class CertificateType:
    """A kind of certificate, licence or official record (证照 / 证明).

    `elements` are the data-element suffixes it carries about its holder: a `resident_id_card`
    held by `mother` carrying `name` pre-fills `mother.name`.
    """

    code: str
    name: Text
    elements: tuple[str, ...] = ()
    electronic: bool = True  # whether an electronic version (电子证照) exists
    type_code: str = ""  # GB/T 36902 type code: the defining body's credit code + 3 digits


@dataclass(frozen=True, slots=True)
class Register:
    """A shared register or department system that government can query (共享数据源)."""

    code: str
    name: Text
    department: str
    certificates: tuple[str, ...] = ()
    elements: tuple[str, ...] = ()  # data-element keys; `*` matches a subject, e.g. `*.name`

    def holds_element(self, key: str) -> bool:
        return any(fnmatch.fnmatchcase(key, pattern) for pattern in self.elements)


class MaterialKey(str):
    """The key of a material (申请材料), the same wherever the material is asked for:
    `<certificate type>:<subject>` for a material of a certificate type (the mother's ID card is
    `resident_id_card:mother`), `name:<zh name>` for a free-text one. A key is its text, so it
    serves as a form field's name, a JSON key and a stored column as it is."""

    __slots__ = ()

    @classmethod
    def of(cls, certificate: str | None, subject: str, name_zh: str) -> MaterialKey:
        """The key of a material of `certificate` concerning `subject`, or of the free-text
        material named `name_zh`."""
        return cls(f"{certificate}:{subject}" if certificate else f"name:{name_zh}")


@dataclass(frozen=True, slots=True)
class Material:
    """A material an item asks for (申请材料).

    A material of a certificate type is identified by the type and the subject it concerns
    (the father's ID card and the mother's are two materials); a free-text material by name.
    """

    name: Text
    certificate: str | None = None
    subject: str = "applicant"
    form: MaterialForm = MaterialForm.BOTH
    copies: int = 1
    necessity: Necessity = Necessity.REQUIRED

    @property
    def key(self) -> MaterialKey:
        """What identifies the material among every item's (MaterialKey)."""
        return MaterialKey.of(self.certificate, self.subject, self.name.zh)


@dataclass(frozen=True, slots=True)
class FormField:
    """A field of an item's form: a data-element key and whether it must be filled."""

    key: str
    required: bool = True


@dataclass(frozen=True, slots=True)
class Produced:
    """A certificate an item issues, and whom it concerns."""

    certificate: str
    subject: str = "applicant"


@dataclass(frozen=True, slots=True)
class Item:
    """A standard service item (政务服务事项), the smallest unit one department handles."""

    code: str
    name: Text
    department: str
    basic_code: str = ""  # 基本编码, 12 characters
    item_type: str = "20"  # 事项类型: 01 licence, 05 benefit, 07 confirmation, 20 public service
    service_object: str = "1"  # 服务对象: 1 natural person, 2 enterprise, ...
    legal_basis: str = ""  # 设定依据
    form: Text | None = None  # the item's own application form (申请表), if it has one
    fields: tuple[FormField, ...] = ()
    materials: tuple[Material, ...] = ()
    issues: tuple[Produced, ...] = ()
    outputs: tuple[str, ...] = ()  # data-element keys the item produces
    promised_days: int = 0  # 承诺办结时限, working days
    statutory_days: int = 0  # 法定办结时限, working days
    handling: Handling = Handling.PROMISED
    trips: int = 1  # 到办事现场次数 before the reform
    presence_required: bool = False  # the applicant must appear in person (e.g. a photo)
    fee: bool = False  # 是否收费
    fee_basis: str = ""
    deferrable: bool = False  # 可甩项后置

    def needs(self) -> Iterator[tuple[str, str] | str]:
        """What the item consumes: (certificate, subject) pairs and data-element keys."""
        for material in self.materials:
            if material.certificate is not None:
                yield (material.certificate, material.subject)
        for form_field in self.fields:
            yield form_field.key

    def produces(self) -> Iterator[tuple[str, str] | str]:
        """What the item outputs, in the same terms as `needs`."""
        for produced in self.issues:
            yield (produced.certificate, produced.subject)
        yield from self.outputs


@dataclass
class Catalog:
    """Everything one government publishes: the dictionary, the items and the bundles."""

    departments: dict[str, Department] = field(default_factory=dict)
    elements: dict[str, DataElement] = field(default_factory=dict)
    certificates: dict[str, CertificateType] = field(default_factory=dict)
    registers: dict[str, Register] = field(default_factory=dict)
    items: dict[str, Item] = field(default_factory=dict)
    bundles: dict[str, Bundle] = field(default_factory=dict)

    @cached_property
    def producers(self) -> dict[tuple[str, str] | str, tuple[str, ...]]:
        """Which items output each certificate (by subject) or data element."""
        found: dict[tuple[str, str] | str, list[str]] = {}
        for item in self.items.values():
            for thing in item.produces():
                found.setdefault(thing, []).append(item.code)
        return {thing: tuple(codes) for thing, codes in found.items()}

    @cached_property
    def issued_certificates(self) -> frozenset[str]:
        """Certificate types some item of the catalogue issues."""
        return frozenset(p.certificate for item in self.items.values() for p in item.issues)

    @cached_property
    def register_for_certificate(self) -> dict[str, str]:
        """For each certificate type some register holds, the first such register."""
        found: dict[str, str] = {}
        for register in self.registers.values():
            for certificate in register.certificates:
                found.setdefault(certificate, register.code)
        return found

    @cached_property
    def _register_by_element(self) -> dict[str, str | None]:
        return {}

    def register_for_element(self, key: str) -> str | None:
        """The first register that knows data element `key`, or None."""
        # remembered per key: every plan asks for each field, and each answer takes a match
        # of every register's patterns
        known = self._register_by_element
        if key not in known:
            known[key] = next((r.code for r in self.registers.values() if r.holds_element(key)), None)
        return known[key]


@dataclass(frozen=True, slots=True)
class Ref:
    """Where in a catalogue: the kind of object, its code and a path inside it (a catalogue
    problem's `where` until the files it was read from locate it)."""

    kind: str  # department | element | certificate | register | item | bundle
    code: str
    path: tuple[str | int, ...] = ()


_CODE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


def _check_department(department: Department) -> Iterator[Problem[Ref]]:
    problem = identifiers.area_code_problem(department.region)
    if problem:
        yield Problem(
            Ref("department", department.code, ("region",)),
            untranslated(f"region {department.region!r} {problem}"),
        )
    problem = identifiers.credit_code_problem(department.credit_code) if department.credit_code else None
    if problem:  # some genuine codes fail their check character: a warning
        yield Problem(
            Ref("department", department.code, ("credit_code",)),
            untranslated(f"credit code {department.credit_code!r}: {problem}"),
            warning=True,
        )


def _check_element(element: DataElement) -> Iterator[Problem[Ref]]:
    if "." not in element.key:
        yield Problem(
            Ref("element", element.key, ("key",)),
            untranslated(f"data element {element.key!r} must be written subject.name, e.g. child.name"),
        )
    if element.type is ValueType.ENUM and not element.options:
        yield Problem(
            Ref("element", element.key, ("options",)),
            untranslated(f"enumeration {element.key!r} lists no options"),
        )


def _check_register(catalog: Catalog, register: Register) -> Iterator[Problem[Ref]]:
    if register.department not in catalog.departments:
        yield Problem(
            Ref("register", register.code, ("department",)),
            untranslated(f"unknown department {register.department!r}"),
            refers_to=("department", register.department),
        )
    for index, certificate in enumerate(register.certificates):
        if certificate not in catalog.certificates:
            yield Problem(
                Ref("register", register.code, ("certificates", index)),
                untranslated(f"unknown certificate type {certificate!r}"),
                refers_to=("certificate", certificate),
            )


def _check_item_references(catalog: Catalog, item: Item) -> Iterator[Problem[Ref]]:
    ref = Ref("item", item.code)
    if not _CODE.match(item.code):
        yield Problem(
            Ref("item", item.code, ("code",)),
            untranslated(f"item code {item.code!r} must be lower-case letters, digits, '-', '_' or '.'"),
        )
    if item.department not in catalog.departments:
        yield Problem(
            Ref("item", item.code, ("department",)),
            untranslated(f"unknown department {item.department!r}"),
            refers_to=("department", item.department),
        )
    for index, form_field in enumerate(item.fields):
        if form_field.key not in catalog.elements:
            yield Problem(
                Ref("item", item.code, ("fields", index, "key")),
                untranslated(f"field {form_field.key!r} is not in the data dictionary"),
                refers_to=("element", form_field.key),
            )
    for index, key in enumerate(item.outputs):
        if key not in catalog.elements:
            yield Problem(
                Ref("item", item.code, ("outputs", index)),
                untranslated(f"output {key!r} is not in the data dictionary"),
                refers_to=("element", key),
            )
    for index, produced in enumerate(item.issues):
        if produced.certificate not in catalog.certificates:
            yield Problem(
                Ref("item", item.code, ("issues", index, "certificate")),
                untranslated(f"unknown certificate type {produced.certificate!r}"),
                refers_to=("certificate", produced.certificate),
            )
    yield from _check_item_materials(catalog, item)
    if item.promised_days > item.statutory_days > 0:
        yield Problem(
            Ref(ref.kind, ref.code, ("promised_days",)),
            untranslated(
                f"promised limit {item.promised_days} working days exceeds the statutory "
                f"limit {item.statutory_days}"
            ),
        )
    if item.handling is Handling.IMMEDIATE and item.promised_days:
        yield Problem(
            Ref(ref.kind, ref.code, ("promised_days",)),
            untranslated("an immediate item (即办件) has a promised limit of 0 working days"),
        )


def _check_item_materials(catalog: Catalog, item: Item) -> Iterator[Problem[Ref]]:
    for index, material in enumerate(item.materials):
        certificate = material.certificate
        if certificate is None:
            continue
        where = Ref("item", item.code, ("materials", index, "certificate"))
        if certificate not in catalog.certificates:
            yield Problem(
                where,
                untranslated(f"unknown certificate type {certificate!r}"),
                refers_to=("certificate", certificate),
            )
        elif (
            certificate not in catalog.issued_certificates
            and certificate not in catalog.register_for_certificate
        ):
            yield Problem(
                where,
                untranslated(
                    f"needs certificate {certificate!r}, which no item issues and no register holds"
                ),
            )


def catalog_problems(catalog: Catalog) -> list[Problem[Ref]]:
    """Check every cross-reference of items and registers (bundles check themselves)."""
    problems: list[Problem[Ref]] = []
    for department in catalog.departments.values():
        problems.extend(_check_department(department))
    for element in catalog.elements.values():
        problems.extend(_check_element(element))
    for register in catalog.registers.values():
        problems.extend(_check_register(catalog, register))
    for item in catalog.items.values():
        problems.extend(_check_item_references(catalog, item))
    return problems
