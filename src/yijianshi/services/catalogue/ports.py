"""What the catalogue area needs from the outside world, as typed protocols: catalogue files to
read (`CatalogSource`), the applicant's answer and holding files, spreadsheets to read and a
catalogue to write (the import). They raise services.errors.InputFileError, each problem located
at a `Line` of a file."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

from yijianshi.domain.catalog import Catalog, Department, Item, Ref
from yijianshi.domain.planning import Holdings
from yijianshi.domain.problems import Line, Problem
from yijianshi.services.errors import InputFileError as InputFileError  # the readers raise it


@dataclass(frozen=True, slots=True)
class LoadedCatalog:
    """A catalogue as read, with what was wrong in its files and a way to locate a Ref."""

    catalog: Catalog
    findings: tuple[Problem[Line], ...]
    locate: Callable[[Ref], Line]
    unreadable: frozenset[tuple[str, str]] = frozenset()  # (kind, code) already reported


class CatalogSource(Protocol):
    """Reads a catalogue from where a government keeps it."""

    def load(self, location: str) -> LoadedCatalog:
        """Read everything at `location`; raise InputFileError when it is not a catalogue."""
        ...


class ApplicantInputs(Protocol):
    """Reads the answers and holdings an applicant supplies as files."""

    def answers(self, location: str) -> Mapping[str, str]:
        """Guidance answers: question code -> option code; raise InputFileError."""
        ...

    def holdings(self, location: str) -> Holdings:
        """Certificates held; raise InputFileError."""
        ...


@dataclass(frozen=True, slots=True)
class SheetRow:
    """One non-empty row of a spreadsheet: its number as the spreadsheet shows it (1-based) and
    every cell as stripped text ('' when empty)."""

    number: int
    cells: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Sheet:
    """The sheet an import reads: the first sheet of a workbook, or a whole CSV file."""

    location: str
    name: str
    rows: tuple[SheetRow, ...]
    other_sheets: tuple[str, ...] = ()


class SpreadsheetReader(Protocol):
    """Reads the spreadsheets (.xlsx, .csv) governments keep their lists in."""

    def read(self, location: str) -> Sheet:
        """Read the first sheet; raise InputFileError (`location:1: ...`) when it is no spreadsheet."""
        ...


@dataclass(frozen=True, slots=True)
class ItemFile:
    """An item to write, the file that defines it now (as CatalogSource located it; None for a
    new item) and a note written as a comment at the top of its file."""

    item: Item
    file: str | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class CatalogChanges:
    """What an import adds to a catalogue: departments to append and item files to (re)write."""

    departments: tuple[Department, ...] = ()
    items: tuple[ItemFile, ...] = ()


class CatalogWriter(Protocol):
    """Writes catalogue changes where CatalogSource reads them from."""

    def is_empty(self, location: str) -> bool:
        """True when nothing is at `location` yet, or only an empty directory."""
        ...

    def write(self, location: str, changes: CatalogChanges) -> None:
        """Apply all changes at once, creating the catalogue when `location` is empty; raise
        InputFileError when that fails, leaving `location` as it was."""
        ...
