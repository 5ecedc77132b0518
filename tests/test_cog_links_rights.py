"""Auto-replies in a channel where Byline may not answer: nothing is fetched, analysed or stored for a reply Discord
would refuse, and a reply that fails anyway leaves the message open to a later 📰."""
from __future__ import annotations

import logging
from unittest import mock

import discord
import pytest

from cogs.links import LinksCog, missing_reply_rights
from tests.botkit import running_bot
from tests.e2e.payloads import World, snowflake
from tests.helpers import http_error, make_channel, make_guild, make_member, make_message, make_permissions
from tests.pageserver import serve
from tests.test_cog_links import fetchable, reaction

ALL_RIGHTS = {"view_channel": True, "send_messages": True, "send_messages_in_threads": True, "embed_links": True,
              "read_message_history": True}


@pytest.fixture
async def pages():
    async with serve() as state:
        yield state


async def channel_with_rights(bot, **rights: bool):
    """An auto-reply channel whose rights for Byline's own member are ``ALL_RIGHTS`` changed by ``rights``."""
    guild = make_guild()
    guild.me = make_member(guild=guild, bot=True)
    channel = make_channel(guild=guild)
    channel.permissions_for.return_value = make_permissions(**{**ALL_RIGHTS, **rights})
    await bot.store.update_settings(guild.id, autoreply_channel_ids=[channel.id])
    return channel


@pytest.mark.parametrize("lacking", ["send_messages", "embed_links", "read_message_history"])
async def test_without_the_rights_to_reply_nothing_is_fetched_stored_or_sent(tmp_path, pages, caplog, lacking):
    async with running_bot(tmp_path) as bot:
        channel = await channel_with_rights(bot, **{lacking: False})
        message = make_message(content=pages.url("/article"), channel=channel)
        with caplog.at_level(logging.INFO, logger="cogs.links"):
            await LinksCog(bot).on_message(message)
        message.reply.assert_not_awaited()
        assert pages.hits["/article"] == 0 and await bot.store.recent(channel.guild.id) == []
        skipped = [r for r in caplog.records if r.name == "cogs.links"]
        assert len(skipped) == 1 and lacking in skipped[0].getMessage()
        channel.permissions_for.assert_called_with(channel.guild.me)


async def test_with_the_rights_the_auto_reply_is_sent(tmp_path, pages):
    async with running_bot(tmp_path) as bot:
        channel = await channel_with_rights(bot)
        message = make_message(content=pages.url("/article"), channel=channel)
        await LinksCog(bot).on_message(message)
        message.reply.assert_awaited_once()
        (stored,) = await bot.store.recent(channel.guild.id)
        (embed,) = message.reply.await_args.kwargs["embeds"]  # the analysis itself, not an apology
        assert stored.id in embed.footer.text and pages.hits["/article"] == 1


async def test_a_refused_auto_reply_leaves_the_message_open_to_a_later_reaction(tmp_path, pages):
    """Rights can change between the check and the send: a failed reply does not count as the message's answer."""
    async with running_bot(tmp_path) as bot:
        cog = LinksCog(bot)
        channel = await channel_with_rights(bot)
        message = fetchable(make_message(content=pages.url("/article"), channel=channel))
        message.reply.side_effect = http_error(discord.Forbidden, 403, 50013, "Missing Permissions")
        await cog.on_message(message)
        message.reply.side_effect = None  # the moderators fixed the channel's rights
        with mock.patch.object(bot, "get_channel", autospec=True, return_value=channel):
            await cog.on_raw_reaction_add(reaction(message))
        assert message.reply.await_count == 2
        assert "embeds" in message.reply.await_args.kwargs


def test_a_thread_needs_the_right_to_send_in_threads():
    guild = make_guild()
    guild.me = make_member(guild=guild, bot=True)
    thread = mock.create_autospec(discord.Thread, instance=True, spec_set=True)
    thread.guild = guild
    thread.permissions_for.return_value = make_permissions(**{**ALL_RIGHTS, "send_messages_in_threads": False})
    assert missing_reply_rights(thread) == ["send_messages_in_threads"]
    thread.permissions_for.return_value = make_permissions(**{**ALL_RIGHTS, "send_messages": False})
    assert missing_reply_rights(thread) == []


def thread_without_its_parent():
    """A real discord.py thread whose parent channel is not in the cache (Thread.permissions_for then raises)."""
    world = World()
    data = world.guild_create()
    thread_id = snowflake()
    data["threads"] = [{"id": thread_id, "type": 11, "name": "a post", "guild_id": world.guild_id,
                        "parent_id": snowflake(), "owner_id": world.people["mod"].user["id"], "last_message_id": None,
                        "rate_limit_per_user": 0, "message_count": 1, "member_count": 1, "flags": 0,
                        "thread_metadata": {"archived": False, "auto_archive_duration": 1440,
                                            "archive_timestamp": "2024-01-01T00:00:00+00:00", "locked": False}}]
    state = discord.Client(intents=discord.Intents.default())._connection
    state.user = discord.ClientUser(state=state, data=world.bot.user)  # type: ignore[arg-type]
    guild = discord.Guild(data=data, state=state)  # type: ignore[arg-type]
    state._add_guild(guild)
    return guild.get_thread(int(thread_id))


def test_rights_in_a_thread_whose_parent_is_not_cached_are_not_checked(caplog):
    """discord.py cannot work them out there; the check says so in the log instead of raising into the listener."""
    thread = thread_without_its_parent()
    assert thread.parent is None and isinstance(thread.guild.me, discord.Member)
    with pytest.raises(discord.ClientException):
        thread.permissions_for(thread.guild.me)
    with caplog.at_level(logging.INFO, logger="cogs.links"):
        assert missing_reply_rights(thread) == []
    assert "cannot be worked out" in caplog.text


async def test_a_link_in_a_thread_whose_parent_is_not_cached_is_still_answered(tmp_path, pages):
    async with running_bot(tmp_path) as bot:
        thread = thread_without_its_parent()
        await bot.store.update_settings(thread.guild.id, autoreply_channel_ids=[thread.id])
        message = make_message(content=pages.url("/article"), channel=thread)
        await LinksCog(bot).on_message(message)
        message.reply.assert_awaited_once()
        (stored,) = await bot.store.recent(thread.guild.id, viewer_id=message.author.id)
        assert stored.private  # whether @everyone can read the thread is unknown too: kept private


@pytest.mark.parametrize("lacking", ["send_messages", "embed_links", "read_message_history"])
async def test_a_reaction_where_byline_cannot_reply_fetches_and_analyses_nothing(tmp_path, pages, caplog, lacking):
    """📰 goes through the auto-reply's own check, before the message is even fetched, and stays open to a retry."""
    async with running_bot(tmp_path) as bot:
        cog = LinksCog(bot)
        channel = await channel_with_rights(bot, **{lacking: False})
        message = fetchable(make_message(content=pages.url("/article"), channel=channel))
        with mock.patch.object(bot, "get_channel", autospec=True, return_value=channel), \
                caplog.at_level(logging.INFO, logger="cogs.links"):
            await cog.on_raw_reaction_add(reaction(message))
        channel.fetch_message.assert_not_awaited()
        message.reply.assert_not_awaited()
        assert pages.hits["/article"] == 0 and await bot.store.recent(channel.guild.id) == []
        assert lacking in caplog.text
        channel.permissions_for.return_value = make_permissions(**ALL_RIGHTS)  # the moderators fixed the rights
        with mock.patch.object(bot, "get_channel", autospec=True, return_value=channel):
            await cog.on_raw_reaction_add(reaction(message))
        assert "embeds" in message.reply.await_args.kwargs
