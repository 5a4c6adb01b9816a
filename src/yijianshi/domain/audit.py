r"""The audit trail (审计日志): per application, an append-only, hash-chained log of CloudEvents.

Every state change and every read of personal data is one `AuditEvent`. Entry n of a log has
`sequence == n` and the hash of entry n-1 as `prevhash`; a store keeps the `Head` apart from the log:

    GENESIS <-prevhash- e0 <-prevhash- e1 <- ... <-prevhash- e(n-1)    Head(count=n, hash=e(n-1).hash)

Hash construction, for an auditor to re-implement:
1. Write the event as structured-mode CloudEvents JSON (`to_cloudevent_json`) and drop `hash`. Left:
   specversion, id, source, type, subject (only when set), time, datacontenttype, data, actor,
   purpose, sequence (a JSON integer), prevhash. `time` is RFC 3339 in UTC with six fractional
   digits and "Z": `2026-03-02T01:02:03.000004Z`.
2. Serialise that canonically, as UTF-8: keys of every object sorted by code point; "," and ":" as
   separators, no whitespace; non-ASCII characters as themselves; only `"`, `\` and U+0000-U+001F
   escaped (`\"`, `\\`, `\b \t \n \f \r`, else `\u00xx` in lower-case hex). In Python:
   `json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")`.
3. hash = lower-case hex SHA-256 of the UTF-8 `prevhash` followed by those bytes:
   `sha256(prevhash.encode() + canonical).hexdigest()`. The first prevhash is `GENESIS`, 64 zeros.
`data` holds strings, integers, booleans, null, arrays and objects; floats are refused, as JSON
libraries write them differently, which would make step 2 ambiguous.

`verify` names the first bad entry: content not matching its hash (changed), a prevhash not the
previous entry's hash (an entry removed or reordered before it), a sequence not its position (gap,
duplicate, wrong order), a source not the log's (another application's entry). The chain alone cannot
show a removed *last* entry, nor a log rewritten with every hash recomputed: both leave a valid chain.
Verifying against the head kept apart from the log, `verify(entries, head=Head(count, hash))`,
catches both, unless the head was rewritten too.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeAlias, TypeVar, cast

from yijianshi.domain.errors import InvalidAuditEvent

GENESIS = "0" * 64
SPECVERSION = "1.0"
DATACONTENTTYPE = "application/json"
JSONValue: TypeAlias = "str | int | bool | Sequence[JSONValue] | Mapping[str, JSONValue] | None"

_T = TypeVar("_T")
_REQUIRED_TEXT = ("id", "source", "type", "actor")
_FREE_TEXT = (*_REQUIRED_TEXT, "subject", "purpose", "prevhash", "hash")
_TEXT = ("specversion", "datacontenttype", "time", *_REQUIRED_TEXT, "purpose", "prevhash", "hash")
_SURROGATE = re.compile(r"[\ud800-\udfff]")  # a lone surrogate cannot be written as UTF-8
_ATTRIBUTES = frozenset((*_TEXT, "subject", "data", "sequence"))
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode
_TEXT_OF: Callable[[str], str] = json.encoder.encode_basestring  # a string as the encoder writes it


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """One entry of an application's audit log (审计事件): a CloudEvent 1.0.

    `source` names the application ("/applications/<id>"), `type` the change in reverse-DNS form
    ("org.yijianshi.case.accepted", "org.yijianshi.personal_data.read"), `subject` the case, if any;
    `time` is timezone-aware, from the caller's clock. Extensions: `actor` (who acted), `purpose`
    (申请事由 given for reading personal data, else ""), `sequence`, `prevhash`, `hash`; `append`
    fills the last three. `data` is copied. Raises InvalidAuditEvent naming the attribute when one
    is empty where CloudEvents forbids it, holds a lone surrogate, `time` is naive, `sequence`
    negative, or `data` not JSON this log accepts.
    """

    id: str
    source: str
    type: str
    time: dt.datetime
    actor: str
    sequence: int
    prevhash: str
    hash: str
    data: Mapping[str, JSONValue] = field(default_factory=dict)
    subject: str | None = None
    purpose: str = ""
    specversion: str = SPECVERSION
    datacontenttype: str = DATACONTENTTYPE

    def __post_init__(self) -> None:
        problem = _event_problem(self)
        if problem:
            raise InvalidAuditEvent(*problem)
        object.__setattr__(self, "data", json.loads(json.dumps(self.data)))


@dataclass(frozen=True, slots=True)
class Head:
    """What a store keeps apart from an application's log: how many entries, the last one's hash."""

    count: int
    hash: str


class Break(enum.Enum):
    """Why an entry, or the log as a whole, fails verification."""

    CHANGED = "hash does not match the content: the entry was changed"
    UNLINKED = "prevhash is not the previous entry's hash: an entry was removed or reordered"
    OUT_OF_SEQUENCE = "sequence is not the entry's position: a gap, duplicate or wrong order"
    FOREIGN = "source is not the log's: an entry of another application"
    TRUNCATED = "fewer entries than the head records: the tail was removed"
    BEYOND_HEAD = "more entries than the head records"
    HEAD_MISMATCH = "the last hash is not the head's: the log was rewritten"


@dataclass(frozen=True, slots=True)
class VerifyResult:
    """The outcome of `verify`: ok, or the first bad entry's 0-based `index` (for a truncated log, the
    first missing one's), its `event_id` (None if missing), what `breaks` there, a `detail` for people."""

    index: int | None = None
    event_id: str | None = None
    breaks: tuple[Break, ...] = ()
    detail: str = ""

    @property
    def ok(self) -> bool:
        return not self.breaks


