"""While Byline is restarting, 📰 reactions spend the same allowances as answers: the "restarting" reply is public too.

The bug this guards against:

``on_raw_reaction_add`` skips the user and channel allowances when the request is refused (``refused is not None``),
and the "restarting" reply is not final, so the message is not remembered. During the shutdown grace period (25 s
by default, up to 600 s by config) one member toggling 📰 on one message, or on many messages, gets one message
fetch and one public reply per toggle: an unthrottled way to flood a channel (and to spend Discord's REST budget,
which the allowances exist to guard).
"""

from __future__ import annotations

import asyncio
from unittest import mock

import pytest

from cogs.links import LinksCog
from tests.botkit import ARTICLE, running_bot
from tests.helpers import make_channel, make_guild, make_member, make_message
from tests.test_cog_links import fetchable, reaction


@pytest.fixture
async def bot(tmp_path):
    async with running_bot(tmp_path, user_rate_per_minute=2, channel_rate_per_minute=3) as bot:
        yield bot


async def test_one_member_toggling_a_reaction_during_the_restart_is_held_to_their_allowance(bot):
    cog = LinksCog(bot)
    guild = make_guild()
    message = fetchable(make_message(content=ARTICLE, guild=guild))
    member = make_member(guild=guild)
    bot.drain.begin()  # Byline is restarting: accepted work still runs, new requests are refused
    with mock.patch.object(bot, "get_channel", autospec=True, return_value=message.channel):
        for _ in range(20):  # remove and add the 📰 again, twenty times
            await asyncio.create_task(cog.on_raw_reaction_add(reaction(message, user=member)))
    fetches = message.channel.fetch_message.await_count
    replies = message.reply.await_count
    assert replies <= 2 and fetches <= 2, (
        f"one member's 20 reactions during the restart cost {fetches} message fetches and {replies} public "
        f"'restarting' replies (user allowance 2/min, channel 3/min)")


async def test_many_messages_during_the_restart_are_held_to_the_channels_allowance(bot):
    cog = LinksCog(bot)
    guild = make_guild()
    channel = make_channel(guild=guild)
    messages = [fetchable(make_message(content=f"{ARTICLE} Edition {i}.", channel=channel)) for i in range(15)]
    bot.drain.begin()
    with mock.patch.object(bot, "get_channel", autospec=True, return_value=channel):
        for message in messages:  # fifteen members, one 📰 each, on fifteen messages
            await asyncio.create_task(cog.on_raw_reaction_add(reaction(message, user=make_member(guild=guild))))
    replies = sum(m.reply.await_count for m in messages)
    assert replies <= 3, f"{replies} public 'restarting' replies in one channel whose allowance is 3 a minute"
