"""Settings of a deployment, read from `YIJIANSHI_*` environment variables."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SIGNING_KEY = Path("yijianshi-signing-key.pem")


def sample_catalog_dir() -> Path:
    """The sample catalogue shipped with the package."""
    return Path(str(files("yijianshi") / "sample_catalog"))


class Settings(BaseSettings):
    """Every setting of yijianshi; `docs/settings.md` is generated from these descriptions."""

    model_config = SettingsConfigDict(env_prefix="YIJIANSHI_", extra="ignore")

    catalog_dir: Path = Field(
        default_factory=sample_catalog_dir, description="Directory of the catalogue (YAML files) to serve"
    )
    calendar_overrides: Path | None = Field(
        None,
        description="YAML file of official holiday schedules for years the "
        "chinesecalendar package does not know yet",
    )
    database_url: str = Field(
        "sqlite:///yijianshi.sqlite3",
        description="SQLAlchemy URL of the database: sqlite:///FILE (embedded default, in the "
        "working directory) or postgresql+psycopg://USER@HOST/DB (production)",
    )
    simulated_delay_s: float = Field(
        0.0, ge=0, description="Seconds a simulated department takes to accept and complete a case"
    )
    environment: Literal["development", "production"] = Field(
        "development",
        description="development generates what is missing (the signing key) on first "
        "use; production refuses to sign without an existing key",
    )
    signing_key: Path = Field(
        DEFAULT_SIGNING_KEY,
        description="PEM file of the Ed25519 private key that signs issued electronic certificates "
        "(in the working directory by default; never commit it)",
    )
    trusted_keys: Path | None = Field(
        None,
        description="Directory of PEM public keys (*.pem) of other issuers whose certificates "
        "`yijianshi certificate verify` accepts, besides the platform's own",
    )

    secret_key: SecretStr | None = Field(
        None,
        description="Secret (at least 32 bytes) that signs login tokens and session cookies; "
        "required in production; in development a random one is made per start",
    )
    token_minutes: int = Field(30, ge=1, le=24 * 60, description="How long a login token or session lasts")
    lockout_attempts: int = Field(5, ge=1, description="Failed logins in a row that lock an account")
    lockout_minutes: int = Field(15, ge=1, description="How long a locked account stays locked")
    rectification_days: int = Field(
        15, ge=1, description="Working days a department has to rectify a bad rating (整改时限)"
    )
    draft_retention_days: int = Field(
        30,
        ge=1,
        le=3650,
        description="Days an application left unsubmitted (the pages' draft) and the materials uploaded "
        "for it are kept after its last change; then the worker deletes them, each deletion "
        "recorded in the applicant's audit trail",
    )
    upload_max_bytes: int = Field(
        10 * 1024 * 1024,
        ge=1024,
        le=100 * 1024 * 1024,
        description="Largest uploaded material accepted, in bytes (PDF, JPEG or PNG)",
    )

    department_gateway: Literal["simulated", "worklist", "webhook"] = Field(
        "simulated",
        description="How cases reach a department not listed in the departments file: "
        "simulated (answered by the simulator), worklist (staff work in "
        "yijianshi), webhook (needs the department's url and secret_env, so "
        "only where every department is listed)",
    )
    departments_config: Path | None = Field(
        None,
        description="YAML file choosing each department's gateway: `departments: {CODE: {gateway: "
        "webhook, url: ..., secret_env: NAME}}` (gateway worklist, webhook or simulated), "
        "NAME being the environment variable that holds the department's HMAC secret "
        "(never the secret itself)",
    )
    delivery_backoff_base_s: float = Field(
        2.0,
        gt=0,
        description="Seconds before the first retry of a failed delivery; each later retry "
        "waits twice as long (between half and all of it, at random)",
    )
    delivery_backoff_cap_s: float = Field(
        600.0, gt=0, description="Longest wait in seconds between two attempts to deliver a dispatch"
    )
    delivery_retry_budget: int = Field(
        20,
        ge=1,
        description="Failed attempts after which a dispatch is dead-lettered (no more "
        "automatic attempts; an administrator replays it)",
    )
    webhook_timeout_s: float = Field(
        5.0,
        gt=0,
        le=60,
        description="Seconds a department system has to connect and to answer a "
        "webhook delivery before the attempt counts as failed",
    )

    @model_validator(mode="after")
    def _production_has_a_secret(self) -> Settings:
        if self.environment == "production" and (
            self.secret_key is None or len(self.secret_key.get_secret_value().encode()) < 32
        ):
            raise ValueError(
                "in production, set YIJIANSHI_SECRET_KEY to a random secret of at least 32 bytes"
            )
        return self

    @model_validator(mode="after")
    def _backoff_cap_is_not_below_its_base(self) -> Settings:
        if self.delivery_backoff_cap_s < self.delivery_backoff_base_s:
            raise ValueError(
                "set YIJIANSHI_DELIVERY_BACKOFF_CAP_S to at least YIJIANSHI_DELIVERY_BACKOFF_BASE_S"
            )
        return self

    @model_validator(mode="after")
    def _production_names_its_key(self) -> Settings:
        if self.environment == "production" and self.signing_key == DEFAULT_SIGNING_KEY:
            raise ValueError(
                "in production, set YIJIANSHI_SIGNING_KEY to the PEM file of the platform's "
                "Ed25519 key; the development default is not used"
            )
        return self
