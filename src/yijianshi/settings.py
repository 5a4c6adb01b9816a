"""Settings of a deployment, read from `YIJIANSHI_*` environment variables."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def sample_catalog_dir() -> Path:
    """The sample catalogue shipped with the package."""
    return Path(str(files("yijianshi") / "sample_catalog"))


class Settings(BaseSettings):
    """Every setting of yijianshi; `docs/settings.md` is generated from these descriptions."""

    model_config = SettingsConfigDict(env_prefix="YIJIANSHI_", extra="ignore")

    catalog_dir: Path = Field(default_factory=sample_catalog_dir,
                              description="Directory of the catalogue (YAML files) to serve")
    calendar_overrides: Path | None = Field(
        None, description="YAML file of official holiday schedules for years the "
                          "chinesecalendar package does not know yet")
    database_url: str = Field(
        "sqlite:///yijianshi.sqlite3",
        description="SQLAlchemy URL of the database: sqlite:///FILE (embedded default, in the "
                    "working directory) or postgresql+psycopg://USER@HOST/DB (production)")
    simulated_delay_s: float = Field(
        0.0, ge=0, description="Seconds a simulated department takes to accept and complete a case")
