"""Locks keyed by an id (a review card, a guild), one set per event loop.

A lock is kept only while someone holds or awaits it (weak values), so ids seen once do not pile up; and a
lock made on one event loop is never handed to another (tests and restarts run several loops in one process).
"""

from __future__ import annotations

import asyncio
import weakref


class KeyedLocks:
    """Hand out the running loop's lock for a key, making it on first use."""

    def __init__(self) -> None:
        self._by_loop: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, weakref.WeakValueDictionary[int, asyncio.Lock]
        ] = weakref.WeakKeyDictionary()

    def __call__(self, key: int) -> asyncio.Lock:
        per_loop = self._by_loop.setdefault(asyncio.get_running_loop(), weakref.WeakValueDictionary())
        lock = per_loop.get(key)
        if lock is None:
            lock = asyncio.Lock()
            per_loop[key] = lock
        return lock
