"""The store's core behaviour on a real SQLite file: caching, look-ups, review, audit log, settings, opt-outs."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from bot.errors import AlreadyReviewed, InputError, NotFoundError, StoreError
from bot.store import Store, latest_version
from bot.store_types import clean_short_id, content_hash, normalise_text
from tests.store_factory import ARTICLE, ARTICLE_FLAGS, ENGINE, make_result


async def save(store, guild=1, text=ARTICLE, flags=ARTICLE_FLAGS, engine=ENGINE, **meta):
    return await store.save_analysis(guild, text, make_result(text, flags), engine_version=engine, **meta)


def test_normalised_hash_folds_whitespace_and_nfc_but_keeps_case():
    assert normalise_text("  a\t\n b  ") == "a b"
    assert content_hash("Cafe\u0301  news") == content_hash("Café news")
    assert content_hash("Bridge") != content_hash("bridge")


def test_short_ids_are_cleaned_like_a_person_types_them():
    assert clean_short_id(" #B7K2M9 ") == "b7k2m9"
    assert clean_short_id("b7k2m") is None
    assert clean_short_id("b7k2m0") is None  # 0 is not in the alphabet
    assert clean_short_id("'; DROP TABLE analyses; --") is None


async def test_open_sets_wal_foreign_keys_and_busy_timeout(tmp_path):
    path = tmp_path / "sub" / "dir" / "byline.db"  # missing folders are created
    async with Store.open(path, busy_timeout_ms=1234) as s:
        assert await s.schema_version() == latest_version()
        for conn in (s._w, s._r, s._s):  # writer, reader and the searches' own reader
            assert (await conn.execute_fetchall("PRAGMA journal_mode"))[0][0] == "wal"
            assert (await conn.execute_fetchall("PRAGMA foreign_keys"))[0][0] == 1
            assert (await conn.execute_fetchall("PRAGMA busy_timeout"))[0][0] == 1234


async def test_save_then_get_round_trips_metadata_result_and_flags(store):
    saved = await save(store, title="Bridge", url="https://www.news.example/a", author_id=7, channel_id=8,
                       message_link="https://discord.com/channels/1/8/9")
    assert not saved.cached and len(saved.id) == 6 and len(saved.flag_ids) == 2
    got = await store.get_analysis(1, saved.id.upper())
    assert got is not None and got.id == saved.id
    assert (got.title, got.url, got.author_id, got.channel_id) == ("Bridge", "https://www.news.example/a", 7, 8)
    assert got.message_link == "https://discord.com/channels/1/8/9"
    assert got.result.to_dict() == saved.result.to_dict()
    assert got.flag_ids == saved.flag_ids and got.engine_version == ENGINE
    assert got.created_at.tzinfo is not None and abs(got.created_at - datetime.now(UTC)) < timedelta(minutes=1)
    flags = await store.flags_for_analysis(1, saved.id)
    assert [f.category for f in flags] == ["anonymous_source", "vague_source"]
    assert flags[0].sentence == "Sources familiar with the talks said the cost had doubled."
    assert flags[0].evidence == "Sources familiar with the talks"
    assert await store.get_text(1, saved.id) == ARTICLE


async def test_same_text_in_same_guild_is_cached_until_the_engine_changes(store):
    first = await save(store)
    reflowed = "  " + ARTICLE.replace(" ", "\n  ") + "\n"
    again = await save(store, text=reflowed, flags=[])
    assert again.cached and again.id == first.id and again.flag_ids == first.flag_ids
    assert (await store.find_cached(1, reflowed, ENGINE)).id == first.id
    other_case = await save(store, text=ARTICLE.upper(), flags=[])
    assert not other_case.cached and other_case.id != first.id
    newer = await save(store, engine="test-engine/2")
    assert not newer.cached and newer.id != first.id and newer.document_id == first.document_id
    assert (await store.find_cached(1, ARTICLE, "test-engine/2")).id == newer.id
    assert await store.find_cached(1, ARTICLE, "never-ran") is None
    assert await store.get_analysis(1, first.id) is not None  # the old analysis stays look-up-able


async def test_find_by_url_honours_age_and_engine(store):
    saved = await save(store, url="https://news.example/x")
    found = await store.find_by_url(1, "https://news.example/x", max_age_seconds=60, engine_version=ENGINE)
    assert found is not None and found.id == saved.id
    assert await store.find_by_url(1, "https://news.example/x", max_age_seconds=60, engine_version="other") is None
    assert await store.find_by_url(1, "https://news.example/y", max_age_seconds=60, engine_version=ENGINE) is None
    assert await store.find_by_url(2, "https://news.example/x", max_age_seconds=60, engine_version=ENGINE) is None


async def test_recent_is_newest_first(store):
    ids = [(await save(store, text=f"Story number {i} about trains.", flags=[])).id for i in range(4)]
    assert [a.id for a in await store.recent(1, limit=3)] == ids[::-1][:3]


async def test_bad_input_is_refused_with_clear_errors(store):
    with pytest.raises(InputError):
        await save(store, text="   ", flags=[])
    with pytest.raises(InputError):
        await store.get_analysis(-1, "abcdef")
    with pytest.raises(InputError):
        await store.pending_flags(1, min_severity="urgent")
    assert await store.get_analysis(1, "nope") is None


async def test_review_records_who_when_and_note_and_refuses_a_second_review(store):
    saved = await save(store)
    flag = await store.review_flag(1, saved.flag_ids[0], status="confirmed", reviewer_id=11, reviewer_name="Ana",
                                   note="checked the piece")
    assert (flag.status, flag.reviewer_id, flag.reviewer_name, flag.note) == ("confirmed", 11, "Ana",
                                                                               "checked the piece")
    assert flag.reviewed_at is not None
    with pytest.raises(AlreadyReviewed) as err:
        await store.review_flag(1, saved.flag_ids[0], status="dismissed", reviewer_id=12, reviewer_name="Bo")
    assert err.value.reviewer == "Ana" and err.value.status == "confirmed"
    assert (await store.get_flag(1, saved.flag_ids[0])).status == "confirmed"
    with pytest.raises(NotFoundError):
        await store.review_flag(1, 999_999, status="confirmed", reviewer_id=1, reviewer_name="x")
    with pytest.raises(InputError):
        await store.review_flag(1, saved.flag_ids[1], status="pending", reviewer_id=1, reviewer_name="x")


async def test_pending_queue_orders_by_severity_and_filters(store):
    saved = await save(store)
    pending = await store.pending_flags(1)
    assert [f.severity for f in pending] == ["high", "medium"]
    assert [f.id for f in await store.pending_flags(1, min_severity="high")] == [saved.flag_ids[0]]
    assert await store.count_pending(1) == 2 and await store.count_pending(1, min_severity="high") == 1
    await store.review_flag(1, saved.flag_ids[0], status="dismissed", reviewer_id=1, reviewer_name="A")
    assert await store.count_pending(1) == 1
    assert await store.review_stats(1) == {"pending": 1, "confirmed": 0, "dismissed": 1, "superseded": 0,
                                           "category:anonymous_source": 1, "category:vague_source": 1}


async def test_notes_and_review_messages_append_to_the_audit_log(store):
    saved = await save(store)
    fid = saved.flag_ids[1]
    await store.set_review_message(1, fid, 500, 600)
    await store.add_note(1, fid, reviewer_id=3, reviewer_name="Cy", note="asking the author")
    flag = await store.review_flag(1, fid, status="dismissed", reviewer_id=3, reviewer_name="Cy")
    assert (flag.review_channel_id, flag.review_message_id, flag.note) == (500, 600, "asking the author")
    events = await store.review_events(1, fid)
    assert [e.action for e in events] == ["posted", "note", "dismissed"]
    assert events[1].note == "asking the author" and events[2].actor_name == "Cy"
    with pytest.raises(NotFoundError):
        await store.add_note(2, fid, reviewer_id=3, reviewer_name="Cy", note="wrong guild")
    with pytest.raises(NotFoundError):
        await store.set_review_message(2, fid, 1, 2)
    with pytest.raises(InputError):
        await store.add_note(1, fid, reviewer_id=3, reviewer_name="Cy", note="  ")


async def test_one_card_for_several_flags_is_recorded_all_or_nothing(store):
    saved = await save(store)
    other = await save(store, guild=2)
    ids = list(saved.flag_ids[:2])
    with pytest.raises(NotFoundError):
        await store.set_review_messages(1, [*ids, other.flag_ids[0]], 700, 800)
    for fid in ids:
        assert (await store.get_flag(1, fid)).review_message_id is None
        assert await store.review_events(1, fid) == []
    await store.set_review_messages(1, ids, 700, 800)
    for fid in ids:
        flag = await store.get_flag(1, fid)
        assert (flag.review_channel_id, flag.review_message_id) == (700, 800)
        assert [e.action for e in await store.review_events(1, fid)] == ["posted"]
    assert (await store.get_flag(2, other.flag_ids[0])).review_message_id is None


async def test_audit_log_rejects_edits_and_deletes_even_from_raw_sql(store):
    saved = await save(store)
    await store.review_flag(1, saved.flag_ids[0], status="confirmed", reviewer_id=1, reviewer_name="A")
    raw = sqlite3.connect(store.path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            raw.execute("UPDATE review_events SET actor_name = 'forged'")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            raw.execute("DELETE FROM review_events")
    finally:
        raw.close()
    assert [e.actor_name for e in await store.review_events(1, saved.flag_ids[0])] == ["A"]


async def test_settings_default_update_validate_and_stay_per_guild(store):
    assert (await store.get_settings(5)).flag_threshold == "medium"
    updated = await store.update_settings(5, review_channel_id=42, autoreply_channel_ids={7, 8},
                                          flag_threshold="high", retention_days=30, summary_sentences=4)
    assert updated.autoreply_channel_ids == frozenset({7, 8}) and updated.retention_days == 30
    again = await store.update_settings(5, retention_days=None)
    assert again.retention_days is None and again.review_channel_id == 42 and again.flag_threshold == "high"
    assert await store.get_settings(6) == type(again)(6)
    for bad in ({"flag_threshold": "urgent"}, {"retention_days": 0}, {"summary_sentences": True},
                {"autoreply_channel_ids": "123"}, {"colour": "red"}, {"mod_role_id": -5}):
        with pytest.raises(InputError):
            await store.update_settings(5, **bad)
    assert (await store.get_settings(5)).flag_threshold == "high"


async def test_the_store_keeps_retention_within_the_bound_settings_and_the_cli_give(store):
    """One longest retention (bot.config.MAX_RETENTION_DAYS, 3650 days): the store refuses a day more."""
    from bot.config import MAX_RETENTION_DAYS
    from cogs import settings as settings_cog

    assert MAX_RETENTION_DAYS == 3650 and settings_cog.MAX_RETENTION_DAYS is MAX_RETENTION_DAYS
    assert (await store.update_settings(5, retention_days=3650)).retention_days == 3650
    for days in (3651, 36_500):
        with pytest.raises(InputError, match="from 1 to 3650"):
            await store.update_settings(5, retention_days=days)
    assert (await store.get_settings(5)).retention_days == 3650


async def test_opt_outs_are_per_guild_and_reversible(store):
    await store.set_opt_out(1, 77, True)
    await store.set_opt_out(1, 77, True)  # twice is harmless
    assert await store.is_opted_out(1, 77) and not await store.is_opted_out(2, 77)
    await store.set_opt_out(1, 77, False)
    assert not await store.is_opted_out(1, 77)


async def test_guild_stats_count_latest_analyses_and_sites(store):
    text_a = "Officials said the plan works. Critics say otherwise."
    await store.save_analysis(1, text_a, make_result(text_a, kinds=("named", "vague", "anonymous")),
                              engine_version=ENGINE, url="https://www.paper.example/a")
    await store.save_analysis(1, text_a, make_result(text_a, kinds=("named", "vague", "anonymous")),
                              engine_version="test-engine/2", url="https://www.paper.example/a")
    text_b = "A minister said rates rise. It is believed they will."
    await store.save_analysis(1, text_b, make_result(text_b, [("no_source", "low", "It is believed")],
                                                     kinds=("named", "none")),
                              engine_version=ENGINE, url="https://blog.example/b")
    stats = await store.guild_stats(1)
    assert (stats.documents, stats.analyses) == (2, 3)
    assert stats.attributions == {"named": 2, "anonymous": 1, "vague": 1, "pronoun": 0, "none": 1}
    assert stats.unnamed_share == pytest.approx(3 / 5)
    sites = {s.site: s for s in stats.sites}
    assert sites["paper.example"].unnamed_share == pytest.approx(2 / 3)
    assert sites["blog.example"].attributions == 2
    assert stats.flags_by_category == {"no_source": 1}
    assert (stats.flags_by_status["pending"], stats.flags_below_threshold) == (0, 1)  # low, under the threshold
    assert (await store.guild_stats(2)).documents == 0


async def test_closed_store_refuses_work(tmp_path):
    s = await Store.open(tmp_path / "c.db")
    await s.close()
    await s.close()
    with pytest.raises(StoreError):
        await s.get_analysis(1, "abcdef")
    with pytest.raises(StoreError):
        await save(s)


def test_store_keeps_its_whole_public_surface_after_the_split():
    """Callers only ever import ``bot.store``; every method they use must still be on ``Store``."""
    import bot.store as facade

    for name in ("open", "close", "schema_version", "check_integrity", "save_analysis", "find_cached", "find_by_url",
                 "get_analysis", "get_text", "recent", "search", "count_search", "guild_stats", "get_flag",
                 "flags_for_analysis", "pending_flags", "count_pending", "review_flag", "add_note",
                 "set_review_message", "set_review_messages", "superseded_cards", "review_events", "review_stats",
                 "export_flags", "get_settings",
                 "update_settings", "set_autoreply_channel", "set_opt_out", "is_opted_out", "forget_user", "prune"):
        assert callable(getattr(Store, name)), name
    for name in facade.__all__:
        assert getattr(facade, name) is not None, name


def test_no_sql_outside_the_store_modules():
    """The store parts are the only place SQL may live; a query anywhere else would dodge the guild filters."""
    import re
    from pathlib import Path

    sql = re.compile(r"\b(SELECT\s.+\sFROM|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b")
    root = Path(__file__).resolve().parents[1]
    offenders = [str(p.relative_to(root)) for folder in ("bot", "cogs") for p in (root / folder).rglob("*.py")
                 if not p.name.startswith("store") and sql.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
    assert sql.search((root / "bot" / "store_review.py").read_text(encoding="utf-8"))  # the pattern does match


async def test_a_write_the_file_refuses_is_a_store_error_not_a_raw_sqlite_one(store):
    from bot.errors import StoreError
    from tests.store_factory import ENGINE, make_result

    await store._w.execute("PRAGMA query_only = ON")  # as a read-only file or a full disk would refuse
    with pytest.raises(StoreError, match="Saving to the database failed"):
        await store.save_analysis(1, "A text. Officials said so.", make_result("A text. Officials said so."),
                                  engine_version=ENGINE)


async def test_busy_retries_stop_within_the_configured_timeout(monkeypatch):
    """SQLite's own wait is the busy timeout; the retries on top of it must not multiply it."""
    import sqlite3 as sq

    from bot import store_db
    from bot.errors import StoreError

    calls = []
    clock = [0.0]

    async def busy():
        calls.append(1)
        raise sq.OperationalError("database is locked")

    async def no_sleep(seconds):
        clock[0] += seconds

    monkeypatch.setattr(store_db.asyncio, "sleep", no_sleep)
    monkeypatch.setattr(store_db.time, "monotonic", lambda: clock[0])
    with pytest.raises(StoreError, match="busy"):
        await store_db.StoreBase._retry_busy(busy, 0)
    assert len(calls) == 1  # no time left: no retry at all
    calls.clear()
    with pytest.raises(StoreError, match="busy"):
        await store_db.StoreBase._retry_busy(busy, 300)
    assert 1 < len(calls) < store_db.BUSY_RETRIES and clock[0] <= 0.3
