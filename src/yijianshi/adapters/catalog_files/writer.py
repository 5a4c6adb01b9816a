"""Writes catalogue files as reviewable YAML, all or nothing.

Every file is first written into a staging directory beside the catalogue
(`.<name>.import-XXXX/`); nothing in the catalogue changes until all of them are written.

    new catalogue:       staging ──rename──▶ out
    existing catalogue:  staging/<file> ──replace──▶ out/<file>, one by one; the files they
                         replace are kept in staging/.previous/ until every move succeeded,
                         and put back if one fails

YAML keeps the schema's key order, omits values equal to the schema's defaults and writes
Chinese as it is, so a change reads well in review. Departments are appended to the end of
departments.yaml, leaving the lines already there (and their comments) as they were.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml

from yijianshi.adapters.catalog_files import schema as s
from yijianshi.domain.catalog import Department, Item, Material
from yijianshi.domain.problems import Line, Problem, untranslated
from yijianshi.domain.text import Text
from yijianshi.services.catalogue.ports import CatalogChanges, InputFileError, ItemFile

EMPTY_DICTIONARIES = {"data_elements.yaml": "elements: []\n", "certificates.yaml": "certificates: []\n"}
PREVIOUS = ".previous"


class _Dumper(yaml.SafeDumper):
    """Quotes every all-digit string (codes such as '000173004000', '350100'), which a YAML 1.2
    reader would otherwise take for a number."""


def _string(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="'" if value.isdigit() else None)


_Dumper.add_representer(str, _string)


def dump(data: Any) -> str:
    return yaml.dump(
        data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=4096, default_flow_style=False
    )


def _text(text: Text) -> s.TextModel:
    return s.TextModel(zh=text.zh, en=text.en)


def _material(material: Material) -> s.MaterialModel:
    return s.MaterialModel(
        name=_text(material.name),
        certificate=material.certificate,
        subject=material.subject,
        form=material.form,
        copies=material.copies,
        necessity=material.necessity,
    )


def item_model(item: Item) -> s.ItemModel:
    """The file model of an item (validated: a bad code raises pydantic's ValidationError)."""
    return s.ItemModel(
        code=item.code,
        basic_code=item.basic_code,
        name=_text(item.name),
        department=item.department,
        item_type=item.item_type,
        service_object=item.service_object,
        legal_basis=item.legal_basis,
        form=_text(item.form) if item.form else None,
        fields=[f.key if f.required else s.FieldModel(key=f.key, required=False) for f in item.fields],
        materials=[_material(m) for m in item.materials],
        issues=[s.ProducedModel(certificate=p.certificate, subject=p.subject) for p in item.issues],
        outputs=list(item.outputs),
        promised_days=item.promised_days,
        statutory_days=item.statutory_days,
        handling=item.handling,
        trips=item.trips,
        presence_required=item.presence_required,
        fee=s.FeeModel(charged=item.fee, basis=item.fee_basis),
        deferrable=item.deferrable,
    )


def item_yaml(item: Item, note: str = "") -> str:
    comment = f"# {note}\n" if note else ""
    return comment + dump(item_model(item).model_dump(mode="json", exclude_defaults=True))


def _departments(departments: tuple[Department, ...]) -> list[dict[str, Any]]:
    return [
        s.DepartmentModel(
            code=d.code, name=_text(d.name), region=d.region, credit_code=d.credit_code
        ).model_dump(mode="json", exclude_defaults=True)
        for d in departments
    ]


def appended_departments(existing: str, departments: tuple[Department, ...]) -> str:
    """departments.yaml text with `departments` added at its end; rewritten whole only when
    its layout does not allow appending (e.g. `departments: []`)."""
    entries = _departments(departments)
    before = yaml.safe_load(existing) or {}
    indent = next(
        (
            line[: len(line) - len(line.lstrip())]
            for line in existing.splitlines()
            if line.lstrip().startswith("- ")
        ),
        "",
    )
    added = "".join(indent + line + "\n" for line in dump(entries).splitlines())
    text = existing + ("" if existing.endswith("\n") or not existing else "\n") + added
    expected = {**before, "departments": [*before.get("departments", []), *entries]}
    try:
        if yaml.safe_load(text) == expected:
            return text
    except yaml.YAMLError:
        pass
    return dump(expected)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class FileCatalogWriter:
    """Writes into a catalogue directory that FileCatalogSource reads."""

    def is_empty(self, location: str) -> bool:
        path = Path(location)
        return not path.exists() or (path.is_dir() and not any(path.iterdir()))

    def write(self, location: str, changes: CatalogChanges) -> None:
        target = Path(location).resolve()
        fresh = self.is_empty(location)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.import-", dir=target.parent))
        except OSError as error:
            raise self._failure(location, error) from None
        try:
            files = self._stage(staging, target, changes, fresh)
            self._publish(staging, target, files, fresh)
        except OSError as error:
            raise self._failure(location, error, staging, target) from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def _write(self, path: Path, text: str) -> None:
        """Write one staged file; every file of an import is written here."""
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def _move(self, source: Path, destination: Path) -> None:
        """Put one staged file (or the whole new catalogue) in its place."""
        destination.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, destination)

    def _stage(self, staging: Path, target: Path, changes: CatalogChanges, fresh: bool) -> list[Path]:
        """Write every changed file under `staging`; return their paths relative to it."""
        files: dict[Path, str] = {}
        for change in changes.items:
            files[self._item_path(target, change)] = item_yaml(change.item, change.note)
        if fresh:
            files[Path("departments.yaml")] = dump({"departments": _departments(changes.departments)})
            files.update((Path(name), text) for name, text in EMPTY_DICTIONARIES.items())
        elif changes.departments:
            existing = (target / "departments.yaml").read_text(encoding="utf-8")
            files[Path("departments.yaml")] = appended_departments(existing, changes.departments)
        for relative, text in files.items():
            self._write(staging / relative, text)
        return list(files)

    @staticmethod
    def _item_path(target: Path, change: ItemFile) -> Path:
        if change.file is None:
            return Path("items", f"{change.item.code}.yaml")
        return Path(change.file).resolve().relative_to(target)

    def _publish(self, staging: Path, target: Path, files: list[Path], fresh: bool) -> None:
        if fresh:
            os.chmod(staging, 0o777 & ~_umask())
            if target.is_dir():
                target.rmdir()  # empty, as is_empty said
            self._move(staging, target)
            return
        moved: list[Path] = []
        try:
            for relative in files:
                if (target / relative).exists():
                    self._move(target / relative, staging / PREVIOUS / relative)
                moved.append(relative)
                self._move(staging / relative, target / relative)
        except OSError:
            self._restore(staging, target, moved)
            raise

    def _restore(self, staging: Path, target: Path, moved: list[Path]) -> None:
        for relative in reversed(moved):
            previous = staging / PREVIOUS / relative
            if previous.exists():
                os.replace(previous, target / relative)
            else:
                (target / relative).unlink(missing_ok=True)

    @staticmethod
    def _failure(location: str, error: OSError, *bases: Path) -> InputFileError:
        """The error as `location/<file>:1: cannot write ...`, the file named as in `location`."""
        where = location
        for base in bases:
            if error.filename and Path(error.filename).is_relative_to(base):
                where = str(Path(location) / Path(error.filename).relative_to(base))
                break
        return InputFileError(
            [
                Problem(
                    Line(where, 1),
                    untranslated(f"cannot write: {error.strerror or error}; {location} is left as it was"),
                )
            ]
        )
