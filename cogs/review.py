"""The moderators' review queue: flags go to the review channel with buttons; /review queue|stats|repost; /export.

The buttons themselves live in ``bot/views.py`` (persistent DynamicItems registered by the bot's setup_hook);
this cog has them posted (``bot/review_posting.py`` also catches up on flags still without a card), cleans up
cards after deletions, pages the queue and exports the decisions.
"""

from __future__ import annotations

import asyncio
import io
import logging
import math
import tempfile
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot import render
from bot.cards import CARDS_STALE_EVENT
from bot.checks import interaction_is_moderator, moderator_only
from bot.errors import BylineError, InputError, StoreError
from bot.review_posting import (
    AUTO_CATCH_UP_CARDS,
    CATCH_UP_CARDS,
    REFUSAL_PAUSE_SECONDS,
    describe,
    post_waiting,
)
from bot.store_cards import StaleCard
from bot.store_types import utcnow
from bot.views import FLAGS_PER_MESSAGE, draw_card, handle_note_submit
from bot.views_keyset import KeysetPage, KeysetPaginator

if TYPE_CHECKING:
    from bot.store import StoredAnalysis, StoredFlag

log = logging.getLogger(__name__)

QUEUE_PAGE_SIZE = 5
# Cards one stored analysis posts of its own flags at most, as many as a /review repost: the posting run holds the
# guild's posting lock, and a text with hundreds of flags must not flood the review channel (or hold up every other
# posting) for minutes. The rest stay pending without a card, for /review repost and later catch-ups.
ANALYSIS_CARDS = CATCH_UP_CARDS
CLEANUP_BATCH = 50  # cards re-drawn per store read while working off the clean-up list
EXPORT_SPOOL_BYTES = 1_000_000  # exports bigger than this spill from memory to a temp file
StatusChoice = Literal["pending", "confirmed", "dismissed", "superseded"]
CategoryChoice = Literal["anonymous_source", "vague_source", "no_source", "unattributed_quote"]
CleanOutcome = Literal["cleaned", "dropped", "forbidden", "failed"]  # what one clean-up attempt did to its card
# A card Discord refuses (403) is tried again after these gaps, doubling, and given up after the last attempt:
# about three days in all. Error codes that cannot get better (no access to the channel, unknown channel or
# message) drop it at once.
CLEANUP_MAX_ATTEMPTS = 8
CLEANUP_RETRY_FIRST = timedelta(minutes=55)  # just under the hourly retention round, so that round retries it
CLEANUP_RETRY_MAX = timedelta(hours=24)
FINAL_CLEANUP_CODES = frozenset({50001, 10003, 10008})  # Missing Access, Unknown Channel, Unknown Message
ARCHIVED_THREAD = 50083  # "Thread is archived": Discord refuses to delete (or edit) a message in it


class ExportTooLarge(BylineError):
    """The CSV is bigger than this server accepts as an attachment."""


