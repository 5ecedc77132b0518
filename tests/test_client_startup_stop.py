"""A stop that arrives while BylineBot is still starting, and a gateway that will not close: the shutdown still
closes everything the start-up opened, loads no cogs after it began, ends in bounded time and raises nothing."""

from __future__ import annotations

import asyncio
import os
import signal
from unittest import mock

import pytest
from discord.gateway import DiscordWebSocket

from bot.client import BylineBot, _serve
from bot.errors import ShuttingDown
from bot.store import Store
from tests.botkit import bot_settings, rule_job, thread_service
from tests.test_client_shutdown import until


def gated_bot(tmp_path, gate: asyncio.Event, opened: list[Store]) -> BylineBot:
    """A bot whose store factory waits for ``gate`` before opening the real store (a slow disk, a locked file)."""
    settings = bot_settings(tmp_path)

    async def factory(store_settings):
        await gate.wait()
        opened.append(await Store.open(store_settings.path))
        return opened[-1]

    return BylineBot(settings, store_factory=factory, analyzer=thread_service(settings.analysis, rule_job),
                     extensions=("cogs.analyse",))


async def assert_all_closed(bot: BylineBot, opened: list[Store]) -> None:
    assert len(opened) == 1 and opened[0]._closed  # type: ignore[attr-defined]
    assert bot.extensions == {} and bot.cogs == {}
    assert bot.analyzer._executor is None
    with pytest.raises(ShuttingDown):
        await bot.analyzer.start(warm=False)  # a closed service cannot be brought back by a late start-up
    assert not bot.loop_monitor.running and bot.fetcher._session is None


async def test_a_stop_while_the_store_opens_closes_what_the_start_up_opened_and_loads_no_cogs(tmp_path):
    """close() while setup_hook waits for the store: the shutdown waits for the start-up, which stops after the
    store opened; the store, workers and fetcher end closed, no cog is loaded, nothing is synced, nothing raises."""
    gate, opened = asyncio.Event(), []
    bot = gated_bot(tmp_path, gate, opened)
    with mock.patch.object(bot.tree, "sync", autospec=True, return_value=[]) as sync:
        setup = asyncio.create_task(bot.setup_hook())
        await asyncio.sleep(0)
        closing = asyncio.create_task(bot.close())
        await until(lambda: bot.drain.closing, "shutdown to begin")
        gate.set()
        await asyncio.wait_for(asyncio.gather(setup, closing), 30)
    sync.assert_not_awaited()
    await assert_all_closed(bot, opened)


async def test_a_start_up_outliving_the_shutdowns_wait_closes_what_it_opens_late(tmp_path, monkeypatch):
    """The shutdown waits for a start-up only up to its deadline; a store that opens after that is closed by the
    start-up itself, and no cog is loaded."""
    monkeypatch.setattr("bot.client.AFTER_GRACE_SECONDS", 0.05)
    gate, opened = asyncio.Event(), []
    bot = gated_bot(tmp_path, gate, opened)
    with mock.patch.object(bot.tree, "sync", autospec=True, return_value=[]) as sync:
        setup = asyncio.create_task(bot.setup_hook())
        await asyncio.sleep(0)
        await asyncio.wait_for(bot.close(), 30)
        assert not setup.done() and opened == []
        gate.set()
        await asyncio.wait_for(setup, 30)
    sync.assert_not_awaited()
    await assert_all_closed(bot, opened)


async def test_a_gateway_whose_close_hangs_does_not_hold_the_shutdown(tmp_path, monkeypatch):
    """The gateway's close may wait long for Discord's answer; the shutdown drops it after a bounded wait (and
    discord.py's own close does not wait on it again) and still closes the services and the store."""
    monkeypatch.setattr("bot.client.GATEWAY_CLOSE_SECONDS", 0.05)
    gate, opened = asyncio.Event(), []
    gate.set()
    bot = gated_bot(tmp_path, gate, opened)
    with mock.patch.object(bot.tree, "sync", autospec=True, return_value=[]):
        await bot.setup_hook()
    assert bot.extensions  # started normally
    ws = mock.create_autospec(DiscordWebSocket, instance=True)
    ws.open = True
    never = asyncio.Event()

    async def hang(code: int = 4000) -> None:
        await never.wait()

    ws.close.side_effect = hang
    bot.ws = ws
    await asyncio.wait_for(bot.close(), 30)
    ws.close.assert_awaited_once_with(code=1000)
    await assert_all_closed(bot, opened)


async def test_byline_run_treats_a_start_up_cut_by_the_stop_as_a_clean_stop(tmp_path):
    """A SIGTERM during login or command sync closes the HTTP session under it, and discord.py then raises
    RuntimeError('Session is closed'); ``byline run`` ends cleanly instead of exiting 1 with a traceback. The same
    error without a stop still propagates."""
    bot = BylineBot(bot_settings(tmp_path), analyzer=thread_service(bot_settings(tmp_path).analysis, rule_job),
                    extensions=())
    started = asyncio.Event()

    async def login_then_sync(token: str) -> None:
        started.set()
        await until(lambda: bot._shutdown is not None and bot._shutdown.done(), "the shutdown to finish")
        raise RuntimeError("Session is closed")

    with mock.patch.object(bot, "start", autospec=True, side_effect=login_then_sync):
        serving = asyncio.create_task(_serve(bot.settings, "token", bot))
        await asyncio.wait_for(started.wait(), 10)
        os.kill(os.getpid(), signal.SIGTERM)
        await asyncio.wait_for(serving, 30)  # no exception

    other = BylineBot(bot_settings(tmp_path), analyzer=thread_service(bot_settings(tmp_path).analysis, rule_job),
                      extensions=())
    failing = mock.patch.object(other, "start", autospec=True, side_effect=RuntimeError("Session is closed"))
    with failing, pytest.raises(RuntimeError):
        await asyncio.wait_for(_serve(other.settings, "token", other), 30)
