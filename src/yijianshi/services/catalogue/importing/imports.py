"""Use case: import an implementation list (实施清单) from a spreadsheet into a catalogue.

    SpreadsheetReader ──▶ rows grouped into items (import_rows) ──▶ items none of whose rows
    was refused ──▶ CatalogWriter, all files at once ──▶ `catalog check` of the result

An item is imported only when every one of its rows is usable: an item missing a material it
asks for would mislead applicants. Rows that are not used are reported as `Notice`s with their
row numbers, and so is everything imported on an assumption (warnings).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import PurePath

from yijianshi.domain.catalog import FormField, Item, Ref
from yijianshi.domain.problems import Line, Problem, untranslated
from yijianshi.services.catalogue.checking import check_catalog
from yijianshi.services.catalogue.importing.implementation_list import ItemCells, row_problem
from yijianshi.services.catalogue.importing.rows import (
    Group,
    Header,
    Importer,
    Notice,
    Severity,
    find_header,
    row_ranges,
)
from yijianshi.services.catalogue.importing.targets import Target
from yijianshi.services.catalogue.ports import (
    CatalogChanges,
    CatalogSource,
    CatalogWriter,
    InputFileError,
    ItemFile,
    Sheet,
    SpreadsheetReader,
)

__all__ = ["ImportCatalog", "ImportReport", "Notice", "Severity", "import_catalog", "row_ranges"]

Progress = Callable[[int, int], None]
"""Called after each row with (rows done, rows in all)."""


@dataclass(frozen=True, slots=True)
class ImportCatalog:
    """Command: import the list at `source` into the catalogue directory `out`; an item already
    in `out` is rewritten only with `replace`."""

    source: str
    out: str
    replace: bool = False


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did; `check` holds the errors `catalog check` then finds in `out`."""

    source: str
    out: str
    rows: int
    added: tuple[str, ...]
    replaced: tuple[str, ...]
    departments: tuple[str, ...]
    notices: tuple[Notice, ...]
    check: tuple[Problem[Line], ...] = ()

    @property
    def refused(self) -> tuple[Notice, ...]:
        return tuple(n for n in self.notices if n.severity is Severity.REFUSED)

    @property
    def failed(self) -> bool:
        """Nothing was imported and some rows were refused."""
        return not self.added and not self.replaced and bool(self.refused)


def _item(group: Group, item: ItemCells, code: str) -> Item:
    return Item(
        code=code,
        name=item.name,
        department=group.department,
        basic_code=item.basic_code,
        item_type=item.item_type,
        service_object=item.service_object,
        legal_basis=item.legal_basis,
        fields=tuple(FormField(key) for key in item.fields),
        materials=tuple(material for _, material in group.materials.values()),
        promised_days=item.promised_days,
        statutory_days=item.statutory_days,
        handling=item.handling,
        trips=item.trips,
        fee=item.fee,
        fee_basis=item.fee_basis,
    )


def _keeping(item: Item, existing: Item) -> Item:
    """`item` with what a sheet cannot say taken from the item it replaces."""
    return replace(
        item,
        form=existing.form,
        issues=existing.issues,
        outputs=existing.outputs,
        presence_required=existing.presence_required,
        deferrable=existing.deferrable,
        fields=item.fields or existing.fields,
    )


@dataclass
class Build:
    """The item files of an import, and what it added, replaced and skipped."""

    files: list[ItemFile] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)


def _build(importer: Importer, command: ImportCatalog) -> Build:
    build = Build()
    source = PurePath(command.source).name
    for group, cells in importer.usable():
        if not cells.has_english:
            importer.note(
                [
                    row_problem(
                        group.first_row,
                        "no 事项英文名称: the Chinese name stands in for English",
                        "add a 事项英文名称 column",
                        warning=True,
                    )
                ],
                Severity.WARNING,
            )
        code = importer.target.item_code(cells.basic_code)
        item = ItemFile(
            _item(group, cells, code), None, f"Imported from {source}, rows {row_ranges(group.rows)}."
        )
        existing = importer.target.catalog.items.get(code)
        if existing is None:
            build.files.append(item)
            build.added.append(code)
        elif command.replace:
            where = importer.target.file_of(Ref("item", code))
            build.files.append(replace(item, item=_keeping(item.item, existing), file=where))
            build.replaced.append(code)
        else:
            importer.note(
                [
                    row_problem(
                        row,
                        f"item {code} is already in {command.out}",
                        "pass --replace to rewrite it from the sheet",
                    )
                    for row in group.rows
                ],
                Severity.SKIPPED,
            )
    return build


def _merged(notices: list[Notice]) -> tuple[Notice, ...]:
    """Notices that say the same thing once, with all their rows, ordered by row."""
    rows: dict[tuple[Severity, str, str], set[int]] = {}
    for notice in notices:
        rows.setdefault((notice.severity, notice.problem, notice.remedy), set()).update(notice.rows)
    merged = [
        Notice(tuple(sorted(r)), problem, remedy, severity) for (severity, problem, remedy), r in rows.items()
    ]
    return tuple(sorted(merged, key=lambda n: (n.rows[:1], list(Severity).index(n.severity))))


def _sheet_notices(sheet: Sheet, header: Header) -> list[Notice]:
    notices = []
    if header.unknown:
        notices.append(
            Notice(
                (header.row,),
                f"columns not read: {', '.join(header.unknown)}",
                "rename a column to its national element name if it should be read "
                "(the list is in `yijianshi catalog import --help`)",
                Severity.WARNING,
            )
        )
    if sheet.other_sheets:
        notices.append(
            Notice(
                (),
                f"only the first sheet {sheet.name!r} is read, not {', '.join(sheet.other_sheets)}",
                "move their rows to the first sheet, or import each as its own file",
                Severity.WARNING,
            )
        )
    return notices


def import_catalog(
    reader: SpreadsheetReader,
    source: CatalogSource,
    writer: CatalogWriter,
    command: ImportCatalog,
    progress: Progress | None = None,
) -> ImportReport:
    """Import the sheet; raise InputFileError when it is no usable list or `out` no catalogue
    (nothing is written then). Rows that cannot be used are reported, not raised."""
    sheet = reader.read(command.source)
    header = find_header(sheet)
    rows = [row for row in sheet.rows if row.number > header.row]
    if not rows:
        raise InputFileError(
            [Problem(Line(sheet.location, header.row), untranslated("no rows below the header row"))]
        )
    importer = Importer(Target.of(source, writer, command.out))
    for done, row in enumerate(rows, 1):
        importer.add_row(
            row.number,
            {key: row.cells[i].strip() if i < len(row.cells) else "" for i, key in header.keys.items()},
        )
        if progress is not None:
            progress(done, len(rows))
    build = _build(importer, command)
    departments = importer.target.new_departments({f.item.department for f in build.files})
    check: tuple[Problem[Line], ...] = ()
    if build.files:
        writer.write(command.out, CatalogChanges(departments, tuple(build.files)))
        check = check_catalog(source, command.out).errors
    return ImportReport(
        command.source,
        command.out,
        len(rows),
        tuple(build.added),
        tuple(build.replaced),
        tuple(d.code for d in departments),
        (*_sheet_notices(sheet, header), *_merged(importer.notices)),
        check,
    )
