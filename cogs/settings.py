"""Per-server settings: /settings show, and /settings set <what> for members with Manage Server.

Per-server choices live in SQLite (never in the config file) because one bot serves many servers. The
Manage Server check runs on every change: ``default_permissions`` only hides the command by default.
A deleted channel leaves the settings by itself: /settings set autoreply-remove can only name a channel that
exists, so a dead id would otherwise stay on the auto-reply list, towards its cap, for good.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
from collections.abc import Awaitable, Callable, Collection
from typing import Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot import render
from bot.checks import manager_only
from bot.config import MAX_RETENTION_DAYS
from bot.errors import BylineError, InputError
from bot.review_posting import (
    CATCH_UP_CARDS,
    CATCH_UP_EVENT,
    announce,
    describe,
    missing_rights,
    post_waiting,
    preview_waiting,
    settings_lock,
)
from bot.store_types import severity_rank

log = logging.getLogger(__name__)

Threshold = Literal["low", "medium", "high"]


def _guild(interaction: discord.Interaction) -> int:
    if interaction.guild_id is None:
        raise InputError("Settings only exist inside a server.")
    return interaction.guild_id


def _same_guild(interaction: discord.Interaction, thing: Any, what: str) -> None:
    """Refuse a channel or role of another server (possible only through a crafted payload, but cheap to stop)."""
    if getattr(getattr(thing, "guild", None), "id", None) != interaction.guild_id:
        raise InputError(f"That {what} is not in this server.")


def _bot_cannot_post(channel: discord.TextChannel) -> str:
    """A warning when Byline lacks the rights to post review messages in ``channel`` (empty when fine)."""
    lacking = missing_rights(channel)
    if lacking:
        return (f"\nNote: Byline lacks {', '.join(lacking)} in {channel.mention}; give it those rights, or no "
                "review card can be posted there.")
    return ""


AUTOREPLY_RIGHTS = (("view_channel", "View Channel"), ("read_message_history", "Read Message History"),
                    ("send_messages", "Send Messages"), ("embed_links", "Embed Links"))


def _bot_cannot_autoreply(channel: discord.TextChannel) -> str:
    """A warning when Byline lacks the rights to see links in ``channel`` and answer them (empty when fine or unknown):
    auto-replies there are skipped quietly, so the manager who turned them on must hear it now."""
    me = getattr(getattr(channel, "guild", None), "me", None)
    if not isinstance(me, discord.Member):
        return ""
    try:
        perms = channel.permissions_for(me)
    except Exception:  # an unresolved channel or member: say nothing rather than guess
        return ""
    if not isinstance(perms, discord.Permissions):
        return ""
    lacking = [name for attr, name in AUTOREPLY_RIGHTS if not getattr(perms, attr)]
    if lacking:
        return (f"\nNote: Byline lacks {', '.join(lacking)} in {channel.mention}; give it those rights, or its links "
                "get no automatic reply.")
    return ""


def _everyone_can_read(channel: discord.TextChannel) -> str:
    """A warning when @everyone can read ``channel``: review cards quote private analyses' flagged sentences too
    (docs/privacy.md), so such a channel would publish them. Unknown rights give no warning."""
    everyone = getattr(getattr(channel, "guild", None), "default_role", None)
    try:
        perms = channel.permissions_for(everyone) if everyone is not None else None
    except Exception:  # an unresolved role or channel: say nothing rather than guess
        return ""
    if isinstance(perms, discord.Permissions) and perms.view_channel:
        return (f"\nNote: everyone in this server can read {channel.mention}, and review cards also show the "
                "flagged sentences of private analyses; keep the review channel to moderators.")
    return ""


async def _defer(interaction: discord.Interaction) -> None:
    """Acknowledge first: a write can wait seconds for another process's lock, past Discord's 3 s deadline."""
    await interaction.response.defer(ephemeral=True, thinking=True)


async def _tell(interaction: discord.Interaction | None, text: str) -> None:
    """A private follow-up to a manager's change, if there is anyone to tell; an expired interaction is logged."""
    if interaction is None or not text:
        return
    try:
        await interaction.followup.send(render.clip_content(text), ephemeral=True,
                                        allowed_mentions=render.NO_MENTIONS)
    except discord.HTTPException as exc:
        log.info("could not tell the manager in guild %s what the review catch-up did: %s", interaction.guild_id,
                 exc)


async def _done(interaction: discord.Interaction, done: str, updated: Any) -> None:
    await interaction.followup.send(render.clip_content(done), embed=render.settings_embed(updated), ephemeral=True,
                                    allowed_mentions=render.NO_MENTIONS)