class Review(commands.Cog):
    """Posts flags for review and gives moderators the queue, counts and an export."""

    review = app_commands.Group(
        name="review", description="Moderators: the queue of sourcing flags to review.", guild_only=True,
        default_permissions=discord.Permissions(manage_messages=True),
    )

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot
        self._cleaning = asyncio.Lock()  # one clean-up pass at a time; a second event waits, then finds less
        self._pass: asyncio.Task[Any] | None = None

    async def cog_unload(self) -> None:
        """Stop a running clean-up pass before the store closes; its unfinished cards stay listed for next time."""
        task = self._pass
        if task is not None and not task.done() and task is not asyncio.current_task():
            task.cancel()
            await asyncio.wait([task], timeout=5)

    @property
    def store(self) -> Any:
        return self.bot.store  # type: ignore[attr-defined]

    @commands.Cog.listener("on_byline_analysis_stored")
    async def post_flags(self, stored: StoredAnalysis) -> None:
        """Re-draw the cards of flags this analysis replaced, post its own flags, then a few older ones still waiting.

        A cached result repeats an analysis already stored, so it has nothing to re-draw, but its flags are posted
        if their first post failed, and it still gives older waiting flags their turn. Each step's failure is
        logged, never raised into dispatch, and never stops the other step.
        """
        if not stored.cached:
            try:
                await self._redraw_superseded(stored)
            except Exception:
                log.exception("could not redraw superseded cards of analysis %s in guild %s", stored.id,
                              stored.guild_id)
        try:
            await self._post_after_store(stored)
        except Exception:
            log.exception("could not post flags of analysis %s in guild %s", stored.id, stored.guild_id)

    async def _post_after_store(self, stored: StoredAnalysis) -> None:
        """This analysis's flags first (up to ANALYSIS_CARDS cards), then, unless they filled that, up to
        AUTO_CATCH_UP_CARDS cards of older waiting ones.

        Both are automatic runs: for a while after the review channel refused a post they send nothing, and the
        flags wait for a later run or /review repost. Flags past the cap stay pending without a card, so the
        catch-ups after later analyses and /review repost (oldest first) post them.
        """
        last = None
        if stored.flag_ids:
            own_cards = math.ceil(len(stored.flag_ids) / FLAGS_PER_MESSAGE)
            last = await post_waiting(self.bot, stored.guild_id, max_cards=min(own_cards, ANALYSIS_CARDS),
                                      analysis_id=stored.id, automatic=True)
            if last.cards:
                log.info("posted %d flag(s) of analysis %s to channel %s", last.flags, stored.id, last.channel_id)
            if last.cards >= ANALYSIS_CARDS:  # this analysis had its share: the rest wait, and so do older ones
                if last.remaining:
                    log.info("analysis %s in guild %s filled the %d cards one analysis may post; %d flag(s) wait "
                             "for /review repost", stored.id, stored.guild_id, ANALYSIS_CARDS, last.remaining)
                return
        if last is None or last.problem is None:
            last = await post_waiting(self.bot, stored.guild_id, max_cards=AUTO_CATCH_UP_CARDS, automatic=True)
            if last.cards:
                log.info("posted %d older waiting flag(s) in guild %s; %d still wait", last.flags, stored.guild_id,
                         last.remaining)
        if last.problem in ("channel_unavailable", "refused"):
            log.warning("could not post flags of analysis %s in guild %s: %s %s; automatic posts there pause for "
                        "%.0f minutes", stored.id, stored.guild_id, last.problem, last.detail,
                        REFUSAL_PAUSE_SECONDS / 60)
        elif last.problem == "paused":
            log.debug("flags of analysis %s in guild %s wait: the review channel refused a post lately", stored.id,
                      stored.guild_id)

    @commands.Cog.listener("on_raw_message_delete")
    async def card_deleted(self, payload: discord.RawMessageDeleteEvent) -> None:
        """A review card deleted in Discord (by a moderator, a purge): its pending flags wait for a new card."""
        if payload.guild_id is not None:
            await self._release(payload.guild_id, (payload.message_id,))

    @commands.Cog.listener("on_raw_bulk_message_delete")
    async def cards_purged(self, payload: discord.RawBulkMessageDeleteEvent) -> None:
        if payload.guild_id is not None:
            await self._release(payload.guild_id, tuple(payload.message_ids))

    async def _release(self, guild_id: int, message_ids: tuple[int, ...]) -> None:
        try:
            released = await self.store.release_cards(guild_id, message_ids=message_ids)
        except BylineError as exc:
            log.warning("guild %s: could not release the flags of deleted cards %s: %s", guild_id, message_ids, exc)
            return
        if released:
            log.info("guild %s: %d pending flag(s) lost their review card; they wait for a new one", guild_id, released)

    @commands.Cog.listener("on_interaction")
    async def note_submitted(self, interaction: discord.Interaction) -> None:
        """Save notes typed in a review card's note box, however long it was open and across restarts."""
        await handle_note_submit(interaction)

    async def _redraw_superseded(self, stored: StoredAnalysis) -> None:
        """Re-draw the cards of flags this analysis replaced: their buttons lock and the status says why."""
        for flags in await self.store.superseded_cards(stored.guild_id, stored.id):
            first = flags[0]
            if first.review_channel_id is None or first.review_message_id is None:
                continue
            message_id = first.review_message_id
            edit = self._message(stored.guild_id, first.review_channel_id, message_id).edit
            try:
                await draw_card(self.store, stored.guild_id, message_id, edit)
            except discord.HTTPException as exc:  # deleted card or lost access: the queue is right either way
                log.warning("could not redraw review card %s in guild %s: %s", message_id, stored.guild_id, exc)

    @commands.Cog.listener(f"on_{CARDS_STALE_EVENT}")
    async def clean_stale_cards(self) -> int:
        """Work off the store's list of cards that still show deleted or renamed data; returns how many left it.

        A forget-me or retention lists them in the same transaction as the deletion, and this runs after each
        forget-me and each hourly retention round, so it also catches up on cards left by a crash, a Discord
        outage or a command-line prune. One pass walks the whole list of cards that are due: a card Discord no
        longer has, or that sits in a server Byline left, leaves it; a card Byline may not edit right now (a 403
        such as a changed role) stays listed for a few more tries with growing gaps, because it may still quote a
        forgotten member and access usually comes back, but not for ever, since every refusal counts against
        Discord's invalid-request budget. Other failures stay listed too, and a batch in which nothing but such
        failures happened ends the pass, so an outage is not hammered.
        """
        async with self._cleaning:
            self._pass = asyncio.current_task()
            cleaned, after, now = 0, None, utcnow()
            departed: set[int] = set()  # guilds Byline left whose cards this pass dropped (logged once each)
            while True:
                batch = await self.store.stale_cards(limit=CLEANUP_BATCH, after=after, due_by=now)
                outcomes = [await self._clean_card_guarded(card, now, departed) for card in batch]
                went = outcomes.count("cleaned") + outcomes.count("dropped")
                cleaned += went
                if len(batch) < CLEANUP_BATCH or ("failed" in outcomes and not went):
                    break
                after = batch[-1]
        if cleaned:
            log.info("%d review card(s) left the clean-up list after deletions", cleaned)
        return cleaned

    async def _clean_card_guarded(self, card: StaleCard, now: datetime, departed: set[int]) -> CleanOutcome:
        """``_clean_card``, with a store failure while taking the card off the list (or putting it off) kept to this
        card: it stays listed for the next pass, and the rest of the batch is still cleaned."""
        try:
            return await self._clean_card(card, now, departed)
        except StoreError as exc:
            log.warning("could not update the clean-up list for review card %s in guild %s: %s", card.message_id,
                        card.guild_id, exc)
            return "failed"

    async def _clean_card(self, card: StaleCard, now: datetime, departed: set[int]) -> CleanOutcome:
        """Empty, re-draw or (for an analysis reply) delete one listed message; it leaves the list unless kept."""
        if self._left_guild(card.guild_id):  # Discord would refuse every request there (Missing Access)
            if card.guild_id not in departed:
                departed.add(card.guild_id)
                log.warning("Byline is no longer in guild %s; dropping its review cards from the clean-up",
                            card.guild_id)
            await self.store.card_cleaned(card)
            return "dropped"
        message = self._message(card.guild_id, card.channel_id, card.message_id)
        try:
            if card.reason == "reply":  # Byline's public analysis of a forgotten member's article: take it down
                await self._delete_reply(card, message)
            else:
                await draw_card(self.store, card.guild_id, card.message_id, message.edit,
                                empty_reason="deleted" if card.reason == "redraw" else card.reason)
        except discord.HTTPException as exc:
            if isinstance(exc, discord.NotFound) or exc.code in FINAL_CLEANUP_CODES:
                # Unknown Message or Channel, or no access to the channel at all: nothing Byline could still edit
                log.warning("review card %s in guild %s is gone or out of reach for good (%s); dropping it from the "
                            "clean-up", card.message_id, card.guild_id, exc)
                await self.store.card_cleaned(card)
                return "dropped"
            if isinstance(exc, discord.Forbidden) or (400 <= exc.status < 500 and exc.status != 429):
                # a refusal that waiting alone will not change (a 4xx such as 50083, an archived thread): counted and
                # put off like a 403, never retried on every pass, and never a reason to end the pass
                return await self._refused(card, exc, now)
            log.warning("could not clean review card %s in guild %s: %r", card.message_id, card.guild_id, exc)
            return "failed"
        except Exception as exc:  # the store failed: keep the row for the next pass
            log.warning("could not clean review card %s in guild %s: %r", card.message_id, card.guild_id, exc)
            return "failed"
        await self.store.card_cleaned(card)
        return "cleaned"

    async def _delete_reply(self, card: StaleCard, message: discord.PartialMessage) -> None:
        """Delete one of Byline's replies; in a thread Discord has archived, unarchive it first, as Discord's own
        client does (50083 Thread is archived)."""
        try:
            await message.delete()
        except discord.HTTPException as exc:
            thread = self.bot.get_channel(card.channel_id)
            if exc.code != ARCHIVED_THREAD or not isinstance(thread, discord.Thread):
                raise
            await thread.edit(archived=False)
            await message.delete()

    def _left_guild(self, guild_id: int) -> bool:
        """True when Byline is no longer in the guild; only asked once the guild cache is complete (after ready)."""
        return bool(self.bot.is_ready()) and self.bot.get_guild(guild_id) is None

    async def _refused(self, card: StaleCard, exc: discord.HTTPException, now: datetime) -> CleanOutcome:
        """Count a 403 and put the card off (one warning on the first refusal), or give it up after the last try."""
        attempts = card.attempts + 1
        if attempts >= CLEANUP_MAX_ATTEMPTS:
            log.warning("review card %s in guild %s was refused %d times (last: %s); giving up on it, so it may "
                        "still show deleted data", card.message_id, card.guild_id, attempts, exc)
            await self.store.card_cleaned(card)
            return "dropped"
        wait = min(CLEANUP_RETRY_FIRST * 2 ** (attempts - 1), CLEANUP_RETRY_MAX)
        await self.store.retry_card_later(card, attempts=attempts, next_try_at=now + wait)
        if attempts == 1:
            log.warning("review card %s in guild %s is out of Byline's reach (%s); it stays on the clean-up list "
                        "and is tried up to %d more time(s), with growing gaps", card.message_id, card.guild_id, exc,
                        CLEANUP_MAX_ATTEMPTS - 1)
        else:
            log.debug("review card %s in guild %s is still out of reach (try %d)", card.message_id, card.guild_id,
                      attempts)
        return "forbidden"

    def _message(self, guild_id: int, channel_id: int, message_id: int) -> discord.PartialMessage:
        """One posted message, addressed by channel and message id (no fetch needed)."""
        return self.bot.get_partial_messageable(channel_id, guild_id=guild_id).get_partial_message(message_id)

    @review.command(name="queue", description="Page through the flags waiting for a moderator's decision.")
    @moderator_only()
    async def queue(self, interaction: discord.Interaction) -> None:
        """Pending flags at or above the server's threshold, five per page, only visible to the moderator who asked.

        Each page is read and counted again when it is shown, starting behind the last flag seen, so flags that
        colleagues decide meanwhile, or that arrive meanwhile, neither hide others nor stay out of reach.
        """
        await interaction.response.defer(ephemeral=True, thinking=True)
        guild_id = _guild(interaction)

        async def read_page(after: StoredFlag | None, page: int) -> KeysetPage:
            settings = await self.store.get_settings(guild_id)
            threshold = settings.flag_threshold
            flags = await self.store.pending_flags(guild_id, limit=QUEUE_PAGE_SIZE + 1, after=after,
                                                   min_severity=threshold)
            shown, more = flags[:QUEUE_PAGE_SIZE], len(flags) > QUEUE_PAGE_SIZE
            total = await self.store.count_pending(guild_id, min_severity=threshold)
            pages = max(page + 1 + int(more), math.ceil(total / QUEUE_PAGE_SIZE))
            embed = render.review_queue_embed(shown, page=page, pages=pages, total=total)
            embed = _explain_missing_cards(embed, shown, has_channel=settings.review_channel_id is not None)
            return KeysetPage(embed, shown[-1] if more else None)

        first = await read_page(None, 0)
        if first.next_after is None:
            await interaction.followup.send(embed=first.embed, ephemeral=True, allowed_mentions=render.NO_MENTIONS)
            return
        view = KeysetPaginator(author_id=interaction.user.id, first=first, read_page=read_page,
                               recheck=interaction_is_moderator,  # a demoted moderator reads no further pages
                               client=interaction.client)
        view.message = await interaction.followup.send(embed=first.embed, view=view, ephemeral=True, wait=True,
                                                       allowed_mentions=render.NO_MENTIONS)

    @review.command(name="stats", description="Count flags by review status and by category.")
    @moderator_only()
    async def stats(self, interaction: discord.Interaction) -> None:
        """Counts only; they come from this guild's rows alone, and leave out flags below its threshold."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        guild_id = _guild(interaction)
        threshold = (await self.store.get_settings(guild_id)).flag_threshold
        embed = render.review_stats_embed(await self.store.review_stats(guild_id, min_severity=threshold))
        notes = []
        waiting = await self.store.count_waiting_for_card(guild_id, min_severity=threshold)
        if waiting:
            notes.append(f"{waiting} pending flag(s) have no card in the review channel yet: /review repost posts "
                         "them.")
        below = (await self.store.count_pending(guild_id, min_severity="low")
                 - await self.store.count_pending(guild_id, min_severity=threshold))
        if below:
            notes.append(f"{below} flag(s) below this server's {threshold} threshold are not sent for review and "
                         "not counted (/settings set flag-threshold).")
        carried = await self.store.count_carried(guild_id)
        if carried:
            notes.append(f"{carried} flag(s) took over the verdict a moderator gave the same claim on an earlier "
                         "analysis of the article, so it was not asked again; not counted again as confirmed or "
                         "dismissed.")
        if notes:
            embed.set_footer(text=" ".join(notes))
        await interaction.followup.send(embed=embed, ephemeral=True, allowed_mentions=render.NO_MENTIONS)

    @review.command(name="repost", description="Post review cards for flags that have none yet, oldest first.")
    @moderator_only()
    async def repost(self, interaction: discord.Interaction) -> None:
        """Catch up by hand after a missed post, at most CATCH_UP_CARDS cards a run; the answer says what is left."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        guild_id = _guild(interaction)
        posting = await post_waiting(self.bot, guild_id, max_cards=CATCH_UP_CARDS)
        log.info("review repost: guild=%s user=%s flags=%d cards=%d remaining=%d problem=%s", guild_id,
                 interaction.user.id, posting.flags, posting.cards, posting.remaining, posting.problem)
        text = describe(posting) or "Every flag waiting for review already has a card in the review channel."
        await interaction.followup.send(render.clip_content(text), ephemeral=True,
                                        allowed_mentions=render.NO_MENTIONS)

    @app_commands.command(name="export", description="Moderators: download the review decisions as a CSV file.")
    @app_commands.describe(status="Only flags with this review status (pending: those in the review queue)",
                           category="Only flags of this kind",
                           days="Only flags from the last N days")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_messages=True)
    @moderator_only()
    async def export(self, interaction: discord.Interaction, status: StatusChoice | None = None,
                     category: CategoryChoice | None = None,
                     days: app_commands.Range[int, 1, 3650] | None = None) -> None:
        """Stream the CSV into a spooled file, so a big guild's export never sits in memory twice.

        ``status=pending`` exports the review queue (what /review queue lists and counts); every row's ``in_queue``
        column says whether the flag is in it, so an unfiltered export shows the flags below the threshold too.
        """
        if days is not None and not 1 <= days <= 3650:
            raise InputError("Days must be between 1 and 3650.")
        await interaction.response.defer(ephemeral=True, thinking=True)
        guild_id = _guild(interaction)
        since = datetime.now(UTC) - timedelta(days=days) if days else None
        limit = _upload_limit(interaction)
        with tempfile.SpooledTemporaryFile(max_size=EXPORT_SPOOL_BYTES, mode="w+b") as raw:
            rows = await self._write_csv(guild_id, raw, status=status, category=category, since=since)
            size = raw.tell()
            if rows == 0:
                await interaction.followup.send("No flags match those filters.", ephemeral=True)
                return
            if size > limit:
                raise ExportTooLarge(f"The export is {size / 1e6:.1f} MB, over the {limit / 1e6:.0f} MB upload "
                                     "limit. Narrow it with status, category or days.")
            raw.seek(0)
            name = f"byline-flags-{guild_id}-{datetime.now(UTC):%Y%m%d}.csv"
            file = discord.File(raw, filename=name)  # type: ignore[arg-type]  # a binary spooled file reads like one
            said = f"{rows} flag(s) exported."
            if status == "pending":
                threshold = (await self.store.get_settings(guild_id)).flag_threshold
                said = (f"{rows} flag(s) exported: the review queue, pending flags at or above this server's "
                        f"{threshold} threshold (an export without a status filter also lists those below it).")
            await interaction.followup.send(said, file=file, ephemeral=True)
        log.info("exported %d flag(s) for guild %s (user %s)", rows, guild_id, interaction.user.id)

    async def _write_csv(self, guild_id: int, raw: Any, **filters: Any) -> int:
        """Let the store write UTF-8 CSV rows straight into ``raw``; return the row count."""
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        try:
            rows = int(await self.store.export_flags(guild_id, text, fmt="csv", **filters))
            text.flush()
        finally:
            text.detach()  # keep ``raw`` open for the upload
        return rows


def _explain_missing_cards(embed: discord.Embed, flags: list[StoredFlag], *, has_channel: bool) -> discord.Embed:
    """Say how to get buttons for listed flags that have no card yet, instead of pointing at buttons that are not
    there."""
    if any(f.review_message_id is None for f in flags):
        embed.description = (
            "Flags without a review-message link have no card yet: /review repost posts them." if has_channel else
            "No review channel is set, so these flags have no buttons yet: a member with Manage Server can choose "
            "one with /settings set review-channel, and the waiting flags are posted there.")
    return embed


def _upload_limit(interaction: discord.Interaction) -> int:
    """The guild's upload limit from the interaction payload, never above render's safe cap."""
    reported = getattr(interaction, "filesize_limit", None)
    if isinstance(reported, int) and reported > 0:
        return min(reported, render.ATTACHMENT_LIMIT_BYTES)
    return render.ATTACHMENT_LIMIT_BYTES


def _guild(interaction: discord.Interaction) -> int:
    if interaction.guild_id is None:
        raise InputError("This command only works inside a server.")
    return interaction.guild_id


async def setup(bot: commands.Bot) -> None:
    """Load the review cog."""
    await bot.add_cog(Review(bot))
