"""The committed OpenAPI document (`docs/openapi.json`): `make openapi` writes it; a test fails
when the API and the committed document differ."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from yijianshi.bootstrap import bootstrap
from yijianshi.entrypoints.api.app import create_app

DOCUMENT = Path("docs") / "openapi.json"


def openapi() -> dict[str, Any]:
    """The API's OpenAPI 3.1 document; builds the app without touching a database."""
    return create_app(bootstrap()).openapi()


def render() -> str:
    return json.dumps(openapi(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DOCUMENT
    target.write_text(render(), encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
