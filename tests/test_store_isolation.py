"""Guild isolation: no call, given one guild, returns or changes another guild's rows."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.errors import NotFoundError
from bot.store import Store
from tests.store_factory import ENGINE, make_result

WORDS = ["bridge", "budget", "council", "river", "mayor", "strike", "harbour", "vote", "rates", "school"]
GUILDS = st.sampled_from([0, 1, 2, 987654321098765432, 2**63 - 1])


def doc_text(words: list[str], n: int) -> str:
    return f"Report {n} mentions {' '.join(words)}. Critics say it matters."


@st.composite
def corpora(draw):
    """Up to 12 documents spread over a few guilds, each with a few vocabulary words."""
    docs = draw(st.lists(st.tuples(GUILDS, st.lists(st.sampled_from(WORDS), min_size=1, max_size=4)),
                         min_size=1, max_size=12))
    return [(guild, words, doc_text(words, n)) for n, (guild, words) in enumerate(docs)]


QUERIES = st.one_of(
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join),
    st.text(max_size=20),
    st.sampled_from(["report", "critics", "matters", "*", "report*", 'NEAR("bridge"', "guild_id:1"]),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(docs=corpora(), guild=GUILDS, query=QUERIES)
async def test_every_read_stays_inside_its_guild(tmp_path_factory, docs, guild, query):
    path = tmp_path_factory.mktemp("iso") / "iso.db"
    async with Store.open(path) as store:
        owner: dict[str, int] = {}
        words_of: dict[str, set[str]] = {}
        for g, words, text in docs:
            saved = await store.save_analysis(g, text, make_result(text, [("vague_source", "low", "Critics")]),
                                              engine_version=ENGINE, author_id=g % 7)
            owner[saved.id] = g
            words_of[saved.id] = set(words)
        mine = {i for i, g in owner.items() if g == guild}

        hits = await store.search(guild, query, limit=50)
        assert {h.analysis_id for h in hits} <= mine
        assert await store.count_search(guild, query) == len(hits)
        if query.split() and all(w in WORDS for w in query.split()):  # exact oracle for vocabulary queries
            assert {h.analysis_id for h in hits} == {i for i in mine if set(query.split()) <= words_of[i]}

        assert {a.id for a in await store.recent(guild, limit=100)} == mine
        for short_id, g in owner.items():
            assert (await store.get_analysis(guild, short_id) is not None) == (g == guild)
            assert (await store.get_text(guild, short_id) is not None) == (g == guild)
        pending = await store.pending_flags(guild, limit=100, min_severity="low")
        assert {f.analysis_id for f in pending} == mine and all(f.guild_id == guild for f in pending)
        assert await store.count_pending(guild, min_severity="low") == len(mine)
        out = io.StringIO()
        assert await store.export_flags(guild, out, fmt="jsonl") == len(mine)
        assert {json.loads(line)["analysis_id"] for line in out.getvalue().splitlines()} == mine
        stats = await store.guild_stats(guild)
        assert stats.documents == len(mine) and stats.flags_by_status["pending"] == await store.count_pending(guild)
        assert stats.flags_by_status["pending"] + stats.flags_below_threshold == len(mine)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(docs=corpora(), guild=GUILDS, user=st.integers(0, 6))
async def test_writes_never_touch_another_guild(tmp_path_factory, docs, guild, user):
    path = tmp_path_factory.mktemp("isow") / "isow.db"
    async with Store.open(path) as store:
        owner: dict[int, int] = {}
        for g, _words, text in docs:
            saved = await store.save_analysis(g, text, make_result(text, [("vague_source", "low", "Critics")]),
                                              engine_version=ENGINE, author_id=g % 7)
            owner[saved.flag_ids[0]] = g
        others = {fid for fid, g in owner.items() if g != guild}
        for fid in others:
            with pytest.raises(NotFoundError):
                await store.review_flag(guild, fid, status="confirmed", reviewer_id=1, reviewer_name="X")
            with pytest.raises(NotFoundError):
                await store.add_note(guild, fid, reviewer_id=1, reviewer_name="X", note="n")
            with pytest.raises(NotFoundError):
                await store.set_review_message(guild, fid, 1, 2)
            assert await store.get_flag(guild, fid) is None and await store.review_events(guild, fid) == []
        await store.update_settings(guild, retention_days=1)
        await store.set_opt_out(guild, user, True)
        await store.forget_user(guild, user)
        for fid, g in owner.items():
            flag = await store.get_flag(g, fid)
            if g != guild:
                assert flag is not None and flag.status == "pending" and flag.note is None
                assert (await store.get_settings(g)).retention_days is None
                assert not await store.is_opted_out(g, user)
