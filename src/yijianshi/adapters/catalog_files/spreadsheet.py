"""Spreadsheets governments keep their lists in, read as rows of text.

- .xlsx / .xlsm: the first worksheet, computed values (not formulas). A merged cell has its
  value in its first row only, as Excel shows it.
- .csv / .txt: UTF-8 (with or without BOM), else GB18030, as Excel in China saves it; comma,
  tab or semicolon separated, whichever the first line uses most.
Row numbers are the ones the spreadsheet shows (a CSV record counts as one row).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import warnings
from collections.abc import Iterable
from pathlib import Path

import openpyxl

from yijianshi.domain.problems import Line, Problem, untranslated
from yijianshi.services.catalogue.ports import InputFileError, Sheet, SheetRow

WORKBOOKS = (".xlsx", ".xlsm")
TEXT_TABLES = (".csv", ".txt")


def _refuse(location: str, message: str) -> InputFileError:
    return InputFileError([Problem(Line(location, 1), untranslated(message))])


def cell_text(value: object) -> str:
    """A cell as the text a person sees: whole numbers without '.0', dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    return str(value).strip()


def _rows(values: Iterable[Iterable[object]]) -> tuple[SheetRow, ...]:
    rows = []
    for number, row in enumerate(values, 1):
        cells = [cell_text(v) for v in row]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            rows.append(SheetRow(number, tuple(cells)))
    return tuple(rows)


def _workbook(path: Path, location: str) -> Sheet:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # style and validation notes about the file, not errors
            workbook = openpyxl.load_workbook(path, data_only=True)
    except Exception as error:  # openpyxl raises many kinds (zip, XML, key) for a damaged file
        raise _refuse(
            location, f"is not a readable {path.suffix} workbook ({type(error).__name__}: {error})"
        ) from None
    try:
        sheet = workbook.worksheets[0]
        return Sheet(
            location,
            sheet.title,
            _rows(sheet.iter_rows(values_only=True)),
            tuple(s.title for s in workbook.worksheets[1:]),
        )
    finally:
        workbook.close()


def _decode(data: bytes, location: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise _refuse(location, "is not a text table: save it as CSV in UTF-8 or GB18030")


def _text_table(path: Path, location: str) -> Sheet:
    text = _decode(path.read_bytes(), location)
    first = text.split("\n", 1)[0]
    delimiter = max(",\t;", key=first.count)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise _refuse(location, f"is not a readable CSV file: {error}") from None
    return Sheet(location, path.name, _rows(records))


class FileSpreadsheetReader:
    """Reads .xlsx and .csv files from the file system."""

    def read(self, location: str) -> Sheet:
        path = Path(location)
        suffix = path.suffix.lower()
        if not path.is_file():
            reason = "is a directory" if path.is_dir() else "cannot be read: no such file"
            raise _refuse(location, f"{reason}; give an .xlsx or .csv file")
        if suffix == ".xls":
            raise _refuse(location, "is in the old .xls format: save it as .xlsx or .csv")
        if suffix not in WORKBOOKS + TEXT_TABLES:
            raise _refuse(location, "is not a spreadsheet: give an .xlsx or .csv file")
        try:
            if suffix in WORKBOOKS:
                return _workbook(path, location)
            return _text_table(path, location)
        except OSError as error:
            raise _refuse(location, f"cannot be read: {error.strerror}") from None
