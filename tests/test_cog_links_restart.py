"""One reply per message across restarts: the stored reply says which member's message it answered.

Each test answers a message, then starts a new bot on the same database file (a restart: new cog, empty memory).
"""

from __future__ import annotations

from unittest import mock

import discord
import pytest

from cogs.links import LinksCog
from tests.botkit import ARTICLE, running_bot
from tests.helpers import make_channel, make_guild, make_member, make_message, next_id
from tests.pageserver import serve
from tests.test_cog_links import fetchable, reaction


@pytest.fixture
async def pages():
    async with serve() as state:
        yield state


def answered_message(guild, channel):
    message = fetchable(make_message(content=ARTICLE, channel=channel))
    message.reply.return_value = make_message(channel=channel, message_id=next_id())
    return message


async def react(bot, message, **kwargs):
    cog = LinksCog(bot)
    with mock.patch.object(bot, "get_channel", autospec=True, return_value=message.channel):
        await cog.on_raw_reaction_add(reaction(message, **kwargs))
    return cog


async def test_a_reaction_after_a_restart_on_an_answered_message_gets_no_second_reply(tmp_path):
    """After a restart, a 📰 on a message Byline answered fetches nothing, replies nothing and spends no allowance."""
    guild = make_guild()
    channel = make_channel(guild=guild)
    message = answered_message(guild, channel)
    async with running_bot(tmp_path) as bot:
        await react(bot, message)
    assert message.reply.await_count == 1 and channel.fetch_message.await_count == 1
    latecomer = make_member(guild=guild)
    async with running_bot(tmp_path, user_rate_per_minute=1) as bot:  # restarted: the same database file
        cog = await react(bot, message, user=latecomer)
        assert message.reply.await_count == 1 and channel.fetch_message.await_count == 1
        other = answered_message(guild, channel)
        with mock.patch.object(bot, "get_channel", autospec=True, return_value=channel):
            await cog.on_raw_reaction_add(reaction(other, user=latecomer))
        assert other.reply.await_count == 1  # the latecomer's one 📰 a minute was not spent on the answered message


async def test_a_reaction_after_a_restart_on_a_message_that_got_an_auto_reply_gets_no_second_reply(tmp_path, pages):
    guild = make_guild()
    channel = make_channel(guild=guild)
    message = fetchable(make_message(content=f"look {pages.url('/article')}", channel=channel))
    message.reply.return_value = make_message(channel=channel, message_id=next_id())
    async with running_bot(tmp_path) as bot:
        await bot.store.update_settings(guild.id, autoreply_channel_ids=[channel.id])
        await LinksCog(bot).on_message(message)
    assert message.reply.await_count == 1
    async with running_bot(tmp_path) as bot:
        await react(bot, message)
    assert message.reply.await_count == 1 and channel.fetch_message.await_count == 0


async def test_a_deleted_reply_leaves_the_message_free_for_a_new_reaction_before_and_after_a_restart(tmp_path):
    """A moderator deleted Byline's reply: a new 📰 may answer again, in the same run and after a restart."""
    guild = make_guild()
    channel = make_channel(guild=guild)
    message = answered_message(guild, channel)
    async with running_bot(tmp_path) as bot:
        cog = await react(bot, message)
        sent = message.reply.return_value
        deleted = discord.RawMessageDeleteEvent({"id": sent.id, "channel_id": channel.id, "guild_id": guild.id})
        await cog.on_raw_message_delete(deleted)
        message.reply.return_value = make_message(channel=channel, message_id=next_id())
        with mock.patch.object(bot, "get_channel", autospec=True, return_value=channel):
            await cog.on_raw_reaction_add(reaction(message))
        assert message.reply.await_count == 2  # answered again in the same run
        bulk = discord.RawBulkMessageDeleteEvent({"ids": [next_id(), message.reply.return_value.id],
                                                  "channel_id": channel.id, "guild_id": guild.id})
        await cog.on_raw_bulk_message_delete(bulk)  # a purge takes the second reply
        assert not await bot.store.replied_to(guild.id, message.id)
    async with running_bot(tmp_path) as bot:
        await react(bot, message)
    assert message.reply.await_count == 3


async def test_another_members_deleted_message_keeps_the_answer(tmp_path):
    """A deleted message that is not Byline's changes nothing."""
    guild = make_guild()
    channel = make_channel(guild=guild)
    message = answered_message(guild, channel)
    async with running_bot(tmp_path) as bot:
        cog = await react(bot, message)
        other = discord.RawMessageDeleteEvent({"id": next_id(), "channel_id": channel.id, "guild_id": guild.id})
        await cog.on_raw_message_delete(other)
        assert await bot.store.replied_to(guild.id, message.id)
    async with running_bot(tmp_path) as bot:
        await react(bot, message)
    assert message.reply.await_count == 1
