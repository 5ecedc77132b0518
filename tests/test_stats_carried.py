"""A verdict carried over to a re-analysis's flag (migration 0011) is not a new moderator decision: /stats,
`byline db stats` and /review stats count each decision once, on the flag the moderator decided, and show the carried
verdicts apart."""

from __future__ import annotations

import asyncio

from bot import cli
from bot.store import Store
from cogs.library import Library
from tests.helpers import flagged_result, make_guild, make_interaction, make_member, make_store_bot

TEXT = ("Officials said the bridge would reopen. Sources close to the contractor said it was late. "
        "Some say the repairs were rushed.")
FLAGS = [("anonymous_source", "high", "Sources close to the contractor"), ("vague_source", "medium", "Some say")]
CARRIED_LABEL = "verdict carried over (not a new decision)"


async def _decide_then_reanalyse(store: Store, guild_id: int, engines: int = 2) -> tuple[int, int]:
    """One confirmed and one dismissed claim, then the article analysed again under ``engines - 1`` newer engines;
    returns the two decided flags' ids."""
    first = await store.save_analysis(guild_id, TEXT, flagged_result(TEXT, FLAGS), engine_version="engine/1")
    confirmed, dismissed = first.flag_ids
    await store.review_flag(guild_id, confirmed, status="confirmed", reviewer_id=5, reviewer_name="Eve")
    await store.review_flag(guild_id, dismissed, status="dismissed", reviewer_id=6, reviewer_name="Mo")
    for n in range(2, engines + 1):
        again = await store.save_analysis(guild_id, TEXT, flagged_result(TEXT, FLAGS), engine_version=f"engine/{n}")
        assert all([(await store.get_flag(guild_id, f)).verdict_from is not None for f in again.flag_ids])
    return confirmed, dismissed


async def test_each_decision_counts_once_however_often_it_was_carried(store):
    """Two decisions, carried over twice (engine 2, then engine 3): still one confirmed and one dismissed."""
    await _decide_then_reanalyse(store, 1, engines=3)
    server = await store.guild_stats(1)
    assert server.flags_by_status == {"pending": 0, "confirmed": 1, "dismissed": 1, "superseded": 0}
    assert server.flags_carried == 4 == await store.count_carried(1)
    review = await store.review_stats(1)
    assert (review["confirmed"], review["dismissed"], review["pending"]) == (1, 1, 0)
    # every flag is counted once, under one heading; the categories count the latest analysis's flags only, in
    # /review stats as in /stats: the two carried copies of each claim are not counted again beside it
    every_flag = sum(server.flags_by_status.values()) + server.flags_below_threshold + server.flags_carried
    assert every_flag == 6
    assert server.flags_by_category == {"anonymous_source": 1, "vague_source": 1}
    assert (review["category:anonymous_source"], review["category:vague_source"]) == (1, 1)


async def test_slash_stats_shows_the_carried_verdicts_apart_from_the_decisions(store):
    guild = make_guild()
    await _decide_then_reanalyse(store, guild.id)
    cog = Library(make_store_bot(store))
    inter = make_interaction(client=make_store_bot(store), guild=guild, user=make_member(guild=guild))
    await cog.stats.callback(cog, inter)
    embed = inter.followup.send.await_args.kwargs["embed"]
    rows = next(f.value for f in embed.fields if f.name == "Flags by review status").splitlines()
    assert "confirmed: 1" in rows and "dismissed: 1" in rows
    assert f"{CARRIED_LABEL}: 2" in rows


def test_db_stats_counts_as_slash_stats_does(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("BYLINE_CONFIG", raising=False)
    monkeypatch.setenv("BYLINE_LOGGING_LEVEL", "WARNING")
    db = tmp_path / "cli.db"

    async def prepare() -> None:
        async with Store.open(db) as store:
            await _decide_then_reanalyse(store, 0)  # the CLI's guild

    asyncio.run(prepare())
    assert cli.main(["db", "stats", "--db", str(db)]) == 0
    flags = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("Flags: "))
    assert "confirmed 1," in flags and "dismissed 1," in flags
    assert f"{CARRIED_LABEL} 2" in flags
