"""Concurrency and crash safety on real files: many writers and readers, racing reviewers, SIGKILL mid-batch."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bot.errors import AlreadyReviewed
from bot.store import Store
from tests.store_factory import ARTICLE_FLAGS, ENGINE, make_result

REPO = Path(__file__).resolve().parent.parent


def article(n: int) -> str:
    return (f"Story {n}: the council approved the new bridge on Monday. "
            f"Sources familiar with the talks said the cost had doubled. Critics say item {n} is unsafe.")


async def writer(store: Store, guild: int, n: int) -> str:
    text = article(n)
    saved = await store.save_analysis(guild, text, make_result(text, ARTICLE_FLAGS), engine_version=ENGINE)
    return saved.id


async def reader(store: Store, guild: int) -> int:
    hits = await store.search(guild, "bridge", limit=5)
    await store.recent(guild, limit=5)
    await store.pending_flags(guild, limit=5)
    await store.guild_stats(guild)
    return len(hits)


async def test_fifty_concurrent_writers_and_readers_on_one_store(tmp_path):
    async with Store.open(tmp_path / "c.db") as store:
        tasks = [writer(store, 1 + n % 3, n) for n in range(50)] + [reader(store, 1 + n % 3) for n in range(50)]
        results = await asyncio.gather(*tasks)
        ids = results[:50]
        assert len(set(ids)) == 50
        for n, short_id in enumerate(ids):
            assert (await store.get_analysis(1 + n % 3, short_id)) is not None
        assert sum([(await store.guild_stats(g)).documents for g in (1, 2, 3)]) == 50
        assert await store.check_integrity() == []


async def test_fifty_writers_and_readers_across_five_connections_to_one_file(tmp_path):
    """Separate Store objects are separate SQLite connections: the file lock, not our asyncio lock, arbitrates."""
    path = tmp_path / "multi.db"
    stores = [await Store.open(path, busy_timeout_ms=5000) for _ in range(5)]
    try:
        tasks = []
        for n in range(50):
            tasks.append(writer(stores[n % 5], 1, n))
            tasks.append(reader(stores[(n + 2) % 5], 1))
            if n % 5 == 0:
                tasks.append(stores[n % 5].update_settings(1, summary_sentences=1 + n % 10))
        results = await asyncio.gather(*tasks, return_exceptions=True)
        errors = [r for r in results if isinstance(r, BaseException)]
        assert errors == []
        assert (await stores[4].guild_stats(1)).documents == 50
        assert await stores[0].check_integrity() == []
    finally:
        for s in stores:
            await s.close()


@pytest.mark.slow
async def test_writers_in_other_processes_do_not_lock_us_out(tmp_path):
    path = tmp_path / "procs.db"
    async with Store.open(path):
        pass
    children = [subprocess.Popen([sys.executable, "-c", _child_script(path, guild=2, count=60, start=1000 * (k + 1))],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())
                for k in range(2)]
    # Start once both children are writing, and keep writing and reading until they are done.
    first = [await asyncio.to_thread(c.stdout.readline) for c in children]
    assert all(first), [c.stderr.read() for c in children]
    ours: list[str] = []
    async with Store.open(path) as store:
        while any(c.poll() is None for c in children) or len(ours) < 50:
            batch = await asyncio.gather(*(writer(store, 2, len(ours) + n) for n in range(5)),
                                         *(reader(store, 2) for _ in range(5)))
            ours += batch[:5]
        outs = [_finish(c) for c in children]
        assert [c.returncode for c in children] == [0, 0], [err for _, err in outs]
        theirs = [line.strip() for line in first] + [line for out, _ in outs for line in out.split()]
        assert len(theirs) == 120 and len(set(theirs) | set(ours)) == 120 + len(ours)
        assert (await store.guild_stats(2)).documents == 120 + len(ours)


@pytest.mark.parametrize("round_", range(10))
async def test_two_moderators_racing_on_one_flag_exactly_one_wins(tmp_path, round_):
    path = tmp_path / "race.db"
    async with Store.open(path) as one, Store.open(path) as two:
        saved = await writer(one, 1, round_)
        flag_id = (await one.get_analysis(1, saved)).flag_ids[0]

        async def review(store: Store, name: str, status: str):
            try:
                return await store.review_flag(1, flag_id, status=status, reviewer_id=hash(name) % 1000,
                                               reviewer_name=name)
            except AlreadyReviewed as exc:
                return exc

        # Same store (our lock) and two connections (SQLite's lock) both get exercised.
        outcomes = await asyncio.gather(review(one, "Ana", "confirmed"), review(two, "Bo", "dismissed"),
                                        review(one, "Cy", "dismissed"))
        winners = [o for o in outcomes if not isinstance(o, AlreadyReviewed)]
        losers = [o for o in outcomes if isinstance(o, AlreadyReviewed)]
        assert len(winners) == 1 and len(losers) == 2
        winner = winners[0]
        assert all(e.reviewer == winner.reviewer_name and e.status == winner.status for e in losers)
        final = await two.get_flag(1, flag_id)
        assert (final.status, final.reviewer_name) == (winner.status, winner.reviewer_name)
        assert [e.actor_name for e in await one.review_events(1, flag_id)] == [winner.reviewer_name]


def _finish(child: subprocess.Popen) -> tuple[str, str]:
    """Wait, then read what is left through the same buffered pipe objects readline used (communicate would
    bypass their buffers and drop lines already read ahead)."""
    child.wait(timeout=60)
    return child.stdout.read(), child.stderr.read()


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO)}


def _child_script(path: Path, guild: int, count: int, start: int) -> str:
    """A writer that prints each analysis id only after its transaction committed."""
    return textwrap.dedent(f"""
        import asyncio
        from bot.store import Store
        from tests.store_factory import ARTICLE_FLAGS, make_result
        from tests.test_store_concurrency import article

        async def main():
            async with Store.open({str(path)!r}) as store:
                for n in range({start}, {start + count}):
                    text = article(n) + " " + ("filler words for a longer text. " * 200)
                    saved = await store.save_analysis({guild}, text, make_result(text, ARTICLE_FLAGS),
                                                      engine_version="child")
                    print(saved.id, flush=True)

        asyncio.run(main())
    """)


def test_sigkill_mid_batch_keeps_every_committed_analysis(tmp_path):
    path = tmp_path / "killed.db"
    child = subprocess.Popen([sys.executable, "-c", _child_script(path, guild=7, count=100_000, start=0)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env())
    committed: list[str] = []
    try:
        assert child.stdout is not None
        while len(committed) < 150:
            line = child.stdout.readline()
            assert line, child.stderr.read() if child.stderr else "child died"
            committed.append(line.strip())
    finally:
        os.kill(child.pid, signal.SIGKILL)
        rest, _ = _finish(child)
    committed += rest.split()  # ids printed before the kill are committed too
    assert child.returncode == -signal.SIGKILL

    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        stored = {row[0] for row in conn.execute("SELECT id FROM analyses WHERE guild_id = 7")}
    finally:
        conn.close()
    assert set(committed) <= stored
    assert len(stored) - len(committed) <= 1  # at most the one in flight, if its COMMIT landed before the kill

    async def reopen() -> None:
        async with Store.open(path) as store:
            assert await store.check_integrity() == []
            for short_id in committed[-5:]:
                assert (await store.get_analysis(7, short_id)) is not None
            assert await store.count_search(7, "bridge") == len(stored)

    asyncio.run(reopen())


async def test_cancelled_writes_leave_nothing_half_done(tmp_path):
    """A cog's task can be cancelled at any await; each analysis must then be all there or not there at all."""
    async with Store.open(tmp_path / "cancel.db") as store:
        for steps in range(30):
            task = asyncio.create_task(writer(store, 1, steps))
            for _ in range(steps):
                await asyncio.sleep(0)
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        after = await writer(store, 1, 999)  # the store still works
        assert (await store.get_analysis(1, after)) is not None
        for stored in await store.recent(1, limit=100):
            assert len(stored.flag_ids) == 2 == len(await store.flags_for_analysis(1, stored.id))
        assert await store.check_integrity() == []


async def test_in_memory_database_works_for_quick_experiments():
    async with Store.open(":memory:") as store:
        short_id = await writer(store, 1, 1)
        assert [h.analysis_id for h in await store.search(1, "bridge")] == [short_id]
