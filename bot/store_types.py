"""The store's value types and the pure helpers it needs (no SQL here: that stays in the ``bot/store_*.py`` parts).

Readers get frozen dataclasses, never rows, so a cog cannot poke at columns or hold a cursor open.
"""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
import sqlite3
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib import resources
from typing import Any, Final, Literal
from urllib.parse import urlsplit

from bot.analysis.result import CATEGORIES, SEVERITY_RANK, Result
from bot.config import MAX_RETENTION_DAYS
from bot.errors import InputError, StoreError

# 'superseded': the same text was analysed again (another engine version) while the flag still waited, so the
# newer analysis's flags replace it in the queue; a verdict already given is never superseded.
Status = Literal["pending", "confirmed", "dismissed", "superseded"]
STATUSES: tuple[str, ...] = ("pending", "confirmed", "dismissed", "superseded")
# Not a status: how server statistics count apart a pending flag under the review threshold (so in no queue).
BELOW_THRESHOLD: Final = "below threshold"
# Not a status either: a confirmed or dismissed flag that took over the verdict given the same claim on an earlier
# analysis (migration 0011). Statistics count it apart, so each moderator's decision is counted once, on its own flag.
CARRIED: Final = "carried"
# How /stats and `byline db stats` name those counts, so their "pending" is not read as every pending flag.
STATS_LABELS: Final = {"pending": "pending (in review queue)", BELOW_THRESHOLD: "below threshold (not sent for review)",
                       CARRIED: "verdict carried over (not a new decision)"}
# Who is looking at the library: a member's id (public analyses and their own private ones), PUBLIC (nobody in
# particular: public ones only, the default) or STAFF (review cards for moderators, the CLI): every analysis.
PUBLIC: Final = "public"
STAFF: Final = "staff"
Viewer = int | Literal["public", "staff"]
FORGOTTEN_ID = 0  # a forgotten reviewer's id and name in reviews and the audit log (migration 0004 allows it)
FORGOTTEN_NAME = "forgotten user"
THRESHOLDS: tuple[str, ...] = ("low", "medium", "high")

# Short ids avoid 0/o, 1/i/l so they survive being read aloud or typed from a screenshot.
ID_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
ID_LENGTH = 6
_ID_RE = re.compile(f"^[{ID_ALPHABET}]{{{ID_LENGTH}}}$")

_WS = re.compile(r"\s+")
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class GuildSettings:
    """Per-server choices; defaults apply until a moderator changes one."""

    guild_id: int
    review_channel_id: int | None = None
    mod_role_id: int | None = None
    autoreply_channel_ids: frozenset[int] = frozenset()
    summary_sentences: int | None = None
    flag_threshold: str = "medium"
    retention_days: int | None = None


SETTING_KEYS: tuple[str, ...] = (
    "review_channel_id", "mod_role_id", "autoreply_channel_ids", "summary_sentences", "flag_threshold",
    "retention_days",
)


@dataclass(frozen=True)
class StoredAnalysis:
    """One saved analysis with what is known about the text it came from."""

    id: str
    guild_id: int
    document_id: int
    title: str | None
    url: str | None
    author_id: int | None
    channel_id: int | None
    message_link: str | None
    engine_version: str
    created_at: datetime
    result: Result
    flag_ids: tuple[int, ...]
    cached: bool = False
    private: bool = False    # ephemeral request or a channel @everyone cannot read: listed for its author only


@dataclass(frozen=True)
class StoredFlag:
    """One flag and where it stands in the moderators' review."""

    id: int
    guild_id: int
    analysis_id: str
    category: str
    severity: str
    start: int
    end: int
    evidence: str
    reason: str
    sentence: str
    status: Status
    reviewer_id: int | None
    reviewer_name: str | None
    reviewed_at: datetime | None
    note: str | None
    review_channel_id: int | None
    review_message_id: int | None
    created_at: datetime
    superseded_by: str | None = None  # the analysis whose flags replaced this one (status 'superseded')
    verdict_from: int | None = None  # the earlier flag whose verdict this one carried (see AnalysesStore._supersede)


@dataclass(frozen=True)
class ReviewEvent:
    """One line of the append-only audit log: confirmed, dismissed, note, posted, superseded or carried (a verdict
    taken over from the same claim on an earlier analysis of the article)."""

    id: int
    guild_id: int
    flag_id: int
    action: str
    actor_id: int | None
    actor_name: str | None
    note: str | None
    created_at: datetime


@dataclass(frozen=True)
class SearchHit:
    """A search result: which analysis, and a snippet with the matched words between ``**``."""

    analysis_id: str
    title: str | None
    url: str | None
    snippet: str
    created_at: datetime
    rank: float


