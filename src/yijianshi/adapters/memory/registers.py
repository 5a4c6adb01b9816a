"""The local shared registers in memory: the fake of adapters/sql/registers.py.

One object is both ports of services/sharing/ports.py: `Registers` (lookups by person) and
`RegisterStore` (seeding). It answers as `SqlRegisters` does: the person, their household with
the head's name, and their latest marriage (by registration date) with the spouse.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import TypeVar

from yijianshi.domain.registers import (
    Household,
    Marriage,
    PersonRecord,
    Population,
    Purpose,
    Resident,
    person_elements,
)
from yijianshi.services.sharing.ports import Seeded

_Row = TypeVar("_Row")


def _unique(rows: Sequence[_Row], key: Callable[[_Row], str], what: str) -> dict[str, _Row]:
    """`rows` by `key`; ValueError on a repeated key (a primary key in SQL)."""
    found: dict[str, _Row] = {}
    for row in rows:
        value = key(row)
        if value in found:
            raise ValueError(f"{what} {value} is in the register content twice")
        found[value] = row
    return found


def _latest_marriages(marriages: Iterable[Marriage]) -> dict[str, Marriage]:
    """Each married resident's latest marriage, by registration date."""
    latest: dict[str, Marriage] = {}
    for marriage in marriages:
        for person in (marriage.husband, marriage.wife):
            known = latest.get(person)
            if known is None or marriage.registered_on > known.registered_on:
                latest[person] = marriage
    return latest


class MemoryRegisters:
    """Shared registers (共享数据源) in memory, seeded by `replace` (ports.Registers and
    ports.RegisterStore). `content` is what they hold; `purposes` keeps the purpose of every
    lookup, as a remote register would be told it."""

    def __init__(self) -> None:
        self.content = Population()
        self.purposes: list[Purpose] = []
        self._households: Mapping[str, Household] = {}
        self._residents: Mapping[str, Resident] = {}
        self._marriages: Mapping[str, Marriage] = {}

    def replace(self, content: Iterable[Population]) -> Seeded:
        """Drop what the registers held and hold `content` instead, all at once: when reading
        `content` raises, or it repeats a household number, resident ID number or marriage
        certificate number (ValueError), the registers keep what they held."""
        chunks = list(content)
        whole = Population(
            tuple(h for c in chunks for h in c.households),
            tuple(r for c in chunks for r in c.residents),
            tuple(m for c in chunks for m in c.marriages),
        )
        households = _unique(whole.households, lambda h: h.number, "household")
        residents = _unique(whole.residents, lambda r: r.id_number, "resident")
        _unique(whole.marriages, lambda m: m.certificate_number, "marriage")
        self.content, self._households, self._residents = whole, households, residents
        self._marriages = _latest_marriages(whole.marriages)
        return Seeded(len(whole.households), len(whole.residents), len(whole.marriages))

    def lookup(self, id_number: str, subject: str, keys: Collection[str], purpose: Purpose) -> dict[str, str]:
        self.purposes.append(purpose)
        record = self._record(id_number)
        return person_elements(record, subject, keys) if record else {}

    def _record(self, id_number: str) -> PersonRecord | None:
        person = self._residents.get(id_number)
        if person is None:
            return None
        household = self._households.get(person.household)
        head = self._residents.get(household.head) if household else None
        marriage = self._marriages.get(id_number)
        spouse = None
        if marriage is not None:
            spouse = self._residents.get(marriage.wife if marriage.husband == id_number else marriage.husband)
        return PersonRecord(person, household, head.name if head else "", spouse, marriage)
