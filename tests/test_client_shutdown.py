"""BylineBot's graceful shutdown with real services: accepted analyses are answered before REST closes, new
requests are told Byline is restarting, the wait is bounded and the store closes last."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from unittest import mock

import pytest
from discord.gateway import DiscordWebSocket

from bot.client import BylineBot, _serve
from bot.errors import CutShortByRestart, ShuttingDown
from bot.interaction_errors import handle_interaction_error
from tests.botkit import ARTICLE, GatedJob, rule_job
from tests.helpers import make_interaction
from tests.test_client import new_bot


def open_gateway():
    """A spec'd gateway socket that reports itself closed once close() is awaited."""
    ws = mock.create_autospec(DiscordWebSocket, instance=True)
    ws.open = True

    async def ws_closed(code: int = 4000) -> None:
        ws.open = False

    ws.close.side_effect = ws_closed
    return ws


async def started_bot(tmp_path, job, **discord_changes) -> BylineBot:
    bot = new_bot(tmp_path, extensions=("cogs.analyse",), job=job, **discord_changes)
    with mock.patch.object(bot.tree, "sync", autospec=True, return_value=[]):
        await bot.setup_hook()
    return bot


def analyse_in_own_task(bot: BylineBot, inter, text: str) -> asyncio.Task[None]:
    """Each request in its own task, as discord.py runs them; errors go to the one handler, as the tree does."""
    cog = bot.cogs["AnalyseCog"]

    async def run() -> None:
        try:
            await cog.analyse.callback(cog, inter, text=text)  # type: ignore[attr-defined]
        except Exception as exc:
            await handle_interaction_error(inter, exc)

    return asyncio.create_task(run())


async def until(predicate, what: str) -> None:
    """Yield to the loop until ``predicate()`` holds; fail (not hang) after a generous bound."""
    for _ in range(2000):
        if predicate():
            return
        await asyncio.sleep(0.005)
    raise AssertionError(f"never happened: {what}")


def sent_texts(inter) -> list[str]:
    calls = inter.response.send_message.await_args_list + inter.followup.send.await_args_list
    return [(c.args[0] if c.args else "") for c in calls]


async def test_shutdown_answers_running_and_queued_analyses_then_closes_rest_then_the_store(tmp_path):
    """Once close() begins, new commands (and modal submissions) are told Byline is restarting; the running and
    the queued analysis both finish and their follow-ups go out while REST is open; the store closes after REST;
    a second close() during the wait shares the one shutdown."""
    job = GatedJob()
    bot = await started_bot(tmp_path, job)
    bot.ws = gateway = open_gateway()
    events: list[str] = []
    first, queued = make_interaction(client=bot), make_interaction(client=bot)
    for name, inter in (("first", first), ("queued", queued)):
        inter.followup.send.side_effect = lambda *a, _n=name, **k: events.append(
            f"{_n} answered, rest {'open' if bot._closing_task is None else 'closed'}")
    real_store_close = bot.store.close

    async def store_close() -> None:
        events.append(f"store closed, rest {'open' if bot._closing_task is None else 'closed'}")
        await real_store_close()

    try:
        tasks = [analyse_in_own_task(bot, first, ARTICLE), analyse_in_own_task(bot, queued, ARTICLE + " Later.")]
        assert await asyncio.to_thread(job.started.acquire, True, 10)
        await until(lambda: bot.analyzer.in_flight == 2, "the second analysis to wait in the queue")
        with mock.patch.object(bot.store, "close", autospec=True, side_effect=store_close):
            closing = asyncio.create_task(bot.close())
            await until(lambda: bot.drain.closing, "shutdown to begin")
            late = make_interaction(client=bot)
            assert await asyncio.create_task(bot.tree.interaction_check(late)) is False
            modal = make_interaction(client=bot)
            cog = bot.cogs["AnalyseCog"]
            await asyncio.create_task(invoke_modal(cog, modal))
            again = asyncio.create_task(bot.close())
            await asyncio.sleep(0.05)
            assert not closing.done() and not again.done() and events == []  # waiting for the accepted work,
            assert gateway.open  # with the gateway open, so members asking now are told Byline is restarting
            job.release.set()
            await asyncio.wait_for(asyncio.gather(closing, again, *tasks), 30)
    finally:
        job.release.set()
    assert events == ["first answered, rest open", "queued answered, rest open", "store closed, rest closed"]
    gateway.close.assert_awaited_once_with(code=1000)
    for refused in (late, modal):
        assert sent_texts(refused) == [ShuttingDown.user_message]
        assert refused.response.send_message.await_args.kwargs["ephemeral"] is True
        refused.response.defer.assert_not_awaited()
    assert bot.drain.pending() == []


async def invoke_modal(cog, inter) -> None:
    try:
        await cog.run_text(inter, ARTICLE, ephemeral=False)
    except Exception as exc:
        await handle_interaction_error(inter, exc)


