"""The local shared registers: seeded in bulk, looked up by person, pre-filling merged forms."""

import datetime as dt
from functools import partial

import pytest
from sqlalchemy import Engine

from tests.clock import FixedClock
from tests.integration.test_submit import CALENDAR, CATALOG, NOW
from yijianshi.adapters.sql.registers import SqlRegisters, SqlRegisterStore
from yijianshi.adapters.sql.unit_of_work import SqlUnitOfWork
from yijianshi.adapters.synthetic_population import SyntheticPopulation
from yijianshi.domain.errors import InvalidPurpose
from yijianshi.domain.registers import Population, Purpose, Resident
from yijianshi.services.context import Context
from yijianshi.services.planning import PlanBundle, build_bundle_plan
from yijianshi.services.sharing.registers import PrefillFromRegisters, prefill_from_registers, seed_registers

TODAY = dt.date(2026, 3, 2)
PURPOSE = "办理新生儿出生一件事，核对母亲身份信息"


def seeded(engine: Engine, residents: int = 300) -> list[Population]:
    seed_registers(SqlRegisterStore(engine), SyntheticPopulation(TODAY, seed=5, chunk=100), residents)
    return list(SyntheticPopulation(TODAY, seed=5, chunk=100).generate(residents))


def a_wife(content: list[Population]) -> tuple[Resident, Resident]:
    people = {r.id_number: r for chunk in content for r in chunk.residents}
    marriage = next(m for chunk in content for m in chunk.marriages)
    return people[marriage.wife], people[marriage.husband]


def test_seeding_writes_every_resident_and_seeding_again_replaces_them(engine: Engine) -> None:
    seen: list[int] = []
    first = seed_registers(
        SqlRegisterStore(engine),
        SyntheticPopulation(TODAY, chunk=100),
        300,
        lambda done, total: seen.append(done),
    )
    assert first.residents == 300
    assert first.households > 0
    assert first.marriages > 0
    assert seen[-1] == 300
    assert seen == sorted(seen)
    again = seed_registers(SqlRegisterStore(engine), SyntheticPopulation(TODAY, seed=9), 120)
    assert again.residents == 120


def test_a_resident_is_found_by_id_number_with_household_and_marriage(engine: Engine) -> None:
    wife, husband = a_wife(seeded(engine))
    registers = SqlRegisters(engine)
    keys = {
        "mother.name",
        "mother.sex",
        "mother.birth_date",
        "mother.marital_status",
        "mother.spouse_name",
        "mother.spouse_id_number",
        "mother.bank_account",
    }
    found = registers.lookup(wife.id_number, "mother", keys, Purpose(PURPOSE))
    assert found == {
        "mother.name": wife.name,
        "mother.sex": "2",
        "mother.birth_date": wife.birth_date.isoformat(),
        "mother.marital_status": "20",
        "mother.spouse_name": husband.name,
        "mother.spouse_id_number": husband.id_number,
    }
    household = registers.lookup(
        wife.id_number, "household", {"household.address", "household.head_name"}, Purpose(PURPOSE)
    )
    assert household["household.address"].startswith("浙江省温州市")
    assert household["household.head_name"] in {wife.name, husband.name}
    assert registers.lookup("11010519491231002X", "mother", keys, Purpose(PURPOSE)) == {}


def prefill(engine: Engine, people: dict[str, str], purpose: str = PURPOSE) -> dict[str, str]:
    plan = build_bundle_plan(CATALOG, CALENDAR, PlanBundle("birth", NOW.date()))
    return prefill_from_registers(
        Context(CATALOG, CALENDAR, partial(SqlUnitOfWork, engine), FixedClock(NOW)),
        PrefillFromRegisters(plan, people, purpose, "window-clerk", "draft-9"),
        SqlRegisters(engine),
    )


def test_register_fields_of_the_merged_form_are_prefilled_and_each_use_is_recorded(engine: Engine) -> None:
    wife, _ = a_wife(seeded(engine))
    values = prefill(engine, {"mother": wife.id_number})
    # the population register knows who she is; the hospital's delivery data it does not hold
    assert values == {"mother.name": wife.name, "mother.id_number": wife.id_number}
    with SqlUnitOfWork(engine) as uow:
        (use,) = uow.audit.log("draft-9")
    assert (use.type, use.actor, use.purpose) == ("org.yijianshi.personal_data.read", "window-clerk", PURPOSE)
    assert use.data["registers"] == ["ruian-hospital-his", "zhejiang-medical-insurance-platform"]
    assert use.data["answered"] == ["mother.id_number", "mother.name"]
    assert "mother.delivery_method" in use.data["asked"]
    assert wife.id_number not in str(use.data)


def test_nobody_named_means_nothing_is_looked_up_or_recorded(engine: Engine) -> None:
    seeded(engine)
    assert prefill(engine, {}) == {}
    with SqlUnitOfWork(engine) as uow:
        assert uow.audit.log("draft-9") == []


@pytest.mark.parametrize("purpose", ["", "事" * 201])
def test_registers_are_not_used_without_a_purpose_of_at_most_200_characters(
    engine: Engine, purpose: str
) -> None:
    wife, _ = a_wife(seeded(engine))
    with pytest.raises(InvalidPurpose):
        prefill(engine, {"mother": wife.id_number}, purpose)
    with SqlUnitOfWork(engine) as uow:
        assert uow.audit.log("draft-9") == []
