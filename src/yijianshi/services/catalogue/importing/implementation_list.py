"""The columns of an implementation list (实施清单) and how their cells read.

A column is named by its national element name (GB/T 39554.1, e.g. 承诺办结时限) or an English
alias (`promised_days`). `ItemCells` reads the item columns of one row, `MaterialCells` the
material columns; each records a Problem (domain.problems) at the `Cell` it cannot use and
returns a harmless value, so one pass reports every problem of a row.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from yijianshi.domain import identifiers
from yijianshi.domain.catalog import Handling, MaterialForm, Necessity
from yijianshi.domain.problems import Cell, Problem, untranslated
from yijianshi.domain.text import Text


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    header: str  # the national element name, used in messages
    aliases: tuple[str, ...] = ()
    material: bool = False  # a material column (one per material row), else an item column


COLUMNS = (
    Column("name_zh", "事项名称", ("name_zh", "name", "item_name")),
    Column("name_en", "事项英文名称", ("name_en", "english_name", "item_name_en")),
    Column("basic_code", "基本编码", ("basic_code",)),
    Column("implementation_code", "实施编码", ("implementation_code", "impl_code")),
    Column("item_type", "事项类型", ("item_type", "type")),
    Column("department", "实施主体", ("department", "implementing_body", "department_name")),
    Column("department_en", "实施主体英文名称", ("department_en", "department_name_en")),
    Column("credit_code", "实施主体编码", ("实施主体统一社会信用代码", "credit_code", "department_code")),
    Column("region", "行政区划代码", ("行政区划", "region", "area_code")),
    Column("legal_basis", "设定依据", ("legal_basis",)),
    Column("statutory_days", "法定办结时限", ("statutory_days", "statutory_limit")),
    Column("promised_days", "承诺办结时限", ("promised_days", "promised_limit")),
    Column("handling", "办件类型", ("handling",)),
    Column("trips", "到办事现场次数", ("到现场次数", "trips")),
    Column("fee", "是否收费", ("fee", "charged", "fee_charged")),
    Column("fee_basis", "收费依据", ("fee_basis",)),
    Column("service_object", "服务对象", ("service_object",)),
    Column("fields", "表单字段", ("fields", "form_fields")),
    Column("material", "材料名称", ("material", "material_name"), True),
    Column("material_en", "材料英文名称", ("material_en", "material_name_en"), True),
    Column("material_form", "材料形式", ("material_form",), True),
    Column("necessity", "材料必要性", ("necessity", "material_necessity"), True),
    Column("copies", "份数", ("copies",), True),
    Column("source", "来源渠道", ("source", "material_source"), True),
    Column("certificate", "证照类型", ("证照类型代码", "certificate", "certificate_type"), True),
    Column("subject", "材料主体", ("subject", "material_subject"), True),
)
BY_KEY = {column.key: column for column in COLUMNS}
IDENTITY = ("name_zh", "basic_code", "implementation_code")
"""A row with any of these filled names an item; a row without them only adds a material."""
REQUIRED_HEADERS = (("name_zh",), ("basic_code", "implementation_code"), ("department",))


def row_problem(where: Cell | int, problem: str, remedy: str, *, warning: bool = False) -> Problem[Cell]:
    """Why a row (or one of its cells) cannot be used as it is, and what to write instead; the
    import's texts are in English (with the national element names) so far."""
    cell = where if isinstance(where, Cell) else Cell(where)
    return Problem(cell, untranslated(problem), warning, remedy=untranslated(remedy))


_NAMES = {name: column.key for column in COLUMNS for name in (column.header, *column.aliases)}
_NOTE = re.compile(r"[（(【\[].*?[）)】\]]")


def column_key(header: str) -> str | None:
    """The column a header names, ignoring notes in brackets, '*' marks, case and spacing."""
    text = _NOTE.sub("", header).replace("*", "").replace("＊", "").strip()
    return _NAMES.get(re.sub(r"[\s\-]+", "_", text).lower())


