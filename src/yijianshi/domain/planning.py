"""The planner: a bundle plus an applicant's answers and holdings becomes a plan.

    answers ──► applicable items ──► dependency graph (from data) ──► parallel stages
                                         │                              │
                                         ▼                              ▼
                             merged form, resolved materials    critical path, completion date

An item depends on another item of the plan when it needs a certificate (for the same
subject) or a data element that the other outputs. Stages are the longest-path layers of that
graph: every item of a stage can run in parallel. A material is resolved, in this order, as
`upstream` (an earlier item outputs it), `certificate` (the applicant holds a valid electronic
certificate of its type), `register` (a shared register holds it) or `applicant`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from yijianshi.domain.bundles import Bundle
from yijianshi.domain.calendar import Deadline, WorkingCalendar
from yijianshi.domain.catalog import (
    Catalog,
    Item,
    Material,
    MaterialForm,
    MaterialKey,
    Necessity,
    Ref,
)
from yijianshi.domain.errors import DomainError
from yijianshi.domain.problems import Problem, untranslated
from yijianshi.domain.text import Text


class Source(StrEnum):
    """Where a material or a field value comes from."""

    UPSTREAM = "upstream"
    CERTIFICATE = "certificate"
    REGISTER = "register"
    APPLICANT = "applicant"


@dataclass(frozen=True, slots=True)
class HeldCertificate:
    """An electronic certificate the applicant (or a family member) holds."""

    certificate: str
    subject: str = "applicant"
    number: str = ""
    status: str = "valid"  # GB/T 36903 status; only "valid" satisfies a material
    valid_until: dt.date | None = None
    valid_from: dt.date | None = None

    def valid_on(self, day: dt.date) -> bool:
        """Valid status, and `day` within the validity (an open end is unbounded)."""
        return (
            self.status == "valid"
            and (self.valid_until is None or self.valid_until >= day)
            and (self.valid_from is None or self.valid_from <= day)
        )


@dataclass(frozen=True, slots=True)
class Holdings:
    """What the applicant holds that the plan may use instead of asking."""

    certificates: tuple[HeldCertificate, ...] = ()

    def holds(self, certificate: str, subject: str, on: dt.date) -> HeldCertificate | None:
        for held in self.certificates:
            if held.certificate == certificate and held.subject == subject and held.valid_on(on):
                return held
        return None


@dataclass(frozen=True, slots=True)
class PlannedItem:
    code: str
    name: Text
    department: str
    stage: int
    depends_on: tuple[str, ...]
    promised_days: int
    starts_after_days: int  # working days after acceptance when its inputs are ready
    finishes_after_days: int
    deferrable: bool


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a value comes from: the source and the item, certificate type or register."""

    source: Source
    ref: str


@dataclass(frozen=True, slots=True)
class MergedField:
    key: str
    label: Text
    items: tuple[str, ...]
    required: bool
    prefill: Provenance | None


@dataclass(frozen=True, slots=True)
class ResolvedMaterial:
    name: Text
    certificate: str | None
    subject: str
    items: tuple[str, ...]
    source: Source
    ref: str | None
    necessity: Necessity
    form: MaterialForm

    @property
    def key(self) -> MaterialKey:
        """The material's key, as on the items that ask for it (MaterialKey)."""
        return MaterialKey.of(self.certificate, self.subject, self.name.zh)


@dataclass(frozen=True, slots=True)
class Metrics:
    """Counts that compare applying item by item with applying for the bundle."""

    forms: int
    fields: int
    materials: int
    departments: int
    trips: int
    working_days: int


@dataclass(frozen=True, slots=True)
class Plan:
    bundle: Bundle
    answers: Mapping[str, str]
    start: dt.date
    items: tuple[PlannedItem, ...]
    stages: tuple[tuple[str, ...], ...]
    critical_path: tuple[str, ...]
    completion: Deadline
    fields: tuple[MergedField, ...]
    materials: tuple[ResolvedMaterial, ...]
    before: Metrics
    after: Metrics
    skipped: tuple[str, ...] = field(default=())  # bundle items the answers ruled out


class DependencyCycle(DomainError):
    """Items of a bundle need each other's outputs, so none can go first."""

    def __init__(self, cycle: Sequence[str]) -> None:
        super().__init__("items depend on each other in a cycle: " + " -> ".join(cycle))
        self.cycle = tuple(cycle)


