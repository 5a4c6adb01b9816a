"""Helpers for tests with webhook departments: the receiver process, a free loopback port, the
departments file with a secret per department (kept in an environment mapping, never in the file)."""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

RECEIVER = Path(__file__).with_name("webhook_receiver.py")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def secret_env(department: str) -> str:
    return "WEBHOOK_SECRET_" + department.upper().replace("-", "_")


@dataclass
class WebhookDepartments:
    """Departments reached by webhook at a receiver on `port`, each with its own secret."""

    port: int
    codes: list[str]
    secrets: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.secrets = {code: secrets.token_urlsafe(32) for code in self.codes}

    @property
    def environ(self) -> dict[str, str]:
        """What the worker's environment holds: one variable per department's secret."""
        return {secret_env(code): secret for code, secret in self.secrets.items()}

    def write_config(self, path: Path, others: dict[str, str] | None = None) -> Path:
        """The departments file: the webhook departments, and `others` (code -> gateway)."""
        departments: dict[str, Any] = {
            code: {
                "gateway": "webhook",
                "url": f"http://127.0.0.1:{self.port}/events/{code}",
                "secret_env": secret_env(code),
            }
            for code in self.codes
        }
        departments.update({code: {"gateway": gateway} for code, gateway in (others or {}).items()})
        path.write_text(yaml.safe_dump({"departments": departments}), encoding="utf-8")
        return path


class ReceiverProcess:
    """tests/e2e/webhook_receiver.py as a child process, storing what it accepts in `store`."""

    def __init__(self, departments: WebhookDepartments, store: Path) -> None:
        self.departments, self.store = departments, store
        self.process: subprocess.Popen[str] | None = None
        self.kills = 0

    def start(self) -> None:
        env = {**os.environ, "WEBHOOK_SECRETS": json.dumps(self.departments.secrets)}
        self.process = subprocess.Popen(
            [sys.executable, str(RECEIVER), "--port", str(self.departments.port), "--store", str(self.store)],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == "ready", "the receiver did not start"

    def kill(self) -> None:
        """SIGKILL: whatever it was doing is cut off, as in a crash."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.kills += 1
        self.stop()

    def stop(self) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()
            self.process.wait(10)
            if self.process.stdout is not None:
                self.process.stdout.close()
            self.process = None

    def _query(self, sql: str) -> list[Any]:
        with sqlite3.connect(self.store) as connection:
            return connection.execute(sql).fetchall()

    def accepted(self) -> dict[str, dict[str, Any]]:
        """Event id -> the CloudEvent, for every event accepted (once each)."""
        rows = self._query("SELECT event_id, body FROM accepted")
        return {event_id: json.loads(body) for event_id, body in rows}

    def receipts(self) -> tuple[int, int]:
        """(receipts, duplicate receipts) of good events."""
        [(total, duplicates)] = self._query("SELECT count(*), coalesce(sum(duplicate), 0) FROM receipts")
        return total, duplicates


def events_of(events: Iterable[dict[str, Any]], department: str) -> list[dict[str, Any]]:
    return [e for e in events if e["data"]["department"] == department]
