import dataclasses
import datetime as dt
import hashlib
import json
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yijianshi.domain import audit
from yijianshi.domain.audit import (
    GENESIS,
    AuditEvent,
    AuditRecord,
    Break,
    Head,
    canonical_bytes,
    event_hash,
    from_cloudevent_json,
    head_of,
    to_cloudevent_json,
    verify,
)
from yijianshi.domain.errors import InvalidAuditEvent
from yijianshi.services.ids import TimeOrderedIds

SOURCE = "/applications/A1"
T0 = dt.datetime(2026, 3, 2, 1, 2, 3, 4, tzinfo=dt.UTC)
BEIJING = dt.timezone(dt.timedelta(hours=8))
IDS = TimeOrderedIds()  # the domain makes no ids: a store gives each entry one


def append(entries: Any, **fields: Any) -> AuditEvent:
    """`audit.append` with a new id unless the test names one."""
    return audit.append(entries, **{"id": IDS(), **fields})


def append_after(head: Any, **fields: Any) -> AuditEvent:
    """`audit.append_after` with a new id unless the test names one."""
    return audit.append_after(head, **{"id": IDS(), **fields})


def seal_after(head: Any, **fields: Any) -> tuple[Head, str]:
    """`audit.seal_after` with a new id unless the test names one."""
    return audit.seal_after(head, **{"id": IDS(), **fields})


def a_log(length: int = 5) -> list[AuditEvent]:
    entries: list[AuditEvent] = []
    for n in range(length):
        reads = n % 2 == 1
        entries.append(
            append(
                entries,
                id=f"e{n}",
                source=SOURCE,
                time=T0 + dt.timedelta(minutes=n),
                actor="clerk-7",
                type="org.yijianshi.personal_data.read" if reads else "org.yijianshi.case.accepted",
                subject="case-1",
                data={"step": n, "申请人": "张三"},
                purpose="办理出生登记" if reads else "",
            )
        )
    return entries


def rehashed(event: AuditEvent) -> AuditEvent:
    return dataclasses.replace(event, hash=event_hash(event))


def test_a_chain_of_appended_events_verifies() -> None:
    result = verify(a_log(), head=head_of(a_log()))
    assert result.ok
    assert result.index is None


def test_each_entry_counts_from_zero_and_carries_the_previous_hash() -> None:
    entries = a_log()
    assert [e.sequence for e in entries] == [0, 1, 2, 3, 4]
    assert [e.prevhash for e in entries] == [GENESIS] + [e.hash for e in entries[:-1]]


def test_an_empty_log_verifies_against_an_empty_head() -> None:
    assert verify([], head=head_of([])).ok
    assert head_of([]) == Head(0, GENESIS)


def test_appending_to_only_the_last_entry_gives_the_same_entry() -> None:
    entries = a_log()
    fields = {"source": SOURCE, "type": "org.yijianshi.case.closed", "time": T0, "actor": "a", "id": "x"}
    assert append(entries[-1:], **fields) == append(entries, **fields)  # type: ignore[arg-type]


_TEXT = st.text(st.characters(codec="utf-8"), min_size=1, max_size=12)
_HEX = st.text("0123456789abcdef", min_size=64, max_size=64)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | _TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=8,
)
_CHANGES: dict[str, st.SearchStrategy[object]] = {
    "id": _TEXT,
    "source": _TEXT,
    "type": _TEXT,
    "subject": _TEXT,
    "actor": _TEXT,
    "purpose": st.text(st.characters(codec="utf-8"), max_size=12),
    "time": st.datetimes(timezones=st.just(dt.UTC)),
    "data": st.dictionaries(_TEXT, _JSON, max_size=4),
    "sequence": st.integers(0, 10**9),
    "prevhash": _HEX,
    "hash": _HEX,
}


