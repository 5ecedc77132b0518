"""In-flight dedup in bot.pipeline.analyse_and_store."""
from __future__ import annotations

import asyncio
import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from bot import pipeline
from bot.errors import BusyError, BylineError, ForgottenMeanwhile
from bot.pipeline import analyse_and_store, guild_load
from tests.botkit import ARTICLE, GatedJob, rule_job, running_bot
from tests.test_workers import wait_started

GUILD, ALICE, BOB = 11, 101, 202


async def until(condition: Callable[[], bool]) -> None:
    """Let the loop run until ``condition`` holds (bounded: a broken test fails instead of hanging)."""
    for _ in range(3000):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the condition never held")


def claims(bot: Any) -> int:
    """How many claims the guild's requests and analyses hold on its places (a joiner holds one)."""
    return sum(guild_load(bot)._claims.get(GUILD, Counter()).values())


async def test_a_joiner_is_served_when_the_member_who_asked_first_is_forgotten(tmp_path):
    """Bob asks for the same public text Alice's request is analysing; Alice then runs /forget. Alice's request is
    void, but Bob never asked to be forgotten: his request is analysed and stored for him."""
    job = GatedJob()
    async with running_bot(tmp_path, job=job) as bot:
        alice = asyncio.create_task(analyse_and_store(bot, GUILD, ARTICLE, author_id=ALICE))
        await wait_started(job)
        bob = asyncio.create_task(analyse_and_store(bot, GUILD, ARTICLE, author_id=BOB))
        await until(lambda: claims(bot) == 2 + 1)  # Alice's request, the analysis, and Bob who joined it
        assert len(bot.analyses_in_flight) == 1
        await bot.store.forget_user(GUILD, ALICE)
        job.release.set()
        with pytest.raises(ForgottenMeanwhile):
            await alice  # right for Alice
        try:
            stored = await bob
        except BylineError as exc:
            pytest.fail(f"Bob's own request failed because Alice forgot herself: {type(exc).__name__}: "
                        f"{exc.user_message}")
        assert stored is not None and stored.author_id == BOB


async def test_a_request_after_a_forget_me_is_served(tmp_path):
    """Control: same steps but Bob asks after Alice's forget -> Bob gets his analysis."""
    job = GatedJob()
    async with running_bot(tmp_path, job=job) as bot:
        alice = asyncio.create_task(analyse_and_store(bot, GUILD, ARTICLE, author_id=ALICE))
        await wait_started(job)
        await bot.store.forget_user(GUILD, ALICE)
        job.release.set()
        with pytest.raises(ForgottenMeanwhile):
            await alice
        stored = await analyse_and_store(bot, GUILD, ARTICLE, author_id=BOB)
        assert stored.author_id == BOB


async def test_a_first_caller_giving_up_does_not_cancel_the_analysis_for_others(tmp_path):
    job = GatedJob()
    async with running_bot(tmp_path, job=job) as bot:
        alice = asyncio.create_task(analyse_and_store(bot, GUILD, ARTICLE, author_id=ALICE))
        await wait_started(job)
        bob = asyncio.create_task(analyse_and_store(bot, GUILD, ARTICLE, author_id=BOB))
        await until(lambda: claims(bot) == 2 + 1)  # Bob has joined Alice's analysis before she gives up
        alice.cancel()
        job.release.set()
        stored = await asyncio.wait_for(bob, 10)
        assert stored.id
        await asyncio.sleep(0)
        assert not bot.analyses_in_flight


async def test_an_optout_while_the_text_is_analysed_stores_nothing(tmp_path):
    """README: members who run /optout are never stored, even when the /optout lands mid-analysis."""
    from bot.errors import OptedOutMeanwhile

    job = GatedJob()
    async with running_bot(tmp_path, job=job) as bot:
        alice = asyncio.create_task(analyse_and_store(bot, GUILD, ARTICLE, author_id=ALICE))
        await wait_started(job)
        await bot.store.set_opt_out(GUILD, ALICE, True)
        job.release.set()
        with pytest.raises(OptedOutMeanwhile):
            await alice
        assert await bot.store.recent(GUILD, viewer_id="staff") == []
        assert (await analyse_and_store(bot, GUILD, ARTICLE, author_id=BOB)).author_id == BOB


