"""Posted messages: one lock per review card, the event that says some wait to be cleaned up, and replies to record.

A card is edited from three places (a moderator's click, a newer analysis replacing its flags, and the
clean-up after a forget-me or retention). Each reads the store and then edits; holding the card's lock across
both means the last edit always shows the latest stored state, so a slow click cannot put deleted text back.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

import discord

from bot.locks import KeyedLocks

if TYPE_CHECKING:
    from bot.store_types import StoredAnalysis

log = logging.getLogger(__name__)

CARDS_STALE_EVENT = "byline_cards_stale"  # dispatched after a forget-me or prune listed cards to clean

_card_locks = KeyedLocks()


def card_lock(message_id: int) -> asyncio.Lock:
    """The running loop's lock for one card; it lives only while someone holds or awaits it."""
    return _card_locks(message_id)


async def remember_reply(store: Any, stored: StoredAnalysis,
                         message: discord.Message | discord.WebhookMessage | None, *,
                         answered: int | None = None) -> None:
    """Record a public analysis reply so a forget-me of the article's author can take it down.

    ``answered`` is the id of the member's message the reply answers (a link auto-reply or a 📰), so that message
    is known as answered after a restart too.
    If the analysis is already gone (the author's forget-me won the race), the reply is taken down at once.
    A store failure is logged: the reply itself has been delivered and must not turn into an error.
    """
    if message is not None:
        await _record_or_delete(
            lambda: store.record_reply(stored.guild_id, stored.id, message.channel.id, message.id,
                                       source_message_id=answered), message, stored.id)


async def remember_shown(store: Any, guild_id: int, analysis_ids: Sequence[str],
                         message: discord.Message | discord.WebhookMessage | None) -> None:
    """The same for a message that lists several analyses (/recent, a /search page), possibly several members':
    a forget-me of any of their authors takes it down."""
    if message is not None and analysis_ids:
        await _record_or_delete(lambda: store.record_shown(guild_id, analysis_ids, message.channel.id, message.id),
                                message, ", ".join(analysis_ids))


async def _record_or_delete(record: Callable[[], Awaitable[bool]],
                            message: discord.Message | discord.WebhookMessage, shown: str) -> None:
    try:
        kept = await record()
    except Exception:
        log.exception("could not record the reply showing analysis %s", shown)
        return
    if kept:
        return
    log.info("analysis %s was deleted while message %s showing it was sent; deleting the message", shown, message.id)
    try:
        await message.delete()
    except discord.HTTPException as exc:
        log.warning("could not delete message %s: %s", message.id, exc)
