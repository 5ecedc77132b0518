"""Searching Chinese, Japanese and Korean text: words inside unspaced sentences are found through the pairs index,
with the guild scope, private-analysis hiding, forget-me and retention of the ordinary search."""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from datetime import timedelta
from pathlib import Path

from bot import search_query, store_cjk
from bot.search_query import char_pairs, parse_query, query_problem
from bot.store import STAFF, Store
from bot.store_types import utcnow
from tests.store_factory import ENGINE, make_result

JAPANESE = "東京で大きな地震が発生した。被害は軽微だと当局は述べた。"
CHINESE = "北京市政府表示，新的地铁线路将于明年开通。消息人士称预算翻倍。"
KOREAN = "서울에서 큰 지진이 발생했다고 당국이 밝혔다."
ENGLISH = "The council said the river bridge will open late. Engineers found cracks."


async def _save(store, guild, text, *, title=None, author=None, private=False, engine=ENGINE):
    return await store.save_analysis(guild, text, make_result(text), engine_version=engine, title=title,
                                     author_id=author, private=private)


def _file_bytes(path: Path) -> bytes:
    wal = Path(f"{path}-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


async def test_words_inside_unspaced_sentences_are_found(store):
    jp = await _save(store, 1, JAPANESE, title="地震のニュース")
    cn = await _save(store, 1, CHINESE)
    kr = await _save(store, 1, KOREAN)
    await _save(store, 1, ENGLISH, title="Bridge delayed")
    for query, expected in (("地震", jp), ("東京", jp), ("当局", jp), ("被害は軽微", jp), ("ニュース", jp),
                            ("地铁", cn), ("消息人士", cn), ("北京 预算", cn), ("서울", kr), ("지진", kr),
                            ("東京*", jp)):
        hits = await store.search(1, query)
        assert [h.analysis_id for h in hits] == [expected.id], query
        assert await store.count_search(1, query) == 1, query
    assert await store.count_search(1, "地震 地铁") == 0  # every word must be in the same article
    assert await store.count_search(1, "大阪") == 0
    assert [h.title for h in await store.search(1, "bridge")] == ["Bridge delayed"]  # the ordinary index as before


async def test_a_mixed_query_and_the_snippet_show_the_article_not_the_pairs(store):
    text = "Tokyo report: " + JAPANESE + " Officials in Tokyo said more."
    saved = await _save(store, 1, text, title="Quake")
    (hit,) = await store.search(1, "tokyo 地震")
    assert hit.analysis_id == saved.id
    assert "大きな**地震**が発生" in hit.snippet and "**Tokyo**" in hit.snippet  # the article's own text, marked
    assert "東京 京で" not in hit.snippet


async def test_search_stays_in_its_guild_and_hides_other_members_private_analyses(store):
    public = await _save(store, 1, JAPANESE)
    await _save(store, 2, JAPANESE + " 別のサーバー。")
    secret = await _save(store, 1, "秘密の地震報告書。内部だけ。", author=42, private=True)
    assert [h.analysis_id for h in await store.search(1, "地震")] == [public.id]
    assert await store.count_search(1, "地震") == 1
    assert {h.analysis_id for h in await store.search(1, "地震", viewer_id=42)} == {public.id, secret.id}
    assert await store.count_search(1, "地震", viewer_id=43) == 1
    assert await store.count_search(1, "地震", viewer_id=STAFF) == 2
    assert await store.count_search(1, "サーバー") == 0 and await store.count_search(3, "地震") == 0
    assert await store.count_search(1, "g1 地震") == 0  # the guild token is no searchable word here either


async def test_only_the_latest_analysis_of_a_text_is_found(store):
    await _save(store, 1, JAPANESE)
    newer = await _save(store, 1, JAPANESE, engine="test-engine/2")
    assert [h.analysis_id for h in await store.search(1, "地震")] == [newer.id]


async def test_forget_and_retention_leave_no_pair_of_the_deleted_text_in_the_file(store):
    path = Path(store.path)
    mine = "鷺鸛鸞鵺の記事。鸛鸞が飛んだ。"
    kept = await _save(store, 1, JAPANESE, author=7)
    await _save(store, 1, mine, author=42)
    old = "鶚鷦鷯の古い記事。"
    await _save(store, 2, old)
    assert await store.count_search(1, "鸛鸞") == 1 and await store.count_search(2, "鷦鷯") == 1
    assert "鸛鸞".encode() in _file_bytes(path)

    await store.forget_user(1, 42)
    await store.update_settings(2, retention_days=1)
    await store.prune(now=utcnow() + timedelta(days=2))

    assert await store.count_search(1, "鸛鸞") == 0 and await store.count_search(2, "鷦鷯") == 0
    raw = _file_bytes(path)
    for gone in ("鸛鸞", "鷺鸛", "鷦鷯", "鶚鷦"):
        assert gone.encode() not in raw, gone
    assert [h.analysis_id for h in await store.search(1, "地震")] == [kept.id]


async def test_analyses_stored_before_the_pairs_index_are_found_after_the_upgrade(tmp_path):
    path = tmp_path / "v9.db"
    async with Store.open(path, migrate_to=9):
        pass
    conn = sqlite3.connect(path)
    with conn:  # rows as Byline with schema version 9 wrote them (its triggers index them in analyses_fts only)
        for seq, short_id, text, title in ((1, "a2a2a2", JAPANESE, None), (2, "b3b3b3", ENGLISH, "Bridge"),
                                           (3, "c4c4c4", ENGLISH + " More.", "ニュース速報")):
            conn.execute("INSERT INTO documents (id, guild_id, content_hash, text, title, created_at) "
                         "VALUES (?, 1, ?, ?, ?, '2024-01-02T03:04:05.000000Z')", (seq, f"h{seq}", text, title))
            conn.execute("INSERT INTO analyses (seq, id, guild_id, document_id, engine_version, result_json, "
                         "created_at) VALUES (?, ?, 1, ?, ?, ?, '2024-01-02T03:04:05.000000Z')",
                         (seq, short_id, seq, ENGINE, json.dumps(make_result(text).to_dict())))
    conn.close()
    async with Store.open(path) as store:
        assert [h.analysis_id for h in await store.search(1, "地震")] == ["a2a2a2"]
        assert [h.analysis_id for h in await store.search(1, "速報")] == ["c4c4c4"]  # a CJK title is enough
        assert await store.count_search(1, "bridge") == 2
        assert await store.check_integrity() == []
    conn = sqlite3.connect(path)
    try:  # only the article with CJK text has a pairs row, and nothing is left waiting
        assert conn.execute("SELECT count(*) FROM analyses_cjk").fetchone()[0] == 2
        assert conn.execute("SELECT count(*) FROM analyses_cjk_pending").fetchone()[0] == 0
    finally:
        conn.close()


def test_queries_are_written_as_the_pairs_the_index_holds():
    assert char_pairs("東京で大地震") == " 東京 京で で大 大地 地震 "
    assert char_pairs("Tokyo東京 and 米 too") == "Tokyo 東京  and  米  too"
    assert parse_query("東京都 東京都 bridge").terms == ('"東京 京都"', '"bridge"')
    assert parse_query("東京*").terms == ('"東京"',)  # pairs match inside longer words already
    assert parse_query("地震").cjk and not parse_query("bridge*").cjk
    assert parse_query("震 bridge").terms == ('"bridge"',)  # one character alone is never searched for
    assert "at least two" in (query_problem("震") or "")
    assert "9 characters" in (query_problem("東京で大きな地震が発生した") or "")
    assert query_problem("大きな地震が発生") is None  # eight characters: seven pairs


async def test_iteration_and_closing_marks_are_part_of_the_words_they_write(store):
    """々 repeats the ideograph before it (人々 "people"), 〆 and 〇 stand for one: none of them ends a word."""
    text = "様々な人々が集まった。時々、〆切は〇〇日だと我々は聞いた。"
    saved = await _save(store, 1, text)
    for query in ("人々", "様々", "時々", "我々", "〆切", "〇〇", "様々な人々"):
        assert query_problem(query) is None, query
        assert [h.analysis_id for h in await store.search(1, query)] == [saved.id], query
    (hit,) = await store.search(1, "人々")
    assert "**人々**" in hit.snippet


async def test_decomposed_korean_and_japanese_text_is_found_by_what_a_member_types(store):
    """Text saved decomposed (NFD: Hangul as jamo, が as か and a mark) is indexed composed, as the query is; the
    stored text, which flag offsets point into, stays exactly as it came."""
    korean, japanese = unicodedata.normalize("NFD", KOREAN), unicodedata.normalize("NFD", JAPANESE)
    assert korean != KOREAN and japanese != JAPANESE
    kr, jp = await _save(store, 1, korean), await _save(store, 1, japanese)
    for query, expected in (("지진", kr), ("서울에서", kr), ("地震が発生", jp), ("被害は軽微", jp)):
        assert [h.analysis_id for h in await store.search(1, query)] == [expected.id], query
    (hit,) = await store.search(1, "지진")
    assert "**지진**" in hit.snippet
    assert await store.get_text(1, kr.id) == korean


async def test_pairs_written_before_version_13_are_written_again_on_upgrade(tmp_path, monkeypatch):
    """A file that Byline at schema version 12 wrote: its pairs split words at 々 and kept decomposed text as it
    was, and text whose only such character was 〇 had no pairs row at all. The upgrade rewrites them."""
    path = tmp_path / "v12.db"
    old_run = re.compile("[" + search_query.CJK_CHARS.replace("\u3005-\u3007", "") + "]+")
    monkeypatch.setattr(search_query, "_CJK_RUN", old_run)  # the character class and indexing of that version
    monkeypatch.setattr(store_cjk, "index_form", search_query.char_pairs)
    async with Store.open(path, migrate_to=12) as old:
        marks = await _save(old, 1, "様々な人々が集まった。")
        nfd = await _save(old, 1, unicodedata.normalize("NFD", KOREAN))
        zero = await _save(old, 1, "Plan 〇〇 was approved.")
        assert await old.count_search(1, "人々") == 0  # the defect, as that version had it
    monkeypatch.undo()

    async with Store.open(path) as store:
        for query, expected in (("人々", marks), ("様々", marks), ("지진", nfd), ("〇〇", zero)):
            assert [h.analysis_id for h in await store.search(1, query)] == [expected.id], query
        assert await store.check_integrity() == []
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT count(*) FROM analyses_cjk").fetchone()[0] == 3
        assert conn.execute("SELECT count(*) FROM analyses_cjk_pending").fetchone()[0] == 0
    finally:
        conn.close()
