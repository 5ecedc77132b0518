"""Review cards that must not outlive a failure or a change of settings: a card Discord accepted but the store could
not record is taken down again; a running catch-up follows a manager's later change of the threshold or channel; and
a manager who lowers the threshold is never promised cards that cannot be posted."""

from __future__ import annotations

import asyncio
import logging
from unittest import mock

import discord
import pytest

from bot.config import AnalysisSettings, Settings
from bot.errors import StoreError
from bot.review_posting import CATCH_UP_EVENT, _guild_pauses, post_waiting
from cogs.review import Review
from cogs.settings import Settings as SettingsCog
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

TEXT = "The council met on Monday. Sources close to the mayor said the vote was rushed."
AUTHOR = 4242


SENT: dict[int, list] = {}  # channel id -> the messages sent there, oldest first


def _bot_with_channels(store, guild, *names):
    """A bot whose guild has fake channels; each card sent to one gets the next message id, kept in ``SENT``."""
    bot = make_store_bot(store, Settings(analysis=AnalysisSettings(max_summary_sentences=10)))
    ids = iter(range(900, 10_000))
    channels = []
    for name in names:
        channel = make_channel(guild=guild, name=name)
        SENT[channel.id] = []

        def send(channel=channel, **kwargs):
            message = make_message(channel=channel, message_id=next(ids))
            SENT[channel.id].append(message)
            return message

        channel.send.side_effect = send
        channels.append(channel)
    by_id = {c.id: c for c in channels}
    bot.get_channel.side_effect = by_id.get
    return bot, channels


def _manager(bot, guild):
    inter = make_interaction(client=bot, guild=guild, user=make_member(guild=guild))
    inter.permissions = make_permissions(manage_guild=True, manage_messages=True)
    return inter


def _card_flag_ids(channel) -> list[list[int]]:
    return [[c.flag_id for c in call.kwargs["view"].children if c.action == "confirm"]
            for call in channel.send.await_args_list]


async def _waiting_flag(store, guild, text=TEXT):
    stored = await store.save_analysis(guild.id, text, flagged_result(text, [("anonymous_source", "high",
                                                                              "Sources close")]),
                                       engine_version="t", author_id=AUTHOR)
    return stored.flag_ids[0]


# --- a card sent but not recorded -------------------------------------------------------------------------------


async def test_a_card_the_store_cannot_record_is_taken_down_and_the_flag_gets_one_card_later(store):
    """Sent, then the store stays busy (twice): unrecorded, the card would stay for ever, unknown to a forget-me,
    and the flag would get a second one. It is deleted, and the next run posts the flag's only card."""
    guild = make_guild()
    bot, (channel,) = _bot_with_channels(store, guild, "review")
    await store.update_settings(guild.id, review_channel_id=channel.id)
    flag_id = await _waiting_flag(store, guild)
    busy = StoreError("The database stayed busy for too long; please try again.")
    with (mock.patch.object(store, "set_review_messages", autospec=True, side_effect=busy) as record,
          pytest.raises(StoreError)):  # the run fails as before; the card does not stay behind
        await post_waiting(bot, guild.id, max_cards=10)
    assert record.await_count == 2  # recorded once more before giving the card up
    (first,) = SENT[channel.id]
    first.delete.assert_awaited_once()
    assert (await store.get_flag(guild.id, flag_id)).review_message_id is None

    await post_waiting(bot, guild.id, max_cards=10)
    _, second = SENT[channel.id]
    second.delete.assert_not_awaited()
    report = await store.forget_user(guild.id, AUTHOR)
    assert [c.message_id for c in report.removed_cards] == [second.id]  # the only card left is the one known