def append(
    entries: Sequence[AuditEvent],
    *,
    source: str,
    type: str,
    time: dt.datetime,
    actor: str,
    data: Mapping[str, JSONValue] | None = None,
    subject: str | None = None,
    purpose: str = "",
    id: str,
) -> AuditEvent:
    """Return the entry that follows `entries`, the application's log so far, oldest first.

    Only the last entry is read (and not verified), so a store may pass just that one. `id` is the
    entry's id, made by the caller's id source (the domain makes no ids). Raises
    InvalidAuditEvent when `source` is not the log's or an attribute is ill-formed.
    """
    last = entries[-1] if entries else None
    if last is not None and last.source != source:
        raise InvalidAuditEvent("source", f"is {source!r} but this log belongs to {last.source!r}")
    head = Head(last.sequence + 1, last.hash) if last else None
    return append_after(
        head,
        source=source,
        type=type,
        time=time,
        actor=actor,
        data=data,
        subject=subject,
        purpose=purpose,
        id=id,
    )


def append_after(
    head: Head | None,
    *,
    source: str,
    type: str,
    time: dt.datetime,
    actor: str,
    data: Mapping[str, JSONValue] | None = None,
    subject: str | None = None,
    purpose: str = "",
    id: str,
) -> AuditEvent:
    """Return the entry that follows a log known only by its `head` (None for an empty log).

    For a store that keeps the head: the next entry's sequence is the head's count and its
    prevhash the head's hash. Raises InvalidAuditEvent when an attribute is ill-formed.
    """
    draft = AuditEvent(
        id=id,
        source=source,
        type=type,
        time=time,
        actor=actor,
        data=data or {},
        subject=subject,
        purpose=purpose,
        sequence=head.count if head else 0,
        prevhash=head.hash if head else GENESIS,
        hash="",
    )
    return _sealed(draft)


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """An entry to append to an application's audit trail, before a store seals it: the store
    gives it an id, its sequence, the previous entry's hash and its own (`seal_many`)."""

    type: str
    time: dt.datetime
    actor: str
    subject: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)
    purpose: str = ""


def seal_after(
    head: Head | None,
    *,
    source: str,
    type: str,
    time: dt.datetime,
    actor: str,
    data: Mapping[str, JSONValue] | None = None,
    subject: str | None = None,
    purpose: str = "",
    id: str,
) -> tuple[Head, str]:
    """Return the entry that follows `head` as a store keeps it, and the head after it.

    The entry is the one `append_after` makes (same attributes, same hash), written as its
    structured-mode CloudEvents JSON text with `hash` last; `from_cloudevent_json(json.loads(text))`
    reads it back. Cheaper than `append_after` for a store: the canonical JSON is encoded once,
    hashed, and kept. Raises InvalidAuditEvent as `append_after` does.
    """
    sequence, prevhash = (head.count, head.hash) if head else (0, GENESIS)
    digest, text = _seal(sequence, prevhash, source, type, time, actor, data or {}, subject, purpose, id)
    return Head(sequence + 1, digest), text