class Settings(commands.Cog):
    """Show and change Byline's per-server settings."""

    settings = app_commands.Group(
        name="settings", description="Byline's settings for this server.", guild_only=True,
        default_permissions=discord.Permissions(manage_guild=True),
    )
    set_group = app_commands.Group(name="set", description="Change one setting (Manage Server only).",
                                   parent=settings)

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @property
    def store(self) -> Any:
        return self.bot.store  # type: ignore[attr-defined]

    def _max_summary(self) -> int:
        return self.bot.settings.analysis.max_summary_sentences  # type: ignore[attr-defined]

    async def _apply(self, interaction: discord.Interaction, done: str,
                     then: Callable[[int], Awaitable[str]] | None = None, **changes: Any) -> None:
        """Store the change (the store validates again), log who made it, run ``then`` (whose words are added to
        the answer), show the result privately.

        The change waits for a review card being posted (``settings_lock``), so once it is stored, and answered, no
        card goes to a review channel that was just changed or cleared.
        """
        guild_id = _guild(interaction)
        await _defer(interaction)
        async with settings_lock(guild_id):
            updated = await self.store.update_settings(guild_id, **changes)
        log.info("settings changed: guild=%s user=%s keys=%s", guild_id, interaction.user.id, ",".join(changes))
        if then is not None:
            done = f"{done}\n{await then(guild_id)}".rstrip()
        await _done(interaction, done, updated)

    async def _post_waiting_flags(self, guild_id: int) -> str:
        """Give flags stored while no channel was set (or whose post failed) their cards in the new channel.

        The setting is saved whatever happens here: a failure only leaves the flags waiting for /review repost.
        """
        try:
            return describe(await post_waiting(self.bot, guild_id, max_cards=CATCH_UP_CARDS))
        except Exception:
            log.exception("could not post the waiting flags of guild %s to its new review channel", guild_id)
            return "The flags already waiting could not be posted just now; /review repost tries again."

    async def _autoreply(self, interaction: discord.Interaction, channel: discord.TextChannel, enabled: bool) -> None:
        """Add or remove one channel atomically in the store, so two managers at once cannot lose a change.

        An addition first drops the channels the server no longer has, so they never stand in the way of the cap.
        """
        guild_id = _guild(interaction)
        await _defer(interaction)
        if enabled:
            await self._drop_gone_autoreplies(guild_id, (await self.store.get_settings(guild_id)).autoreply_channel_ids)
        updated, changed = await self.store.set_autoreply_channel(guild_id, channel.id, enabled)
        if not changed and not enabled:
            raise InputError(f"Auto-replies were not on in {channel.mention}.")
        log.info("settings changed: guild=%s user=%s autoreply %s %s", guild_id, interaction.user.id,
                 "+" if enabled else "-", channel.id)
        done = (f"Links in {channel.mention} now get an automatic analysis." + _bot_cannot_autoreply(channel)
                if enabled else f"Links in {channel.mention} no longer get automatic replies.")
        await _done(interaction, done, updated)

    def _gone(self, guild_id: int, channel_ids: Collection[int]) -> frozenset[int]:
        """The ids in ``channel_ids`` that the guild no longer has, by Byline's cache of it, which the gateway keeps
        whole (every channel, every deletion); none while the guild is not cached or is unavailable (an outage),
        when nothing can be said to be gone."""
        guild = self.bot.get_guild(guild_id)
        if not isinstance(guild, discord.Guild) or guild.unavailable:
            return frozenset()
        return frozenset(i for i in channel_ids if guild.get_channel(i) is None)

    async def _drop_gone_autoreplies(self, guild_id: int, channel_ids: Collection[int]) -> None:
        """Take auto-reply channels deleted while Byline was not listening (offline, or before this listener existed)
        off the list; a store failure is logged, and the ids wait for the next try."""
        gone = self._gone(guild_id, channel_ids)
        if not gone:
            return
        try:
            removed, _ = await self.store.forget_channels(guild_id, gone, review_channel=False)
        except BylineError as exc:
            log.warning("guild %s: could not drop deleted auto-reply channels %s: %s", guild_id, sorted(gone), exc)
            return
        if removed:
            log.info("guild %s: deleted channels %s left the auto-reply list", guild_id, sorted(removed))

    @settings.command(name="show", description="Show Byline's settings for this server.")
    async def show(self, interaction: discord.Interaction) -> None:
        """Anyone who can see the command may read the settings; they hold no secrets.

        Auto-reply channels the server no longer has are left out of the list, and dropped from the store after the
        answer (a write may wait for the store's lock, past Discord's 3 s).
        """
        guild_id = _guild(interaction)
        current = await self.store.get_settings(guild_id)
        gone = self._gone(guild_id, current.autoreply_channel_ids)
        shown = dataclasses.replace(current, autoreply_channel_ids=current.autoreply_channel_ids - gone)
        try:
            await interaction.response.send_message(embed=render.settings_embed(shown), ephemeral=True,
                                                    allowed_mentions=render.NO_MENTIONS)
        finally:
            await self._drop_gone_autoreplies(guild_id, gone)

    @commands.Cog.listener()
    async def on_guild_channel_delete(self, channel: discord.abc.GuildChannel) -> None:
        """A deleted channel leaves the settings: the auto-reply list, and the review channel setting.

        A deleted review channel is cleared, as if a manager had cleared it: flags then wait for a card, and
        /review repost says a channel must be set, instead of every analysis asking Discord for a channel that is
        gone. A posting run in flight stops at its next card (it checks the channel under ``settings_lock``). Most
        deleted channels are in no setting, and cost one read.
        """
        guild_id = channel.guild.id
        try:  # its cards went with it: their pending flags wait for a card in the next review channel
            released = await self.store.release_cards(guild_id, channel_ids=(channel.id,))
            if released:
                log.warning("guild %s: %d pending flag(s) lost their cards with channel %s; they wait for a new card",
                            guild_id, released, channel.id)
        except BylineError as exc:
            log.warning("guild %s: could not release the cards of deleted channel %s: %s", guild_id, channel.id, exc)
        try:
            current = await self.store.get_settings(guild_id)
            review = current.review_channel_id == channel.id
            if not review and channel.id not in current.autoreply_channel_ids:
                return
            async with settings_lock(guild_id) if review else contextlib.nullcontext():
                removed, cleared = await self.store.forget_channels(guild_id, (channel.id,))
        except BylineError as exc:
            log.warning("guild %s: could not take deleted channel %s out of the settings: %s", guild_id, channel.id,
                        exc)
            return
        if removed:
            log.info("guild %s: auto-reply channel %s was deleted and left the list", guild_id, channel.id)
        if cleared:
            log.warning("guild %s: review channel %s was deleted; review posting is off, and flags wait for a card, "
                        "until a manager sets another with /settings set review-channel", guild_id, channel.id)

    @set_group.command(name="review-channel", description="Where flags go for review; leave empty to turn off.")
    @app_commands.describe(channel="The channel for review messages (empty turns review posting off)")
    @manager_only()
    async def review_channel(self, interaction: discord.Interaction,
                             channel: discord.TextChannel | None = None) -> None:
        """Set or clear the review channel."""
        if channel is None:
            await self._apply(interaction, "Review posting is off.", review_channel_id=None)
            return
        _same_guild(interaction, channel, "channel")
        await self._apply(interaction, f"Flags will be posted in {channel.mention}." + _bot_cannot_post(channel)
                          + _everyone_can_read(channel),
                          then=self._post_waiting_flags, review_channel_id=channel.id)

    @set_group.command(name="mod-role", description="Role whose members may review flags; empty = Manage Messages.")
    @app_commands.describe(role="The moderators' role (empty: Manage Messages only)")
    @manager_only()
    async def mod_role(self, interaction: discord.Interaction, role: discord.Role | None = None) -> None:
        """Set or clear the moderator role (members with Manage Messages are always moderators)."""
        if role is None:
            await self._apply(interaction, "Only members with Manage Messages can review now.", mod_role_id=None)
            return
        _same_guild(interaction, role, "role")
        if role.is_default():
            raise InputError("@everyone cannot be the moderator role: everyone could then review flags.")
        await self._apply(interaction, f"Members with {role.mention} can review flags.", mod_role_id=role.id)

    @set_group.command(name="autoreply-add", description="Reply automatically to links posted in this channel.")
    @app_commands.describe(channel="The channel whose links get automatic replies")
    @manager_only()
    async def autoreply_add(self, interaction: discord.Interaction, channel: discord.TextChannel) -> None:
        """Enable link auto-replies in one more channel."""
        _same_guild(interaction, channel, "channel")
        await self._autoreply(interaction, channel, True)

    @set_group.command(name="autoreply-remove", description="Stop automatic replies to links in this channel.")
    @app_commands.describe(channel="The channel to stop replying in")
    @manager_only()
    async def autoreply_remove(self, interaction: discord.Interaction, channel: discord.TextChannel) -> None:
        """Disable link auto-replies in a channel (a no-op if they were off)."""
        await self._autoreply(interaction, channel, False)

    @set_group.command(name="summary-length", description="Summary sentences per analysis; leave empty for automatic.")
    @app_commands.describe(sentences="Sentences per summary (empty: chosen from the article's length)")
    @manager_only()
    async def summary_length(self, interaction: discord.Interaction,
                             sentences: app_commands.Range[int, 1, 50] | None = None) -> None:
        """Set a fixed summary length, capped by the bot's configured maximum."""
        limit = self._max_summary()
        if sentences is not None and not 1 <= sentences <= limit:
            raise InputError(f"Summary length must be between 1 and {limit} sentences.")
        done = f"Summaries will have {sentences} sentences." if sentences else "Summary length is automatic."
        await self._apply(interaction, done, summary_sentences=sentences)

    @set_group.command(name="flag-threshold", description="Lowest flag severity that is posted for review.")
    @app_commands.describe(level="low posts every flag; high posts only the most serious ones")
    @manager_only()
    async def flag_threshold(self, interaction: discord.Interaction, level: Threshold) -> None:
        """Choose which flags reach the review channel.

        Lowering it admits stored flags that never got a card: the answer says how many will be posted, and once
        it is sent the usual capped catch-up posts them (``CATCH_UP_EVENT``), so the manager never waits on Discord.
        Raising it posts nothing and takes nothing down: cards already posted keep their buttons, and their flags
        stay in the queue until decided; a catch-up still running posts none of the flags now below it. When the
        review channel is gone or Byline lacks the rights to post there, the answer says so instead of promising
        cards, and no catch-up starts; a catch-up that fails or stops anyway tells the manager in a follow-up.
        """
        guild_id = _guild(interaction)
        await _defer(interaction)
        async with settings_lock(guild_id):  # the card in flight, if any, goes out first; the next sees the change
            before = (await self.store.get_settings(guild_id)).flag_threshold
            updated = await self.store.update_settings(guild_id, flag_threshold=level)
        log.info("settings changed: guild=%s user=%s keys=flag_threshold (%s -> %s)", guild_id,
                 interaction.user.id, before, updated.flag_threshold)
        done = f"Flags of {level} severity and above go to review."
        lowered = severity_rank(updated.flag_threshold) < severity_rank(before)
        catch_up = False
        if lowered:
            try:
                plan = await preview_waiting(self.bot, guild_id, max_cards=CATCH_UP_CARDS)
                done, catch_up = f"{done}\n{announce(plan)}".rstrip(), plan.flags > 0
            except Exception:
                log.exception("could not count the flags a lower threshold admits in guild %s", guild_id)
                done += "\nThe flags it admits are posted shortly; /review repost says how many still wait."
                catch_up = updated.review_channel_id is not None
        elif severity_rank(updated.flag_threshold) > severity_rank(before):
            done += ("\nCards already in the review channel stay, with their buttons, and their flags stay in "
                     "/review queue until decided.")
        try:
            await _done(interaction, done, updated)
        finally:  # the threshold changed even if the answer could not be sent (an expired interaction)
            if catch_up:
                self.bot.dispatch(CATCH_UP_EVENT, guild_id, report_to=interaction)

    @commands.Cog.listener(f"on_{CATCH_UP_EVENT}")
    async def catch_up(self, guild_id: int, report_to: discord.Interaction | None = None) -> None:
        """Post the flags a settings change admitted: the same capped, per-guild-locked run as /review repost.

        It runs after the manager was answered; a failure is logged and leaves the flags waiting for the next
        analysis or /review repost. When the run failed or stopped short (Discord refused the post, the channel
        is gone or was changed meanwhile), the manager who made the change (``report_to``) is told so privately,
        since their answer promised the cards; the interaction's follow-ups work for 15 minutes.
        """
        try:
            posting = await post_waiting(self.bot, guild_id, max_cards=CATCH_UP_CARDS)
        except Exception:
            log.exception("could not post the flags waiting for a card in guild %s", guild_id)
            await _tell(report_to, "The waiting flags could not be posted after all, because of an error on "
                                   "Byline's side; they wait for the next analysis or /review repost.")
            return
        log.info("review catch-up: guild=%s flags=%d cards=%d remaining=%d problem=%s %s", guild_id, posting.flags,
                 posting.cards, posting.remaining, posting.problem, posting.detail)
        if posting.problem is not None:
            await _tell(report_to, describe(posting))

    @set_group.command(name="retention", description="Delete stored analyses after this many days; empty = keep.")
    @app_commands.describe(days="Days to keep analyses (empty: keep until deleted)")
    @manager_only()
    async def retention(self, interaction: discord.Interaction,
                        days: app_commands.Range[int, 1, MAX_RETENTION_DAYS] | None = None) -> None:
        """Set or clear how long analyses are kept."""
        if days is not None and not 1 <= days <= MAX_RETENTION_DAYS:
            raise InputError(f"Retention must be between 1 and {MAX_RETENTION_DAYS} days.")
        done = f"Analyses older than {days} days will be deleted." if days else "Analyses are kept until deleted."
        await self._apply(interaction, done, retention_days=days)


async def setup(bot: commands.Bot) -> None:
    """Load the settings cog."""
    await bot.add_cog(Settings(bot))