async def test_a_card_recorded_on_the_second_try_stays(store):
    guild = make_guild()
    bot, (channel,) = _bot_with_channels(store, guild, "review")
    await store.update_settings(guild.id, review_channel_id=channel.id)
    flag_id = await _waiting_flag(store, guild)
    real = store.set_review_messages
    calls = []

    async def busy_once(*args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            raise StoreError("The database stayed busy for too long; please try again.")
        return await real(*args, **kwargs)

    with mock.patch.object(store, "set_review_messages", autospec=True, side_effect=busy_once):
        posting = await post_waiting(bot, guild.id, max_cards=10)
    (card,) = SENT[channel.id]
    assert (posting.flags, posting.cards) == (1, 1)
    card.delete.assert_not_awaited()
    assert (await store.get_flag(guild.id, flag_id)).review_message_id == card.id


async def test_a_card_that_can_be_neither_recorded_nor_deleted_is_logged_with_its_id(store, caplog):
    guild = make_guild()
    bot, (channel,) = _bot_with_channels(store, guild, "review")
    await store.update_settings(guild.id, review_channel_id=channel.id)
    await _waiting_flag(store, guild)
    caplog.set_level(logging.WARNING, logger="bot.review_posting")

    def send(**kwargs):
        message = make_message(channel=channel, message_id=777)
        message.delete.side_effect = http_error(discord.HTTPException, 503, 0, "Service Unavailable")
        return message

    channel.send.side_effect = send
    with (mock.patch.object(store, "set_review_messages", autospec=True, side_effect=StoreError("disk full")),
          pytest.raises(StoreError)):
        await post_waiting(bot, guild.id, max_cards=10)
    warned = [r for r in caplog.records if r.levelno == logging.WARNING and "could not withdraw" in r.getMessage()]
    assert len(warned) == 1 and "777" in warned[0].getMessage()


# --- settings changed while a catch-up runs --------------------------------------------------------------------


class _Gate:
    """Makes the channel's first ``send`` wait until the test opens the gate (Discord's round trip, held), and
    notes in ``order`` when that card is out."""

    def __init__(self, channel):
        self.entered, self.opened = asyncio.Event(), asyncio.Event()
        self.order: list[str] = []
        self._send = channel.send.side_effect

        async def held(**kwargs):
            if not self.opened.is_set():
                self.entered.set()
                await self.opened.wait()
                self.order.append("card in flight sent")
            return self._send(**kwargs)

        channel.send.side_effect = held


async def _change_while_a_card_is_in_flight(gate, store, change) -> None:
    """Run a manager's ``change`` once the first card is held on its way to Discord; let the card through only when
    the change is either stored or waiting for the settings lock, so the order in ``gate.order`` is decided.

    The lock is watched in the globals of the module SettingsCog came from: other tests reload cogs.settings through
    the extension loader, so the name "cogs.settings" may point at a newer copy than the class under test.
    """
    await gate.entered.wait()
    cog_globals = SettingsCog.flag_threshold.callback.__globals__
    real_update, real_lock = store.update_settings, cog_globals["settings_lock"]
    asked_for_lock, stored = asyncio.Event(), asyncio.Event()

    async def update(*args, **kwargs):
        gate.order.append("change stored")
        stored.set()
        return await real_update(*args, **kwargs)

    def lock(guild_id):
        asked_for_lock.set()
        return real_lock(guild_id)

    with (mock.patch.object(store, "update_settings", autospec=True, side_effect=update),
          mock.patch.dict(cog_globals, {"settings_lock": lock})):
        task = asyncio.create_task(change)
        waits = [asyncio.create_task(asked_for_lock.wait()), asyncio.create_task(stored.wait())]
        await asyncio.wait([task, *waits], return_when=asyncio.FIRST_COMPLETED)
        for wait in waits:
            wait.cancel()
        gate.opened.set()
        await task


async def _low_flags(store, guild, n, tag="Item"):
    """``n`` articles with one low flag each (one card each), oldest first."""
    out = []
    for i in range(n):
        text = f"{tag} {i}. The vote reportedly broke the rules."
        stored = await store.save_analysis(guild.id, text, flagged_result(text, [("no_source", "low", "reportedly")]),
                                           engine_version="t")
        out.append(stored.flag_ids[0])
    return out


async def test_raising_the_threshold_during_a_catch_up_stops_its_cards_below_it(store):
    """The manager's change waits for the card in flight; every later card of the run leaves out the flags now
    below the threshold, so they stay out of the queue as the answer says."""
    guild = make_guild()
    bot, (channel,) = _bot_with_channels(store, guild, "review")
    cog = SettingsCog(bot)
    await store.update_settings(guild.id, review_channel_id=channel.id, flag_threshold="low")
    (first_low,) = await _low_flags(store, guild, 1)
    text = "Later. Some say it was unfair. The vote reportedly broke the rules."
    mixed = await store.save_analysis(guild.id, text, flagged_result(text, [("vague_source", "medium", "Some say"),
                                                                            ("no_source", "low", "reportedly")]),
                                      engine_version="t")
    medium, low = mixed.flag_ids
    (last_low,) = await _low_flags(store, guild, 1, tag="Last")
    gate = _Gate(channel)

    run = asyncio.create_task(cog.catch_up(guild.id))
    await _change_while_a_card_is_in_flight(gate, store, cog.flag_threshold.callback(cog, _manager(bot, guild),
                                                                                     "medium"))
    await run

    assert gate.order == ["card in flight sent", "change stored"]  # the change waited for the card in flight
    assert _card_flag_ids(channel) == [[first_low], [medium]]  # the mixed card shows its medium flag only
    assert [(await store.get_flag(guild.id, f)).review_message_id is None for f in (low, last_low)] == [True, True]
    assert (await store.get_settings(guild.id)).flag_threshold == "medium"
    assert sorted(f.id for f in await store.pending_flags(guild.id)) == sorted([first_low, medium])  # the queue


async def test_turning_review_posting_off_stops_a_repost_at_once(store):
    """Once 'Review posting is off.' is stored, no card of a /review repost still running reaches the old channel."""
    guild = make_guild()
    bot, (channel,) = _bot_with_channels(store, guild, "review")
    settings_cog, review_cog = SettingsCog(bot), Review(bot)
    await store.update_settings(guild.id, review_channel_id=channel.id)
    flags = [await _waiting_flag(store, guild, f"Item {i}. {TEXT}") for i in range(3)]
    gate = _Gate(channel)

    mod = _manager(bot, guild)
    run = asyncio.create_task(review_cog.repost.callback(review_cog, mod))
    off = _manager(bot, guild)
    await _change_while_a_card_is_in_flight(gate, store, settings_cog.review_channel.callback(settings_cog, off, None))
    await run

    assert gate.order == ["card in flight sent", "change stored"]
    assert _card_flag_ids(channel) == [[flags[0]]]
    assert off.followup.send.await_args.args[0] == "Review posting is off."
    said = mod.followup.send.await_args.args[0]
    assert said.startswith(f"Posted 1 flag(s) on 1 card(s) in <#{channel.id}>.")
    assert "changed or turned off meanwhile, so this run stopped; 2 flag(s) still wait" in said


async def test_moving_the_review_channel_sends_the_rest_to_the_new_one(store):
    """A catch-up for the old channel stops; the new channel's own catch-up posts the flags still waiting there."""
    guild = make_guild()
    bot, (old, new) = _bot_with_channels(store, guild, "review", "mods")
    cog = SettingsCog(bot)
    flags = [await _waiting_flag(store, guild, f"Item {i}. {TEXT}") for i in range(3)]
    gate = _Gate(old)

    first = _manager(bot, guild)
    setting_old = asyncio.create_task(cog.review_channel.callback(cog, first, old))
    second = _manager(bot, guild)
    await _change_while_a_card_is_in_flight(gate, store, cog.review_channel.callback(cog, second, new))
    await setting_old

    assert gate.order == ["card in flight sent", "change stored"]
    assert _card_flag_ids(old) == [[flags[0]]]
    assert _card_flag_ids(new) == [[flags[1]], [flags[2]]]
    assert "so this run stopped" in first.followup.send.await_args.args[0]
    assert "Posted 2 flag(s) on 2 card(s)" in second.followup.send.await_args.args[0]


# --- lowering the threshold: no promise that cannot be kept ---------------------------------------------------


async def _lowering(store, guild, bot, channel):
    """A low flag waiting under the medium threshold in a guild with ``channel`` as its review channel."""
    await store.update_settings(guild.id, review_channel_id=channel.id)
    (low,) = await _low_flags(store, guild, 1)
    return low


async def _lower_to_low(bot, guild):
    """A manager lowers the threshold to "low" through the settings cog: the cog and the manager's interaction."""
    cog = SettingsCog(bot)
    inter = _manager(bot, guild)
    await cog.flag_threshold.callback(cog, inter, "low")
    return cog, inter


async def test_lowering_the_threshold_says_the_review_channel_is_gone_instead_of_promising_cards(store):
    guild = make_guild()
    bot, (channel,) = _bot_with_channels(store, guild, "review")
    low = await _lowering(store, guild, bot, channel)
    bot.get_channel.side_effect = None
    bot.get_channel.return_value = None
    bot.fetch_channel.side_effect = http_error(discord.NotFound, 404, 10003, "Unknown Channel")
    _cog, inter = await _lower_to_low(bot, guild)

    said = inter.followup.send.await_args.args[0]
    assert "will now be posted" not in said
    assert f"Byline cannot find or use <#{channel.id}>, so 1 flag(s) still wait for a card" in said
    bot.dispatch.assert_not_called()  # no run that could only fail, and pause the automatic posts
    assert guild.id not in _guild_pauses()
    assert (await store.get_settings(guild.id)).flag_threshold == "low"
    assert (await store.get_flag(guild.id, low)).review_message_id is None


async def test_lowering_the_threshold_names_the_rights_byline_lacks_in_the_review_channel(store):
    guild = make_guild()
    bot, (channel,) = _bot_with_channels(store, guild, "review")
    await _lowering(store, guild, bot, channel)
    guild.me = make_member(guild=guild, name="Byline", bot=True)
    channel.permissions_for.return_value = make_permissions(view_channel=True, send_messages=True)
    _cog, inter = await _lower_to_low(bot, guild)

    said = inter.followup.send.await_args.args[0]
    assert "will now be posted" not in said
    assert f"Byline lacks Embed Links in <#{channel.id}>, so 1 flag(s) still wait for a card" in said
    channel.permissions_for.assert_called_with(guild.me)
    bot.dispatch.assert_not_called()
    channel.send.assert_not_awaited()


async def test_with_the_rights_in_place_the_answer_still_promises_the_cards(store):
    guild = make_guild()
    bot, (channel,) = _bot_with_channels(store, guild, "review")
    await _lowering(store, guild, bot, channel)
    guild.me = make_member(guild=guild, name="Byline", bot=True)
    channel.permissions_for.return_value = make_permissions(view_channel=True, send_messages=True, embed_links=True)
    _cog, inter = await _lower_to_low(bot, guild)
    assert "1 waiting flag(s) will now be posted on 1 card(s)" in inter.followup.send.await_args.args[0]
    bot.dispatch.assert_called_once_with(CATCH_UP_EVENT, guild.id, report_to=inter)


async def test_a_catch_up_discord_refuses_tells_the_manager_who_was_promised_the_cards(store):
    guild = make_guild()
    bot, (channel,) = _bot_with_channels(store, guild, "review")
    await _lowering(store, guild, bot, channel)
    cog, inter = await _lower_to_low(bot, guild)
    assert "will now be posted" in inter.followup.send.await_args.args[0]
    channel.send.side_effect = http_error(discord.Forbidden, 403, 50013, "Missing Permissions")

    await cog.catch_up(*bot.dispatch.call_args.args[1:], **bot.dispatch.call_args.kwargs)
    assert inter.followup.send.await_count == 2
    follow_up = inter.followup.send.await_args
    assert "Discord refused a post" in follow_up.args[0] and "1 flag(s) still wait" in follow_up.args[0]
    assert follow_up.kwargs["ephemeral"] is True and follow_up.kwargs["allowed_mentions"].everyone is False


async def test_a_catch_up_that_fails_tells_the_manager_and_a_good_one_says_nothing_more(store):
    guild = make_guild()
    bot, (channel,) = _bot_with_channels(store, guild, "review")
    await _lowering(store, guild, bot, channel)
    cog, inter = await _lower_to_low(bot, guild)
    with mock.patch.object(store, "waiting_for_card", autospec=True, side_effect=StoreError("database is locked")):
        await cog.catch_up(guild.id, report_to=inter)
    assert inter.followup.send.await_count == 2
    assert "could not be posted after all" in inter.followup.send.await_args.args[0]

    await cog.catch_up(guild.id, report_to=inter)  # it works now: the answer already said what it posts
    channel.send.assert_awaited_once()
    assert inter.followup.send.await_count == 2


async def test_an_expired_interaction_does_not_break_the_catch_up(store):
    guild = make_guild()
    bot, (channel,) = _bot_with_channels(store, guild, "review")
    await _lowering(store, guild, bot, channel)
    cog, inter = await _lower_to_low(bot, guild)
    channel.send.side_effect = http_error(discord.Forbidden, 403, 50013, "Missing Permissions")
    inter.followup.send.side_effect = http_error(discord.NotFound, 404, 10015, "Unknown Webhook")
    await cog.catch_up(guild.id, report_to=inter)  # nothing raised into the event dispatch
    assert inter.followup.send.await_count == 2


async def test_setting_a_review_channel_byline_cannot_post_in_names_the_missing_rights(store):
    guild = make_guild()
    bot, (channel,) = _bot_with_channels(store, guild, "review")
    guild.me = make_member(guild=guild, name="Byline", bot=True)
    channel.permissions_for.return_value = make_permissions(view_channel=True, embed_links=True)
    cog = SettingsCog(bot)
    inter = _manager(bot, guild)
    await cog.review_channel.callback(cog, inter, channel)
    assert (f"Note: Byline lacks Send Messages in <#{channel.id}>; give it those rights"
            in inter.followup.send.await_args.args[0])
    assert (await store.get_settings(guild.id)).review_channel_id == channel.id
