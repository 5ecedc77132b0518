"""Re-analysing a text under a newer engine retires the older analysis's undecided flags, with an audit line."""

from __future__ import annotations

import io
import json
import sqlite3

import pytest

from bot import render
from bot.errors import AlreadyReviewed, FlagSuperseded
from bot.store import Store
from tests.store_factory import ARTICLE, ARTICLE_FLAGS, make_result

OLD, NEW = "engine/1", "engine/2"


async def save(store, guild=1, engine=OLD, flags=ARTICLE_FLAGS, text=ARTICLE):
    return await store.save_analysis(guild, text, make_result(text, flags), engine_version=engine)


async def test_newer_engine_retires_pending_flags_and_keeps_verdicts(store):
    old = await save(store)
    decided, waiting = old.flag_ids
    await store.review_flag(1, decided, status="dismissed", reviewer_id=3, reviewer_name="Mo")
    new = await save(store, engine=NEW)
    assert not new.cached and new.id != old.id

    stale = await store.get_flag(1, waiting)
    assert stale.status == "superseded" and stale.superseded_by == new.id and stale.reviewed_at is not None
    assert stale.reviewer_id is None and stale.reviewer_name is None
    kept = await store.get_flag(1, decided)
    assert (kept.status, kept.reviewer_name, kept.superseded_by) == ("dismissed", "Mo", None)

    # The new flag for the claim Mo dismissed takes that verdict over; only the undecided claim waits again.
    again, undecided = new.flag_ids
    queue = await store.pending_flags(1, limit=50)
    assert [f.id for f in queue] == [undecided]
    assert await store.count_pending(1) == 1
    stats = await store.review_stats(1)
    assert (stats["pending"], stats["dismissed"], stats["superseded"], stats["confirmed"]) == (1, 1, 1, 0)
    assert (await store.guild_stats(1)).flags_by_status["superseded"] == 1
    assert (await store.get_flag(1, again)).status == "dismissed"

    events = await store.review_events(1, waiting)
    assert [(e.action, e.actor_id, e.actor_name) for e in events] == [("superseded", None, None)]
    assert new.id in events[0].note
    assert [e.action for e in await store.review_events(1, decided)] == ["dismissed"]


async def test_reviewing_a_superseded_flag_says_why_and_changes_nothing(store):
    old = await save(store)
    new = await save(store, engine=NEW)
    with pytest.raises(FlagSuperseded) as caught:
        await store.review_flag(1, old.flag_ids[0], status="confirmed", reviewer_id=3, reviewer_name="Mo")
    assert isinstance(caught.value, AlreadyReviewed)  # the review buttons already handle this family
    assert new.id in caught.value.user_message
    flag = await store.get_flag(1, old.flag_ids[0])
    assert flag.status == "superseded" and flag.reviewer_name is None
    assert [e.action for e in await store.review_events(1, flag.id)] == ["superseded"]


async def test_the_same_engine_again_is_a_cache_hit_and_supersedes_nothing(store):
    first = await save(store)
    again = await save(store)
    assert again.cached and again.id == first.id
    assert await store.count_pending(1) == 2
    assert all(e == [] for e in [await store.review_events(1, i) for i in first.flag_ids])


async def test_only_the_same_document_in_the_same_guild_is_superseded(store):
    other_text = ARTICLE.replace("Monday", "Tuesday")
    elsewhere = await save(store, guild=2)
    unrelated = await save(store, text=other_text)
    await save(store)
    await save(store, engine=NEW)
    assert {(await store.get_flag(2, i)).status for i in elsewhere.flag_ids} == {"pending"}
    assert {(await store.get_flag(1, i)).status for i in unrelated.flag_ids} == {"pending"}
    assert await store.count_pending(2) == 2 and await store.count_pending(1) == 4


