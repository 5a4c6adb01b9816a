"""Every text of the pages has its Chinese translation, and the catalogue reads cleanly."""

from __future__ import annotations

from yijianshi.entrypoints.web import i18n
from yijianshi.entrypoints.web.messages import extracted, missing


def test_every_page_text_is_translated_to_chinese() -> None:
    assert missing() == []


def test_the_catalogue_translates_what_the_pages_say() -> None:
    translations = i18n.load()
    assert len([m for m in extracted() if m.id]) > 20
    assert translations[i18n.ZH].gettext("Log in") == "登录"
    assert translations[i18n.EN].gettext("Log in") == "Log in"


def test_languages_are_negotiated_like_browsers_ask() -> None:
    assert i18n.from_accept_language("en-GB,en;q=0.9,zh-CN;q=0.8") == "en"
    assert i18n.from_accept_language("fr-FR, zh-Hans-CN;q=0.7, en;q=0.5") == "zh-CN"
    assert i18n.from_accept_language("fr, de;q=0.5") is None
    assert i18n.from_accept_language("zh;q=0, en;q=0.1") == "en"
    assert i18n.normalise("zh_CN") == "zh-CN"
    assert i18n.normalise("EN") == "en"
