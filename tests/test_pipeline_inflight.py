"""In-flight dedup in bot.pipeline.analyse_and_store."""
from __future__ import annotations

import asyncio

import pytest

from bot.errors import BylineError, ForgottenMeanwhile
from bot.pipeline import analyse_and_store
from tests.botkit import ARTICLE, GatedJob, running_bot
from tests.test_workers import wait_started

GUILD, ALICE, BOB = 11, 101, 202


async def test_a_joiner_is_served_when_the_member_who_asked_first_is_forgotten(tmp_path):
    """Bob asks for the same public text Alice's request is analysing; Alice then runs /forget. Alice's request is
    void, but Bob never asked to be forgotten: his request is analysed and stored for him."""
    job = GatedJob()
    async with running_bot(tmp_path, job=job) as bot:
        alice = asyncio.create_task(analyse_and_store(bot, GUILD, ARTICLE, author_id=ALICE))
        await wait_started(job)
        bob = asyncio.create_task(analyse_and_store(bot, GUILD, ARTICLE, author_id=BOB))
        await asyncio.sleep(0.05)  # Bob has joined Alice's job
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
        await asyncio.sleep(0.05)
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
