"""/stats counts an article under the site that published it, not under the link shortener it was shared through.

A document's ``site`` (the per-site rows of /stats: "how this server's articles cite sources ... by site") is taken
from the link as pasted. Links shared from social media and newsletters are mostly short links (bit.ly, t.co,
lnkd.in, trib.al, a newsletter's click tracker) that redirect to the paper; the fetcher follows them and knows the
page's final address (``Article.final_url``) and site name, but the pipeline stores only the pasted link, so the
sourcing scores of a server's papers are filed under "bit.ly".

No request leaves 127.0.0.1: the names resolve there through a StaticResolver.
"""

from __future__ import annotations

from urllib.parse import quote

from bot.fetcher import Fetcher
from bot.netguard import StaticResolver
from cogs.links import LinksCog
from tests.botkit import running_bot
from tests.helpers import make_channel, make_guild, make_message
from tests.pageserver import serve


async def test_an_article_shared_through_a_short_link_counts_under_its_own_site(tmp_path):
    async with serve() as pages, running_bot(tmp_path) as bot:
        bot.fetcher = Fetcher(bot.settings.fetch, resolver=StaticResolver({"bit.test": ["127.0.0.1"],
                                                                           "www.courier.test": ["127.0.0.1"]}))
        guild = make_guild()
        channel = make_channel(guild=guild)
        await bot.store.update_settings(guild.id, autoreply_channel_ids=[channel.id])
        target = f"http://www.courier.test:{pages.port}/article"
        short = f"http://bit.test:{pages.port}/to?url={quote(target, safe='')}"
        message = make_message(content=short, channel=channel)
        try:
            await LinksCog(bot).on_message(message)
        finally:
            await bot.fetcher.close()
        message.reply.assert_awaited_once()
        stats = await bot.store.guild_stats(guild.id)
        assert [site.site for site in stats.sites] == ["courier.test"]
