"""Whose words a message carries: its author's, or for a forward, those of the member who wrote the original.

A forward's text lives in its snapshot, and Discord leaves the original author out of the snapshot. Reading it
under the forwarder's name would analyse and store a member who opted out, and keep it out of reach of that
member's /forget. So every reader of a member's message (the auto-reply, 📰 and the message menu) asks here who
the author is: for a forward, the message it points to is looked up (Byline's cache, else one fetch in a server
Byline is in). When that fails (deleted, in a DM or a server Byline is not in, no access), the forward is refused
rather than credited to a guess, and not looked up again for a while by any of them (one memory per bot). A look-up
that only timed out or met a Discord server error is refused as a passing failure, and not remembered.
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
from bot.per_bot import PerBot

if TYPE_CHECKING:
    from bot.client import BylineBot

log = logging.getLogger(__name__)

# A forward's original is looked up before a menu answer is deferred, inside Discord's 3 s: give up well before.
FORWARD_LOOKUP_SECONDS = 1.5
# A forward whose original Discord refused (403, 404) is refused again without asking Discord for a while: every
# refused look-up counts toward Discord's invalid-request budget, which is the whole bot's.
MISS_SECONDS = 300.0
MISS_ENTRIES = 512


class ForwardUnresolved(InputError):
    """The forwarded message cannot be found, so neither its author nor their opt-out is known."""

    user_message = ("Byline can't see the message that was forwarded here (it may be deleted, or somewhere Byline "
                    "can't read), so it can't check that its author allows analysis. Share the link or text itself "
                    "instead.")


class ForwardLookupFailed(ForwardUnresolved):
    """Discord did not answer the look-up of a forward's original in time (or failed): it may well next time."""

    user_message = ("Byline couldn't reach Discord to check who wrote the forwarded message, so it can't check that "
                    "its author allows analysis. Please try again in a minute.")
    transient = True


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


# One memory of misses per bot, shared by every entry point (auto-reply, 📰, the message menu): it goes with the bot.
_MISSES: PerBot[LookupMisses] = PerBot(LookupMisses)


def forward_misses(bot: BylineBot) -> LookupMisses:
    """``bot``'s forwarded originals recently found out of reach, made on first use."""
    return _MISSES.of(bot)


async def message_source(bot: BylineBot, message: discord.Message, *,
                         before_lookup: Callable[[], None] | None = None) -> Source:
    """The author of what Byline reads in ``message``: its own author, or the original's for a forward.

    Raises ForwardUnresolved for a forward whose original cannot be found; one Discord refused a moment ago is
    refused without asking again (``forward_misses``). ForwardLookupFailed, a passing failure, is not remembered.
    ``before_lookup`` is called just before a request to Discord, and only then (not for a message that is not a
    forward, an original in the cache, or a refusal remembered or needing no request); what it raises (a rate limit)
    stops the look-up and is passed on.
    """
    if not message.message_snapshots:  # not a forward: the text is the poster's own
        return Source(message.author.id, getattr(message.guild, "id", None))
    ref = message.reference
    if ref is None or ref.type is not discord.MessageReferenceType.forward or ref.message_id is None:
        raise ForwardUnresolved()
    original: Any = ref.cached_message or ref.resolved
    if not isinstance(original, discord.Message):
        key = (ref.channel_id, ref.message_id)
        misses = forward_misses(bot)
        if key in misses:
            raise ForwardUnresolved()
        try:
            original = await _fetch_original(bot, ref, before_lookup)
        except ForwardUnresolved as exc:
            if not exc.transient:
                misses.add(key)
            raise
    if original.id != ref.message_id:
        raise ForwardUnresolved()
    return Source(original.author.id, ref.guild_id)


async def _fetch_original(bot: BylineBot, ref: discord.MessageReference,
                          before_lookup: Callable[[], None] | None) -> discord.Message:
    """Fetch a forward's original, only from a server Byline is in: elsewhere Discord would just refuse."""
    if ref.guild_id is None or bot.get_guild(ref.guild_id) is None or ref.message_id is None:
        log.info("forwarded message %s in channel %s is outside Byline's servers", ref.message_id, ref.channel_id)
        raise ForwardUnresolved()
    if before_lookup is not None:
        before_lookup()
    try:
        async with asyncio.timeout(FORWARD_LOOKUP_SECONDS):
            channel: Any = bot.get_channel(ref.channel_id) or await bot.fetch_channel(ref.channel_id)
            if not isinstance(channel, discord.abc.Messageable) or getattr(channel, "id", None) != ref.channel_id:
                raise ForwardUnresolved()
            return await channel.fetch_message(ref.message_id)
    except (discord.Forbidden, discord.NotFound) as exc:  # Discord's answer: no such message, or not for Byline
        log.info("could not look up forwarded message %s in channel %s: %r", ref.message_id, ref.channel_id, exc)
        raise ForwardUnresolved() from None
    except (discord.HTTPException, TimeoutError) as exc:  # Discord slow or failing: no answer about the message
        log.info("forwarded message %s in channel %s not looked up for now: %r", ref.message_id, ref.channel_id, exc)
        raise ForwardLookupFailed() from None


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
