"""What the service layer needs from the outside world, as typed protocols."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

from yijianshi.domain.calendar import WorkingCalendar
from yijianshi.domain.catalog import Catalog, Ref
from yijianshi.domain.planning import Holdings


@dataclass(frozen=True, slots=True, order=True)
class Finding:
    """One problem found in an input file, located for the person who must fix it."""

    file: str
    line: int
    message: str
    warning: bool = False

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {'warning: ' if self.warning else ''}{self.message}"


@dataclass(frozen=True, slots=True)
class LoadedCatalog:
    """A catalogue as read, with what was wrong in its files and a way to locate a Ref."""

    catalog: Catalog
    findings: tuple[Finding, ...]
    locate: Callable[[Ref], tuple[str, int]]
    unreadable: frozenset[tuple[str, str]] = frozenset()  # (kind, code) already reported


class InputFileError(Exception):
    """An input file could not be used; each finding says where and why."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("\n".join(str(f) for f in findings))
        self.findings = findings


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


class CalendarFactory(Protocol):
    def __call__(self) -> WorkingCalendar: ...


class Clock(Protocol):
    def today(self) -> dt.date: ...
