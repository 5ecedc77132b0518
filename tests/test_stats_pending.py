"""/stats and `byline db stats` count "pending" as the review queue does (``in_queue``), and show the pending flags
below the server's threshold, which are never sent for review, apart from them."""

from __future__ import annotations

import asyncio

from bot import cli, render
from bot.store import Store
from cogs.library import Library
from tests.helpers import flagged_result, make_guild, make_interaction, make_member, make_store_bot

TEXT = ("Officials said the bridge would reopen. Sources close to the contractor said it was late. "
        "Some say the repairs were rushed. The bridge reportedly failed an inspection.")
FLAGS = [("anonymous_source", "high", "Sources close to the contractor"), ("vague_source", "medium", "Some say"),
         ("no_source", "low", "reportedly")]


async def _save(store, guild_id, text=TEXT):
    stored = await store.save_analysis(guild_id, text, flagged_result(text, FLAGS), engine_version="t")
    return list(stored.flag_ids)


async def _agree(store, guild_id) -> tuple[int, int]:
    """The server stats' pending and below-threshold counts, checked against the queue's own counts."""
    stats = await store.guild_stats(guild_id)
    pending = stats.flags_by_status["pending"]
    assert pending == await store.count_pending(guild_id) == (await store.review_stats(guild_id))["pending"]
    assert len(await store.pending_flags(guild_id, limit=100)) == pending
    every_flag = sum(stats.flags_by_status.values()) + stats.flags_below_threshold + stats.flags_carried
    assert every_flag == sum(stats.flags_by_category.values())
    return pending, stats.flags_below_threshold


async def test_server_stats_count_pending_as_the_review_queue_does(store):
    _high, medium, low = await _save(store, 1)
    await _save(store, 1, TEXT + " Again.")
    await _save(store, 2)  # another server's flags count there only
    assert await _agree(store, 1) == (4, 2)  # default threshold medium: the two low flags wait for nobody

    await store.review_flag(1, low, status="dismissed", reviewer_id=5, reviewer_name="Eve")  # decided when low
    await store.set_review_messages(1, [medium], 10, 20)  # its card is posted, so it stays in the queue
    await store.update_settings(1, flag_threshold="high")
    assert await _agree(store, 1) == (3, 2)  # high, high2 and the carded medium; medium2 and low2 fall below
    stats = await store.guild_stats(1)
    assert stats.flags_by_status == {"pending": 3, "confirmed": 0, "dismissed": 1, "superseded": 0}
    assert (await store.guild_stats(2)).flags_below_threshold == 1


async def test_slash_stats_labels_pending_as_the_queue_and_shows_the_rest_apart(store):
    guild = make_guild()
    await _save(store, guild.id)
    cog = Library(make_store_bot(store))
    inter = make_interaction(client=make_store_bot(store), guild=guild, user=make_member(guild=guild))
    await cog.stats.callback(cog, inter)
    embed = inter.followup.send.await_args.kwargs["embed"]
    rows = next(f.value for f in embed.fields if f.name == "Flags by review status").splitlines()
    assert "pending (in review queue): 2" in rows
    assert "below threshold (not sent for review): 1" in rows
    assert "pending: 3" not in rows


def test_the_stats_embed_leaves_out_the_below_threshold_line_when_there_is_none():
    from bot.store_types import GuildStats

    stats = GuildStats(1, flags_by_status={"pending": 0, "confirmed": 2, "dismissed": 0, "superseded": 0})
    value = next(f.value for f in render.guild_stats_embed(stats).fields if f.name == "Flags by review status")
    assert value.splitlines() == ["confirmed: 2", "dismissed: 0", "pending (in review queue): 0", "superseded: 0"]


def test_db_stats_counts_pending_as_the_queue_does(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("BYLINE_CONFIG", raising=False)
    monkeypatch.setenv("BYLINE_LOGGING_LEVEL", "WARNING")
    db = tmp_path / "cli.db"

    async def prepare() -> None:
        async with Store.open(db) as store:
            await _save(store, 0)  # the CLI's guild

    asyncio.run(prepare())
    assert cli.main(["db", "stats", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    flags = next(line for line in out.splitlines() if line.startswith("Flags: "))
    assert "pending (in review queue) 2" in flags and "below threshold (not sent for review) 1" in flags
    assert "pending 3" not in flags