@given(st.data())
def test_changing_any_attribute_of_any_entry_is_caught_at_that_entry(data: st.DataObject) -> None:
    entries = a_log()
    index = data.draw(st.integers(0, len(entries) - 1), label="index")
    attribute = data.draw(st.sampled_from(sorted(_CHANGES)), label="attribute")
    original = getattr(entries[index], attribute)
    value = data.draw(_CHANGES[attribute].filter(lambda v: v != original), label="value")
    entries[index] = dataclasses.replace(entries[index], **{attribute: value})  # type: ignore[arg-type]
    result = verify(entries)
    assert (result.index, result.event_id) == (index, entries[index].id)
    assert Break.CHANGED in result.breaks


def test_removing_a_middle_entry_is_named_at_the_entry_after_the_gap() -> None:
    entries = a_log()
    del entries[2]
    result = verify(entries)
    assert (result.index, result.event_id) == (2, "e3")
    assert set(result.breaks) == {Break.UNLINKED, Break.OUT_OF_SEQUENCE}
    assert "entry 2 (id e3)" in result.detail


@pytest.mark.parametrize(("first", "second"), [(0, 1), (1, 3), (3, 4)])
def test_swapping_two_entries_is_caught_at_the_first_of_them(first: int, second: int) -> None:
    entries = a_log()
    entries[first], entries[second] = entries[second], entries[first]
    result = verify(entries)
    assert (result.index, result.event_id) == (first, f"e{second}")
    assert set(result.breaks) == {Break.UNLINKED, Break.OUT_OF_SEQUENCE}


def test_a_duplicated_entry_is_caught_at_the_copy() -> None:
    entries = a_log()
    entries.insert(3, entries[2])
    result = verify(entries)
    assert (result.index, result.event_id) == (3, "e2")
    assert set(result.breaks) == {Break.UNLINKED, Break.OUT_OF_SEQUENCE}


def test_a_truncated_tail_is_caught_only_with_the_head() -> None:
    entries = a_log()
    head = head_of(entries)
    assert verify(entries[:3]).ok
    result = verify(entries[:3], head=head)
    assert (result.index, result.event_id, result.breaks) == (3, None, (Break.TRUNCATED,))


def test_a_log_longer_than_its_head_is_named_at_the_first_entry_beyond_it() -> None:
    entries = a_log()
    result = verify(entries, head=head_of(entries[:4]))
    assert (result.index, result.event_id, result.breaks) == (4, "e4", (Break.BEYOND_HEAD,))


def test_a_log_rewritten_with_recomputed_hashes_is_caught_only_with_the_head() -> None:
    original = a_log()
    forged: list[AuditEvent] = []
    for entry in original:
        forged.append(
            append(
                forged,
                source=entry.source,
                type=entry.type,
                time=entry.time,
                actor="someone-else",
                data=entry.data,
                id=entry.id,
            )
        )
    assert verify(forged).ok
    result = verify(forged, head=head_of(original))
    assert (result.index, result.breaks) == (4, (Break.HEAD_MISMATCH,))


def test_an_entry_of_another_application_is_caught_even_when_chained_correctly() -> None:
    entries = a_log(3)
    foreign = rehashed(dataclasses.replace(entries[2], id="b2", source="/applications/B1"))
    entries[2] = foreign
    result = verify(entries)
    assert (result.index, result.event_id, result.breaks) == (2, "b2", (Break.FOREIGN,))


def test_a_log_of_another_application_is_caught_when_the_application_is_named() -> None:
    assert verify(a_log(), source="/applications/B1").breaks == (Break.FOREIGN,)


def test_appending_an_event_of_another_application_is_refused() -> None:
    with pytest.raises(InvalidAuditEvent, match="belongs to '/applications/A1'") as raised:
        append(
            a_log(), source="/applications/B1", type="org.yijianshi.case.accepted", time=T0, actor="clerk-7"
        )
    assert raised.value.attribute == "source"


def hand_example() -> AuditEvent:
    return append(
        [],
        id="e0",
        source=SOURCE,
        type="org.yijianshi.case.accepted",
        time=dt.datetime(2026, 3, 2, 9, 2, 3, 4, tzinfo=BEIJING),
        actor="clerk-7",
        subject="case-1",
        data={"姓名": "张三", "step": 1},
    )


