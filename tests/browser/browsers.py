"""Debian's Chromium driven by Playwright through its executable path: no browser download.

The flags keep Chromium off the network (only loopback is reached) and quiet in a container.
"""

from __future__ import annotations

import os
import shutil
from typing import Any

FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_path() -> str:
    """YIJIANSHI_CHROMIUM, else `chromium` on PATH; `.ci/run` installs Debian's package."""
    found = os.environ.get("YIJIANSHI_CHROMIUM") or shutil.which("chromium")
    if not found:
        raise RuntimeError(
            "Chromium is not installed: install Debian's `chromium` package "
            "(.ci/run does) or set YIJIANSHI_CHROMIUM to its executable"
        )
    return found


def launch(playwright: Any) -> Any:
    return playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=FLAGS)
