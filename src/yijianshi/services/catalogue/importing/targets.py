"""The catalogue an import writes into: what it already holds, and the codes of new things.

- An item's code is the code of the catalogue's item with the same 基本编码, else
  `item-<basic code in lower case>`.
- A department is the catalogue's department of the same Chinese name, else
  `dept-<credit code in lower case>` (`dept-<hash of the name>` without a credit code); a new one
  takes its region from 行政区划代码, else from the area code inside the credit code.
- A material is a certificate when 证照类型 says so, or when its name, without words such as
  原件 and 复印件, is a certificate's Chinese name.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from yijianshi.domain import identifiers
from yijianshi.domain.catalog import Catalog, Department, Ref
from yijianshi.domain.problems import Line, Problem, untranslated
from yijianshi.services.catalogue.importing.implementation_list import (
    Cells,
    DepartmentCells,
    MaterialCells,
)
from yijianshi.services.catalogue.ports import (
    CatalogSource,
    CatalogWriter,
    InputFileError,
    LoadedCatalog,
)

_BRACKETS = re.compile(r"[（(【\[].*?[）)】\]]|\s")
_COPY_WORDS = (
    "原件及复印件",
    "原件和复印件",
    "原件",
    "复印件",
    "副本",
    "正本",
    "扫描件",
    "电子证照",
    "电子版",
)
_CREDIT_SHAPE = re.compile(r"^[0-9A-Z]{18}$")


def comparable_name(name: str) -> str:
    """A material or certificate name without notes in brackets, spaces and copy words."""
    text = _BRACKETS.sub("", name)
    stripped = True
    while stripped:
        stripped = False
        for word in _COPY_WORDS:
            if text.endswith(word) and len(text) > len(word):
                text, stripped = text.removesuffix(word), True
    return text


def _load(source: CatalogSource, writer: CatalogWriter, out: str) -> LoadedCatalog:
    if writer.is_empty(out):
        return LoadedCatalog(Catalog(), (), lambda ref: Line(out, 1))
    loaded = source.load(out)
    errors = [f for f in loaded.findings if not f.warning]
    if errors:
        raise InputFileError(
            [
                *errors,
                Problem(
                    Line(out, 1),
                    untranslated(
                        "fix these errors before importing into it (yijianshi catalog check shows them)"
                    ),
                ),
            ]
        )
    return loaded


@dataclass
class Target:
    """The catalogue at `out` as it is, plus the departments an import plans to add."""

    catalog: Catalog
    locate: Callable[[Ref], Line]
    planned: dict[str, Department] = field(default_factory=dict)

    @classmethod
    def of(cls, source: CatalogSource, writer: CatalogWriter, out: str) -> Target:
        """Read `out` (nothing there: an empty catalogue); raise InputFileError if it has errors."""
        loaded = _load(source, writer, out)
        return cls(loaded.catalog, loaded.locate)

    def item_code(self, basic_code: str) -> str:
        for item in self.catalog.items.values():
            if item.basic_code == basic_code:
                return item.code
        return f"item-{basic_code.lower()}"

    def file_of(self, ref: Ref) -> str:
        return self.locate(ref).file

    def department(self, wanted: DepartmentCells, cells: Cells) -> Department | None:
        """The department a row names, known or planned; None (with an issue) if it cannot be."""
        if not wanted.name.zh:
            return None
        known = {**self.catalog.departments, **self.planned}
        for department in known.values():
            if department.name.zh == wanted.name.zh:
                return department
        code = self._department_code(wanted, cells)
        if code in known:
            return known[code]
        region = wanted.region or self._region_of(wanted.credit_code, cells)
        if not region:
            cells.issue(
                f"实施主体 {wanted.name.zh} is new and 行政区划代码 is empty",
                "write the department's 6-digit area code (GB/T 2260)",
            )
            return None
        if not cells.text("department_en"):
            cells.warn(
                "no 实施主体英文名称 for a new department: the Chinese name stands in for English",
                "add a 实施主体英文名称 column",
            )
        self.planned[code] = Department(code, wanted.name, region)
        return self.planned[code]

    @staticmethod
    def _department_code(wanted: DepartmentCells, cells: Cells) -> str:
        if _CREDIT_SHAPE.match(wanted.credit_code):
            return f"dept-{wanted.credit_code.lower()}"
        digest = hashlib.sha1(wanted.name.zh.encode()).hexdigest()[:8]
        cells.warn(
            f"实施主体 {wanted.name.zh} has no usable credit code; its code "
            f"dept-{digest} is made from its name",
            "add 实施主体编码 for a code that survives a renaming",
        )
        return f"dept-{digest}"

    @staticmethod
    def _region_of(credit_code: str, cells: Cells) -> str:
        region = credit_code[2:8]
        if not _CREDIT_SHAPE.match(credit_code) or identifiers.area_code_problem(region):
            return ""
        cells.warn(
            f"行政区划代码 is empty; {region} is taken from the credit code",
            "write the department's area code if it differs",
        )
        return region

    def certificate(self, material: MaterialCells, cells: Cells) -> str | None:
        """The certificate type of a material, or None for a free-text material."""
        if material.certificate is not None:
            if material.certificate not in self.catalog.certificates:
                cells.warn(
                    f"证照类型 {material.certificate} is not in certificates.yaml",
                    "add it there, or `catalog check` reports it",
                )
            return material.certificate
        key = comparable_name(material.name.zh)
        matches = [c.code for c in self.catalog.certificates.values() if comparable_name(c.name.zh) == key]
        return matches[0] if len(matches) == 1 else None

    def check_fields(self, keys: Iterable[str], cells: Cells) -> None:
        for key in keys:
            if key not in self.catalog.elements:
                cells.warn(
                    f"表单字段 {key} is not in data_elements.yaml",
                    "add it there, or `catalog check` reports it",
                )

    def new_departments(self, used: set[str]) -> tuple[Department, ...]:
        """The planned departments that items being written use, in the order they were met."""
        return tuple(d for code, d in self.planned.items() if code in used)