def seal_many(
    head: Head | None, source: str, records: Iterable[AuditRecord], ids: Callable[[], str]
) -> tuple[Head | None, list[str]]:
    """`seal_after` for each of `records` in turn, each with a new id from `ids`: the head after
    the last (`head` if there are none) and the entries as a store keeps them, oldest first."""
    sequence, prevhash = (head.count, head.hash) if head else (0, GENESIS)
    texts = []
    for d in records:
        prevhash, text = _seal(
            sequence, prevhash, source, d.type, d.time, d.actor, d.data or {}, d.subject, d.purpose, ids()
        )
        sequence += 1
        texts.append(text)
    return (Head(sequence, prevhash) if texts else head), texts


def _seal(
    sequence: int,
    prevhash: str,
    source: str,
    type: str,
    time: dt.datetime,
    actor: str,
    data: Mapping[str, JSONValue],
    subject: str | None,
    purpose: str,
    id: str,
) -> tuple[str, str]:
    """The hash and the stored text of an entry (`seal_after`), by a quick path for entries
    that pass quick checks; any other goes through a validated AuditEvent, which names what is
    wrong."""
    if not (
        source and type and actor and subject != "" and time.utcoffset() is not None and _plain_object(data)
    ):
        return _seal_checked(sequence, prevhash, source, type, time, actor, data, subject, purpose, id)
    # canonical_bytes written out: the attributes in sorted order, each value as the encoder
    # writes it (the tests check it is the same text)
    text = _TEXT_OF
    canonical = (
        f'{{"actor":{text(actor)},"data":{_CANONICAL(data) if data else "{}"},'
        f'"datacontenttype":"{DATACONTENTTYPE}","id":{text(id)},'
        f'"prevhash":{text(prevhash)},"purpose":{text(purpose)},"sequence":{sequence},'
        f'"source":{text(source)},"specversion":"{SPECVERSION}",'
        + ("" if subject is None else f'"subject":{text(subject)},')
        + f'"time":"{_rfc3339(time)}","type":{text(type)}}}'
    )
    try:
        encoded = canonical.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate somewhere: let the full check name it
        return _seal_checked(sequence, prevhash, source, type, time, actor, data, subject, purpose, id)
    digest = hashlib.sha256(prevhash.encode("utf-8") + encoded).hexdigest()
    return digest, f'{canonical[:-1]},"hash":"{digest}"}}'


def _seal_checked(
    sequence: int,
    prevhash: str,
    source: str,
    type: str,
    time: dt.datetime,
    actor: str,
    data: Mapping[str, JSONValue],
    subject: str | None,
    purpose: str,
    id: str,
) -> tuple[str, str]:
    """`_seal` through a validated AuditEvent: raises InvalidAuditEvent naming the attribute."""
    event = append_after(
        Head(sequence, prevhash),
        source=source,
        type=type,
        time=time,
        actor=actor,
        data=data,
        subject=subject,
        purpose=purpose,
        id=id,
    )
    canonical = canonical_bytes(event).decode("utf-8")
    return event.hash, f'{canonical[:-1]},"hash":"{event.hash}"}}'


_SCALARS = frozenset((str, int, bool, type(None)))
_STR = frozenset((str,))


def _plain_object(value: object) -> bool:
    """Whether `value` is a dict of JSON this log accepts, lone surrogates aside (the UTF-8
    encoding of the whole entry finds those). A quick yes for the common case, mostly by the
    set of types in a container; on no, the full check (`_json_problem`) says what is wrong."""
    return type(value) is dict and set(map(type, value)) <= _STR and _plain_items(value.values())


def _plain_items(items: Iterable[object]) -> bool:
    values = list(items)
    if set(map(type, values)) <= _SCALARS:
        return True
    return all(type(v) in _SCALARS or _plain_container(v) for v in values)


def _plain_container(value: object) -> bool:
    kind = type(value)
    if kind is list or kind is tuple:
        return _plain_items(value)  # type: ignore[arg-type]
    return _plain_object(value)


