"""The pages' two languages: zh-CN (the default) and English.

Page text is written in English in the templates and Python (`_("Start now")`) and translated to
Chinese by the Babel catalogue `locale/zh_CN/LC_MESSAGES/messages.po`, read when the app starts (no
compile step). Catalogue texts of the domain (`Text(zh, en)`) carry both languages already and are
shown with `t(text)`.

The language of a request is, in order: `?lang=en|zh-CN` (which is then remembered in a cookie),
the remembered cookie, the browser's Accept-Language, else zh-CN.
"""

from __future__ import annotations

import gettext
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from starlette.requests import Request

ZH: Final = "zh-CN"
EN: Final = "en"
LANGUAGES: Final = (ZH, EN)
DEFAULT: Final = ZH
COOKIE: Final = "yijianshi_lang"
LOCALE_DIR = Path(__file__).parent / "locale"


@dataclass(frozen=True, slots=True)
class Language:
    code: str  # zh-CN | en
    html: str  # the lang attribute of <html>
    label: str  # its own name, for the switch


KNOWN = {ZH: Language(ZH, "zh-CN", "中文"), EN: Language(EN, "en", "English")}


def normalise(value: str | None) -> str | None:
    """`zh`, `zh-cn`, `zh_CN`, `zh-Hans-CN` -> zh-CN; `en`, `en-GB` -> en; anything else -> None."""
    if not value:
        return None
    primary = value.strip().replace("_", "-").split("-")[0].lower()
    return ZH if primary == "zh" else EN if primary == "en" else None


def from_accept_language(header: str | None) -> str | None:
    """The first supported language by the browser's preference (q values honoured)."""
    if not header:
        return None
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        found = normalise(tag)
        if found and quality > 0:
            ranked.append((-quality, position, found))
    return min(ranked)[2] if ranked else None


def chosen(request: Request) -> tuple[str, bool]:
    """The request's language, and whether it was asked for explicitly (to be remembered)."""
    asked = normalise(request.query_params.get("lang"))
    if asked:
        return asked, True
    remembered = normalise(request.cookies.get(COOKIE))
    if remembered:
        return remembered, False
    return from_accept_language(request.headers.get("accept-language")) or DEFAULT, False


def load(locale_dir: Path = LOCALE_DIR) -> dict[str, gettext.NullTranslations]:
    """The translations of each language, compiled in memory from the .po catalogues."""
    found: dict[str, gettext.NullTranslations] = {EN: gettext.NullTranslations()}
    po = locale_dir / "zh_CN" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as source:
        catalog = read_po(source, locale="zh_CN")
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    found[ZH] = Translations(buffer, domain="messages")
    return found
