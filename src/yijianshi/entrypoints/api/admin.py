"""Routes for administrators: the catalogue, statistics, bad ratings to rectify."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter

from yijianshi.domain.accounts import Role
from yijianshi.entrypoints.api import views
from yijianshi.entrypoints.api.deps import ContextDep
from yijianshi.entrypoints.api.schemas import (
    CatalogBundlePublic,
    CatalogItemPublic,
    RectificationPublic,
    ReplyCreate,
    StatisticsPublic,
)
from yijianshi.entrypoints.api.security import Actor, who
from yijianshi.services.cases.ratings import (
    ListRectifications,
    ReplyToRectification,
    rectifications_of,
    reply_to_rectification,
)
from yijianshi.services.cases.statistics import ComputeStatistics, statistics

router = APIRouter(prefix="/api/admin", tags=["administrators"])
ADMIN = who(Role.ADMIN)


@router.get("/catalog/items", **ADMIN)
def items(context: ContextDep) -> list[CatalogItemPublic]:
    return [
        CatalogItemPublic(
            code=i.code,
            name=i.name.zh,
            name_en=i.name.en,
            department=i.department,
            promised_days=i.promised_days,
            statutory_days=i.statutory_days,
            fields=[f.key for f in i.fields],
            materials=[m.name.zh for m in i.materials],
            issues=[p.certificate for p in i.issues],
            outputs=list(i.outputs),
        )
        for i in context.catalog.items.values()
    ]


@router.get("/catalog/bundles", **ADMIN)
def bundles(context: ContextDep) -> list[CatalogBundlePublic]:
    return [
        CatalogBundlePublic(
            code=b.code,
            name=b.name.zh,
            name_en=b.name.en,
            lead_department=b.lead_department,
            items=[bi.item for bi in b.items],
        )
        for b in context.catalog.bundles.values()
    ]


@router.get("/statistics", **ADMIN)
def get_statistics(context: ContextDep) -> StatisticsPublic:
    """Volumes, completion times, time-limit compliance, ratings."""
    return StatisticsPublic(**asdict(statistics(context, ComputeStatistics())))


@router.get("/rectifications", **ADMIN)
def all_rectifications(context: ContextDep) -> list[RectificationPublic]:
    return [views.rectification(r) for r in rectifications_of(context, ListRectifications())]


@router.post("/rectifications/{rectification_id}/reply", **ADMIN)
def reply(rectification_id: str, body: ReplyCreate, context: ContextDep, actor: Actor) -> RectificationPublic:
    return views.rectification(
        reply_to_rectification(context, ReplyToRectification(actor, rectification_id, body.reply))
    )
