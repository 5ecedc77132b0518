"""A search snippet never turns article text into a live masked link, whatever backslashes or match marks sit inside
it (e.g. `\\[free nitro\\](https://evil.example)` searched for "nitro")."""
from __future__ import annotations

from bot.analysis.result import Result
from bot.render.guild_embeds import search_page_embed
from bot.store_types import STAFF
from tests.botkit import rule_job
from tests.helpers import live_masked_link

GUILD = 5




async def test_search_snippet_does_not_make_alive_masked_link(tmp_path):
    from bot.store import Store
    async with Store.open(tmp_path / 'b.db') as store:
        await _check(store)


async def _check(store):
    text = ("Council news for everyone in town today. Claim your prize here \\[free nitro\\](https://evil.example) "
            "before Friday, the organisers said.")
    result = Result.from_dict(rule_job(text, None))
    await store.save_analysis(GUILD, text, result, engine_version="t/1", title="Prize")
    hits = await store.search(GUILD, "nitro", limit=5, viewer_id=STAFF)
    assert hits, "search found nothing"
    embed = search_page_embed("nitro", hits, page=0, pages=1, total=len(hits))
    value = embed.fields[0].value
    assert not live_masked_link(value), f"live masked link in the search reply: {value}"
