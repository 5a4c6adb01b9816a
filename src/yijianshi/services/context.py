"""What every use case receives besides its command: the context of one deployment.

    Context
    ├── catalog        the standard items and one things in force (domain.catalog.Catalog)
    ├── calendar       working days (domain.calendar.WorkingCalendar)
    ├── unit_of_work   makes a new unit of work: one transaction over every area's stores
    ├── clock          the time (services.clock.Clock)
    ├── ids            new ids (services.ids.Ids)
    ├── policy         the settings use cases apply (services.context.Policy)
    └── component()    things a use case keeps for the deployment's life, made on first use
                       (the plan cache, the group commit of submissions), each owned by its area

A context is made once per deployment by bootstrap (tests make their own, with fakes); it is
shared by every thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from yijianshi.domain.calendar import WorkingCalendar
from yijianshi.domain.catalog import Catalog
from yijianshi.services.clock import Clock
from yijianshi.services.ids import Ids, TimeOrderedIds
from yijianshi.services.unit_of_work import UnitOfWork

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Policy:
    """The settings use cases apply (bootstrap takes them from Settings)."""

    max_group: int = 256  # submissions one group-committed transaction holds at most
    rectification_days: int = 15  # working days a department has to rectify a bad rating
    upload_max_bytes: int = 10 * 1024 * 1024  # the largest material a person may upload
    draft_retention_days: int = 30  # days an unsubmitted draft is kept after its last change


@dataclass(frozen=True)
class Context:
    """The context of every use case (module docstring)."""

    catalog: Catalog
    calendar: WorkingCalendar
    unit_of_work: Callable[[], UnitOfWork]
    clock: Clock
    ids: Ids = field(default_factory=TimeOrderedIds)
    policy: Policy = field(default_factory=Policy)
    _components: dict[type[Any], Any] = field(default_factory=dict, init=False, repr=False, compare=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False, compare=False)

    def component(self, kind: type[T], make: Callable[[Context], T]) -> T:
        """The deployment's one `kind`, made by `make(self)` the first time it is asked for."""
        found = self._components.get(kind)
        if found is None:
            with self._lock:
                found = self._components.get(kind)
                if found is None:
                    found = self._components[kind] = make(self)
        return found
