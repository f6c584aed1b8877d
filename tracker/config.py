"""Settings: a TOML file, the environment and command-line options, merged once at the edge.

Settings are passed in to library code, never read at import time. Secrets (the SMTP
password) come only from the environment and are never part of :class:`Settings`.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import platformdirs

from tracker.errors import ConfigError
from tracker.extract import QualityThresholds

DEFAULT_ARCHIVE = "https://web.archive.org"


@dataclass(frozen=True)
class ArchiveSettings:
    """Which archive to ask and how politely (80 % of the Internet Archive's published limits)."""

    url: str = DEFAULT_ARCHIVE
    search_per_minute: float = 24.0
    replay_per_second: float = 8.0


@dataclass(frozen=True)
class EmailSettings:
    """How digests are sent; the password comes from REDLINE_SMTP_PASSWORD only."""

    from_: str = "redline@example.org"
    smtp_host: str = "localhost"
    smtp_port: int = 587
    security: str = "starttls"
    username: str = ""


@dataclass(frozen=True)
class DigestSettings:
    """When the daily and weekly digests go out."""

    daily_at: str = "08:00"
    weekly_on: str = "monday"


@dataclass(frozen=True)
class Settings:
    """Everything configurable, after file, environment and options are merged."""

    database: str | None = None
    archive: ArchiveSettings = field(default_factory=ArchiveSettings)
    email: EmailSettings = field(default_factory=EmailSettings)
    digest: DigestSettings = field(default_factory=DigestSettings)
    quality: QualityThresholds = field(default_factory=QualityThresholds)
    source: Path | None = None


_SECTIONS: dict[str, type] = {
    "archive": ArchiveSettings,
    "email": EmailSettings,
    "digest": DigestSettings,
    "quality": QualityThresholds,
}
_SECURITY = ("starttls", "tls", "none")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def default_config_path() -> Path:
    """``config.toml`` in the user's configuration directory."""
    return Path(platformdirs.user_config_dir("redline", appauthor=False)) / "config.toml"


def _section(name: str, cls: type, data: Any, where: Path) -> Any:
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: [{name}] must be a table")
    known = {f.name.rstrip("_"): f for f in fields(cls)}
    values: dict[str, Any] = {}
    for key, value in data.items():
        spec = known.get(key)
        if spec is None:
            raise ConfigError(f"{where}: unknown key {name}.{key}; known: {', '.join(known)}")
        default = getattr(cls(), spec.name)
        if isinstance(default, float) and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if type(value) is not type(default):
            kind = type(default).__name__
            raise ConfigError(f"{where}: {name}.{key} must be a {kind}, not {value!r}")
        values[spec.name] = value
    return cls(**values)


def _check(settings: Settings, where: Path | str) -> None:
    archive = settings.archive
    if not archive.url.startswith(("http://", "https://")):
        raise ConfigError(f"{where}: archive.url must be an http(s) URL, not {archive.url!r}")
    if archive.search_per_minute < 0 or archive.replay_per_second < 0:
        raise ConfigError(f"{where}: archive rate limits cannot be negative (0 turns one off)")
    if settings.email.security not in _SECURITY:
        raise ConfigError(f"{where}: email.security must be one of {', '.join(_SECURITY)}")
    if settings.digest.weekly_on.lower() not in _WEEKDAYS:
        raise ConfigError(f"{where}: digest.weekly_on must be a weekday name")


def parse_settings(text: str, where: Path) -> Settings:
    """Settings from the text of a TOML file; any unknown key or wrong type is a ConfigError."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: not valid TOML: {exc}") from exc
    settings = Settings(source=where)
    for key, value in data.items():
        if key == "database":
            if not isinstance(value, str):
                raise ConfigError(f"{where}: database must be a string URL")
            settings = replace(settings, database=value)
        elif key in _SECTIONS:
            settings = replace(settings, **{key: _section(key, _SECTIONS[key], value, where)})
        else:
            raise ConfigError(
                f"{where}: unknown key {key}; known: database, {', '.join(_SECTIONS)}"
            )
    _check(settings, where)
    return settings


def load_settings(
    config: str | None = None,
    database: str | None = None,
    env: Mapping[str, str] | None = None,
) -> Settings:
    """Merge settings: ``--config`` / REDLINE_CONFIG / the default file, then the environment,
    then ``--db``. A named file that is missing is an error; the default one is optional."""
    env = os.environ if env is None else env
    named = config or env.get("REDLINE_CONFIG")
    path = Path(named).expanduser() if named else default_config_path()
    settings = Settings()
    if path.is_file():
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read config file {path}: {exc}") from exc
        settings = parse_settings(text, path)
    elif named:
        raise ConfigError(f"config file {path} does not exist")
    url = database or env.get("REDLINE_DATABASE_URL") or settings.database
    return replace(settings, database=url)
