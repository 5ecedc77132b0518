"""The review queue's reads: flags still waiting for a card, counts that leave out flags below the guild's
threshold, and pages that start behind the last flag seen."""

from __future__ import annotations

from tests.helpers import flagged_result

TEXT = ("Officials said the bridge would reopen. Sources close to the contractor said it was late. "
        "Some say the repairs were rushed. The bridge reportedly failed an inspection.")
FLAGS = [("anonymous_source", "high", "Sources close to the contractor"), ("vague_source", "medium", "Some say"),
         ("no_source", "low", "reportedly")]


async def _save(store, guild_id, text=TEXT):
    stored = await store.save_analysis(guild_id, text, flagged_result(text, FLAGS), engine_version="t")
    return list(stored.flag_ids), stored.id


async def test_waiting_flags_are_pending_uncarded_at_or_above_the_threshold_oldest_first(store):
    (high, medium, _low), first = await _save(store, 1)
    (high2, medium2, _low2), _second = await _save(store, 1, TEXT + " Again.")
    await _save(store, 2)  # another guild's flags never show up
    await store.set_review_messages(1, [high], 10, 20)  # already on a card
    await store.review_flag(1, medium2, status="dismissed", reviewer_id=5, reviewer_name="Eve")  # decided

    waiting = await store.waiting_for_card(1, min_severity="medium")
    assert [f.id for f in waiting] == [medium, high2]
    assert await store.count_waiting_for_card(1, min_severity="medium") == 2
    assert [f.id for f in await store.waiting_for_card(1, min_severity="medium", limit=1)] == [medium]
    assert [f.id for f in await store.waiting_for_card(1, min_severity="high")] == [high2]
    assert [f.id for f in await store.waiting_for_card(1, min_severity="medium", analysis_id=first)] == [medium]
    assert await store.count_waiting_for_card(1, min_severity="low") == 4


async def test_the_waiting_flags_are_found_through_their_own_index(store):
    await _save(store, 1)
    plan = await store._rows(
        "EXPLAIN QUERY PLAN SELECT id FROM flags WHERE guild_id = ? AND status = 'pending' "
        "AND review_message_id IS NULL AND severity_rank >= ? ORDER BY id LIMIT ?", (1, 2, 5))
    assert "flags_waiting_for_card" in " ".join(str(tuple(row)) for row in plan)


async def test_review_stats_leave_out_pending_flags_below_the_threshold(store):
    (_high, _medium, low), _ = await _save(store, 1)
    await store.review_flag(1, low, status="dismissed", reviewer_id=5, reviewer_name="Eve")  # decided when low
    stats = await store.review_stats(1, min_severity="high")
    assert (stats["pending"], stats["dismissed"]) == (1, 1)
    assert {k: v for k, v in stats.items() if k.startswith("category:")} == {
        "category:anonymous_source": 1, "category:no_source": 1}
    everything = await store.review_stats(1)
    assert everything["pending"] == 2 and everything["category:vague_source"] == 1


async def test_the_queue_and_its_counts_follow_the_guild_threshold_by_default(store):
    (high, medium, _low), _ = await _save(store, 1)
    assert [f.id for f in await store.pending_flags(1)] == [high, medium]  # default threshold: medium
    assert await store.count_pending(1) == 2 and (await store.review_stats(1))["pending"] == 2
    await store.update_settings(1, flag_threshold="high")
    assert [f.id for f in await store.pending_flags(1)] == [high]
    assert await store.count_pending(1) == 1 and await store.count_waiting_for_card(1) == 1
    assert await store.count_pending(1, min_severity="low") == 3  # asked for explicitly, everything


async def test_a_queue_page_starts_behind_the_last_flag_seen(store):
    (high, medium, _low), _ = await _save(store, 1)
    (high2, medium2, _low2), _ = await _save(store, 1, TEXT + " Again.")
    queue = await store.pending_flags(1, limit=2)
    assert [f.id for f in queue] == [high, high2]  # most severe first, then oldest first
    await store.review_flag(1, high, status="confirmed", reviewer_id=5, reviewer_name="Eve")  # decided meanwhile
    assert [f.id for f in await store.pending_flags(1, limit=2, after=queue[-1])] == [medium, medium2]
    assert [f.id for f in await store.pending_flags(1, after=queue[0])] == [high2, medium, medium2]


async def test_raising_the_threshold_keeps_flags_whose_card_is_posted_in_the_queue(store):
    """Their cards stay in the review channel with working buttons, so the queue, its counts, the stats and the
    export keep them; an unposted flag below the new threshold leaves the queue as before."""
    import io
    import json

    (high, medium, low), _ = await _save(store, 1)
    (high2, medium2, _low2), _ = await _save(store, 1, TEXT + " Again.")
    await store.set_review_messages(1, [high, medium], 10, 20)  # posted while the threshold was medium
    await store.update_settings(1, flag_threshold="high")

    assert [f.id for f in await store.pending_flags(1)] == [high, high2, medium]
    assert await store.count_pending(1) == 3 and (await store.review_stats(1))["pending"] == 3
    assert [f.id for f in await store.waiting_for_card(1)] == [high2]
    out = io.StringIO()
    await store.export_flags(1, out, fmt="jsonl", status="pending")
    assert [json.loads(line)["id"] for line in out.getvalue().splitlines()] == [high, medium, high2]
    everything = io.StringIO()
    await store.export_flags(1, everything, fmt="jsonl")
    in_queue = {r["id"]: r["in_queue"] for r in map(json.loads, everything.getvalue().splitlines())}
    assert (in_queue[medium], in_queue[low], in_queue[medium2]) == (True, False, False)
    await store.review_flag(1, medium, status="dismissed", reviewer_id=5, reviewer_name="Eve")
    assert await store.count_pending(1) == 2
