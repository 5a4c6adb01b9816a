"""Importing implementation lists (实施清单) from spreadsheets into catalogue directories.

Spreadsheets are made here with openpyxl and csv; the real adapters read and write them.
"""

from __future__ import annotations

import csv
import errno
from pathlib import Path

import openpyxl
import pytest
import yaml

from yijianshi.adapters.catalog_files.loader import FileCatalogSource
from yijianshi.adapters.catalog_files.writer import FileCatalogWriter
from yijianshi.bootstrap import Container, bootstrap
from yijianshi.domain.catalog import Handling, MaterialForm, Necessity
from yijianshi.services.catalogue.checking import check_catalog, load_valid_catalog
from yijianshi.services.catalogue.importing.imports import (
    ImportCatalog,
    ImportReport,
    Severity,
    import_catalog,
)
from yijianshi.services.catalogue.ports import InputFileError

HEALTH = "11350100MB0164523L"  # 福州市卫生健康委员会 (check character valid)
POLICE = "11350100MB0171168K"  # 福州市公安局
BIRTH_CERT = "000173004000"
HUKOU = "000173095000"  # not octal-looking: PyYAML alone would not quote it

HEADERS = [
    "事项名称",
    "基本编码",
    "实施编码",
    "事项类型",
    "实施主体",
    "实施主体编码",
    "行政区划代码",
    "设定依据",
    "法定办结时限",
    "承诺办结时限（工作日）",
    "办件类型",
    "到办事现场次数",
    "是否收费",
    "服务对象",
    "材料名称",
    "材料形式",
    "材料必要性",
    "份数",
    "来源渠道",
    "办理地点",
]
ITEM_COLUMNS = 14  # the first 14 headers are item cells, merged over an item's rows

BIRTH_ROW = [
    "出生医学证明首签",
    BIRTH_CERT,
    HEALTH + "1" + BIRTH_CERT,
    "公共服务",
    "福州市卫生健康委员会",
    HEALTH,
    "350100",
    "《中华人民共和国母婴保健法》",
    "20个工作日",
    "5",
    "承诺件",
    "1",
    "否",
    "自然人",
]
HUKOU_ROW = [
    "国内出生户口登记",
    HUKOU,
    "",
    "行政确认",
    "福州市公安局",
    POLICE,
    "350100",
    "《中华人民共和国户口登记条例》",
    "",
    "即办",
    "即办件",
    "0",
    "否",
    "自然人",
]
BIRTH_MATERIALS = [
    ["居民身份证", "纸质、电子", "必要", "1", "申请人自备"],
    ["结婚证", "纸质", "非必要", "1", "政府部门核发"],
    ["出生医学证明申领表", "电子", "容缺后补", "2份", "申请人自备"],
]
HUKOU_MATERIALS = [
    ["出生医学证明", "纸质", "必要", "1", "政府部门核发"],
    ["居民户口簿", "纸质", "必要", "1", "申请人自备"],
]
BOTH_ITEMS = [(BIRTH_ROW, BIRTH_MATERIALS), (HUKOU_ROW, HUKOU_MATERIALS)]


