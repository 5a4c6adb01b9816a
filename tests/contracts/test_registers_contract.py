"""Shared registers: seeding replaces what they held; a lookup by resident ID number answers the
keys asked that they hold, as data elements of the subject, with household and marriage, on
every backend (the in-memory registers, SqlRegisters on SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine

from yijianshi.adapters.memory.registers import MemoryRegisters
from yijianshi.adapters.sql.registers import SqlRegisters, SqlRegisterStore
from yijianshi.adapters.synthetic_population import SyntheticPopulation
from yijianshi.domain.registers import HOUSEHOLD, Household, Marriage, Population, Purpose, Resident
from yijianshi.services.sharing.ports import Registers, RegisterStore, Seeded

PURPOSE = Purpose("办理新生儿出生一件事")
TODAY = dt.date(2026, 3, 2)
PERSON = ("name", "id_number", "sex", "birth_date", "ethnicity", "birth_place", "phone", "address")
MARITAL = ("marital_status", "spouse_name", "spouse_id_number", "marriage_date")
EVERYTHING = (*PERSON, *MARITAL)

# A household of a couple and their child; the husband married before, to a woman now living
# elsewhere; a lodger whose household and wife the registers do not hold; someone unmarried.
HOME, ELSEWHERE, UNREGISTERED = "330381000000001", "330381000000002", "330381000000099"
HUSBAND, WIFE, CHILD = "330381199001011234", "330381199205054321", "330381202001010011"
FORMER, LODGER, OUTSIDER = "330381198903032222", "330381198502020017", "350902198811112228"
SINGLE = "330381199807070033"


def resident(id_number: str, name: str, household: str, phone: str = "13900000000") -> Resident:
    sex = "1" if int(id_number[16]) % 2 else "2"
    born = dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    return Resident(id_number, name, sex, born, "汉族", "浙江省温州市瑞安市", household, phone)


FAMILY = Population(
    (
        Household(HOME, "浙江省温州市瑞安市安阳街道万松路1号", HUSBAND, "330381"),
        Household(ELSEWHERE, "浙江省温州市瑞安市玉海街道解放路2号", FORMER, "330381"),
    ),
    (
        resident(HUSBAND, "王建国", HOME),
        resident(WIFE, "李秀英", HOME),
        resident(CHILD, "王小明", HOME, phone=""),
        resident(FORMER, "陈丽", ELSEWHERE),
        resident(LODGER, "张伟", UNREGISTERED),
        resident(SINGLE, "刘洋", HOME),
    ),
    (
        # the earlier marriage first: the latest is the one registered last, wherever it is
        Marriage(HUSBAND, FORMER, dt.date(2012, 10, 1), "J330381-2012-000001"),
        Marriage(HUSBAND, WIFE, dt.date(2018, 5, 20), "J330381-2018-000002"),
        Marriage(LODGER, OUTSIDER, dt.date(2010, 6, 6), "J330381-2010-000003"),
    ),
)


@dataclass(frozen=True)
class Both:
    """The two ports of one backend's registers: looked up in, and seeded."""

    registers: Registers
    store: RegisterStore

    def lookup(self, id_number: str, subject: str, names: tuple[str, ...] = EVERYTHING) -> dict[str, str]:
        keys = [f"{subject}.{name}" for name in names]
        return self.registers.lookup(id_number, subject, keys, PURPOSE)


@pytest.fixture
def both(engine: Engine | None) -> Both:
    if engine is None:
        memory = MemoryRegisters()
        return Both(memory, memory)
    return Both(SqlRegisters(engine), SqlRegisterStore(engine))


@pytest.fixture
def family(both: Both) -> Both:
    assert both.store.replace([FAMILY]) == Seeded(2, 6, 3)
    return both


def synthetic(residents: int, seed: int, chunk: int = 5000) -> list[Population]:
    return list(SyntheticPopulation(TODAY, seed=seed, chunk=chunk).generate(residents))


def counted(chunks: list[Population]) -> Seeded:
    return Seeded(
        sum(len(c.households) for c in chunks),
        sum(len(c.residents) for c in chunks),
        sum(len(c.marriages) for c in chunks),
    )


# Seeding


def test_seeding_writes_every_chunk_and_reports_what_the_registers_hold(both: Both) -> None:
    chunks = synthetic(60, seed=3, chunk=25)
    assert len(chunks) >= 2
    seeded = both.store.replace(iter(chunks))
    assert seeded == counted(chunks)
    assert seeded.residents == 60
    for person in (c.residents[-1] for c in chunks):
        assert both.lookup(person.id_number, "mother", ("name",)) == {"mother.name": person.name}


def test_seeding_again_replaces_what_the_registers_held_and_never_adds(both: Both) -> None:
    first, second = synthetic(30, seed=3), synthetic(10, seed=4)
    both.store.replace(first)
    assert both.store.replace(second) == counted(second)
    gone = {r.id_number for c in first for r in c.residents} - {
        r.id_number for c in second for r in c.residents
    }
    assert gone
    assert all(both.lookup(id_number, "mother") == {} for id_number in gone)
    assert both.store.replace([]) == Seeded(0, 0, 0)
    assert both.lookup(second[0].residents[0].id_number, "mother") == {}


