"""Settings: a TOML file, the environment and command-line options, merged once at the edge.

Settings are passed in to library code, never read at import time. Secrets (the SMTP
password) come only from the environment and are never part of :class:`Settings`.
"""

from __future__ import annotations

import math
import os
import re
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import platformdirs

from tracker.errors import ConfigError
from tracker.extract import QualityThresholds
from tracker.urls import require_http_url

DEFAULT_ARCHIVE = "https://web.archive.org"
SMTP_PASSWORD_ENV = "REDLINE_SMTP_PASSWORD"
DATABASE_ENV = "REDLINE_DATABASE_URL"


@dataclass(frozen=True)
class ArchiveSettings:
    """Which archive to ask and how politely (80 % of the Internet Archive's published limits)."""

    url: str = DEFAULT_ARCHIVE
    search_per_minute: float = 24.0
    replay_per_second: float = 8.0
    max_page_mb: float = 20.0  # a bigger answer is a failed capture, never read into memory


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
_KINDS = {str: "a string", int: "an integer", float: "a number", bool: "true or false"}
_TIME = re.compile(r"^(?:[01]?\d|2[0-3]):[0-5]\d$")
# Keys that name a secret, in any table: password, smtp_password, passwd, api_token, secret…
_SECRET_KEY = re.compile(r"pass(?:word|wd)?$|secret|token|api_?key|credential", re.IGNORECASE)
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
            kind = _KINDS.get(type(default), type(default).__name__)
            raise ConfigError(f"{where}: {name}.{key} must be {kind}, not {value!r}")
        values[spec.name] = value
    return cls(**values)


def _check(settings: Settings, where: Path | str) -> Settings:
    """Values of the right type can still be impossible: say which, before anything runs.

    Returns the settings with the archive URL as checked (surrounding spaces stripped).
    """
    archive = settings.archive
    try:
        url = require_http_url(archive.url, "archive.url")
    except ConfigError as exc:
        raise ConfigError(f"{where}: {exc}") from None
    for key in ("search_per_minute", "replay_per_second"):
        rate = getattr(archive, key)
        if not math.isfinite(rate) or rate < 0:
            raise ConfigError(f"{where}: archive.{key} must be a number ≥ 0 (0 turns it off)")
    if not (math.isfinite(archive.max_page_mb) and archive.max_page_mb > 0):
        raise ConfigError(f"{where}: archive.max_page_mb must be a number of megabytes > 0")
    if settings.email.security not in _SECURITY:
        raise ConfigError(f"{where}: email.security must be one of {', '.join(_SECURITY)}")
    if not 1 <= settings.email.smtp_port <= 65535:
        raise ConfigError(f"{where}: email.smtp_port must be a port number, 1 to 65535")
    if not _TIME.match(settings.digest.daily_at):
        raise ConfigError(f"{where}: digest.daily_at must be a time like 08:00 (HH:MM)")
    if settings.digest.weekly_on.lower() not in _WEEKDAYS:
        raise ConfigError(f"{where}: digest.weekly_on must be a weekday name")
    quality = settings.quality
    if quality.min_words < 0 or quality.short_page_words < 0:
        raise ConfigError(f"{where}: quality word counts cannot be negative")
    return replace(settings, archive=replace(archive, url=url))


def _refuse_secrets(data: dict[str, Any], where: Path, mode: int | None) -> None:
    """ConfigError for a secret written in the file: secrets come only from the environment.

    A password in a file ends up in backups, dotfile repositories and screen shares; when
    the file is readable by other users, the message says so, since the secret may be out.
    """
    tables = [("", data), *((f"{k}.", v) for k, v in data.items() if isinstance(v, dict))]
    found = [prefix + key for prefix, table in tables for key in table if _SECRET_KEY.search(key)]
    database = data.get("database")
    if isinstance(database, str) and _url_password(database):
        found.append("database")
    if not found:
        return
    key = found[0]
    if key == "database":
        what, instead = "a database URL with a password", f"set {DATABASE_ENV} instead"
    else:
        what, instead = "a secret", f"set {SMTP_PASSWORD_ENV} for the SMTP password"
    message = (
        f"{where}: {key} holds {what}; Redline reads secrets only from the environment: "
        f"delete it from the file and {instead}"
    )
    if mode is not None and mode & (stat.S_IRGRP | stat.S_IROTH):
        message += (
            f" (warning: the file is readable by other users, mode {stat.S_IMODE(mode):04o}: "
            f"run chmod 600 {where} and change that secret)"
        )
    raise ConfigError(message)


def _url_password(url: str) -> bool:
    """Whether a URL carries a password (``scheme://user:password@host/…``)."""
    try:
        return bool(urlsplit(url).password)
    except ValueError:
        return False


def parse_settings(text: str, where: Path, mode: int | None = None) -> Settings:
    """Settings from the text of a TOML file; any unknown key, wrong type or secret is a
    ConfigError. ``mode`` is the file's ``st_mode``, to warn when others can read a secret."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: not valid TOML: {exc}") from exc
    _refuse_secrets(data, where, mode)
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
    return _check(settings, where)


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
            mode = path.stat().st_mode
        except OSError as exc:
            raise ConfigError(f"cannot read config file {path}: {exc.strerror or exc}") from exc
        except UnicodeDecodeError as exc:
            raise ConfigError(f"config file {path} is not UTF-8 text (byte {exc.start})") from exc
        settings = parse_settings(text, path, mode)
    elif named and path.exists():
        raise ConfigError(f"config file {path} is not a file")
    elif named:
        raise ConfigError(f"config file {path} does not exist")
    url = database or env.get(DATABASE_ENV) or settings.database
    return replace(settings, database=url)
