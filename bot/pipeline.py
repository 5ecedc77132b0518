"""From text or a link to a stored analysis: cache first, then the workers, then the store.

Cogs call these two functions and nothing else, so caching, scoping by guild and the review
event are the same for /analyse, the context menu, link auto-replies and 📰 reactions.

Each server may hold only its share of the worker places (``guild_share``). A request counts against its server
from its first step that needs a worker (a link's fetch and extraction, an upload's download and, for a page,
extraction, an analysis) until it ends, however it ends; requests sharing work (ten 📰 on one link, the message menu
on one file) share one place (``GuildLoad``).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections import Counter
from collections.abc import Awaitable, Hashable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from bot.errors import BusyError, ForgottenMeanwhile, InputError, InputTooLarge, NotEnglish
from bot.per_bot import PerBot
from bot.store_types import document_key, site_of
from bot.urls import normalize_url

if TYPE_CHECKING:
    from bot.client import BylineBot
    from bot.store import StoredAnalysis

log = logging.getLogger(__name__)

T = TypeVar("T")
STORED_EVENT = "byline_analysis_stored"  # listeners: on_byline_analysis_stored(stored)
GUILD_RESERVE_DIVISOR = 4  # a quarter of the workers and queue (at least one place) is kept for other servers
FORGOTTEN_RESTARTS = 3  # times one request starts a shared analysis again after its first requester was forgotten


SHARE_REFUSAL = ("Byline is busy with this server's articles right now (one server may use only part of it, so "
                 "others are served too). Please try again in a minute.")


def guild_share(capacity: int) -> int:
    """How many worker places one server may hold (fetches being extracted, uploads, analyses): most of the queue,
    never all of it, so a busy server cannot leave every other one with "Byline is busy"."""
    return max(1, capacity - max(1, capacity // GUILD_RESERVE_DIVISOR))


class GuildLoad:
    """The worker places each server holds: one per distinct piece of work under way (a *slot*).

    A slot is held while anything claims it: a request on its way (``GuildRequest``), a fetch still extracting, an
    analysis still running. So work shared by several requests counts once, and work a request gave up on (a
    fetch others share, an analysis others join) counts until it really ends.
    """

    def __init__(self) -> None:
        self._claims: dict[int, Counter[Hashable]] = {}
        self.job_slots: dict[Hashable, Hashable] = {}  # the slot each analysis under way holds, by its key

    def held(self, guild_id: int) -> int:
        """How many places ``guild_id`` holds now."""
        return len(self._claims.get(guild_id, ()))

    def claim(self, guild_id: int, slot: Hashable, share: int | None = None) -> None:
        """Claim ``slot``; with ``share``, refuse (BusyError) a slot not yet held when the server holds that many."""
        claims = self._claims.setdefault(guild_id, Counter())
        if share is not None and slot not in claims and len(claims) >= share:
            raise BusyError(SHARE_REFUSAL)
        claims[slot] += 1

    def release(self, guild_id: int, slot: Hashable) -> None:
        """Give one claim on ``slot`` back; the place is free once nothing claims it."""
        claims = self._claims.get(guild_id)
        if claims is None or claims[slot] <= 0:
            return
        claims[slot] -= 1
        if claims[slot] <= 0:
            del claims[slot]
        if not claims:
            del self._claims[guild_id]


_LOADS: PerBot[GuildLoad] = PerBot(GuildLoad)


def guild_load(bot: BylineBot) -> GuildLoad:
    """The bot's per-server count of worker places."""
    return _LOADS.of(bot)


class GuildRequest:
    """One request's place in its server's share, from its first step needing a worker until it ends.

    Made by ``guild_request``; passed on through the steps (fetch or extraction, then analysis), so a request keeps
    the place it was admitted with instead of queueing for a second one.
    """

    def __init__(self, load: GuildLoad, guild_id: int, share: int) -> None:
        self.load = load
        self.guild_id = guild_id
        self.share = share
        self.slot: Hashable | None = None

    def take(self, slot: Hashable) -> None:
        """Hold ``slot``, refused with BusyError when it is new work and the server holds its share already.

        A request that holds a place keeps it: its next step (the analysis of a fetched page) is the same work.
        """
        if self.slot is None:
            self.load.claim(self.guild_id, slot, self.share)
            self.slot = slot

    def join(self, slot: Hashable) -> None:
        """Move to ``slot``, work already under way (never refused: it takes no new place)."""
        if slot == self.slot:
            return
        self.load.claim(self.guild_id, slot)
        self.end()
        self.slot = slot

    def end(self) -> None:
        """Give the request's place back (the work it started may still hold it)."""
        if self.slot is not None:
            self.load.release(self.guild_id, self.slot)
            self.slot = None


@contextlib.contextmanager
def guild_request(bot: BylineBot, guild_id: int, request: GuildRequest | None = None) -> Iterator[GuildRequest]:
    """The request's place in its server's share: ``request`` when the caller holds one already (it gives it
    back), else a new one, given back when the block ends however it ends (an error, a cancellation)."""
    if request is not None:
        if request.guild_id != guild_id:
            raise ValueError("a request's place belongs to one server")
        yield request
        return
    request = GuildRequest(guild_load(bot), guild_id, guild_share(bot.analyzer.capacity))
    try:
        yield request
    finally:
        request.end()


