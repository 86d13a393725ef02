"""Settings: one pydantic-settings class, read from ``CONFIDE_*`` environment variables
and an optional TOML file (``CONFIDE_CONFIG=path/to/confide.toml``).

Nothing connects or reads keys at import time: :func:`load_settings` builds a
``Settings`` value, and ``confide.bootstrap`` wires adapters from it.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

DEFAULT_DATA_DIR = Path("var")


class Settings(BaseSettings):
    """Every setting Confide reads. Environment: ``CONFIDE_<NAME>`` (e.g. ``CONFIDE_DATABASE_URL``)."""

    model_config = SettingsConfigDict(env_prefix="CONFIDE_", extra="forbid")

    data_dir: Path = Field(
        default=DEFAULT_DATA_DIR, description="Where the embedded default keeps its files."
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; default: a SQLite file in data_dir "
        "(e.g. postgresql+psycopg://user@host/db for production).",
    )
    key_file: Path | None = Field(
        default=None,
        description="Encryption key file (created with mode 0600 on first run); default data_dir/confide.key.",
    )
    keys: SecretStr | None = Field(
        default=None,
        description="The key ring as JSON, instead of a key file (for containers); never logged.",
    )
    audit_key_file: Path | None = Field(
        default=None,
        description="Ed25519 key that signs audit checkpoints (0600); default data_dir/audit-signing.key.",
    )
    audit_signing_key: SecretStr | None = Field(
        default=None, description="The audit signing key's text, instead of a file; never logged."
    )
    audit_origin: str = Field(
        default="confide-audit",
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$",
        description="Name of this log in its checkpoints (and of the key that signs them).",
    )
    policy_file: Path | None = Field(
        default=None, description="Policy file; default: the packaged policy."
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    max_body_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    sql_echo: bool = False
    trusted_proxies: str = Field(
        default="",
        pattern=r"^[0-9A-Fa-f.:/, ]*$",
        description="Addresses or networks (comma-separated, e.g. 10.0.0.5,10.1.0.0/16) of the "
        "reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed. Empty "
        "(default): none, not even loopback; the client is the peer of the connection.",
    )
    rate_limit_url: str | None = Field(
        default=None,
        description="Where the public front doors' rate limits are counted, shared by every "
        "serving process: default the store; redis://... to count them in Redis.",
    )
    webhook_allowed_hosts: str = Field(
        default="",
        max_length=2000,
        description="Hosts (names, addresses or networks, comma-separated) a recipient's "
        "webhook may reach although they are not public addresses: a relay on this machine "
        "(127.0.0.1), a receiver inside the network (10.0.0.0/8). Empty (default): public "
        "addresses only.",
    )
    hsts_seconds: int = Field(
        default=0,
        ge=0,
        le=63_072_000,
        description="Send Strict-Transport-Security with this max-age on every answer "
        "(0, default: not sent; set it when Confide is reached over HTTPS only).",
    )
    # --- background jobs (confide.adapters.queue) and mail (confide.adapters.mail) ---
    queue_url: str | None = Field(
        default=None,
        description="Task queue: default a SQLite file in data_dir (one machine); "
        "redis://127.0.0.1:6379/0 for workers on several machines.",
    )
    queue_name: str = Field(
        default="confide",
        pattern=r"^[A-Za-z0-9_]{1,64}$",
        description="Name of the queue (keys in Redis, rows in the SQLite file).",
    )
    worker_threads: int = Field(
        default=2, ge=1, le=64, description="Jobs one worker process runs at once."
    )
    job_lease_seconds: float = Field(
        default=60.0,
        gt=0,
        description="A worker silent for this long is presumed dead and its running jobs run again.",
    )
    job_retention_days: int = Field(
        default=7,
        ge=1,
        description="How long finished jobs (and so their idempotency keys) are remembered.",
    )
    smtp_host: str | None = Field(
        default=None, description="SMTP server; unset: mail is not sent (mail jobs dead-letter)."
    )
    smtp_port: int | None = Field(
        default=None,
        ge=1,
        le=65535,
        description="SMTP port; default 587 with starttls, 465 with tls, 25 with none.",
    )
    smtp_tls: str = Field(
        default="starttls",
        pattern=r"^(none|starttls|tls)$",
        description="none, starttls (upgrade a plain connection) or tls (implicit TLS).",
    )
    smtp_username: str | None = Field(
        default=None, description="SMTP login, if the server wants one."
    )
    smtp_password: SecretStr | None = Field(
        default=None, description="SMTP password; never logged."
    )
    smtp_timeout: float = Field(
        default=30.0, gt=0, description="Seconds to wait for the SMTP server."
    )
    mail_from: str = Field(
        default="privacy@localhost", description="Sender address of the mail Confide sends."
    )
    # --- requests (confide.services.requests, ACC-1..11) ---
    privacy_officer_email: str | None = Field(
        default=None,
        description="Where reminders and escalations of access requests go (ACC-3); unset: none sent.",
    )
    verification_code_minutes: int = Field(
        default=15, ge=1, le=1440, description="How long a one-time identity code is valid."
    )
    verification_max_attempts: int = Field(
        default=5, ge=1, le=20, description="Wrong tries allowed for one code before it is void."
    )
    verification_codes_per_hour: int = Field(
        default=3, ge=1, le=100, description="Codes sent per subject and per address in an hour."
    )
    unverified_request_days: int = Field(
        default=7,
        ge=1,
        le=30,
        description="Days an individual's own request may wait for its identity to be verified "
        "before it expires and what it carried is disposed of (at most the 30-day answer time).",
    )
    public_url: str | None = Field(
        default=None,
        pattern=r"^https?://[^\s/]+(/[^\s]*)?$",
        description="The address individuals reach the portal at (e.g. https://privacy.example.ca), "
        "for links in the mail they receive; unset: the mail names the portal without a link.",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        config_file = os.environ.get("CONFIDE_CONFIG")
        if config_file:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=Path(config_file)))
        return tuple(sources)

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'confide.db').as_posix()}"

    @property
    def effective_key_file(self) -> Path:
        return self.key_file or self.data_dir / "confide.key"

    @property
    def effective_audit_key_file(self) -> Path:
        return self.audit_key_file or self.data_dir / "audit-signing.key"

    @property
    def effective_queue_url(self) -> str:
        return self.queue_url or f"sqlite:///{(self.data_dir / 'queue.db').as_posix()}"


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment (and CONFIDE_CONFIG), with explicit overrides winning."""
    clean = {k: v for k, v in overrides.items() if v is not None}
    return Settings(**clean)  # type: ignore[arg-type]