async def test_a_third_version_supersedes_the_second_and_leaves_the_first_alone(store):
    first = await save(store)
    second = await save(store, engine=NEW)
    third = await save(store, engine="engine/3")
    for flag_id in first.flag_ids:
        assert (await store.get_flag(1, flag_id)).superseded_by == second.id
    assert [len(await store.review_events(1, i)) for i in first.flag_ids] == [1, 1]
    for flag_id in second.flag_ids:
        assert (await store.get_flag(1, flag_id)).superseded_by == third.id
    assert await store.count_pending(1) == 2


async def test_export_can_filter_superseded_flags(store):
    old = await save(store)
    await save(store, engine=NEW)
    out = io.StringIO()
    assert await store.export_flags(1, out, fmt="jsonl", status="superseded") == 2
    assert sorted(json.loads(line)["id"] for line in out.getvalue().splitlines()) == sorted(old.flag_ids)


async def test_audit_log_stays_append_only_for_every_other_edit(store):
    old = await save(store)
    await save(store, engine=NEW)
    conn = sqlite3.connect(store.path)
    try:
        for sql in ("UPDATE review_events SET note = 'rewritten'",
                    "UPDATE review_events SET action = 'confirmed'",
                    # a NULL actor (the system) has nothing to forget, so even the placeholder edit is refused
                    "UPDATE review_events SET actor_id = 0, actor_name = 'forgotten user'",
                    "DELETE FROM review_events"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                conn.execute(sql)
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            conn.execute("UPDATE flags SET status = 'archived' WHERE id = ?", (old.flag_ids[0],))
    finally:
        conn.close()


def _add_v3_rows(path, old_id: str, decided: int, new_id: str) -> None:
    """What version 3 left behind: a verdict on one flag, and a second analysis whose flags also wait."""
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE flags SET status = 'confirmed', reviewer_id = 3, reviewer_name = 'Mo' WHERE id = ?",
                     (decided,))
        conn.execute("INSERT INTO review_events (guild_id, flag_id, action, actor_id, actor_name, created_at) "
                     "VALUES (5, ?, 'confirmed', 3, 'Mo', '2025-01-01T00:00:00.000000Z')", (decided,))
        conn.execute("INSERT INTO analyses (id, guild_id, document_id, engine_version, result_json, created_at) "
                     "SELECT ?, guild_id, document_id, ?, result_json, created_at FROM analyses WHERE id = ?",
                     (new_id, NEW, old_id))
        conn.execute("INSERT INTO flags (guild_id, analysis_id, position, category, severity, severity_rank, "
                     "span_start, span_end, evidence, reason, sentence, created_at) SELECT guild_id, ?, position, "
                     "category, severity, severity_rank, span_start, span_end, evidence, reason, sentence, "
                     "created_at FROM flags WHERE analysis_id = ?", (new_id, old_id))
    conn.close()


_V3_COLUMNS = {
    "documents": "id, guild_id, content_hash, text, title, url, site, author_id, channel_id, message_link, created_at",
    "analyses": "seq, id, guild_id, document_id, engine_version, result_json, n_named, n_anonymous, n_vague, "
                "n_pronoun, n_none, created_at",
    "flags": "id, guild_id, analysis_id, position, category, severity, severity_rank, span_start, span_end, "
             "evidence, reason, sentence, status, reviewer_id, reviewer_name, reviewed_at, note, created_at",
}


async def _saved_under_v3(tmp_path, path, guild: int):
    """An analysis as version 3 stored it: saved by today's store elsewhere, copied column by column."""
    async with Store.open(tmp_path / "scratch.db") as s:
        old = await save(s, guild=guild)
    async with Store.open(path, migrate_to=3):
        pass
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("ATTACH DATABASE ? AS src", (str(tmp_path / "scratch.db"),))
        for table, cols in _V3_COLUMNS.items():
            conn.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM src.{table}")
    conn.execute("DETACH DATABASE src")
    conn.close()
    return old


