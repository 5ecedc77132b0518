"""Moderator and server-manager rights, decided at run time from resolved permissions and the guild's settings."""

from __future__ import annotations

from unittest import mock

import discord
import pytest
from discord import app_commands

from bot.checks import (
    ManagerCheckFailure,
    ModeratorCheckFailure,
    can_manage_server,
    interaction_is_moderator,
    is_moderator,
    require_manager,
    require_moderator,
)
from bot.errors import BylineError, NotModerator, NotServerManager, StoreError
from bot.interaction_errors import describe
from bot.store import GuildSettings
from cogs.review import Review
from tests.botkit import running_bot
from tests.helpers import make_guild, make_interaction, make_member, make_permissions, make_role, make_store_bot


def _member_with_role(role):
    member = make_member(roles=[role])
    member.get_role.side_effect = lambda rid: role if rid == role.id else None
    return member


@pytest.mark.parametrize(("perms", "expected"), [
    ({"manage_messages": True}, True),
    ({"administrator": True}, True),
    ({"send_messages": True, "manage_channels": True}, False),
    ({}, False),
])
def test_is_moderator_by_permission(perms, expected):
    """Manage Messages (or administrator, which implies it) makes a moderator; other rights do not."""
    settings = GuildSettings(guild_id=1)
    assert is_moderator(make_member(permissions=make_permissions(**perms)), settings) is expected


def test_is_moderator_by_configured_role():
    """The guild's mod role is enough; a different role is not."""
    role, other = make_role(name="mods"), make_role(name="fans")
    settings = GuildSettings(guild_id=1, mod_role_id=role.id)
    assert is_moderator(_member_with_role(role), settings)
    assert not is_moderator(_member_with_role(other), settings)
    assert not is_moderator(_member_with_role(role), GuildSettings(guild_id=1))


async def test_manage_messages_in_one_channel_does_not_make_a_moderator(store):
    """Moderating is server-wide (/export hands out every flag), so a channel overwrite granting Manage Messages
    is not enough, and a server-wide moderator stays one in a channel whose overwrites take it away."""
    channel_only = make_interaction(client=make_store_bot(store), user=make_member(permissions=make_permissions()))
    channel_only.permissions = make_permissions(manage_messages=True)
    assert not await interaction_is_moderator(channel_only)
    with pytest.raises(ModeratorCheckFailure):
        await require_moderator(channel_only)
    server_wide = make_interaction(client=make_store_bot(store),
                                   user=make_member(permissions=make_permissions(manage_messages=True)))
    server_wide.permissions = make_permissions(send_messages=True)
    assert await interaction_is_moderator(server_wide)


def test_non_permission_object_fails_closed():
    """Anything that is not a real Permissions object is ignored rather than read as truthy rights."""
    member = make_member()
    member.guild_permissions = object()
    assert not is_moderator(member, GuildSettings(guild_id=1))


@pytest.mark.parametrize(("perms", "expected"), [
    ({"manage_guild": True}, True), ({"administrator": True}, True), ({"manage_messages": True}, False), ({}, False),
])
def test_can_manage_server(perms, expected):
    """Only Manage Server (or administrator) may change settings; moderating is not enough."""
    assert can_manage_server(make_member(), permissions=make_permissions(**perms)) is expected


async def test_require_moderator_reads_the_guilds_settings(store):
    """The mod role comes from the store at run time, so a change applies to the next click."""
    guild = make_guild()
    role = make_role(name="mods")
    inter = make_interaction(client=make_store_bot(store), guild=guild, user=_member_with_role(role))
    inter.permissions = make_permissions()
    assert not await interaction_is_moderator(inter)
    with pytest.raises(ModeratorCheckFailure):
        await require_moderator(inter)
    await store.update_settings(guild.id, mod_role_id=role.id)
    assert await interaction_is_moderator(inter)
    await require_moderator(inter)


async def test_require_manager_refuses_moderators(store):
    """A moderator without Manage Server is refused with NotServerManager."""
    inter = make_interaction(client=make_store_bot(store))
    inter.permissions = make_permissions(manage_messages=True)
    with pytest.raises(ManagerCheckFailure) as caught:
        await require_manager(inter)
    assert isinstance(caught.value, NotServerManager)
    inter.permissions = make_permissions(manage_guild=True)
    await require_manager(inter)


def test_check_failures_reach_the_one_error_handler_with_their_message():
    """They are AppCommandErrors (so the tree routes them) and BylineErrors (so the handler shows the text)."""
    for error, base in ((ModeratorCheckFailure(), NotModerator), (ManagerCheckFailure(), NotServerManager)):
        assert isinstance(error, app_commands.CheckFailure) and isinstance(error, BylineError)
        assert isinstance(error, base)
        assert describe(error, make_interaction()) == base.user_message


async def test_dm_interaction_is_never_a_moderator(store):
    """Without a guild there are no settings and no rights."""
    inter = make_interaction(client=make_store_bot(store), in_guild=False)
    inter.permissions = make_permissions(administrator=True)
    assert not await interaction_is_moderator(inter)


async def test_a_busy_store_inside_the_moderator_check_still_answers_the_moderator(tmp_path):
    """The tree forwards only AppCommandErrors raised by checks: a StoreError while loading the guild's settings must
    be carried to on_error (and the member told the store is busy), not escape into a task nobody awaits."""
    async with running_bot(tmp_path) as bot:
        await bot.add_cog(Review(bot))
        guild = make_guild()
        mod = make_member(guild=guild, permissions=make_permissions(manage_messages=True))
        inter = make_interaction(client=bot, guild=guild, user=mod)
        inter.type = discord.InteractionType.application_command
        inter.data = {"type": 1, "id": "1", "name": "review", "options": [{"type": 1, "name": "queue", "options": []}]}
        inter.command_failed = False
        busy = StoreError("The database stayed busy for too long; please try again.")
        with mock.patch.object(bot.store, "get_settings", side_effect=busy):
            await bot.tree._call(inter)  # what the tree's own task runs: nothing may escape it
        inter.response.send_message.assert_awaited_once()
        args, kwargs = inter.response.send_message.await_args
        assert args[0] == busy.user_message and kwargs["ephemeral"] is True
