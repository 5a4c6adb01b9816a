"""The pages' message catalogue: extract every text of the templates and page code, and keep the
zh_CN catalogue in step (`make messages`); `missing()` lists texts with no Chinese yet (a test
fails on any).

    python -m yijianshi.entrypoints.web.messages        # add new texts, drop unused, sort
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

WEB = Path(__file__).parent
PO = WEB / "locale" / "zh_CN" / "LC_MESSAGES" / "messages.po"
METHODS = [
    ("**/templates/**.html", "jinja2"),
    ("**.py", "python"),
]
OPTIONS = {"**/templates/**.html": {"trim_blocks": "true", "lstrip_blocks": "true"}}
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2)}


def extracted() -> Catalog:
    found = Catalog(locale="zh_CN")
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(WEB), METHODS, keywords=KEYWORDS, options_map=OPTIONS, comment_tags=()
    ):
        found.add(message, None, [(filename, lineno)], context=context)
    return found


def current() -> Catalog:
    with PO.open("rb") as source:
        return read_po(source, locale="zh_CN")


def missing() -> list[str]:
    """Texts of the pages that have no Chinese translation."""
    have = current()
    gaps = []
    for message in extracted():
        if not message.id:
            continue
        translated = have.get(message.id, message.context)
        strings = translated.string if translated is not None else None
        values = strings if isinstance(strings, tuple | list) else (strings,)
        if translated is None or translated.fuzzy or not all(values):
            gaps.append(message.id if isinstance(message.id, str) else message.id[0])
    return gaps


def update() -> None:
    catalog = current()
    catalog.update(extracted(), no_fuzzy_matching=True)
    catalog.obsolete.clear()
    with PO.open("wb") as target:
        write_po(target, catalog, no_location=True, omit_header=False, sort_output=True, width=100)


if __name__ == "__main__":
    update()
    for gap in missing():
        print(f"untranslated: {gap}")
