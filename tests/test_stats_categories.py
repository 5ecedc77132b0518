"""/stats, `byline db stats` and /review stats count flags by category over each article's latest analysis only, as
/stats counts its attributions: a re-analysed article's superseded or replaced flags are not counted a second time
beside the new ones."""

from __future__ import annotations

import asyncio

from bot import cli
from bot.store import Store
from cogs.library import Library
from cogs.review import Review
from tests.helpers import (
    flagged_result,
    make_guild,
    make_interaction,
    make_member,
    make_permissions,
    make_store_bot,
)

TEXT = ("Officials said the bridge would reopen. Sources close to the contractor said it was late. "
        "Some say the repairs were rushed.")
FLAGS = [("anonymous_source", "high", "Sources close to the contractor"), ("vague_source", "medium", "Some say")]
OTHER = "The mayor said the park would open. Critics say it is too small."
OTHER_FLAGS = [("vague_source", "medium", "Critics")]


async def _reanalysed(store: Store, guild_id: int) -> None:
    """One article analysed three times (its pending flags superseded each time, one decision carried over), and
    another article analysed once."""
    first = await store.save_analysis(guild_id, TEXT, flagged_result(TEXT, FLAGS), engine_version="engine/1")
    await store.review_flag(guild_id, first.flag_ids[0], status="confirmed", reviewer_id=5, reviewer_name="Eve")
    for n in (2, 3):
        await store.save_analysis(guild_id, TEXT, flagged_result(TEXT, FLAGS), engine_version=f"engine/{n}")
    await store.save_analysis(guild_id, OTHER, flagged_result(OTHER, OTHER_FLAGS), engine_version="engine/3")


async def test_categories_count_each_articles_current_flags_once(store):
    await _reanalysed(store, 1)
    stats = await store.guild_stats(1)
    assert stats.flags_by_category == {"anonymous_source": 1, "vague_source": 2}
    # the statuses still count every flag once under one heading: old decisions and superseded flags included
    assert stats.flags_by_status["superseded"] == 2  # the vague flag of engines 1 and 2
    assert stats.flags_by_status["confirmed"] == 1 and stats.flags_carried == 2
    assert stats.analyses == 4 and stats.documents == 2


async def test_slash_stats_shows_the_current_flags_by_category(store):
    guild = make_guild()
    await _reanalysed(store, guild.id)
    bot = make_store_bot(store)
    cog = Library(bot)
    inter = make_interaction(client=bot, guild=guild, user=make_member(guild=guild))
    await cog.stats.callback(cog, inter)
    embed = inter.followup.send.await_args.kwargs["embed"]
    rows = next(f.value for f in embed.fields if f.name == "Flags by category").splitlines()
    assert [row.rsplit(": ", 1)[1] for row in rows] == ["1", "2"]  # anonymous, then vague


async def test_review_stats_counts_categories_as_slash_stats_does(store):
    await _reanalysed(store, 1)
    review = await store.review_stats(1)
    categories = {k.removeprefix("category:"): v for k, v in review.items() if k.startswith("category:")}
    assert categories == (await store.guild_stats(1)).flags_by_category == {"anonymous_source": 1, "vague_source": 2}
    # the statuses are unchanged: the old decision once, the superseded flags, the carried copies left out
    assert (review["confirmed"], review["superseded"], review["pending"]) == (1, 2, 2)


async def test_slash_review_stats_shows_the_current_flags_by_category(store):
    guild = make_guild()
    await _reanalysed(store, guild.id)
    bot = make_store_bot(store)
    cog = Review(bot)
    rights = make_permissions(manage_messages=True)
    inter = make_interaction(client=bot, guild=guild, user=make_member(guild=guild, permissions=rights))
    inter.permissions = rights
    await cog.stats.callback(cog, inter)
    embed = inter.followup.send.await_args.kwargs["embed"]
    rows = next(f.value for f in embed.fields if f.name == "By category").splitlines()
    assert [row.rsplit(": ", 1)[1] for row in rows] == ["1", "2"]  # anonymous, then vague


def test_db_stats_counts_categories_as_slash_stats_does(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("BYLINE_CONFIG", raising=False)
    monkeypatch.setenv("BYLINE_LOGGING_LEVEL", "WARNING")
    db = tmp_path / "cli.db"

    async def prepare() -> None:
        async with Store.open(db) as store:
            await _reanalysed(store, 0)  # the CLI's guild

    asyncio.run(prepare())
    assert cli.main(["db", "stats", "--db", str(db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "By category: anonymous_source 1, vague_source 2" in lines
