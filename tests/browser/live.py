"""A live yijianshi server for browser tests and screenshots: the real app (API and pages) under
uvicorn on a loopback port, with the worker running beside it, on a fresh database.

Departments use the worklist gateway, so department staff decide in their own pages, unless
`gateway="simulated"` is asked for.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from argon2 import PasswordHasher

from tests.clock import FixedClock
from tests.e2e.conftest import MONDAY, MOTHER_ID, PASSWORD, department_account
from yijianshi.adapters.auth.passwords import Argon2Passwords
from yijianshi.bootstrap import Container, bootstrap
from yijianshi.domain.accounts import Role
from yijianshi.entrypoints.api.app import create_app
from yijianshi.entrypoints.cli.serve import run_worker_until
from yijianshi.services.accounts.local_accounts import CreateAccount, create_account
from yijianshi.settings import Settings

OTHER_ID = "11010519491231002X"
__all__ = ["MONDAY", "MOTHER_ID", "PASSWORD", "Live", "department_account", "live_server"]


@dataclass
class Live:
    url: str
    container: Container
    clock: FixedClock


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def live_server(database_url: str, workdir: Path, gateway: str = "worklist") -> Iterator[Live]:
    settings = Settings(
        database_url=database_url,
        secret_key="browser-test-secret-" + "x" * 40,
        signing_key=workdir / "signing-key.pem",
        department_gateway=gateway,
    )  # type: ignore[arg-type]
    clock = FixedClock(MONDAY)
    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)  # real Argon2, quick
    container = bootstrap(settings, clock=clock, passwords=Argon2Passwords(cheap))
    identity = container.identity
    create_account(identity, CreateAccount("mother", "林晓梅", Role.APPLICANT, PASSWORD, id_number=MOTHER_ID))
    create_account(identity, CreateAccount("other", "王芳", Role.APPLICANT, PASSWORD, id_number=OTHER_ID))
    create_account(identity, CreateAccount("clerk", "窗口一号", Role.CLERK, PASSWORD))
    create_account(identity, CreateAccount("admin", "管理员", Role.ADMIN, PASSWORD))
    for code in container.catalog.departments:
        create_account(
            identity,
            CreateAccount(
                department_account(code), f"{code} staff", Role.DEPARTMENT, PASSWORD, department=code
            ),
        )
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(container), host="127.0.0.1", port=port, log_level="warning", lifespan="off"
        )
    )
    serving = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    stop = threading.Event()
    worker = threading.Thread(
        target=run_worker_until, args=(container, stop, 0.05), name="worker", daemon=True
    )
    serving.start()
    worker.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not serving.is_alive():
            raise RuntimeError("the live server did not start")
        time.sleep(0.02)
    try:
        yield Live(f"http://127.0.0.1:{port}", container, clock)
    finally:
        server.should_exit = True
        stop.set()
        serving.join(10)
        worker.join(10)
        container.close()