ITEM_TYPES = {
    "行政许可": "01",
    "行政处罚": "02",
    "行政强制": "03",
    "行政征收": "04",
    "行政给付": "05",
    "行政检查": "06",
    "行政确认": "07",
    "行政奖励": "08",
    "行政裁决": "09",
    "其他行政权力": "10",
    "其他权力": "10",
    "公共服务": "20",
}
SERVICE_OBJECTS = {
    "自然人": "1",
    "个人": "1",
    "企业法人": "2",
    "企业": "2",
    "事业法人": "3",
    "事业单位": "3",
    "社会组织法人": "4",
    "社会组织": "4",
    "非法人企业": "5",
    "行政机关": "6",
    "其他组织": "9",
    "其他": "9",
}
_YES = {"是", "收费", "y", "yes", "true", "1"}
_NO = {"否", "不收费", "免费", "n", "no", "false", "0"}
_IMMEDIATE = {"即办件", "即办", "1", "immediate"}
_PROMISED = {"承诺件", "承诺", "2", "promised"}
_AT_ONCE = {"即办", "即时办结", "当场办结", "立即办结"}
_DAYS = re.compile(r"^(\d+)\s*(?:个)?\s*(?:工作日|日|天|working\s*days?|days?)?\s*内?$", re.IGNORECASE)
_COUNT = re.compile(r"^(\d+)\s*[次份]?$")
_LIST = re.compile(r"[,，、;；\s]+")
_BASIC = re.compile(r"^[0-9A-Z]{12}$")
_IMPLEMENTATION = re.compile(r"^([0-9A-Z]{18})([0-9])([0-9A-Z]{12})$")
_CODE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_ELEMENT = re.compile(r"^[a-z][a-z0-9_]*\.[a-z0-9_.]+$")
_SUBJECT = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass
class Cells:
    """The known cells of sheet row `row` by column key; records the problems that refuse the
    row (`issues`) and the warnings while reading."""

    values: Mapping[str, str]
    row: int
    issues: list[Problem[Cell]] = field(default_factory=list)
    warnings: list[Problem[Cell]] = field(default_factory=list)

    def text(self, key: str) -> str:
        return self.values.get(key, "").strip()

    def issue(self, problem: str, remedy: str, key: str = "") -> None:
        """Refuse the row: `problem` is why (in cell `key` if given), `remedy` what to write."""
        self.issues.append(row_problem(Cell(self.row, BY_KEY[key].header if key else ""), problem, remedy))

    def warn(self, problem: str, remedy: str) -> None:
        """Import the row on the assumption `problem` states."""
        self.warnings.append(row_problem(Cell(self.row), problem, remedy, warning=True))

    def refuse(self, key: str, what: str, remedy: str) -> None:
        self.issue(f"{BY_KEY[key].header} {self.text(key)!r} {what}", remedy, key)

    def count(self, key: str, default: int) -> int:
        raw = self.text(key)
        match = _COUNT.match(raw)
        if not raw or match:
            return int(match.group(1)) if match else default
        self.refuse(key, "is not a whole number", "write a whole number, e.g. 1")
        return default

    def days(self, key: str) -> int:
        raw = self.text(key)
        if not raw or raw in _AT_ONCE:
            return 0
        match = _DAYS.match(raw)
        if match:
            return int(match.group(1))
        self.refuse(
            key,
            "is not a number of working days",
            "write whole working days, e.g. 20 or 20个工作日 (convert months and calendar days)",
        )
        return 0

    def choice(self, key: str, choices: Mapping[str, str], default: str, remedy: str) -> str:
        raw = self.text(key)
        if not raw:
            return default
        if raw.lower() in choices:
            return choices[raw.lower()]
        self.refuse(key, "is not known", remedy)
        return default


@dataclass(frozen=True, slots=True)
class DepartmentCells:
    """The implementing body (实施主体) as one row names it."""

    name: Text
    credit_code: str
    region: str


@dataclass(frozen=True, slots=True)
class ItemCells:
    """The item columns of a row, read and checked; `name.en` is the Chinese name when the row
    has no English one (`has_english` False)."""

    basic_code: str
    name: Text
    has_english: bool
    department: DepartmentCells
    item_type: str
    service_object: str
    legal_basis: str
    statutory_days: int
    promised_days: int
    handling: Handling
    trips: int
    fee: bool
    fee_basis: str
    fields: tuple[str, ...]


