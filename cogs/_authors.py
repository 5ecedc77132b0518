"""Whose words a message carries: its author's, or for a forward, those of the member who wrote the original.

A forward's text lives in its snapshot, and Discord leaves the original author out of the snapshot. Reading it
under the forwarder's name would analyse and store a member who opted out, and keep it out of reach of that
member's /forget. So every reader of a member's message (the auto-reply, 📰 and the message menu) asks here who
the author is: for a forward, the message it points to is looked up (Byline's cache, else one fetch in a server
Byline is in). When that fails (deleted, in a DM or a server Byline is not in, no access), the forward is refused
rather than credited to a guess.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import discord

from bot.errors import InputError

if TYPE_CHECKING:
    from bot.client import BylineBot

log = logging.getLogger(__name__)

# A forward's original is looked up before a menu answer is deferred, inside Discord's 3 s: give up well before.
FORWARD_LOOKUP_SECONDS = 1.5
# A forward whose original could not be looked up is refused again without asking Discord for a while: every
# refused look-up (403) counts toward Discord's invalid-request budget, which is the whole bot's.
MISS_SECONDS = 300.0
MISS_ENTRIES = 512


class ForwardUnresolved(InputError):
    """The forwarded message cannot be found, so neither its author nor their opt-out is known."""

    user_message = ("Byline can't see the message that was forwarded here (it may be deleted, or somewhere Byline "
                    "can't read), so it can't check that its author allows analysis. Share the link or text itself "
                    "instead.")


@dataclass(frozen=True)
class Source:
    """The member whose words a message carries, and the server they wrote them in (None for a DM)."""

    author_id: int
    guild_id: int | None


class LookupMisses:
    """Forwarded originals recently found out of reach, by (channel id, message id): a few minutes, a few hundred."""

    def __init__(self, *, seconds: float = MISS_SECONDS, entries: int = MISS_ENTRIES,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._seconds = seconds
        self._entries = entries
        self._clock = clock
        self._missed: OrderedDict[tuple[int, int], float] = OrderedDict()

    def __contains__(self, key: tuple[int, int]) -> bool:
        missed = self._missed.get(key)
        if missed is not None and self._clock() - missed >= self._seconds:
            del self._missed[key]
            missed = None
        return missed is not None

    def add(self, key: tuple[int, int]) -> None:
        """Remember a failed look-up; the oldest is forgotten past the size limit."""
        self._missed.pop(key, None)
        self._missed[key] = self._clock()
        while len(self._missed) > self._entries:
            self._missed.popitem(last=False)


async def message_source(bot: BylineBot, message: discord.Message, *, misses: LookupMisses | None = None) -> Source:
    """The author of what Byline reads in ``message``: its own author, or the original's for a forward.

    Raises ForwardUnresolved for a forward whose original cannot be found; with ``misses``, one that was not found
    a moment ago is refused without asking Discord again.
    """
    if not message.message_snapshots:  # not a forward: the text is the poster's own
        return Source(message.author.id, getattr(message.guild, "id", None))
    ref = message.reference
    if ref is None or ref.type is not discord.MessageReferenceType.forward or ref.message_id is None:
        raise ForwardUnresolved()
    original: Any = ref.cached_message or ref.resolved
    if not isinstance(original, discord.Message):
        key = (ref.channel_id, ref.message_id)
        if misses is not None and key in misses:
            raise ForwardUnresolved()
        try:
            original = await _fetch_original(bot, ref)
        except ForwardUnresolved:
            if misses is not None:
                misses.add(key)
            raise
    if original.id != ref.message_id:
        raise ForwardUnresolved()
    return Source(original.author.id, ref.guild_id)


async def _fetch_original(bot: BylineBot, ref: discord.MessageReference) -> discord.Message:
    """Fetch a forward's original, only from a server Byline is in: elsewhere Discord would just refuse."""
    if ref.guild_id is None or bot.get_guild(ref.guild_id) is None or ref.message_id is None:
        log.info("forwarded message %s in channel %s is outside Byline's servers", ref.message_id, ref.channel_id)
        raise ForwardUnresolved()
    try:
        async with asyncio.timeout(FORWARD_LOOKUP_SECONDS):
            channel: Any = bot.get_channel(ref.channel_id) or await bot.fetch_channel(ref.channel_id)
            if not isinstance(channel, discord.abc.Messageable) or getattr(channel, "id", None) != ref.channel_id:
                raise ForwardUnresolved()
            return await channel.fetch_message(ref.message_id)
    except (discord.HTTPException, TimeoutError) as exc:
        log.info("could not look up forwarded message %s in channel %s: %r", ref.message_id, ref.channel_id, exc)
        raise ForwardUnresolved() from None


async def opted_out(bot: BylineBot, guild_id: int, message: discord.Message, source: Source) -> bool:
    """Whether the poster of ``message`` or the author it carries opted out, here or where they wrote it."""
    store = bot.store
    checks = {(guild_id, message.author.id), (guild_id, source.author_id)}
    if source.guild_id is not None:
        checks.add((source.guild_id, source.author_id))
    for where, who in sorted(checks):
        if await store.is_opted_out(where, who):
            return True
    return False
