"""Reads a catalogue directory into domain objects, locating every problem as file:line."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from yijianshi.adapters.catalog_files import schema as s
from yijianshi.adapters.catalog_files.yaml_lines import Located, PathKey, YamlSyntaxError, load
from yijianshi.domain.bundles import Bundle, BundleItem, Question, ReportedFigures
from yijianshi.domain.catalog import (
    Catalog,
    CertificateType,
    DataElement,
    Department,
    FormField,
    Item,
    Material,
    Option,
    Produced,
    Ref,
    Register,
)
from yijianshi.domain.errors import RuleError
from yijianshi.domain.problems import Line, Problem, untranslated
from yijianshi.domain.rules import Rule
from yijianshi.domain.text import Text
from yijianshi.services.catalogue.ports import InputFileError, LoadedCatalog

M = TypeVar("M", bound=BaseModel)

DICTIONARIES = {
    "departments.yaml": ("departments", "department"),
    "data_elements.yaml": ("elements", "element"),
    "certificates.yaml": ("certificates", "certificate"),
    "registers.yaml": ("registers", "register"),
}


def text(model: s.TextModel) -> Text:
    return Text(model.zh, model.en)


def _loc(loc: Iterable[Any]) -> tuple[str | int, ...]:
    """Drop pydantic's union-branch markers (e.g. 'str', 'FieldModel') from an error path."""
    return tuple(
        part
        for part in loc
        if isinstance(part, int) or not (part[:1].isupper() or part in ("str", "function-after"))
    )


def describe_validation(error: ValidationError) -> Iterator[tuple[PathKey, str]]:
    """One (path, message) per pydantic error, worded for a person editing the file."""
    seen: set[PathKey] = set()
    for detail in error.errors():
        path = _loc(detail["loc"])
        if path in seen:  # a union reports each branch; the first says enough
            continue
        seen.add(path)
        where = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in path).replace(".[", "[")
        message = detail["msg"]
        if detail["type"] == "extra_forbidden":
            message = "unknown key (check its spelling against the JSON Schema)"
        yield path, f"{where}: {message}" if where else message


@dataclass
class _Reader:
    root: Path
    display: str
    findings: list[Problem[Line]] = field(default_factory=list)
    documents: dict[str, Located] = field(default_factory=dict)
    origin: dict[tuple[str, str], tuple[str, PathKey]] = field(default_factory=dict)
    unreadable: set[tuple[str, str]] = field(default_factory=set)
    folders: dict[Path, str] = field(default_factory=dict)

    def name(self, path: Path) -> str:
        """`path` as the user named the catalogue: `<display>/<path relative to the root>`."""
        # Path arithmetic once per folder, not per file (a catalogue has thousands of items):
        # the folder's text as Path joins a name to it ("" for ".", "/" for the root).
        prefix = self.folders.get(path.parent)
        if prefix is None:
            folder = Path(self.display) / path.parent.relative_to(self.root)
            prefix = self.folders[path.parent] = str(folder / "_")[:-1]
        return prefix + path.name

    def problem(self, file: str, line: int, message: str, warning: bool = False) -> None:
        self.findings.append(Problem(Line(file, line), untranslated(message), warning))

    def document(self, path: Path) -> tuple[str, Located] | None:
        """Parse a YAML file into a mapping, reporting why when it is not one."""
        file = self.name(path)
        try:
            located = load(path)
        except YamlSyntaxError as error:
            self.problem(file, error.line, error.message)
            return None
        except OSError as error:
            self.problem(file, 1, f"cannot be read: {error.strerror}")
            return None
        self.documents[file] = located
        if not isinstance(located.data, dict):
            self.problem(file, 1, "must be a YAML mapping (key: value lines)")
            return None
        return file, located

    def validate(self, file: str, data: Any, model: type[M], where: PathKey, kind: str) -> M | None:
        """Validate one object; on failure report each error and remember its code as unreadable."""
        try:
            return model.model_validate(data)
        except ValidationError as error:
            located = self.documents[file]
            for path, message in describe_validation(error):
                self.problem(file, located.line((*where, *path)), message)
            code = data.get("key" if kind == "element" else "code") if isinstance(data, dict) else None
            if isinstance(code, str):
                self.unreadable.add((kind, code))
            return None

    def read(self, path: Path, model: type[M], kind: str) -> M | None:
        """Read a file that holds one object (an item or a bundle)."""
        parsed = self.document(path)
        if parsed is None:
            self.unreadable.add((kind, path.stem))
            return None
        file, located = parsed
        result = self.validate(file, located.data, model, (), kind)
        # keep only what locating a problem needs: thousands of parsed documents add up
        self.documents[file] = located.without_data()
        return result

    def register(self, kind: str, code: str, file: str, path: PathKey) -> bool:
        """Remember where an object is defined; report and refuse a second definition."""
        key = (kind, code)
        if key in self.origin:
            first_file, first_path = self.origin[key]
            first = f"{first_file}:{self.documents[first_file].line(first_path)}"
            self.problem(
                file, self.documents[file].line(path), f"{kind} {code!r} is defined twice (first at {first})"
            )
            return False
        self.origin[key] = (file, path)
        return True

    def locate(self, ref: Ref) -> Line:
        file, base = self.origin.get((ref.kind, ref.code), (self.display, ()))
        document = self.documents.get(file)
        return Line(file, document.line((*base, *ref.path)) if document else 1)