def _codes(cells: Cells) -> tuple[str, str]:
    """The basic code and the body's credit code, checked against the implementation code."""
    basic = cells.text("basic_code").upper()
    credit = cells.text("credit_code").upper()
    implementation = cells.text("implementation_code").upper()
    if implementation:
        match = _IMPLEMENTATION.match(implementation)
        if match is None:
            cells.refuse(
                "implementation_code",
                "is not 31 characters (credit code 18 + level digit + basic code 12)",
                "copy the 实施编码 again, or leave it empty",
            )
            return basic, credit
        if basic and basic != match.group(3):
            cells.refuse(
                "implementation_code",
                f"does not end with the 基本编码 {basic}",
                "correct the 实施编码 or the 基本编码 so they agree",
            )
        if credit and credit != match.group(1):
            cells.refuse(
                "implementation_code",
                f"does not start with the 实施主体编码 {credit}",
                "correct the 实施编码 or the 实施主体编码 so they agree",
            )
        basic, credit = basic or match.group(3), credit or match.group(1)
    return basic, credit


def _basic_code(cells: Cells, basic: str) -> str:
    if _BASIC.match(basic):
        return basic
    if not basic:
        cells.issue("基本编码 is empty", "write the item's 12-character 基本编码")
    elif basic.isdigit() and len(basic) < 12:
        cells.refuse(
            "basic_code",
            "is shorter than 12 characters",
            "format the column as text so leading zeros are kept, and write all 12 characters",
        )
    else:
        cells.refuse("basic_code", "is not 12 digits or capital letters", "write the 12-character 基本编码")
    return ""


def _department(cells: Cells, credit: str) -> DepartmentCells:
    name = cells.text("department")
    if not name:
        cells.issue("实施主体 is empty", "write the implementing department's name")
    if credit:
        problem = identifiers.credit_code_problem(credit)
        if problem:
            cells.warn(f"实施主体编码 {credit!r} {problem}", "check the credit code; it is kept as written")
    region = cells.text("region")
    if region and identifiers.area_code_problem(region):
        cells.refuse("region", "is not a 6-digit GB/T 2260 area code", "write the 6-digit area code")
        region = ""
    return DepartmentCells(Text(name, cells.text("department_en") or name), credit, region)


def _service_object(cells: Cells) -> str:
    names = [n for n in _LIST.split(cells.text("service_object")) if n]
    codes = [SERVICE_OBJECTS.get(n, n if n in SERVICE_OBJECTS.values() else "") for n in names]
    if "" in codes:
        cells.refuse(
            "service_object",
            "is not known",
            "write 自然人, 企业法人, 事业法人, 社会组织法人, "
            "非法人企业, 行政机关, 其他组织 or their codes 1-6, 9",
        )
        return "1"
    if len(set(codes)) > 1:
        cells.warn(
            f"服务对象 {cells.text('service_object')!r} names several; the "
            f"catalogue keeps one, the first ({codes[0]})",
            "split the item if the objects need different handling",
        )
    return codes[0] if codes else "1"


def _item_type(cells: Cells) -> str:
    raw = cells.text("item_type")
    if raw.isdigit() and raw.zfill(2) in ITEM_TYPES.values():
        return raw.zfill(2)
    return cells.choice(
        "item_type", ITEM_TYPES, "20", "write 行政许可, 行政给付, 行政确认, 公共服务 … or the code 01-10, 20"
    )


def _fields(cells: Cells) -> tuple[str, ...]:
    keys = tuple(k for k in _LIST.split(cells.text("fields")) if k)
    for key in keys:
        if not _ELEMENT.match(key):
            cells.issue(
                f"表单字段 {key!r} is not a data-element key",
                "write keys as subject.name, e.g. child.name, separated by commas",
            )
    return keys


def _days(cells: Cells) -> tuple[int, int, Handling]:
    statutory, promised = cells.days("statutory_days"), cells.days("promised_days")
    if promised > statutory > 0:
        cells.issue(
            f"承诺办结时限 {promised} exceeds 法定办结时限 {statutory} working days",
            "a promised limit can only shorten the statutory one",
        )
    handling = Handling(
        cells.choice(
            "handling",
            {**dict.fromkeys(_IMMEDIATE, "immediate"), **dict.fromkeys(_PROMISED, "promised")},
            "promised",
            "write 即办件 or 承诺件 (or 1, 2)",
        )
    )
    if handling is Handling.IMMEDIATE and promised:
        cells.issue(
            f"an immediate item (即办件) has a 承诺办结时限 of {promised}",
            "write 0 or 即办, or make it a 承诺件",
        )
    return statutory, promised, handling


