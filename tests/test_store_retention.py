"""Retention goes by each analysis's own time: a recent re-analysis of an old article is kept, flags under review
included, and the article itself goes only with its last analysis."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import bot.store_retention as store_module  # the part that owns pruning
from bot.store import STAFF
from bot.store_cards import CardRef, StaleCard
from bot.store_types import to_db_time, utcnow
from tests.store_factory import ARTICLE, ARTICLE_FLAGS, make_result


def _backdate(path: str, days: int, analysis_ids: list[str]) -> None:
    """Make these analyses (and their flags) ``days`` old, and every document older still: first shared back then."""
    then = to_db_time(utcnow() - timedelta(days=days))
    marks = ", ".join("?" * len(analysis_ids))
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE documents SET created_at = ?", (to_db_time(utcnow() - timedelta(days=days + 1)),))
        conn.execute(f"UPDATE analyses SET created_at = ? WHERE id IN ({marks})", (then, *analysis_ids))
        conn.execute(f"UPDATE flags SET created_at = ? WHERE analysis_id IN ({marks})", (then, *analysis_ids))
    conn.close()


def _count(path: str, table: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


async def _analyse(store, engine: str):
    return await store.save_analysis(1, ARTICLE, make_result(ARTICLE, ARTICLE_FLAGS), engine_version=engine,
                                     title="Bridge", author_id=7)


async def test_a_recent_reanalysis_of_an_old_article_is_kept_with_its_flags_under_review(store):
    old = await _analyse(store, "engine/1")
    await store.set_review_messages(1, old.flag_ids, 100, 101)
    new = await _analyse(store, "engine/2")  # a new engine version: its flags replace the old ones in the queue
    await store.set_review_messages(1, new.flag_ids, 100, 102)
    await store.record_reply(1, new.id, 50, 500, source_message_id=400)
    await store.update_settings(1, retention_days=30)
    _backdate(store.path, 40, [old.id])

    report = await store.prune()

    assert (report.analyses, report.documents) == (1, 0)
    assert report.removed_cards == {1: (CardRef(100, 101),)}  # only the card of the deleted flags
    assert await store.stale_cards() == [StaleCard(1, 100, 101, "retention")]
    assert await store.get_analysis(1, old.id, viewer_id=STAFF) is None
    assert [f.id for f in await store.flags_on_card(1, 101)] == []
    kept = await store.get_analysis(1, new.id, viewer_id=STAFF)
    assert kept is not None and kept.flag_ids == new.flag_ids
    assert await store.get_text(1, new.id) == ARTICLE
    assert [f.status for f in await store.flags_on_card(1, 102)] == ["pending", "pending"]
    assert await store.count_pending(1) == 2  # still waiting for review, in the queue
    assert [h.analysis_id for h in await store.search(1, "bridge", viewer_id=STAFF)] == [new.id]
    assert await store.replied_to(1, 400)  # the article is still stored, so its reply stays recorded
    assert await store.check_integrity() == []


async def test_the_article_goes_with_its_last_analysis(store, monkeypatch):
    monkeypatch.setattr(store_module, "PRUNE_BATCH", 1)  # one analysis per batch: the document waits for the last
    saved = [await _analyse(store, f"engine/{n}") for n in (1, 2, 3)]
    await store.record_reply(1, saved[-1].id, 50, 500, source_message_id=400)
    await store.update_settings(1, retention_days=30)
    _backdate(store.path, 40, [s.id for s in saved])

    report = await store.prune()

    assert (report.analyses, report.documents) == (3, 1)
    for table in ("documents", "analyses", "flags", "review_events", "replies", "analyses_fts"):
        assert _count(store.path, table) == 0, table
    assert not await store.replied_to(1, 400)
    assert await store.check_integrity() == []
    assert (await store.prune()).analyses == 0


async def test_an_analysis_inside_the_retention_is_kept_however_old_its_article(store):
    """Only the analysis's time counts: an article first shared 400 days ago, analysed 10 days ago, stays."""
    saved = await _analyse(store, "engine/1")
    await store.update_settings(1, retention_days=30)
    _backdate(store.path, 10, [saved.id])
    conn = sqlite3.connect(store.path)
    with conn:
        conn.execute("UPDATE documents SET created_at = ?", (to_db_time(utcnow() - timedelta(days=400)),))
    conn.close()

    assert (await store.prune()).analyses == 0
    assert await store.get_analysis(1, saved.id, viewer_id=STAFF) is not None
    assert (await store.prune(now=utcnow() + timedelta(days=21))).analyses == 1
    assert await store.get_analysis(1, saved.id, viewer_id=STAFF) is None