@dataclass(frozen=True)
class SiteStats:
    """Sourcing for one website (URL host)."""

    site: str
    analyses: int
    attributions: int
    unnamed: int

    @property
    def unnamed_share(self) -> float | None:
        """Share of claims with no named source, or None when nothing was attributed."""
        return self.unnamed / self.attributions if self.attributions else None


@dataclass(frozen=True)
class GuildStats:
    """What a server has analysed.

    Attributions, sites and flags by category use each document's latest analysis only, so re-runs don't double.
    Flags by status count every flag once under one heading: a decision taken on an earlier analysis stays a
    decision, a pending flag a re-analysis replaced is counted as superseded, and a verdict carried over apart.
    """

    guild_id: int
    documents: int = 0
    analyses: int = 0
    attributions: Mapping[str, int] = field(default_factory=dict)
    sites: tuple[SiteStats, ...] = ()
    # by status, "pending" counting the review queue only (see bot.store_review.in_queue), as /review stats does, and
    # "confirmed" and "dismissed" the moderators' own decisions only, as /review stats does too
    flags_by_status: Mapping[str, int] = field(default_factory=dict)
    # pending flags below the server's threshold with no card: never sent for review, so in no queue
    flags_below_threshold: int = 0
    # flags that took over a verdict given before (``verdict_from``): counted here, not again under their verdict
    flags_carried: int = 0
    # the flags of each document's latest analysis, whatever their status: not those a re-analysis replaced
    flags_by_category: Mapping[str, int] = field(default_factory=dict)

    @property
    def total_attributions(self) -> int:
        """Every attributed claim, named or not."""
        return sum(self.attributions.values())

    @property
    def unnamed_share(self) -> float | None:
        """Share of claims whose source is anonymous, vague or missing (a resolved pronoun counts as named)."""
        total = self.total_attributions
        unnamed = sum(self.attributions.get(k, 0) for k in ("anonymous", "vague", "none"))
        return unnamed / total if total else None


# --- pure helpers -----------------------------------------------------------------------------------------


def no_surrogates(text: str) -> str:
    """Replace lone surrogates (valid in a Python str, not in UTF-8) with U+FFFD; one code point each keeps offsets."""
    return _SURROGATE.sub("\ufffd", text)


def optional_text(text: str | None) -> str | None:
    """``no_surrogates`` for optional metadata."""
    return None if text is None else no_surrogates(str(text))


def normalise_text(text: str) -> str:
    """NFC, whitespace runs folded to one space, ends trimmed; case is kept because it can change meaning."""
    return _WS.sub(" ", unicodedata.normalize("NFC", text)).strip()


def content_hash(text: str) -> str:
    """Hash of the normalised text: the same article pasted twice hits the cache."""
    data = normalise_text(no_surrogates(text)).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def document_key(text: str, private_for: int | None) -> str:
    """The documents' unique key: the text's hash, plus the author for a private document.

    A private analysis is never shared through the cache, so the same text shared publicly later gets its own
    public document, and nobody else's request can return (and so reveal) a private one.
    """
    digest = content_hash(text)
    return digest if private_for is None else f"{digest}/private/{int(private_for)}"


def new_short_id() -> str:
    """A random id such as ``b7k2m9``; the database's UNIQUE constraint catches the rare clash."""
    return "".join(secrets.choice(ID_ALPHABET) for _ in range(ID_LENGTH))


def clean_short_id(raw: str) -> str | None:
    """Accept ``#B7K2M9`` or `` b7k2m9 `` as typed by a person; None when it cannot be an id."""
    value = raw.strip().lstrip("#").strip().lower() if isinstance(raw, str) else ""
    return value if _ID_RE.match(value) else None


