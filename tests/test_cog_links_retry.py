"""📰 replies that say why a request failed: a passing failure leaves the message open to another 📰, a refusal
answers it for good, and nothing a site or a file name brings speaks in Byline's voice. Real Store and Fetcher, a
local site on 127.0.0.1 that can fail and recover, spec'd messages."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from unittest import mock

import discord
import pytest
from aiohttp import web

from bot.errors import StoreError, UnsupportedType
from cogs.links import LinksCog
from tests.botkit import ARTICLE, running_bot
from tests.helpers import http_error, live_masked_link, make_attachment, make_member, make_message
from tests.pageserver import PAGES, serve
from tests.test_cog_links import fetchable, reaction

ARTICLE_HTML = (PAGES / "article.html").read_bytes()
HOSTILE_ENCODING = ("x) ✅ **Byline verified this article: all sources are named.** "
                    "[Read the full fact-check](https://evil.example/login) <@&123456789012345678> @everyone (")


@dataclass
class Site:
    """A site that answers ``/story`` in the way ``mode`` says, and serves the article once ``mode`` is "up"."""

    port: int = 0
    mode: str = "up"
    hits: int = 0
    encoding: str = ""  # a Content-Encoding header to send with the article

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/story"


@pytest.fixture
async def site() -> AsyncIterator[Site]:
    state = Site()

    async def story(request: web.Request) -> web.StreamResponse:
        state.hits += 1
        if state.mode == "drop":  # the connection is cut before any answer: "couldn't connect"
            assert request.transport is not None
            request.transport.close()
            return web.Response()
        if state.mode.isdigit():
            return web.Response(status=int(state.mode), text="maintenance")
        headers = {"Content-Type": "text/html; charset=utf-8"}
        if state.encoding:
            headers["Content-Encoding"] = state.encoding
        return web.Response(body=ARTICLE_HTML, headers=headers)

    app = web.Application()
    app.router.add_get("/story", story)
    runner = web.AppRunner(app, shutdown_timeout=0.5)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    state.port = runner.addresses[0][1]
    try:
        yield state
    finally:
        await runner.cleanup()


@pytest.fixture
async def bot(tmp_path):
    async with running_bot(tmp_path) as bot:
        yield bot


@pytest.fixture
def cog(bot):
    return LinksCog(bot)


async def react(bot, cog, message, *, user=None) -> None:
    with mock.patch.object(bot, "get_channel", autospec=True, return_value=message.channel):
        await cog.on_raw_reaction_add(reaction(message, user=user))


@pytest.mark.parametrize(("mode", "said"), [
    ("503", "error of its own (HTTP 503)"),
    ("500", "error of its own (HTTP 500)"),
    ("429", "limiting requests"),
    ("drop", "couldn't connect"),
])
async def test_a_reaction_after_a_passing_site_failure_can_be_retried(bot, cog, site, mode, said):
    """The reply asked the member to try again: once the site is back, another 📰 gets the analysis."""
    site.mode = mode
    message = fetchable(make_message(content=f"big news {site.url}"))
    await react(bot, cog, message)
    assert said in message.reply.await_args.args[0]
    site.mode = "up"
    hits = site.hits
    await react(bot, cog, message, user=make_member(guild=message.guild))
    assert message.reply.await_count == 2 and site.hits == hits + 1
    (embed,) = message.reply.await_args.kwargs["embeds"]
    assert embed.url == site.url
    await react(bot, cog, message)  # answered now: a third 📰 adds nothing
    assert message.reply.await_count == 2


async def test_a_reaction_after_a_database_failure_can_be_retried(bot, cog):
    message = fetchable(make_message(content=ARTICLE))
    busy = StoreError("The database stayed busy for too long; please try again.")
    with mock.patch.object(bot.store, "save_analysis", autospec=True, side_effect=busy):
        await react(bot, cog, message)
    assert message.reply.await_args.args[0] == f"📰 {busy.user_message}"
    await react(bot, cog, message)
    assert message.reply.await_count == 2
    assert "⚠️ 3 flags" in message.reply.await_args.kwargs["embeds"][0].description


async def test_a_reaction_after_a_failed_file_download_can_be_retried(bot, cog):
    """Discord's CDN failing to hand over an uploaded file: the reply says to try again, and another 📰 does."""
    upload = make_attachment(filename="story.txt", data=ARTICLE.encode())
    upload.read.side_effect = http_error(discord.HTTPException, 503, 0, "upstream")
    message = fetchable(make_message(content="", attachments=[upload]))
    await react(bot, cog, message)
    assert "try again" in message.reply.await_args.args[0]
    upload.read.side_effect = None  # the CDN is back
    await react(bot, cog, message, user=make_member(guild=message.guild))
    assert message.reply.await_count == 2 and upload.read.await_count == 2
    assert "⚠️ 3 flags" in message.reply.await_args.kwargs["embeds"][0].description


@pytest.mark.parametrize("path", ["/status/404", "/status/403", "/paywall", "/pdf"])
async def test_a_refusal_answers_the_message_for_good(bot, cog, path):
    """A page that doesn't exist, is refused, is not an article or is not a page: one reply, and a later 📰 neither
    fetches it again nor adds a second reply."""
    async with serve() as pages:
        message = fetchable(make_message(content=f"see {pages.url(path)}"))
        await react(bot, cog, message)
        await react(bot, cog, message, user=make_member(guild=message.guild))
        assert pages.hits[path] == 1
    message.reply.assert_awaited_once()


async def test_reaction_reply_never_echoes_a_hostile_content_encoding(bot, cog, site):
    """A site's Content-Encoding header is its own text: its markdown, masked link and mentions never reach the
    public reply, which still says what went wrong."""
    site.encoding = HOSTILE_ENCODING
    message = fetchable(make_message(content=f"is this legit? {site.url}"))
    await react(bot, cog, message)
    text = message.reply.await_args.args[0]
    assert text == "📰 That page uses a compression Byline doesn't read."


async def test_a_clean_content_encoding_is_still_named(bot, cog, site):
    site.encoding = "br"
    message = fetchable(make_message(content=f"is this legit? {site.url}"))
    await react(bot, cog, message)
    assert message.reply.await_args.args[0] == "📰 That page uses a compression Byline doesn't read (br)."


async def test_whatever_a_refusal_quotes_is_escaped_in_the_public_reply(bot, cog):
    """The second guard: a reason that quotes a site's text (as the fetcher's refusals may) is escaped in the public
    reply, so a masked link or markdown in it is shown as typed, never in Byline's voice."""
    quoted = UnsupportedType("That page is odd (**Verified by Byline** [fact-check](https://evil.example/login)).")
    message = fetchable(make_message(content="see https://news.example.com/story"))
    with mock.patch.object(bot.fetcher, "fetch", autospec=True, side_effect=quoted):
        await react(bot, cog, message)
    text = message.reply.await_args.args[0]
    assert text.startswith(r"📰 That page is odd (\*\*Verified by Byline\*\* \[fact-check\]")
    assert not live_masked_link(text) and "**" not in text.replace(r"\*", "")
