"""`yijianshi worker`: dispatch delivery and department answers for a deployment."""

from __future__ import annotations

import time
from typing import Annotated

import typer

from yijianshi.bootstrap import Container, settle_heap
from yijianshi.entrypoints import log_masking
from yijianshi.entrypoints.cli.common import DatabaseOption, clear_errors, container
from yijianshi.services.delivery.ports import EVERYTHING, Partition


def worker_command(
    database: DatabaseOption = None,
    idle_sleep: Annotated[float, typer.Option(help="Seconds to sleep when there is nothing to do")] = 0.2,
    rounds: Annotated[int | None, typer.Option(help="Stop after this many rounds (default: never)")] = None,
    partition: Annotated[
        str,
        typer.Option(
            help="I/N: this worker takes the applications of share I of N (0 ≤ I < N), so N workers, "
            "one per core, share the work without contending; 0/1 is all of it"
        ),
    ] = "0/1",
) -> None:
    """Run dispatch delivery and department answers for a deployment, until stopped."""
    log_masking.install()
    share = parse_partition(partition)
    with clear_errors():
        context = container(database=database)
        context.engine  # noqa: B018 - migrate before the first round
        settle_heap()
        run_worker(context, idle_sleep, rounds, share)


def parse_partition(text: str) -> Partition:
    """`I/N` as a Partition, or a one-line error naming the option."""
    index, slash, count = text.partition("/")
    try:
        if slash and index.strip().isdigit() and count.strip().isdigit():
            return Partition(int(index), int(count))
    except ValueError:
        pass
    raise typer.BadParameter(
        f"{text!r} is not a share I/N with 0 ≤ I < N, e.g. 0/2 and 1/2 for two workers",
        param_hint="--partition",
    )


def run_worker(
    context: Container, idle_sleep_s: float, rounds: int | None, partition: Partition = EVERYTHING
) -> None:
    """Deliver dispatches and collect answers until stopped (or for `rounds` rounds)."""
    worker = context.worker(partition)
    done = 0
    while rounds is None or done < rounds:
        if worker.run_once() == 0:
            time.sleep(idle_sleep_s)
        done += 1
