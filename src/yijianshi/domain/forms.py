"""Field validation of the merged form (一表申请): one problem per wrong field, where = its key."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from yijianshi.domain import identifiers
from yijianshi.domain.catalog import DataElement, ValueType
from yijianshi.domain.planning import MergedField
from yijianshi.domain.problems import Problem
from yijianshi.domain.text import Text

_INTEGER = re.compile(r"^-?\d+$")
_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")


def _date_problem(value: str) -> str | None:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return "must be a date written YYYY-MM-DD"
    return None


def value_problem(element: DataElement, value: str) -> tuple[Text, bool] | None:
    """Check one value against its data element; return (message, warning_only) or None."""
    kind = element.type
    if kind in _CHECKS:
        check, zh = _CHECKS[kind]
        problem = check(value.strip().upper() if kind is not ValueType.DATE else value.strip())
        if problem:
            return Text(
                f"{element.label.zh}{zh}", f"{element.label.en} {problem}"
            ), kind is ValueType.CREDIT_CODE
        return None
    if kind is ValueType.INTEGER and not _INTEGER.match(value.strip()):
        return Text(f"{element.label.zh}应为整数", f"{element.label.en} must be a whole number"), False
    if kind is ValueType.DECIMAL and not _DECIMAL.match(value.strip()):
        return Text(f"{element.label.zh}应为数字", f"{element.label.en} must be a number"), False
    if kind is ValueType.ENUM and all(o.code != value for o in element.options):
        offered = ", ".join(o.code for o in element.options)
        return Text(
            f"{element.label.zh}不在可选范围内（{offered}）", f"{element.label.en} must be one of {offered}"
        ), False
    return None


_CHECKS: dict[ValueType, tuple[Callable[[str], str | None], str]] = {
    ValueType.ID_NUMBER: (identifiers.id_number_problem, "不是有效的公民身份号码"),
    ValueType.CREDIT_CODE: (identifiers.credit_code_problem, "统一社会信用代码校验位不符"),
    ValueType.PHONE: (identifiers.phone_problem, "不是有效的手机号码"),
    ValueType.AREA_CODE: (identifiers.area_code_problem, "不是有效的行政区划代码"),
    ValueType.DATE: (_date_problem, "日期格式应为 YYYY-MM-DD"),
}


def validate_form(
    fields: tuple[MergedField, ...], elements: dict[str, DataElement], values: dict[str, str]
) -> list[Problem[str]]:
    """Every error of a filled merged form at once; prefilled fields may be left empty."""
    errors = []
    for merged in fields:
        value = values.get(merged.key, "")
        if not str(value).strip():
            if merged.required and merged.prefill is None:
                errors.append(
                    Problem(merged.key, Text(f"请填写{merged.label.zh}", f"Enter {merged.label.en}"))
                )
            continue
        element = elements.get(merged.key)
        found = value_problem(element, str(value)) if element else None
        if found:
            errors.append(Problem(merged.key, found[0], warning=found[1]))
    return errors
