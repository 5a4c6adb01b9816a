"""The installed `yijianshi` console script, run as a user would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

YIJIANSHI = Path(sys.executable).parent / "yijianshi"
METRICS = {"forms", "fields", "materials", "departments", "trips", "working_days"}


def test_plan_birth_as_json_prints_the_documented_plan() -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("YIJIANSHI_")}

    run = subprocess.run(
        [str(YIJIANSHI), "plan", "birth", "--format", "json", "--start", "2026-03-02"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )

    assert run.returncode == 0, run.stderr
    view = json.loads(run.stdout)
    assert view["bundle"]["code"] == "birth"
    assert len(view["items"]) == 7
    for planned in view["items"]:
        assert {"code", "name", "department", "stage", "depends_on"} <= planned.keys()
    assert view["stages"]
    assert view["critical_path"]
    assert {"working_days", "date", "provisional"} <= view["completion"].keys()
    assert view["completion"]["date"] >= "2026-03-02"
    for field in view["form"]["fields"]:
        assert {"key", "items", "prefill"} <= field.keys()
    for material in view["materials"]:
        assert {"name", "source"} <= material.keys()
    assert view["metrics"]["before"].keys() >= METRICS
    assert view["metrics"]["after"].keys() >= METRICS
    assert view["metrics"]["before"]["materials"] == 24
    assert view["metrics"]["after"]["forms"] == 1
