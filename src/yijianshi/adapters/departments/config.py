"""Which gateway each department uses: the departments file (`YIJIANSHI_DEPARTMENTS_CONFIG`).

```yaml
departments:
  ruian-psb:                       # a department code of the catalogue
    gateway: webhook               # worklist | webhook | simulated
    url: https://psb.example.gov.cn/yijianshi/events
    secret_env: RUIAN_PSB_WEBHOOK_SECRET   # the environment variable holding its HMAC secret
  ruian-health:
    gateway: worklist
```

A department not listed uses `YIJIANSHI_DEPARTMENT_GATEWAY`. A secret is never written in the file:
it is read from the environment variable `secret_env` names, where the worker runs. Every problem
is reported as `file:line: departments.CODE...: what is wrong and what to write`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from yijianshi.adapters.catalog_files.yaml_lines import YamlSyntaxError, load
from yijianshi.domain.problems import Line, Problem, untranslated
from yijianshi.services.catalogue.ports import InputFileError

MIN_SECRET_BYTES = 32
GATEWAYS = "write gateway: worklist, webhook or simulated"
URL = "write url: https://<the department system's host>/<path>"
ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
PathMessage = tuple[tuple[str | int, ...], str]  # (where in the file, message): located by the caller


class _Department(BaseModel):
    model_config = ConfigDict(extra="forbid")
    gateway: Literal["simulated", "worklist", "webhook"]
    url: str | None = None
    secret_env: str | None = None


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")
    departments: dict[str, _Department] = {}


@dataclass(frozen=True, slots=True)
class DepartmentRoute:
    """How one department is reached; `url` and `secret` are set for a webhook only."""

    gateway: str
    url: str | None = None
    secret: str | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class GatewayConfig:
    """The gateway of every department: `departments` as listed, `default` for the others."""

    default: str
    departments: Mapping[str, DepartmentRoute]


def load_gateway_config(
    path: Path | None, default: str, known: Collection[str], environ: Mapping[str, str]
) -> GatewayConfig:
    """Read the departments file (none: every department uses `default`), checking each department
    against the catalogue's codes `known` and its secret against `environ`; raise InputFileError."""
    routes = _read(path, known, environ) if path is not None else {}
    unlisted = sorted(set(known) - set(routes))
    if default == "webhook" and unlisted:
        raise InputFileError(
            [
                Problem(
                    Line(str(path or "YIJIANSHI_DEPARTMENTS_CONFIG"), 1),
                    untranslated(
                        f"YIJIANSHI_DEPARTMENT_GATEWAY is webhook, but {len(unlisted)} department(s) are not "
                        f"listed ({', '.join(unlisted[:3])}{', ...' if len(unlisted) > 3 else ''}): "
                        "list each under "
                        "departments: with gateway, url and secret_env, or choose worklist or simulated"
                    ),
                )
            ]
        )
    return GatewayConfig(default, routes)


def _read(path: Path, known: Collection[str], environ: Mapping[str, str]) -> dict[str, DepartmentRoute]:
    try:
        located = load(path)
        parsed = _File.model_validate(located.data or {})
    except (OSError, YamlSyntaxError) as error:
        line = getattr(error, "line", 1)
        raise InputFileError(
            [Problem(Line(str(path), line), untranslated(f"cannot read: {error}"))]
        ) from None
    except ValidationError as error:
        raise InputFileError(
            [
                Problem(Line(str(path), located.line(where)), untranslated(message))
                for where, message in _explain(error)
            ]
        ) from None
    findings = [
        Problem(
            Line(str(path), located.line(("departments", code, *where))),
            untranslated(f"departments.{code}{''.join(f'.{w}' for w in where)}: {message}"),
        )
        for code, entry in parsed.departments.items()
        for where, message in _problems(code, entry, known, environ)
    ]
    if findings:
        raise InputFileError(findings)
    return {
        code: DepartmentRoute(entry.gateway, entry.url, environ.get(entry.secret_env or ""))
        for code, entry in parsed.departments.items()
    }


def _explain(error: ValidationError) -> Iterator[PathMessage]:
    """One message per schema error, saying what to write."""
    for detail in error.errors():
        where: tuple[str | int, ...] = tuple(detail["loc"])
        shown = ".".join(str(w) for w in where)
        key, kind = where[-1] if where else "", detail["type"]
        if kind == "extra_forbidden" and key == "secret":
            message = (
                "never write a secret in this file: write secret_env: NAME, and set the "
                "environment variable NAME to the secret where the worker runs"
            )
        elif kind == "extra_forbidden":
            message = (
                "unknown key: the file has one key, departments"
                if len(where) == 1
                else "unknown key: a department has gateway, url and secret_env"
            )
        elif key == "gateway":
            message = GATEWAYS
        else:
            message = str(detail["msg"])
        yield where, f"{shown}: {message}" if shown else message


def _problems(
    code: str, entry: _Department, known: Collection[str], environ: Mapping[str, str]
) -> Iterator[PathMessage]:
    """What is wrong with one department's entry, beyond its schema."""
    if code not in known:
        example = min(known) if known else "CODE"
        yield (
            (),
            (f"the catalogue has no department {code!r}: write a code from departments.yaml, e.g. {example}"),
        )
    if entry.gateway != "webhook":
        return
    if not entry.url:
        yield (), f"a webhook department needs its system's address: {URL}"
    elif not re.match(r"https?://[^/\s]+", entry.url):
        yield ("url",), f"{entry.url!r} is not an http(s) URL: {URL}"
    yield from _secret_problems(entry.secret_env, environ)


def _secret_problems(name: str | None, environ: Mapping[str, str]) -> Iterator[PathMessage]:
    if not name:
        yield (
            (),
            (
                "a webhook department needs secret_env: write secret_env: NAME, NAME being the "
                "environment variable that holds its HMAC secret"
            ),
        )
    elif not ENV_NAME.fullmatch(name):
        yield (
            ("secret_env",),
            ("write the name of an environment variable (letters, digits and _), never the secret itself"),
        )
    elif not environ.get(name):
        yield (
            ("secret_env",),
            (
                f"the environment variable {name} is not set: set it to the department's "
                f"HMAC secret (at least {MIN_SECRET_BYTES} random bytes) where the worker "
                "runs"
            ),
        )
    elif len(environ[name].encode()) < MIN_SECRET_BYTES:
        yield (
            ("secret_env",),
            (
                f"the environment variable {name} holds a secret of "
                f"{len(environ[name].encode())} bytes: set it to at least "
                f"{MIN_SECRET_BYTES} random bytes"
            ),
        )
