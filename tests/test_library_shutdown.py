"""The library cog's public answers and the shutdown: once an answer is out, a stop cutting the command short leaves
it in the channel (and recorded for /forget) instead of deleting it as if it were the "thinking…" placeholder."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from bot.shutdown import Drain, hold_interaction
from bot.store_cards import CardRef
from cogs.library import Library
from tests.helpers import flagged_result, make_guild, make_interaction, make_member, make_message, make_store_bot

ARTICLE = (
    "The harbour authority said the pier will close for repairs. Sources inside the port said costs doubled. "
    "Critics say the closure will hurt fishermen."
)
FLAGS = [("anonymous_source", "high", "Sources inside the port"), ("vague_source", "medium", "Critics")]

Run = Callable[[Library, Any, Any], Awaitable[None]]
COMMANDS: dict[str, Run] = {
    "lookup": lambda cog, inter, stored: cog.lookup.callback(cog, inter, stored.id),
    "search": lambda cog, inter, stored: cog.search.callback(cog, inter, "harbour"),
    "recent": lambda cog, inter, stored: cog.recent.callback(cog, inter),
}


async def _held(inter: Any, command: Awaitable[None]) -> None:
    """Run a command the way the tree does: held first, with a "cut short" answer should the stop cancel it."""
    hold_interaction(inter, "library command", answer_cut_short=True)
    await command


def _setup(store: Any) -> tuple[Any, Library, Any]:
    bot = make_store_bot(store)
    bot.drain = Drain()
    cog = Library(bot)
    guild = make_guild()
    inter = make_interaction(client=bot, guild=guild, user=make_member(guild=guild))
    return bot, cog, inter


async def _stop_while(bot: Any, task: asyncio.Task[None], release: asyncio.Event) -> None:
    """A second Ctrl-C: the stop cancels the command at once; what blocked it frees only after the cancellation."""
    bot.drain.begin()
    bot.drain.hurry()
    stopping = asyncio.create_task(bot.drain.finish(0))
    await asyncio.wait([task])
    release.set()
    await stopping


@pytest.mark.parametrize("command", sorted(COMMANDS))
async def test_a_public_answer_sent_before_the_stop_cut_the_command_short_stays_and_is_recorded(
        store, monkeypatch, command):
    """Recording the answer for /forget waits on the store's write lock (an hourly prune, another write) when the stop
    cancels the command: the answer is neither deleted nor followed by "cut short, try again", and the record still
    completes, so the author's /forget can take the message down later."""
    bot, cog, inter = _setup(store)
    author = make_member(guild=inter.guild)
    stored = await store.save_analysis(inter.guild_id, ARTICLE, flagged_result(ARTICLE, FLAGS, title="Pier"),
                                       engine_version="test-1", title="Pier", author_id=author.id)
    posted = inter.followup.send.return_value = make_message(channel=inter.channel)
    waiting, release = asyncio.Event(), asyncio.Event()
    record = store.record_shown

    async def record_behind_the_write_lock(*args: Any, **kwargs: Any) -> bool:
        waiting.set()
        await release.wait()
        return await record(*args, **kwargs)

    monkeypatch.setattr(store, "record_shown", record_behind_the_write_lock)
    task = asyncio.create_task(_held(inter, COMMANDS[command](cog, inter, stored)))
    await waiting.wait()
    await _stop_while(bot, task, release)
    assert task.cancelled()
    inter.delete_original_response.assert_not_awaited()
    inter.followup.send.assert_awaited_once()  # the answer, and no notice after it
    assert inter.followup.send.await_args.kwargs["ephemeral"] is False
    inter.response.send_message.assert_not_awaited()
    assert (await store.forget_user(inter.guild_id, author.id)).replies == (CardRef(posted.channel.id, posted.id),)


async def test_a_stats_answer_on_its_way_when_the_stop_cuts_the_command_short_is_finished(store):
    """The stop cancels /stats while its answer is being sent: the send finishes, and the placeholder it replaces is
    not deleted nor a "cut short" notice sent after it."""
    bot, cog, inter = _setup(store)
    sending, release = asyncio.Event(), asyncio.Event()

    async def slow_send(*args: Any, **kwargs: Any) -> Any:
        sending.set()
        await release.wait()
        return make_message(channel=inter.channel)

    inter.followup.send.side_effect = slow_send
    task = asyncio.create_task(_held(inter, cog.stats.callback(cog, inter)))
    await sending.wait()
    await _stop_while(bot, task, release)
    inter.delete_original_response.assert_not_awaited()
    inter.followup.send.assert_awaited_once()
    assert "embed" in inter.followup.send.await_args.kwargs
    inter.response.send_message.assert_not_awaited()

