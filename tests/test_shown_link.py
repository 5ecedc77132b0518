"""The link Byline shows (the reply's title link, /recent, /search, /lookup, the export) is the link that was pasted.

What is stored and shown is ``normalize_url``'s cache key, built by courlan, which rewrites more than the key needs:
- it decodes a punycode host to Unicode, so ``xn--pple-43d.test`` (Cyrillic а) is shown as "аpple.test": a
  look-alike of a real site, spelt out by Byline in a trusted reply, where browsers and Discord keep the punycode;
- it percent-encodes the path's reserved characters (RFC 3986 sub-delims), which servers may read differently:
  ``/story;jsessionid=AB`` becomes ``/story%3Bjsessionid=AB`` (a path parameter becomes part of the file name, a 404
  on a Java server), ``(``/``)`` and ``'`` become ``%28``/``%29``/``%27``.
The page itself is fetched from the link as pasted, so only what members see and click is wrong.
"""

from __future__ import annotations

from contextlib import asynccontextmanager

import pytest
from aiohttp import web

from bot.fetcher import Fetcher
from bot.netguard import StaticResolver
from cogs.links import LinksCog
from tests.botkit import running_bot
from tests.helpers import make_channel, make_guild, make_message
from tests.pageserver import PAGES, serve_app


@asynccontextmanager
async def any_path():
    """The article at every path, recording the raw paths asked for."""
    seen: list[str] = []

    async def page(request: web.Request) -> web.Response:
        seen.append(request.raw_path)
        return web.Response(body=(PAGES / "article.html").read_bytes(), content_type="text/html", charset="utf-8")

    app = web.Application()
    app.router.add_get("/{tail:.*}", page)
    async with serve_app(app) as port:
        yield port, seen


@pytest.mark.parametrize(("host", "path"), [
    ("xn--pple-43d.test", "/news/launch"),        # "аpple.test" with a Cyrillic а
    ("news.test", "/story;jsessionid=AB12"),
    ("news.test", "/wiki/Mercury_(planet)"),
])
async def test_the_link_shown_is_the_link_pasted(tmp_path, host, path):
    async with any_path() as (port, seen), running_bot(tmp_path) as bot:
        bot.fetcher = Fetcher(bot.settings.fetch, resolver=StaticResolver({host: ["127.0.0.1"]}))
        guild = make_guild()
        channel = make_channel(guild=guild)
        await bot.store.update_settings(guild.id, autoreply_channel_ids=[channel.id])
        pasted = f"http://{host}:{port}{path}"
        message = make_message(content=f"read {pasted}", channel=channel)
        try:
            await LinksCog(bot).on_message(message)
        finally:
            await bot.fetcher.close()
        assert seen == [path]  # fetched as pasted
        (embed,) = message.reply.await_args.kwargs["embeds"]
        (listed,) = await bot.store.recent(guild.id)
        assert (embed.url, listed.url) == (pasted, pasted)
