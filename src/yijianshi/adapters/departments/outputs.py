"""Realistic outputs a department produces: resident ID numbers, certificate numbers, dates."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from typing import Any

from yijianshi.domain.catalog import Catalog, DataElement, Item, ValueType
from yijianshi.domain.identifiers import credit_code_check_char, id_number_check_char


def _id_number(region: str, born: dt.date, rng: random.Random) -> str:
    first17 = f"{region}{born:%Y%m%d}{rng.randrange(1000):03d}"
    return first17 + id_number_check_char(first17)


def _credit_code(region: str, rng: random.Random) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    first17 = "92" + region + "".join(rng.choice(alphabet) for _ in range(9))
    return first17 + credit_code_check_char(first17)


def _birth_date(data: Mapping[str, Any], subject: str, today: dt.date) -> dt.date:
    value = str(data.get(f"{subject}.birth_date", ""))[:10]
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return today


def element_value(
    element: DataElement, region: str, data: Mapping[str, Any], today: dt.date, rng: random.Random
) -> str:
    """A plausible value of `element`, consistent with what the application already holds."""
    kind = element.type
    if kind is ValueType.ID_NUMBER:
        return _id_number(region, _birth_date(data, element.subject, today), rng)
    if kind is ValueType.CREDIT_CODE:
        return _credit_code(region, rng)
    if kind in (ValueType.DATE, ValueType.DATETIME):
        return today.isoformat()
    if kind is ValueType.ENUM and element.options:
        return element.options[0].code
    if kind in (ValueType.INTEGER, ValueType.DECIMAL):
        return str(rng.randrange(1, 10000))
    if kind is ValueType.AREA_CODE:
        return region
    return f"{region}{today:%Y}{rng.randrange(10**8):08d}"  # a register or certificate number


def item_outputs(
    catalog: Catalog, item: Item, data: Mapping[str, Any], today: dt.date, rng: random.Random
) -> dict[str, str]:
    """Values of every data element `item` outputs, and a number for each certificate it issues."""
    region = catalog.departments[item.department].region
    outputs = {key: element_value(catalog.elements[key], region, data, today, rng) for key in item.outputs}
    for produced in item.issues:
        outputs[f"certificate.{produced.certificate}.{produced.subject}"] = (
            f"{region}{today:%Y}{rng.randrange(10**8):08d}"
        )
    return outputs
