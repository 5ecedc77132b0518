"""The review cog: posting flags to the review channel, /review queue and stats, /export, with a real Store."""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import logging
from datetime import UTC, datetime, timedelta
from unittest import mock

import discord
import pytest

from bot.checks import ModeratorCheckFailure
from bot.errors import StoreError
from bot.render import NO_MENTIONS
from bot.review_posting import AUTO_CATCH_UP_CARDS, CATCH_UP_CARDS, REFUSAL_PAUSE_SECONDS
from bot.views import FLAGS_PER_MESSAGE, ReviewButton
from bot.views_keyset import KeysetPaginator
from cogs.review import ANALYSIS_CARDS, CLEANUP_MAX_ATTEMPTS, ExportTooLarge, Review
from tests.helpers import (
    flagged_result,
    http_error,
    make_channel,
    make_guild,
    make_interaction,
    make_member,
    make_message,
    make_permissions,
    make_store_bot,
)

TEXT = (
    "Officials said the bridge would reopen in May. Sources close to the contractor said it was behind schedule. "
    "Some say the repairs were rushed. The bridge reportedly failed an inspection. "
    "\"It is unsafe,\" a statement read."
)
FLAGS = [
    ("anonymous_source", "high", "Sources close to the contractor"),
    ("vague_source", "medium", "Some say"),
    ("no_source", "low", "reportedly"),
]


async def _save(store, guild_id, text=TEXT, flags=FLAGS, author_id=None):
    return await store.save_analysis(guild_id, text, flagged_result(text, flags, title="Bridge"),
                                     engine_version="test-1", title="Bridge", url="https://news.example/bridge",
                                     author_id=author_id)


def _card():
    """A posted review card as the cog addresses it (a spec'd PartialMessage): a misspelt call fails the test."""
    return mock.create_autospec(discord.PartialMessage, instance=True, spec_set=True)


def _cog_with_channel(store, guild):
    bot = make_store_bot(store)
    channel = make_channel(guild=guild, name="review")
    counter = iter(range(900, 10_000))
    channel.send.side_effect = lambda **kw: make_message(channel=channel, message_id=next(counter))
    bot.get_channel.side_effect = lambda cid: channel if cid == channel.id else None
    return Review(bot), channel


async def _posting_cog(store, guild, threshold):
    """A review cog whose guild posts flags at ``threshold`` or above to a fake review channel."""
    cog, channel = _cog_with_channel(store, guild)
    await store.update_settings(guild.id, review_channel_id=channel.id, flag_threshold=threshold)
    return cog, channel


def _mod(store, guild, **perms):
    rights = make_permissions(**(perms or {"manage_messages": True}))
    inter = make_interaction(client=make_store_bot(store), guild=guild,
                             user=make_member(guild=guild, name="Mo", permissions=rights))
    inter.permissions = rights
    inter.filesize_limit = 10 * 1024 * 1024

    def keep_upload(*args, **kwargs):  # the cog closes its temp file after sending, as it should
        if "file" in kwargs:
            inter.extras["upload"] = kwargs["file"].fp.read()
        return mock.DEFAULT

    inter.followup.send.side_effect = keep_upload
    return inter


async def _open_queue(store, inter) -> None:
    """Run /review queue as a moderator would."""
    cog = Review(make_store_bot(store))
    await cog.queue.callback(cog, inter)


async def _run_checks(command, inter) -> None:
    for check in command.checks:
        await check(inter)


# --- posting ------------------------------------------------------------------------------------------------


async def test_flags_at_or_above_threshold_are_posted_with_buttons(store):
    """Medium threshold: the high and medium flags are posted with their buttons; the low one is not."""
    guild = make_guild()
    cog, channel = await _posting_cog(store, guild, "medium")
    stored = await _save(store, guild.id)
    await cog.post_flags(stored)

    channel.send.assert_awaited_once()
    sent = channel.send.await_args.kwargs
    assert sent["allowed_mentions"] == NO_MENTIONS
    high, medium, low = stored.flag_ids
    ids = {c.custom_id for c in sent["view"].children if isinstance(c, ReviewButton)}
    assert ids == {f"byline:review:{a}:{f}" for a in ("confirm", "dismiss", "note") for f in (high, medium)}
    assert [f.name.split(" · ")[0][-len(str(high)) - 1:] for f in sent["embed"].fields] == [f"#{high}", f"#{medium}"]
    assert sent["view"].timeout is None
    posted = await store.get_flag(guild.id, high)
    assert (posted.review_channel_id, posted.review_message_id) == (channel.id, 900)
    assert (await store.get_flag(guild.id, low)).review_message_id is None


async def test_a_newer_analysis_redraws_the_cards_of_the_flags_it_replaced(store):
    """Old cards lose their live buttons at once, instead of waiting for a moderator to click a stale flag."""
    guild = make_guild()
    cog, channel = await _posting_cog(store, guild, "medium")
    old = await _save(store, guild.id)
    await cog.post_flags(old)
    card = _card()
    cog.bot.get_partial_messageable.return_value.get_partial_message.return_value = card
    new = await store.save_analysis(guild.id, TEXT, flagged_result(TEXT, FLAGS, title="Bridge"),
                                    engine_version="test-2", title="Bridge")
    await cog.post_flags(new)

    cog.bot.get_partial_messageable.assert_called_once_with(channel.id, guild_id=guild.id)
    cog.bot.get_partial_messageable.return_value.get_partial_message.assert_called_once_with(900)
    redrawn = card.edit.await_args.kwargs
    buttons = [c for c in redrawn["view"].children if isinstance(c, ReviewButton)]
    assert {b.custom_id.split(":")[-1] for b in buttons} == {str(f) for f in old.flag_ids[:2]}
    assert all(b.item.disabled for b in buttons if ":note:" not in b.custom_id)
    assert "Replaced by a newer analysis" in str(redrawn["embed"].to_dict())
    assert channel.send.await_count == 2  # the new analysis's own card