def site_of(url: str | None) -> str | None:
    """The host of a URL without ``www.``, for per-site statistics."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host.removeprefix("www.")


def guild_match(guild_id: int, terms: str) -> str:
    """The full MATCH expression: this guild's token, and the user's terms in title, summary or text only."""
    return f'guild : "g{int(guild_id)}" AND {{title summary text}} : ({terms})'


def to_db_time(when: datetime) -> str:
    """Fixed-width UTC text, so SQL can compare and sort timestamps as strings (``strftime("%Y")`` writes the year
    999 as "999", which sorts after "2024"; ``isoformat`` pads it). A UTC date past year 1 to 9999 is refused."""
    try:
        utc = (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC)
    except OverflowError:
        raise InputError(f"{when.isoformat()} is out of range: dates must fall in years 1 to 9999 (UTC).") from None
    return utc.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def from_db_time(value: str | None) -> datetime | None:
    """Read a stored timestamp back as an aware UTC datetime."""
    return datetime.fromisoformat(value) if value else None


def utcnow() -> datetime:
    """Now, aware, in UTC."""
    return datetime.now(UTC)


def days_ago(now: datetime, days: int) -> str:
    """The stored-time cut-off for a retention of ``days``."""
    return to_db_time(now - timedelta(days=days))


def check_guild(guild_id: int) -> int:
    """Guild ids are non-negative integers (0 is the CLI's own space); anything else is a caller bug."""
    if isinstance(guild_id, bool) or not isinstance(guild_id, int) or not 0 <= guild_id < 2**63:
        raise InputError(f"Invalid server id: {guild_id!r}.")
    return guild_id


def check_export_filters(fmt: str, status: str | None, category: str | None) -> None:
    """Refuse unknown formats and filter values with a message that lists the valid ones."""
    if fmt not in ("csv", "jsonl"):
        raise InputError("Export format must be csv or jsonl.")
    if status is not None and status not in STATUSES:
        raise InputError(f"Status must be one of {', '.join(STATUSES)}.")
    if category is not None and category not in CATEGORIES:
        raise InputError(f"Category must be one of {', '.join(CATEGORIES)}.")


def severity_rank(severity: str) -> int:
    """Rank used for ``min_severity`` filters; unknown severities are refused."""
    if severity not in SEVERITY_RANK:
        raise InputError(f"Severity must be one of {', '.join(THRESHOLDS)}.")
    return SEVERITY_RANK[severity]


def validate_settings(changes: Mapping[str, Any]) -> dict[str, Any]:
    """Check a settings change; return the values as they are stored (channel sets become sorted lists)."""
    out: dict[str, Any] = {}
    for key, value in changes.items():
        if key not in SETTING_KEYS:
            raise InputError(f"Unknown setting {key!r}.")
        out[key] = _check_setting(key, value)
    return out


def _check_setting(key: str, value: Any) -> Any:
    if key in ("review_channel_id", "mod_role_id"):
        return _optional_int(key, value, 1, 2**63 - 1)
    if key == "summary_sentences":
        return _optional_int(key, value, 1, 50)
    if key == "retention_days":
        return _optional_int(key, value, 1, MAX_RETENTION_DAYS)  # the bound /settings and the CLI give
    if key == "flag_threshold":
        if value not in THRESHOLDS:
            raise InputError(f"flag_threshold must be one of {', '.join(THRESHOLDS)}.")
        return value
    ids = list(value) if isinstance(value, Iterable) and not isinstance(value, str | bytes) else None
    if ids is None or len(ids) > 500 or None in ids:
        raise InputError("autoreply_channel_ids must be a list of at most 500 channel ids.")
    return sorted({_optional_int(key, i, 1, 2**63 - 1) for i in ids})


def _optional_int(key: str, value: Any, low: int, high: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InputError(f"{key} must be a whole number from {low} to {high}, or unset.")
    return value


# --- migrations and SQLite plumbing that holds no SQL of its own ------------------------------------------


@functools.cache
def migrations() -> tuple[tuple[int, str, str], ...]:
    """The packaged migrations as ``(version, name, sql)``, checked to be numbered 1, 2, 3... with no gap.

    Read once per process: every connection (each export opens one) checks the schema version against them.
    """
    found = []
    for entry in resources.files("bot").joinpath("migrations").iterdir():
        if entry.name.endswith(".sql"):
            found.append((int(entry.name.split("_", 1)[0]), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    if [v for v, _, _ in found] != list(range(1, len(found) + 1)):
        raise StoreError("Byline's migration files are not numbered 1..N; the install is broken.")
    return tuple(found)


def latest_version() -> int:
    """The schema version this code writes."""
    return len(migrations())


def split_statements(script: str) -> Iterable[str]:
    """Split a migration into statements (triggers hold inner semicolons, so a plain split is wrong)."""
    buf: list[str] = []
    for line in script.splitlines(keepends=True):
        if not buf and (not line.strip() or line.lstrip().startswith("--")):
            continue
        buf.append(line)
        if sqlite3.complete_statement("".join(buf)):
            yield "".join(buf).strip()
            buf = []
    if "".join(buf).strip():
        raise StoreError("A migration ends with an incomplete statement; the install is broken.")


def is_busy(exc: BaseException) -> bool:
    """SQLite's "database is locked" / "busy": worth a retry, unlike other errors."""
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc))


def csv_cell(value: Any) -> Any:
    """Defuse spreadsheet formulas: untrusted text starting with = + - @ would run when the CSV is opened."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
