"""Small catalogues built in code, for tests of the domain and the planner."""

from __future__ import annotations

import datetime as dt

from yijianshi.domain.bundles import Bundle, BundleItem, Question
from yijianshi.domain.calendar import WorkingCalendar, YearSchedule
from yijianshi.domain.catalog import (
    Catalog,
    CertificateType,
    DataElement,
    Department,
    FormField,
    Item,
    Material,
    Option,
    Produced,
    Register,
    ValueType,
)
from yijianshi.domain.rules import Rule
from yijianshi.domain.text import Text


def t(zh: str, en: str | None = None) -> Text:
    return Text(zh, en or zh)


def plain_calendar() -> WorkingCalendar:
    """Weekends off, no holidays, any year: arithmetic easy to check by hand."""
    return WorkingCalendar(lambda year: YearSchedule(year, frozenset()))


def cert_material(certificate: str, subject: str = "applicant", **kwargs: object) -> Material:
    return Material(t(f"{certificate} of {subject}"), certificate, subject, **kwargs)  # type: ignore[arg-type]


def item(
    code: str,
    department: str = "d1",
    *,
    needs: tuple[tuple[str, str], ...] = (),
    issues: tuple[tuple[str, str], ...] = (),
    fields: tuple[str, ...] = (),
    outputs: tuple[str, ...] = (),
    days: int = 1,
    form: bool = True,
    trips: int = 1,
    materials: tuple[Material, ...] = (),
) -> Item:
    return Item(
        code=code,
        name=t(f"事项{code}", f"item {code}"),
        department=department,
        form=t(f"{code}申请表") if form else None,
        fields=tuple(FormField(k) for k in fields),
        materials=tuple(cert_material(c, s) for c, s in needs) + materials,
        issues=tuple(Produced(c, s) for c, s in issues),
        outputs=outputs,
        promised_days=days,
        statutory_days=max(days, 20),
        trips=trips,
    )


def catalog(*items: Item, bundles: tuple[Bundle, ...] = (), registers: tuple[Register, ...] = ()) -> Catalog:
    keys = {f.key for i in items for f in i.fields} | {k for i in items for k in i.outputs}
    certificates = (
        {m.certificate for i in items for m in i.materials if m.certificate}
        | {p.certificate for i in items for p in i.issues}
        | {c for r in registers for c in r.certificates}
    )
    return Catalog(
        departments={
            code: Department(code, t(f"部门{code}", f"department {code}"), "330381")
            for code in {i.department for i in items} | {"d1"}
        },
        elements={k: DataElement(k, ValueType.TEXT, t(k)) for k in sorted(keys)},
        certificates={c: CertificateType(c, t(c), ("name", "id_number")) for c in sorted(certificates)},
        registers={r.code: r for r in registers},
        items={i.code: i for i in items},
        bundles={b.code: b for b in bundles},
    )


def bundle(code: str, *entries: str | tuple[str, str], questions: tuple[Question, ...] = ()) -> Bundle:
    items = tuple(
        BundleItem(e) if isinstance(e, str) else BundleItem(e[0], Rule.parse(e[1])) for e in entries
    )
    return Bundle(code, t(code), "d1", items, questions)


def yes_no(code: str, default: str = "yes") -> Question:
    return Question(code, t(code), (Option("yes", t("是", "yes")), Option("no", t("否", "no"))), default)


MONDAY = dt.date(2026, 3, 2)
