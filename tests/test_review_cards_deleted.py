"""Pending flags whose review card is deleted in Discord (the message, a purge, the channel) wait for a new card.

The bug this guards against:

The README promises: "a deleted review channel is cleared, so flags wait for a card, as when none was set, until a
manager sets another". But a flag that had a card keeps ``review_message_id`` pointing at the deleted message:
``waiting_for_card`` (and so every catch-up and ``/review repost``) only posts flags whose ``review_message_id`` is
NULL, nothing ever clears it, and no command decides a flag by id. Such flags sit in ``/review queue`` and its
counts for good, with no buttons anywhere.
"""

from __future__ import annotations

from unittest import mock

import discord

from bot.config import AnalysisSettings, Settings
from cogs.links import LinksCog
from cogs.review import Review
from cogs.settings import Settings as SettingsCog
from tests.helpers import (
    flagged_result,
    make_channel,
    make_guild,
    make_interaction,
    make_member,
    make_message,
    make_permissions,
    make_store_bot,
)

TEXT = "The council met on Monday. Sources close to the mayor said the vote was rushed."


def _channel(guild, counter):
    channel = make_channel(guild=guild, name="review")
    channel.send.side_effect = lambda **kw: make_message(channel=channel, message_id=next(counter))
    return channel


def _bot(store, *channels):
    bot = make_store_bot(store, Settings(analysis=AnalysisSettings()))
    by_id = {c.id: c for c in channels}
    bot.get_channel.side_effect = by_id.get
    bot.fetch_channel.side_effect = discord.NotFound(mock.Mock(status=404, reason="x"), {"code": 10003})
    return bot


def _manager(store, guild):
    inter = make_interaction(client=make_store_bot(store), guild=guild, user=make_member(guild=guild))
    inter.permissions = make_permissions(manage_guild=True, manage_messages=True)
    return inter


def _moderator(store, guild):
    rights = make_permissions(manage_messages=True)
    inter = make_interaction(client=make_store_bot(store), guild=guild,
                             user=make_member(guild=guild, name="Mo", permissions=rights))
    inter.permissions = rights
    return inter


async def test_flags_whose_review_channel_was_deleted_get_a_card_in_the_next_one(store):
    guild = make_guild()
    counter = iter(range(900, 10_000))
    old, new = _channel(guild, counter), _channel(guild, counter)
    bot = _bot(store, old, new)
    review, settings = Review(bot), SettingsCog(bot)
    await store.update_settings(guild.id, review_channel_id=old.id)

    stored = await store.save_analysis(guild.id, TEXT, flagged_result(TEXT, [("anonymous_source", "high",
                                                                              "Sources close")]),
                                       engine_version="t")
    await review.post_flags(stored)
    [flag_id] = stored.flag_ids
    assert (await store.get_flag(guild.id, flag_id)).review_channel_id == old.id  # its card is in the old channel

    # The moderators' channel is deleted (recreated, say, to reset its permissions): Byline clears the setting ...
    bot.get_channel.side_effect = {new.id: new}.get
    await settings.on_guild_channel_delete(old)
    assert (await store.get_settings(guild.id)).review_channel_id is None

    # ... and a manager sets the new one, which posts the flags waiting for a card.
    await settings.review_channel.callback(settings, _manager(store, guild), new)
    # Then a moderator asks for the missing cards by hand.
    mod = _moderator(store, guild)
    await review.repost.callback(review, mod)
    said = mod.followup.send.await_args.args[0]

    flag = await store.get_flag(guild.id, flag_id)
    assert flag.status == "pending"
    # The flag is still in the queue, so it must have a card with buttons somewhere a moderator can click.
    assert await store.count_pending(guild.id) == 1
    assert new.send.await_count == 1, (
        f"the pending flag never got a card in the new review channel (it still points at message "
        f"{flag.review_message_id} in deleted channel {flag.review_channel_id}); /review repost said: {said!r}")


async def test_a_pending_flag_whose_card_message_was_deleted_can_be_reposted(store):
    """A moderator purges the review channel (or deletes one card): its pending flags keep the dead message id, so
    /review repost says they all have a card, and nobody can ever confirm or dismiss them."""
    guild = make_guild()
    counter = iter(range(900, 10_000))
    channel = _channel(guild, counter)
    bot = _bot(store, channel)
    review = Review(bot)
    await store.update_settings(guild.id, review_channel_id=channel.id)
    stored = await store.save_analysis(guild.id, TEXT, flagged_result(TEXT, [("anonymous_source", "high",
                                                                              "Sources close")]),
                                       engine_version="t")
    await review.post_flags(stored)
    card_id = (await store.get_flag(guild.id, stored.flag_ids[0])).review_message_id
    assert card_id is not None

    # The card is deleted in Discord; the gateway tells Byline.
    payload = discord.RawMessageDeleteEvent({"id": str(card_id), "channel_id": str(channel.id),
                                             "guild_id": str(guild.id)})
    bot.user = mock.Mock(id=1)
    for cog in (LinksCog(bot), review):  # every cog's listener for the event, as the bot dispatches it
        for event, method in type(cog).__cog_listeners__:
            if event == "on_raw_message_delete":
                await getattr(cog, method)(payload)

    mod = _moderator(store, guild)
    await review.repost.callback(review, mod)
    said = mod.followup.send.await_args.args[0]
    assert channel.send.await_count == 2, (
        f"the flag of the deleted card {card_id} got no new card and stays pending for good; "
        f"/review repost said: {said!r}")