def dependencies(catalog: Catalog, codes: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """For each item code, the codes among `codes` whose outputs it needs (in `codes` order)."""
    present = set(codes)
    graph: dict[str, tuple[str, ...]] = {}
    for code in codes:
        needed: set[str] = set()
        for thing in catalog.items[code].needs():
            needed.update(p for p in catalog.producers.get(thing, ()) if p in present)
        needed.discard(code)
        graph[code] = tuple(c for c in codes if c in needed)
    return graph


def find_cycle(graph: Mapping[str, Sequence[str]]) -> list[str] | None:
    """Return one cycle of the graph as a closed list of codes, or None."""
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for upstream in graph.get(node, ()):
            if state.get(upstream) == 1:
                return [*stack[stack.index(upstream) :], upstream]
            if upstream not in state and (cycle := visit(upstream)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in graph:
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def cycle_problems(catalog: Catalog) -> list[Problem[Ref]]:
    """One problem per bundle whose items (all of them applicable) form a dependency cycle."""
    problems = []
    for bundle in catalog.bundles.values():
        codes = [entry.item for entry in bundle.items if entry.item in catalog.items]
        cycle = find_cycle(dependencies(catalog, codes))
        if cycle:
            problems.append(
                Problem(
                    Ref("bundle", bundle.code, ("items",)),
                    untranslated("items depend on each other in a cycle: " + " -> ".join(cycle)),
                )
            )
    return problems


@dataclass(frozen=True, slots=True)
class _Schedule:
    stage: dict[str, int]
    start: dict[str, int]
    finish: dict[str, int]


def _schedule(catalog: Catalog, order: Sequence[str], graph: Mapping[str, Sequence[str]]) -> _Schedule:
    stage: dict[str, int] = {}
    start: dict[str, int] = {}
    finish: dict[str, int] = {}
    for code in order:
        upstream = graph[code]
        stage[code] = 1 + max((stage[u] for u in upstream), default=0)
        start[code] = max((finish[u] for u in upstream), default=0)
        finish[code] = start[code] + catalog.items[code].promised_days
    return _Schedule(stage, start, finish)


def _topological(graph: Mapping[str, Sequence[str]]) -> list[str]:
    order: list[str] = []
    done: set[str] = set()

    def visit(node: str, path: tuple[str, ...]) -> None:
        if node in done:
            return
        if node in path:
            raise DependencyCycle([*path[path.index(node) :], node])
        for upstream in graph[node]:
            visit(upstream, (*path, node))
        done.add(node)
        order.append(node)

    for node in graph:
        visit(node, ())
    return order


def _critical_path(
    graph: Mapping[str, Sequence[str]], schedule: _Schedule, order: Sequence[str]
) -> tuple[str, ...]:
    """The chain that ends last; among equals, the longest chain, then the earliest listed."""
    if not order:
        return ()
    depth: dict[str, int] = {}
    for code in order:
        depth[code] = 1 + max((depth[u] for u in graph[code]), default=0)
    position = {code: index for index, code in enumerate(graph)}
    node: str | None = max(order, key=lambda c: (schedule.finish[c], depth[c], -position[c]))
    path: list[str] = []
    while node is not None:
        path.append(node)
        upstream = [u for u in graph[node] if schedule.finish[u] == schedule.start[node]]
        node = max(upstream, key=lambda c: (depth[c], -position[c])) if upstream else None
    return tuple(reversed(path))


def _upstream_of(
    catalog: Catalog, graph: Mapping[str, Sequence[str]], thing: tuple[str, str] | str, users: Sequence[str]
) -> str | None:
    """The plan item that outputs `thing` for every item in `users`, if any."""
    for producer in catalog.producers.get(thing, ()):
        if producer in graph and all(producer in graph[user] for user in users):
            return producer
    return None


def _merged_fields(
    catalog: Catalog, graph: Mapping[str, Sequence[str]], holdings: Holdings, on: dt.date
) -> tuple[MergedField, ...]:
    users: dict[str, list[str]] = {}
    required: dict[str, bool] = {}
    for code in graph:
        for form_field in catalog.items[code].fields:
            users.setdefault(form_field.key, []).append(code)
            required[form_field.key] = required.get(form_field.key, False) or form_field.required
    fields = []
    for key, codes in users.items():
        element = catalog.elements.get(key)
        label = element.label if element else Text(key, key)
        fields.append(
            MergedField(
                key, label, tuple(codes), required[key], _prefill(catalog, graph, holdings, on, key, codes)
            )
        )
    return tuple(fields)


def _prefill(
    catalog: Catalog,
    graph: Mapping[str, Sequence[str]],
    holdings: Holdings,
    on: dt.date,
    key: str,
    codes: Sequence[str],
) -> Provenance | None:
    producer = _upstream_of(catalog, graph, key, codes)
    if producer is not None:
        return Provenance(Source.UPSTREAM, producer)
    subject, _, suffix = key.partition(".")
    for held in holdings.certificates:
        certificate = catalog.certificates.get(held.certificate)
        if certificate and held.subject == subject and suffix in certificate.elements and held.valid_on(on):
            return Provenance(Source.CERTIFICATE, held.certificate)
    register = catalog.register_for_element(key)
    return Provenance(Source.REGISTER, register) if register else None


def _resolve(
    catalog: Catalog,
    graph: Mapping[str, Sequence[str]],
    holdings: Holdings,
    on: dt.date,
    material: Material,
    codes: Sequence[str],
) -> tuple[Source, str | None]:
    if material.certificate is None:
        return Source.APPLICANT, None
    thing = (material.certificate, material.subject)
    producer = _upstream_of(catalog, graph, thing, codes)
    if producer is not None:
        return Source.UPSTREAM, producer
    if holdings.holds(material.certificate, material.subject, on):
        return Source.CERTIFICATE, material.certificate
    register = catalog.register_for_certificate.get(material.certificate)
    if register is not None:
        return Source.REGISTER, register
    return Source.APPLICANT, None


def _materials(
    catalog: Catalog, graph: Mapping[str, Sequence[str]], holdings: Holdings, on: dt.date
) -> tuple[ResolvedMaterial, ...]:
    first: dict[MaterialKey, Material] = {}
    users: dict[MaterialKey, list[str]] = {}
    necessity: dict[MaterialKey, Necessity] = {}
    rank = {Necessity.REQUIRED: 0, Necessity.LATER: 1, Necessity.OPTIONAL: 2}
    for code in graph:
        for material in catalog.items[code].materials:
            key = material.key
            first.setdefault(key, material)
            users.setdefault(key, []).append(code)
            current = necessity.get(key, material.necessity)
            necessity[key] = min(current, material.necessity, key=rank.__getitem__)
    resolved = []
    for key, material in first.items():
        codes = users[key]
        source, ref = _resolve(catalog, graph, holdings, on, material, codes)
        resolved.append(
            ResolvedMaterial(
                material.name,
                material.certificate,
                material.subject,
                tuple(codes),
                source,
                ref,
                necessity[key],
                material.form,
            )
        )
    return tuple(resolved)


def _before(catalog: Catalog, items: Sequence[Item]) -> Metrics:
    return Metrics(
        forms=sum(1 for item in items if item.form is not None),
        fields=sum(len(item.fields) for item in items),
        materials=sum(len(item.materials) for item in items),
        departments=len({item.department for item in items}),
        trips=sum(item.trips for item in items),
        working_days=sum(item.promised_days for item in items),
    )


def _after(
    items: Sequence[Item],
    fields: Sequence[MergedField],
    materials: Sequence[ResolvedMaterial],
    working_days: int,
) -> Metrics:
    asked = [m for m in materials if m.source is Source.APPLICANT]
    must_appear = any(item.presence_required for item in items) or any(
        m.form is MaterialForm.PAPER for m in asked if m.necessity is Necessity.REQUIRED
    )
    return Metrics(
        forms=1 if fields else 0,
        fields=sum(1 for f in fields if f.prefill is None),
        materials=len(asked),
        departments=1 if items else 0,  # the applicant deals with one window (一窗受理)
        trips=1 if must_appear else 0,
        working_days=working_days,
    )


def build_plan(
    catalog: Catalog,
    bundle: Bundle,
    answers: Mapping[str, str],
    holdings: Holdings,
    calendar: WorkingCalendar,
    start: dt.date,
) -> Plan:
    """Plan `bundle` for an applicant.

    `answers` may omit questions (their defaults apply); `start` is the day the application
    is accepted, not itself counted. Raises InvalidAnswers, DependencyCycle, or
    CalendarOutOfRange when the completion date falls past every known schedule.
    """
    resolved = bundle.resolve_answers(answers)
    codes = bundle.applicable(resolved)
    graph = dependencies(catalog, codes)
    order = _topological(graph)
    schedule = _schedule(catalog, order, graph)
    items = [catalog.items[code] for code in codes]
    planned = tuple(
        PlannedItem(
            code,
            catalog.items[code].name,
            catalog.items[code].department,
            schedule.stage[code],
            graph[code],
            catalog.items[code].promised_days,
            schedule.start[code],
            schedule.finish[code],
            catalog.items[code].deferrable,
        )
        for code in codes
    )
    depth = max(schedule.stage.values(), default=0)
    stages = tuple(tuple(c for c in codes if schedule.stage[c] == n) for n in range(1, depth + 1))
    working_days = max(schedule.finish.values(), default=0)
    fields = _merged_fields(catalog, graph, holdings, start)
    materials = _materials(catalog, graph, holdings, start)
    return Plan(
        bundle=bundle,
        answers=resolved,
        start=start,
        items=planned,
        stages=stages,
        critical_path=_critical_path(graph, schedule, order),
        completion=calendar.add_working_days(start, working_days),
        fields=fields,
        materials=materials,
        before=_before(catalog, items),
        after=_after(items, fields, materials, working_days),
        skipped=tuple(entry.item for entry in bundle.items if entry.item not in graph),
    )