@functools.lru_cache(maxsize=256)  # the events of one transaction mostly share their time
def _rfc3339(time: dt.datetime) -> str:
    return time.astimezone(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _sealed(draft: AuditEvent) -> AuditEvent:
    """The draft with its hash set. The draft was validated on creation and nobody else holds
    it yet, so it is completed in place rather than validated a second time by `replace`."""
    object.__setattr__(draft, "hash", event_hash(draft))
    return draft


def head_of(entries: Sequence[AuditEvent]) -> Head:
    """Return the head of a log that ends with `entries[-1]` (an empty log: count 0, GENESIS)."""
    return Head(entries[-1].sequence + 1, entries[-1].hash) if entries else Head(0, GENESIS)


def verify(
    entries: Sequence[AuditEvent], head: Head | None = None, *, source: str | None = None
) -> VerifyResult:
    """Check one application's log, oldest first; return ok or the first bad entry.

    `source` is the application the log belongs to (default: the first entry's source). With
    `head`, also check that nothing was cut off the end or rewritten throughout.
    """
    expected_source = source if source is not None else (entries[0].source if entries else "")
    for index, entry in enumerate(entries):
        previous = entries[index - 1].hash if index else GENESIS
        found = _entry_breaks(entry, index, previous, expected_source)
        if found:
            return _result(index, entry.id, found)
    return _head_result(entries, head) if head is not None else VerifyResult()


def event_hash(event: AuditEvent) -> str:
    """Return the hash `event` should carry: hex SHA-256 of prevhash + `canonical_bytes(event)`."""
    return hashlib.sha256(event.prevhash.encode("utf-8") + canonical_bytes(event)).hexdigest()


def canonical_bytes(event: AuditEvent) -> bytes:
    """Return the UTF-8 canonical JSON of every attribute but `hash` (module docstring, step 2)."""
    document = to_cloudevent_json(event)
    del document["hash"]
    return _CANONICAL(document).encode("utf-8")


def to_cloudevent_json(event: AuditEvent) -> dict[str, JSONValue]:
    """Return `event` as a structured-mode CloudEvents JSON object, extensions at top level."""
    document: dict[str, JSONValue] = {
        "specversion": event.specversion,
        "id": event.id,
        "source": event.source,
        "type": event.type,
        "time": _rfc3339(event.time),
        "datacontenttype": event.datacontenttype,
        # data was copied when the event was made, and an event is immutable: shared, not copied
        "data": cast(dict[str, JSONValue], event.data),
        "actor": event.actor,
        "purpose": event.purpose,
        "sequence": event.sequence,
        "prevhash": event.prevhash,
        "hash": event.hash,
    }
    if event.subject is not None:
        document["subject"] = event.subject
    return document


def from_cloudevent_json(document: Mapping[str, object]) -> AuditEvent:
    """Read a structured-mode CloudEvents JSON object written by `to_cloudevent_json`; `verify` checks
    the hash. Raises InvalidAuditEvent naming the attribute missing, unknown, ill-typed or ill-formed.
    """
    unknown = sorted(set(document) - _ATTRIBUTES)
    if unknown:
        raise InvalidAuditEvent(unknown[0], "is not an attribute of a yijianshi audit event")
    text = {name: _attribute(document, name, str, "a string") for name in _TEXT}
    subject = _attribute(document, "subject", str, "a string") if "subject" in document else None
    return AuditEvent(
        specversion=text["specversion"],
        id=text["id"],
        source=text["source"],
        type=text["type"],
        time=_parse_time(text["time"]),
        datacontenttype=text["datacontenttype"],
        actor=text["actor"],
        purpose=text["purpose"],
        prevhash=text["prevhash"],
        hash=text["hash"],
        subject=subject,
        data=_attribute(document, "data", dict, "an object"),
        sequence=_attribute(document, "sequence", int, "an integer"),
    )


def _parse_time(text: str) -> dt.datetime:
    try:
        time = dt.datetime.fromisoformat(text)
    except ValueError:
        raise InvalidAuditEvent("time", f"must be an RFC 3339 timestamp, is {text!r}") from None
    if time.utcoffset() is None:
        raise InvalidAuditEvent("time", f"must carry a UTC offset or Z, is {text!r}")
    return time.astimezone(dt.UTC)


def _attribute(document: Mapping[str, object], name: str, kind: type[_T], label: str) -> _T:
    if name not in document:
        raise InvalidAuditEvent(name, "is missing")
    value = document[name]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise InvalidAuditEvent(name, f"must be {label}, is {_json_kind(value)}")
    return value


def _json_kind(value: object) -> str:
    kinds = {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "an array",
        dict: "an object",
        type(None): "null",
    }
    return kinds.get(type(value), type(value).__name__)


def _event_problem(event: AuditEvent) -> tuple[str, str] | None:
    """Return (attribute, why) for the first ill-formed attribute, or None. Checked on every
    event appended, so each check is made only when the ones before it passed."""
    if event.specversion != SPECVERSION:
        return "specversion", f"must be {SPECVERSION!r}"
    if event.datacontenttype != DATACONTENTTYPE:
        return "datacontenttype", f"must be {DATACONTENTTYPE!r}"
    for name in _REQUIRED_TEXT:
        if not getattr(event, name):
            return name, "must not be empty"
    for name in _FREE_TEXT:
        if _SURROGATE.search(getattr(event, name) or ""):
            return name, "holds a lone surrogate"
    if event.subject == "":
        return "subject", "must be absent or not empty"
    if event.time.utcoffset() is None:
        return "time", "must be timezone-aware"
    if event.sequence < 0:
        return "sequence", "must not be negative"
    data_problem = _json_problem(event.data, "data", top=True)
    if data_problem is not None:
        return "data", f"is not JSON this log accepts: {data_problem}"
    return None


def _json_problem(value: object, where: str, *, top: bool = False) -> str | None:
    """Return "<where> <why>" when `value` is not JSON this log accepts, else None."""
    if top and not isinstance(value, Mapping):
        return f"{where} must be an object, is {_json_kind(value)}"
    if value is None or isinstance(value, bool | int):
        return None
    if isinstance(value, str):
        return f"{where} holds a lone surrogate" if _SURROGATE.search(value) else None
    if isinstance(value, list | tuple):
        return next((p for i, item in enumerate(value) if (p := _json_problem(item, f"{where}[{i}]"))), None)
    if isinstance(value, Mapping):
        if not all(isinstance(key, str) and not _SURROGATE.search(key) for key in value):
            return f"{where} has a key that is not text"
        return next((p for key, item in value.items() if (p := _json_problem(item, f"{where}.{key}"))), None)
    return f"{where} is {_json_kind(value)}; allowed: string, integer, boolean, null, array, object"


def _entry_breaks(entry: AuditEvent, index: int, previous: str, source: str) -> tuple[tuple[Break, str], ...]:
    content_hash = event_hash(entry)
    checks = (
        (Break.CHANGED, entry.hash != content_hash, f"content hashes to {content_hash[:12]}…"),
        (Break.UNLINKED, entry.prevhash != previous, f"previous entry's hash is {previous[:12]}…"),
        (Break.OUT_OF_SEQUENCE, entry.sequence != index, f"sequence {entry.sequence} at position {index}"),
        (Break.FOREIGN, entry.source != source, f"source {entry.source!r}, log {source!r}"),
    )
    return tuple((kind, detail) for kind, bad, detail in checks if bad)


def _result(index: int, event_id: str | None, found: Sequence[tuple[Break, str]]) -> VerifyResult:
    named = f"entry {index}" + (f" (id {event_id})" if event_id else "")
    detail = "; ".join(f"{kind.value} ({specific})" for kind, specific in found)
    return VerifyResult(index, event_id, tuple(kind for kind, _ in found), f"{named}: {detail}")


def _head_result(entries: Sequence[AuditEvent], head: Head) -> VerifyResult:
    count, counts = len(entries), f"head {head.count}, log {len(entries)}"
    if count != head.count:
        first = min(count, head.count)
        kind = Break.TRUNCATED if count < head.count else Break.BEYOND_HEAD
        return _result(first, entries[first].id if first < count else None, [(kind, counts)])
    last = head_of(entries)
    if last.hash != head.hash:
        found = [(Break.HEAD_MISMATCH, f"log {last.hash[:12]}…, head {head.hash[:12]}…")]
        return _result(max(count - 1, 0), entries[-1].id if entries else None, found)
    return VerifyResult()
