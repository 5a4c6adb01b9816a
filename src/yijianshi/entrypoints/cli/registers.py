"""`yijianshi registers seed`: synthetic residents in the shared registers (共享数据源)."""

from __future__ import annotations

import time
from contextlib import closing
from typing import Annotated

import typer

from yijianshi.entrypoints.cli.common import DatabaseOption, clear_errors, container, err, out
from yijianshi.entrypoints.presenters import certificate_text
from yijianshi.services.sharing.registers import seed_registers

registers_app = typer.Typer(
    help="Shared registers (共享数据源): population, household, marriage.", no_args_is_help=True
)


@registers_app.command("seed")
def registers_seed(
    residents: Annotated[int, typer.Option("--residents", min=1, help="How many residents")],
    database: DatabaseOption = None,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed makes the same people")] = 0,
) -> None:
    """Fill the local registers with synthetic residents (realistic names, valid ID numbers), their
    households and marriages; seeding again replaces what was there."""
    with clear_errors(), closing(container(database=database)) as context:
        started = time.perf_counter()
        with certificate_text.seed_progress(err, residents) as progress:
            seeded = seed_registers(
                context.register_store, context.synthetic_population(seed), residents, progress
            )
    certificate_text.print_seeded(out, seeded, time.perf_counter() - started)
