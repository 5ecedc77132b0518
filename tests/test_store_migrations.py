"""Schema migrations: every earlier version upgrades with its data; a newer schema or a broken file is refused."""

from __future__ import annotations

import asyncio
import json
import sqlite3

import pytest

import bot.store_db as store_module  # the part that runs migrations
from bot.errors import StoreError
from bot.store import Store, latest_version, migrations
from bot.store_types import content_hash
from tests.store_factory import ENGINE, make_result

OLD_TEXT = "The port reopened on Friday. Officials familiar with the plan said costs rose."
OLD_FLAG = ("anonymous_source", "high", "Officials familiar with the plan")


def _user_version(path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def _write_v1_rows(path) -> None:
    """Rows as Byline with schema version 1 wrote them (two analyses of one text, a review, settings)."""
    result = make_result(OLD_TEXT, [OLD_FLAG], kinds=("anonymous", "named")).to_dict()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = ON")
    with conn:
        conn.execute("INSERT INTO documents (id, guild_id, content_hash, text, title, url, site, author_id, "
                     "created_at) VALUES (1, 9, 'h', ?, 'Harbour news', 'https://port.example/a', 'port.example', "
                     "44, '2024-01-02T03:04:05.000000Z')", (OLD_TEXT,))
        for seq, short_id, engine in ((1, "a2a2a2", "engine/0"), (2, "b3b3b3", ENGINE)):
            conn.execute("INSERT INTO analyses (seq, id, guild_id, document_id, engine_version, result_json, "
                         "n_named, n_anonymous, created_at) VALUES (?, ?, 9, 1, ?, ?, 1, 1, "
                         "'2024-01-02T03:04:05.000000Z')", (seq, short_id, engine, json.dumps(result)))
        flag = result["flags"][0]
        conn.execute("INSERT INTO flags (id, guild_id, analysis_id, position, category, severity, severity_rank, "
                     "span_start, span_end, evidence, reason, sentence, status, reviewer_id, reviewer_name, "
                     "reviewed_at, created_at) VALUES (5, 9, 'b3b3b3', 0, ?, 'high', 2, ?, ?, ?, ?, ?, 'confirmed',"
                     " 3, 'Mo', '2024-01-03T00:00:00.000000Z', '2024-01-02T03:04:05.000000Z')",
                     (flag["category"], flag["start"], flag["end"], flag["evidence"]["text"], flag["reason"],
                      OLD_TEXT[flag["start"]:flag["end"]]))
        conn.execute("INSERT INTO review_events (guild_id, flag_id, action, actor_id, actor_name, created_at) "
                     "VALUES (9, 5, 'confirmed', 3, 'Mo', '2024-01-03T00:00:00.000000Z')")
        conn.execute("INSERT INTO guild_settings (guild_id, review_channel_id, retention_days) VALUES (9, 123, 90)")
        conn.execute("INSERT INTO opt_outs (guild_id, user_id, created_at) VALUES (9, 55, '2024-01-01T00:00:00Z')")
    conn.close()


async def _old_database(tmp_path, version: int, reply: bool = False):
    """A database at schema ``version`` holding the v1 rows, and with ``reply`` a reply recorded under that version
    (before version 12 a reply names no answered message)."""
    path = tmp_path / f"v{version}.db"
    async with Store.open(path, migrate_to=version):
        pass
    _write_v1_rows(path)
    if reply:
        conn = sqlite3.connect(path)
        with conn:
            conn.execute("INSERT INTO replies (guild_id, message_id, channel_id, document_id) VALUES (9, 700, 70, 1)")
        conn.close()
    return path


def test_migration_files_are_numbered_without_gaps():
    versions = [v for v, _, _ in migrations()]
    assert versions == list(range(1, latest_version() + 1)) and latest_version() >= 2


async def test_fresh_database_reaches_the_latest_version(tmp_path):
    async with Store.open(tmp_path / "new.db") as s:
        assert await s.schema_version() == latest_version()
        saved = await s.save_analysis(1, OLD_TEXT, make_result(OLD_TEXT, [OLD_FLAG]), engine_version=ENGINE)
        assert [h.analysis_id for h in await s.search(1, "port")] == [saved.id]


@pytest.mark.parametrize("start", range(latest_version()))
async def test_upgrade_from_every_earlier_version_keeps_the_data(tmp_path, start):
    path = tmp_path / "old.db"
    async with Store.open(path, migrate_to=start) as s:
        assert await s.schema_version() == start
    if start >= 1:
        _write_v1_rows(path)
    async with Store.open(path) as s:
        assert await s.schema_version() == latest_version()
        assert await s.check_integrity() == []
        if start == 0:
            return
        old = await s.get_analysis(9, "b3b3b3")
        assert old is not None and old.title == "Harbour news" and old.flag_ids == (5,)
        assert old.result.flags[0].evidence.text == "Officials familiar with the plan"
        flag = await s.get_flag(9, 5)
        assert (flag.status, flag.reviewer_name, flag.review_message_id) == ("confirmed", "Mo", None)
        assert [e.action for e in await s.review_events(9, 5)] == ["confirmed"]
        assert (await s.get_settings(9)).retention_days == 90 and await s.is_opted_out(9, 55)
        # The backfilled index holds title, summary and text of the latest analysis only.
        assert [h.analysis_id for h in await s.search(9, "harbour")] == ["b3b3b3"]
        assert [h.analysis_id for h in await s.search(9, "reopened")] == ["b3b3b3"]
        assert await s.search(1, "harbour") == []
        # And the upgraded database keeps working for new rows and for "forget me".
        await s.set_review_message(9, 5, 1, 2)
        assert (await s.forget_user(9, 44)).documents == 1
        assert await s.search(9, "harbour") == [] and await s.get_flag(9, 5) is None


async def test_replies_recorded_before_version_9_are_kept_and_a_message_may_then_show_several_articles(tmp_path):
    """Version 9 keys a reply by message and document: old rows move over, a listing records each article it shows."""
    path = await _old_database(tmp_path, 8, reply=True)
    async with Store.open(path) as s:
        assert await s.check_integrity() == []
        other = await s.save_analysis(9, OLD_TEXT + " More.", make_result(OLD_TEXT), engine_version=ENGINE,
                                      author_id=45)
        assert await s.record_shown(9, ["b3b3b3", other.id], 70, 700)  # the same message lists a second article
        assert [r.message_id for r in (await s.forget_user(9, 44)).replies] == [700]  # the reply from version 8


async def test_verdicts_given_before_version_11_are_carried_to_the_next_analysis_of_the_text(tmp_path):
    """Version 11 adds flags.verdict_from: old rows have none, and a verdict given under version 10 is carried."""
    path = await _old_database(tmp_path, 10)
    conn = sqlite3.connect(path)
    with conn:  # the hand-written document gets the key a real save would have given it
        conn.execute("UPDATE documents SET content_hash = ? WHERE id = 1", (content_hash(OLD_TEXT),))
    conn.close()
    async with Store.open(path) as s:
        assert await s.check_integrity() == []
        assert (await s.get_flag(9, 5)).verdict_from is None
        new = await s.save_analysis(9, OLD_TEXT, make_result(OLD_TEXT, [OLD_FLAG]), engine_version="engine/2")
        carried = await s.get_flag(9, new.flag_ids[0])
        assert (carried.status, carried.reviewer_name, carried.verdict_from) == ("confirmed", "Mo", 5)
        assert await s.count_pending(9) == 0


@pytest.mark.parametrize("clean_up", ["forget", "retention", "reply deleted"])
async def test_replies_from_version_12_know_the_message_they_answered_per_guild_until_cleaned_up(tmp_path, clean_up):
    """Version 12 adds replies.source_message_id: old rows answer nothing, new ones are found in their guild only, and
    every clean-up path (a forget-me, retention, the reply deleted in Discord) frees the message for a new answer."""
    path = await _old_database(tmp_path, 11, reply=True)
    async with Store.open(path) as s:
        assert await s.schema_version() == latest_version() and await s.check_integrity() == []
        assert not await s.replied_to(9, 700) and not await s.replied_to(9, 600)
        assert await s.record_reply(9, "b3b3b3", 70, 701, source_message_id=600)
        elsewhere = await s.save_analysis(1, OLD_TEXT, make_result(OLD_TEXT), engine_version=ENGINE, author_id=44)
        assert await s.record_reply(1, elsewhere.id, 10, 801, source_message_id=601)
        assert await s.replied_to(9, 600) and await s.replied_to(1, 601)
        assert not await s.replied_to(1, 600) and not await s.replied_to(9, 601)  # never across guilds
        assert await s.forget_deleted_replies(1, [701, 700]) == ()  # guild 9's replies are not guild 1's to drop
        assert await s.replied_to(9, 600)
        if clean_up == "forget":
            assert sorted(r.message_id for r in (await s.forget_user(9, 44)).replies) == [700, 701]
        elif clean_up == "retention":  # guild 9 keeps 90 days; the v1 analyses are from 2024
            await s.prune()
            assert await s.get_analysis(9, "b3b3b3") is None
        else:
            assert await s.forget_deleted_replies(9, [701, 999]) == (600,)
            assert [r.message_id for r in (await s.forget_user(9, 44)).replies] == [700]
        assert not await s.replied_to(9, 600)
        assert await s.replied_to(1, 601)  # the other guild's answer stays


async def test_a_newer_schema_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "future.db"
    async with Store.open(path):
        pass
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {latest_version() + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer than this Byline"):
        await Store.open(path)
    assert _user_version(path) == latest_version() + 1


async def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes(b"these are my notes, not a database" * 100)
    with pytest.raises(StoreError, match="not a usable Byline database"):
        await Store.open(path)
    assert path.read_bytes().startswith(b"these are my notes")


async def test_a_failing_migration_rolls_back_whole(tmp_path, monkeypatch):
    path = tmp_path / "broken.db"
    async with Store.open(path):
        pass
    real_latest = latest_version()
    broken = (real_latest + 1, "9999_broken.sql",
              "CREATE TABLE half_done (a INTEGER);\nINSERT INTO no_such_table VALUES (1);\n")
    monkeypatch.setattr(store_module, "migrations", lambda: [*migrations(), broken])
    with pytest.raises(StoreError, match="rolled back"):
        await Store.open(path)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == real_latest
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'").fetchone()[0] == 0
    finally:
        conn.close()


async def test_many_processes_opening_a_fresh_file_at_once_migrate_it_once(tmp_path):
    path = tmp_path / "race.db"
    stores = await asyncio.gather(*(Store.open(path) for _ in range(6)))
    try:
        assert {await s.schema_version() for s in stores} == {latest_version()}
        saved = await stores[0].save_analysis(1, OLD_TEXT, make_result(OLD_TEXT), engine_version=ENGINE)
        assert (await stores[5].get_analysis(1, saved.id)) is not None
    finally:
        for s in stores:
            await s.close()


async def test_a_migration_that_would_leave_a_dangling_row_is_rolled_back(tmp_path, monkeypatch):
    """Migrations run with foreign keys off (so a table rebuild cannot cascade); the check before commit holds."""
    path = tmp_path / "dangling.db"
    async with Store.open(path):
        pass
    real_latest = latest_version()
    dangling = (real_latest + 1, "9999_dangling.sql",
                "INSERT INTO review_events (guild_id, flag_id, action, created_at) VALUES (1, 999, 'x', 't');\n")
    monkeypatch.setattr(store_module, "migrations", lambda: [*migrations(), dangling])
    with pytest.raises(StoreError, match="foreign key"):
        await Store.open(path)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == real_latest
        assert conn.execute("SELECT count(*) FROM review_events").fetchone()[0] == 0
    finally:
        conn.close()


async def test_opening_an_existing_database_only_creates_nothing_and_converts_nothing(tmp_path):
    """``existing_only`` (the command line's read commands): no file or folder is made, and a file that is not a
    Byline database, or not yet one, is refused as it is; a Byline database at any older version is upgraded."""
    missing = tmp_path / "no" / "such.db"
    with pytest.raises(StoreError, match="No Byline database at"):
        await Store.open(missing, existing_only=True)
    assert not (tmp_path / "no").exists()

    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("PRAGMA user_version = 3")  # another program's own schema version, and a table named like ours
    with conn:
        conn.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY)")
    conn.close()
    with pytest.raises(StoreError, match="is not a Byline database"):
        await Store.open(other, existing_only=True)
    assert _user_version(other) == 3

    old = await _old_database(tmp_path, 1)
    async with Store.open(old, existing_only=True) as s:
        assert await s.schema_version() == latest_version() and (await s.get_analysis(9, "b3b3b3")) is not None
