"""Fetch a pasted link safely and extract the article from it.

Links are untrusted: every hop goes through the address guard in :mod:`bot.netguard`, the connection goes
to the address that was checked, the body is read in chunks under a cap on *decoded* bytes (so a gzip bomb
stops after a few kilobytes), and the whole fetch has one deadline. Extraction is CPU work and runs in a
worker thread so the bot's event loop keeps answering Discord.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import aiohttp
from yarl import URL

from bot.config import FetchSettings
from bot.errors import (
    BadURL,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    SiteUnreachable,
    TooManyRedirects,
    UnsupportedType,
)
from bot.extract import Page, build_article
from bot.netguard import PinnedResolver, Resolver, SystemResolver, check_url, resolve_checked
from bot.urls import find_urls, is_skipped_host, loggable_url, normalize_url, redact_links
from bot.webbody import read_body

log = logging.getLogger(__name__)

__all__ = ["Article", "Fetcher", "fetch_article_sync", "find_urls", "normalize_url"]

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ALLOWED_TYPES = {"text/html": "html", "application/xhtml+xml": "html", "text/plain": "text"}
# A media type fit to show a member: an IANA top-level type and a plain subtype ("application/vnd.ms-excel").
# The header is the site's to write, so anything else (markdown, a masked link, kilobytes of text) is not echoed.
SHOWN_TYPE = re.compile(
    r"(?:application|audio|font|image|message|model|multipart|text|video)/[a-z0-9][a-z0-9.+-]{0,63}"
)
CACHE_ENTRIES = 256
CACHE_MAX_CHARS = 20_000_000  # all cached article text together
CACHE_MAX_ARTICLE_CHARS = 1_000_000  # longer than any analysis accepts by default (analysis.max_chars is 200,000)
Extractor = Callable[[Page, str, int], Awaitable["Article"]]


@dataclass(frozen=True)
class Article:
    """What the fetcher hands to the engine and the store."""

    url: str                  # normalised input URL: the cache key
    final_url: str            # after redirects (normalised)
    canonical_url: str | None
    title: str | None
    author: str | None
    date: str | None          # ISO date when known
    site: str | None          # site name, or the host
    text: str                 # article text for the engine
    language: str | None = None  # the page's declared language ("en", "fr"), from <html lang>, when it gives one


class Fetcher:
    """Fetches links through one shared aiohttp session; safe to use from many tasks at once."""

    def __init__(self, settings: FetchSettings, *, resolver: Resolver | None = None,
                 extractor: Extractor | None = None) -> None:
        self._settings = settings
        self._resolver: Resolver = resolver or SystemResolver()
        # Extraction is CPU work that holds the interpreter lock for seconds on a big page: the bot hands it to
        # its worker processes; the CLI, with no event loop to keep alive, runs it in a thread.
        self._extractor: Extractor = extractor or _extract_in_thread
        self._cached_chars = 0
        self._pinned = PinnedResolver()
        self._session: aiohttp.ClientSession | None = None
        self._cache: OrderedDict[str, tuple[float, Article]] = OrderedDict()
        self._inflight: dict[str, asyncio.Future[Article]] = {}

    async def start(self) -> None:
        """Create the shared session (idempotent; ``fetch`` calls it lazily)."""
        if self._session is not None and not self._session.closed:
            return
        connector = aiohttp.TCPConnector(resolver=self._pinned, use_dns_cache=False, limit=20, limit_per_host=4)
        self._session = aiohttp.ClientSession(
            connector=connector,
            auto_decompress=False,  # we inflate ourselves, under the size cap
            trust_env=False,  # no proxy from the environment: it would bypass the address guard
            cookie_jar=aiohttp.DummyCookieJar(),
            headers={
                "User-Agent": self._settings.user_agent,
                "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9",
                "Accept-Encoding": "gzip, deflate",
            },
        )

    async def close(self) -> None:
        """Close the session and its connections."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def fetch(self, url: str) -> Article:
        """Fetch and extract one link; raises a FetchError subclass a member can read.

        The link is checked before the cache is consulted, so a refused form of a cached URL is still
        refused. Concurrent requests for the same link share one download.
        """
        checked = check_url(url, self._settings)
        key = normalize_url(url)
        cached = self._cached(key)
        if cached is not None:
            log.debug("cache hit for %s", loggable_url(key))
            return cached
        task = self._inflight.get(key)
        if task is None:
            task = asyncio.ensure_future(self._fetch_fresh(checked, key))
            self._inflight[key] = task
            task.add_done_callback(lambda done: self._settle(key, done))
        return await asyncio.shield(task)

    def _settle(self, key: str, task: asyncio.Future[Article]) -> None:
        """Forget a finished download; mark its error as seen even if every waiter gave up."""
        self._inflight.pop(key, None)
        if not task.cancelled():
            task.exception()

    async def _fetch_fresh(self, checked: URL, key: str) -> Article:
        await self.start()
        try:
            async with asyncio.timeout(self._settings.timeout_seconds):
                page = await self._download(checked)
        except TimeoutError:
            raise FetchTimeout(
                f"The site took longer than {self._settings.timeout_seconds:g} s to answer, so Byline gave up."
            ) from None
        except aiohttp.ClientSSLError as exc:
            log.info("TLS failure fetching %s: %s", loggable_url(key), redact_links(repr(exc)))
            raise FetchError("The site's secure connection (HTTPS certificate) could not be verified.") from None
        except aiohttp.ClientError as exc:
            log.info("fetch of %s failed: %s", loggable_url(key), redact_links(repr(exc)))
            raise SiteUnreachable() from None
        article = await self._extractor(page, key, self._settings.min_article_chars)
        self._remember(key, article)
        return article

    async def _download(self, current: URL) -> Page:
        """Follow redirects by hand, checking every hop, and return the final page's body."""
        assert self._session is not None
        for hop in range(self._settings.max_redirects + 1):
            addresses = await resolve_checked(current, self._settings, self._resolver)
            with self._pinned.pin(current.raw_host or "", addresses):
                async with self._session.get(current, allow_redirects=False) as resp:
                    if resp.status not in REDIRECT_STATUSES:
                        return await self._read_page(current, resp)
                    if hop == self._settings.max_redirects:
                        break
                    current = self._next_hop(current, resp)
        raise TooManyRedirects(
            f"That link redirects more than {self._settings.max_redirects} times, so Byline stopped following it."
        )

    def _next_hop(self, current: URL, resp: aiohttp.ClientResponse) -> URL:
        location = resp.headers.get("Location", "").strip()
        if not location:
            raise HTTPStatusError(resp.status, "The site sent a redirect without saying where to.")
        try:
            target = current.join(URL(location))
        except (ValueError, IndexError):  # yarl's IndexError: see netguard._parse
            raise HTTPStatusError(resp.status, "The site redirected to a malformed link.") from None
        try:
            checked = check_url(target, self._settings)
        except BadURL as exc:
            if exc.reason == "syntax":
                raise HTTPStatusError(resp.status, "The site redirected to a malformed link.") from None
            raise
        if is_skipped_host(checked.host or "") and not is_skipped_host(current.host or ""):
            # a short link to a video or a GIF: the site the pasted link would have been passed over for
            raise UnsupportedType("That link leads to a video, GIF or chat site, not a news article.")
        log.debug("redirect %s -> %s", loggable_url(current), loggable_url(checked))
        return checked

    async def _read_page(self, url: URL, resp: aiohttp.ClientResponse) -> Page:
        _check_status(resp.status)
        kind = ALLOWED_TYPES.get(resp.content_type) if "Content-Type" in resp.headers else None
        if kind is None:
            shown = _shown_type(resp.headers.get("Content-Type"))
            detail = f" ({shown})" if shown else ""
            raise UnsupportedType(f"That link is not a web page{detail}, so Byline can't read it.")
        body = await read_body(resp, self._settings.max_bytes)
        return Page(url=str(url), body=body, kind=kind, charset=resp.charset)

    def _cached(self, key: str) -> Article | None:
        entry = self._cache.get(key)
        if entry is None or time.monotonic() - entry[0] > self._settings.cache_ttl_seconds:
            return None
        self._cache.move_to_end(key)
        return entry[1]

    def _remember(self, key: str, article: Article) -> None:
        """Keep an article for the cache lifetime, within both an entry and a size budget; one too long to analyse
        anyway is not kept (a few 5 MB pages would otherwise hold hundreds of MB)."""
        if self._settings.cache_ttl_seconds <= 0 or len(article.text) > CACHE_MAX_ARTICLE_CHARS:
            return
        old = self._cache.pop(key, None)
        if old is not None:
            self._cached_chars -= len(old[1].text)
        self._cache[key] = (time.monotonic(), article)
        self._cached_chars += len(article.text)
        while self._cache and (len(self._cache) > CACHE_ENTRIES or self._cached_chars > CACHE_MAX_CHARS):
            _, (_, dropped) = self._cache.popitem(last=False)
            self._cached_chars -= len(dropped.text)


