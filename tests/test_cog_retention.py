"""The retention cog: the bot itself enforces /settings retention, with a real Store, and empties stale cards."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import timedelta
from unittest import mock

import discord

from bot.cards import CARDS_STALE_EVENT
from bot.errors import StoreError
from bot.store_cards import StaleCard
from bot.store_types import to_db_time, utcnow
from cogs.retention import Retention
from cogs.review import Review
from tests.helpers import flagged_result, make_store_bot

TEXT = "Sources close to the council said the pool would close. Some say it was never safe."
FLAGS = [("anonymous_source", "high", "Sources close to the council"), ("vague_source", "medium", "Some say")]


async def _save(store, guild_id: int, text: str = TEXT):
    return await store.save_analysis(guild_id, text, flagged_result(text, FLAGS, title="Pool"),
                                     engine_version="test-1", title="Pool", author_id=77)


def _age(store, days: int) -> None:
    """Backdate everything stored, as if it had been shared and analysed ``days`` ago."""
    conn = sqlite3.connect(store.path)
    with conn:
        for table in ("documents", "analyses", "flags"):
            conn.execute(f"UPDATE {table} SET created_at = ?", (to_db_time(utcnow() - timedelta(days=days)),))
    conn.close()


async def test_prune_once_deletes_expired_analyses_and_lists_their_cards_for_the_clean_up(store):
    old = await _save(store, 1)
    await store.set_review_messages(1, old.flag_ids, 55, 66)
    other_guild = await _save(store, 2)  # no retention there: kept
    await store.update_settings(1, retention_days=30)
    _age(store, 31)
    cog = Retention(make_store_bot(store))

    report = await cog.prune_once()

    assert report is not None and report.documents == 1
    assert await store.get_analysis(1, old.id) is None
    assert await store.get_analysis(2, other_guild.id) is not None
    assert await store.stale_cards() == [StaleCard(1, 55, 66, "retention")]
    cog.bot.dispatch.assert_called_once_with(CARDS_STALE_EVENT)


async def test_nothing_expired_means_nothing_deleted_but_old_clean_up_work_is_still_announced(store):
    """The clean-up list may hold cards from a command-line prune, so every round announces it."""
    kept = await _save(store, 1)
    await store.update_settings(1, retention_days=30)
    _age(store, 29)
    cog = Retention(make_store_bot(store))
    report = await cog.prune_once()
    assert report is not None and report.documents == 0
    assert await store.get_analysis(1, kept.id) is not None
    assert await store.stale_cards() == []
    cog.bot.dispatch.assert_called_once_with(CARDS_STALE_EVENT)


async def test_a_store_failure_is_logged_and_never_raised(store, caplog):
    cog = Retention(make_store_bot(store))
    with mock.patch.object(store, "prune", autospec=True, side_effect=StoreError("database is locked")):
        assert await cog.prune_once() is None
    assert "retention pruning failed" in caplog.text


async def test_the_review_cog_empties_cards_removed_by_retention(store):
    stored = await _save(store, 1)
    await store.set_review_messages(1, stored.flag_ids, 55, 68)
    await store.update_settings(1, retention_days=1)
    _age(store, 2)
    await Retention(make_store_bot(store)).prune_once()
    review = Review(make_store_bot(store))
    card = mock.create_autospec(discord.PartialMessage, instance=True, spec_set=True)
    review.bot.get_partial_messageable.return_value.get_partial_message.return_value = card

    assert await review.clean_stale_cards() == 1

    review.bot.get_partial_messageable.assert_called_once_with(55, guild_id=1)
    edit = card.edit.await_args.kwargs
    assert edit["view"] is None and "retention" in edit["embed"].title
    assert "Pool" not in str(edit["embed"].to_dict()) and "Sources close" not in str(edit["embed"].to_dict())


async def test_the_loop_prunes_only_after_the_gateway_is_ready_and_stops_with_the_cog(store):
    ready = asyncio.Event()
    bot = make_store_bot(store)
    bot.wait_until_ready.side_effect = ready.wait
    cog = Retention(bot)
    with mock.patch.object(store, "prune", autospec=True, side_effect=store.prune) as prune:
        await cog.cog_load()
        await asyncio.sleep(0.05)
        assert cog.prune_loop.is_running() and prune.await_count == 0
        ready.set()
        for _ in range(100):
            if prune.await_count:
                break
            await asyncio.sleep(0.01)
        assert prune.await_count == 1
        await cog.cog_unload()
        for _ in range(100):
            if not cog.prune_loop.is_running():
                break
            await asyncio.sleep(0.01)
        assert not cog.prune_loop.is_running()
