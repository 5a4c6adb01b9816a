"""A problem found in an input (问题), and where it is, for the person who must fix it.

    Problem(where, message: Text, warning=False)      str(): `<where>: [warning: ]<message.en>`
      where:  Line(file, line)       a line of a file (catalogue YAML, answers, configuration)
              Cell(row, column)      a spreadsheet row, and the column when one cell is at fault
              str                    a field or output key (`mother.id_number`, `values.<key>`)
              catalog.Ref            an object of a catalogue, not yet located in its files: the
                                     loader turns Problem[Ref] into Problem[Line]

A warning is reported but does not stop anything. Problems sort by where, then message.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from yijianshi.domain.text import Text

W = TypeVar("W")
V = TypeVar("V")


@dataclass(frozen=True, slots=True, order=True)
class Line:
    """A line of a file (1-based), as the user named the file."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True, slots=True, order=True)
class Cell:
    """A row of a spreadsheet as the spreadsheet numbers it (1-based), and the column's header
    when the problem is in one cell ('' for the whole row)."""

    row: int
    column: str = ""

    def __str__(self) -> str:
        return f"row {self.row}" + (f", {self.column}" if self.column else "")


@dataclass(frozen=True, slots=True)
class Problem(Generic[W]):
    """What is wrong with an input and where: `message` says what (and often what to do),
    `remedy` what to do when it is said apart; `refers_to` is the (kind, code) of a missing
    object the problem names, so a reader that could not read that object can leave out the echo."""

    where: W
    message: Text
    warning: bool = False
    remedy: Text | None = None
    refers_to: tuple[str, str] | None = None

    def __str__(self) -> str:
        return f"{self.where}: {'warning: ' if self.warning else ''}{self.message.en}"

    def at(self, where: V) -> Problem[V]:
        """The same problem, located at `where` (a Ref turned into a Line, say)."""
        return Problem(where, self.message, self.warning, self.remedy, self.refers_to)

    def __lt__(self, other: Problem[Any]) -> bool:
        return self._order() < other._order()

    def _order(self) -> tuple[Any, str, bool]:
        return (self.where, self.message.en, self.warning)


def untranslated(message: str) -> Text:
    """A message that exists only in English so far: the same text stands for both languages."""
    return Text(message, message)