async def test_upgrade_supersedes_the_backlog_of_stale_pending_flags(tmp_path):
    path = tmp_path / "old.db"
    old = await _saved_under_v3(tmp_path, path, guild=5)
    decided, waiting = old.flag_ids
    _add_v3_rows(path, old.id, decided, "n3n3n3")
    async with Store.open(path) as s:
        new_flags = (await s.get_analysis(5, "n3n3n3")).flag_ids
        assert await s.count_pending(5) == 2
        assert sorted(f.id for f in await s.pending_flags(5)) == sorted(new_flags)
        stale = await s.get_flag(5, waiting)
        assert (stale.status, stale.superseded_by) == ("superseded", "n3n3n3")
        events = await s.review_events(5, waiting)
        assert [e.action for e in events] == ["superseded"] and events[0].created_at.tzinfo is not None
        kept = await s.get_flag(5, decided)
        assert (kept.status, kept.reviewer_name, kept.superseded_by) == ("confirmed", "Mo", None)
        assert [e.action for e in await s.review_events(5, decided)] == ["confirmed"]
        assert await s.check_integrity() == []


async def test_superseded_renders_as_its_own_status_not_a_category(store):
    old = await save(store)
    await save(store, engine=NEW)
    embed = render.review_stats_embed(await store.review_stats(1))
    assert "**2** superseded" in embed.description
    assert all("superseded" not in f.value for f in embed.fields)
    line = render.flag_status_line(await store.get_flag(1, old.flag_ids[0]))
    assert line.startswith(render.STATUS_LABELS["superseded"]) and "None" not in line


async def test_superseded_cards_group_each_posted_card_and_stay_in_their_guild(store):
    old = await save(store)
    theirs = await save(store, guild=2)
    decided, waiting = old.flag_ids
    await store.set_review_messages(1, [decided, waiting], 10, 20)
    await store.set_review_messages(2, list(theirs.flag_ids), 10, 20)  # same ids in another server
    await store.review_flag(1, decided, status="confirmed", reviewer_id=3, reviewer_name="Mo")
    new = await save(store, engine=NEW)
    cards = await store.superseded_cards(1, new.id)
    assert [[f.id for f in card] for card in cards] == [[decided, waiting]]
    assert [f.status for f in cards[0]] == ["confirmed", "superseded"]
    assert all(f.guild_id == 1 for f in cards[0])
    assert await store.superseded_cards(2, new.id) == []
    assert await store.superseded_cards(1, old.id) == []


# --- verdicts carried over to the newer analysis's flags ------------------------------------------------------


def _flag_at(text: str, category: str, severity: str, phrase: str, occurrence: int = 0, *, sentence: bool = True):
    """A flag on the ``occurrence``-th ``phrase`` in ``text``, spanning its sentence (or just the phrase)."""
    from bot.analysis.result import Flag, Span

    at = -1
    for _ in range(occurrence + 1):
        at = text.index(phrase, at + 1)
    start = text.rfind(".", 0, at) + 1 if sentence else at
    while text[start].isspace():
        start += 1
    end = text.find(".", at) + 1 if sentence else at + len(phrase)
    return Flag(category, severity, start, end, Span.of(text, at, at + len(phrase)), f"Check '{phrase}'.")


async def save_flags(store, flags, *, guild=1, engine=OLD, text=ARTICLE):
    result = make_result(text)
    result.flags.extend(flags)
    return await store.save_analysis(guild, text, result, engine_version=engine)


