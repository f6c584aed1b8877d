"""URL checks shared by the CLI, the pipeline and the archive client."""

from __future__ import annotations

from urllib.parse import urlsplit

from tracker.errors import ConfigError


def require_http_url(url: str, what: str = "URL") -> str:
    """Return ``url`` stripped if it is an absolute http(s) URL with a host, else ConfigError."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError on a malformed port
    except ValueError as exc:
        raise ConfigError(f"{what} {url!r} is malformed: {exc}") from exc
    if parts.scheme not in ("http", "https"):
        raise ConfigError(f"{what} {url!r} must start with http:// or https://")
    if not parts.hostname or any(c.isspace() for c in url):
        raise ConfigError(f"{what} {url!r} is malformed: it needs a host and no spaces")
    del port
    return url


def same_document(a: str, b: str) -> bool:
    """Whether two URLs name the same page: scheme, a leading ``www.`` and a trailing slash
    do not matter (sites move to https and back without changing their policy)."""

    def key(url: str) -> tuple[str, str, str]:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower().removeprefix("www.")
        return host, parts.path.rstrip("/") or "/", parts.query

    return key(a) == key(b)
