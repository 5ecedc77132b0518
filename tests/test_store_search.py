"""Full-text search: ranking, snippets, guild scope, and queries typed by people who try to break it."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bot.store_search as store_module  # the part that owns search
from bot.search_query import MAX_QUERY_TERMS, fts_query, parse_query, query_problem
from bot.store import Store
from bot.store_types import guild_match
from tests.store_factory import ENGINE, make_result

DOCS = {
    "bridge": ("Bridge delayed again", "The council said the river bridge will open late. Engineers found cracks."),
    "budget": ("City budget", "The budget vote was close. A bridge repair line was cut from the budget."),
    "cafe": ("Café owners protest", "Owners of the café on Main Street said rents doubled."),
    "quake": ("Erdbeben in Köln", "Ein leichtes Erdbeben erschütterte Köln, sagte die Behörde. 東京でも地震。"),
}

HOSTILE = [
    '"', '""', '"unbalanced', "NEAR(", "NEAR(bridge budget", "bridge NEAR/2 budget", "*", "**", "bridge*",
    "*bridge", "(", ")", "((bridge", "bridge)", "text:bridge", "title:", "summary:budget", "{title text}:bridge",
    "^bridge", "^", "-bridge", "bridge -budget", "AND", "OR", "NOT", "bridge AND", "OR bridge", "NOT NOT",
    "bridge OR OR budget", "'", "'; DROP TABLE analyses; --", "\\", "\x00", "\x00bridge", "", "   ", "\n\t",
    "🌉", "bridge🌉", "Köln", "KÖLN", "koln", "地震", "e\u0301", "\ud800", "a" * 5000, "bridge " * 200,
    "+bridge", "bridge:", ":", "col:umn:", "rowid:1", "analyses_fts:bridge", "bm25(", "MATCH", "%", "_",
]


@pytest.fixture
async def store(tmp_path):
    async with Store.open(tmp_path / "s.db") as s:
        for guild in (1, 2):
            for key, (title, text) in DOCS.items():
                await s.save_analysis(guild, f"{text} [{key}]", make_result(text), engine_version=ENGINE, title=title)
        yield s


async def test_finds_words_in_title_summary_and_text_with_snippets(store):
    hits = await store.search(1, "bridge")
    assert {h.title for h in hits} == {"Bridge delayed again", "City budget"}
    assert hits[0].title == "Bridge delayed again"  # title + summary + text beat a single mention
    assert all("**" in h.snippet for h in hits)
    assert "**bridge**" in hits[0].snippet.lower()
    assert hits[0].rank <= hits[1].rank
    assert await store.count_search(1, "bridge") == 2


async def test_all_words_must_match_and_prefix_star_works(store):
    assert [h.title for h in await store.search(1, "bridge budget")] == ["City budget"]
    assert {h.title for h in await store.search(1, "brid*")} == {"Bridge delayed again", "City budget"}
    assert await store.search(1, "brid") == []


async def test_unicode_and_diacritics_fold(store):
    assert [h.title for h in await store.search(1, "cafe")] == ["Café owners protest"]
    assert [h.title for h in await store.search(1, "KÖLN")] == ["Erdbeben in Köln"]
    assert [h.title for h in await store.search(1, "koln")] == ["Erdbeben in Köln"]


async def test_paging_with_limit_and_offset(store):
    first = await store.search(1, "the", limit=1)
    second = await store.search(1, "the", limit=1, offset=1)
    assert len(first) == len(second) == 1 and first[0].analysis_id != second[0].analysis_id
    assert await store.search(1, "the", limit=0) == []


async def test_search_never_leaves_the_guild(store):
    ids_1 = {h.analysis_id for h in await store.search(1, "the", limit=50)}
    ids_2 = {h.analysis_id for h in await store.search(2, "the", limit=50)}
    assert ids_1 and ids_2 and not ids_1 & ids_2
    assert await store.search(3, "bridge") == [] and await store.count_search(3, "bridge") == 0


async def test_only_the_latest_analysis_of_a_text_is_searchable(store):
    text = "A lighthouse keeper said the lamp failed."
    await store.save_analysis(1, text, make_result(text), engine_version=ENGINE)
    newer = await store.save_analysis(1, text, make_result(text), engine_version="test-engine/2")
    assert [h.analysis_id for h in await store.search(1, "lighthouse")] == [newer.id]


async def test_the_guild_token_cannot_be_searched_for(store):
    assert await store.search(1, "g1") == [] and await store.count_search(2, "g2") == 0


async def test_ranking_is_bounded_to_the_most_recent_matches(store, monkeypatch):
    monkeypatch.setattr(store_module, "SEARCH_CANDIDATES", 2)
    saved = []
    for n in range(4):
        text = f"Ferry timetable {n}. " + "ferry " * (4 - n)  # older stories mention ferry more often
        saved.append(await store.save_analysis(1, text, make_result(text), engine_version=ENGINE))
    hits = await store.search(1, "ferry", limit=5)
    assert [h.analysis_id for h in hits] == [saved[2].id, saved[3].id]  # best of the two newest
    assert await store.count_search(1, "ferry") == 4


async def test_hostile_queries_never_raise(store):
    for query in HOSTILE:
        hits = await store.search(1, query, limit=10)
        count = await store.count_search(1, query)
        assert len(hits) == min(count, 10), query
    assert await store.count_search(1, "\x00bridge") == 2  # the rest of the query still works
    assert await store.count_search(1, "bridge\ud800") == 2


async def test_operators_are_plain_words_not_syntax(store):
    # As syntax, "bridge OR cafe" would match three documents; as words it needs "or" too, which none has.
    assert await store.search(1, "bridge OR cafe") == []
    # A column filter would limit to titles; as words "text" is absent, so nothing matches.
    assert await store.search(1, "title:bridge") == []
    assert await store.count_search(1, "-bridge") == 2  # not a NOT: the word bridge


def test_sanitised_query_shapes():
    assert fts_query('say "hi" NEAR(xyz*') == '"say" """hi""" "NEAR(xyz"*'
    assert fts_query('say "hi" NEAR(x*') == '"say" """hi"""'  # the prefix is the last word's: "x*", too short
    assert fts_query("(( ** ^") is None
    assert fts_query("") is None
    assert fts_query(None) is None  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)
       | st.lists(st.sampled_from(['"', "(", ")", "*", "^", ":", "NEAR", "AND", "OR", "NOT", "-", "+", "{", "}",
                                   "bridge", "text", "title", ",", "'", "\\"]), max_size=12).map("".join))
def test_any_query_is_valid_fts5(query):
    """Run every sanitised query, wrapped as the store wraps it, through FTS5: none may be a syntax error."""
    match = fts_query(query)
    if match is None:
        return
    conn = _fts_conn()
    conn.execute("SELECT count(*) FROM t WHERE t MATCH ?", (guild_match(1, match),)).fetchone()


_CONN: list[sqlite3.Connection] = []


def _fts_conn() -> sqlite3.Connection:
    if not _CONN:
        conn = sqlite3.connect(":memory:")
        conn.execute("CREATE VIRTUAL TABLE t USING fts5(title, summary, text, guild, "
                     "tokenize='unicode61 remove_diacritics 2')")
        conn.execute("INSERT INTO t VALUES ('bridge', 'near and or not', 'text title', 'g1')")
        _CONN.append(conn)
    return _CONN[0]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=40))
async def test_any_query_through_the_store_is_safe(store, query):
    """The same, end to end through ``Store.search`` and ``count_search`` on the real file (read-only)."""
    hits = await store.search(1, query, limit=50)
    assert len(hits) == await store.count_search(1, query)


# --- bounded queries: many or short prefix terms would walk the guild's whole index once each -------------


def test_short_prefixes_are_dropped_and_named():
    parsed = parse_query("bridge a* ab* abc* e\u0301te\u0301* x-y*")  # letters are counted once composed (NFC)
    assert parsed.terms == ('"bridge"', '"abc"*', '"\u00e9t\u00e9"*')
    assert parsed.short_prefixes == ("a*", "ab*", "x-y*")  # "x-y*" ends in the one-letter prefix "y*"
    assert "at least 3 letters" in (query_problem("bridge ab*") or "") and "`ab*`" in query_problem("bridge ab*")
    assert query_problem("brid* budget") is None and query_problem("a b c") is None  # whole short words are fine


def test_repeated_terms_count_once_and_the_number_of_words_is_capped():
    assert parse_query("bridge Bridge BRIDGE brid* brid*").terms == ('"bridge"', '"brid"*')
    assert query_problem(" ".join(["ferry"] * 40)) is None
    eight = " ".join(f"word{i}" for i in range(MAX_QUERY_TERMS))
    assert len(parse_query(eight).terms) == MAX_QUERY_TERMS and query_problem(eight) is None
    nine = f"{eight} ninth"
    assert parse_query(nine).terms == parse_query(eight).terms and parse_query(nine).over_limit
    assert query_problem(nine) == f"Search for at most {MAX_QUERY_TERMS} words at a time."
    assert parse_query("a-b-c-d-e-f-g-h-i").terms == ()  # one term, but nine words to look up
    assert parse_query("a-b-c-d-e-f-g-h").terms == ('"a-b-c-d-e-f-g-h"',)


async def test_the_store_searches_what_is_left_of_an_oversized_query(store):
    """Whatever the store is given stays bounded: dropped terms are not searched for, the rest still works."""
    assert await store.count_search(1, "bridge " + "b* " * 30) == 2  # the short prefixes are left out
    assert await store.count_search(1, " ".join(f"{c}*" for c in "abcdefghijklmnopqrstuvwxy")) == 0
    assert await store.count_search(1, "bridge council " + " ".join(f"zz{i}" for i in range(20))) == 0
    assert [h.title for h in await store.search(1, "bridge bridge bridge budget budget")] == ["City budget"]


async def test_a_search_runs_on_its_own_connection_and_never_holds_up_other_reads(store):
    """A search that is still reading must leave settings and opt-out checks free to answer meanwhile."""
    import asyncio
    import threading

    inside, release = threading.Event(), threading.Event()

    def hold() -> int:  # SQLite's progress callback: runs on the search connection's thread while it reads
        inside.set()
        release.wait()
        return 0

    await store._s.set_progress_handler(hold, 1)
    search = asyncio.create_task(store.search(1, "bridge"))
    try:
        await asyncio.to_thread(inside.wait)
        assert not await store.is_opted_out(1, 42)
        assert (await store.get_settings(1)).guild_id == 1
        assert await store.get_analysis(1, "zzzzzz") is None
        assert not search.done()  # the reads above finished while the search was still inside SQLite
    finally:
        release.set()
        await store._s.set_progress_handler(None, 1)
    assert {h.title for h in await search} == {"Bridge delayed again", "City budget"}
