"""Sliding-window rate limits and the loop-lag monitor's arithmetic, on a fake clock (no sleeping)."""

from __future__ import annotations

import pytest

from bot.errors import RateLimited
from bot.monitor import LoopLagMonitor, percentile
from bot.ratelimit import RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_allows_limit_then_refuses_with_retry_after():
    """The (limit+1)-th hit inside the window is refused and says when to retry."""
    clock = Clock()
    limiter = RateLimiter(3, 60, clock=clock)
    for _ in range(3):
        limiter.hit("u")
        clock.now += 1
    with pytest.raises(RateLimited) as info:
        limiter.hit("u")
    assert info.value.retry_after == pytest.approx(57)
    assert "57 s" in info.value.user_message


def test_window_slides():
    """Once the oldest hit leaves the window, one more is allowed (and only one)."""
    clock = Clock()
    limiter = RateLimiter(2, 10, clock=clock)
    limiter.hit("u")
    clock.now += 5
    limiter.hit("u")
    clock.now += 5.01
    limiter.hit("u")
    assert not limiter.try_hit("u")


def test_keys_are_independent_and_refusals_are_not_recorded():
    """One user's limit doesn't touch another's; a refused hit doesn't extend the wait."""
    clock = Clock()
    limiter = RateLimiter(1, 60, clock=clock)
    limiter.hit("a")
    limiter.hit("b")
    for _ in range(5):
        assert not limiter.try_hit("a")
    clock.now += 60.01
    assert limiter.try_hit("a")


def test_retry_after_peeks_without_recording():
    """retry_after() answers 0 for a fresh key and records nothing."""
    clock = Clock()
    limiter = RateLimiter(1, 60, clock=clock)
    assert limiter.retry_after("u") == 0
    assert limiter.retry_after("u") == 0
    limiter.hit("u")
    assert limiter.retry_after("u") == pytest.approx(60)


def test_stale_keys_are_swept():
    """Memory stays bounded: keys whose hits expired are dropped."""
    clock = Clock()
    limiter = RateLimiter(1, 10, clock=clock)
    for key in range(100):
        limiter.hit(key)
    clock.now += 11
    limiter.hit("fresh")
    assert len(limiter) == 1


def test_rejects_nonsense_limits():
    with pytest.raises(ValueError):
        RateLimiter(0, 60)


def test_percentiles_and_snapshot():
    """p50/p99 by nearest rank over recorded samples."""
    assert percentile([], 99) == 0.0
    monitor = LoopLagMonitor()
    for ms in range(1, 101):
        monitor.record(float(ms))
    assert monitor.p50() == 50.0
    assert monitor.p99() == 99.0
    snap = monitor.snapshot()
    assert snap["samples"] == 100 and snap["max_ms"] == 100.0
    monitor.reset()
    assert monitor.count == 0


async def test_monitor_samples_the_running_loop():
    """The sampler records while the loop runs, and stops cleanly."""
    import asyncio

    monitor = LoopLagMonitor(interval=0.001)
    monitor.start()
    for _ in range(2000):  # bounded: a sampler that never samples fails here instead of hanging the suite
        if monitor.count >= 3:
            break
        await asyncio.sleep(0.005)
    await monitor.stop()
    assert not monitor.running and monitor.count >= 3
