"""The catalogue file format, as pydantic models; its JSON Schema is generated from them.

One file per item (`items/<code>.yaml`) and per bundle (`bundles/<code>.yaml`); the shared
dictionaries are single files: `departments.yaml`, `data_elements.yaml`, `certificates.yaml`,
`registers.yaml`. Every model forbids unknown keys, so a misspelt key is an error, not a
silently ignored line.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from yijianshi.domain.catalog import Handling, MaterialForm, Necessity, PersonalData, ValueType

Code = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9][a-z0-9_.-]*$",
        max_length=100,
        description="Lower-case code: letters, digits, '-', '_', '.'",
    ),
]
ElementKey = Annotated[
    str,
    Field(
        pattern=r"^[a-z][a-z0-9_]*\.[a-z0-9_.]+$",
        description="Data-element key written subject.name, e.g. child.name",
    ),
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TextModel(Strict):
    """A user-facing text in Chinese and English."""

    zh: str = Field(min_length=1, description="Simplified Chinese")
    en: str = Field(min_length=1, description="English")


class OptionModel(Strict):
    code: str = Field(min_length=1)
    label: TextModel


class DepartmentModel(Strict):
    code: Code
    name: TextModel
    region: str = Field(description="GB/T 2260 area code of the department's jurisdiction")
    credit_code: str = Field(
        "",
        pattern=r"^([0-9A-HJ-NPQRTUWXY]{18})?$",
        description="统一社会信用代码: the issuer code of the electronic certificates it issues",
    )


class ElementModel(Strict):
    key: ElementKey
    type: ValueType
    label: TextModel
    personal: PersonalData = Field(PersonalData.NONE, description="Personal-data class")
    options: list[OptionModel] = Field(default_factory=list, description="For type enum")


class CertificateModel(Strict):
    code: Code
    name: TextModel
    elements: list[str] = Field(
        default_factory=list, description="Data-element suffixes it carries about its holder"
    )
    electronic: bool = Field(True, description="An electronic version (电子证照) exists")
    type_code: str = Field(
        "",
        pattern=r"^([0-9A-HJ-NPQRTUWXY]{18}[0-9]{3})?$",
        description="GB/T 36902 type code (证照类型代码): the defining body's credit code and 3 digits",
    )


class RegisterModel(Strict):
    code: Code
    name: TextModel
    department: Code
    certificates: list[Code] = Field(default_factory=list)
    elements: list[str] = Field(
        default_factory=list, description="Data-element keys it knows; '*' matches a subject"
    )


class MaterialModel(Strict):
    name: TextModel
    certificate: Code | None = Field(None, description="Certificate type, when it is one")
    subject: str = Field("applicant", description="Whom it concerns: applicant, child, mother, ...")
    form: MaterialForm = MaterialForm.BOTH
    copies: int = Field(1, ge=1)
    necessity: Necessity = Necessity.REQUIRED


class FieldModel(Strict):
    key: ElementKey
    required: bool = True


class ProducedModel(Strict):
    certificate: Code
    subject: str = "applicant"


class FeeModel(Strict):
    charged: bool = False
    basis: str = ""


class ItemModel(Strict):
    """A standard service item (政务服务事项) and its national elements."""

    code: Code
    basic_code: str = Field("", pattern=r"^([0-9A-Z]{12})?$", description="基本编码 (12 characters)")
    name: TextModel
    department: Code
    item_type: str = Field(
        "20",
        pattern=r"^(0[1-9]|10|20)$",
        description="事项类型: 01 licence, 05 benefit, 07 confirmation, 20 public service",
    )
    service_object: str = Field("1", pattern=r"^[1-69]$", description="服务对象")
    legal_basis: str = Field("", description="设定依据")
    form: TextModel | None = Field(None, description="The item's own application form, if any")
    fields: list[ElementKey | FieldModel] = Field(default_factory=list)
    materials: list[MaterialModel] = Field(default_factory=list)
    issues: list[ProducedModel] = Field(default_factory=list, description="Certificates it issues")
    outputs: list[ElementKey] = Field(default_factory=list, description="Data elements it produces")
    promised_days: int = Field(0, ge=0, description="承诺办结时限, working days")
    statutory_days: int = Field(0, ge=0, description="法定办结时限, working days")
    handling: Handling = Handling.PROMISED
    trips: int = Field(1, ge=0, description="到办事现场次数 before the reform")
    presence_required: bool = False
    fee: FeeModel = Field(default_factory=FeeModel)
    deferrable: bool = Field(False, description="May be deferred (甩项后置)")


class QuestionModel(Strict):
    code: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    text: TextModel
    options: list[OptionModel] = Field(min_length=1)
    default: str
    help: TextModel | None = None


class BundleItemModel(Strict):
    item: Code
    when: str | None = Field(None, description="SQL boolean expression over the answers")


class ReportedModel(Strict):
    source: str
    before: dict[str, float] = Field(default_factory=dict)
    after: dict[str, float] = Field(default_factory=dict)


class BundleModel(Strict):
    """A one thing (一件事)."""

    code: Code
    name: TextModel
    description: TextModel | None = None
    lead_department: Code
    questions: list[QuestionModel] = Field(default_factory=list)
    items: list[Code | BundleItemModel] = Field(min_length=1)
    reported: ReportedModel | None = None


class DepartmentsFile(Strict):
    departments: list[DepartmentModel]


class ElementsFile(Strict):
    elements: list[ElementModel]


class CertificatesFile(Strict):
    certificates: list[CertificateModel]


class RegistersFile(Strict):
    registers: list[RegisterModel] = Field(default_factory=list)


class HeldCertificateModel(Strict):
    certificate: Code
    subject: str = "applicant"
    number: str = ""
    status: str = "valid"
    valid_until: dt.date | None = None


class HoldingsFile(Strict):
    """What an applicant holds: electronic certificates (for `yijianshi plan --holdings`)."""

    certificates: list[HeldCertificateModel] = Field(default_factory=list)


FILE_MODELS: dict[str, type[Strict]] = {
    "departments": DepartmentsFile,
    "data_elements": ElementsFile,
    "certificates": CertificatesFile,
    "registers": RegistersFile,
    "item": ItemModel,
    "bundle": BundleModel,
    "holdings": HoldingsFile,
}