async def test_a_newer_analysis_posts_no_card_for_claims_moderators_already_decided(store):
    """After an engine upgrade the decided claims keep their verdicts: only the undecided one gets a new card, the
    queue and the stats agree, and the stats say how many verdicts were carried over."""
    guild = make_guild()
    cog, channel = await _posting_cog(store, guild, "medium")
    old = await _save(store, guild.id)
    await cog.post_flags(old)
    high, _medium, _low = old.flag_ids
    await store.review_flag(guild.id, high, status="confirmed", reviewer_id=5, reviewer_name="Eve")
    cog.bot.get_partial_messageable.return_value.get_partial_message.return_value = _card()
    new = await store.save_analysis(guild.id, TEXT, flagged_result(TEXT, FLAGS, title="Bridge"),
                                    engine_version="test-2", title="Bridge")
    await cog.post_flags(new)

    new_high, new_medium, _new_low = new.flag_ids
    assert channel.send.await_count == 2
    buttons = [c for c in channel.send.await_args.kwargs["view"].children if isinstance(c, ReviewButton)]
    assert {b.custom_id.split(":")[-1] for b in buttons} == {str(new_medium)}
    assert (await store.get_flag(guild.id, new_high)).review_message_id is None

    queue = _mod(store, guild)
    await cog.queue.callback(cog, queue)
    embed = queue.followup.send.await_args.kwargs["embed"]
    assert embed.title == "Review queue · 1 pending" and [f"#{new_medium}" in f.name for f in embed.fields] == [True]
    stats = _mod(store, guild)
    await cog.stats.callback(cog, stats)
    embed = stats.followup.send.await_args.kwargs["embed"]
    assert embed.description == "**1** pending · **1** confirmed · **0** dismissed · **2** superseded"
    assert "1 flag(s) took over the verdict" in embed.footer.text
    assert "not counted again as confirmed or dismissed" in embed.footer.text


async def test_a_card_that_cannot_be_redrawn_does_not_stop_the_new_flags(store, caplog):
    guild = make_guild()
    cog, channel = await _posting_cog(store, guild, "medium")
    await cog.post_flags(await _save(store, guild.id))
    gone = _card()
    gone.edit.side_effect = http_error(discord.NotFound, 404, 10008, "Unknown Message")
    cog.bot.get_partial_messageable.return_value.get_partial_message.return_value = gone
    new = await store.save_analysis(guild.id, TEXT, flagged_result(TEXT, FLAGS), engine_version="test-2")
    await cog.post_flags(new)
    assert channel.send.await_count == 2
    assert "could not redraw review card" in caplog.text


def _missing_permissions():
    """A 403 that may pass (a role lost a permission), unlike Missing Access to the whole channel."""
    return http_error(discord.Forbidden, 403, 50013, "Missing Permissions")


class _Clock:
    """The clean-up's idea of now, moved by hand: back-off is tested by stepping time, never by waiting."""

    def __init__(self, start):
        self.now = start

    def __call__(self):
        return self.now

    def advance(self, *, minutes):
        self.now += timedelta(minutes=minutes)


@contextlib.contextmanager
def _clock(*, minutes=0):
    """Patch the review cog's clock, ``minutes`` ahead of the real one, and hand it over.

    Patched in the globals of the module Review came from: other tests reload cogs.review through the extension
    loader, so the name "cogs.review" may point at a newer copy than the class under test.
    """
    clock = _Clock(datetime.now(UTC) + timedelta(minutes=minutes))
    with mock.patch.dict(Review.clean_stale_cards.__globals__, {"utcnow": clock}):
        yield clock


def _cards_by_id(cog):
    """Each posted card the cog edits, as its own AsyncMock, keyed by message id."""
    cards: dict[int, mock.NonCallableMagicMock] = {}
    partial = cog.bot.get_partial_messageable.return_value
    partial.get_partial_message.side_effect = lambda mid: cards.setdefault(mid, _card())
    return cards


async def test_forget_me_redraws_every_card_that_showed_the_member(store):
    """Their own article's card keeps nothing of it; a card they decided shows the placeholder, not their name."""
    guild = make_guild()
    cog, channel = await _posting_cog(store, guild, "medium")
    leaver, other = 4242, 5151
    own = await _save(store, guild.id, author_id=leaver)
    await cog.post_flags(own)  # card 900
    theirs = await _save(store, guild.id, TEXT + " More.", author_id=other)
    await cog.post_flags(theirs)  # card 901
    await store.review_flag(guild.id, theirs.flag_ids[0], status="confirmed", reviewer_id=leaver,
                            reviewer_name="Lea Ver")
    cards = _cards_by_id(cog)
    await store.forget_user(guild.id, leaver)

    assert await cog.clean_stale_cards() == 2

    assert set(cards) == {900, 901}
    removed = cards[900].edit.await_args.kwargs
    assert removed["view"] is None
    shown = str(removed["embed"].to_dict())
    assert "forget" in shown and "Bridge" not in shown and "Sources close" not in shown and str(leaver) not in shown
    redrawn = cards[901].edit.await_args.kwargs
    shown = str(redrawn["embed"].to_dict())
    assert "forgotten user" in shown and "Lea Ver" not in shown
    assert len([c for c in redrawn["view"].children if isinstance(c, ReviewButton)]) == 6  # both flags' rows
    assert all(call.args == (channel.id,) for call in cog.bot.get_partial_messageable.call_args_list)
    assert await store.stale_cards() == []
    assert await cog.clean_stale_cards() == 0  # nothing left: no edit is repeated
    assert cards[900].edit.await_count == 1


async def test_a_store_error_on_one_card_does_not_end_the_clean_up_pass(store, caplog):
    """The store fails while taking the first cleaned card off the list: that card stays listed for the next pass,
    and the other card (still showing a forgotten member's article) is cleaned in this one."""
    guild = make_guild()
    cog, _ = await _posting_cog(store, guild, "medium")
    leaver = 4242
    for text in (TEXT, TEXT + " More."):
        await cog.post_flags(await _save(store, guild.id, text, author_id=leaver))  # cards 900 and 901
    cards = _cards_by_id(cog)
    await store.forget_user(guild.id, leaver)
    real = store.card_cleaned
    calls = 0

    async def busy_once(card):
        nonlocal calls
        calls += 1
        if calls == 1:
            raise StoreError("The database stayed busy for too long; please try again.")
        await real(card)

    with mock.patch.object(store, "card_cleaned", side_effect=busy_once), caplog.at_level(logging.WARNING):
        assert await cog.clean_stale_cards() == 1
    assert set(cards) == {900, 901} and all(card.edit.await_count == 1 for card in cards.values())
    assert [c.message_id for c in await store.stale_cards()] == [900]
    assert "could not update the clean-up list for review card 900" in caplog.text
    assert await cog.clean_stale_cards() == 1 and await store.stale_cards() == []


