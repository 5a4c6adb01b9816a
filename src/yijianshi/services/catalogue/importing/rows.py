"""Rows of an implementation list grouped into items, and what is wrong with which rows.

    sheet rows ──▶ header row (the first of the first 10 rows naming the required columns)
               ──▶ each later row:  事项名称/基本编码/实施编码 filled?
                        yes ─▶ start an item, or repeat one (same 基本编码; empty cells repeat too)
                        no  ──▶ add a material to the item above (merged item cells in Excel)

A row is refused with one Problem (domain.problems) per unusable cell; an item with any refused
row is held back whole, and its other rows are reported as such.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from enum import StrEnum

from yijianshi.domain.catalog import Material, MaterialKey
from yijianshi.domain.problems import Cell, Line, Problem, untranslated
from yijianshi.services.catalogue.importing.implementation_list import (
    BY_KEY,
    IDENTITY,
    REQUIRED_HEADERS,
    Cells,
    ItemCells,
    column_key,
    read_item,
    read_material,
    row_problem,
)
from yijianshi.services.catalogue.importing.targets import Target
from yijianshi.services.catalogue.ports import InputFileError, Sheet, SheetRow

HEADER_ROWS = 10  # the header row is looked for among the first rows, below any title rows


class Severity(StrEnum):
    REFUSED = "refused"  # the row is not imported
    SKIPPED = "skipped"  # the item is already in the catalogue
    WARNING = "warning"  # imported on an assumption the report states


@dataclass(frozen=True, slots=True)
class Notice:
    """Something about some rows (sheet row numbers; none for the whole file)."""

    rows: tuple[int, ...]
    problem: str
    remedy: str
    severity: Severity


def row_ranges(rows: Iterable[int]) -> str:
    """Row numbers written compactly: 2-4, 7."""
    spans: list[list[int]] = []
    for row in sorted(set(rows)):
        if spans and row == spans[-1][1] + 1:
            spans[-1][1] = row
        else:
            spans.append([row, row])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans) or "-"


@dataclass(frozen=True, slots=True)
class Header:
    row: int
    keys: dict[int, str]  # cell position -> column key
    unknown: tuple[str, ...]


def _header(row: SheetRow) -> Header:
    keys: dict[int, str] = {}
    unknown = []
    for position, text in enumerate(row.cells):
        key = column_key(text) if text else None
        if key is None and text:
            unknown.append(text)
        elif key is not None and key not in keys.values():
            keys[position] = key
    return Header(row.number, keys, tuple(unknown))


def _missing(header: Header) -> list[str]:
    found = set(header.keys.values())
    return [
        " or ".join(BY_KEY[k].header for k in keys)
        for keys in REQUIRED_HEADERS
        if not found.intersection(keys)
    ]


def find_header(sheet: Sheet) -> Header:
    """The header row; raise InputFileError naming the missing columns when there is none."""
    if not sheet.rows:
        raise InputFileError(
            [Problem(Line(sheet.location, 1), untranslated(f"sheet {sheet.name!r} is empty"))]
        )
    candidates = [_header(row) for row in sheet.rows[:HEADER_ROWS]]
    for header in candidates:
        if not _missing(header):
            return header
    best = max(candidates, key=lambda h: len(h.keys))
    raise InputFileError(
        [
            Problem(
                Line(sheet.location, best.row if best.keys else 1),
                untranslated(
                    f"no header row names the columns {', '.join(_missing(best))} (looked in the first "
                    f"{HEADER_ROWS} rows of sheet {sheet.name!r}); name them as in the national list, "
                    "e.g. 事项名称, 基本编码, 实施主体, 材料名称"
                ),
            )
        ]
    )


@dataclass
class Group:
    """The rows of one item, in sheet order."""

    first_row: int
    raw: dict[str, str]  # the item cells of its first row, to recognise repeated cells
    item: ItemCells | None = None  # None when its item row was refused
    department: str = ""
    rows: list[int] = field(default_factory=list)
    refused: list[int] = field(default_factory=list)
    materials: dict[MaterialKey, tuple[int, Material]] = field(default_factory=dict)


def _key(values: dict[str, str]) -> str:
    """What makes two item rows the same item: the basic code, else the name."""
    basic = values.get("basic_code", "").upper() or values.get("implementation_code", "").upper()[-12:]
    return basic or "name:" + values.get("name_zh", "")


def _item_cells(values: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in values.items() if v and not BY_KEY[k].material}


def _differences(a: ItemCells, b: ItemCells) -> list[str]:
    headers = {"name": "事项名称", "has_english": "事项英文名称", "fields": "表单字段"}
    return [
        headers.get(f.name) or BY_KEY[f.name].header
        for f in fields(a)
        if getattr(a, f.name) != getattr(b, f.name)
    ]


@dataclass
class Importer:
    """Reads rows one at a time into groups, then builds the item files to write."""

    target: Target
    notices: list[Notice] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    by_key: dict[str, Group] = field(default_factory=dict)
    current: Group | None = None

    def note(self, problems: Iterable[Problem[Cell]], severity: Severity) -> None:
        """A notice per problem, at its row."""
        self.notices.extend(
            Notice((p.where.row,), p.message.en, p.remedy.en if p.remedy else "", severity) for p in problems
        )

    def refuse(self, group: Group, row: int, problems: list[Problem[Cell]]) -> None:
        group.refused.append(row)
        self.note(problems, Severity.REFUSED)

    def add_row(self, row: int, values: dict[str, str]) -> None:
        if not any(values.values()):
            return  # only columns the import does not read are filled
        if any(values.get(key) for key in IDENTITY):
            self._item_row(row, values)
        else:
            self._material_row(row, values)

    def _item_row(self, row: int, values: dict[str, str]) -> None:
        key = _key(values)
        group = self.by_key.get(key)
        if group is not None:  # a repeated item: empty cells say the same as its first row
            values = {**values, **{k: v for k, v in group.raw.items() if not values.get(k)}}
        cells = Cells(values, row)
        item = read_item(cells)
        department = self.target.department(item.department, cells)
        self.target.check_fields(item.fields, cells)
        if group is None:
            group = Group(
                row,
                _item_cells(values),
                None if cells.issues else item,
                department.code if department else "",
            )
            self.groups.append(group)
            self.by_key[key] = group
        elif group.item is not None and not cells.issues and (differ := _differences(group.item, item)):
            cells.issue(
                f"item cells differ from row {group.first_row}: {', '.join(differ)}",
                "repeat the item's cells exactly, or leave them empty below its first row",
            )
        self._use(group, row, values, cells)

    def _material_row(self, row: int, values: dict[str, str]) -> None:
        group = self.current
        stray = [k for k, v in _item_cells(values).items() if group is None or group.raw.get(k) != v]
        if group is None or stray:
            headers = ", ".join(BY_KEY[k].header for k in stray) or "material cells"
            problem = (
                f"{headers} filled, but 事项名称 and 基本编码 are empty"
                if stray
                else "a material row comes before any item"
            )
            group = Group(row, _item_cells(values))
            self.groups.append(group)
            self.current = group
            self.refuse(
                group,
                row,
                [
                    row_problem(
                        row,
                        problem,
                        "fill 事项名称 and 基本编码 to start an item, or "
                        "leave item cells empty on its material rows",
                    )
                ],
            )
            group.rows.append(row)
            return
        cells = Cells(values, row)
        if not values.get("material"):
            cells.issue("材料名称 is empty", "name the material, or delete the row")
        self._use(group, row, values, cells)

    def _use(self, group: Group, row: int, values: dict[str, str], cells: Cells) -> None:
        """Add the row to `group`, with its material; refuse it if any cell is unusable."""
        self.current = group
        group.rows.append(row)
        material = read_material(cells) if values.get("material") else None
        certificate = self.target.certificate(material, cells) if material else None
        self.note(cells.warnings, Severity.WARNING)
        if material is not None and not cells.issues:
            found = Material(
                material.name,
                certificate,
                material.subject,
                material.form,
                material.copies,
                material.necessity,
            )
            first = group.materials.get(found.key)
            if first is not None:
                cells.issue(
                    f"material {material.name.zh!r} is already listed at row "
                    f"{first[0]}" + (f" (certificate {certificate})" if certificate else ""),
                    "delete one of the two rows, or tell whom each concerns "
                    "in a 材料主体 column (e.g. father, mother)",
                )
            else:
                group.materials[found.key] = (row, found)
                self._material_warnings(row, material.has_english, certificate, material.from_government)
        if cells.issues:
            self.refuse(group, row, cells.issues)

    def _material_warnings(self, row: int, english: bool, certificate: str | None, issued: bool) -> None:
        if not english:
            self.note(
                [
                    row_problem(
                        row,
                        "no 材料英文名称: the Chinese name stands in for English",
                        "add a 材料英文名称 column",
                        warning=True,
                    )
                ],
                Severity.WARNING,
            )
        if issued and certificate is None:
            self.note(
                [
                    row_problem(
                        row,
                        "issued by a department (来源渠道) but matches no certificate type",
                        "give its 证照类型, or add it to certificates.yaml, so it can be "
                        "fetched instead of asked for",
                        warning=True,
                    )
                ],
                Severity.WARNING,
            )

    def usable(self) -> list[tuple[Group, ItemCells]]:
        """Groups none of whose rows was refused; the others are reported as held back."""
        result = []
        for group in self.groups:
            if group.item is not None and not group.refused:
                result.append((group, group.item))
                continue
            held = [r for r in group.rows if r not in group.refused]
            if held:
                self.note(
                    [
                        row_problem(
                            row,
                            f"not imported: its item has refused rows {row_ranges(group.refused)}",
                            "fix those rows and import again",
                        )
                        for row in held
                    ],
                    Severity.REFUSED,
                )
        return result