async def held_until_done(request: GuildRequest, work: Awaitable[T]) -> T:
    """Run ``work`` (a coroutine, or a future others may await too) with the request's place claimed until the work
    ends, even if the request gives up first: a shared fetch goes on for the others, and its extraction keeps a
    worker place meanwhile."""
    if request.slot is None:
        raise ValueError("take a place before starting work")
    load, guild_id, slot = request.load, request.guild_id, request.slot
    task = asyncio.ensure_future(work)
    load.claim(guild_id, slot)
    task.add_done_callback(functools.partial(_work_done, load, guild_id, slot))
    return await asyncio.shield(task)


def _work_done(load: GuildLoad, guild_id: int, slot: Hashable, task: asyncio.Future[Any]) -> None:
    load.release(guild_id, slot)
    if not task.cancelled():
        task.exception()  # retrieved here too: the request may have gone, and asyncio would log it as lost


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
    request: GuildRequest | None = None,
    site: str | None = None,
) -> StoredAnalysis:
    """Return the stored analysis of ``text`` in this guild, analysing it only if it is new.

    Raises BusyError when the analysis is new and the server holds its share of the workers already, unless
    ``request`` (the caller's ``guild_request``) holds a place since an earlier step (a fetch, an extraction).

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
                            "message_link": message_link, "private": private, "forget_generation": forget_generation,
                            "site": site}
    load = guild_load(bot)
    with guild_request(bot, guild_id, request) as request:
        for _ in range(FORGOTTEN_RESTARTS + 1):
            job = waiting.get(key)
            if job is None or job.done():  # none, or the voided one, not yet let go of: start it again
                request.take(key)  # refused when the server holds its share, unless the request holds a place
                slot = request.slot
                job = waiting[key] = asyncio.ensure_future(_analyse_and_save(bot, guild_id, text, version, **meta))
                load.claim(guild_id, slot)  # the analysis holds the place until it ends, whoever still waits for it
                load.job_slots[key] = slot
                job.add_done_callback(functools.partial(_finished, waiting, key, load, guild_id, slot))
                bot.drain.follow(job)  # held like the request that started it, and the review post it dispatches
                return await asyncio.shield(job)  # a caller that gives up does not cancel it for the others
            log.debug("guild %s: joining an analysis of the same text already under way", guild_id)
            request.join(load.job_slots.get(key, key))  # the analysis's place, not one more
            try:
                return await asyncio.shield(job)
            except ForgottenMeanwhile:
                # The member whose request started it has gone (/forget, /optout); this request is still wanted,
                # unless its own author went too. Back to the check above with the same request and place: the
                # first request to get there starts the analysis again, and the others join it, so it still runs
                # once, under the one place they share.
                if forget_generation != bot.store.forget_generation(guild_id, author_id):
                    raise
                log.debug("guild %s: the request that started the analysis was voided; analysing again", guild_id)
        # Forget-me after forget-me, each landing during the analysis: stop rather than run it again and again.
        raise BusyError()


async def _analyse_and_save(bot: BylineBot, guild_id: int, text: str, version: str, **meta: Any) -> StoredAnalysis:
    settings = await bot.store.get_settings(guild_id)
    result = await bot.analyzer.analyze(text, sentences=settings.summary_sentences)
    stored = await bot.store.save_analysis(guild_id, text, result, engine_version=version, **meta)
    if not stored.cached:
        log.info("guild %s: stored analysis %s (%d flags)", guild_id, stored.id, len(stored.flag_ids))
        bot.dispatch(STORED_EVENT, stored)
    return stored


def _finished(waiting: dict[Any, asyncio.Future[Any]], key: Any, load: GuildLoad, guild_id: int, slot: Hashable,
              job: asyncio.Future[Any]) -> None:
    if waiting.get(key) is job:  # not a later analysis of the same text, started once this one was voided
        del waiting[key]
        load.job_slots.pop(key, None)
    load.release(guild_id, slot)
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
    request: GuildRequest | None = None,
    english_only: bool = False,
) -> StoredAnalysis:
    """Analyse the article behind ``url``, reusing a recent analysis of the same link in this guild.

    ``english_only``: refuse (``NotEnglish``) a page that declares another language, for replies nobody asked for;
    a member who asks for one still gets it.

    Raises the fetcher's ``FetchError``s (member-readable) and ``BusyError`` before fetching when no
    worker could take the job anyway, or the server holds its share of them already (the page's extraction takes
    a place too; members asking for the same link at once share it). ``forget_generation`` is the request's, when
    it began before this call.
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
    with guild_request(bot, guild_id, request) as request:
        request.take(("link", key, author_id if private else None))
        article = await held_until_done(request, bot.fetcher.fetch(url))
        if english_only and article.language not in (None, "en"):
            raise NotEnglish(f"Byline reads English articles; that page says it is in '{article.language}'.")
        return await analyse_and_store(
            bot, guild_id, article.text, title=article.title, url=article.url or key, author_id=author_id,
            channel_id=channel_id, message_link=message_link, private=private, forget_generation=generation,
            request=request, site=site_of(article.final_url),  # the paper's, not a short link's that led there
        )
