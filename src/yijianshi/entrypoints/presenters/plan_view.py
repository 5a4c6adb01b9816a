"""The plan as plain data (the JSON of `yijianshi plan --format json` and of the API)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from yijianshi.domain.catalog import Catalog
from yijianshi.domain.planning import Metrics, Plan
from yijianshi.domain.text import Text


def _metrics(metrics: Metrics) -> dict[str, int]:
    return {
        "forms": metrics.forms,
        "fields": metrics.fields,
        "materials": metrics.materials,
        "departments": metrics.departments,
        "trips": metrics.trips,
        "working_days": metrics.working_days,
    }


def _figures(figures: Mapping[str, float]) -> dict[str, float]:
    """Reported figures, whole numbers shown as such (22.9 days stays 22.9)."""
    return {k: int(v) if float(v).is_integer() else v for k, v in figures.items()}


def _name(text: Text) -> dict[str, str]:
    return {"name": text.zh, "name_en": text.en}


def plan_as_dict(catalog: Catalog, plan: Plan) -> dict[str, Any]:
    """Every part of the plan, keyed as documented in the README."""
    department = catalog.departments
    metrics: dict[str, Any] = {"before": _metrics(plan.before), "after": _metrics(plan.after)}
    if plan.bundle.reported:
        metrics["reported"] = {
            "source": plan.bundle.reported.source,
            "before": _figures(plan.bundle.reported.before),
            "after": _figures(plan.bundle.reported.after),
        }
    return {
        "bundle": {"code": plan.bundle.code, **_name(plan.bundle.name)},
        "answers": dict(plan.answers),
        "start": plan.start.isoformat(),
        "items": [
            {
                "code": item.code,
                **_name(item.name),
                "department": item.department,
                "department_name": department[item.department].name.zh,
                "department_name_en": department[item.department].name.en,
                "stage": item.stage,
                "depends_on": list(item.depends_on),
                "promised_days": item.promised_days,
                "starts_after_days": item.starts_after_days,
                "finishes_after_days": item.finishes_after_days,
                "deferrable": item.deferrable,
            }
            for item in plan.items
        ],
        "skipped": list(plan.skipped),
        "stages": [list(stage) for stage in plan.stages],
        "critical_path": list(plan.critical_path),
        "completion": {
            "working_days": plan.completion.working_days,
            "date": plan.completion.date.isoformat(),
            "provisional": plan.completion.provisional,
        },
        "form": {
            "fields": [
                {
                    "key": f.key,
                    "label": f.label.zh,
                    "label_en": f.label.en,
                    "items": list(f.items),
                    "required": f.required,
                    "prefill": f.prefill.source.value if f.prefill else None,
                    "prefill_from": f.prefill.ref if f.prefill else None,
                }
                for f in plan.fields
            ]
        },
        "materials": [
            {
                **_name(m.name),
                "certificate": m.certificate,
                "subject": m.subject,
                "items": list(m.items),
                "source": m.source.value,
                "source_ref": m.ref,
                "necessity": m.necessity.value,
                "form": m.form.value,
            }
            for m in plan.materials
        ],
        "metrics": metrics,
    }
