"""Generates docs/settings.md from the descriptions of `Settings` (`make docs`)."""

from __future__ import annotations

from pathlib import Path

from yijianshi.settings import Settings

DOC = Path(__file__).resolve().parents[2] / "docs" / "settings.md"


def render() -> str:
    lines = [
        "# Settings",
        "",
        "Read from environment variables with the prefix `YIJIANSHI_`. Generated from",
        "`src/yijianshi/settings.py` by `make docs`; do not edit by hand.",
        "",
        "| variable | type | default | description |",
        "|---|---|---|---|",
    ]
    for name, info in Settings.model_fields.items():
        value = str(info.default) if isinstance(info.default, Path) else info.default  # same on every OS
        default = "the shipped sample catalogue" if info.default_factory else repr(value)
        annotation = info.annotation
        kind = annotation.__name__ if isinstance(annotation, type) else str(annotation)
        lines.append(f"| `YIJIANSHI_{name.upper()}` | `{kind}` | {default} | {info.description} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    DOC.write_text(render(), encoding="utf-8")
    print(f"wrote docs/{DOC.name}")


if __name__ == "__main__":
    main()
