"""Event-loop lag: how late a short sleep wakes up, sampled continuously.

If anything blocks the loop (a parse run on it by mistake, a slow sync call), heartbeats and
interaction deadlines suffer; this makes that visible as p50/p99 figures (logged, and read by the
end-to-end load test).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections import deque

log = logging.getLogger(__name__)


def percentile(samples: list[float], q: float) -> float:
    """The ``q``-th percentile (0-100) by nearest rank; 0.0 for no samples."""
    if not samples:
        return 0.0
    ordered = sorted(samples)
    rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]


class LoopLagMonitor:
    """Sample the loop's wake-up delay every ``interval`` seconds, keeping the last ``window`` samples."""

    def __init__(self, interval: float = 0.01, window: int = 30_000) -> None:
        self.interval = interval
        self._samples: deque[float] = deque(maxlen=window)
        self._task: asyncio.Task[None] | None = None
        self.max_ms = 0.0

    def start(self) -> None:
        """Start sampling on the running loop (idempotent)."""
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run(), name="byline-loop-lag")

    async def stop(self) -> None:
        """Stop sampling and wait for the sampler to end."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    @property
    def running(self) -> bool:
        """Whether the sampler task is alive."""
        return self._task is not None and not self._task.done()

    def reset(self) -> None:
        """Forget the samples so far (e.g. before a load test)."""
        self._samples.clear()
        self.max_ms = 0.0

    def record(self, lag_ms: float) -> None:
        """Add one sample in milliseconds."""
        self._samples.append(lag_ms)
        self.max_ms = max(self.max_ms, lag_ms)

    @property
    def count(self) -> int:
        """Number of samples held."""
        return len(self._samples)

    def p50(self) -> float:
        """Median lag in milliseconds."""
        return percentile(list(self._samples), 50)

    def p99(self) -> float:
        """99th-percentile lag in milliseconds."""
        return percentile(list(self._samples), 99)

    def snapshot(self) -> dict[str, float]:
        """Figures for logs and tests: samples, p50, p99 and max, in ms."""
        samples = list(self._samples)
        return {"samples": len(samples), "p50_ms": percentile(samples, 50), "p99_ms": percentile(samples, 99),
                "max_ms": self.max_ms}

    async def _run(self) -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(self.interval)
            lag_ms = max(0.0, (time.perf_counter() - before - self.interval) * 1000)
            self.record(lag_ms)
            if lag_ms > 1000:
                log.warning("event loop blocked for %.0f ms", lag_ms)
