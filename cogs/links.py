"""Link auto-replies in channels moderators enabled, and 📰 reactions that ask for an analysis anywhere.

An auto-reply is a courtesy, so it fails quietly: a channel over its rate limit, a busy queue or a
page that can't be read is logged and skipped, never answered with an error in the channel. A 📰
reaction is an explicit request, so its failures get one short reply. Bots, webhooks and members who opted out
are never analysed (for a forward, neither the forwarder nor the original's author may have opted out, and the
analysis is stored under the original's author), and their links spend none of a channel's auto-reply allowance
(except a forward whose original had to be looked up first: that request to Discord is paid for before it is
made). Each message gets at most one analysis reply, across restarts too: the stored reply records which message
it answered, and a 📰 on that message is looked up there before anything is spent. A reply deleted in Discord (say by
a moderator) drops that record, so a new 📰 may answer the message again. Where Byline
lacks the rights to post its reply, neither an auto-reply nor a 📰 fetches or analyses anything. A request that
failed for a passing reason (busy queue, a slow or failing site, rate limit) does not count as answered, so
another 📰 retries.

A link behind a spoiler (``||https://...||``) is its poster's choice to hide the story: auto-replies pass it
over. A 📰 asks for it explicitly, so it is analysed, but the reply keeps it hidden: no headline or link, and
the summary bullets are spoilers themselves (a reaction cannot be answered privately). The analysis is stored as
private, so the shared library (/recent, /search, /lookup) does not show other members what the poster hid.
"""

from __future__ import annotations

import functools
import logging
from collections import OrderedDict
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.cards import remember_reply
from bot.errors import BylineError, CutShortByRestart, RateLimited, ShuttingDown
from bot.interaction_errors import member_text
from bot.pipeline import analyse_url
from bot.ratelimit import hit_all
from bot.render import NO_MENTIONS, clip_content, render_compact
from bot.render.limits import escape_untrusted
from bot.urls import article_links
from bot.views_report import report_view
from cogs._authors import ForwardUnresolved, message_source, opted_out
from cogs._inputs import analyse_input, behind_spoiler, is_private_channel, message_text, pick_input

if TYPE_CHECKING:
    from bot.client import BylineBot
    from bot.store import StoredAnalysis

log = logging.getLogger(__name__)

REACTION_EMOJI = "📰"
REPLIED_MEMORY = 2048


def missing_reply_rights(channel: discord.abc.Messageable) -> list[str]:
    """The rights Byline lacks to post its reply embed in ``channel`` (empty when it has them, or can't tell).

    Checked before an auto-reply and before a 📰's message is fetched, since without them the fetch, the analysis,
    the stored result and the review post would all be spent on a reply Discord then refuses.
    """
    me = getattr(getattr(channel, "guild", None), "me", None)
    permissions_for = getattr(channel, "permissions_for", None)
    if not isinstance(me, discord.Member) or permissions_for is None:
        return []
    try:
        perms = permissions_for(me)
    except discord.ClientException as exc:  # a thread whose parent channel is not cached: nothing to go on
        log.info("channel %s: Byline's rights there cannot be worked out (%s); not checking them",
                 getattr(channel, "id", None), exc)
        return []
    if not isinstance(perms, discord.Permissions):
        return []
    send = "send_messages_in_threads" if isinstance(channel, discord.Thread) else "send_messages"
    return [name for name in (send, "embed_links", "read_message_history") if not getattr(perms, name)]