async def test_work_unfinished_at_the_grace_deadline_is_cut_short_answered_and_logged(tmp_path, caplog, monkeypatch):
    """A job still running when the grace period ends: its handler is cancelled, the member is told privately that
    Byline restarted before finishing (the public placeholder is removed first), it is logged, and close() returns
    although the stuck worker never finishes."""
    monkeypatch.setattr("bot.client.LATE_SECONDS", 0.2)  # a thread worker cannot be killed: do not wait long for it
    job = GatedJob()
    bot = await started_bot(tmp_path, job, shutdown_grace_seconds=0.0)
    inter = make_interaction(client=bot)
    try:
        task = analyse_in_own_task(bot, inter, ARTICLE)
        assert await asyncio.to_thread(job.started.acquire, True, 10)
        with caplog.at_level(logging.INFO):
            await asyncio.wait_for(bot.close(), 30)
        assert task.cancelled()
    finally:
        job.release.set()
    inter.response.defer.assert_awaited_once()
    inter.delete_original_response.assert_awaited_once()
    assert sent_texts(inter) == [CutShortByRestart.user_message]
    assert inter.followup.send.await_args.kwargs["ephemeral"] is True
    assert f"analysis for user {inter.user.id} did not finish in time" in caplog.text
    assert "that it was cut short" in caplog.text


@pytest.mark.parametrize("via_pipeline", [False, True])
async def test_events_an_accepted_request_dispatched_are_waited_for(tmp_path, via_pipeline):
    """The review cog posts flags from its own event task; shutdown waits for that task like for the request that
    stored the analysis, so the post goes out before REST closes. Through the pipeline the analysis runs in a task of
    its own (later requests for the same text join it), which is held as the request's follow-on."""
    from bot.pipeline import STORED_EVENT, analyse_and_store

    bot = await started_bot(tmp_path, rule_job)
    await bot._async_setup_hook()  # what ``async with bot`` does: gives the client its loop for dispatch()
    posted = asyncio.Event()
    seen: list[str] = []

    async def post_flags(stored: object) -> None:
        await posted.wait()
        rest = "open" if bot._closing_task is None else "closed"
        seen.append(f"{'flags' if via_pipeline else stored} posted, rest {rest}")

    bot.add_listener(post_flags, f"on_{STORED_EVENT}")

    async def request() -> None:
        bot.drain.hold("an analysis")
        if via_pipeline:
            await analyse_and_store(bot, 1, ARTICLE, author_id=7)
        else:
            bot.dispatch(STORED_EVENT, "flags")

    await asyncio.create_task(request())
    assert bot.drain.pending() and all("follow-on" in what for what in bot.drain.pending())
    closing = asyncio.create_task(bot.close())
    await until(lambda: bot.drain.closing, "shutdown to begin")
    await asyncio.sleep(0.05)
    assert not closing.done()
    posted.set()
    await asyncio.wait_for(closing, 30)
    assert seen == ["flags posted, rest open"]


async def test_a_second_stop_signal_cuts_the_grace_period_short(tmp_path, monkeypatch):
    """``byline run``: the first SIGTERM starts the shutdown (the grace period here is ten minutes); a second one
    ends the wait at once, and the member whose analysis was running is told it was cut short."""
    monkeypatch.setattr("bot.client.LATE_SECONDS", 0.2)  # a thread worker cannot be killed: do not wait long for it
    job = GatedJob()
    bot = await started_bot(tmp_path, job, shutdown_grace_seconds=600.0)
    inter = make_interaction(client=bot)
    started = asyncio.Event()

    async def session(token: str) -> None:  # stands in for the gateway session, which ends once the bot closes
        started.set()
        while not (bot._shutdown is not None and bot._shutdown.done()):
            await asyncio.sleep(0.01)

    try:
        with mock.patch.object(bot, "start", autospec=True, side_effect=session):
            serving = asyncio.create_task(_serve(bot.settings, "token", bot))
            await asyncio.wait_for(started.wait(), 10)  # the signal handlers are installed by now
            task = analyse_in_own_task(bot, inter, ARTICLE)
            assert await asyncio.to_thread(job.started.acquire, True, 10)
            os.kill(os.getpid(), signal.SIGTERM)
            await until(lambda: bot.drain.closing, "the first signal to start the shutdown")
            await asyncio.sleep(0.05)
            assert not serving.done()  # waiting for the running analysis
            os.kill(os.getpid(), signal.SIGTERM)
            await asyncio.wait_for(serving, 30)
        assert task.cancelled()
    finally:
        job.release.set()
    assert sent_texts(inter) == [CutShortByRestart.user_message]


async def test_async_with_ends_only_after_the_whole_shutdown(tmp_path):
    """The end-to-end runner's order: ``async with bot: await bot.start()`` while another task calls close(). The
    gateway session ends only when REST closes, after which the shutdown still closes the store; the ``async with``
    block must not end before that, or the loop stops under a shutdown that never finishes."""
    bot = new_bot(tmp_path)
    events: list[str] = []

    async def session(token: str) -> None:  # the gateway socket dies with REST's HTTP session
        while bot._closing_task is None:
            await asyncio.sleep(0.001)

    async with bot:
        with mock.patch.object(bot.tree, "sync", autospec=True, return_value=[]):
            await bot.setup_hook()
        real_store_close = bot.store.close

        async def store_close() -> None:
            events.append("store closing")
            await real_store_close()
            events.append("store closed")

        with mock.patch.object(bot.store, "close", autospec=True, side_effect=store_close), \
                mock.patch.object(bot, "start", autospec=True, side_effect=session):
            closing = asyncio.create_task(bot.close())
            await bot.start("token")
    events.append("async with ended")
    assert events == ["store closing", "store closed", "async with ended"]
    assert closing.done() and bot._shutdown is not None and bot._shutdown.done()
