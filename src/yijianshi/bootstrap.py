"""ContainerDep: builds the adapters a deployment uses and hands them to the entry points.

Nothing here runs at import time; `bootstrap(settings, **overrides)` builds everything, and
tests pass fakes as overrides.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import httpx2
from sqlalchemy import Engine

from yijianshi.adapters.auth.passwords import Argon2Passwords
from yijianshi.adapters.auth.tokens import JwtTokens
from yijianshi.adapters.calendar_schedule import chinese_working_calendar
from yijianshi.adapters.catalog_files.applicant_files import ApplicantFiles
from yijianshi.adapters.catalog_files.loader import FileCatalogSource
from yijianshi.adapters.catalog_files.spreadsheet import FileSpreadsheetReader
from yijianshi.adapters.catalog_files.writer import FileCatalogWriter
from yijianshi.adapters.certificates.files import JsonCertificateFiles
from yijianshi.adapters.certificates.keys import FileKeys
from yijianshi.adapters.departments.config import GatewayConfig, load_gateway_config
from yijianshi.adapters.departments.routing import RoutingGateway, routing_gateway
from yijianshi.adapters.departments.simulated import SimulatedDepartment, open_department_store
from yijianshi.adapters.sql.accounts import SqlAccounts
from yijianshi.adapters.sql.engine import open_database
from yijianshi.adapters.sql.registers import SqlRegisters, SqlRegisterStore
from yijianshi.adapters.sql.unit_of_work import SqlUnitOfWork
from yijianshi.adapters.synthetic_people import SyntheticPeople
from yijianshi.adapters.synthetic_population import SyntheticPopulation
from yijianshi.domain.accounts import LockoutPolicy
from yijianshi.domain.calendar import WorkingCalendar
from yijianshi.domain.catalog import Catalog
from yijianshi.services.accounts.ports import Identity, PasswordHasher
from yijianshi.services.applications.drafts import ExpireDrafts, expire_drafts
from yijianshi.services.cases.deadlines import RecordTimeLimits, record_time_limits
from yijianshi.services.cases.decisions import answer_cases
from yijianshi.services.catalogue.checking import load_valid_catalog
from yijianshi.services.catalogue.ports import (
    ApplicantInputs,
    CatalogSource,
    CatalogWriter,
    SpreadsheetReader,
)
from yijianshi.services.clock import Clock, SystemClock
from yijianshi.services.context import Context, Policy
from yijianshi.services.delivery.dispatching import RetryPolicy
from yijianshi.services.delivery.ports import (
    EVERYTHING,
    AnsweringDepartment,
    DepartmentGateway,
    Partition,
    Upkeep,
)
from yijianshi.services.delivery.worker import Worker
from yijianshi.services.ids import TimeOrderedIds
from yijianshi.settings import Settings

YOUNG_OBJECTS = 10_000  # allocations between young collections (CPython's default: 700)


def settle_heap() -> None:
    """Tune the garbage collector for a long-running process (server, worker), once it is built.

    What startup made (catalogue, calendars, compiled statements) is frozen out of the collector's
    reach, and young objects are collected less often: with the defaults a worker spends about a
    sixth of its time collecting, mostly traversing that startup heap again and again. Reference
    counting still frees almost everything at once; only cycles wait longer.
    """
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_OBJECTS, middle, old)


@dataclass
class Container:
    """The adapters of one deployment."""

    settings: Settings
    catalog_source: CatalogSource
    applicant_inputs: ApplicantInputs
    clock: Clock
    spreadsheet_reader: SpreadsheetReader
    catalog_writer: CatalogWriter
    passwords: PasswordHasher
    environ: Mapping[str, str]  # where departments' webhook secrets are read

    @cached_property
    def calendar(self) -> WorkingCalendar:
        return chinese_working_calendar(self.settings.calendar_overrides)

    @cached_property
    def catalog(self) -> Catalog:
        """The configured catalogue; raises InputFileError when it has errors."""
        return load_valid_catalog(self.catalog_source, str(self.settings.catalog_dir))

    @cached_property
    def engine(self) -> Engine:
        """The database, migrated to the newest schema on first use."""
        return open_database(self.settings.database_url)

    @cached_property
    def certificate_keys(self) -> FileKeys:
        """The platform's signing key (read, or in development generated, on first use) and the
        trusted issuers' public keys."""
        settings = self.settings
        return FileKeys(settings.signing_key, settings.environment == "development", settings.trusted_keys)

    @cached_property
    def certificate_files(self) -> JsonCertificateFiles:
        return JsonCertificateFiles()

    @cached_property
    def ids(self) -> TimeOrderedIds:
        """The ids of everything this process makes (applications, cases, audit entries, ...)."""
        return TimeOrderedIds()

    def unit_of_work(self) -> SqlUnitOfWork:
        """A unit of work on the database, its wallet signing with the platform's key."""
        return SqlUnitOfWork(self.engine, self.certificate_keys, self.ids)

    @cached_property
    def context(self) -> Context:
        """The context every use case receives."""
        settings = self.settings
        policy = Policy(
            rectification_days=settings.rectification_days,
            upload_max_bytes=settings.upload_max_bytes,
            draft_retention_days=settings.draft_retention_days,
        )
        return Context(self.catalog, self.calendar, self.unit_of_work, self.clock, self.ids, policy)

    @cached_property
    def registers(self) -> SqlRegisters:
        """The shared registers: the local ones in the database."""
        return SqlRegisters(self.engine)

    @cached_property
    def register_store(self) -> SqlRegisterStore:
        return SqlRegisterStore(self.engine)

    def close(self) -> None:
        """Release the database's connections and the webhooks' client, if they were opened
        (`contextlib.closing`)."""
        if "engine" in self.__dict__:
            self.engine.dispose()
        if "department_engine" in self.__dict__:
            self.department_engine.dispose()
        if "http_client" in self.__dict__:
            self.http_client.close()

    def synthetic_population(self, seed: int = 0) -> SyntheticPopulation:
        return SyntheticPopulation(self.clock.today(), seed)

    @cached_property
    def department_engine(self) -> Engine:
        """The simulated departments' own database (engine.department_store_url): the platform's
        engine where they share it."""
        return open_department_store(self.settings.database_url, self.engine)

    @cached_property
    def simulated_department(self) -> SimulatedDepartment:
        delay = dt.timedelta(seconds=self.settings.simulated_delay_s)
        return SimulatedDepartment(self.department_engine, self.catalog, self.clock.now, delay)

    @cached_property
    def gateway_config(self) -> GatewayConfig:
        """Which gateway each department uses; raises InputFileError for a bad departments file."""
        settings = self.settings
        return load_gateway_config(
            settings.departments_config,
            settings.department_gateway,
            set(self.catalog.departments),
            self.environ,
        )

    @cached_property
    def http_client(self) -> httpx2.Client:
        """The client of department webhooks; its timeout bounds each attempt."""
        return httpx2.Client(timeout=self.settings.webhook_timeout_s, headers={"User-Agent": "yijianshi"})

    @cached_property
    def department_gateway(self) -> RoutingGateway:
        """Each department's configured gateway: worklist, webhook or the simulator."""
        return routing_gateway(self.gateway_config, self.simulated_department, lambda: self.http_client)

    @property
    def retry_policy(self) -> RetryPolicy:
        """How the worker retries failed deliveries, from the settings."""
        settings = self.settings
        return RetryPolicy(
            settings.delivery_backoff_base_s, settings.delivery_backoff_cap_s, settings.delivery_retry_budget
        )

    def worker(self, partition: Partition = EVERYTHING) -> Worker:
        """A worker delivering through each department's gateway, collecting the simulator's answers
        (for the applications of `partition`, when several workers share the work)."""
        return assemble_worker(
            self.context,
            self.department_gateway,
            self.simulated_department,
            expiring_drafts=True,
            retries=self.retry_policy,
            partition=partition,
        )

    @cached_property
    def accounts(self) -> SqlAccounts:
        return SqlAccounts(self.engine)

    @cached_property
    def identity(self) -> Identity:
        """The accounts area's context: logins against the local accounts; tokens signed with the
        configured secret (in development, one made for this process when none is set)."""
        settings = self.settings
        secret = settings.secret_key.get_secret_value() if settings.secret_key else secrets.token_urlsafe(48)
        return Identity(
            self.accounts,
            self.passwords,
            JwtTokens(secret, dt.timedelta(minutes=settings.token_minutes)),
            self.clock,
            LockoutPolicy(settings.lockout_attempts, settings.lockout_minutes),
        )

    def synthetic_people(self, seed: int | None = None) -> SyntheticPeople:
        return SyntheticPeople(self.catalog, seed)


