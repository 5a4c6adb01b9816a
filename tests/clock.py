"""Valid values for a plan's merged form, generated from the data dictionary."""

from __future__ import annotations

import datetime as dt

from yijianshi.domain.catalog import Catalog, DataElement, ValueType
from yijianshi.domain.identifiers import credit_code_check_char, id_number_check_char
from yijianshi.domain.planning import Plan


def value_for(element: DataElement, seed: int = 0) -> str:
    first17 = f"330381199{seed % 10}0101{seed % 1000:03d}"
    credit17 = "91330381MA2" + f"{seed % 1000000:06d}"
    samples = {
        ValueType.ID_NUMBER: first17 + id_number_check_char(first17),
        ValueType.CREDIT_CODE: credit17 + credit_code_check_char(credit17),
        ValueType.PHONE: f"138{seed % 100000000:08d}",
        ValueType.DATE: "2026-03-01", ValueType.DATETIME: "2026-03-01T08:30:00",
        ValueType.INTEGER: "3200", ValueType.DECIMAL: "3.2", ValueType.BOOLEAN: "true",
        ValueType.AREA_CODE: "330381",
    }
    if element.type is ValueType.ENUM:
        return element.options[0].code
    return samples.get(element.type, f"{element.label.zh}{seed}")


def form_values(catalog: Catalog, plan: Plan, seed: int = 0) -> dict[str, str]:
    """A value for every field the applicant must fill in."""
    return {f.key: value_for(catalog.elements[f.key], seed) for f in plan.fields if f.prefill is None}


class FixedClock:
    def __init__(self, now: dt.datetime) -> None:
        self.moment = now

    def now(self) -> dt.datetime:
        return self.moment

    def today(self) -> dt.date:
        return self.moment.date()
