"""Wiring: builds the adapters a deployment uses and hands them to the entry points.

Nothing here runs at import time; `bootstrap(settings, **overrides)` builds everything, and
tests pass fakes as overrides.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from yijianshi.adapters.calendar_schedule import chinese_working_calendar
from yijianshi.adapters.catalog_files.applicant_files import ApplicantFiles
from yijianshi.adapters.catalog_files.loader import FileCatalogSource
from yijianshi.adapters.catalog_files.spreadsheet import FileSpreadsheetReader
from yijianshi.adapters.catalog_files.writer import FileCatalogWriter
from yijianshi.domain.calendar import WorkingCalendar
from yijianshi.services.ports import (
    ApplicantInputs,
    CatalogSource,
    CatalogWriter,
    Clock,
    SpreadsheetReader,
)
from yijianshi.settings import Settings


class SystemClock:
    """Today in China Standard Time, whatever the server's zone."""

    def today(self) -> dt.date:
        return dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()


@dataclass
class Container:
    """The adapters of one deployment."""

    settings: Settings
    catalog_source: CatalogSource
    applicant_inputs: ApplicantInputs
    clock: Clock
    spreadsheet_reader: SpreadsheetReader
    catalog_writer: CatalogWriter

    @cached_property
    def calendar(self) -> WorkingCalendar:
        return chinese_working_calendar(self.settings.calendar_overrides)


def bootstrap(settings: Settings | None = None, **overrides: Any) -> Container:
    """Build the container; keyword overrides replace any adapter (for tests)."""
    parts: dict[str, Any] = {
        "settings": settings or Settings(),
        "catalog_source": FileCatalogSource(),
        "applicant_inputs": ApplicantFiles(),
        "clock": SystemClock(),
        "spreadsheet_reader": FileSpreadsheetReader(),
        "catalog_writer": FileCatalogWriter(),
    }
    parts.update(overrides)
    return Container(**parts)