HAND_CANONICAL = (
    '{"actor":"clerk-7","data":{"step":1,"姓名":"张三"},"datacontenttype":"application/json",'
    '"id":"e0","prevhash":"' + "0" * 64 + '","purpose":"","sequence":0,"source":"/applications/A1",'
    '"specversion":"1.0","subject":"case-1","time":"2026-03-02T01:02:03.000004Z",'
    '"type":"org.yijianshi.case.accepted"}'
)


def test_the_canonical_form_is_sorted_compact_utf8_json_in_utc() -> None:
    assert canonical_bytes(hand_example()) == HAND_CANONICAL.encode("utf-8")


def test_the_hash_is_sha256_over_prevhash_then_the_canonical_bytes() -> None:
    by_hand = hashlib.sha256(("0" * 64 + HAND_CANONICAL).encode("utf-8")).hexdigest()
    # Computed once outside Python: printf '%s%s' "$GENESIS" "$HAND_CANONICAL" | sha256sum
    assert by_hand == "039e0551f47c7af30421d923a5d983ac85bd0528d510e953107747a2fa909e9f"
    assert hand_example().hash == by_hand


def test_json_round_trip_preserves_every_entry_and_its_hash() -> None:
    for entry in a_log():
        back = from_cloudevent_json(json.loads(json.dumps(to_cloudevent_json(entry))))
        assert back == entry
        assert event_hash(back) == entry.hash


@given(
    st.dictionaries(
        st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1), _JSON, max_size=4
    )
)
def test_chinese_text_in_data_hashes_the_same_after_a_round_trip(data: dict[str, object]) -> None:
    entry = append(
        a_log(2),
        source=SOURCE,
        type="org.yijianshi.case.accepted",
        time=T0,
        actor="窗口人员",
        purpose="申请事由",
        data=data,
    )  # type: ignore[arg-type]
    for ensure_ascii in (True, False):
        text = json.dumps(to_cloudevent_json(entry), ensure_ascii=ensure_ascii)
        assert event_hash(from_cloudevent_json(json.loads(text))) == entry.hash


def test_a_structured_cloudevent_has_extensions_at_top_level_with_lowercase_names() -> None:
    document = to_cloudevent_json(a_log(2)[1])
    assert {"actor", "purpose", "sequence", "prevhash", "hash"} <= set(document)
    assert document["specversion"] == "1.0"
    assert document["datacontenttype"] == "application/json"
    assert all(re.fullmatch("[a-z0-9]+", name) for name in document)


def test_time_is_written_in_utc_with_microseconds() -> None:
    assert to_cloudevent_json(hand_example())["time"] == "2026-03-02T01:02:03.000004Z"


def test_an_event_without_subject_leaves_the_attribute_out() -> None:
    entry = append([], source=SOURCE, type="org.yijianshi.application.submitted", time=T0, actor="a")
    assert "subject" not in to_cloudevent_json(entry)
    assert from_cloudevent_json(to_cloudevent_json(entry)) == entry


@pytest.mark.parametrize(
    "attribute",
    [
        "specversion",
        "id",
        "source",
        "type",
        "time",
        "datacontenttype",
        "data",
        "actor",
        "purpose",
        "sequence",
        "prevhash",
        "hash",
    ],
)
def test_a_missing_attribute_is_refused_by_name(attribute: str) -> None:
    document = to_cloudevent_json(a_log(1)[0])
    del document[attribute]
    with pytest.raises(InvalidAuditEvent, match=f"'{attribute}' is missing") as raised:
        from_cloudevent_json(document)
    assert raised.value.attribute == attribute


