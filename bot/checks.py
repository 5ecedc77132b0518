"""Who may do what: moderator and server-manager rights, decided at run time.

``default_permissions`` on a command only hides it by default, and server admins can change that, so every
moderator action calls these functions again when it runs. The member comes with the interaction payload
because the bot does not request the members intent and cannot rely on a member cache.

Being a Byline moderator is a server-wide role (``/export`` hands out the whole server's flags and reviewer
names), so it is decided from the member's server-wide rights, never from rights granted in one channel:
Manage Messages given in a single channel's overwrites must not make someone a moderator there.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

import discord
from discord import app_commands

from bot.errors import NotModerator, NotServerManager

if TYPE_CHECKING:
    from bot.store import GuildSettings

log = logging.getLogger(__name__)

T = TypeVar("T")


class ModeratorCheckFailure(NotModerator, app_commands.CheckFailure):
    """NotModerator that discord.py's tree routes to ``on_error``.

    The tree only forwards ``AppCommandError``s raised by checks; anything else escapes into an unlogged task.
    Being both classes keeps the one error handler simple: it sees a BylineError with a user-safe message.
    """


class CheckCouldNotRun(app_commands.CheckFailure):
    """A check that broke before it could decide (the store was busy): routed to ``on_error``, which answers with
    what ``original`` says, as for any error inside a command."""

    def __init__(self, original: Exception) -> None:
        super().__init__(f"the check could not run: {type(original).__name__}")
        self.original = original


class ManagerCheckFailure(NotServerManager, app_commands.CheckFailure):
    """NotServerManager that discord.py's tree routes to ``on_error`` (see ModeratorCheckFailure)."""


def _resolved_permissions(member: discord.abc.User, permissions: discord.Permissions | None) -> discord.Permissions:
    """Prefer the channel-resolved permissions Discord sent; fall back to guild permissions; else none (fail closed)."""
    if isinstance(permissions, discord.Permissions):
        return permissions
    guild_permissions = getattr(member, "guild_permissions", None)
    return guild_permissions if isinstance(guild_permissions, discord.Permissions) else discord.Permissions.none()


def _has_role(member: discord.abc.User, role_id: int) -> bool:
    """True when the member holds ``role_id`` (a plain User, e.g. from a DM, holds no roles)."""
    if not isinstance(member, discord.Member):
        return False
    return member.get_role(role_id) is not None or any(role.id == role_id for role in member.roles)


def _guild_permissions(member: discord.abc.User) -> discord.Permissions:
    """The member's server-wide rights (roles only, no channel overwrites); none for a plain User (fail closed)."""
    perms = getattr(member, "guild_permissions", None)
    return perms if isinstance(perms, discord.Permissions) else discord.Permissions.none()


def is_moderator(member: discord.abc.User, guild_settings: GuildSettings) -> bool:
    """A moderator holds the guild's configured mod role, or Manage Messages server-wide (administrators too)."""
    perms = _guild_permissions(member)
    if perms.administrator or perms.manage_messages:
        return True
    role_id = guild_settings.mod_role_id
    return role_id is not None and _has_role(member, role_id)


def can_manage_server(member: discord.abc.User, *, permissions: discord.Permissions | None = None) -> bool:
    """Only members who could change the server itself may change Byline's settings for it."""
    perms = _resolved_permissions(member, permissions)
    return perms.administrator or perms.manage_guild


async def interaction_is_moderator(interaction: discord.Interaction) -> bool:
    """Load this guild's settings and apply ``is_moderator`` to whoever sent the interaction."""
    if interaction.guild_id is None:
        return False
    store = interaction.client.store  # type: ignore[attr-defined]
    settings = await store.get_settings(interaction.guild_id)
    return is_moderator(interaction.user, settings)


async def require_moderator(interaction: discord.Interaction) -> None:
    """Raise NotModerator (as a tree-routable check failure) unless the user is a moderator here."""
    if not await interaction_is_moderator(interaction):
        log.info("refused moderator action: guild=%s user=%s", interaction.guild_id, interaction.user.id)
        raise ModeratorCheckFailure()


async def require_manager(interaction: discord.Interaction) -> None:
    """Raise NotServerManager (as a tree-routable check failure) unless the user may manage the server."""
    if interaction.guild_id is None or not can_manage_server(interaction.user, permissions=interaction.permissions):
        log.info("refused settings change: guild=%s user=%s", interaction.guild_id, interaction.user.id)
        raise ManagerCheckFailure()


async def _moderator_predicate(interaction: discord.Interaction) -> bool:
    await _routed(require_moderator(interaction))
    return True


async def _manager_predicate(interaction: discord.Interaction) -> bool:
    await _routed(require_manager(interaction))
    return True


async def _routed(check: Awaitable[None]) -> None:
    """Run ``check`` so that any failure reaches the tree's ``on_error``: the tree forwards only ``AppCommandError``s
    raised by checks, and a busy store while loading the guild's settings must still answer the member."""
    try:
        await check
    except app_commands.AppCommandError:
        raise
    except Exception as exc:
        raise CheckCouldNotRun(exc) from exc


def moderator_only() -> Callable[[T], T]:
    """App-command check: moderators only, decided when the command runs."""
    return app_commands.check(_moderator_predicate)


def manager_only() -> Callable[[T], T]:
    """App-command check: Manage Server only, decided when the command runs."""
    return app_commands.check(_manager_predicate)

