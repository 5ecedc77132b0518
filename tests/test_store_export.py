"""Export (CSV, JSON Lines, filters, streaming), retention pruning and a user's "forget me"."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import sqlite3
from datetime import UTC, datetime, timedelta, timezone

import aiosqlite
import pytest

import bot.store_retention as store_module  # the part that owns export and pruning
from bot.errors import InputError
from bot.store import EXPORT_COLUMNS
from tests.store_factory import ARTICLE, ARTICLE_FLAGS, ENGINE, make_result


async def fill(store, guild=1, n=3, author=None, tag="Item"):
    saved = []
    for i in range(n):
        text = f"{tag} {i}. " + ARTICLE
        saved.append(await store.save_analysis(guild, text, make_result(text, ARTICLE_FLAGS), engine_version=ENGINE,
                                               author_id=author if author is not None else i, url=f"https://x.example/{i}"))
    return saved


def _raw_count(path, sql, params=()):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchone()[0]
    finally:
        conn.close()


async def test_csv_export_has_a_header_and_one_row_per_flag(store):
    saved = await fill(store)
    await store.review_flag(1, saved[0].flag_ids[0], status="confirmed", reviewer_id=9, reviewer_name="Ana",
                            note='said "yes", then left')
    out = io.StringIO()
    assert await store.export_flags(1, out, fmt="csv") == 6
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0]) == list(EXPORT_COLUMNS) and len(rows) == 6
    first = rows[0]
    assert (first["status"], first["reviewer_name"], first["note"]) == ("confirmed", "Ana", 'said "yes", then left')
    assert first["analysis_id"] == saved[0].id and first["url"] == "https://x.example/0"
    assert first["sentence"] == "Sources familiar with the talks said the cost had doubled."


async def test_jsonl_export_filters_by_status_category_and_date(store):
    saved = await fill(store)
    await store.review_flag(1, saved[1].flag_ids[1], status="dismissed", reviewer_id=1, reviewer_name="Bo")

    async def export(**filters):
        out = io.StringIO()
        count = await store.export_flags(1, out, fmt="jsonl", **filters)
        lines = [json.loads(line) for line in out.getvalue().splitlines()]
        assert count == len(lines)
        return lines

    assert len(await export()) == 6
    dismissed = await export(status="dismissed")
    assert [(r["id"], r["reviewer_name"]) for r in dismissed] == [(saved[1].flag_ids[1], "Bo")]
    assert {r["category"] for r in await export(category="anonymous_source")} == {"anonymous_source"}
    assert len(await export(category="vague_source", status="pending")) == 2
    now = datetime.now(UTC)
    assert len(await export(since=now - timedelta(hours=1), until=now + timedelta(hours=1))) == 6
    assert await export(since=now + timedelta(hours=1)) == []
    assert await export(until=now - timedelta(hours=1)) == []
    assert len(await export(since=(now - timedelta(hours=1)).replace(tzinfo=None))) == 6  # naive = UTC


async def test_exporting_the_pending_flags_exports_the_review_queue(store):
    """status=pending means what /review queue means: pending at or above the guild's threshold. Every row says
    whether its flag is in the queue, so an unfiltered export still holds the flags below it, marked as such."""
    text = "Lead. Sources familiar with the talks said so. Critics say it is bad. It reportedly failed."
    flags = [("anonymous_source", "high", "Sources familiar"), ("vague_source", "medium", "Critics"),
             ("no_source", "low", "reportedly")]
    high, medium, low = (await store.save_analysis(1, text, make_result(text, flags), engine_version=ENGINE)).flag_ids
    await store.save_analysis(2, text, make_result(text, flags), engine_version=ENGINE)  # another guild's queue

    async def export(fmt="jsonl", **filters):
        out = io.StringIO()
        count = await store.export_flags(1, out, fmt=fmt, **filters)
        rows = ([json.loads(line) for line in out.getvalue().splitlines()] if fmt == "jsonl"
                else list(csv.DictReader(io.StringIO(out.getvalue()))))
        assert count == len(rows)
        return rows

    queue = [f.id for f in await store.pending_flags(1)]
    assert queue == [high, medium] and await store.count_pending(1) == 2  # the default threshold is medium
    assert sorted(r["id"] for r in await export(status="pending")) == sorted(queue)
    everything = {r["id"]: r["in_queue"] for r in await export()}
    assert everything == {high: True, medium: True, low: False}
    assert {r["id"]: r["in_queue"] for r in await export(fmt="csv")} == {str(high): "true", str(medium): "true",
                                                                           str(low): "false"}

    await store.update_settings(1, flag_threshold="high")
    assert [r["id"] for r in await export(status="pending")] == [high] == [f.id for f in await store.pending_flags(1)]
    await store.update_settings(1, flag_threshold="low")
    assert [r["id"] for r in await export(status="pending", category="no_source")] == [low]

    await store.review_flag(1, high, status="confirmed", reviewer_id=3, reviewer_name="Mo")  # decided: out of it
    assert [r["id"] for r in await export(status="pending")] == [medium, low]
    assert [(r["id"], r["in_queue"]) for r in await export(status="confirmed")] == [(high, False)]


async def test_export_columns_only_ever_grow(store):
    """Readers of older exports find every column where it was; the new ones come last."""
    assert EXPORT_COLUMNS[:19] == (
        "id", "analysis_id", "category", "severity", "status", "start", "end", "evidence", "reason", "sentence",
        "reviewer_id", "reviewer_name", "reviewed_at", "note", "created_at", "title", "url", "message_link",
        "superseded_by")
    assert EXPORT_COLUMNS[19:] == ("verdict_from", "in_queue")


async def test_export_refuses_bad_filters(store):
    for bad in ({"fmt": "xml"}, {"fmt": "csv", "status": "open"}, {"fmt": "csv", "category": "rumour"}):
        with pytest.raises(InputError):
            await store.export_flags(1, io.StringIO(), **bad)


async def test_csv_export_defuses_spreadsheet_formulas(store):
    text = "=HYPERLINK(\"http://evil\") said a source. Critics say so."
    await store.save_analysis(1, text, make_result(text, [("vague_source", "low", "=HYPERLINK")]),
                              engine_version=ENGINE)
    out = io.StringIO()
    await store.export_flags(1, out, fmt="csv")
    row = next(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["evidence"].startswith("'=") and row["sentence"].startswith("'=")


async def test_export_is_streamed_in_pages_not_fetched_whole(store, monkeypatch):
    await fill(store, n=7)  # 14 flags
    monkeypatch.setattr(store_module, "EXPORT_PAGE", 4)
    pages: list[int] = []
    real_fetchmany = aiosqlite.Cursor.fetchmany

    async def spy_fetchmany(self, size=None):
        rows = await real_fetchmany(self, size)
        pages.append(len(rows))
        return rows

    async def no_fetchall(self):
        raise AssertionError("export must not load every row at once")

    monkeypatch.setattr(aiosqlite.Cursor, "fetchmany", spy_fetchmany)
    monkeypatch.setattr(aiosqlite.Cursor, "fetchall", no_fetchall)
    written: list[int] = []

    class Sink(io.StringIO):
        def write(self, s):
            written.append(len(pages))  # how many pages had been read when this line went out
            return super().write(s)

    assert await store.export_flags(1, Sink(), fmt="jsonl") == 14
    assert pages == [4, 4, 4, 2, 0]
    assert written[0] == 1 and written[-1] == 4  # lines leave after each page, not after the last


async def test_prune_applies_each_guilds_retention(store, monkeypatch):
    monkeypatch.setattr(store_module, "PRUNE_BATCH", 1)  # several batches per guild
    await fill(store, guild=1, n=2)
    await fill(store, guild=2, n=2)
    await fill(store, guild=3, n=2)
    await store.update_settings(1, retention_days=30)
    await store.update_settings(2, retention_days=90)
    later = datetime.now(UTC) + timedelta(days=60)
    assert (await store.prune(now=later)).documents == 2
    assert (await store.guild_stats(1)).documents == 0 and await store.search(1, "bridge") == []
    assert (await store.guild_stats(2)).documents == 2  # 60 days are within 90
    assert (await store.guild_stats(3)).documents == 2  # no retention: kept forever
    assert (await store.prune(now=later)).documents == 0
    assert (await store.prune(now=datetime.now(UTC) + timedelta(days=91))).documents == 2
    assert await store.check_integrity() == []


async def test_forget_user_cascades_to_analyses_flags_events_and_search(store):
    mine = await fill(store, guild=1, n=2, author=42)
    theirs = await fill(store, guild=1, n=1, author=43, tag="Other")
    other_guild = await fill(store, guild=2, n=1, author=42)
    fid = mine[0].flag_ids[0]
    await store.review_flag(1, fid, status="confirmed", reviewer_id=5, reviewer_name="Mo")
    await store.add_note(1, fid, reviewer_id=5, reviewer_name="Mo", note="ok")
    assert (await store.forget_user(1, 42)).documents == 2
    for gone in mine:
        assert await store.get_analysis(1, gone.id) is None
        assert await store.flags_for_analysis(1, gone.id) == []
    assert await store.get_flag(1, fid) is None and await store.review_events(1, fid) == []
    assert [h.analysis_id for h in await store.search(1, "bridge", limit=50)] == [theirs[0].id]
    assert await store.get_analysis(2, other_guild[0].id) is not None
    path = store.path
    assert _raw_count(path, "SELECT count(*) FROM analyses_fts") == 2
    assert _raw_count(path, "SELECT count(*) FROM review_events") == 0
    assert _raw_count(path, "SELECT count(*) FROM flags WHERE analysis_id IN (?, ?)", (mine[0].id, mine[1].id)) == 0
    assert (await store.forget_user(1, 42)).documents == 0
    assert await store.check_integrity() == []


async def test_prune_lists_each_guilds_cards_across_batches_and_leaves_no_text_behind(store, monkeypatch):
    """With one document per batch and two guilds, every deleted card is listed under its own guild, once."""
    from pathlib import Path

    from bot.store_cards import StaleCard

    monkeypatch.setattr(store_module, "PRUNE_BATCH", 1)
    ones = await fill(store, guild=1, n=2, tag="Quorvath")
    twos = await fill(store, guild=2, n=2, tag="Quorvath")
    for guild, saved, base in ((1, ones, 100), (2, twos, 200)):
        for k, s in enumerate(saved):
            await store.set_review_messages(guild, s.flag_ids, base, base + k + 1)
        await store.update_settings(guild, retention_days=30)
    report = await store.prune(now=datetime.now(UTC) + timedelta(days=31))

    assert report.documents == 4
    assert {g: sorted(c.message_id for c in cards) for g, cards in report.removed_cards.items()} == {
        1: [101, 102], 2: [201, 202]}
    assert sorted(await store.stale_cards(), key=lambda c: c.message_id) == [
        StaleCard(1, 100, 101, "retention"), StaleCard(1, 100, 102, "retention"),
        StaleCard(2, 200, 201, "retention"), StaleCard(2, 200, 202, "retention")]
    path = Path(store.path)
    wal = Path(str(path) + "-wal")
    on_disk = path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    assert b"quorvath" not in on_disk.lower()  # no search segment or log page keeps the pruned text


async def test_reads_made_while_an_export_pages_see_what_was_committed_since(store, monkeypatch):
    """An export's open cursor must not freeze the bot's other reads at the moment it began (a moderator's
    verdict redrawn as pending, an /optout or a forget not seen)."""
    saved = await fill(store, n=4, author=4242)
    monkeypatch.setattr(store_module, "EXPORT_PAGE", 2)
    paused, resume = asyncio.Event(), asyncio.Event()
    real_fetchmany = aiosqlite.Cursor.fetchmany

    async def pausing_fetchmany(self, size=None):
        rows = await real_fetchmany(self, size)
        if not paused.is_set():
            paused.set()
            await resume.wait()  # hold the export mid-way, cursor open, after its first page
        return rows

    monkeypatch.setattr(aiosqlite.Cursor, "fetchmany", pausing_fetchmany)
    export = asyncio.create_task(store.export_flags(1, io.StringIO(), fmt="jsonl"))
    await asyncio.wait_for(paused.wait(), 10)
    flag_id = saved[0].flag_ids[0]
    await store.review_flag(1, flag_id, status="confirmed", reviewer_id=9, reviewer_name="Ana")
    await store.set_opt_out(1, 555, True)
    assert (await store.get_flag(1, flag_id)).status == "confirmed"
    assert await store.is_opted_out(1, 555)
    await store.forget_user(1, 4242)
    assert await store.get_analysis(1, saved[0].id) is None
    assert not export.done()
    resume.set()
    assert await asyncio.wait_for(export, 10) > 0


async def test_export_dates_compare_right_for_any_year_and_refuse_one_out_of_range(store):
    """Times are compared as fixed-width text, so the year 999 must be written 0999 or it sorts after 2024."""
    await fill(store, n=1)  # two flags
    early = datetime(999, 1, 1, tzinfo=UTC)
    assert await store.export_flags(1, io.StringIO(), fmt="jsonl", since=early) == 2
    assert await store.export_flags(1, io.StringIO(), fmt="jsonl", until=early) == 0
    past_9999 = datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5)))  # 10000-01-01 in UTC
    with pytest.raises(InputError, match="out of range"):
        await store.export_flags(1, io.StringIO(), fmt="jsonl", until=past_9999)