async def test_a_claim_already_decided_keeps_its_verdict_and_never_reaches_the_queue_again(store):
    old = await save(store)
    confirmed, undecided = old.flag_ids
    mo = await store.review_flag(1, confirmed, status="confirmed", reviewer_id=3, reviewer_name="Mo",
                                 note="no second source")
    new = await save(store, engine=NEW)
    carried, waiting = new.flag_ids

    flag = await store.get_flag(1, carried)
    assert (flag.status, flag.reviewer_id, flag.reviewer_name, flag.note) == ("confirmed", 3, "Mo", "no second source")
    assert flag.reviewed_at == mo.reviewed_at and flag.verdict_from == confirmed and flag.superseded_by is None
    events = await store.review_events(1, carried)
    assert [(e.action, e.actor_id, e.actor_name) for e in events] == [("carried", None, None)]
    assert f"#{confirmed}" in events[0].note and old.id in events[0].note and "'confirmed'" in events[0].note
    assert (await store.get_flag(1, waiting)).status == "pending"
    assert (await store.get_flag(1, undecided)).status == "superseded"
    assert [e.action for e in await store.review_events(1, confirmed)] == ["confirmed"]  # the source is untouched

    # Queue, counts, cards and stats all agree: one claim waits; the carried verdict is no second decision.
    assert [f.id for f in await store.pending_flags(1, limit=50)] == [waiting]
    assert await store.count_pending(1) == 1
    assert [f.id for f in await store.waiting_for_card(1)] == [waiting]
    assert await store.count_waiting_for_card(1) == 1
    stats = await store.review_stats(1)
    assert (stats["pending"], stats["confirmed"], stats["dismissed"], stats["superseded"]) == (1, 1, 0, 1)
    server = await store.guild_stats(1)
    assert server.flags_by_status == {"pending": 1, "confirmed": 1, "dismissed": 0, "superseded": 1}
    assert server.flags_carried == await store.count_carried(1) == 1
    with pytest.raises(AlreadyReviewed):  # a carried verdict is a verdict: no second decision on it
        await store.review_flag(1, carried, status="dismissed", reviewer_id=4, reviewer_name="Al")


async def test_the_claim_is_matched_by_its_words_not_its_offsets(store):
    """The same article pasted with other spacing is the same document, but every offset moved."""
    old = await save(store)
    await store.review_flag(1, old.flag_ids[0], status="dismissed", reviewer_id=3, reviewer_name="Mo")
    spaced = ARTICLE.replace(". ", ".   ").replace("familiar with", "familiar  with")
    new = await save(store, engine=NEW, text=spaced,
                     flags=[("anonymous_source", "high", "Sources familiar  with the talks"), ARTICLE_FLAGS[1]])
    assert new.document_id == old.document_id
    moved = await store.get_flag(1, new.flag_ids[0])
    assert moved.start != (await store.get_flag(1, old.flag_ids[0])).start
    assert (moved.status, moved.verdict_from) == ("dismissed", old.flag_ids[0])
    assert (await store.get_flag(1, new.flag_ids[1])).status == "pending"


async def test_a_dismissed_claim_that_now_has_another_category_is_a_new_question(store):
    old = await save(store)
    vague = old.flag_ids[1]
    await store.review_flag(1, vague, status="dismissed", reviewer_id=3, reviewer_name="Mo")
    recategorised = [("anonymous_source", "high", "Sources familiar with the talks"),
                     ("anonymous_source", "medium", "Critics")]
    new = await save(store, engine=NEW, flags=recategorised)
    flag = await store.get_flag(1, new.flag_ids[1])
    assert (flag.status, flag.reviewer_id, flag.verdict_from) == ("pending", None, None)
    assert await store.review_events(1, flag.id) == []
    assert sorted(f.id for f in await store.pending_flags(1)) == sorted(new.flag_ids)


async def test_other_evidence_or_another_sentence_is_another_claim(store):
    old = await save_flags(store, [_flag_at(ARTICLE, "vague_source", "medium", "Critics")])
    await store.review_flag(1, old.flag_ids[0], status="dismissed", reviewer_id=3, reviewer_name="Mo")
    new = await save_flags(store, [_flag_at(ARTICLE, "vague_source", "medium", "Critics say"),  # other evidence
                                   _flag_at(ARTICLE, "vague_source", "medium", "Critics", sentence=False)],
                           engine=NEW)  # the same evidence, but the engine now cuts the sentence down to it
    assert [(await store.get_flag(1, i)).status for i in new.flag_ids] == ["pending", "pending"]


