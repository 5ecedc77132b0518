"""A link that redirects to a chat, GIF or video site is passed over like a link pasted straight to one.

``bot.urls.SKIP_DOMAINS`` (Discord, Tenor, Giphy, YouTube, Twitch) is applied to the pasted link only. A shortened
link (bit.ly, t.co, a newsletter's click tracker) that lands on youtube.com is followed, and the video page is read
and analysed as if it were an article: an auto-reply and a stored "analysis" of a video page's blurb, which the skip
list exists to prevent. Every hop is already checked by ``Fetcher._next_hop``; the host filter belongs there too.

No request leaves 127.0.0.1: the names resolve there through a StaticResolver, as in tests/test_fetcher.py.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from bot.config import FetchSettings
from bot.errors import FetchError
from bot.fetcher import Fetcher
from bot.netguard import StaticResolver
from tests.pageserver import serve

RESOLVER = StaticResolver({"short.test": ["127.0.0.1"], "www.youtube.com": ["127.0.0.1"],
                           "media.tenor.com": ["127.0.0.1"]})


@pytest.mark.parametrize("target", ["http://www.youtube.com:{port}/article", "http://media.tenor.com:{port}/article"])
async def test_a_redirect_to_a_skipped_site_is_not_read_as_an_article(target):
    async with serve() as server:
        settings = FetchSettings(allowed_networks=("127.0.0.1/32",), allowed_ports=(server.port,), timeout_seconds=10)
        short = f"http://short.test:{server.port}/to?url={quote(target.format(port=server.port), safe='')}"
        fetcher = Fetcher(settings, resolver=RESOLVER)
        try:
            with pytest.raises(FetchError):
                article = await fetcher.fetch(short)
                pytest.fail(f"the page behind the redirect was read as an article: {article.title!r}")
        finally:
            await fetcher.close()
        assert server.hits["/article"] == 0