def _shown_type(header: str | None) -> str | None:
    """The header's media type if it is a clean one (see SHOWN_TYPE); "no type" when there is none; else None."""
    media = (header or "").split(";")[0].strip().lower()
    if not media:
        return "no type"
    return media if SHOWN_TYPE.fullmatch(media) else None


def _check_status(status: int) -> None:
    """Turn an HTTP error status into a message a member can act on."""
    if 200 <= status < 300 and status != 204:
        return
    if status in (401, 403):
        raise HTTPStatusError(status, f"The site refused to show that page to Byline (HTTP {status}).")
    if status in (404, 410):
        raise HTTPStatusError(status, f"The site says that page doesn't exist (HTTP {status}).")
    if status == 429:
        raise HTTPStatusError(status, "The site is limiting requests right now (HTTP 429). Try again later.")
    if status >= 500:
        raise HTTPStatusError(status, f"The site had an error of its own (HTTP {status}). Try again later.")
    raise HTTPStatusError(status)


def fetch_article_sync(url: str, settings: FetchSettings, *, resolver: Resolver | None = None) -> Article:
    """Fetch one link from synchronous code (``byline analyze --url``), with its own event loop."""

    async def _run() -> Article:
        fetcher = Fetcher(settings, resolver=resolver)
        try:
            return await fetcher.fetch(url)
        finally:
            await fetcher.close()

    return asyncio.run(_run())


async def _extract_in_thread(page: Page, url: str, min_chars: int) -> Article:
    return await asyncio.to_thread(build_article, page, url, min_chars)
