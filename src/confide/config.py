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
    policy_file: Path | None = Field(
        default=None, description="Policy file; default: the packaged policy."
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    max_body_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    sql_echo: bool = False

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


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment (and CONFIDE_CONFIG), with explicit overrides winning."""
    clean = {k: v for k, v in overrides.items() if v is not None}
    return Settings(**clean)  # type: ignore[arg-type]