class LinksCog(commands.Cog):
    """Reply to shared links with a compact analysis and a Full report button."""

    def __init__(self, bot: BylineBot) -> None:
        self.bot = bot
        self._replied: OrderedDict[int, None] = OrderedDict()
        self._working: set[int] = set()  # messages whose 📰 is being answered right now

    # --- auto-replies -----------------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """Auto-reply to the first article link in an enabled channel (in the message or the one it forwards)
        that is not behind a spoiler."""
        if message.guild is None or message.author.bot or message.webhook_id is not None:
            return
        links = article_links(message_text(message), spoilers=False)
        if not links:
            return  # no database access for the vast majority of messages
        if self._hold(f"auto-reply to message {message.id}") is not None:
            return  # Byline is restarting: skipped quietly like any failed courtesy reply
        guild_id = message.guild.id
        if not await self._autoreplies_on(guild_id, message):
            return
        missing = missing_reply_rights(message.channel)
        if missing:
            log.info("guild %s channel %s: auto-reply skipped (Byline lacks %s)", guild_id, message.channel.id,
                     ", ".join(missing))
            return
        # A member who opted out is never answered, so their links spend none of the channel's allowance.
        if await self.bot.store.is_opted_out(guild_id, message.author.id):
            return
        # The allowance is spent before a forward's original is fetched: that is a REST call, and Discord counts the
        # refused ones (403) against the whole bot, so forwards must not get around the channel's limit. Anything
        # else (no look-up needed) is checked for opt-outs first, and spends it only when it is to be answered.
        spent = False

        def spend_before_lookup() -> None:
            nonlocal spent
            self._spend_autoreply(message)  # RateLimited: no look-up
            spent = True

        try:
            source = await message_source(self.bot, message, before_lookup=spend_before_lookup)
        except ForwardUnresolved:
            log.info("guild %s message %s: no auto-reply (the forwarded original is out of reach)", guild_id,
                     message.id)
            return
        except RateLimited:
            log.info("guild %s channel %s: auto-reply skipped (rate limit)", guild_id, message.channel.id)
            return
        if await opted_out(self.bot, guild_id, message, source):
            return
        if not spent:
            try:
                self._spend_autoreply(message)
            except RateLimited:
                log.info("guild %s channel %s: auto-reply skipped (rate limit)", guild_id, message.channel.id)
                return
        try:
            stored = await analyse_url(self.bot, guild_id, links[0], author_id=source.author_id,
                                       channel_id=message.channel.id, message_link=message.jump_url,
                                       private=is_private_channel(message.channel),
                                       english_only=True)  # an English reading of a French page misleads
        except BylineError as exc:
            log.info("guild %s message %s: no auto-reply (%s: %s)", guild_id, message.id, type(exc).__name__,
                     exc.detail)
            return
        if not await self._autoreplies_on(guild_id, message):  # turned off while the link was read
            log.info("guild %s message %s: no auto-reply (the channel's auto-replies were turned off meanwhile)",
                     guild_id, message.id)
            return
        await self._reply(message, stored)

    def _spend_autoreply(self, message: discord.Message) -> None:
        """Spend one auto-reply of the channel's allowance and one of the poster's, or raise ``RateLimited`` spending
        neither.

        Auto-replies are turned on for a channel and cover its threads, so a thread spends its parent channel's
        allowance: otherwise each new thread would be a fresh one. The poster pays too, as for a 📰, so one member
        cannot take every channel's replies in turn.
        """
        hit_all((self.bot.channel_limiter, _allowance_channel(message.channel)),
                (self.bot.user_limiter, message.author.id))

    async def _autoreplies_on(self, guild_id: int, message: discord.Message) -> bool:
        """Whether the message's channel (or the channel its thread is in) is on the auto-reply list right now."""
        settings = await self.bot.store.get_settings(guild_id)
        channel_ids = {message.channel.id, getattr(message.channel, "parent_id", None)}
        return bool(channel_ids & settings.autoreply_channel_ids)

    # --- 📰 on demand ------------------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        """Analyse a message someone reacted to with 📰, in any channel."""
        if payload.guild_id is None or str(payload.emoji) != REACTION_EMOJI:
            return
        if (payload.member is not None and payload.member.bot) or payload.user_id == getattr(self.bot.user, "id", None):
            return
        if payload.message_id in self._replied:
            return
        guild_id = payload.guild_id
        refused = self._hold(f"📰 from user {payload.user_id} on message {payload.message_id}")
        if await self.bot.store.is_opted_out(guild_id, payload.user_id):
            return
        # Memory forgets on a restart (and past REPLIED_MEMORY messages); the stored reply does not. Read before the
        # allowance is spent and before the ``_working`` check, which must stay next to its ``add`` (no await between).
        if payload.message_id not in self._replied and await self.bot.store.replied_to(guild_id, payload.message_id):
            self._remember(payload.message_id)
            return
        if payload.message_id in self._replied:  # answered while the store was being read
            return
        if payload.message_id in self._working:
            return  # ten members reacting at once get one answer, not ten fetches and ten analyses
        try:  # before fetching the message: the limits also guard Discord's REST budget, and a "restarting"
            # reply is as public as an answer, so it spends the same allowances
            hit_all((self.bot.channel_limiter, self._reaction_channel_key(payload)),
                    (self.bot.user_limiter, payload.user_id))
        except RateLimited:
            log.info("guild %s: 📰 from user %s skipped (rate limit)", guild_id, payload.user_id)
            return
        self._working.add(payload.message_id)  # from here this reaction answers for the message
        try:
            await self._on_reaction(payload, guild_id, refused)
        finally:
            self._working.discard(payload.message_id)

    def _reaction_channel_key(self, payload: discord.RawReactionActionEvent) -> int:
        """The channel whose allowance a 📰 spends: a thread's parent, as for an auto-reply (``_spend_autoreply``), so
        new threads are no way round a channel's limit.

        Only a thread in the cache is known as one (asking Discord would cost the REST call the limit guards); an
        uncached thread spends its own allowance.
        """
        guild = self.bot.get_guild(payload.guild_id) if payload.guild_id is not None else None
        channel = guild.get_channel_or_thread(payload.channel_id) if guild is not None else None
        return _allowance_channel(channel) if channel is not None else payload.channel_id

    async def _on_reaction(self, payload: discord.RawReactionActionEvent, guild_id: int,
                           refused: ShuttingDown | None) -> None:
        message = await self._fetch_message(payload.channel_id, payload.message_id)
        if message is None or message.author.bot or message.webhook_id is not None:
            return
        try:
            source = await message_source(self.bot, message)
        except ForwardUnresolved as exc:  # whose words these are is unknown: say so rather than guess
            await self._short_reply(message, exc.user_message, final=not exc.transient)
            return
        if await opted_out(self.bot, guild_id, message, source):
            return
        if refused is not None:  # the checks above still apply: no reply to bots or members who opted out
            await self._short_reply(message, refused.user_message, final=False)
            return
        await self._analyse_on_demand(message, guild_id, source.author_id)

    def _hold(self, what: str) -> ShuttingDown | None:
        """Hold this request for shutdown to wait on; the refusal, once Byline is restarting."""
        try:
            self.bot.drain.hold(what)
        except ShuttingDown as exc:
            return exc
        return None

    async def _analyse_on_demand(self, message: discord.Message, guild_id: int, author_id: int) -> None:
        self.bot.drain.on_cut_short(functools.partial(self._short_reply, message, CutShortByRestart().user_message,
                                                      final=False))
        try:
            picked = pick_input(message)
            hidden = behind_spoiler(message, picked)
            # A spoilered story is stored private too: /recent and /search must not show what the reply hides.
            stored = await analyse_input(self.bot, guild_id, picked, author_id=author_id,
                                         channel_id=message.channel.id, message_link=message.jump_url,
                                         private=hidden or is_private_channel(message.channel))
        except BylineError as exc:  # fetch failed, busy, nothing to analyse...: one short reply
            log.info("guild %s message %s: 📰 failed (%s)", guild_id, message.id, type(exc).__name__)
            text = member_text(exc, f"guild {guild_id} message {message.id}: 📰")  # public: never a database path
            await self._short_reply(message, text, final=not exc.transient)
            return
        await self._reply(message, stored, hidden=hidden)

    # --- sending ------------------------------------------------------------------------------------

    async def _fetch_message(self, channel_id: int, message_id: int) -> discord.Message | None:
        """The message a 📰 asks about, or None when it can't be read or Byline may not answer in its channel.

        The rights are checked as for an auto-reply, before the fetch: a reply Discord would refuse is not worth the
        fetch, the analysis, the stored result or the review post.
        """
        channel = self.bot.get_channel(channel_id)
        try:
            if channel is None:
                channel = await self.bot.fetch_channel(channel_id)
            if not isinstance(channel, discord.abc.Messageable):
                return None
            missing = missing_reply_rights(channel)
            if missing:
                log.info("channel %s: 📰 on message %s skipped (Byline lacks %s)", channel_id, message_id,
                         ", ".join(missing))
                return None
            return await channel.fetch_message(message_id)
        except discord.HTTPException as exc:
            log.info("could not fetch message %s in channel %s: %s", message_id, channel_id, exc.status)
            return None

    def _remember(self, message_id: int) -> bool:
        """Mark a message as answered; False if it already was (one reply per message).

        Marked before the send, so a 📰 arriving while an auto-reply is on its way adds no second reply; a send that
        fails is unmarked again (see ``_reply``), so a later 📰 can still ask.
        """
        if message_id in self._replied:
            return False
        self._replied[message_id] = None
        while len(self._replied) > REPLIED_MEMORY:
            self._replied.popitem(last=False)
        return True

    async def _reply(self, message: discord.Message, stored: StoredAnalysis, *, hidden: bool = False) -> None:
        if not self._remember(message.id):
            return
        rendered = render_compact(stored, hidden=hidden)
        try:
            sent = await self.bot.drain.deliver(message.reply(mention_author=False, view=report_view(stored.id),
                                                              **rendered.send_kwargs()))
        except discord.HTTPException as exc:
            self._replied.pop(message.id, None)  # not answered after all: a later 📰 may ask again
            log.warning("could not reply to message %s: %s %s", message.id, exc.status, exc.code)
            return
        await self.bot.drain.deliver(remember_reply(self.bot.store, stored, sent, answered=message.id))

    # --- a reply deleted in Discord ------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_raw_message_delete(self, payload: discord.RawMessageDeleteEvent) -> None:
        """A reply of Byline's deleted (say by a moderator): the message it answered may be answered again."""
        cached = payload.cached_message
        if payload.guild_id is None or (cached is not None and cached.author.id != getattr(self.bot.user, "id", None)):
            return
        await self._reply_deleted(payload.guild_id, (payload.message_id,))

    @commands.Cog.listener()
    async def on_raw_bulk_message_delete(self, payload: discord.RawBulkMessageDeleteEvent) -> None:
        """The same for a purge."""
        if payload.guild_id is not None:
            await self._reply_deleted(payload.guild_id, tuple(payload.message_ids))

    async def _reply_deleted(self, guild_id: int, message_ids: tuple[int, ...]) -> None:
        try:
            answered = await self.bot.store.forget_deleted_replies(guild_id, message_ids)
        except BylineError as exc:  # the row stays: that message keeps its one answer, as before the deletion
            log.warning("guild %s: could not drop the records of deleted messages %s: %s", guild_id, message_ids,
                        exc)
            return
        for message_id in answered:
            self._replied.pop(message_id, None)
        if answered:
            log.info("guild %s: Byline's replies to messages %s were deleted; a new 📰 may answer them", guild_id,
                     answered)

    async def _short_reply(self, message: discord.Message, text: str, *, final: bool) -> None:
        """Say why a 📰 failed; only a ``final`` failure marks the message answered (a transient one may retry).

        The reason can quote what a site sent, and this reply is public: escaped, so no markdown or masked link in it
        speaks in Byline's voice.
        """
        if message.id in self._replied or (final and not self._remember(message.id)):
            return
        try:
            await message.reply(clip_content(f"📰 {escape_untrusted(text)}"), mention_author=False,
                                allowed_mentions=NO_MENTIONS)
        except discord.HTTPException as exc:
            log.warning("could not reply to message %s: %s %s", message.id, exc.status, exc.code)


async def setup(bot: BylineBot) -> None:
    """Load the links cog."""
    await bot.add_cog(LinksCog(bot))


def _allowance_channel(channel: discord.abc.Snowflake) -> int:
    """The channel whose allowance a message or reaction in ``channel`` spends: a thread's parent, else itself."""
    parent: int | None = getattr(channel, "parent_id", None)
    return parent or channel.id
