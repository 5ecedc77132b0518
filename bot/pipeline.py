"""From text or a link to a stored analysis: cache first, then the workers, then the store.

Cogs call these two functions and nothing else, so caching, scoping by guild and the review
event are the same for /analyse, the context menu, link auto-replies and 📰 reactions.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from typing import TYPE_CHECKING, Any

from bot.errors import BusyError, ForgottenMeanwhile, InputError, InputTooLarge
from bot.store_types import document_key
from bot.urls import normalize_url

if TYPE_CHECKING:
    from bot.client import BylineBot
    from bot.store import StoredAnalysis

log = logging.getLogger(__name__)

STORED_EVENT = "byline_analysis_stored"  # listeners: on_byline_analysis_stored(stored)
GUILD_RESERVE_DIVISOR = 4  # a quarter of the workers and queue (at least one place) is kept for other servers


def guild_share(capacity: int) -> int:
    """How many analyses one server may have under way: most of the queue, never all of it, so a busy server
    cannot leave every other one with "Byline is busy"."""
    return max(1, capacity - max(1, capacity // GUILD_RESERVE_DIVISOR))


def begin_request(bot: BylineBot, guild_id: int, author_id: int | None, forget_generation: int | None = None) -> int:
    """The forget-me generation a request carries to its save: a forget-me of the author from then on voids it.

    Take it when the request begins, before any slow step (a download, a fetch, an extraction), and pass it on:
    a forget-me during that step must void the request too. A generation already taken is kept.
    """
    if forget_generation is not None:
        return forget_generation
    return bot.store.forget_generation(guild_id, author_id)


def check_size(text: str, max_chars: int) -> str:
    """Cheap checks done on the loop before any work is queued; the worker does the thorough ones."""
    if not text or not text.strip():
        raise InputError("There is no text to analyse.")
    if len(text) > max_chars:
        raise InputTooLarge(f"That text is too long: {len(text):,} characters (the limit is {max_chars:,}).")
    return text


async def analyse_and_store(
    bot: BylineBot,
    guild_id: int,
    text: str,
    *,
    title: str | None = None,
    url: str | None = None,
    author_id: int | None = None,
    channel_id: int | None = None,
    message_link: str | None = None,
    private: bool = False,
    forget_generation: int | None = None,
) -> StoredAnalysis:
    """Return the stored analysis of ``text`` in this guild, analysing it only if it is new.

    A ``private`` request (ephemeral, or from a channel @everyone cannot read) is stored for its author's
    eyes only; it may reuse a public analysis of the same text, but never another member's private one.

    A newly stored analysis is announced with ``bot.dispatch("byline_analysis_stored", stored)`` (the
    review cog posts its flags); a cached one is not, so flags are never posted twice.
    """
    check_size(text, bot.settings.analysis.max_chars)
    forget_generation = begin_request(bot, guild_id, author_id, forget_generation)
    version = bot.analyzer.engine_version
    private_for = author_id if private else None
    cached = await bot.store.find_cached(guild_id, text, version, private_for=private_for)
    if cached is not None:
        log.debug("guild %s: cache hit %s", guild_id, cached.id)
        return cached
    # The same article asked for by several members at once (a link pasted around, ten 📰) is analysed once:
    # the later requests wait for the first, as they would have found it in the cache a moment later.
    key = (guild_id, document_key(text, private_for), version)
    waiting = bot.analyses_in_flight
    meta: dict[str, Any] = {"title": title, "url": url, "author_id": author_id, "channel_id": channel_id,
                            "message_link": message_link, "private": private, "forget_generation": forget_generation}
    job = waiting.get(key)
    if job is None:
        if sum(1 for g, _, _ in waiting if g == guild_id) >= guild_share(bot.analyzer.capacity):
            raise BusyError("Byline is busy with this server's articles right now (one server may use only part of "
                            "it, so others are served too). Please try again in a minute.")
        job = waiting[key] = asyncio.ensure_future(_analyse_and_save(bot, guild_id, text, version, **meta))
        job.add_done_callback(functools.partial(_finished, waiting, key))
        bot.drain.follow(job)  # held like the request that started it, and the review post it dispatches with it
        return await asyncio.shield(job)  # a caller that gives up does not cancel it for the others
    log.debug("guild %s: joining an analysis of the same text already under way", guild_id)
    try:
        return await asyncio.shield(job)
    except ForgottenMeanwhile:  # the member who asked first has gone; this request is still wanted
        return await _analyse_and_save(bot, guild_id, text, version, **meta)


async def _analyse_and_save(bot: BylineBot, guild_id: int, text: str, version: str, **meta: Any) -> StoredAnalysis:
    settings = await bot.store.get_settings(guild_id)
    result = await bot.analyzer.analyze(text, sentences=settings.summary_sentences)
    stored = await bot.store.save_analysis(guild_id, text, result, engine_version=version, **meta)
    if not stored.cached:
        log.info("guild %s: stored analysis %s (%d flags)", guild_id, stored.id, len(stored.flag_ids))
        bot.dispatch(STORED_EVENT, stored)
    return stored


def _finished(waiting: dict[Any, asyncio.Future[Any]], key: Any, job: asyncio.Future[Any]) -> None:
    waiting.pop(key, None)
    if not job.cancelled():
        job.exception()  # retrieved here too: every caller may have gone, and asyncio would log it as lost


async def analyse_url(
    bot: BylineBot,
    guild_id: int,
    url: str,
    *,
    author_id: int | None = None,
    channel_id: int | None = None,
    message_link: str | None = None,
    private: bool = False,
    forget_generation: int | None = None,
) -> StoredAnalysis:
    """Analyse the article behind ``url``, reusing a recent analysis of the same link in this guild.

    Raises the fetcher's ``FetchError``s (member-readable) and ``BusyError`` before fetching when no
    worker could take the job anyway. ``forget_generation`` is the request's, when it began before this call.
    """
    key = normalize_url(url)
    generation = begin_request(bot, guild_id, author_id, forget_generation)  # before the fetch, which may be slow
    cached = await bot.store.find_by_url(
        guild_id, key, max_age_seconds=bot.settings.fetch.cache_ttl_seconds, engine_version=bot.analyzer.engine_version,
        private_for=author_id if private else None,
    )
    if cached is not None:
        log.debug("guild %s: link cache hit %s", guild_id, cached.id)
        return cached
    if bot.analyzer.is_busy():
        raise BusyError()
    article = await bot.fetcher.fetch(url)
    return await analyse_and_store(
        bot, guild_id, article.text, title=article.title, url=article.url or key, author_id=author_id,
        channel_id=channel_id, message_link=message_link, private=private, forget_generation=generation,
    )
