"""What every command group shares: the consoles, plain error lines, the container, and the
`--database` and `--format table|json` options."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console

from yijianshi.bootstrap import Container, bootstrap
from yijianshi.domain.errors import DomainError, InvalidAnswers
from yijianshi.services.catalogue.ports import InputFileError
from yijianshi.services.errors import ServiceError
from yijianshi.settings import Settings

out = Console()
err = Console(stderr=True, highlight=False, soft_wrap=True)

DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--database", help="Database URL (default: YIJIANSHI_DATABASE_URL or sqlite:///yijianshi.sqlite3)"
    ),
]


class ReportFormat(StrEnum):
    table = "table"
    json = "json"


def fail(lines: list[str]) -> NoReturn:
    for line in lines:
        err.print(line, markup=False)
    raise typer.Exit(2)


@contextmanager
def clear_errors() -> Iterator[None]:
    """Turn every expected error into plain lines on stderr and exit code 2: an input file's
    findings one a line, a domain or service error as `error: ...` (its operator's line, `str()`)."""
    try:
        yield
    except InputFileError as error:
        fail([str(f) for f in error.findings])
    except InvalidAnswers as error:
        fail([f"answers: {p}" for p in error.problems])
    except DomainError as error:
        fail([f"error: {error}"])
    except ServiceError as error:
        fail([f"error: {error}"])


def container(catalog: Path | None = None, database: str | None = None) -> Container:
    settings = Settings()
    if catalog is not None:
        settings = settings.model_copy(update={"catalog_dir": catalog})
    if database is not None:
        settings = settings.model_copy(update={"database_url": database})
    return bootstrap(settings)
