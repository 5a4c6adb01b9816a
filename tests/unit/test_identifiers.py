import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from yijianshi.domain.identifiers import (
    credit_code_check_char,
    credit_code_problem,
    id_number_check_char,
    id_number_problem,
    phone_problem,
)


def test_published_examples_of_resident_id_numbers_are_valid() -> None:
    assert id_number_problem("11010519491231002X") is None
    assert id_number_problem("440524188001010014") is None


def test_a_wrong_check_character_is_named_with_the_expected_one() -> None:
    assert id_number_problem("110105194912310021") == "check character is 1, expected X"


def test_an_impossible_birth_date_is_refused() -> None:
    first17 = "33038120230230001"
    assert "not a real date" in (id_number_problem(first17 + id_number_check_char(first17)) or "")


@given(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)),
    st.integers(0, 999),
    st.integers(0, 16),
    st.integers(1, 9),
)
def test_changing_any_digit_of_a_valid_id_number_is_caught(
    born: dt.date, sequence: int, position: int, delta: int
) -> None:
    first17 = f"330381{born:%Y%m%d}{sequence:03d}"
    valid = first17 + id_number_check_char(first17)
    assert id_number_problem(valid) is None
    changed = valid[:position] + str((int(valid[position]) + delta) % 10) + valid[position + 1 :]
    assert id_number_problem(changed) is not None


def test_published_credit_codes_pass_and_a_changed_one_fails() -> None:
    assert credit_code_problem("91350100M000100Y43") is None
    assert credit_code_problem("91512081MA62K0260E") is None
    assert credit_code_problem("91350100M000100Y44") == "check character is 4, expected 3"
    assert credit_code_check_char("91350100M000100Y4") == "3"


def test_credit_codes_with_letters_outside_the_alphabet_are_refused() -> None:
    assert "18 characters" in (credit_code_problem("91350100I000100Y43") or "")


def test_mobile_numbers_need_eleven_digits_starting_with_one() -> None:
    assert phone_problem("13812345678") is None
    assert phone_problem("1381234567") is not None
    assert phone_problem("23812345678") is not None