async def test_clean_up_drops_cards_discord_lost_and_retries_the_rest_later(store, caplog):
    """A 404 means the card is gone for good. A 403 Missing Permissions (a changed role) and an outage keep the card
    listed, because it may still quote a forgotten member once Byline can reach it again."""
    guild = make_guild()
    cog, _ = await _posting_cog(store, guild, "medium")
    leaver = 4242
    for text in (TEXT, TEXT + " Again.", TEXT + " Third.", TEXT + " Fourth."):
        await cog.post_flags(await _save(store, guild.id, text, author_id=leaver))  # cards 900 to 903
    cards = _cards_by_id(cog)
    cards[900] = _card()
    cards[900].edit.side_effect = http_error(discord.NotFound, 404, 10008, "Unknown Message")
    cards[901] = _card()
    cards[901].edit.side_effect = http_error(discord.HTTPException, 503, 0, "try later")
    cards[903] = _card()
    cards[903].edit.side_effect = _missing_permissions()
    await store.forget_user(guild.id, leaver)

    assert await cog.clean_stale_cards() == 2  # 900 is gone for good; 902 is emptied; 901 and 903 must wait
    assert cards[902].edit.await_args.kwargs["view"] is None
    assert [c.message_id for c in await store.stale_cards()] == [901, 903]
    assert "could not clean review card 901" in caplog.text and "card 903" in caplog.text

    cards[901].edit.side_effect = cards[903].edit.side_effect = None  # Discord is back, the role fixed
    with _clock(minutes=60):  # 903 waits out its back-off; 901 (an outage, not a refusal) is due at once
        assert await cog.clean_stale_cards() == 2
    for message_id in (901, 903):
        assert cards[message_id].edit.await_args.kwargs["view"] is None
        assert "Bridge" not in str(cards[message_id].edit.await_args.kwargs["embed"].to_dict())
    assert await store.stale_cards() == []


async def test_a_refused_card_is_retried_with_growing_gaps_then_given_up(store, caplog):
    """A 403 that may pass keeps the card for a few tries, each later than the last, then it is given up with one
    line: retried every pass for ever, a refusing server's cards would use up Discord's invalid-request budget."""
    guild = make_guild()
    cog, _ = await _posting_cog(store, guild, "medium")
    await cog.post_flags(await _save(store, guild.id, author_id=4242))  # card 900
    card = _card()
    card.edit.side_effect = _missing_permissions()
    cog.bot.get_partial_messageable.return_value.get_partial_message.return_value = card
    await store.forget_user(guild.id, 4242)
    caplog.set_level(logging.WARNING, logger="cogs.review")

    gaps, elapsed = [], 0.0
    with _clock() as clock:
        for _ in range(2_000):  # 5-minute steps: a week at most, far past the last try
            if not await store.stale_cards():
                break
            before = card.edit.await_count
            assert await cog.clean_stale_cards() in (0, 1)
            if card.edit.await_count > before:
                gaps.append(elapsed)
                elapsed = 0.0
            clock.advance(minutes=5)
            elapsed += 5

    assert await store.stale_cards() == [] and card.edit.await_count == CLEANUP_MAX_ATTEMPTS
    assert gaps[1:] == sorted(gaps[1:]) and gaps[2] > gaps[1] >= 55  # the gaps grow, none shorter than an hour's round
    assert max(gaps) <= 24 * 60 + 5
    warnings = [r.getMessage() for r in caplog.records]
    assert len([m for m in warnings if "out of Byline's reach" in m]) == 1
    assert len([m for m in warnings if "giving up" in m]) == 1


async def test_a_refused_card_waits_out_its_gap_even_after_a_forget_me(store):
    """A /forget runs a pass at once; a card put off by a 403 is not asked for again before its time."""
    guild = make_guild()
    cog, _ = await _posting_cog(store, guild, "medium")
    await cog.post_flags(await _save(store, guild.id, author_id=4242))  # card 900
    card = _card()
    card.edit.side_effect = _missing_permissions()
    cog.bot.get_partial_messageable.return_value.get_partial_message.return_value = card
    await store.forget_user(guild.id, 4242)
    with _clock() as clock:
        for _ in range(5):
            await cog.clean_stale_cards()
        assert card.edit.await_count == 1
        clock.advance(minutes=60)
        card.edit.side_effect = None  # access is back
        assert await cog.clean_stale_cards() == 1
    assert await store.stale_cards() == []


@pytest.mark.parametrize(("cls", "status", "code", "text"), [
    (discord.Forbidden, 403, 50001, "Missing Access"),
    (discord.NotFound, 404, 10003, "Unknown Channel"),
    (discord.NotFound, 404, 10008, "Unknown Message"),
])
async def test_a_card_refused_for_good_is_dropped_after_one_request(store, caplog, cls, status, code, text):
    guild = make_guild()
    cog, _ = await _posting_cog(store, guild, "medium")
    await cog.post_flags(await _save(store, guild.id, author_id=4242))
    card = _card()
    card.edit.side_effect = http_error(cls, status, code, text)
    cog.bot.get_partial_messageable.return_value.get_partial_message.return_value = card
    await store.forget_user(guild.id, 4242)

    for _ in range(3):
        await cog.clean_stale_cards()

    assert card.edit.await_count == 1 and await store.stale_cards() == []
    assert "dropping it from the clean-up" in caplog.text


async def test_cards_in_a_server_byline_left_are_dropped_without_asking_discord(store, caplog):
    guild = make_guild()
    cog, _ = await _posting_cog(store, guild, "medium")
    await cog.post_flags(await _save(store, guild.id, author_id=4242))
    await cog.post_flags(await _save(store, guild.id, TEXT + " Again.", author_id=4242))
    cards = _cards_by_id(cog)
    await store.forget_user(guild.id, 4242)
    cog.bot.is_ready.return_value = True
    cog.bot.get_guild.side_effect = lambda gid: None if gid == guild.id else make_guild(guild_id=gid)

    assert await cog.clean_stale_cards() == 2

    assert cards == {} and await store.stale_cards() == []
    assert len([r for r in caplog.records if "no longer in" in r.getMessage()]) == 1  # one line per server


async def test_before_ready_an_unknown_guild_is_not_taken_for_one_byline_left(store):
    """Until the ready event the guild cache is still filling, so a missing guild proves nothing."""
    guild = make_guild()
    cog, _ = await _posting_cog(store, guild, "medium")
    await cog.post_flags(await _save(store, guild.id, author_id=4242))
    cards = _cards_by_id(cog)
    await store.forget_user(guild.id, 4242)
    cog.bot.is_ready.return_value = False
    cog.bot.get_guild.return_value = None

    assert await cog.clean_stale_cards() == 1

    assert cards[900].edit.await_args.kwargs["view"] is None


async def test_a_pass_reaches_the_cards_behind_those_it_cannot_clean(store):
    """Cards kept for later must not block the rest of the list, however many of them come first."""
    guild = make_guild()
    cog, _ = await _posting_cog(store, guild, "medium")
    for text in (TEXT, TEXT + " Again.", TEXT + " Third.", TEXT + " Fourth.", TEXT + " Fifth."):
        await cog.post_flags(await _save(store, guild.id, text, author_id=4242))  # cards 900 to 904
    cards = _cards_by_id(cog)
    for message_id in (900, 901, 902):
        cards[message_id] = _card()
        cards[message_id].edit.side_effect = _missing_permissions()
    await store.forget_user(guild.id, 4242)

    with mock.patch("cogs.review.CLEANUP_BATCH", 2):
        assert await cog.clean_stale_cards() == 2

    assert [c.message_id for c in await store.stale_cards()] == [900, 901, 902]
    assert cards[904].edit.await_args.kwargs["view"] is None


