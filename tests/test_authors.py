"""Whose words a message carries (cogs/_authors.py): real Store, real MessageReference, spec'd messages and bot."""

from __future__ import annotations

from unittest import mock

import discord
import pytest
from discord.state import ConnectionState

from bot.errors import RateLimited
from bot.store import Store
from cogs._authors import (
    ForwardLookupFailed,
    ForwardUnresolved,
    Source,
    forward_misses,
    message_source,
    opted_out,
)
from tests.helpers import bot_sees, http_error, make_channel, make_forward, make_guild, make_message, make_store_bot


@pytest.fixture
async def bot(tmp_path):
    async with Store.open(tmp_path / "authors.db") as store:
        yield make_store_bot(store)


def forward_pair(bot, guild=None, *, content: str = "Council approves the bridge."):
    """A forward and the original it points at, in another channel of the same guild (by default)."""
    guild = guild or make_guild()
    origin = make_channel(guild=guild, name="origin")
    original = make_message(content=content, channel=origin)
    origin.fetch_message.return_value = original
    state = mock.create_autospec(ConnectionState, instance=True)  # whose cache a real reference consults
    state._get_message.return_value = None
    forward = make_forward(state, make_message(guild=guild), content, original)
    forward.reference._state = state
    return forward, original


async def test_a_message_that_is_not_a_forward_is_its_posters(bot):
    message = make_message(content="hello")
    assert await message_source(bot, message) == Source(message.author.id, message.guild.id)
    bot.get_channel.assert_not_called()


async def test_a_forward_is_its_originals_authors(bot):
    forward, original = forward_pair(bot)
    with bot_sees(bot, forward.channel, original.channel):
        assert await message_source(bot, forward) == Source(original.author.id, original.guild.id)


async def test_a_cached_original_needs_no_request(bot):
    forward, original = forward_pair(bot)
    forward.reference._state._get_message.return_value = original
    assert await message_source(bot, forward) == Source(original.author.id, original.guild.id)
    original.channel.fetch_message.assert_not_awaited()


@pytest.mark.parametrize("failure", [
    http_error(discord.NotFound, 404, 10008, "Unknown Message"),
    http_error(discord.Forbidden, 403, 50001, "Missing Access"),
])
async def test_an_original_discord_will_not_hand_over_is_unresolved(bot, failure):
    forward, original = forward_pair(bot)
    original.channel.fetch_message.side_effect = failure
    with bot_sees(bot, forward.channel, original.channel), pytest.raises(ForwardUnresolved):
        await message_source(bot, forward)


async def test_an_original_discord_refused_is_not_asked_for_again_by_anyone_on_the_bot(bot):
    """One memory of refusals per bot, shared by the auto-reply, 📰 and the message menu alike."""
    forward, original = forward_pair(bot)
    original.channel.fetch_message.side_effect = http_error(discord.Forbidden, 403, 50001, "Missing Access")
    with bot_sees(bot, forward.channel, original.channel):
        for _ in range(3):
            with pytest.raises(ForwardUnresolved) as caught:
                await message_source(bot, forward)
            assert not caught.value.transient
    original.channel.fetch_message.assert_awaited_once()
    assert forward_misses(bot) is forward_misses(bot)
    assert (original.channel.id, original.id) in forward_misses(bot)


@pytest.mark.parametrize("failure", [
    TimeoutError(),  # what asyncio.timeout raises once FORWARD_LOOKUP_SECONDS pass: Discord slow, not a refusal
    http_error(discord.DiscordServerError, 503, 0, "Service Unavailable"),
])
async def test_a_look_up_discord_did_not_answer_is_a_passing_failure_and_not_remembered(bot, failure):
    forward, original = forward_pair(bot)
    original.channel.fetch_message.side_effect = failure
    with bot_sees(bot, forward.channel, original.channel):
        with pytest.raises(ForwardLookupFailed) as caught:
            await message_source(bot, forward)
        assert caught.value.transient and "try again" in caught.value.user_message
        original.channel.fetch_message.side_effect = None  # Discord answers again
        assert await message_source(bot, forward) == Source(original.author.id, original.guild.id)
    assert original.channel.fetch_message.await_count == 2