def read_item(cells: Cells) -> ItemCells:
    """The item columns of a row; check `cells.issues` before using the result."""
    basic, credit = _codes(cells)
    name = cells.text("name_zh")
    if not name:
        cells.issue("事项名称 is empty", "write the item's name")
    statutory, promised, handling = _days(cells)
    yes_no = {**dict.fromkeys(_YES, "yes"), **dict.fromkeys(_NO, "no")}
    return ItemCells(
        basic_code=_basic_code(cells, basic),
        name=Text(name, cells.text("name_en") or name),
        has_english=bool(cells.text("name_en")),
        department=_department(cells, credit),
        item_type=_item_type(cells),
        service_object=_service_object(cells),
        legal_basis=cells.text("legal_basis"),
        statutory_days=statutory,
        promised_days=promised,
        handling=handling,
        trips=cells.count("trips", 1),
        fee=cells.choice("fee", yes_no, "no", "write 是 or 否") == "yes",
        fee_basis=cells.text("fee_basis"),
        fields=_fields(cells),
    )


@dataclass(frozen=True, slots=True)
class MaterialCells:
    """The material columns of a row, read and checked."""

    name: Text
    has_english: bool
    certificate: str | None
    subject: str  # whom it concerns: applicant, child, mother, ...
    form: MaterialForm
    necessity: Necessity
    copies: int
    from_government: bool  # 来源渠道 says a government department issues it


def _form(cells: Cells) -> MaterialForm:
    raw = cells.text("material_form").lower()
    paper, electronic = "纸质" in raw or "paper" in raw, "电子" in raw or "electronic" in raw
    if not raw or (paper and electronic) or raw in ("both", "两者"):
        return MaterialForm.BOTH
    if paper != electronic:
        return MaterialForm.PAPER if paper else MaterialForm.ELECTRONIC
    cells.refuse("material_form", "is not known", "write 纸质, 电子 or 纸质、电子")
    return MaterialForm.BOTH


def _necessity(cells: Cells) -> Necessity:
    raw = cells.text("necessity").lower()
    if "容缺" in raw or raw == "later":
        return Necessity.LATER
    if raw.startswith("非") or raw in ("否", "可选", "选填", "optional"):
        return Necessity.OPTIONAL
    if not raw or raw in ("必要", "必须", "必需", "是", "必填", "required"):
        return Necessity.REQUIRED
    cells.refuse("necessity", "is not known", "write 必要, 非必要 or 容缺后补")
    return Necessity.REQUIRED


def _certificate(cells: Cells) -> str | None:
    code = cells.text("certificate").lower()
    if code and not _CODE.match(code):
        cells.refuse(
            "certificate",
            "is not a certificate type code",
            "write the code from certificates.yaml, e.g. resident_id_card",
        )
        return None
    return code or None


def _subject(cells: Cells) -> str:
    subject = cells.text("subject").lower()
    if subject and not _SUBJECT.match(subject):
        cells.refuse(
            "subject",
            "is not a subject code",
            "write whom it concerns as a data-element subject, e.g. applicant, child, mother",
        )
        return "applicant"
    return subject or "applicant"


def read_material(cells: Cells) -> MaterialCells:
    """The material columns of a row (材料名称 filled); check `cells.issues` before using it."""
    name = cells.text("material")
    source = cells.text("source")
    return MaterialCells(
        name=Text(name, cells.text("material_en") or name),
        has_english=bool(cells.text("material_en")),
        certificate=_certificate(cells),
        subject=_subject(cells),
        form=_form(cells),
        necessity=_necessity(cells),
        copies=_copies(cells),
        from_government=any(word in source for word in ("政府", "部门", "核发", "共享", "government")),
    )


def _copies(cells: Cells) -> int:
    copies = cells.count("copies", 1)
    if copies < 1:
        cells.refuse("copies", "is not at least 1", "write how many copies the applicant hands in, e.g. 1")
    return max(copies, 1)