async def test_the_clean_up_listens_for_the_event_the_other_cogs_send(store):
    """Library and retention dispatch CARDS_STALE_EVENT; the review cog must be listening under that very name."""
    from bot.cards import CARDS_STALE_EVENT

    cog = Review(make_store_bot(store))
    assert ("on_" + CARDS_STALE_EVENT, cog.clean_stale_cards) in cog.get_listeners()


async def test_note_boxes_are_answered_from_every_interaction_the_bot_receives(store):
    """discord.py forgets an open modal on restart; the cog hears every interaction, so no note goes unanswered."""
    cog = Review(make_store_bot(store))
    assert ("on_interaction", cog.note_submitted) in cog.get_listeners()


async def test_a_click_after_the_flags_were_deleted_empties_the_card(store):
    """A moderator's click on a card whose article is gone replaces the card instead of leaving it as it was."""
    from bot.views import refresh_review_message

    guild = make_guild()
    cog, channel = await _posting_cog(store, guild, "medium")
    stored = await _save(store, guild.id, author_id=4242)
    await cog.post_flags(stored)
    await store.forget_user(guild.id, 4242)
    click = _mod(store, guild)
    click.message = make_message(channel=channel, message_id=900)
    await refresh_review_message(click, focus=stored.flag_ids[0])
    edit = click.edit_original_response.await_args.kwargs
    assert edit["view"] is None and "Bridge" not in str(edit["embed"].to_dict())


async def test_a_card_posted_while_its_flags_are_deleted_is_withdrawn(store):
    """If a forget-me lands between sending a card and recording it, nothing would ever clean the card: delete it."""
    guild = make_guild()
    cog, channel = await _posting_cog(store, guild, "medium")
    stored = await _save(store, guild.id, author_id=4242)
    real_record = store.set_review_messages

    async def forget_first(*args, **kwargs):
        await store.forget_user(guild.id, 4242)
        return await real_record(*args, **kwargs)

    card = make_message(channel=channel, message_id=900)
    channel.send.side_effect = None
    channel.send.return_value = card
    with mock.patch.object(store, "set_review_messages", autospec=True, side_effect=forget_first):
        await cog.post_flags(stored)
    channel.send.assert_awaited_once()
    card.delete.assert_awaited_once()


async def test_a_store_error_while_redrawing_does_not_stop_the_new_flags(store, caplog):
    from bot.errors import StoreError

    guild = make_guild()
    cog, channel = await _posting_cog(store, guild, "medium")
    with mock.patch.object(store, "superseded_cards", autospec=True, side_effect=StoreError("database is locked")):
        await cog.post_flags(await _save(store, guild.id))
    channel.send.assert_awaited_once()
    assert "could not redraw superseded cards" in caplog.text


async def test_high_threshold_posts_only_high_flags(store):
    """Raising the threshold keeps medium flags out of the channel."""
    guild = make_guild()
    cog, channel = await _posting_cog(store, guild, "high")
    stored = await _save(store, guild.id)
    await cog.post_flags(stored)
    view = channel.send.await_args.kwargs["view"]
    assert {c.flag_id for c in view.children} == {stored.flag_ids[0]}


