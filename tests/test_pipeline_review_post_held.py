"""The review post of a new analysis is a follow-on of the request that asked for it, so a shutdown waits for it
(bounded), even though the analysis runs in a task of its own that later requests may join."""
from __future__ import annotations

import asyncio

from bot.pipeline import STORED_EVENT, analyse_and_store
from tests.botkit import ARTICLE, rule_job
from tests.test_client_shutdown import started_bot, until


async def test_flag_post_of_an_accepted_analysis_is_waited_for_at_shutdown(tmp_path):
    bot = await started_bot(tmp_path, rule_job)
    await bot._async_setup_hook()
    posted = asyncio.Event()
    seen: list[str] = []

    async def post_flags(stored: object) -> None:
        await posted.wait()
        seen.append(f"posted, rest {'open' if bot._closing_task is None else 'closed'}")

    bot.add_listener(post_flags, f"on_{STORED_EVENT}")

    async def request() -> None:  # an accepted /analyse, as the cog runs it
        bot.drain.hold("an analysis")
        await analyse_and_store(bot, 1, ARTICLE, author_id=7)

    await asyncio.create_task(request())
    pending = bot.drain.pending()
    closing = asyncio.create_task(bot.close())
    try:
        await until(lambda: bot.drain.closing, "shutdown to begin")
        await asyncio.sleep(0.05)
        closed_early = closing.done()
    finally:
        posted.set()
        await asyncio.wait_for(closing, 30)
    assert any("follow-on" in what for what in pending), f"the flag post is not held by the drain: {pending}"
    assert not closed_early, "shutdown finished without waiting for the flag post"
    assert seen == ["posted, rest open"], seen
