"""Synthetic applicants: realistic Chinese names and valid identifiers, for demos and load.

Generated, never real: ID numbers carry valid GB 11643 check characters over real area codes
and plausible birth dates; phone numbers use the 1xx mobile ranges.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping

from yijianshi.domain.catalog import Catalog, DataElement, ValueType
from yijianshi.domain.identifiers import credit_code_check_char, id_number_check_char
from yijianshi.domain.planning import Plan

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力斌宇浩凯晨欣怡子涵"
    "梓轩一诺雨桐若汐思远嘉豪佳琪俊熙"
)
STREETS = ["万松路", "安阳路", "罗阳大道", "瑞祥大道", "隆山东路", "虹桥路", "滨江大道", "人民路"]
AGES = {
    "child": (0, 0),
    "father": (24, 45),
    "mother": (22, 42),
    "applicant": (18, 70),
    "retiree": (55, 65),
    "deceased": (60, 95),
}


class SyntheticPeople:
    """Fills the fields of a plan's merged form with consistent synthetic values."""

    def __init__(self, catalog: Catalog, seed: int | None = None, region: str = "330381") -> None:
        self.catalog = catalog
        self.rng = random.Random(seed)
        self.region = region

    def form_values(self, plan: Plan, today: dt.date) -> dict[str, str]:
        """A value for every merged-form field the applicant fills in (not prefilled)."""
        births: dict[str, dt.date] = {}
        values: dict[str, str] = {}
        for merged in plan.fields:
            if merged.prefill is None and merged.key in self.catalog.elements:
                element = self.catalog.elements[merged.key]
                values[merged.key] = self.value(element, births, values, today)
        return values

    def _born(self, subject: str, births: dict[str, dt.date], today: dt.date) -> dt.date:
        if subject not in births:
            low, high = AGES.get(subject, (18, 60))
            births[subject] = today - dt.timedelta(days=self.rng.randint(low * 365, high * 365 + 200))
        return births[subject]

    def value(
        self, element: DataElement, births: dict[str, dt.date], so_far: Mapping[str, str], today: dt.date
    ) -> str:
        subject, _, name = element.key.partition(".")
        rng, kind = self.rng, element.type
        if kind is ValueType.ID_NUMBER:
            first17 = f"{self.region}{self._born(subject, births, today):%Y%m%d}{rng.randrange(1000):03d}"
            return first17 + id_number_check_char(first17)
        if kind is ValueType.CREDIT_CODE:
            first17 = (
                "91" + self.region + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
            )
            return first17 + credit_code_check_char(first17)
        if kind is ValueType.PHONE:
            return rng.choice(["138", "139", "150", "186", "177"]) + f"{rng.randrange(10**8):08d}"
        if kind is ValueType.DATE:
            return (self._born(subject, births, today) if "birth" in name else today).isoformat()
        if kind is ValueType.DATETIME:
            born = self._born(subject, births, today).isoformat()
            return f"{born}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:00"
        if kind is ValueType.ENUM:
            return rng.choice(element.options).code
        if kind is ValueType.INTEGER:
            return str(rng.randint(2500, 4200) if "weight" in name else rng.randint(1, 30))
        if kind is ValueType.DECIMAL:
            return f"{rng.uniform(1, 100):.2f}"
        if kind is ValueType.BOOLEAN:
            return rng.choice(["true", "false"])
        if kind is ValueType.AREA_CODE:
            return self.region
        return self._text(subject, name, so_far)

    def _text(self, subject: str, name: str, so_far: Mapping[str, str]) -> str:
        rng = self.rng
        if (name.endswith("name") and subject in AGES) or name in ("name", "head_name"):
            surname = so_far.get("father.name", "")[:1] if subject == "child" else ""
            given = "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
            return (surname or rng.choice(SURNAMES)) + given
        if "address" in name or "place" in name:
            return f"浙江省温州市瑞安市{rng.choice(STREETS)}{rng.randint(1, 399)}号"
        if "account" in name:
            return "6217" + "".join(str(rng.randrange(10)) for _ in range(15))
        if "ethnicity" in name:
            return "汉族"
        return f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}"