async def test_before_lookup_is_called_only_for_a_request_to_discord(bot):
    """The hook an auto-reply spends its channel allowance in: not for a plain message, a cached original, a refusal
    needing no request or one remembered; once for a look-up; and what it raises stops the look-up."""
    calls: list[int] = []

    def hook() -> None:
        calls.append(1)

    await message_source(bot, make_message(content="hello"), before_lookup=hook)
    cached, original = forward_pair(bot)
    cached.reference._state._get_message.return_value = original
    await message_source(bot, cached, before_lookup=hook)
    elsewhere, _ = forward_pair(bot)
    with bot_sees(bot, make_channel()), pytest.raises(ForwardUnresolved):  # Byline is not in its server
        await message_source(bot, elsewhere, before_lookup=hook)
    assert calls == []
    forward, original = forward_pair(bot)
    with bot_sees(bot, forward.channel, original.channel):
        assert await message_source(bot, forward, before_lookup=hook) == Source(original.author.id, original.guild.id)
    assert calls == [1]
    refused, hidden = forward_pair(bot)
    hidden.channel.fetch_message.side_effect = http_error(discord.NotFound, 404, 10008, "Unknown Message")
    with bot_sees(bot, refused.channel, hidden.channel):
        for _ in range(2):
            with pytest.raises(ForwardUnresolved):
                await message_source(bot, refused, before_lookup=hook)
    assert calls == [1, 1]  # the second time, the remembered refusal
    limited, original = forward_pair(bot)

    def over_the_limit() -> None:
        raise RateLimited(30)

    with bot_sees(bot, limited.channel, original.channel), pytest.raises(RateLimited):
        await message_source(bot, limited, before_lookup=over_the_limit)
    original.channel.fetch_message.assert_not_awaited()
    assert (original.channel.id, original.id) not in forward_misses(bot)  # not Discord's refusal: asked next time


async def test_a_forward_from_a_dm_or_a_server_byline_is_not_in_costs_no_request(bot):
    forward, original = forward_pair(bot)
    with bot_sees(bot, make_channel()), pytest.raises(ForwardUnresolved):  # Byline is only in another server
        await message_source(bot, forward)
    forward.reference.guild_id = None  # forwarded out of a DM
    with bot_sees(bot, forward.channel, original.channel), pytest.raises(ForwardUnresolved):
        await message_source(bot, forward)
    original.channel.fetch_message.assert_not_awaited()
    bot.fetch_channel.assert_not_awaited()


async def test_an_answer_about_another_message_is_not_taken_for_the_original(bot):
    forward, original = forward_pair(bot)
    original.channel.fetch_message.return_value = make_message(channel=original.channel)
    with bot_sees(bot, forward.channel, original.channel), pytest.raises(ForwardUnresolved):
        await message_source(bot, forward)


async def test_a_snapshot_without_a_forward_reference_is_unresolved(bot):
    forward, _ = forward_pair(bot)
    forward.reference = discord.MessageReference(message_id=forward.reference.message_id,
                                                 channel_id=forward.reference.channel_id)  # a plain reply
    with pytest.raises(ForwardUnresolved):
        await message_source(bot, forward)


async def test_an_opt_out_of_the_poster_the_author_or_in_the_authors_server_counts(bot):
    here, there = make_guild(), make_guild()
    forward, original = forward_pair(bot, there)
    forward.guild = here
    source = Source(original.author.id, there.id)
    assert not await opted_out(bot, here.id, forward, source)
    for guild_id, user_id in ((here.id, forward.author.id), (here.id, original.author.id),
                              (there.id, original.author.id)):
        await bot.store.set_opt_out(guild_id, user_id, True)
        assert await opted_out(bot, here.id, forward, source)
        await bot.store.set_opt_out(guild_id, user_id, False)
