"""What `yijianshi catalog import` shows: its help, a progress bar over rows and the report."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from yijianshi.services.catalogue.importing.implementation_list import BY_KEY, COLUMNS, REQUIRED_HEADERS
from yijianshi.services.catalogue.importing.imports import ImportReport, Severity, row_ranges

_required = ", ".join(" or ".join(BY_KEY[k].header for k in keys) for keys in REQUIRED_HEADERS)

_columns = ", ".join(f"{c.header} {c.key}" for c in COLUMNS)

IMPORT_HELP = "\n\n".join(
    (
        "Import an implementation list (实施清单) from .xlsx or .csv into a catalogue directory.",
        "The first sheet is read (a CSV may be UTF-8 or GB18030). Its header row, within the first "
        "10 rows, names the columns by their national element names or English keys: "
        f"{_columns}. Required: {_required}.",
        "A row with 事项名称 or 基本编码 starts an item and may carry its first material; rows below "
        "it with only material cells (merged item cells in Excel) add its other materials. Rows may "
        "also repeat the item's cells: the same 基本编码 is the same item.",
        "An item is imported only when every one of its rows is usable; the report lists each row "
        "not imported, why, and what to do. Items already in --out are kept unless --replace (which "
        "keeps what a sheet cannot say: issues, outputs, form). All files are written, or none.",
        "Exit status: 0 when something was imported, or nothing was refused; 2 when the file cannot "
        "be read or lacks the required columns, --out is not a usable catalogue, or every row was "
        "refused.",
    )
)

LABELS = {
    Severity.REFUSED: ("refused 未导入", "red"),
    Severity.SKIPPED: ("skipped 已存在", "yellow"),
    Severity.WARNING: ("warning 提示", "cyan"),
}


class RowProgress:
    """A progress bar over rows, started at the first row read, so a file that cannot be
    read shows only its error."""

    def __init__(self, console: Console, label: str) -> None:
        self.label = label
        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("rows"),
            TimeElapsedColumn(),
            console=console,
        )
        self.task: TaskID | None = None

    def __call__(self, done: int, total: int) -> None:
        if self.task is None:
            self.bar.start()
            self.task = self.bar.add_task(self.label, total=total)
        self.bar.update(self.task, completed=done)

    def __enter__(self) -> RowProgress:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if self.task is not None:
            self.bar.stop()


def _table(report: ImportReport) -> Table:
    table = Table(title=f"{report.source}: {len(report.notices)} notice(s)", show_lines=True)
    for column in ("row 行", "", "what is wrong 问题", "what to do 处理"):
        table.add_column(column)
    for notice in report.notices:
        label, style = LABELS[notice.severity]
        table.add_row(
            row_ranges(notice.rows), Text(label, style=style), Text(notice.problem), Text(notice.remedy)
        )
    return table


def _summary(report: ImportReport) -> str:
    refused = {row for notice in report.refused for row in notice.rows}
    skipped = sum(1 for n in report.notices if n.severity is Severity.SKIPPED)
    warnings = sum(1 for n in report.notices if n.severity is Severity.WARNING)
    return (
        f"{report.out}: {len(report.added)} item(s) added, {len(report.replaced)} replaced, "
        f"{len(report.departments)} department(s) added, from {report.rows} row(s); "
        f"{len(refused)} row(s) refused, {skipped} item(s) skipped, {warnings} warning(s)"
    )


def print_import_report(console: Console, report: ImportReport) -> None:
    if report.notices:
        console.print(_table(report))
    console.print(_summary(report), markup=False, highlight=False)
    if not report.added and not report.replaced:
        console.print(f"nothing was written to {report.out}", markup=False, highlight=False)
        return
    for finding in report.check:
        console.print(str(finding), markup=False, highlight=False)
    verdict = (
        f"yijianshi catalog check {report.out}: {len(report.check)} error(s) to fix"
        if report.check
        else f"yijianshi catalog check {report.out}: no errors"
    )
    console.print(verdict, markup=False, highlight=False)