@pytest.mark.parametrize(
    ("attribute", "value", "message"),
    [
        ("sequence", "3", "must be an integer, is a string"),
        ("sequence", True, "must be an integer, is a boolean"),
        ("sequence", -1, "must not be negative"),
        ("data", [1, 2], "must be an object, is an array"),
        ("data", {"amount": 1.5}, "data.amount is a number"),
        ("time", 1772413323, "must be a string, is an integer"),
        ("time", "yesterday", "must be an RFC 3339 timestamp"),
        ("time", "2026-03-02T01:02:03", "must carry a UTC offset"),
        ("subject", 7, "must be a string, is an integer"),
        ("subject", "", "must be absent or not empty"),
        ("id", "", "must not be empty"),
        ("specversion", "0.3", "must be '1.0'"),
        ("datacontenttype", "text/plain", "must be 'application/json'"),
        ("actor", None, "must be a string, is null"),
        ("colour", "red", "is not an attribute"),
    ],
)
def test_an_ill_formed_attribute_is_refused_by_name(attribute: str, value: object, message: str) -> None:
    document: dict[str, object] = {**to_cloudevent_json(a_log(1)[0]), attribute: value}
    with pytest.raises(InvalidAuditEvent, match=re.escape(message)) as raised:
        from_cloudevent_json(document)
    assert raised.value.attribute == attribute


def test_a_naive_time_from_the_caller_is_refused() -> None:
    with pytest.raises(InvalidAuditEvent, match="'time' must be timezone-aware"):
        append(
            [],
            source=SOURCE,
            type="org.yijianshi.case.accepted",
            time=dt.datetime(2026, 3, 2),
            actor="clerk-7",
        )


def test_data_is_copied_so_the_caller_cannot_change_an_entry_afterwards() -> None:
    data: dict[str, object] = {"names": ["张三"]}
    entry = append([], source=SOURCE, type="t", time=T0, actor="a", data=data)  # type: ignore[arg-type]
    data["names"].append("李四")  # type: ignore[attr-defined]
    assert verify([entry]).ok


def test_text_that_cannot_be_written_as_utf8_is_refused_by_name() -> None:
    with pytest.raises(InvalidAuditEvent, match="'actor' holds a lone surrogate"):
        append([], source=SOURCE, type="t", time=T0, actor="clerk\ud800")
    with pytest.raises(InvalidAuditEvent, match=r"data\.names\[0\] holds a lone surrogate"):
        append([], source=SOURCE, type="t", time=T0, actor="a", data={"names": ["\udc00"]})


def test_appending_after_a_head_continues_the_same_chain() -> None:
    time = dt.datetime(2026, 3, 2, 1, 2, 3, tzinfo=dt.UTC)
    entries: list[AuditEvent] = []
    head = None
    for n in range(4):
        entry = append_after(
            head,
            source="/applications/A1",
            type="org.yijianshi.case.sent",
            time=time,
            actor="worker",
            data={"n": n},
        )
        entries.append(entry)
        head = head_of(entries)
    assert verify(entries, head).ok
    assert [e.sequence for e in entries] == [0, 1, 2, 3]


_SEAL_CASES = [
    {
        "data": {"step": 1, "申请人": "张三", "items": ["a", "b"], "nested": {"ok": True, "none": None}},
        "subject": "case-1",
        "purpose": "办理出生登记",
    },
    {"data": {"tuple": ("x", 2), "enum": Break.CHANGED.name}, "subject": None, "purpose": ""},
    {"data": None, "subject": None, "purpose": ""},
]


