"""Resident ID numbers and mobile phone numbers never reach a log.

Installed once per process by `serve` and `worker`: every log record, whichever library makes
it (uvicorn's access log included), has its message and arguments masked when it is created,
before any handler or formatter sees it; the arguments stay a tuple or mapping, as formatters
expect.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[0-9Xx])(?![0-9A-Za-z])")
PHONE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")


def mask(text: str) -> str:
    """`text` with ID numbers shown as 330381********0023 and phones as 139****5678."""
    return PHONE.sub(r"\1****\2", ID_NUMBER.sub(r"\1********\2", text))


def _masked(value: Any) -> Any:
    """An argument of a log call, masked; its type is kept (formatters such as uvicorn's access
    log unpack the arguments) unless its text had to be masked."""
    if isinstance(value, str):
        return mask(value)
    if value is None or isinstance(value, int | float | bool):
        return value
    text = str(value)
    masked = mask(text)
    return value if masked == text else masked


def install() -> None:
    """Mask every log record made from now on in this process (idempotent)."""
    current = logging.getLogRecordFactory()
    if getattr(current, "masks_personal_data", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = current(*args, **kwargs)
        if isinstance(record.msg, str):
            record.msg = mask(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_masked(value) for value in record.args)
        elif isinstance(record.args, Mapping):
            record.args = {key: _masked(value) for key, value in record.args.items()}
        return record

    factory.masks_personal_data = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
