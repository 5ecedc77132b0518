"""Private analyses (ephemeral requests, channels @everyone cannot read): the library shows them to their author only.

Real SQLite store. "Another member" must get exactly what they get for an id that does not exist, and no other
guild ever sees anything.
"""

from __future__ import annotations

from bot.store import PUBLIC, STAFF, Store
from tests.store_factory import make_result

TEXT = ("The harbour authority said the pier will close for repairs. Sources inside the port said costs doubled. "
        "Critics say the closure will hurt fishermen.")
FLAGS = [("anonymous_source", "high", "Sources inside the port")]
ENGINE = "test-1"
AUTHOR, OTHER = 101, 202
URL = "https://port.example/pier"


async def _save(store: Store, guild: int, *, private: bool, author: int = AUTHOR, text: str = TEXT):
    return await store.save_analysis(guild, text, make_result(text, FLAGS), engine_version=ENGINE, title="Pier",
                                     url=URL, author_id=author, channel_id=9, private=private)


async def test_another_member_cannot_list_search_or_look_up_a_private_analysis(store):
    secret = await _save(store, 1, private=True)
    assert secret.private and not secret.cached
    assert await store.get_analysis(1, secret.id, viewer_id=OTHER) is None
    assert await store.recent(1, viewer_id=OTHER) == []
    assert await store.search(1, "harbour", viewer_id=OTHER) == []
    assert await store.count_search(1, "harbour", viewer_id=OTHER) == 0


async def test_the_author_sees_their_private_analysis_everywhere(store):
    secret = await _save(store, 1, private=True)
    found = await store.get_analysis(1, secret.id, viewer_id=AUTHOR)
    assert found is not None and found.private and found.author_id == AUTHOR
    assert [a.id for a in await store.recent(1, viewer_id=AUTHOR)] == [secret.id]
    assert [h.analysis_id for h in await store.search(1, "harbour", viewer_id=AUTHOR)] == [secret.id]
    assert await store.count_search(1, "harbour", viewer_id=AUTHOR) == 1


async def test_other_guilds_never_see_it_not_even_its_author(store):
    secret = await _save(store, 1, private=True)
    for viewer in (AUTHOR, OTHER, PUBLIC, STAFF):
        assert await store.get_analysis(2, secret.id, viewer_id=viewer) is None
        assert await store.recent(2, viewer_id=viewer) == []
        assert await store.search(2, "harbour", viewer_id=viewer) == []


async def test_public_analyses_stay_visible_to_all_and_paging_counts_only_what_shows(store):
    public = await _save(store, 1, private=False, text=TEXT + " A public note.")
    secret = await _save(store, 1, private=True)
    assert [h.analysis_id for h in await store.search(1, "harbour", viewer_id=OTHER)] == [public.id]
    assert await store.count_search(1, "harbour", viewer_id=OTHER) == 1
    assert [a.id for a in await store.recent(1, viewer_id=OTHER)] == [public.id]
    assert {a.id for a in await store.recent(1, viewer_id=AUTHOR)} == {public.id, secret.id}
    # A caller who names nobody sees public ones only; STAFF (review cards, the CLI) sees everything.
    assert [a.id for a in await store.recent(1)] == [public.id]
    assert await store.get_analysis(1, secret.id) is None
    assert [h.analysis_id for h in await store.search(1, "harbour")] == [public.id]
    assert await store.count_search(1, "harbour") == 1
    assert {a.id for a in await store.recent(1, viewer_id=STAFF)} == {public.id, secret.id}
    assert await store.count_search(1, "harbour", viewer_id=STAFF) == 2
    # /stats still counts both.
    assert (await store.guild_stats(1)).analyses == 2


async def test_the_cache_never_hands_a_private_analysis_to_someone_else(store):
    secret = await _save(store, 1, private=True)
    # Another member's public or private request for the same text or link gets nothing from the cache ...
    assert await store.find_cached(1, TEXT, ENGINE) is None
    assert await store.find_cached(1, TEXT, ENGINE, private_for=OTHER) is None
    assert await store.find_by_url(1, URL, max_age_seconds=3600, engine_version=ENGINE) is None
    assert await store.find_by_url(1, URL, max_age_seconds=3600, engine_version=ENGINE, private_for=OTHER) is None
    # ... and saving it publicly makes a separate public analysis instead of returning the private one.
    public = await _save(store, 1, private=False, author=OTHER)
    assert not public.cached and public.id != secret.id and not public.private
    # The author's own private repeat is a cache hit.
    mine = await store.find_cached(1, TEXT, ENGINE, private_for=AUTHOR)
    assert mine is not None and mine.id in {secret.id, public.id}
    again = await _save(store, 1, private=True)
    assert again.cached and again.id == secret.id
    by_link = await store.find_by_url(1, URL, max_age_seconds=3600, engine_version=ENGINE, private_for=AUTHOR)
    assert by_link is not None


async def test_forget_removes_private_analyses_too(store):
    await _save(store, 1, private=True)
    assert (await store.forget_user(1, AUTHOR)).documents == 1
    assert await store.recent(1) == []


async def test_stats_count_a_private_analysis_but_never_name_its_site(store):
    await _save(store, 1, private=True)
    stats = await store.guild_stats(1)
    assert stats.analyses == 1
    assert stats.sites == ()
    await _save(store, 1, private=False, text=TEXT + " Shared in the open.")
    sites = (await store.guild_stats(1)).sites
    assert len(sites) == 1 and sites[0].analyses == 1  # only the public analysis is listed under its site
