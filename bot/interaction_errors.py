"""The one place where an interaction's failure becomes a reply.

Slash commands, context menus, modals and buttons all end here (through ``BylineTree.on_error`` or
by calling ``handle_interaction_error`` themselves). Known errors (``BylineError``) show their own
message (``member_text``: what it keeps from members, a database failure's detail, goes to the log); anything
else is a bug: the member sees a short error id, the log gets the traceback under the same id. Replies are
ephemeral and never ping. An interaction that has already expired (Discord error 10062, or 50027 for a token past
15 minutes) cannot be answered at all, so that is logged and swallowed.
"""

from __future__ import annotations

import logging
import secrets

import discord
from discord import app_commands

from bot.checks import CheckCouldNotRun
from bot.errors import BylineError
from bot.render import NO_MENTIONS

log = logging.getLogger(__name__)

# Set in ``interaction.extras`` by code that deferred publicly, so an error can still be shown privately.
PUBLIC_DEFER = "byline_public_defer"
# Unknown interaction, unknown webhook, already acknowledged, and invalid webhook token: Discord's 401 once the
# token is past its 15 minutes, which a slow analysis's follow-up can meet.
EXPIRED_CODES = frozenset({10062, 10015, 40060, 50027})


def unwrap(error: BaseException) -> BaseException:
    """Dig the real exception out of discord.py's wrappers."""
    if isinstance(error, (app_commands.CommandInvokeError, CheckCouldNotRun)):
        error = error.original
    if isinstance(error, app_commands.TransformerError) and isinstance(error.__cause__, BylineError):
        error = error.__cause__
    return error


def is_expired(error: BaseException) -> bool:
    """Whether ``error`` means the interaction can no longer be answered."""
    return isinstance(error, discord.HTTPException) and getattr(error, "code", 0) in EXPIRED_CODES


def member_text(error: BylineError, where: str) -> str:
    """What a member is told of ``error``: its ``user_message``, in an interaction's answer or a 📰's public reply.

    Whatever that keeps from the member (a ``StoreError``'s database path and SQLite's words) is logged, under
    ``where``, so the operator still learns what failed.
    """
    if error.detail != error.user_message:
        log.warning("%s: %s: %s", where, type(error).__name__, error.detail)
    return error.user_message


def describe(error: BaseException, interaction: discord.Interaction) -> str:
    """The member-facing sentence for ``error``; unexpected errors are logged under a fresh id."""
    if isinstance(error, BylineError):
        return member_text(error, f"interaction {interaction.id} (guild {interaction.guild_id})")
    if isinstance(error, app_commands.NoPrivateMessage):
        return "Byline's commands work inside a server, not in direct messages."
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down a little: try again in {max(1, round(error.retry_after))} s."
    if isinstance(error, app_commands.BotMissingPermissions):
        return f"Byline is missing a permission here: {', '.join(error.missing_permissions)}."
    if isinstance(error, app_commands.MissingPermissions):
        return "You don't have permission to use that command."
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use that command here."
    if isinstance(error, app_commands.TransformerError):
        return f"That value isn't valid for this option: {discord.utils.escape_markdown(str(error.value))[:200]}"
    if isinstance(error, discord.Forbidden):
        return "Byline lacks a permission in this channel (it needs Send Messages, Embed Links and Attach Files)."
    error_id = secrets.token_hex(4)
    command = getattr(interaction.command, "qualified_name", None) or "component"
    log.error("unexpected error %s in %s (guild %s, user %s)", error_id, command, interaction.guild_id,
              interaction.user.id if interaction.user else None, exc_info=error)
    return f"Something went wrong on Byline's side. The error has been logged as `{error_id}`."


async def handle_interaction_error(interaction: discord.Interaction, error: BaseException) -> None:
    """Answer ``interaction`` ephemerally with a friendly message for ``error``; never raises."""
    error = unwrap(error)
    if is_expired(error):
        log.info("interaction %s expired before Byline could answer (code %s)", interaction.id,
                 getattr(error, "code", None))
        return
    if isinstance(error, BylineError):
        log.info("interaction %s refused: %s", interaction.id, type(error).__name__)
    await send_ephemeral(interaction, describe(error, interaction))


async def send_ephemeral(interaction: discord.Interaction, message: str) -> bool:
    """Send ``message`` privately, by response or follow-up as the interaction's state requires.

    Returns False when Discord would not take it (expired, or a transient HTTP error), which is
    logged, never raised: the error handler must not fail in its turn.
    """
    message = message[:2000]
    try:
        if not interaction.response.is_done():
            await interaction.response.send_message(message, ephemeral=True, allowed_mentions=NO_MENTIONS)
            return True
        if interaction.extras.pop(PUBLIC_DEFER, False):
            await _drop_public_placeholder(interaction)
        await interaction.followup.send(message, ephemeral=True, allowed_mentions=NO_MENTIONS)
        return True
    except discord.InteractionResponded:
        return await _followup(interaction, message)
    except discord.HTTPException as exc:
        _log_send_failure(interaction, exc)
        return False


async def _followup(interaction: discord.Interaction, message: str) -> bool:
    try:
        await interaction.followup.send(message, ephemeral=True, allowed_mentions=NO_MENTIONS)
        return True
    except discord.HTTPException as exc:
        _log_send_failure(interaction, exc)
        return False


async def _drop_public_placeholder(interaction: discord.Interaction) -> None:
    """Delete a public "thinking…" message so the error after it can be private.

    The first follow-up after a deferral replaces the placeholder and inherits its visibility; once it is
    gone, the follow-up is a new message and ``ephemeral`` is honoured.
    """
    try:
        await interaction.delete_original_response()
    except discord.HTTPException as exc:
        log.info("could not remove the placeholder of interaction %s: %s", interaction.id, exc)


def _log_send_failure(interaction: discord.Interaction, exc: discord.HTTPException) -> None:
    if is_expired(exc):
        log.info("interaction %s expired before its error could be shown", interaction.id)
    else:
        log.warning("could not send an error to interaction %s: %s %s", interaction.id, exc.status, exc.code)
