"""`yijianshi serve`: the API with the worker beside it, on the configured database.

In development it creates the demo accounts with a password made for this start and prints
them; the worker runs in a background thread, delivering dispatches and collecting the
simulated departments' answers.
"""

from __future__ import annotations

import logging
import secrets
import threading
from typing import Annotated

import typer
import uvicorn
from rich.table import Table

from yijianshi.bootstrap import Container, settle_heap
from yijianshi.domain.identifiers import id_number_check_char
from yijianshi.entrypoints import log_masking
from yijianshi.entrypoints.api.app import create_app
from yijianshi.entrypoints.cli.common import DatabaseOption, clear_errors, container, err
from yijianshi.services.accounts.local_accounts import EnsureDemoAccounts, demo_accounts, ensure_demo_accounts

log = logging.getLogger("yijianshi.worker")
DEMO_ID_NUMBER = "33038119930815128" + id_number_check_char("33038119930815128")  # a woman of Ruian


def run_worker_until(context: Container, stop: threading.Event, idle_sleep_s: float = 0.2) -> None:
    """Run worker rounds until `stop`; a round that fails is logged and tried again a second
    later (the database may be briefly unavailable), so the worker never dies quietly."""
    worker = context.worker()
    while not stop.is_set():
        try:
            busy = worker.run_once()
        except Exception:
            log.exception("worker round failed; retrying in 1 s")
            stop.wait(1.0)
            continue
        if busy == 0:
            stop.wait(idle_sleep_s)


def print_demo_accounts(context: Container) -> None:
    password = secrets.token_urlsafe(12)
    catalog = context.catalog
    wanted = demo_accounts({code: d.name.zh for code, d in catalog.departments.items()})
    ensure_demo_accounts(context.identity, EnsureDemoAccounts(wanted, password, DEMO_ID_NUMBER))
    table = Table(title=f"Demo accounts (development only) — password for all: {password}")
    for column in ("account", "role", "name"):
        table.add_column(column)
    for demo in wanted[:6]:
        table.add_row(demo.account, demo.role.value, demo.name)
    table.add_row("…", "department", f"dept-<department code>, {len(wanted) - 3} in all")
    err.print(table)


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
    database: DatabaseOption = None,
) -> None:
    """Start the server: the API (OpenAPI at /openapi.json) and the worker, with the sample
    catalogue and simulated departments by default."""
    log_masking.install()
    with clear_errors():
        context = container(database=database)
        context.catalog  # noqa: B018 - load and check the catalogue before listening
        context.engine  # noqa: B018 - migrate the database before listening
        context.department_gateway  # noqa: B018 - refuse a bad departments file before listening
        if context.settings.environment == "development":
            print_demo_accounts(context)
        settle_heap()  # what startup built stays out of the collector's way
    stop = threading.Event()
    worker = threading.Thread(target=run_worker_until, args=(context, stop), name="worker", daemon=True)
    worker.start()
    err.print(f"yijianshi serving on http://{host}:{port} (pages: /, OpenAPI: /openapi.json, docs: /docs)")
    try:
        uvicorn.run(create_app(context), host=host, port=port, log_level="info")
    finally:
        stop.set()
        worker.join(10)
