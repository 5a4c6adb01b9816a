"""Use cases over a catalogue: load it, check it, and keep only a usable one."""

from __future__ import annotations

from dataclasses import dataclass

from yijianshi.domain.bundles import bundle_problems
from yijianshi.domain.catalog import Catalog, Ref, catalog_problems
from yijianshi.domain.planning import cycle_problems
from yijianshi.domain.problems import Line, Problem
from yijianshi.services.catalogue.ports import CatalogSource, InputFileError, LoadedCatalog


@dataclass(frozen=True, slots=True)
class CheckReport:
    """Everything wrong with a catalogue, sorted by file and line."""

    findings: tuple[Problem[Line], ...]
    items: int
    bundles: int

    @property
    def errors(self) -> tuple[Problem[Line], ...]:
        return tuple(f for f in self.findings if not f.warning)


def domain_problems(catalog: Catalog) -> list[Problem[Ref]]:
    """Cross-reference problems of items, registers and bundles, and dependency cycles."""
    problems = catalog_problems(catalog)
    for bundle in catalog.bundles.values():
        problems.extend(bundle_problems(catalog, bundle))
    problems.extend(cycle_problems(catalog))
    return problems


def check_catalog(source: CatalogSource, location: str) -> CheckReport:
    """Load and check the catalogue at `location`. Raises InputFileError if it is none."""
    loaded = source.load(location)
    return CheckReport(_all_findings(loaded), len(loaded.catalog.items), len(loaded.catalog.bundles))


def _all_findings(loaded: LoadedCatalog) -> tuple[Problem[Line], ...]:
    # a reference to an object whose own file was unreadable is already reported there
    located = [
        p.at(loaded.locate(p.where))
        for p in domain_problems(loaded.catalog)
        if p.refers_to not in loaded.unreadable
    ]
    return tuple(sorted({*loaded.findings, *located}))


def load_valid_catalog(source: CatalogSource, location: str) -> Catalog:
    """Load a catalogue to use; raise InputFileError when it has any error."""
    loaded = source.load(location)
    findings = _all_findings(loaded)
    errors = [f for f in findings if not f.warning]
    if errors:
        raise InputFileError(errors)
    return loaded.catalog