async def test_one_verdict_settles_one_occurrence_of_a_claim_the_article_makes_twice(store):
    text = ARTICLE + " Critics say the design is unsafe."
    both = [_flag_at(text, "vague_source", "medium", "Critics", n) for n in (0, 1)]
    old = await save_flags(store, both, text=text)
    await store.review_flag(1, old.flag_ids[0], status="dismissed", reviewer_id=3, reviewer_name="Mo")
    new = await save_flags(store, both, engine=NEW, text=text)
    first, second = [await store.get_flag(1, i) for i in new.flag_ids]
    assert (first.status, first.verdict_from) == ("dismissed", old.flag_ids[0])
    assert (second.status, second.verdict_from) == ("pending", None)


async def test_verdicts_follow_the_claim_through_every_upgrade_and_the_latest_decision_wins(store):
    first = await save(store)
    await store.review_flag(1, first.flag_ids[0], status="confirmed", reviewer_id=3, reviewer_name="Mo")
    second = await save(store, engine=NEW)
    assert (await store.get_flag(1, second.flag_ids[0])).verdict_from == first.flag_ids[0]
    await store.review_flag(1, second.flag_ids[1], status="dismissed", reviewer_id=4, reviewer_name="Al")
    third = await save(store, engine="engine/3")
    kept, later = [await store.get_flag(1, i) for i in third.flag_ids]
    assert (kept.status, kept.reviewer_name, kept.verdict_from) == ("confirmed", "Mo", second.flag_ids[0])
    assert (later.status, later.reviewer_name, later.verdict_from) == ("dismissed", "Al", second.flag_ids[1])
    assert await store.count_pending(1) == 0

    # A claim an engine version missed keeps its verdict for the next version that finds it again.
    fourth = await save(store, engine="engine/4", flags=ARTICLE_FLAGS[1:])
    fifth = await save(store, engine="engine/5")
    assert (await store.get_flag(1, fourth.flag_ids[0])).verdict_from == third.flag_ids[1]
    back = await store.get_flag(1, fifth.flag_ids[0])
    assert (back.status, back.verdict_from) == ("confirmed", third.flag_ids[0])


async def test_verdicts_never_cross_guilds(store):
    """The same text saved in two servers, decided in one: re-analysed in both, the verdict carries only where it was
    given (the other server's moderators never decided anything)."""
    ours, theirs = await save(store, guild=1), await save(store, guild=2)
    await store.review_flag(1, ours.flag_ids[0], status="dismissed", reviewer_id=3, reviewer_name="Mo")
    ours_again = await save(store, guild=1, engine=NEW)
    theirs_again = await save(store, guild=2, engine=NEW)
    assert [(await store.get_flag(1, i)).status for i in ours_again.flag_ids] == ["dismissed", "pending"]
    assert [(await store.get_flag(2, i)).status for i in theirs_again.flag_ids] == ["pending", "pending"]
    assert [f.id for f in await store.pending_flags(2, limit=50)] == list(theirs_again.flag_ids)
    assert (await store.get_flag(2, theirs.flag_ids[0])).status == "superseded"


async def test_export_names_the_flag_a_verdict_was_carried_from(store):
    old = await save(store)
    await store.review_flag(1, old.flag_ids[0], status="confirmed", reviewer_id=3, reviewer_name="Mo")
    new = await save(store, engine=NEW)
    out = io.StringIO()
    await store.export_flags(1, out, fmt="jsonl", status="confirmed")
    rows = {r["id"]: r for r in map(json.loads, out.getvalue().splitlines())}
    assert rows[old.flag_ids[0]]["verdict_from"] is None
    assert rows[new.flag_ids[0]]["verdict_from"] == old.flag_ids[0]
    assert rows[new.flag_ids[0]]["reviewer_name"] == "Mo"


async def test_forgetting_the_moderator_also_unnames_the_verdicts_carried_from_them(store):
    old = await save(store)
    await store.review_flag(1, old.flag_ids[0], status="confirmed", reviewer_id=3, reviewer_name="Mo")
    new = await save(store, engine=NEW)
    await store.forget_user(1, 3)
    carried = await store.get_flag(1, new.flag_ids[0])
    assert (carried.status, carried.reviewer_id, carried.reviewer_name) == ("confirmed", 0, "forgotten user")
