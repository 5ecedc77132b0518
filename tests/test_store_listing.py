"""Reading analyses back without stalling the bot: a listing never decodes a stored result, and a look-up that
must decode one does it off the event loop (a long article's result is over a megabyte of JSON)."""

from __future__ import annotations

import threading

import pytest

from bot.analysis.result import Result
from bot.render import flag_counts_line
from bot.render.labels import flag_counts_text
from bot.store_types import STAFF
from tests.store_factory import ARTICLE, ENGINE, make_result

ANON = ("anonymous_source", "high", "Sources familiar with the talks")
CRITICS = ("vague_source", "medium", "Critics")
MAYOR = ("vague_source", "low", "The mayor said")


async def save(store, text, flags, **meta):
    return await store.save_analysis(1, text, make_result(text, flags), engine_version=ENGINE, **meta)


@pytest.fixture
def decodes(monkeypatch):
    """Every ``Result.from_dict`` call, as the id of the thread it ran on."""
    threads: list[int] = []
    real = Result.from_dict.__func__

    def spy(cls, data):
        threads.append(threading.get_ident())
        return real(cls, data)

    monkeypatch.setattr(Result, "from_dict", classmethod(spy))
    return threads


async def test_recent_reads_titles_links_and_flag_counts_without_decoding_any_result(store, decodes):
    """The flag counts come from the flags table, in the order and wording the full result would give."""
    most = await save(store, ARTICLE, [ANON, CRITICS, MAYOR], title="Bridge", url="https://news.example/bridge")
    tie = await save(store, ARTICLE + " Again.", [CRITICS, ANON], title="Tie")
    clean = await save(store, "A quiet day at the harbour. Nothing happened.", [])
    secret = await store.save_analysis(1, "A private memo. Critics say so.", make_result(
        "A private memo. Critics say so.", [CRITICS]), engine_version=ENGINE, author_id=77, private=True)
    decodes.clear()

    listed = await store.recent(1, viewer_id=77)

    assert decodes == []  # not one result decoded
    assert [a.id for a in listed] == [secret.id, clean.id, tie.id, most.id]
    for item, saved in zip(listed, (secret, clean, tie, most), strict=True):
        assert flag_counts_text(item.flag_counts) == flag_counts_line(saved.result)
        assert item.flag_ids == saved.flag_ids and item.private == saved.private
        assert (item.title, item.url, item.author_id) == (saved.title, saved.url, saved.author_id)
    assert listed[3].flag_counts == (("vague_source", 2), ("anonymous_source", 1))
    assert listed[2].flag_counts == (("vague_source", 1), ("anonymous_source", 1))  # a tie: in reading order
    assert listed[1].flag_counts == ()
    assert [a.id for a in await store.recent(1)] == [clean.id, tie.id, most.id]  # the private one is its author's
    assert len(await store.recent(1, limit=2, viewer_id=STAFF)) == 2
    assert await store.recent(2) == []


async def test_a_lookup_decodes_its_result_off_the_event_loop(store, decodes):
    """get_analysis, find_cached, find_by_url and a save that finds the text stored all decode on a worker thread."""
    saved = await save(store, ARTICLE, [ANON], url="https://news.example/bridge")
    decodes.clear()
    loop_thread = threading.get_ident()

    assert (await store.get_analysis(1, saved.id)).result == saved.result
    assert (await store.find_cached(1, ARTICLE, ENGINE)).id == saved.id
    found = await store.find_by_url(1, "https://news.example/bridge", max_age_seconds=60, engine_version=ENGINE)
    assert found.id == saved.id
    again = await save(store, ARTICLE, [ANON])
    assert again.cached and again.id == saved.id and again.result == saved.result

    assert len(decodes) == 4 and loop_thread not in decodes