def _element(m: s.ElementModel) -> DataElement:
    return DataElement(
        m.key, m.type, text(m.label), m.personal, tuple(Option(o.code, text(o.label)) for o in m.options)
    )


def _item(m: s.ItemModel) -> Item:
    return Item(
        code=m.code,
        name=text(m.name),
        department=m.department,
        basic_code=m.basic_code,
        item_type=m.item_type,
        service_object=m.service_object,
        legal_basis=m.legal_basis,
        form=text(m.form) if m.form else None,
        fields=tuple(FormField(f) if isinstance(f, str) else FormField(f.key, f.required) for f in m.fields),
        materials=tuple(
            Material(text(x.name), x.certificate, x.subject, x.form, x.copies, x.necessity)
            for x in m.materials
        ),
        issues=tuple(Produced(p.certificate, p.subject) for p in m.issues),
        outputs=tuple(m.outputs),
        promised_days=m.promised_days,
        statutory_days=m.statutory_days,
        handling=m.handling,
        trips=m.trips,
        presence_required=m.presence_required,
        fee=m.fee.charged,
        fee_basis=m.fee.basis,
        deferrable=m.deferrable,
    )


def _bundle(m: s.BundleModel, rule_problem: Callable[[int, RuleError], None]) -> Bundle:
    entries = []
    for index, entry in enumerate(m.items):
        if isinstance(entry, str):
            entries.append(BundleItem(entry))
            continue
        rule = None
        if entry.when is not None:
            try:
                rule = Rule.parse(entry.when)
            except RuleError as error:
                rule_problem(index, error)
        entries.append(BundleItem(entry.item, rule))
    questions = tuple(
        Question(
            q.code,
            text(q.text),
            tuple(Option(o.code, text(o.label)) for o in q.options),
            q.default,
            text(q.help) if q.help else None,
        )
        for q in m.questions
    )
    reported = ReportedFigures(m.reported.source, m.reported.before, m.reported.after) if m.reported else None
    return Bundle(
        m.code,
        text(m.name),
        m.lead_department,
        tuple(entries),
        questions,
        text(m.description) if m.description else None,
        reported,
    )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a catalogue is read.

    Reading allocates millions of short-lived objects, freed by reference counting, while the
    catalogue it builds grows to hundreds of thousands that every full collection walks
    again: a quarter of the load time of a 5,000-item catalogue, for no cycles to find. A
    collector the caller had disabled stays disabled.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class FileCatalogSource:
    """A catalogue kept as a directory of YAML files."""

    def load(self, location: str) -> LoadedCatalog:
        root = Path(location)
        if not root.is_dir():
            raise InputFileError(
                [
                    Problem(
                        Line(location, 1),
                        untranslated(
                            "not a directory: give the catalogue directory that holds departments.yaml"
                        ),
                    )
                ]
            )
        missing = [n for n in DICTIONARIES if not (root / n).is_file()]
        if len(missing) == len(DICTIONARIES):
            raise InputFileError(
                [
                    Problem(
                        Line(location, 1),
                        untranslated("not a catalogue directory: it has none of " + ", ".join(DICTIONARIES)),
                    )
                ]
            )
        reader = _Reader(root, location)
        catalog = Catalog()
        for name in missing:
            if name != "registers.yaml":
                reader.problem(str(Path(location) / name), 1, "file is missing")
        with _collector_paused():
            self._dictionaries(reader, catalog, root)
            self._items(reader, catalog, root)
            self._bundles(reader, catalog, root)
        return LoadedCatalog(catalog, tuple(reader.findings), reader.locate, frozenset(reader.unreadable))

    def _dictionaries(self, reader: _Reader, catalog: Catalog, root: Path) -> None:
        targets: dict[str, dict[str, Any]] = {
            "department": catalog.departments,
            "element": catalog.elements,
            "certificate": catalog.certificates,
            "register": catalog.registers,
        }
        models: dict[str, type[BaseModel]] = {
            "department": s.DepartmentModel,
            "element": s.ElementModel,
            "certificate": s.CertificateModel,
            "register": s.RegisterModel,
        }
        for name, (key, kind) in DICTIONARIES.items():
            path = root / name
            parsed = reader.document(path) if path.is_file() else None
            if parsed is None:
                continue
            file, located = parsed
            entries = located.data.get(key)
            extra = sorted(set(located.data) - {key})
            if extra or not isinstance(entries, list):
                reader.problem(
                    file,
                    located.line((extra[0],) if extra else (key,)),
                    f"must hold one key, {key}, with a list of entries",
                )
                continue
            # entries are validated one by one, so one mistake does not hide the others
            for index, entry in enumerate(entries):
                model: Any = reader.validate(file, entry, models[kind], (key, index), kind)
                if model is None:
                    continue
                code = model.key if kind == "element" else model.code
                if reader.register(kind, code, file, (key, index)):
                    targets[kind][code] = self._convert(kind, model)

    @staticmethod
    def _convert(kind: str, model: Any) -> Any:
        if kind == "department":
            return Department(model.code, text(model.name), model.region, model.credit_code)
        if kind == "element":
            return _element(model)
        if kind == "certificate":
            return CertificateType(
                model.code, text(model.name), tuple(model.elements), model.electronic, model.type_code
            )
        return Register(
            model.code, text(model.name), model.department, tuple(model.certificates), tuple(model.elements)
        )

    def _items(self, reader: _Reader, catalog: Catalog, root: Path) -> None:
        for path in sorted((root / "items").glob("*.y*ml")):
            model = reader.read(path, s.ItemModel, "item")
            if model is not None and reader.register("item", model.code, reader.name(path), ()):
                catalog.items[model.code] = _item(model)

    def _bundles(self, reader: _Reader, catalog: Catalog, root: Path) -> None:
        for path in sorted((root / "bundles").glob("*.y*ml")):
            model = reader.read(path, s.BundleModel, "bundle")
            if model is None:
                continue
            file = reader.name(path)
            document = reader.documents[file]

            def rule_problem(
                index: int,
                error: RuleError,
                file: str = file,
                document: Located = document,
                model: s.BundleModel = model,
            ) -> None:
                at = f" at character {error.position + 1}" if error.position is not None else ""
                entry = model.items[index]
                when = entry.when if isinstance(entry, s.BundleItemModel) else None
                reader.problem(
                    file,
                    document.line(("items", index, "when")),
                    f"items[{index}].when: rule {when!r}: {error.message}{at}",
                )

            bundle = _bundle(model, rule_problem)
            if reader.register("bundle", model.code, file, ()):
                catalog.bundles[model.code] = bundle
