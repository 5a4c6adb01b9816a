"""`yijianshi serve` as the README starts it: a real server process on loopback."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import httpx2 as httpx

from yijianshi.entrypoints.log_masking import mask

YIJIANSHI = str(Path(sys.executable).parent / "yijianshi")
ID_NUMBER, PHONE = "330381199003070023", "13912345678"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_prints_demo_accounts_answers_the_api_and_masks_personal_data_in_its_log(
    tmp_path: Path,
) -> None:
    port = free_port()
    env = {
        **os.environ,
        "YIJIANSHI_DATABASE_URL": f"sqlite:///{tmp_path / 'served.sqlite3'}",
        "YIJIANSHI_SIGNING_KEY": str(tmp_path / "key.pem"),
    }
    server = subprocess.Popen(
        [YIJIANSHI, "serve", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        assert server.stdout is not None
        started = "".join(iter_until(server.stdout, "serving on"))
        password = re.search(r"password for all: (\S+)", started)
        assert password is not None, started
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                if httpx.get(f"{base}/openapi.json", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        token = httpx.post(f"{base}/api/auth/token", json={"account": "citizen", "password": password[1]})
        assert token.status_code == 200
        me = httpx.get(f"{base}/api/me", headers={"Authorization": f"Bearer {token.json()['access_token']}"})
        assert me.json()["role"] == "applicant"
        assert httpx.get(f"{base}/api/bundles?id={ID_NUMBER}&phone={PHONE}").status_code == 200
        refused = httpx.get(f"{base}/api/applications")
        assert refused.status_code == 401
        assert refused.headers["content-type"] == "application/problem+json"
    finally:
        server.terminate()
        output = started + server.communicate(timeout=30)[0].decode("utf-8")
    assert ID_NUMBER not in output
    assert PHONE not in output
    assert "330381********0023" in output
    assert "139****5678" in output
    assert "Logging error" not in output  # formatters (uvicorn's access log) get the arguments they expect
    assert "GET /api/bundles?id=330381********0023&phone=139****5678" in output


def iter_until(stream: IO[bytes], marker: str) -> Iterator[str]:
    for raw in stream:
        line = raw.decode("utf-8")
        yield line
        if marker in line:
            return


def test_masking_hides_id_numbers_and_phones_but_not_other_numbers() -> None:
    assert mask(f"id={ID_NUMBER} tel {PHONE}") == "id=330381********0023 tel 139****5678"
    assert mask("11010519491231002X") == "110105********002X"
    assert mask("order 20260302 and 123456") == "order 20260302 and 123456"
