"""Resident ID numbers and mobile phone numbers never reach a log.

Installed once per process by `serve` and `worker`: every log record, whichever library makes
it (uvicorn's access log included), has its message rendered and masked when it is created,
before any handler or formatter sees it.
"""

from __future__ import annotations

import logging
import re
from typing import Any

ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[0-9Xx])(?![0-9A-Za-z])")
PHONE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")


def mask(text: str) -> str:
    """`text` with ID numbers shown as 330381********0023 and phones as 139****5678."""
    return PHONE.sub(r"\1****\2", ID_NUMBER.sub(r"\1********\2", text))


def install() -> None:
    """Mask every log record made from now on in this process (idempotent)."""
    current = logging.getLogRecordFactory()
    if getattr(current, "masks_personal_data", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = current(*args, **kwargs)
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed call: keep the format, drop the arguments
            message = str(record.msg)
        record.msg, record.args = mask(message), None
        return record

    factory.masks_personal_data = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