async def test_many_flags_are_split_across_messages(store):
    """Discord allows five button rows, so seven flags need two messages."""
    guild = make_guild()
    cog, channel = await _posting_cog(store, guild, "low")
    text = " ".join(f"Source number {i} said so." for i in range(7))
    flags = [("anonymous_source", "high", f"Source number {i}") for i in range(7)]
    stored = await _save(store, guild.id, text=text, flags=flags)
    await cog.post_flags(stored)
    assert channel.send.await_count == 2
    per_message = [len(c.kwargs["view"].children) // 3 for c in channel.send.await_args_list]
    assert per_message == [5, 2]
    flags = [await store.get_flag(guild.id, f) for f in stored.flag_ids]
    assert [f.review_message_id for f in flags] == [900] * 5 + [901] * 2


async def test_nothing_is_posted_without_a_review_channel(store):
    guild = make_guild()
    cog, channel = _cog_with_channel(store, guild)
    stored = await _save(store, guild.id)
    await cog.post_flags(stored)
    channel.send.assert_not_awaited()
    assert [(await store.get_flag(guild.id, f)).review_message_id for f in stored.flag_ids] == [None] * 3


async def test_a_cached_result_does_not_post_flags_that_already_have_a_card(store):
    guild = make_guild()
    cog, channel = await _posting_cog(store, guild, "medium")
    await cog.post_flags(await _save(store, guild.id))
    again = await _save(store, guild.id)
    assert again.cached
    await cog.post_flags(again)
    channel.send.assert_awaited_once()


# --- catching up on flags without a card ----------------------------------------------------------------------


def _single_flag_articles(n: int) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """``n`` different articles with one high flag each, so each needs its own card."""
    return [(f"Sources close to team {i} said it was late.", [("anonymous_source", "high", "Sources close")])
            for i in range(n)]


def _card_flag_ids(channel) -> list[list[int]]:
    return [[c.flag_id for c in call.kwargs["view"].children if c.action == "confirm"]
            for call in channel.send.await_args_list]


async def test_flags_stored_before_the_review_channel_get_cards_with_the_next_analysis(store):
    """A flag whose one posting chance came while no channel was set is posted later, not pending forever."""
    guild = make_guild()
    cog, channel = _cog_with_channel(store, guild)
    early = [await _save(store, guild.id, text, flags) for text, flags in _single_flag_articles(3)]
    for stored in early:
        await cog.post_flags(stored)
    await store.update_settings(guild.id, review_channel_id=channel.id)
    again = await _save(store, guild.id, *_single_flag_articles(1)[0])
    assert again.cached  # even a repeat of an old article gives the waiting flags their turn
    await cog.post_flags(again)

    # its own flag first, then AUTO_CATCH_UP_CARDS (2) cards of the oldest flags still waiting
    assert _card_flag_ids(channel) == [[early[0].flag_ids[0]], [early[1].flag_ids[0]], [early[2].flag_ids[0]]]
    assert None not in [(await store.get_flag(guild.id, s.flag_ids[0])).review_message_id for s in early]


class _PostingClock:
    """The review-posting pause's clock, stepped by hand (never waited on)."""

    def __init__(self):
        self.now = 1_000.0

    def __call__(self):
        return self.now


@pytest.fixture
def posting_clock():
    clock = _PostingClock()
    with mock.patch("bot.review_posting._now", clock):
        yield clock


async def test_a_post_discord_refused_is_retried_by_a_later_analysis(store, caplog, posting_clock):
    guild = make_guild()
    cog, channel = await _posting_cog(store, guild, "medium")
    working = channel.send.side_effect
    channel.send.side_effect = http_error(discord.Forbidden, 403, 50001, "Missing Access")
    first = await _save(store, guild.id)
    await cog.post_flags(first)
    assert "could not post flags" in caplog.text
    assert (await store.get_flag(guild.id, first.flag_ids[0])).review_message_id is None

    channel.send.side_effect = working  # the channel's permissions are fixed
    posting_clock.now += REFUSAL_PAUSE_SECONDS  # and the pause after the refusal is over
    await cog.post_flags(await _save(store, guild.id, TEXT + " Later."))
    posted = await store.get_flag(guild.id, first.flag_ids[0])
    assert posted.review_message_id is not None and posted.status == "pending"
    assert channel.send.await_count == 3  # the refused attempt, the new analysis's card, the retried card


async def test_after_a_refusal_stored_analyses_send_nothing_for_a_while(store, caplog, posting_clock):
    """Every link reply runs the automatic catch-up; against a refusing channel each would be one more refused
    request, so after one refusal the guild's automatic posts pause, flagged or not, cached or not."""
    guild = make_guild()
    cog, channel = await _posting_cog(store, guild, "medium")
    working = channel.send.side_effect
    channel.send.side_effect = http_error(discord.Forbidden, 403, 50013, "Missing Permissions")
    await cog.post_flags(await _save(store, guild.id))  # refused: its flags wait
    assert channel.send.await_count == 1
    assert "pause for 10 minutes" in caplog.text

    for i in range(5):
        await cog.post_flags(await _save(store, guild.id, f"The council met on day {i}.", flags=[]))
        await cog.post_flags(await _save(store, guild.id, TEXT + f" Day {i}."))  # a flagged one waits too
    await cog.post_flags(await _save(store, guild.id))  # a cache hit
    posting_clock.now += REFUSAL_PAUSE_SECONDS - 1
    await cog.post_flags(await _save(store, guild.id, "Still nothing to review.", flags=[]))
    assert channel.send.await_count == 1

    other = make_guild()  # the pause is per guild
    other_cog, other_channel = await _posting_cog(store, other, "medium")
    await other_cog.post_flags(await _save(store, other.id))
    assert other_channel.send.await_count == 1

    channel.send.side_effect = working
    posting_clock.now += 1
    await cog.post_flags(await _save(store, guild.id, "Nothing here either.", flags=[]))
    assert channel.send.await_count == 1 + AUTO_CATCH_UP_CARDS  # the pause is over: the oldest waiting flags go


async def test_review_repost_tries_at_once_during_a_pause_and_lifts_it(store, posting_clock):
    guild = make_guild()
    cog, channel = await _posting_cog(store, guild, "medium")
    working = channel.send.side_effect
    channel.send.side_effect = http_error(discord.Forbidden, 403, 50013, "Missing Permissions")
    first = await _save(store, guild.id)
    await cog.post_flags(first)

    channel.send.side_effect = working  # a moderator fixed the channel and asks at once
    await cog.repost.callback(cog, _mod(store, guild))
    assert (await store.get_flag(guild.id, first.flag_ids[0])).review_message_id is not None
    sent = channel.send.await_count
    later = await _save(store, guild.id, TEXT + " Later.")
    await cog.post_flags(later)  # no pause left: the next analysis's card goes straight away
    assert channel.send.await_count == sent + 1
    assert (await store.get_flag(guild.id, later.flag_ids[0])).review_message_id is not None


async def test_review_repost_posts_the_oldest_waiting_flags_a_capped_number_at_a_time(store):
    guild = make_guild()
    cog, channel = _cog_with_channel(store, guild)
    stored = [await _save(store, guild.id, text, flags) for text, flags in _single_flag_articles(CATCH_UP_CARDS + 2)]
    await store.update_settings(guild.id, review_channel_id=channel.id)

    first = _mod(store, guild)
    await _run_checks(cog.repost, first)
    await cog.repost.callback(cog, first)
    assert _card_flag_ids(channel) == [[s.flag_ids[0]] for s in stored[:CATCH_UP_CARDS]]
    answer = first.followup.send.await_args
    assert answer.kwargs["ephemeral"] is True
    assert f"Posted {CATCH_UP_CARDS} flag(s) on {CATCH_UP_CARDS} card(s) in <#{channel.id}>" in answer.args[0]
    assert "2 more flag(s) still wait" in answer.args[0]

    second = _mod(store, guild)
    await cog.repost.callback(cog, second)
    assert _card_flag_ids(channel)[CATCH_UP_CARDS:] == [[s.flag_ids[0]] for s in stored[CATCH_UP_CARDS:]]
    assert "still wait" not in second.followup.send.await_args.args[0]

    third = _mod(store, guild)
    await cog.repost.callback(cog, third)
    assert channel.send.await_count == CATCH_UP_CARDS + 2
    assert "already has a card" in third.followup.send.await_args.args[0]


async def test_one_analysis_with_many_flags_posts_a_capped_number_of_cards_and_repost_reaches_the_rest(store):
    """A text with hundreds of flags must not flood the review channel (each card is one Discord request, sent under
    the guild's posting lock): it posts ANALYSIS_CARDS cards, and the rest stay pending for /review repost."""
    guild = make_guild()
    cog, channel = _cog_with_channel(store, guild)
    older = await _save(store, guild.id, "Sources close to the port said it was late.",
                        [("anonymous_source", "high", "Sources close")])  # waiting from before the channel was set
    await store.update_settings(guild.id, review_channel_id=channel.id)
    total = (ANALYSIS_CARDS + 3) * FLAGS_PER_MESSAGE
    text = " ".join(f"Sources said thing number {i} happened." for i in range(total))
    big = await _save(store, guild.id, text, [("anonymous_source", "high", f"Sources said thing number {i} ")
                                              for i in range(total)])
    assert len(big.flag_ids) == total

    await cog.post_flags(big)
    cards = _card_flag_ids(channel)
    assert len(cards) == ANALYSIS_CARDS == CATCH_UP_CARDS  # not one card per five flags, and no catch-up on top
    assert [f for card in cards for f in card] == list(big.flag_ids[:ANALYSIS_CARDS * FLAGS_PER_MESSAGE])
    left = list(big.flag_ids[ANALYSIS_CARDS * FLAGS_PER_MESSAGE:])
    assert [(f.status, f.review_message_id) for f in [await store.get_flag(guild.id, i) for i in left]] == \
        [("pending", None)] * len(left)
    assert await store.count_waiting_for_card(guild.id) == len(left) + 1

    first = _mod(store, guild)  # oldest first: the older flag, then the rest of the big analysis
    await cog.repost.callback(cog, first)
    assert _card_flag_ids(channel)[ANALYSIS_CARDS] == list(older.flag_ids)
    assert [f for card in _card_flag_ids(channel)[ANALYSIS_CARDS + 1:] for f in card] == left
    assert await store.count_waiting_for_card(guild.id) == 0


async def test_review_repost_refuses_non_moderators(store):
    with pytest.raises(ModeratorCheckFailure):
        await _run_checks(Review(make_store_bot(store)).repost, _mod(store, make_guild(), send_messages=True))


async def test_review_repost_says_what_stopped_it_and_keeps_the_flags_waiting(store):
    guild = make_guild()
    cog, channel = _cog_with_channel(store, guild)
    stored = await _save(store, guild.id)

    no_channel = _mod(store, guild)
    await cog.repost.callback(cog, no_channel)
    assert "2 flag(s) wait" in no_channel.followup.send.await_args.args[0]  # the low one is below the threshold
    assert "/settings set review-channel" in no_channel.followup.send.await_args.args[0]

    await store.update_settings(guild.id, review_channel_id=channel.id)
    channel.send.side_effect = http_error(discord.Forbidden, 403, 50013, "Missing Permissions")
    refused = _mod(store, guild)
    await cog.repost.callback(cog, refused)
    text = refused.followup.send.await_args.args[0]
    assert "Discord refused a post" in text and "Missing Permissions" in text and "2 flag(s) still wait" in text
    assert [(await store.get_flag(guild.id, f)).review_message_id for f in stored.flag_ids] == [None] * 3


async def test_two_posting_runs_at_once_give_each_flag_one_card(store):
    """A stored analysis and /review repost may run together; neither may post what the other is posting."""
    guild = make_guild()
    cog, channel = _cog_with_channel(store, guild)
    stored = [await _save(store, guild.id, text, flags) for text, flags in _single_flag_articles(3)]
    await store.update_settings(guild.id, review_channel_id=channel.id)
    ids = iter(range(900, 999))

    async def slow_send(**kwargs):
        await asyncio.sleep(0)  # Discord takes a moment: the other run gets to read the store meanwhile
        return make_message(channel=channel, message_id=next(ids))

    channel.send.side_effect = slow_send
    await asyncio.gather(cog.repost.callback(cog, _mod(store, guild)), cog.post_flags(stored[0]),
                         cog.repost.callback(cog, _mod(store, guild)))
    assert sorted(f for card in _card_flag_ids(channel) for f in card) == sorted(s.flag_ids[0] for s in stored)


async def test_review_channel_of_another_guild_is_not_used(store):
    """A channel id that resolves to another server's channel is refused, so flags never leak there."""
    guild, elsewhere = make_guild(), make_guild()
    cog, channel = _cog_with_channel(store, elsewhere)
    await store.update_settings(guild.id, review_channel_id=channel.id)
    stored = await _save(store, guild.id)
    await cog.post_flags(stored)
    channel.send.assert_not_awaited()
    assert (await store.get_flag(guild.id, stored.flag_ids[0])).review_message_id is None
    # Control: the same channel does take its own server's flags, so the refusal above is about the server.
    await store.update_settings(elsewhere.id, review_channel_id=channel.id)
    await cog.post_flags(await _save(store, elsewhere.id))
    channel.send.assert_awaited_once()


async def test_posting_failure_is_logged_not_raised(store, caplog):
    """A Forbidden from Discord must not break the event dispatch."""
    guild = make_guild()
    cog, channel = _cog_with_channel(store, guild)
    channel.send.side_effect = http_error(discord.Forbidden, 403, 50001, "Missing Access")
    await store.update_settings(guild.id, review_channel_id=channel.id)
    stored = await _save(store, guild.id)
    await cog.post_flags(stored)  # returns: the refusal is not raised into the event dispatch
    channel.send.assert_awaited_once()
    assert "could not post flags" in caplog.text
    assert (await store.get_flag(guild.id, stored.flag_ids[0])).review_message_id is None  # still waiting for a card


# --- /review queue and stats ------------------------------------------------------------------------------


async def test_review_queue_refuses_non_moderators(store):
    """The run-time check raises NotModerator for a member without rights."""
    guild = make_guild()
    cog = Review(make_store_bot(store))
    inter = _mod(store, guild, send_messages=True)
    with pytest.raises(ModeratorCheckFailure):
        await _run_checks(cog.queue, inter)
    with pytest.raises(ModeratorCheckFailure):
        await _run_checks(cog.stats, inter)


async def test_review_queue_pages_pending_flags(store):
    """Seven pending flags make two pages; the second page holds the last two, most severe first."""
    guild = make_guild()
    cog = Review(make_store_bot(store))
    text = " ".join(f"Source number {i} said so." for i in range(7))
    await _save(store, guild.id, text=text, flags=[("anonymous_source", "high", f"Source number {i}")
                                                   for i in range(7)])
    inter = _mod(store, guild)
    await _run_checks(cog.queue, inter)
    await cog.queue.callback(cog, inter)
    inter.response.defer.assert_awaited_once()
    sent = inter.followup.send.await_args.kwargs
    assert sent["ephemeral"] is True and sent["embed"].title == "Review queue · 7 pending"
    assert len(sent["embed"].fields) == 5
    view = sent["view"]
    assert isinstance(view, KeysetPaginator) and sent["embed"].footer.text == "Page 1 of 2"
    turn = make_interaction(user=inter.user)
    await view.next_page.callback(turn)
    page2 = turn.response.edit_message.await_args.kwargs["embed"]
    assert len(page2.fields) == 2 and page2.footer.text == "Page 2 of 2"
    assert view.next_page.disabled and not view.previous_page.disabled


def _queue_ids(embed) -> list[int]:
    return [int(f.name.rsplit("#", 1)[1].split()[0]) for f in embed.fields]


async def _many_flags(store, guild, n, tag):
    text = " ".join(f"Source {tag}{i} said so." for i in range(n))
    return await _save(store, guild.id, text=text, flags=[("anonymous_source", "high", f"Source {tag}{i}")
                                                          for i in range(n)])


async def _turn(view, user, button="next_page"):
    turn = make_interaction(user=user)
    await getattr(view, button).callback(turn)
    return turn.response.edit_message.await_args.kwargs["embed"]


async def test_the_next_page_starts_behind_the_last_flag_seen_when_colleagues_decide_meanwhile(store):
    guild = make_guild()
    stored = await _many_flags(store, guild, 10, "a")
    inter = _mod(store, guild)
    await _open_queue(store, inter)
    sent = inter.followup.send.await_args.kwargs
    first = _queue_ids(sent["embed"])
    assert first == list(stored.flag_ids[:5])
    for flag_id in first:  # another moderator works through the same first page
        await store.review_flag(guild.id, flag_id, status="dismissed", reviewer_id=2, reviewer_name="Other")

    page2 = await _turn(sent["view"], inter.user)
    assert _queue_ids(page2) == list(stored.flag_ids[5:])  # an offset of five would have shown nothing
    assert page2.title == "Review queue · 5 pending"  # counted again, not the ten of the first page
    back = await _turn(sent["view"], inter.user, "previous_page")
    assert _queue_ids(back) == list(stored.flag_ids[5:])  # page one, as it is now


async def test_flags_that_arrive_while_paging_can_be_reached(store):
    guild = make_guild()
    early = await _many_flags(store, guild, 6, "b")
    inter = _mod(store, guild)
    await _open_queue(store, inter)
    view = inter.followup.send.await_args.kwargs["view"]
    late = await _many_flags(store, guild, 10, "c")  # a busy server: ten more arrive

    seen = _queue_ids(inter.followup.send.await_args.kwargs["embed"])
    while not view.next_page.disabled:
        page = await _turn(view, inter.user)
        seen += _queue_ids(page)
    assert seen == [*early.flag_ids, *late.flag_ids]
    assert page.title == "Review queue · 16 pending" and page.footer.text == "Page 4 of 4"


async def test_a_moderator_who_loses_the_rights_cannot_turn_the_queue_pages(store):
    """Every page turn asks the run-time moderator check again, as the command itself did."""
    guild = make_guild()
    await _many_flags(store, guild, 7, "d")
    inter = _mod(store, guild)
    await _open_queue(store, inter)
    view = inter.followup.send.await_args.kwargs["view"]
    turn = make_interaction(client=make_store_bot(store), guild=guild, user=inter.user)
    assert await view.interaction_check(turn) is True

    inter.user.guild_permissions = make_permissions()  # demoted while the queue is open
    turn = make_interaction(client=make_store_bot(store), guild=guild, user=inter.user)
    assert await view.interaction_check(turn) is False
    refusal = turn.response.send_message.await_args
    assert refusal.args[0] == "Only moderators can do that." and refusal.kwargs["ephemeral"] is True
    turn.response.edit_message.assert_not_awaited()


async def test_review_stats_counts_this_guild_only(store):
    """Counts by status and category, ignoring another server's flags."""
    guild, other = make_guild(), make_guild()
    stored = await _save(store, guild.id)
    await _save(store, other.id)
    await store.review_flag(guild.id, stored.flag_ids[0], status="confirmed", reviewer_id=1, reviewer_name="A")
    cog = Review(make_store_bot(store))
    inter = _mod(store, guild)
    await cog.stats.callback(cog, inter)
    embed = inter.followup.send.await_args.kwargs["embed"]
    assert embed.description == "**1** pending · **1** confirmed · **0** dismissed"
    assert "Anonymous source: 1" in embed.fields[0].value


async def test_flags_below_the_threshold_are_not_counted_as_waiting_for_review(store):
    """They are never posted, so the queue and the counts leave them out and say so, instead of showing
    moderators pending flags that no button can decide."""
    guild = make_guild()
    cog, _ = await _posting_cog(store, guild, "medium")
    stored = await _save(store, guild.id)
    await cog.post_flags(stored)
    low = stored.flag_ids[2]

    queue = _mod(store, guild)
    await cog.queue.callback(cog, queue)
    embed = queue.followup.send.await_args.kwargs["embed"]
    assert embed.title == "Review queue · 2 pending" and len(embed.fields) == 2
    assert not any(f"#{low}" in f.name for f in embed.fields)

    stats = _mod(store, guild)
    await cog.stats.callback(cog, stats)
    embed = stats.followup.send.await_args.kwargs["embed"]
    assert embed.description.startswith("**2** pending")
    assert "No source" not in embed.fields[0].value  # the low flag's category is not counted either
    assert embed.footer.text.startswith("1 flag(s) below this server's medium threshold")

    await store.update_settings(guild.id, flag_threshold="low")  # now it is meant for review, and waits for a card
    stats = _mod(store, guild)
    await cog.stats.callback(cog, stats)
    embed = stats.followup.send.await_args.kwargs["embed"]
    assert embed.description.startswith("**3** pending")
    assert embed.footer.text.startswith("1 pending flag(s) have no card in the review channel yet")


async def test_the_queue_says_how_to_get_cards_for_flags_that_have_none(store):
    guild = make_guild()
    cog, channel = _cog_with_channel(store, guild)
    await _save(store, guild.id)
    inter = _mod(store, guild)
    await cog.queue.callback(cog, inter)
    assert "No review channel is set" in inter.followup.send.await_args.kwargs["embed"].description

    await store.update_settings(guild.id, review_channel_id=channel.id)
    inter = _mod(store, guild)
    await cog.queue.callback(cog, inter)
    assert "/review repost" in inter.followup.send.await_args.kwargs["embed"].description


# --- /export ------------------------------------------------------------------------------------------------


def _csv_rows(inter) -> list[dict[str, str]]:
    sent = inter.followup.send.await_args.kwargs
    assert sent["ephemeral"] is True
    data = inter.extras["upload"].decode("utf-8")
    return list(csv.DictReader(io.StringIO(data)))


async def test_export_refuses_non_moderators(store):
    """/export is moderators only, whatever default_permissions says."""
    cog = Review(make_store_bot(store))
    with pytest.raises(ModeratorCheckFailure):
        await _run_checks(cog.export, _mod(store, make_guild(), send_messages=True))


async def test_export_attaches_csv_of_this_guild(store):
    """Every flag of the guild, with its review outcome; another guild's flags are absent."""
    guild, other = make_guild(), make_guild()
    stored = await _save(store, guild.id)
    await _save(store, other.id)
    await store.review_flag(guild.id, stored.flag_ids[1], status="dismissed", reviewer_id=5, reviewer_name="Eve")
    cog = Review(make_store_bot(store))
    inter = _mod(store, guild)
    await _run_checks(cog.export, inter)
    await cog.export.callback(cog, inter)
    rows = _csv_rows(inter)
    assert [int(r["id"]) for r in rows] == list(stored.flag_ids)
    assert [r["status"] for r in rows] == ["pending", "dismissed", "pending"]
    assert rows[1]["reviewer_name"] == "Eve" and rows[0]["evidence"] == "Sources close to the contractor"
    assert inter.followup.send.await_args.args[0] == "3 flag(s) exported."
    assert inter.followup.send.await_args.kwargs["file"].filename.endswith(".csv")


async def test_export_filters_by_status_and_category(store):
    """Filters narrow the rows; no match answers in words instead of an empty file."""
    guild = make_guild()
    stored = await _save(store, guild.id)
    await store.review_flag(guild.id, stored.flag_ids[0], status="confirmed", reviewer_id=5, reviewer_name="Eve")
    cog = Review(make_store_bot(store))
    inter = _mod(store, guild)
    await cog.export.callback(cog, inter, status="pending", category="vague_source", days=30)
    assert [r["category"] for r in _csv_rows(inter)] == ["vague_source"]
    none = _mod(store, guild)
    await cog.export.callback(cog, none, status="dismissed")
    assert none.followup.send.await_args.args[0] == "No flags match those filters."
    assert "file" not in none.followup.send.await_args.kwargs


async def test_exporting_pending_flags_gives_the_queue_moderators_see(store):
    """/export status=pending lists the same flags as /review queue, never those below the threshold, and says so."""
    guild = make_guild()
    stored = await _save(store, guild.id)  # high, medium and low; the threshold is medium
    high, medium, low = stored.flag_ids
    cog = Review(make_store_bot(store))
    queue = _mod(store, guild)
    await cog.queue.callback(cog, queue)
    assert queue.followup.send.await_args.kwargs["embed"].title == "Review queue · 2 pending"

    inter = _mod(store, guild)
    await cog.export.callback(cog, inter, status="pending")
    rows = _csv_rows(inter)
    assert [(int(r["id"]), r["in_queue"]) for r in rows] == [(high, "true"), (medium, "true")]
    said = inter.followup.send.await_args.args[0]
    assert said.startswith("2 flag(s) exported: the review queue") and "medium threshold" in said

    everything = _mod(store, guild)
    await cog.export.callback(cog, everything)
    assert [(int(r["id"]), r["in_queue"]) for r in _csv_rows(everything)] == [
        (high, "true"), (medium, "true"), (low, "false")]


async def test_export_can_list_flags_replaced_by_a_newer_analysis(store):
    """Re-analysing under a newer engine retires the old pending flags; moderators can still export them."""
    guild = make_guild()
    old = await _save(store, guild.id)
    new = await store.save_analysis(guild.id, TEXT, flagged_result(TEXT, FLAGS, title="Bridge"),
                                    engine_version="test-2", title="Bridge", url="https://news.example/bridge")
    cog = Review(make_store_bot(store))
    inter = _mod(store, guild)
    await cog.export.callback(cog, inter, status="superseded")
    rows = _csv_rows(inter)
    assert [int(r["id"]) for r in rows] == list(old.flag_ids)
    assert {r["status"] for r in rows} == {"superseded"}
    assert {r["superseded_by"] for r in rows} == {new.id}  # names the analysis that replaced them


async def test_export_over_the_upload_limit_is_refused_with_advice(store):
    """A CSV bigger than the server accepts is not sent; the error says how to narrow it."""
    guild = make_guild()
    await _save(store, guild.id)
    cog = Review(make_store_bot(store))
    inter = _mod(store, guild)
    inter.filesize_limit = 200
    with pytest.raises(ExportTooLarge, match="Narrow it"):
        await cog.export.callback(cog, inter)
    inter.followup.send.assert_not_awaited()


async def test_review_queue_links_to_posted_review_messages(store):
    """A posted flag's queue entry jumps to its review message, where the buttons are."""
    guild = make_guild()
    cog, channel = _cog_with_channel(store, guild)
    await store.update_settings(guild.id, review_channel_id=channel.id)
    stored = await _save(store, guild.id)
    await cog.post_flags(stored)
    inter = _mod(store, guild)
    await cog.queue.callback(cog, inter)
    fields = inter.followup.send.await_args.kwargs["embed"].fields
    link = f"https://discord.com/channels/{guild.id}/{channel.id}/900"
    assert [link in f.value for f in fields] == [True, True]  # the low flag is below the threshold


async def test_a_slow_click_cannot_put_deleted_text_back_on_a_card(store):
    """A refresh that read the flags before a forget-me must not land after the clean-up's edit."""
    from bot.views import refresh_review_message

    guild = make_guild()
    cog, channel = await _posting_cog(store, guild, "medium")
    stored = await _save(store, guild.id, author_id=4242)
    await cog.post_flags(stored)  # card 900
    shown: list[str] = []  # what the card shows, edit after edit, whoever made the edit
    release, click_waiting = asyncio.Event(), asyncio.Event()

    async def slow_click_edit(**kwargs):
        click_waiting.set()
        await release.wait()
        shown.append(str(kwargs["embed"].to_dict()))

    async def cleanup_edit(**kwargs):
        shown.append(str(kwargs["embed"].to_dict()))

    cog.bot.get_partial_messageable.return_value.get_partial_message.return_value.edit = cleanup_edit
    click = _mod(store, guild)
    click.message = make_message(channel=channel, message_id=900)
    click.edit_original_response.side_effect = slow_click_edit
    refresh = asyncio.create_task(refresh_review_message(click, focus=stored.flag_ids[0]))
    await click_waiting.wait()  # the click has read the flags and is waiting on Discord
    await store.forget_user(guild.id, 4242)
    cleanup = asyncio.create_task(cog.clean_stale_cards())
    await asyncio.wait({cleanup}, timeout=0.5)  # unguarded, the clean-up would finish here, before the click
    release.set()
    await asyncio.gather(refresh, cleanup)

    assert len(shown) == 2 and "Bridge" in shown[0]
    assert "Removed at the member's request" in shown[-1] and "Bridge" not in shown[-1]


async def test_the_clean_up_deletes_byline_replies_that_showed_a_forgotten_article(store):
    guild = make_guild()
    cog, _ = await _posting_cog(store, guild, "medium")
    stored = await _save(store, guild.id, author_id=4242)
    await store.record_reply(guild.id, stored.id, 31, 3001)
    cards = _cards_by_id(cog)
    await store.forget_user(guild.id, 4242)

    assert await cog.clean_stale_cards() == 1

    cards[3001].delete.assert_awaited_once()
    cards[3001].edit.assert_not_awaited()
    assert await store.stale_cards() == []


async def test_unloading_the_cog_stops_a_clean_up_pass_and_keeps_its_cards_listed(store):
    """At shutdown the cogs unload before the store closes: a long clean-up pass must stop there, losing nothing."""
    guild = make_guild()
    cog, _ = await _posting_cog(store, guild, "medium")
    await cog.post_flags(await _save(store, guild.id, author_id=4242))  # card 900
    stuck = asyncio.Event()

    async def slow_edit(**kwargs):
        stuck.set()
        await asyncio.Event().wait()  # Discord never answers

    cog.bot.get_partial_messageable.return_value.get_partial_message.return_value.edit = slow_edit
    await store.forget_user(guild.id, 4242)
    cleaning = asyncio.create_task(cog.clean_stale_cards())
    await stuck.wait()
    await cog.cog_unload()
    assert cleaning.done()
    assert [c.message_id for c in await store.stale_cards()] == [900]  # still listed for the next start
