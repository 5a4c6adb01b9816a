"""A department system's webhook receiver, run by the tests as a separate process on loopback.

    python tests/e2e/webhook_receiver.py --port PORT --store FILE.sqlite3

The secrets come from the environment, WEBHOOK_SECRETS = JSON {department code: secret}. Each
`POST /events/<department>` is checked exactly as `yijianshi.adapters.departments.webhook` tells a
department to check it (written here from that description, without importing yijianshi): the
HMAC-SHA256 signature over timestamp "." body with the department's secret, the timestamp within 5
minutes, the CloudEvent's type and department. A good event is stored once per event id (a second
delivery of the same id is recorded as a duplicate receipt and answered 200 again, without being
accepted twice), committed before the answer. Answers: 200 delivered, 401 bad signature or stale
timestamp, 400 anything else wrong. Prints `ready` on stdout once listening.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import sqlite3
import sys
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

SCHEMA = """
CREATE TABLE IF NOT EXISTS accepted (event_id TEXT PRIMARY KEY, department TEXT NOT NULL,
    case_id TEXT NOT NULL, body TEXT NOT NULL, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS receipts (event_id TEXT NOT NULL, duplicate INTEGER NOT NULL, at REAL NOT NULL);
"""


def verified(secret: str, timestamp: str, signature: str, body: bytes) -> bool:
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > 300:
        return False
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(signature, f"sha256={expected}")


class Receiver(BaseHTTPRequestHandler):
    store: sqlite3.Connection
    secrets: dict[str, str]

    def do_POST(self) -> None:
        department = self.path.removeprefix("/events/")
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        secret = self.secrets.get(department)
        if secret is None or not verified(
            secret,
            self.headers.get("X-Yijianshi-Timestamp", ""),
            self.headers.get("X-Yijianshi-Signature", ""),
            body,
        ):
            return self.answer(401, "bad signature")
        event = json.loads(body)
        if event.get("type") != "org.yijianshi.case.dispatched" or event["data"]["department"] != department:
            return self.answer(400, "not a case of this department")
        self.answer(200, self.accept(event, department, body))

    def accept(self, event: dict[str, object], department: str, body: bytes) -> str:
        """Store the event once per id; every receipt is counted, a repeated one as a duplicate."""
        with self.store:
            new = (
                self.store.execute(
                    "INSERT OR IGNORE INTO accepted VALUES (?, ?, ?, ?, ?)",
                    (event["id"], department, event["subject"], body.decode(), time.time()),
                ).rowcount
                == 1
            )
            self.store.execute(
                "INSERT INTO receipts VALUES (?, ?, ?)", (event["id"], int(not new), time.time())
            )
        return "accepted" if new else "duplicate"

    def answer(self, status: int, text: str) -> None:
        payload = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:  # quiet: the tests read the store
        pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--store", required=True)
    args = parser.parse_args()
    store = sqlite3.connect(args.store, check_same_thread=False)
    store.execute("PRAGMA journal_mode=WAL")
    store.executescript(SCHEMA)
    Receiver.store = store
    Receiver.secrets = json.loads(os.environ["WEBHOOK_SECRETS"])
    server = HTTPServer(("127.0.0.1", args.port), Receiver)
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    server.serve_forever()


if __name__ == "__main__":
    main()
