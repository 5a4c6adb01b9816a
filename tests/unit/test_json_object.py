"""A dispatch's payload as read from the outbox: its text, parsed only when used."""

import json

from yijianshi.adapters.sql.outbox import JsonObject


def test_a_json_object_reads_as_the_mapping_its_text_holds() -> None:
    text = '{"child.name":"王小明","mother.id_number":"330381199001011234"}'
    payload = JsonObject(text)
    assert payload == json.loads(text)
    assert dict(payload) == json.loads(text)
    assert payload["child.name"] == "王小明"
    assert len(payload) == 2
    assert payload.text is text  # handed on as it was read


def test_a_json_object_is_not_parsed_until_used() -> None:
    payload = JsonObject("not json at all")
    assert payload.text == "not json at all"
