"""Reading settings from the environment.

Every value has a default that runs on a laptop with nothing installed; a malformed
value stops start-up with a one-line message that names the variable.
"""

import os
import re
from urllib.parse import unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


class SettingError(ImproperlyConfigured):
    """A malformed environment variable; its message is one line naming the variable."""


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise SettingError(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingError(f"{name} must be an integer, not {raw!r}") from None
    if minimum is not None and value < minimum:
        raise SettingError(f"{name} must be at least {minimum}, not {raw!r}")
    return value


_RATE = re.compile(r"[0-9]+/(s|sec|second|m|min|minute|h|hour|d|day)")


def env_rate(name: str, default: str) -> str:
    """A request rate as Django REST framework reads it: ``<requests>/<period>``, the period
    one of s, min, hour, day ("60/min")."""
    raw = env_str(name, default) or default
    if not _RATE.fullmatch(raw) or int(raw.split("/")[0]) < 1:
        raise SettingError(f"{name} must be a rate such as 60/min or 1000/hour, not {raw!r}")
    return raw


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


SUPPORTED_DATABASE_SCHEMES = {"sqlite", "postgres", "postgresql", "pgsql"}


def parse_database_url(url: str, *, name: str = "DATABASE_URL") -> dict:
    """A Django DATABASES entry for ``url`` (SQLite or PostgreSQL)."""
    scheme = urlsplit(url).scheme
    if scheme not in SUPPORTED_DATABASE_SCHEMES:
        raise SettingError(
            f"{name} must be sqlite:///path or postgres://user@host:port/name, not {url!r}"
        )
    try:
        config = dj_database_url.parse(url)
    except Exception as error:  # dj-database-url raises several kinds
        raise SettingError(f"{name} is malformed ({error}): {url!r}") from None
    if config["ENGINE"].endswith("postgresql") and not config.get("NAME"):
        raise SettingError(f"{name} names no database: {url!r}")
    try:
        if config.get("PORT"):
            int(config["PORT"])
    except ValueError:
        raise SettingError(f"{name} has a port that is not a number: {url!r}") from None
    return config


def parse_redis_url(url: str, *, name: str = "REDIS_URL") -> str:
    """``url`` itself, once it is known to be a redis://, rediss:// or unix:// address."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        raise SettingError(f"{name} has a port that is not a number: {url!r}") from None
    if parts.scheme not in {"redis", "rediss", "unix"}:
        raise SettingError(f"{name} must start with redis://, rediss:// or unix://, not {url!r}")
    if parts.scheme != "unix" and not parts.hostname:
        raise SettingError(f"{name} names no host: {url!r}")
    return url


def parse_email_url(url: str, *, name: str = "EMAIL_URL") -> dict:
    """Django e-mail settings for ``url``.

    ``console://`` (the default) prints messages, ``locmem://`` keeps them in memory,
    ``file:///path`` writes them to a folder, ``smtp://user:password@host:port`` sends them
    and ``smtps://`` / ``smtp+tls://`` do so over TLS / STARTTLS.
    """
    parts = urlsplit(url)
    backends = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "file": "django.core.mail.backends.filebased.EmailBackend",
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
        "smtps": "django.core.mail.backends.smtp.EmailBackend",
        "smtp+tls": "django.core.mail.backends.smtp.EmailBackend",
    }
    if parts.scheme not in backends:
        raise SettingError(
            f"{name} must start with one of {', '.join(sorted(backends))}://, not {url!r}"
        )
    settings = {"EMAIL_BACKEND": backends[parts.scheme]}
    if parts.scheme == "file":
        settings["EMAIL_FILE_PATH"] = parts.path
    elif parts.scheme.startswith("smtp"):
        try:
            port = parts.port
        except ValueError:
            raise SettingError(f"{name} has a port that is not a number: {url!r}") from None
        if not parts.hostname:
            raise SettingError(f"{name} names no host: {url!r}")
        settings.update(
            EMAIL_HOST=parts.hostname,
            EMAIL_PORT=port
            or (465 if parts.scheme == "smtps" else 587 if "tls" in parts.scheme else 25),
            EMAIL_HOST_USER=unquote(parts.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
            EMAIL_USE_SSL=parts.scheme == "smtps",
            EMAIL_USE_TLS=parts.scheme == "smtp+tls",
        )
    return settings


def dev_secret_key(path) -> str:
    """A random key stored at ``path`` (git-ignored), made on first use."""
    import secrets

    try:
        return path.read_text().strip()
    except FileNotFoundError:
        key = secrets.token_urlsafe(50)
        path.write_text(key)
        return key
