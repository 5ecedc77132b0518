"""Sliding-window rate limits, keyed by user or channel.

A window (rather than a token bucket) gives members a simple promise: at most N requests in any 60 s.
Old keys are dropped as they expire, so memory stays bounded by the number of recently active keys.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Hashable
from typing import Any

from bot.errors import RateLimited
from bot.per_bot import PerBot


class RateLimiter:
    """Allow at most ``limit`` hits per key within any ``per`` seconds."""

    def __init__(self, limit: int, per: float = 60.0, *, clock: Callable[[], float] = time.monotonic) -> None:
        if limit < 1 or per <= 0:
            raise ValueError("limit must be >= 1 and per > 0")
        self.limit = limit
        self.per = per
        self._clock = clock
        self._hits: dict[Hashable, deque[float]] = {}
        self._last_sweep = clock()

    def retry_after(self, key: Hashable) -> float:
        """Seconds until ``key`` may hit again (0 when it may hit now); records nothing."""
        now = self._clock()
        hits = self._prune(key, now)
        if hits is None or len(hits) < self.limit:
            return 0.0
        return max(0.0, hits[0] + self.per - now)

    def hit(self, key: Hashable) -> None:
        """Record one hit for ``key``, or raise ``RateLimited`` (recording nothing) if over the limit."""
        now = self._clock()
        self._sweep(now)
        hits = self._prune(key, now)
        if hits is None:
            hits = self._hits[key] = deque()
        if len(hits) >= self.limit:
            raise RateLimited(hits[0] + self.per - now)
        hits.append(now)

    def try_hit(self, key: Hashable) -> bool:
        """Like ``hit`` but answer False instead of raising: for quiet skips (auto-replies)."""
        try:
            self.hit(key)
        except RateLimited:
            return False
        return True

    def reset(self, key: Hashable | None = None) -> None:
        """Forget one key, or every key."""
        if key is None:
            self._hits.clear()
        else:
            self._hits.pop(key, None)

    def __len__(self) -> int:
        return len(self._hits)

    def _prune(self, key: Hashable, now: float) -> deque[float] | None:
        hits = self._hits.get(key)
        if hits is None:
            return None
        while hits and hits[0] <= now - self.per:
            hits.popleft()
        return hits

    def _sweep(self, now: float) -> None:
        """Drop keys whose window has passed, at most once per window."""
        if now - self._last_sweep < self.per:
            return
        self._last_sweep = now
        stale = [k for k, hits in self._hits.items() if not hits or hits[-1] <= now - self.per]
        for key in stale:
            del self._hits[key]


def hit_all(*checks: tuple[RateLimiter, Hashable]) -> None:
    """Record one hit with every limiter, or raise ``RateLimited`` recording none: a channel that is full must not
    use up the member's own allowance as well."""
    waits = [limiter.retry_after(key) for limiter, key in checks]
    if any(waits):
        raise RateLimited(max(waits))
    for limiter, key in checks:
        limiter.hit(key)


# The limiters several places share, per owner (the bot): they go when it does.
_SHARED: PerBot[dict[str, RateLimiter]] = PerBot(dict)


def shared_limiter(owner: Any, name: str, limit: int, per: float = 60.0) -> RateLimiter:
    """``owner``'s limiter called ``name``, made with ``limit`` hits per ``per`` seconds on first use.

    For one allowance spent in several places that share no object but the bot, such as a cog's commands and a
    persistent button.
    """
    limiters = _SHARED.of(owner)
    if name not in limiters:
        limiters[name] = RateLimiter(limit, per)
    return limiters[name]


def library_limiter(bot: Any) -> RateLimiter:
    """The per-member allowance of library reads: /lookup, /recent, /stats and the Full report button.

    Each reads the store and renders on the bot's one event loop, which every server shares, so a member
    repeating them gets ``[discord] library_rate_per_minute`` a minute (searches have their own allowance).
    """
    return shared_limiter(bot, "library", bot.settings.discord.library_rate_per_minute)