def merged_workbook(path: Path, items: list[tuple[list[str], list[list[str]]]]) -> Path:
    """An .xlsx as governments keep it: a title row, then one row per material, item cells merged."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "实施清单"
    sheet.append(["福州市政务服务事项实施清单"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    sheet.append(HEADERS)
    for item, materials in items:
        first = sheet.max_row + 1
        for index, material in enumerate(materials):
            sheet.append((item if index == 0 else [None] * ITEM_COLUMNS) + material + ["政务服务中心"])
        for column in range(1, ITEM_COLUMNS + 1):
            sheet.merge_cells(start_row=first, start_column=column, end_row=sheet.max_row, end_column=column)
    workbook.save(path)
    return path


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as file:
        csv.writer(file).writerows(rows)
    return path


@pytest.fixture
def context() -> Container:
    return bootstrap()


def run(
    context: Container,
    sheet: Path,
    out: Path,
    replace: bool = False,
    progress: list[tuple[int, int]] | None = None,
) -> ImportReport:
    return import_catalog(
        context.spreadsheet_reader,
        context.catalog_source,
        context.catalog_writer,
        ImportCatalog(str(sheet), str(out), replace),
        None if progress is None else lambda done, total: progress.append((done, total)),
    )


def read_yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_merged_cell_workbook_imports_items_with_their_materials_limits_and_departments(
    context: Container, tmp_path: Path
) -> None:
    sheet = merged_workbook(tmp_path / "清单.xlsx", BOTH_ITEMS)
    out = tmp_path / "catalog"
    progress: list[tuple[int, int]] = []

    report = run(context, sheet, out, progress=progress)

    assert report.added == (f"item-{BIRTH_CERT}", f"item-{HUKOU}")
    assert report.refused == ()
    assert progress[-1] == (5, 5)
    catalog = load_valid_catalog(FileCatalogSource(), str(out))
    birth, hukou = catalog.items[f"item-{BIRTH_CERT}"], catalog.items[f"item-{HUKOU}"]
    assert (birth.name.zh, birth.item_type, birth.statutory_days, birth.promised_days, birth.handling) == (
        "出生医学证明首签",
        "20",
        20,
        5,
        Handling.PROMISED,
    )
    assert [(m.name.zh, m.form, m.necessity, m.copies) for m in birth.materials] == [
        ("居民身份证", MaterialForm.BOTH, Necessity.REQUIRED, 1),
        ("结婚证", MaterialForm.PAPER, Necessity.OPTIONAL, 1),
        ("出生医学证明申领表", MaterialForm.ELECTRONIC, Necessity.LATER, 2),
    ]
    assert (hukou.item_type, hukou.handling, hukou.promised_days, hukou.trips) == (
        "07",
        Handling.IMMEDIATE,
        0,
        0,
    )
    assert catalog.departments[birth.department].name.zh == "福州市卫生健康委员会"
    assert catalog.departments[birth.department].region == "350100"
    assert hukou.department == f"dept-{POLICE.lower()}"
    assert check_catalog(FileCatalogSource(), str(out)).errors == ()
    assert report.check == ()


def test_only_the_first_sheet_is_read_and_the_report_says_so(context: Container, tmp_path: Path) -> None:
    sheet = merged_workbook(tmp_path / "清单.xlsx", [(HUKOU_ROW, HUKOU_MATERIALS)])
    book = openpyxl.load_workbook(sheet)
    book.create_sheet("填报说明").append(["事项名称", "基本编码", "实施主体"])
    book.save(sheet)

    report = run(context, sheet, tmp_path / "catalog")

    assert report.added == (f"item-{HUKOU}",)
    [note] = [n for n in report.notices if "first sheet" in n.problem]
    assert note.problem == "only the first sheet '实施清单' is read, not 填报说明"


def test_item_file_is_reviewable_yaml_in_schema_order_without_defaults(
    context: Container, tmp_path: Path
) -> None:
    sheet = merged_workbook(tmp_path / "清单.xlsx", [(HUKOU_ROW, HUKOU_MATERIALS)])

    run(context, sheet, tmp_path / "catalog")

    text = (tmp_path / "catalog" / "items" / f"item-{HUKOU}.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Imported from 清单.xlsx, rows 3-4.\n")
    assert "国内出生户口登记" in text
    assert f"basic_code: '{HUKOU}'" in text  # a code of digits stays a string in any YAML reader
    assert "\\u" not in text
    assert list(read_yaml(tmp_path / "catalog" / "items" / f"item-{HUKOU}.yaml")) == [
        "code",
        "basic_code",
        "name",
        "department",
        "item_type",
        "legal_basis",
        "materials",
        "handling",
        "trips",
    ]
    assert read_yaml(tmp_path / "catalog" / "data_elements.yaml") == {"elements": []}


def test_csv_with_english_headers_and_repeated_item_cells_imports_one_item_per_basic_code(
    context: Container, tmp_path: Path
) -> None:
    head = [
        "name_zh",
        "name_en",
        "basic_code",
        "item_type",
        "department",
        "credit_code",
        "region",
        "statutory_days",
        "promised_days",
        "handling",
        "fee",
        "material",
        "material_en",
        "material_form",
        "necessity",
        "copies",
    ]
    item = [
        "生育登记",
        "Birth registration",
        "000173006000",
        "20",
        "福州市卫生健康委员会",
        HEALTH,
        "350100",
        "20",
        "10",
        "2",
        "no",
    ]
    sheet = write_csv(
        tmp_path / "list.csv",
        [
            head,
            [*item, "居民身份证", "Resident ID card", "both", "required", "1"],
            [*item, "结婚证", "Marriage certificate", "paper", "optional", "1"],
        ],
    )

    report = run(context, sheet, tmp_path / "catalog")

    assert report.added == ("item-000173006000",)
    assert not [n for n in report.notices if n.severity is not Severity.WARNING]
    catalog = load_valid_catalog(FileCatalogSource(), str(tmp_path / "catalog"))
    registration = catalog.items["item-000173006000"]
    assert registration.name.en == "Birth registration"
    assert [m.name.en for m in registration.materials] == ["Resident ID card", "Marriage certificate"]
    assert registration.promised_days == 10


def test_gb18030_csv_with_chinese_headers_is_read(context: Container, tmp_path: Path) -> None:
    rows = [HEADERS[:ITEM_COLUMNS] + HEADERS[ITEM_COLUMNS:-1]] + [
        (BIRTH_ROW if i == 0 else [""] * ITEM_COLUMNS) + m for i, m in enumerate(BIRTH_MATERIALS)
    ]
    sheet = write_csv(tmp_path / "清单.csv", rows, encoding="gb18030")

    report = run(context, sheet, tmp_path / "catalog")

    assert report.added == (f"item-{BIRTH_CERT}",)
    item = load_valid_catalog(FileCatalogSource(), str(tmp_path / "catalog")).items[f"item-{BIRTH_CERT}"]
    assert item.name.zh == "出生医学证明首签"
    assert [m.name.zh for m in item.materials] == ["居民身份证", "结婚证", "出生医学证明申领表"]


def test_refused_rows_are_reported_by_row_number_and_the_other_items_imported(
    context: Container, tmp_path: Path
) -> None:
    def item(
        name: str, basic: str, kind: str = "公共服务", statutory: str = "20", promised: str = "5"
    ) -> list[str]:
        return [name, basic, kind, "福州市卫生健康委员会", HEALTH, "350100", statutory, promised]

    head = [
        "事项名称",
        "基本编码",
        "事项类型",
        "实施主体",
        "实施主体编码",
        "行政区划代码",
        "法定办结时限",
        "承诺办结时限",
        "材料名称",
        "材料形式",
    ]
    blank = [""] * 8
    sheet = write_csv(
        tmp_path / "清单.csv",
        [
            head,
            [*blank, "居民身份证", "纸质"],  # 2: material before any item
            [*item("好事项", "000173007000"), "居民身份证", "纸质"],  # 3: imported
            [*blank, "户口簿", "纸质"],  # 4: imported with row 3
            [*item("编码错", "12345"), "居民身份证", ""],  # 5: basic code too short
            [*blank, "户口簿", "纸质"],  # 6: held back with row 5
            [*item("超时限", "000173008000", promised="30"), "", ""],  # 7: promised > statutory
            [*item("类型错", "000173009000", kind="行政审批"), "", ""],  # 8: unknown item type
            [*item("非数字", "000173010000", statutory="二十天"), "", ""],  # 9: not a number
            [*item("重复材料", "000173011000"), "居民身份证", "纸质"],  # 10: held back (row 11)
            [*blank, "居民身份证", "电子"],  # 11: duplicate material
            [*blank, "出生证", "纸张"],  # 12: unknown form
            [
                "",
                "",
                "公共服务",
                "福州市民政局",
                HEALTH,
                "350100",
                "20",
                "5",
                "户口簿",
                "纸质",
            ],  # 13: no name
        ],
    )

    report = run(context, sheet, tmp_path / "catalog")

    assert report.added == ("item-000173007000",)
    refused = {row: n.problem for n in report.refused for row in n.rows}
    assert sorted(refused) == [2, 5, 6, 7, 8, 9, 10, 11, 12, 13]
    assert "before any item" in refused[2]
    assert "基本编码 '12345'" in refused[5]
    assert "not imported" in refused[6]
    assert "exceeds 法定办结时限 20" in refused[7]
    assert "事项类型 '行政审批' is not known" in refused[8]
    assert "法定办结时限 '二十天'" in refused[9]
    assert "already listed at row 10" in refused[11]
    assert "材料主体" in next(n.remedy for n in report.refused if n.rows == (11,))
    assert "材料形式 '纸张'" in refused[12]
    assert refused[13] == "实施主体 filled, but 事项名称 and 基本编码 are empty"
    assert all(n.remedy for n in report.notices)
    assert not report.failed
    assert check_catalog(FileCatalogSource(), str(tmp_path / "catalog")).errors == ()


def test_repeated_item_cells_that_differ_refuse_the_row(context: Container, tmp_path: Path) -> None:
    head = ["事项名称", "基本编码", "实施主体", "实施主体编码", "行政区划代码", "承诺办结时限", "材料名称"]
    common = ["生育登记", "000173006000", "福州市卫生健康委员会", HEALTH, "350100"]
    sheet = write_csv(tmp_path / "清单.csv", [head, [*common, "10", "居民身份证"], [*common, "15", "结婚证"]])

    report = run(context, sheet, tmp_path / "catalog")

    assert report.failed
    assert [(n.rows, n.problem) for n in report.refused] == [
        ((2,), "not imported: its item has refused rows 3"),
        ((3,), "item cells differ from row 2: 承诺办结时限"),
    ]
    assert not (tmp_path / "catalog").exists()


def test_a_repeated_item_row_with_only_name_and_code_takes_the_other_cells_from_the_first(
    context: Container, tmp_path: Path
) -> None:
    head = ["事项名称", "基本编码", "实施主体", "实施主体编码", "行政区划代码", "承诺办结时限", "材料名称"]
    sheet = write_csv(
        tmp_path / "清单.csv",
        [
            head,
            ["生育登记", "000173006000", "福州市卫生健康委员会", HEALTH, "350100", "10", "居民身份证"],
            ["生育登记", "000173006000", "", "", "", "", "结婚证"],
        ],
    )

    report = run(context, sheet, tmp_path / "catalog")

    assert report.refused == ()
    item = load_valid_catalog(FileCatalogSource(), str(tmp_path / "catalog")).items["item-000173006000"]
    assert (item.promised_days, [m.name.zh for m in item.materials]) == (10, ["居民身份证", "结婚证"])


def test_one_certificate_type_for_two_people_is_two_materials_told_apart_by_subject(
    context: Container, tmp_path: Path
) -> None:
    head = [
        "事项名称",
        "基本编码",
        "实施主体",
        "实施主体编码",
        "行政区划代码",
        "材料名称",
        "证照类型",
        "材料主体",
    ]
    item = ["生育登记", "000173006000", "福州市卫生健康委员会", HEALTH, "350100"]
    sheet = write_csv(
        tmp_path / "清单.csv",
        [
            head,
            [*item, "父亲居民身份证", "resident_id_card", "father"],
            [""] * len(item) + ["母亲居民身份证", "resident_id_card", "mother"],
        ],
    )

    report = run(context, sheet, tmp_path / "catalog")

    assert report.refused == ()
    item_file = read_yaml(tmp_path / "catalog" / "items" / "item-000173006000.yaml")
    assert [(m["certificate"], m["subject"]) for m in item_file["materials"]] == [
        ("resident_id_card", "father"),
        ("resident_id_card", "mother"),
    ]
    assert any("证照类型 resident_id_card is not in certificates.yaml" in n.problem for n in report.notices)
    assert report.check  # the new catalogue has no such certificate type yet: the check says so


TARGET_FILES = {
    "departments.yaml": (
        "# 福州市\n"
        "departments:\n"
        "  - code: health\n"
        "    name: {zh: 福州市卫生健康委员会, en: Health Commission}\n"
        "    region: '350100'\n"
    ),
    "data_elements.yaml": "elements: []\n",
    "certificates.yaml": (
        "certificates:\n"
        "  - code: resident_id_card\n"
        "    name: {zh: 居民身份证, en: Resident ID card}\n"
        "  - code: marriage_certificate\n"
        "    name: {zh: 结婚证, en: Marriage certificate}\n"
    ),
    "registers.yaml": (
        "registers:\n"
        "  - code: population\n"
        "    name: {zh: 人口库, en: Population register}\n"
        "    department: health\n"
        "    certificates: [resident_id_card, marriage_certificate]\n"
    ),
}


def target_catalog(root: Path) -> Path:
    root.mkdir()
    for name, text in TARGET_FILES.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_materials_named_like_certificates_of_the_target_catalogue_become_those_certificates(
    context: Container, tmp_path: Path
) -> None:
    out = target_catalog(tmp_path / "catalog")
    materials = [
        ["居民身份证复印件", "纸质", "必要", "1", "申请人自备"],
        ["结婚证（原件）", "纸质", "必要", "1", "政府部门核发"],
        ["出生医学证明申领表", "电子", "必要", "1", "申请人自备"],
    ]
    sheet = merged_workbook(tmp_path / "清单.xlsx", [(BIRTH_ROW, materials), (HUKOU_ROW, HUKOU_MATERIALS)])

    report = run(context, sheet, out)

    catalog = load_valid_catalog(FileCatalogSource(), str(out))
    birth = catalog.items[f"item-{BIRTH_CERT}"]
    assert [m.certificate for m in birth.materials] == ["resident_id_card", "marriage_certificate", None]
    assert birth.department == "health"  # the target's department of the same name
    assert report.departments == (f"dept-{POLICE.lower()}",)
    departments = (out / "departments.yaml").read_text(encoding="utf-8")
    assert departments.startswith(TARGET_FILES["departments.yaml"])  # appended, comment kept
    assert report.check == ()
    issued = [n for n in report.notices if "matches no certificate type" in n.problem]
    assert [n.rows for n in issued] == [(6,)]  # 出生医学证明: issued by a department, no such type


def test_reimport_without_replace_leaves_an_existing_item_file_alone(
    context: Container, tmp_path: Path
) -> None:
    sheet = merged_workbook(tmp_path / "清单.xlsx", [(BIRTH_ROW, BIRTH_MATERIALS)])
    out = tmp_path / "catalog"
    run(context, sheet, out)
    item_file = out / "items" / f"item-{BIRTH_CERT}.yaml"
    edited = item_file.read_text(encoding="utf-8").replace("出生医学证明首签", "出生医学证明首次签发")
    item_file.write_text(edited, encoding="utf-8")

    again = run(context, sheet, out)

    assert again.added == again.replaced == ()
    assert [n.severity for n in again.notices if "already in" in n.problem] == [Severity.SKIPPED]
    assert not again.failed
    assert item_file.read_text(encoding="utf-8") == edited


def test_reimport_with_replace_rewrites_the_item_and_keeps_what_the_sheet_cannot_say(
    context: Container, tmp_path: Path
) -> None:
    sheet = merged_workbook(tmp_path / "清单.xlsx", [(BIRTH_ROW, BIRTH_MATERIALS)])
    out = tmp_path / "catalog"
    run(context, sheet, out)
    item_file = out / "items" / f"item-{BIRTH_CERT}.yaml"
    moved = out / "items" / "birth-certificate.yaml"  # a catalogue may name its files freely
    item_file.rename(moved)
    moved.write_text(
        moved.read_text(encoding="utf-8").replace("出生医学证明首签", "旧名称") + "deferrable: true\n",
        encoding="utf-8",
    )

    again = run(context, sheet, out, replace=True)

    assert again.replaced == (f"item-{BIRTH_CERT}",)
    assert not item_file.exists()
    rewritten = read_yaml(moved)
    assert rewritten["name"]["zh"] == "出生医学证明首签"
    assert rewritten["deferrable"] is True
    assert check_catalog(FileCatalogSource(), str(out)).errors == ()


class DiskFullWriter(FileCatalogWriter):
    """The real writer on a disk that fills up after `room` files."""

    def __init__(self, room: int) -> None:
        self.room = room

    def _write(self, path: Path, text: str) -> None:
        if self.room == 0:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        self.room -= 1
        super()._write(path, text)


class StuckMoveWriter(FileCatalogWriter):
    """The real writer, whose third move into place fails."""

    moves = 0

    def _move(self, source: Path, destination: Path) -> None:
        self.moves += 1
        if self.moves == 3:
            raise OSError(errno.EIO, "Input/output error", str(destination))
        super()._move(source, destination)


@pytest.mark.parametrize("writer", [DiskFullWriter(room=1), StuckMoveWriter()], ids=["staging", "moving"])
def test_a_failure_while_writing_leaves_the_existing_catalogue_as_it_was(
    tmp_path: Path, writer: FileCatalogWriter
) -> None:
    out = target_catalog(tmp_path / "catalog")
    before = snapshot(out)
    sheet = merged_workbook(tmp_path / "清单.xlsx", BOTH_ITEMS)

    with pytest.raises(InputFileError) as raised:
        run(bootstrap(catalog_writer=writer), sheet, out)

    assert "is left as it was" in str(raised.value)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalog", "清单.xlsx"]


def test_a_failure_while_writing_a_new_catalogue_leaves_nothing(tmp_path: Path) -> None:
    sheet = merged_workbook(tmp_path / "清单.xlsx", BOTH_ITEMS)

    with pytest.raises(InputFileError):
        run(bootstrap(catalog_writer=DiskFullWriter(room=2)), sheet, tmp_path / "catalog")

    assert sorted(p.name for p in tmp_path.iterdir()) == ["清单.xlsx"]


def test_a_target_with_broken_files_is_not_imported_into(context: Container, tmp_path: Path) -> None:
    out = target_catalog(tmp_path / "catalog")
    (out / "departments.yaml").write_text("departments: [\n", encoding="utf-8")
    sheet = merged_workbook(tmp_path / "清单.xlsx", [(BIRTH_ROW, BIRTH_MATERIALS)])

    with pytest.raises(InputFileError) as raised:
        run(context, sheet, out)

    assert "fix these errors before importing" in str(raised.value)
    assert not (out / "items").exists()


def test_a_sheet_without_the_required_headers_is_refused_as_a_whole(
    context: Container, tmp_path: Path
) -> None:
    sheet = write_csv(tmp_path / "清单.csv", [["序号", "事项名称", "备注"], ["1", "生育登记", ""]])

    with pytest.raises(InputFileError) as raised:
        run(context, sheet, tmp_path / "catalog")

    [finding] = raised.value.findings
    assert (finding.where.file, finding.where.line) == (str(sheet), 1)
    assert "基本编码 or 实施编码, 实施主体" in finding.message.en
