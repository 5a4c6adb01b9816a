import datetime as dt

import pytest

from tests.certificates import MOTHER_ID, certificate
from yijianshi.adapters.synthetic_population import SyntheticPopulation
from yijianshi.domain.errors import InvalidPurpose
from yijianshi.domain.identifiers import id_number_problem
from yijianshi.domain.planning import MergedField, Provenance, Source
from yijianshi.domain.registers import Household, Marriage, PersonRecord, Purpose, Resident, person_elements
from yijianshi.domain.sharing import certificate_values, register_requests, register_values
from yijianshi.domain.text import Text

TODAY = dt.date(2026, 3, 2)


def test_a_purpose_is_required_and_at_most_200_characters() -> None:
    assert Purpose("  办理新生儿出生一件事  ").text == "办理新生儿出生一件事"
    assert len(Purpose("事" * 200).text) == 200
    with pytest.raises(InvalidPurpose) as empty:
        Purpose("   ")
    assert empty.value.zh == "请说明申请事由"
    with pytest.raises(InvalidPurpose) as long:
        Purpose("事" * 201)
    assert "201" in long.value.en
    assert "201" in long.value.zh


WIFE = Resident(MOTHER_ID, "李秀英", "2", dt.date(1949, 12, 31), "汉族", "浙江省温州市瑞安市", "H1")
HUSBAND = Resident("440524188001010014", "王强", "1", dt.date(1880, 1, 1), "汉族", "广东省", "H1")
RECORD = PersonRecord(
    WIFE,
    Household("H1", "浙江省温州市瑞安市万松路1号", HUSBAND.id_number, "330381"),
    "王强",
    HUSBAND,
    Marriage(HUSBAND.id_number, MOTHER_ID, dt.date(1972, 5, 1), "J1"),
)


def test_a_person_is_answered_in_the_data_elements_of_the_subject_asked() -> None:
    keys = {"mother.name", "mother.birth_date", "mother.address", "mother.spouse_id_number", "mother.phone"}
    assert person_elements(RECORD, "mother", keys) == {
        "mother.name": "李秀英",
        "mother.birth_date": "1949-12-31",
        "mother.address": "浙江省温州市瑞安市万松路1号",
        "mother.spouse_id_number": HUSBAND.id_number,
    }


def test_the_household_is_answered_as_its_own_subject() -> None:
    assert person_elements(RECORD, "household", {"household.address", "household.head_name"}) == {
        "household.address": "浙江省温州市瑞安市万松路1号",
        "household.head_name": "王强",
    }


def field(key: str, source: Source | None, ref: str = "") -> MergedField:
    return MergedField(key, Text(key, key), ("i",), True, Provenance(source, ref) if source else None)


FIELDS = (
    field("mother.name", Source.REGISTER, "hospital"),
    field("mother.id_number", Source.REGISTER, "hospital"),
    field("household.address", Source.REGISTER, "police"),
    field("mother.phone", None),
    field("father.name", Source.CERTIFICATE, "resident_id_card"),
)


def test_only_register_fields_are_asked_of_registers_and_filled_from_them() -> None:
    assert register_requests(FIELDS) == {
        "mother": ["mother.name", "mother.id_number"],
        "household": ["household.address"],
    }
    found = {"mother.name": "李秀英", "mother.phone": "13800000000", "father.name": "王强"}
    assert register_values(FIELDS, found) == {"mother.name": "李秀英"}


def test_certificate_fields_are_read_from_the_face_of_a_valid_certificate() -> None:
    held = {"father": [certificate(data={"name": "王强"})]}
    assert certificate_values(FIELDS, held, TODAY) == {"father.name": "王强"}
    assert certificate_values(FIELDS, held, dt.date(2041, 1, 1)) == {}


@pytest.fixture(scope="module")
def population() -> list[Resident]:
    chunks = SyntheticPopulation(TODAY, seed=3, chunk=400).generate(2000)
    return [r for chunk in chunks for r in chunk.residents]


def test_the_synthetic_population_has_exactly_the_residents_asked_with_unique_valid_id_numbers(
    population: list[Resident],
) -> None:
    assert len(population) == 2000
    assert len({r.id_number for r in population}) == 2000
    assert all(id_number_problem(r.id_number) is None for r in population)
    assert all((int(r.id_number[16]) % 2 == 1) == (r.sex == "1") for r in population)
    assert all(r.id_number[6:14] == f"{r.birth_date:%Y%m%d}" and r.birth_date <= TODAY for r in population)
    assert all(2 <= len(r.name) <= 3 and all("\u4e00" <= c <= "\u9fff" for c in r.name) for r in population)


def test_synthetic_marriages_are_between_adults_of_legal_age_and_children_follow_them() -> None:
    chunks = list(SyntheticPopulation(TODAY, seed=3).generate(2000))
    people = {r.id_number: r for c in chunks for r in c.residents}
    marriages = [m for c in chunks for m in c.marriages]
    assert marriages
    for marriage in marriages:
        husband, wife = people[marriage.husband], people[marriage.wife]
        assert (husband.sex, wife.sex) == ("1", "2")
        assert husband.household == wife.household
        assert (marriage.registered_on - husband.birth_date).days >= 22 * 365
        assert (marriage.registered_on - wife.birth_date).days >= 20 * 365
        assert marriage.registered_on <= TODAY


def test_the_same_seed_makes_the_same_people() -> None:
    def names(seed: int) -> list[str]:
        chunks = SyntheticPopulation(TODAY, seed).generate(300)
        return [r.name + r.id_number for c in chunks for r in c.residents]

    assert names(1) == names(1)
    assert names(1) != names(2)
