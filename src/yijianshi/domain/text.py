"""Text a person reads, in both languages the platform speaks: Chinese first, then English."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Text:
    """A user-facing text in Chinese (zh-CN) and English (en)."""

    zh: str
    en: str
