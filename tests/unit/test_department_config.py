"""The departments file: which gateway each department uses; every mistake is one clear line."""

from __future__ import annotations

from pathlib import Path

import pytest

from yijianshi.adapters.departments.config import load_gateway_config
from yijianshi.services.catalogue.ports import InputFileError

KNOWN = {"ruian-psb", "ruian-health", "ruian-tax"}
SECRET = "k" * 32


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "departments.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(
    path: Path | None, environ: dict[str, str] | None = None, default: str = "simulated"
) -> list[str]:
    with pytest.raises(InputFileError) as raised:
        load_gateway_config(path, default, KNOWN, environ or {})
    return [str(f) for f in raised.value.findings]


def test_each_department_gets_its_gateway_and_the_others_the_default(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """departments:
  ruian-psb: {gateway: webhook, url: "https://psb.example/events", secret_env: PSB_SECRET}
  ruian-health: {gateway: worklist}
""",
    )
    config = load_gateway_config(path, "simulated", KNOWN, {"PSB_SECRET": SECRET})
    assert config.default == "simulated"
    psb = config.departments["ruian-psb"]
    assert (psb.gateway, psb.url, psb.secret) == ("webhook", "https://psb.example/events", SECRET)
    assert SECRET not in repr(psb), "a secret never reaches a log line"
    assert config.departments["ruian-health"].gateway == "worklist"
    assert "ruian-tax" not in config.departments


def test_without_a_file_every_department_uses_the_default() -> None:
    config = load_gateway_config(None, "worklist", KNOWN, {})
    assert (config.default, dict(config.departments)) == ("worklist", {})


def test_a_secret_written_in_the_file_is_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """departments:
  ruian-psb:
    gateway: webhook
    url: https://psb.example/events
    secret: hunter2hunter2hunter2hunter2hunter2
""",
    )
    [problem] = problems(path)
    assert problem.startswith(f"{path}:5: departments.ruian-psb.secret: never write a secret in this file")
    assert "secret_env: NAME" in problem


def test_an_unset_secret_variable_names_the_file_the_department_and_what_to_do(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """departments:
  ruian-psb:
    gateway: webhook
    url: https://psb.example/events
    secret_env: PSB_SECRET
""",
    )
    [problem] = problems(path)
    assert problem == (
        f"{path}:5: departments.ruian-psb.secret_env: the environment variable PSB_SECRET is "
        "not set: set it to the department's HMAC secret (at least 32 random bytes) where "
        "the worker runs"
    )
    assert "at least 32" in problems(path, {"PSB_SECRET": "short"})[0]


def test_a_webhook_without_url_or_secret_env_says_what_to_write(tmp_path: Path) -> None:
    path = write(tmp_path, "departments:\n  ruian-psb:\n    gateway: webhook\n")
    found = problems(path)
    assert found == [
        f"{path}:3: departments.ruian-psb: a webhook department needs its system's address: "
        "write url: https://<the department system's host>/<path>",
        f"{path}:3: departments.ruian-psb: a webhook department needs secret_env: write secret_env: NAME, "
        "NAME being the environment variable that holds its HMAC secret",
    ]


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("{gateway: email}", "departments.ruian-psb.gateway: write gateway: worklist, webhook or simulated"),
        (
            "{gateway: worklist, colour: red}",
            "departments.ruian-psb.colour: unknown key: a department has gateway, url and secret_env",
        ),
        (
            "{gateway: webhook, url: psb.example, secret_env: S}",
            "departments.ruian-psb.url: 'psb.example' is not an http(s) URL",
        ),
        ("{gateway: webhook, url: 'https://x', secret_env: 'k3y=value!'}", "never the secret itself"),
    ],
)
def test_a_wrong_entry_is_explained(tmp_path: Path, entry: str, expected: str) -> None:
    path = write(tmp_path, f"departments:\n  ruian-psb: {entry}\n")
    [problem] = problems(path, {"S": SECRET})
    assert problem.startswith(f"{path}:2: ")
    assert expected in problem


def test_a_department_the_catalogue_does_not_know_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "departments:\n  ruian-pbs: {gateway: worklist}\n")
    [problem] = problems(path)
    assert problem == (
        f"{path}:2: departments.ruian-pbs: the catalogue has no department 'ruian-pbs': "
        "write a code from departments.yaml, e.g. ruian-health"
    )


def test_webhook_as_default_needs_every_department_listed(tmp_path: Path) -> None:
    path = write(tmp_path, "departments:\n  ruian-psb: {gateway: worklist}\n")
    [problem] = problems(path, default="webhook")
    assert "YIJIANSHI_DEPARTMENT_GATEWAY is webhook, but 2 department(s) are not listed" in problem
    assert "ruian-health, ruian-tax" in problem


def test_a_file_that_is_not_yaml_is_reported_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "departments:\n  ruian-psb: {gateway: worklist\n")
    [problem] = problems(path)
    assert problem.startswith(f"{path}:")
    assert "cannot read" in problem
