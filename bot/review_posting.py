"""Review cards: post the flags meant for review to the review channel, and catch up on those still without one.

A flag gets its card when its analysis is stored, but that one chance can be missed: no review channel was set
yet, Discord refused the post (a 403, a deleted channel, an outage), or the threshold was lowered later. Without
a card a flag has no buttons and nobody can decide it, so whatever still has none is posted later, oldest first:
a few cards after every stored analysis, and up to ``CATCH_UP_CARDS`` when a manager sets the review channel or
a moderator runs ``/review repost``, and just after a manager lowers the threshold (the answer says how many it
will post, then the run starts). A post that fails leaves its flags without a card, so the next run retries them;
the cap keeps a long backlog from flooding the channel in one go. A card Discord accepted but the store could not
record (busy past its timeout, a full disk) is deleted again: unrecorded, it would be posted a second time and no
forget-me or retention would ever find it.

A run reads the guild's settings again before each card, under ``settings_lock``, which a manager's change of the
review channel or threshold also takes: once that change is stored, no card goes to the old channel (the run stops)
or shows flags below the new threshold (they are skipped). A card's flags are read again just before it is sent and
once it is recorded: a newer analysis of the article may supersede them meanwhile, so they are left off it, or it is
re-drawn at once (that analysis's own re-draw finds recorded cards only).

Once Discord refuses a post (or the channel cannot be found), the automatic runs after stored analyses pause for
``REFUSAL_PAUSE_SECONDS`` in that guild: otherwise every link reply in a busy server would add one more refused
request, and Discord bans a bot that makes too many. Setting the channel and ``/review repost`` still try at once,
and a run that gets through lifts the pause. The pause is kept in memory only; a restart simply tries again.
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import discord

from bot import render
from bot.errors import NotFoundError, StoreError
from bot.locks import KeyedLocks
from bot.store_types import STAFF, severity_rank
from bot.views import FLAGS_PER_MESSAGE, draw_card, review_view

if TYPE_CHECKING:
    from bot.store_types import StoredFlag

log = logging.getLogger(__name__)

CATCH_UP_CARDS = 10  # cards one catch-up run posts at most (a setting change or /review repost)
AUTO_CATCH_UP_CARDS = 2  # cards of older waiting flags each stored analysis posts after its own
REFUSAL_PAUSE_SECONDS = 600.0  # automatic runs skip a guild this long after Discord refused its review channel
# Dispatched with a guild id once a change (a lowered threshold) admitted flags still waiting for a card: the
# settings cog answers first and runs the catch-up on this event, held by the bot's drain like the command.
CATCH_UP_EVENT = "byline_review_catch_up"
# "changed": the review channel was changed or cleared during the run, which then stopped. "no_rights": Byline lacks
# a right it needs to post in the channel (only a preview says so; a run lets Discord refuse).
Problem = Literal["no_channel", "channel_unavailable", "refused", "paused", "changed", "no_rights"]
# What posting a card needs in the review channel, as Discord names it (View Channel clears all the others).
POST_RIGHTS = (("view_channel", "View Channel"), ("send_messages", "Send Messages"), ("embed_links", "Embed Links"))

_guild_locks = KeyedLocks()  # one posting run per guild at a time
_settings_locks = KeyedLocks()  # one card checked against the settings and posted, or one change of them
# Per event loop, like the locks: guild id -> the monotonic time until which automatic runs leave it alone.
_pauses: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, float]] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class Posting:
    """What one run posted, how many flags meant for review still have no card, and why it stopped early."""

    flags: int = 0
    cards: int = 0
    remaining: int = 0
    channel_id: int | None = None
    problem: Problem | None = None
    detail: str = ""  # Discord's words for a refused post, or the rights missing, for the log and the moderator


def _guild_lock(guild_id: int) -> asyncio.Lock:
    """One posting run per guild at a time: two runs reading the same waiting flags would post them twice."""
    return _guild_locks(guild_id)


def settings_lock(guild_id: int) -> asyncio.Lock:
    """Held while one card is checked against the guild's settings, sent and recorded, and by a manager's change
    of the review channel or threshold: the change waits for the card in flight, and the next card sees it."""
    return _settings_locks(guild_id)


def group_cards(flags: Sequence[StoredFlag], max_cards: int) -> list[list[StoredFlag]]:
    """Flags as cards, in the order given: one analysis per card (its title heads it), five flags at most."""
    cards: list[list[StoredFlag]] = []
    for flag in flags:
        if cards and cards[-1][0].analysis_id == flag.analysis_id and len(cards[-1]) < FLAGS_PER_MESSAGE:
            cards[-1].append(flag)
        else:
            cards.append([flag])
    return cards[:max(0, max_cards)]


def _now() -> float:
    """The clock the pause is measured on (a function, so tests can step it instead of waiting)."""
    return time.monotonic()


def _guild_pauses() -> dict[int, float]:
    return _pauses.setdefault(asyncio.get_running_loop(), {})


async def post_waiting(bot: Any, guild_id: int, *, max_cards: int, analysis_id: str | None = None,
                       automatic: bool = False) -> Posting:
    """Post up to ``max_cards`` cards of flags still waiting for one, oldest first (only ``analysis_id``'s if given).

    Discord's refusal ends the run and is reported, not raised: the flags stay waiting for the next run. An
    ``automatic`` run (after a stored analysis) does nothing, and reports ``paused``, while the guild's last
    refusal is recent; a run a member asked for always tries.
    """
    async with _guild_lock(guild_id):
        pauses = _guild_pauses()
        if automatic and pauses.get(guild_id, 0.0) > _now():
            return Posting(problem="paused")
        posting = await _post_waiting(bot, guild_id, max_cards, analysis_id)
        if posting.problem in ("channel_unavailable", "refused"):
            pauses[guild_id] = _now() + REFUSAL_PAUSE_SECONDS
        else:
            pauses.pop(guild_id, None)
        return posting


async def _post_waiting(bot: Any, guild_id: int, max_cards: int, analysis_id: str | None) -> Posting:
    store = bot.store
    settings = await store.get_settings(guild_id)
    threshold, channel_id = settings.flag_threshold, settings.review_channel_id

    async def remaining() -> int:  # under the threshold in force now: a manager may have changed it meanwhile
        now = (await store.get_settings(guild_id)).flag_threshold
        return int(await store.count_waiting_for_card(guild_id, min_severity=now))

    if channel_id is None:
        return Posting(remaining=await remaining(), problem="no_channel")
    groups = await _next_cards(store, guild_id, threshold, max_cards, analysis_id)
    if not groups:
        return Posting(remaining=await remaining(), channel_id=channel_id)
    channel = await review_channel(bot, guild_id, channel_id)
    if channel is None:
        return Posting(remaining=await remaining(), channel_id=channel_id, problem="channel_unavailable")
    posted = cards = 0
    for group in groups:
        try:
            # Shielded: a card sent but never recorded could not be cleaned after a forget-me or retention.
            sent = await asyncio.shield(_post_if_still_wanted(store, channel, channel_id, guild_id, group))
        except discord.HTTPException as exc:
            return Posting(posted, cards, await remaining(), channel_id, "refused", str(exc))
        if sent is None:
            log.info("the review channel of guild %s changed during a posting run; it stopped after %d card(s)",
                     guild_id, cards)
            return Posting(posted, cards, await remaining(), channel_id, "changed")
        if sent:
            posted, cards = posted + sent, cards + 1
    return Posting(posted, cards, await remaining(), channel_id)


async def _post_if_still_wanted(store: Any, channel: Any, channel_id: int, guild_id: int,
                                group: list[StoredFlag]) -> int | None:
    """Post one card of ``group`` as the guild's settings stand now: the flags it showed (0 when none was posted),
    or None when the review channel is no longer ``channel_id`` (changed or cleared), so the run must stop."""
    async with settings_lock(guild_id):
        current = await store.get_settings(guild_id)
        if current.review_channel_id != channel_id:
            return None
        floor = severity_rank(current.flag_threshold)  # raised meanwhile: flags below it are no longer sent
        wanted = [f for f in await _still_waiting(store, guild_id, group) if severity_rank(f.severity) >= floor]
        if not wanted or not await _post_card(store, channel, channel_id, guild_id, wanted):
            return 0
        return len(wanted)


async def _still_waiting(store: Any, guild_id: int, group: list[StoredFlag]) -> list[StoredFlag]:
    """``group``'s flags as stored now, less those that no longer wait for a card: a newer analysis of the article
    may have superseded some since they were read, and a card would show them as pending, with live buttons."""
    fresh = [await store.get_flag(guild_id, f.id) for f in group]
    return [f for f in fresh if f is not None and f.status == "pending" and f.review_message_id is None]


async def _next_cards(store: Any, guild_id: int, threshold: str, max_cards: int,
                      analysis_id: str | None) -> list[list[StoredFlag]]:
    """The cards a run would post next: the oldest waiting flags, grouped, ``max_cards`` at most."""
    flags = await store.waiting_for_card(guild_id, min_severity=threshold, analysis_id=analysis_id,
                                         limit=max(1, max_cards) * FLAGS_PER_MESSAGE)
    return group_cards(flags, max_cards)


async def preview_waiting(bot: Any, guild_id: int, *, max_cards: int) -> Posting:
    """What a run of ``post_waiting`` with ``max_cards`` would post if it started now, without posting anything.

    For an answer that must go out before the run (a lowered threshold): the flags and cards it would send and how
    many flags would still wait after it; or, with nothing to post and the number waiting, ``no_channel``,
    ``channel_unavailable`` (deleted, or out of Byline's sight) or ``no_rights`` (``detail`` names the rights
    Byline lacks there), so the answer never promises cards that cannot be posted.
    """
    store = bot.store
    settings = await store.get_settings(guild_id)
    threshold, channel_id = settings.flag_threshold, settings.review_channel_id
    waiting = int(await store.count_waiting_for_card(guild_id, min_severity=threshold))
    if channel_id is None:
        return Posting(remaining=waiting, problem="no_channel")
    groups = await _next_cards(store, guild_id, threshold, max_cards, None)
    if not groups:
        return Posting(remaining=waiting, channel_id=channel_id)
    channel = await review_channel(bot, guild_id, channel_id)
    if channel is None:
        return Posting(remaining=waiting, channel_id=channel_id, problem="channel_unavailable")
    lacking = missing_rights(channel)
    if lacking:
        return Posting(remaining=waiting, channel_id=channel_id, problem="no_rights", detail=", ".join(lacking))
    flags = sum(len(g) for g in groups)
    return Posting(flags, len(groups), max(0, waiting - flags), channel_id)


def missing_rights(channel: Any) -> list[str]:
    """The rights of ``POST_RIGHTS`` Byline lacks in ``channel``, as Discord names them; empty when it has them all,
    or when its member or the channel's permissions are not known (Discord then has the last word)."""
    me = getattr(getattr(channel, "guild", None), "me", None)
    if not isinstance(me, discord.Member):
        return []
    perms = channel.permissions_for(me)
    if not isinstance(perms, discord.Permissions):
        return []
    return [name for attr, name in POST_RIGHTS if not getattr(perms, attr)]


async def _post_card(store: Any, channel: Any, channel_id: int, guild_id: int, group: list[StoredFlag]) -> bool:
    """Send one card and record it; False when its flags vanished meanwhile (the card is then withdrawn).

    A card that cannot be recorded for another reason (the store stayed busy, even on a second try, or the disk is
    full) is withdrawn too, and the error raised: unrecorded, its flags would get a second card on the next run,
    and neither a forget-me nor retention would ever find this one to clean.
    """
    analysis = await store.get_analysis(guild_id, group[0].analysis_id, viewer_id=STAFF)
    if analysis is None:  # deleted since the flags were read: nothing left to review
        return False
    message = await channel.send(embed=render.review_flags_embed(group, analysis), view=review_view(group),
                                 allowed_mentions=render.NO_MENTIONS)
    try:
        await _record(store, guild_id, group, channel_id, message.id)
    except NotFoundError:  # a forget-me or retention deleted the flags while the card was being sent
        await _withdraw(message, guild_id, group[0].analysis_id, "its flags were deleted while it was posted")
        return False
    except Exception:
        await _withdraw(message, guild_id, group[0].analysis_id, "it could not be recorded")
        raise
    await _redraw_if_changed(store, guild_id, message, group)
    return True


async def _redraw_if_changed(store: Any, guild_id: int, message: discord.Message, shown: list[StoredFlag]) -> None:
    """Re-draw a card whose flags changed while it was sent (a newer analysis superseded them): that analysis's own
    re-draw only finds recorded cards, so it may have missed this one, which would keep live buttons until clicked."""
    now = await store.flags_on_card(guild_id, message.id)
    if {(f.id, f.status) for f in now} == {(f.id, f.status) for f in shown}:
        return
    try:
        await draw_card(store, guild_id, message.id, message.edit)
    except (discord.HTTPException, StoreError) as exc:  # the card is recorded: a click or a later re-draw fixes it
        log.warning("could not redraw review card %s in guild %s after its flags changed: %s", message.id, guild_id,
                    exc)


async def _record(store: Any, guild_id: int, group: list[StoredFlag], channel_id: int, message_id: int) -> None:
    """Record a sent card, trying once more if the store failed (a busy database often frees up)."""
    flag_ids = [f.id for f in group]
    try:
        await store.set_review_messages(guild_id, flag_ids, channel_id, message_id)
    except StoreError as exc:
        log.warning("could not record review card %s in guild %s (%s); trying once more", message_id, guild_id, exc)
        await store.set_review_messages(guild_id, flag_ids, channel_id, message_id)


async def _withdraw(message: discord.Message, guild_id: int, analysis_id: str, why: str) -> None:
    """Delete a card that could not be recorded; nothing else would ever clean it."""
    log.info("withdrawing review card %s of analysis %s in guild %s: %s", message.id, analysis_id, guild_id, why)
    try:
        await message.delete()
    except discord.HTTPException as exc:
        log.warning("could not withdraw unrecorded review card %s (channel %s, guild %s), which stays posted and is "
                    "cleaned by nothing: %s", message.id, getattr(message.channel, "id", None), guild_id, exc)


async def review_channel(bot: Any, guild_id: int, channel_id: int) -> discord.abc.Messageable | None:
    """The configured channel, only if it still exists, belongs to this guild and can hold messages."""
    channel: Any = bot.get_channel(channel_id)
    if channel is None:
        try:
            channel = await bot.fetch_channel(channel_id)
        except discord.HTTPException as exc:
            log.warning("review channel %s of guild %s is unavailable: %s", channel_id, guild_id, exc)
            return None
    if getattr(getattr(channel, "guild", None), "id", None) != guild_id or not hasattr(channel, "send"):
        log.warning("review channel %s is not a text channel of guild %s", channel_id, guild_id)
        return None
    return channel  # type: ignore[no-any-return]


def announce(plan: Posting) -> str:
    """What a catch-up about to run (``preview_waiting``) will post, for the member whose change started it."""
    if plan.problem is not None:
        return describe(plan)
    if not plan.flags:
        return "No flag is waiting for a review card."
    where = f"<#{plan.channel_id}>" if plan.channel_id else "the review channel"
    text = f"{plan.flags} waiting flag(s) will now be posted on {plan.cards} card(s) in {where}."
    if plan.remaining:
        text += (f" {plan.remaining} more will still wait for a card; each /review repost posts up to "
                 f"{CATCH_UP_CARDS} more cards.")
    return text


def describe(posting: Posting) -> str:
    """What a catch-up did, for the member who started it; empty when nothing was waiting."""
    where = f"<#{posting.channel_id}>" if posting.channel_id else "the review channel"
    left = posting.remaining
    if posting.problem == "no_channel":
        return (f"{left} flag(s) wait for a review card, but no review channel is set: a member with Manage Server "
                "can choose one with /settings set review-channel." if left else "")
    if posting.problem == "channel_unavailable":
        return (f"Byline cannot find or use {where}, so {left} flag(s) still wait for a card; check that the "
                "channel exists and that Byline can see it, then run /review repost.")
    if posting.problem == "no_rights":
        return (f"Byline lacks {posting.detail} in {where}, so {left} flag(s) still wait for a card; give it "
                "those rights there, then run /review repost.")
    done = f"Posted {posting.flags} flag(s) on {posting.cards} card(s) in {where}. " if posting.cards else ""
    if posting.problem == "changed":
        stopped = f"{done}The review channel was changed or turned off meanwhile, so this run stopped"
        return f"{stopped}; {left} flag(s) still wait for a card." if left else f"{stopped}."
    if posting.problem == "refused":
        return (f"{done}Discord refused a post in {where} ({posting.detail}); {left} flag(s) still wait for a "
                "card. Check that Byline may send messages with embeds there, then run /review repost.")
    if left:
        return (f"{done}{left} more flag(s) still wait for a card; each /review repost posts up to "
                f"{CATCH_UP_CARDS} more cards.")
    return done.strip()
