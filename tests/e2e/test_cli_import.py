"""`yijianshi catalog import`, run as the installed console script."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import openpyxl

YIJIANSHI = Path(sys.executable).parent / "yijianshi"
HEALTH = "11350100MB0164523L"
HEADERS = [
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
    "材料必要性",
]
ITEM = ["生育登记", "000173006000", "公共服务", "福州市卫生健康委员会", HEALTH, "350100", "20", "10"]


def yijianshi(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run(
        [str(YIJIANSHI), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def workbook(path: Path, rows: list[list[str]]) -> Path:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_import_writes_a_catalogue_that_passes_the_check(tmp_path: Path) -> None:
    workbook(
        tmp_path / "清单.xlsx",
        [HEADERS, [*ITEM, "居民身份证", "纸质", "必要"], [""] * len(ITEM) + ["结婚证", "纸质", "非必要"]],
    )

    result = yijianshi("catalog", "import", "清单.xlsx", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "imported_catalog: 1 item(s) added" in result.stdout
    assert "yijianshi catalog check imported_catalog: no errors" in result.stdout
    assert (tmp_path / "imported_catalog" / "items" / "item-000173006000.yaml").is_file()
    check = yijianshi("catalog", "check", "imported_catalog", cwd=tmp_path)
    assert check.returncode == 0, check.stderr


def test_a_missing_file_gives_one_line_and_exit_2(tmp_path: Path) -> None:
    result = yijianshi("catalog", "import", "没有.xlsx", "--out", "out", cwd=tmp_path)

    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "没有.xlsx:1: cannot be read: no such file; give an .xlsx or .csv file"
    ]
    assert "Traceback" not in result.stdout + result.stderr
    assert not (tmp_path / "out").exists()


def test_a_file_that_is_no_spreadsheet_gives_one_line_and_exit_2(tmp_path: Path) -> None:
    (tmp_path / "清单.xlsx").write_text("事项名称,基本编码\n", encoding="utf-8")

    result = yijianshi("catalog", "import", "清单.xlsx", cwd=tmp_path)

    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("清单.xlsx:1: is not a readable .xlsx workbook")
    assert "Traceback" not in result.stdout + result.stderr


def test_a_file_without_usable_headers_gives_one_line_and_exit_2(tmp_path: Path) -> None:
    with (tmp_path / "list.csv").open("w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows([["序号", "名称", "备注"], ["1", "生育登记", ""]])

    result = yijianshi("catalog", "import", "list.csv", cwd=tmp_path)

    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("list.csv:1: no header row names the columns ")
    assert "基本编码 or 实施编码, 实施主体" in line
    assert not (tmp_path / "imported_catalog").exists()


def test_every_row_refused_prints_the_report_and_exits_2(tmp_path: Path) -> None:
    bad = [*ITEM[:6], "二十天", "10"]
    workbook(tmp_path / "清单.xlsx", [HEADERS, [*bad, "居民身份证", "纸质", "必要"]])

    result = yijianshi("catalog", "import", "清单.xlsx", cwd=tmp_path)

    assert result.returncode == 2
    assert "法定办结时限 '二十天' is not a number of working days" in result.stdout
    assert "1 row(s) refused" in result.stdout
    assert "nothing was written to imported_catalog" in result.stdout
    assert not (tmp_path / "imported_catalog").exists()


def test_some_rows_refused_still_imports_the_rest_and_exits_0(tmp_path: Path) -> None:
    other = ["结婚登记", "000173012000", "行政审批", *ITEM[3:]]
    workbook(
        tmp_path / "清单.xlsx",
        [HEADERS, [*ITEM, "居民身份证", "纸质", "必要"], [*other, "居民身份证", "纸质", "必要"]],
    )

    result = yijianshi("catalog", "import", "清单.xlsx", "--out", "catalog", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "事项类型 '行政审批' is not known" in result.stdout
    assert "catalog: 1 item(s) added" in result.stdout
