"""Benchmark: load and validate a Guizhou-sized catalogue, then plan every bundle many times.

    .venv/bin/python benchmarks/planner.py [--items 5200] [--departments 3600] [--bundles 300]
                                           [--seed 1] [--repeat 20] [--catalog-dir DIR]

Generation (in a child process, so its memory is not counted) writes the YAML files; then
this process times `load_valid_catalog` (read, parse, validate every file and check every
cross-reference and dependency cycle) once, and `build_bundle_plan` `--repeat` times per bundle
with random guidance answers. Only the JSON result goes to stdout; progress goes to stderr.
Targets: catalog_load_s < 2, plan_median_ms < 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import synthetic_catalog
from yijianshi.adapters.calendar_schedule import chinese_working_calendar
from yijianshi.adapters.catalog_files.loader import FileCatalogSource
from yijianshi.domain.catalog import Catalog
from yijianshi.services.catalogue.checking import load_valid_catalog
from yijianshi.services.planning import PlanBundle, build_bundle_plan

START = dt.date(2026, 3, 2)


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def generate(directory: Path, args: argparse.Namespace) -> None:
    """Write the catalogue from a forked child, so the parent's peak RSS is load and plans only."""

    def child() -> None:
        synthetic_catalog.write(directory, args.items, args.departments, args.bundles, args.seed)

    process = multiprocessing.get_context("fork").Process(target=child)
    started = time.perf_counter()
    process.start()
    process.join()
    if process.exitcode != 0:
        raise SystemExit(f"generating the catalogue failed (exit code {process.exitcode})")
    os.sync()  # so that writing the files back to disk does not compete with the timed load
    progress(f"generated {directory} in {time.perf_counter() - started:.1f} s")


def time_load(directory: Path) -> tuple[Catalog, float]:
    started = time.perf_counter()
    catalog = load_valid_catalog(FileCatalogSource(), str(directory))
    return catalog, time.perf_counter() - started


def answer_sets(catalog: Catalog, repeat: int, rng: random.Random) -> list[tuple[str, dict[str, str]]]:
    """`repeat` commands per bundle: the defaults first, then random answers."""
    commands: list[tuple[str, dict[str, str]]] = []
    for code, bundle in catalog.bundles.items():
        commands.append((code, {}))
        for _ in range(repeat - 1):
            commands.append((code, {q.code: rng.choice(q.option_codes()) for q in bundle.questions}))
    rng.shuffle(commands)
    return commands


def time_plans(catalog: Catalog, repeat: int, seed: int) -> list[float]:
    """Seconds per `build_bundle_plan` call, one per command."""
    calendar = chinese_working_calendar()
    commands = [
        PlanBundle(code, START, answers)
        for code, answers in answer_sets(catalog, repeat, random.Random(seed))
    ]
    for command in commands[:50]:  # warm the calendar's year cache and the catalogue's indexes
        build_bundle_plan(catalog, calendar, command)
    timings = []
    clock = time.perf_counter
    for command in commands:
        started = clock()
        build_bundle_plan(catalog, calendar, command)
        timings.append(clock() - started)
    return timings


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of `values` (fraction 0.5 is the median)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def run(directory: Path, args: argparse.Namespace) -> dict[str, Any]:
    generate(directory, args)
    catalog, load_s = time_load(directory)
    progress(
        f"loaded {len(catalog.items)} items, {len(catalog.departments)} departments, "
        f"{len(catalog.bundles)} bundles in {load_s:.2f} s"
    )
    timings = time_plans(catalog, args.repeat, args.seed)
    progress(f"planned {len(timings)} times")
    return {
        "items": len(catalog.items),
        "departments": len(catalog.departments),
        "bundles": len(catalog.bundles),
        "plans": len(timings),
        "catalog_load_s": round(load_s, 3),
        "plan_median_ms": round(percentile(timings, 0.5) * 1000, 3),
        "plan_p99_ms": round(percentile(timings, 0.99) * 1000, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=5200, help="service items (default 5200)")
    parser.add_argument("--departments", type=int, default=3600, help="departments (default 3600)")
    parser.add_argument("--bundles", type=int, default=300, help="bundles (default 300)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--repeat", type=int, default=20, help="plans per bundle (default 20)")
    parser.add_argument(
        "--catalog-dir",
        type=Path,
        default=None,
        help="write the catalogue here and keep it (default: a temporary directory)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = arguments(argv)
    if args.catalog_dir is not None:
        result = run(args.catalog_dir, args)
    else:
        with tempfile.TemporaryDirectory(prefix="yijianshi-bench-") as directory:
            result = run(Path(directory), args)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
