from yijianshi.domain.catalog import DataElement, Option, ValueType
from yijianshi.domain.forms import validate_form
from yijianshi.domain.planning import MergedField, Provenance, Source
from yijianshi.domain.text import Text


def element(key: str, kind: ValueType, *options: str) -> DataElement:
    return DataElement(
        key, kind, Text(f"{key}中文", key), options=tuple(Option(o, Text(o, o)) for o in options)
    )


ELEMENTS = {
    e.key: e
    for e in [
        element("mother.id_number", ValueType.ID_NUMBER),
        element("mother.phone", ValueType.PHONE),
        element("child.birth_date", ValueType.DATE),
        element("child.sex", ValueType.ENUM, "1", "2"),
        element("enterprise.credit_code", ValueType.CREDIT_CODE),
        element("child.weight_g", ValueType.INTEGER),
    ]
}


def fields(*keys: str, prefilled: str = "") -> tuple[MergedField, ...]:
    return tuple(
        MergedField(
            k, ELEMENTS[k].label, ("i1",), True, Provenance(Source.REGISTER, "r") if k == prefilled else None
        )
        for k in keys
    )


def test_every_wrong_field_is_reported_at_once_with_its_key() -> None:
    errors = validate_form(
        fields(*ELEMENTS),
        ELEMENTS,
        {
            "mother.id_number": "110105194912310021",
            "mother.phone": "12345",
            "child.birth_date": "2026-02-30",
            "child.sex": "3",
            "child.weight_g": "3.2kg",
            "enterprise.credit_code": "91350100M000100Y43",
        },
    )
    assert [e.where for e in errors] == [
        "mother.id_number",
        "mother.phone",
        "child.birth_date",
        "child.sex",
        "child.weight_g",
    ]
    assert errors[0].message.zh == "mother.id_number中文不是有效的公民身份号码"
    assert errors[0].message.en == "mother.id_number check character is 1, expected X"


def test_a_credit_code_failing_its_check_is_only_a_warning() -> None:
    errors = validate_form(
        fields("enterprise.credit_code"), ELEMENTS, {"enterprise.credit_code": "91350100M000100Y44"}
    )
    assert len(errors) == 1
    assert errors[0].warning


def test_a_required_field_must_be_filled_unless_government_prefills_it() -> None:
    assert [e.message.en for e in validate_form(fields("mother.phone"), ELEMENTS, {})] == [
        "Enter mother.phone"
    ]
    assert validate_form(fields("mother.phone", prefilled="mother.phone"), ELEMENTS, {}) == []


def test_valid_values_pass() -> None:
    assert (
        validate_form(
            fields(*ELEMENTS),
            ELEMENTS,
            {
                "mother.id_number": "11010519491231002X",
                "mother.phone": "13812345678",
                "child.birth_date": "2026-02-28",
                "child.sex": "2",
                "child.weight_g": "3200",
                "enterprise.credit_code": "91512081MA62K0260E",
            },
        )
        == []
    )
