"""Pages of the admin area (templates/admin/)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