# --- a forget-me of the member who asked first: the others still share one analysis --------------------------


class CountingGates:
    """The first analysis waits for ``first``, every later one for ``later``; counts them all."""

    def __init__(self) -> None:
        self.first, self.later = threading.Event(), threading.Event()
        self.started = threading.Semaphore(0)
        self.calls = 0
        self._lock = threading.Lock()

    def __call__(self, text: str, sentences: int | None) -> dict[str, Any]:
        with self._lock:
            self.calls += 1
            n = self.calls
        self.started.release()
        (self.first if n == 1 else self.later).wait(30)
        return rule_job(text, sentences)


async def test_after_the_first_requesters_forget_me_the_others_share_one_new_analysis(tmp_path):
    """Alice's request started the analysis; four members and Alice again joined it; Alice runs /forget. The text is
    analysed once more for the four, as one shared analysis under the one place (not once per member, which let
    one server run more analyses than its share), and Alice's second request is void like her first."""
    job = CountingGates()
    async with running_bot(tmp_path, job=job, queue_size=8) as bot:
        alice = asyncio.create_task(analyse_and_store(bot, GUILD, ARTICLE, author_id=ALICE))
        assert await asyncio.to_thread(job.started.acquire, True, 10)
        others = [asyncio.create_task(analyse_and_store(bot, GUILD, ARTICLE, author_id=BOB + n)) for n in range(4)]
        alice_again = asyncio.create_task(analyse_and_store(bot, GUILD, ARTICLE, author_id=ALICE))
        await until(lambda: claims(bot) == 2 + 5)  # Alice's request, the analysis, and the five who joined it
        await bot.store.forget_user(GUILD, ALICE)
        job.first.set()
        with pytest.raises(ForgottenMeanwhile):
            await alice
        with pytest.raises(ForgottenMeanwhile):
            await alice_again
        assert await asyncio.to_thread(job.started.acquire, True, 10)  # the analysis again, for the four
        assert len(bot.analyses_in_flight) == 1 and guild_load(bot).held(GUILD) == 1
        job.later.set()
        stored = await asyncio.wait_for(asyncio.gather(*others), 30)
        assert len({s.id for s in stored}) == 1 and stored[0].author_id in {BOB + n for n in range(4)}
        assert job.calls == 2, f"{job.calls} analyses of one text: each joiner ran its own"
        assert not bot.analyses_in_flight and guild_load(bot).held(GUILD) == 0


async def test_forget_me_after_forget_me_stops_after_a_few_restarts(tmp_path, monkeypatch):
    """Each member who starts the analysis again forgets themself during it: after FORGOTTEN_RESTARTS new starts
    the remaining requests are told to try again (BusyError), rather than analysing on and on."""
    job = GatedJob()
    started_by: list[int] = []
    real = pipeline._analyse_and_save

    async def forgetful(bot: Any, guild_id: int, text: str, version: str, **meta: Any) -> Any:
        started_by.append(meta["author_id"])
        await bot.store.forget_user(guild_id, meta["author_id"])  # the /forget lands during the analysis
        return await real(bot, guild_id, text, version, **meta)

    monkeypatch.setattr(pipeline, "_analyse_and_save", forgetful)
    async with running_bot(tmp_path, job=job, queue_size=8) as bot:
        alice = asyncio.create_task(analyse_and_store(bot, GUILD, ARTICLE, author_id=ALICE))
        await wait_started(job)
        joiners = [asyncio.create_task(analyse_and_store(bot, GUILD, ARTICLE, author_id=BOB + n)) for n in range(6)]
        await until(lambda: claims(bot) == 2 + 6)
        job.release.set()
        results = await asyncio.wait_for(asyncio.gather(alice, *joiners, return_exceptions=True), 30)
        assert len(started_by) == pipeline.FORGOTTEN_RESTARTS + 1  # the first analysis and its restarts
        assert len(set(started_by)) == len(started_by)
        voided = [r for r in results if type(r) is ForgottenMeanwhile]
        busy = [r for r in results if isinstance(r, BusyError)]
        assert len(voided) == len(started_by) and len(busy) == len(results) - len(started_by), results
        assert not bot.analyses_in_flight and guild_load(bot).held(GUILD) == 0
