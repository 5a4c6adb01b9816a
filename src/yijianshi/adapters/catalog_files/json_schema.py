"""Generates the JSON Schema of each catalogue file kind (committed under yijianshi/schema/).

Run `make schema` after changing `schema.py`; a test fails when the committed files differ.
Editors that understand JSON Schema (e.g. with a `# yaml-language-server: $schema=` line)
then check catalogue files as they are typed.
"""

from __future__ import annotations

import json
from pathlib import Path

from yijianshi.adapters.catalog_files.schema import FILE_MODELS

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schema"


def schemas() -> dict[str, str]:
    """File name -> JSON text of each file kind's schema."""
    result = {}
    for kind, model in FILE_MODELS.items():
        schema = model.model_json_schema()
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://yijianshi.org/schema/{kind}.schema.json",
            **schema,
        }
        result[f"{kind}.schema.json"] = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
    return result


def main() -> None:
    SCHEMA_DIR.mkdir(exist_ok=True)
    for name, text in schemas().items():
        (SCHEMA_DIR / name).write_text(text, encoding="utf-8")
        print(f"wrote {SCHEMA_DIR.name}/{name}")


if __name__ == "__main__":
    main()
