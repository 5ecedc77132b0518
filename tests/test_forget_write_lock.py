"""/forget and the store's write lock: emptying the write-ahead log waits up to a second for readers while holding the
lock every other write needs, so it must run only when something was erased, and a member may not repeat the
command without limit."""

from __future__ import annotations

import asyncio

import pytest

from bot import config
from bot.errors import RateLimited
from cogs.library import Library
from tests.helpers import make_guild, make_interaction, make_member, make_store_bot


async def _confirm_forget(cog: Library, store, guild, member):
    inter = make_interaction(client=make_store_bot(store), guild=guild, user=member)
    await cog.forget.callback(cog, inter)
    view = inter.response.send_message.await_args.kwargs["view"]
    click = make_interaction(guild=guild, user=member)
    await asyncio.wait_for(view.confirm.callback(click), timeout=30)
    return click.edit_original_response.await_args.kwargs["content"]


@pytest.fixture
def checkpoints(store, monkeypatch) -> list[int]:
    """One entry per time the store empties its write-ahead log (the real step still runs)."""
    calls: list[int] = []
    real = store._checkpoint

    async def counted() -> bool:
        calls.append(1)
        return await real()

    monkeypatch.setattr(store, "_checkpoint", counted)
    return calls


async def test_a_forget_of_nothing_does_not_empty_the_log(store, checkpoints):
    guild = make_guild()
    cog = Library(make_store_bot(store))
    content = await _confirm_forget(cog, store, guild, make_member(guild=guild))
    assert "Deleted 0 article(s)" in content
    assert checkpoints == []


async def test_a_forget_that_erased_something_still_empties_the_log(store, checkpoints):
    from tests.test_store_forget import OWN_TEXT, save  # the forget tests' own way to store a member's article

    guild = make_guild()
    member = make_member(guild=guild)
    await save(store, guild.id, OWN_TEXT, member.id)
    checkpoints.clear()  # saving may empty the log too; only the forget's own counts here
    cog = Library(make_store_bot(store))
    content = await _confirm_forget(cog, store, guild, member)
    assert "Deleted 1 article(s)" in content
    assert checkpoints == [1]


async def test_forget_counts_against_the_members_allowance(store):
    settings = config.load(None, {"BYLINE_DISCORD_LIBRARY_RATE_PER_MINUTE": "2"})
    guild = make_guild()
    member = make_member(guild=guild)
    cog = Library(make_store_bot(store, settings))
    for _ in range(2):
        await cog.forget.callback(cog, make_interaction(client=make_store_bot(store), guild=guild, user=member))
    refused = make_interaction(client=make_store_bot(store), guild=guild, user=member)
    with pytest.raises(RateLimited):
        await cog.forget.callback(cog, refused)
    refused.response.send_message.assert_not_awaited()