@pytest.mark.parametrize("fields", _SEAL_CASES)
def test_a_sealed_entry_is_the_appended_entry_as_a_store_keeps_it(fields: dict[str, object]) -> None:
    head = head_of(a_log(3))
    time = T0.astimezone(BEIJING)
    after, text = seal_after(
        head, source=SOURCE, type="org.yijianshi.case.sent", time=time, actor="worker", id="e9", **fields
    )  # type: ignore[arg-type]
    entry = append_after(
        head, source=SOURCE, type="org.yijianshi.case.sent", time=time, actor="worker", id="e9", **fields
    )  # type: ignore[arg-type]
    assert from_cloudevent_json(json.loads(text)) == entry
    assert after == Head(4, entry.hash)
    assert verify([*a_log(3), entry], after).ok


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"actor": "clerk\ud800"}, "'actor' holds a lone surrogate"),
        ({"data": {"names": ["\udc00"]}}, r"data\.names\[0\] holds a lone surrogate"),
        ({"data": {"amount": 1.5}}, r"data\.amount is a number"),
        ({"data": {1: "one"}}, "has a key that is not text"),
        ({"subject": ""}, "'subject' must be absent or not empty"),
        ({"actor": ""}, "'actor' must not be empty"),
        ({"time": dt.datetime(2026, 3, 2)}, "'time' must be timezone-aware"),
    ],
)
def test_sealing_refuses_what_appending_refuses_by_name(fields: dict[str, object], message: str) -> None:
    given: dict[str, object] = {"source": SOURCE, "type": "t", "time": T0, "actor": "a", **fields}
    with pytest.raises(InvalidAuditEvent, match=message):
        seal_after(None, **given)  # type: ignore[arg-type]
    with pytest.raises(InvalidAuditEvent, match=message):
        append_after(None, **given)  # type: ignore[arg-type]


def test_a_sealed_entry_of_data_the_quick_check_passes_over_is_still_the_same() -> None:
    class Code(str):
        pass

    after, text = seal_after(
        None, source=SOURCE, type="t", time=T0, actor="a", id="e0", data={"code": Code("111")}
    )
    entry = append_after(None, source=SOURCE, type="t", time=T0, actor="a", id="e0", data={"code": "111"})
    assert from_cloudevent_json(json.loads(text)) == entry
    assert after.hash == entry.hash


ADraft = AuditRecord  # what a use case hands the store to seal


def test_sealing_many_chains_them_as_appending_one_by_one_would() -> None:
    drafts = [
        ADraft("org.yijianshi.case.ready", T0, "worker", "case-1"),
        ADraft("org.yijianshi.case.sent", T0, "worker", "case-1", {"n": 1}),
        ADraft("org.yijianshi.personal_data.read", T0, "clerk", None, {"who": ["张三"]}, "核验"),
    ]
    head, texts = audit.seal_many(head_of(a_log(2)), SOURCE, drafts, IDS)
    entries = [*a_log(2), *(from_cloudevent_json(json.loads(text)) for text in texts)]
    assert [e.sequence for e in entries] == [0, 1, 2, 3, 4]
    assert verify(entries, head).ok
    assert [e.type for e in entries[2:]] == [d.type for d in drafts]
    assert audit.seal_many(None, SOURCE, [], IDS) == (None, [])


def test_sealing_many_refuses_an_ill_formed_draft_by_name() -> None:
    with pytest.raises(InvalidAuditEvent, match=r"data\.amount is a number"):
        audit.seal_many(None, SOURCE, [ADraft("t", T0, "a"), ADraft("t", T0, "a", data={"amount": 1.5})], IDS)


_ANY_DATA = st.dictionaries(
    _TEXT, st.none() | st.booleans() | st.integers() | _TEXT | st.lists(_TEXT, max_size=3), max_size=3
)


@given(_TEXT, _TEXT, _TEXT, st.none() | _TEXT, st.text(st.characters(codec="utf-8"), max_size=8), _ANY_DATA)
def test_a_sealed_entry_is_written_in_canonical_form_whatever_its_text(
    source: str, kind: str, actor: str, subject: str | None, purpose: str, data: dict[str, object]
) -> None:
    fields = {
        "source": source,
        "type": kind,
        "time": T0,
        "actor": actor,
        "data": data,
        "subject": subject,
        "purpose": purpose,
        "id": "e1",
    }
    head, text = seal_after(None, **fields)  # type: ignore[arg-type]
    entry = append_after(None, **fields)  # type: ignore[arg-type]
    assert text == canonical_bytes(entry).decode("utf-8")[:-1] + f',"hash":"{entry.hash}"}}'
    assert head.hash == entry.hash
