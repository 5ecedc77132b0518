"""Posted review cards: one lock per card, and the event that says some cards wait to be cleaned up.

A card is edited from three places (a moderator's click, a newer analysis replacing its flags, and the
clean-up after a forget-me or retention). Each reads the store and then edits; holding the card's lock across
both means the last edit always shows the latest stored state, so a slow click cannot put deleted text back.
"""

from __future__ import annotations

import asyncio
import weakref

CARDS_STALE_EVENT = "byline_cards_stale"  # dispatched after a forget-me or prune listed cards to clean

_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, weakref.WeakValueDictionary[int, asyncio.Lock]] = (
    weakref.WeakKeyDictionary())


def card_lock(message_id: int) -> asyncio.Lock:
    """The running loop's lock for one card; it lives only while someone holds or awaits it."""
    per_loop = _locks.setdefault(asyncio.get_running_loop(), weakref.WeakValueDictionary())
    lock = per_loop.get(message_id)
    if lock is None:
        lock = asyncio.Lock()
        per_loop[message_id] = lock
    return lock