def test_a_seeding_that_fails_midway_leaves_what_the_registers_held(family: Both) -> None:
    def broken() -> Iterator[Population]:
        yield synthetic(10, seed=4)[0]
        raise RuntimeError("the source broke off")

    with pytest.raises(RuntimeError, match="broke off"):
        family.store.replace(broken())
    assert family.lookup(WIFE, "mother", ("name",)) == {"mother.name": "李秀英"}
    assert family.store.replace([FAMILY]) == Seeded(2, 6, 3)


# Lookups


def test_a_lookup_answers_only_the_keys_asked_that_the_registers_hold(family: Both) -> None:
    keys = ["mother.name", "mother.birth_date", "mother.employer_name", "father.name", "child.name"]
    assert family.registers.lookup(WIFE, "mother", keys, PURPOSE) == {
        "mother.name": "李秀英",
        "mother.birth_date": "1992-05-05",
    }
    assert family.registers.lookup(WIFE, "mother", [], PURPOSE) == {}


def test_a_person_is_answered_as_the_subject_asked_for(family: Both) -> None:
    assert family.lookup(CHILD, "child", PERSON) == {
        "child.name": "王小明",
        "child.id_number": CHILD,
        "child.sex": "1",
        "child.birth_date": "2020-01-01",
        "child.ethnicity": "汉族",
        "child.birth_place": "浙江省温州市瑞安市",
        "child.address": "浙江省温州市瑞安市安阳街道万松路1号",
        # no phone: an empty value is not held
    }
    assert family.lookup(CHILD, "applicant", ("name",)) == {"applicant.name": "王小明"}


def test_an_unknown_person_gets_nothing(family: Both) -> None:
    assert family.lookup("11010519491231002X", "mother") == {}
    assert family.lookup("11010519491231002X", HOUSEHOLD, ("address", "head_name")) == {}
    assert family.lookup(OUTSIDER, "mother") == {}  # married to a resident, but not one
    assert family.lookup(WIFE.lower() + " ", "mother") == {}  # an ID number is looked up as given


def test_the_household_register_answers_for_any_member(family: Both) -> None:
    expected = {"household.address": "浙江省温州市瑞安市安阳街道万松路1号", "household.head_name": "王建国"}
    for member in (HUSBAND, WIFE, CHILD, SINGLE):
        assert family.lookup(member, HOUSEHOLD, ("address", "head_name")) == expected
    assert family.lookup(CHILD, HOUSEHOLD, ("head_name",)) == {"household.head_name": "王建国"}
    assert family.lookup(FORMER, HOUSEHOLD, ("address", "head_name")) == {
        "household.address": "浙江省温州市瑞安市玉海街道解放路2号",
        "household.head_name": "陈丽",
    }


def test_a_resident_without_a_registered_household_has_no_address(family: Both) -> None:
    assert family.lookup(LODGER, HOUSEHOLD, ("address", "head_name")) == {}
    assert "father.address" not in family.lookup(LODGER, "father")
    assert family.lookup(LODGER, "father", ("name",)) == {"father.name": "张伟"}


def test_a_married_person_has_the_spouse_of_the_latest_marriage(family: Both) -> None:
    assert family.lookup(HUSBAND, "father", MARITAL) == {
        "father.marital_status": "20",
        "father.spouse_name": "李秀英",
        "father.spouse_id_number": WIFE,
        "father.marriage_date": "2018-05-20",
    }
    assert family.lookup(WIFE, "mother", MARITAL) == {
        "mother.marital_status": "20",
        "mother.spouse_name": "王建国",
        "mother.spouse_id_number": HUSBAND,
        "mother.marriage_date": "2018-05-20",
    }
    # the registers record marriages, not divorces: her latest marriage is still that one
    assert family.lookup(FORMER, "wife", MARITAL) == {
        "wife.marital_status": "20",
        "wife.spouse_name": "王建国",
        "wife.spouse_id_number": HUSBAND,
        "wife.marriage_date": "2012-10-01",
    }


def test_a_spouse_the_population_register_does_not_hold_is_left_out(family: Both) -> None:
    assert family.lookup(LODGER, "husband", MARITAL) == {
        "husband.marital_status": "20",
        "husband.marriage_date": "2010-06-06",
    }


def test_a_person_never_married_is_unmarried_without_a_spouse(family: Both) -> None:
    assert family.lookup(SINGLE, "applicant", MARITAL) == {"applicant.marital_status": "10"}
    assert family.lookup(CHILD, "child", MARITAL) == {"child.marital_status": "10"}


def test_a_synthetic_population_reads_back_with_its_households_and_marriages(both: Both) -> None:
    chunks = synthetic(80, seed=5, chunk=30)
    both.store.replace(chunks)
    households = {h.number: h for c in chunks for h in c.households}
    names = {r.id_number: r.name for c in chunks for r in c.residents}
    married = {p for c in chunks for m in c.marriages for p in (m.husband, m.wife)}
    assert married
    for person in (r for c in chunks for r in c.residents):
        found = both.lookup(person.id_number, "applicant")
        assert found["applicant.name"] == person.name
        assert found["applicant.birth_date"] == person.birth_date.isoformat()
        assert found["applicant.address"] == households[person.household].address
        assert both.lookup(person.id_number, HOUSEHOLD, ("head_name",)) == {
            "household.head_name": names[households[person.household].head]
        }
        if person.id_number in married:
            spouse = found["applicant.spouse_id_number"]
            assert found["applicant.spouse_name"] == names[spouse]
            assert both.lookup(spouse, "applicant", ("spouse_id_number",)) == {
                "applicant.spouse_id_number": person.id_number
            }
        else:
            assert found["applicant.marital_status"] == "10"
