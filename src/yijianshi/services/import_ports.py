"""What the catalogue import needs from the outside world: spreadsheets to read, a catalogue
to write. Typed protocols, as in `ports.py`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from yijianshi.domain.catalog import Department, Item


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
