"""State that belongs to one bot and is shared by every cog and button that reaches it.

Several entry points (auto-replies, 📰, the message menu, slash commands) share nothing but the bot, yet must
share a count, a cache or a set of in-flight jobs. Keyed weakly, the state goes when the bot does, so tests that
start many bots never see each other's.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class PerBot(Generic[T]):
    """One ``T`` per bot, made by ``factory`` on first use."""

    def __init__(self, factory: Callable[[], T]) -> None:
        self._factory = factory
        self._by_bot: weakref.WeakKeyDictionary[Any, T] = weakref.WeakKeyDictionary()

    def of(self, bot: Any) -> T:
        """``bot``'s own ``T``."""
        found = self._by_bot.get(bot)
        if found is None:
            found = self._by_bot[bot] = self._factory()
        return found