def assemble_worker(
    context: Context,
    gateway: DepartmentGateway,
    answering: AnsweringDepartment | None = None,
    *,
    expiring_drafts: bool = False,
    **options: Any,
) -> Worker:
    """A worker whose collected answers the cases area applies (`answer_cases`), recording time
    limits as its upkeep and, with `expiring_drafts`, deleting drafts unchanged for the context
    policy's `draft_retention_days`; `options` are the Worker's own (batch, upkeep_every_s,
    retries, partition)."""
    upkeep: list[Upkeep] = [functools.partial(record_time_limits, command=RecordTimeLimits())]
    if expiring_drafts:
        upkeep.append(functools.partial(expire_drafts, command=ExpireDrafts()))
    return Worker(context, gateway, answering, answer_cases, upkeep, **options)


def bootstrap(settings: Settings | None = None, **overrides: Any) -> Container:
    """Build the container; keyword overrides replace any adapter (for tests)."""
    parts: dict[str, Any] = {
        "settings": settings or Settings(),
        "catalog_source": FileCatalogSource(),
        "applicant_inputs": ApplicantFiles(),
        "clock": SystemClock(),
        "spreadsheet_reader": FileSpreadsheetReader(),
        "catalog_writer": FileCatalogWriter(),
        "passwords": Argon2Passwords(),
        "environ": os.environ,
    }
    parts.update(overrides)
    return Container(**parts)
