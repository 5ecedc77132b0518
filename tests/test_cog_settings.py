"""The settings cog: Manage Server only at run time, validation errors, and each setting stored per guild."""

from __future__ import annotations

import asyncio
import sqlite3
from unittest import mock

import discord
import pytest

from bot.checks import ManagerCheckFailure
from bot.config import AnalysisSettings, Settings
from bot.errors import InputError, StoreError
from bot.store import Store
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
    make_role,
    make_store_bot,
)


def _cog(store, max_summary=10):
    return SettingsCog(make_store_bot(store, Settings(analysis=AnalysisSettings(max_summary_sentences=max_summary))))


def _inter(store, guild, **perms):
    inter = make_interaction(client=make_store_bot(store), guild=guild, user=make_member(guild=guild))
    inter.permissions = make_permissions(**(perms or {"manage_guild": True}))
    return inter


async def _checks(command, inter):
    for check in command.checks:
        await check(inter)


async def test_every_set_command_refuses_non_managers(store):
    """A moderator with Manage Messages but not Manage Server is refused by every /settings set command."""
    cog = _cog(store)
    inter = _inter(store, make_guild(), manage_messages=True)
    commands = list(cog.set_group.walk_commands())
    assert len(commands) == 7
    for command in commands:
        with pytest.raises(ManagerCheckFailure):
            await _checks(command, inter)


async def test_show_needs_no_rights_and_never_pings(store):
    """Anyone may read the settings; the reply is private and mentions nobody."""
    guild = make_guild()
    await store.update_settings(guild.id, flag_threshold="high")
    cog = _cog(store)
    inter = _inter(store, guild, send_messages=True)
    await cog.show.callback(cog, inter)
    sent = inter.response.send_message.await_args.kwargs
    fields = {f.name: f.value for f in sent["embed"].fields}
    assert fields["Flag threshold"] == "high and above" and fields["Review channel"] == "not set"
    assert sent["ephemeral"] is True and sent["allowed_mentions"].roles is False


async def test_review_channel_set_and_clear(store):
    """Setting stores the channel id for this guild only; no channel clears it."""
    guild, other = make_guild(), make_guild()
    channel = make_channel(guild=guild)
    cog = _cog(store)
    inter = _inter(store, guild)
    await _checks(cog.review_channel, inter)
    await cog.review_channel.callback(cog, inter, channel)
    assert (await store.get_settings(guild.id)).review_channel_id == channel.id
    assert (await store.get_settings(other.id)).review_channel_id is None
    inter.response.defer.assert_awaited_once_with(ephemeral=True, thinking=True)
    sent = inter.followup.send.await_args
    assert sent.args[0].startswith(f"Flags will be posted in {channel.mention}")
    assert sent.kwargs["ephemeral"] is True and sent.kwargs["allowed_mentions"].everyone is False
    fields = {f.name: f.value for f in sent.kwargs["embed"].fields}
    assert fields["Review channel"] == channel.mention
    await cog.review_channel.callback(cog, _inter(store, guild), None)
    assert (await store.get_settings(guild.id)).review_channel_id is None


async def _flag_waiting(store, guild):
    """A high flag stored while the guild had no review channel, so it has no card."""
    text = "The council met on Monday. Sources close to the mayor said the vote was rushed."
    stored = await store.save_analysis(guild.id, text, flagged_result(text, [("anonymous_source", "high",
                                                                              "Sources close")]), engine_version="t")
    return stored.flag_ids[0]


async def test_setting_the_review_channel_posts_the_flags_already_waiting(store):
    """Flags stored before there was a review channel get their cards there at once, and the answer says so."""
    guild = make_guild()
    flag_id = await _flag_waiting(store, guild)
    channel = make_channel(guild=guild, name="review")
    channel.send.return_value = make_message(channel=channel, message_id=900)
    cog = _cog(store)
    cog.bot.get_channel.side_effect = lambda cid: channel if cid == channel.id else None
    inter = _inter(store, guild)
    await cog.review_channel.callback(cog, inter, channel)
    channel.send.assert_awaited_once()
    assert (await store.get_flag(guild.id, flag_id)).review_message_id == 900
    said = inter.followup.send.await_args.args[0]
    assert said.startswith(f"Flags will be posted in {channel.mention}") and "Posted 1 flag(s) on 1 card(s)" in said


async def test_setting_the_review_channel_tries_at_once_even_after_a_refusal(store):
    """A refusal pauses the automatic posts after each analysis, not a manager who just fixed the channel."""
    from bot.review_posting import post_waiting

    guild = make_guild()
    flag_id = await _flag_waiting(store, guild)
    channel = make_channel(guild=guild, name="review")
    channel.send.side_effect = http_error(discord.Forbidden, 403, 50013, "Missing Permissions")
    cog = _cog(store)
    cog.bot.get_channel.side_effect = lambda cid: channel if cid == channel.id else None
    await store.update_settings(guild.id, review_channel_id=channel.id)
    assert (await post_waiting(cog.bot, guild.id, max_cards=1, automatic=True)).problem == "refused"
    assert (await post_waiting(cog.bot, guild.id, max_cards=1, automatic=True)).problem == "paused"

    channel.send.side_effect = None
    channel.send.return_value = make_message(channel=channel, message_id=900)
    await cog.review_channel.callback(cog, _inter(store, guild), channel)
    assert channel.send.await_count == 2 and (await store.get_flag(guild.id, flag_id)).review_message_id == 900


async def test_a_failed_catch_up_does_not_undo_the_new_review_channel(store):
    guild = make_guild()
    await _flag_waiting(store, guild)
    channel = make_channel(guild=guild, name="review")
    cog = _cog(store)
    inter = _inter(store, guild)
    with mock.patch.object(store, "waiting_for_card", autospec=True, side_effect=StoreError("database is locked")):
        await cog.review_channel.callback(cog, inter, channel)
    assert (await store.get_settings(guild.id)).review_channel_id == channel.id
    assert "/review repost tries again" in inter.followup.send.await_args.args[0]


async def test_channel_of_another_guild_is_refused(store):
    """A channel object from another server is an input error and nothing is stored."""
    guild = make_guild()
    cog = _cog(store)
    with pytest.raises(InputError, match="not in this server"):
        await cog.review_channel.callback(cog, _inter(store, guild), make_channel(guild=make_guild()))
    assert (await store.get_settings(guild.id)).review_channel_id is None


async def test_mod_role_rejects_everyone_and_accepts_a_role(store):
    """@everyone as mod role would make every member a moderator, so it is refused."""
    guild = make_guild()
    cog = _cog(store)
    everyone = make_role(name="@everyone")
    everyone.guild = guild
    everyone.is_default.return_value = True
    with pytest.raises(InputError, match="@everyone"):
        await cog.mod_role.callback(cog, _inter(store, guild), everyone)
    mods = make_role(name="mods")
    mods.guild = guild
    mods.is_default.return_value = False
    await cog.mod_role.callback(cog, _inter(store, guild), mods)
    assert (await store.get_settings(guild.id)).mod_role_id == mods.id


async def test_autoreply_add_and_remove(store):
    """Channels are added to and removed from the set; removing one that is not there is an error."""
    guild = make_guild()
    a, b = make_channel(guild=guild), make_channel(guild=guild)
    cog = _cog(store)
    await cog.autoreply_add.callback(cog, _inter(store, guild), a)
    await cog.autoreply_add.callback(cog, _inter(store, guild), b)
    assert (await store.get_settings(guild.id)).autoreply_channel_ids == {a.id, b.id}
    await cog.autoreply_remove.callback(cog, _inter(store, guild), a)
    assert (await store.get_settings(guild.id)).autoreply_channel_ids == {b.id}
    with pytest.raises(InputError, match="were not on"):
        await cog.autoreply_remove.callback(cog, _inter(store, guild), a)


@pytest.mark.parametrize("value", [0, 11, -3])
async def test_summary_length_out_of_range_is_refused(store, value):
    """The limit comes from the bot's configured maximum (10 here), and nothing is stored."""
    guild = make_guild()
    cog = _cog(store, max_summary=10)
    with pytest.raises(InputError, match="between 1 and 10"):
        await cog.summary_length.callback(cog, _inter(store, guild), value)
    assert (await store.get_settings(guild.id)).summary_sentences is None


async def test_summary_length_threshold_and_retention_are_stored(store):
    """Valid values are stored; empty values go back to the defaults."""
    guild = make_guild()
    cog = _cog(store)
    await cog.summary_length.callback(cog, _inter(store, guild), 4)
    await cog.flag_threshold.callback(cog, _inter(store, guild), "low")
    await cog.retention.callback(cog, _inter(store, guild), 30)
    current = await store.get_settings(guild.id)
    assert (current.summary_sentences, current.flag_threshold, current.retention_days) == (4, "low", 30)
    await cog.retention.callback(cog, _inter(store, guild), None)
    assert (await store.get_settings(guild.id)).retention_days is None


async def test_invalid_threshold_and_retention_are_refused(store):
    """Values outside the allowed sets raise a user-facing InputError and leave the settings alone."""
    guild = make_guild()
    cog = _cog(store)
    with pytest.raises(InputError):
        await cog.flag_threshold.callback(cog, _inter(store, guild), "extreme")
    with pytest.raises(InputError, match="between 1 and 3650"):
        await cog.retention.callback(cog, _inter(store, guild), 0)
    current = await store.get_settings(guild.id)
    assert (current.flag_threshold, current.retention_days) == ("medium", None)


def test_settings_group_is_guild_only_and_hidden_by_default():
    """default_permissions hides /settings from non-managers (a UI hint; the run-time check is the guard)."""
    group = SettingsCog.settings
    assert group.guild_only is True
    assert group.default_permissions == discord.Permissions(manage_guild=True)


async def test_a_change_is_acknowledged_before_waiting_for_the_write_lock(store, tmp_path):
    """Another process holding the write lock must not push the answer past Discord's 3 s deadline: the cog
    defers first, and the confirmation follows once the write lands."""
    guild = make_guild()
    cog = _cog(store)
    inter = _inter(store, guild)
    deferred = asyncio.Event()
    inter.response.defer.side_effect = lambda *a, **k: deferred.set()
    other = sqlite3.connect(tmp_path / "byline.db", isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another process is writing
        task = asyncio.create_task(cog.flag_threshold.callback(cog, inter, "high"))
        await asyncio.wait_for(deferred.wait(), 4)
        inter.followup.send.assert_not_awaited()
        assert not task.done()
    finally:
        other.execute("ROLLBACK")
        other.close()
    await task
    assert (await store.get_settings(guild.id)).flag_threshold == "high"
    assert inter.followup.send.await_args.kwargs["ephemeral"] is True


async def test_two_managers_adding_channels_at_once_both_land(store, tmp_path):
    """Two processes (two stores on one file) add different channels at the same moment: neither is lost."""
    guild = make_guild()
    channels = [make_channel(guild=guild) for _ in range(6)]
    async with Store.open(tmp_path / "byline.db") as second:
        cogs = [_cog(store), _cog(second)]
        await asyncio.gather(*(cogs[i % 2].autoreply_add.callback(cogs[i % 2], _inter(store, guild), ch)
                               for i, ch in enumerate(channels)))
    assert (await store.get_settings(guild.id)).autoreply_channel_ids == {ch.id for ch in channels}


async def test_store_adds_and_removes_one_autoreply_channel_atomically(store):
    """The store reports whether anything changed and never touches another guild's list."""
    guild, other = make_guild(), make_guild()
    await store.update_settings(other.id, autoreply_channel_ids=[7])
    updated, changed = await store.set_autoreply_channel(guild.id, 5, True)
    assert changed and updated.autoreply_channel_ids == {5}
    assert (await store.set_autoreply_channel(guild.id, 5, True))[1] is False
    assert (await store.set_autoreply_channel(guild.id, 6, False))[1] is False
    updated, changed = await store.set_autoreply_channel(guild.id, 5, False)
    assert changed and updated.autoreply_channel_ids == frozenset()
    assert (await store.get_settings(other.id)).autoreply_channel_ids == {7}


# --- the flag threshold and the review cards --------------------------------------------------------------------

ARTICLE = ("The council met on Monday. Sources close to the mayor said the vote was rushed. Some say it was unfair. "
           "The vote reportedly broke the rules.")
LEVELS = [("anonymous_source", "high", "Sources close"), ("vague_source", "medium", "Some say"),
          ("no_source", "low", "reportedly")]


def _reviewing_cog(store, guild):
    """A settings cog whose guild has a fake review channel; each card sent there gets the next message id."""
    cog = _cog(store)
    channel = make_channel(guild=guild, name="review")
    ids = iter(range(900, 10_000))
    channel.send.side_effect = lambda **kw: make_message(channel=channel, message_id=next(ids))
    cog.bot.get_channel.side_effect = lambda cid: channel if cid == channel.id else None
    return cog, channel


async def _posted_at_medium(store, guild, cog, channel, articles=1):
    """Analyses stored and posted under the default medium threshold: their low flags have no card."""
    from bot.review_posting import post_waiting

    await store.update_settings(guild.id, review_channel_id=channel.id)
    lows = []
    for n in range(articles):
        text = f"Item {n}. {ARTICLE}"
        stored = await store.save_analysis(guild.id, text, flagged_result(text, LEVELS), engine_version="t")
        await post_waiting(cog.bot, guild.id, max_cards=1, analysis_id=stored.id)
        lows.append(stored.flag_ids[2])
    channel.send.reset_mock()
    return lows


async def test_lowering_the_threshold_answers_first_then_posts_the_flags_it_admits(store):
    from bot.review_posting import CATCH_UP_EVENT

    guild = make_guild()
    cog, channel = _reviewing_cog(store, guild)
    (low,) = await _posted_at_medium(store, guild, cog, channel)
    inter = _inter(store, guild)
    order: list[str] = []
    inter.followup.send.side_effect = lambda *a, **k: order.append("answer")
    cog.bot.dispatch.side_effect = lambda *a, **k: order.append("catch-up")

    await cog.flag_threshold.callback(cog, inter, "low")

    assert (await store.get_settings(guild.id)).flag_threshold == "low"
    assert order == ["answer", "catch-up"]  # the manager is answered before anything is posted
    channel.send.assert_not_awaited()
    cog.bot.dispatch.assert_called_once_with(CATCH_UP_EVENT, guild.id, report_to=inter)
    said = inter.followup.send.await_args.args[0]
    assert said == (f"Flags of low severity and above go to review.\n1 waiting flag(s) will now be posted on 1 "
                    f"card(s) in {channel.mention}.")

    await cog.catch_up(guild.id)  # what the dispatched event runs
    channel.send.assert_awaited_once()
    assert (await store.get_flag(guild.id, low)).review_message_id is not None
    assert await store.count_waiting_for_card(guild.id) == 0


async def test_a_failed_count_or_answer_still_leaves_the_catch_up_to_run(store):
    """The threshold is stored either way, so the flags it admits are posted even when counting them failed or the
    answer could not be delivered."""
    from bot.review_posting import CATCH_UP_EVENT

    guild = make_guild()
    cog, channel = _reviewing_cog(store, guild)
    await _posted_at_medium(store, guild, cog, channel)
    inter = _inter(store, guild)
    locked = StoreError("database is locked")
    with mock.patch.object(store, "count_waiting_for_card", autospec=True, side_effect=locked):
        await cog.flag_threshold.callback(cog, inter, "low")
    assert "posted shortly; /review repost says how many still wait" in inter.followup.send.await_args.args[0]
    cog.bot.dispatch.assert_called_once_with(CATCH_UP_EVENT, guild.id, report_to=inter)

    await store.update_settings(guild.id, flag_threshold="medium")
    cog.bot.dispatch.reset_mock()
    expired = _inter(store, guild)
    expired.followup.send.side_effect = http_error(discord.NotFound, 404, 10062, "Unknown interaction")
    with pytest.raises(discord.NotFound):
        await cog.flag_threshold.callback(cog, expired, "low")
    cog.bot.dispatch.assert_called_once_with(CATCH_UP_EVENT, guild.id, report_to=expired)


async def test_the_catch_up_after_lowering_is_capped_and_the_answer_says_what_still_waits(store):
    from bot.review_posting import CATCH_UP_CARDS

    guild = make_guild()
    cog, channel = _reviewing_cog(store, guild)
    articles = CATCH_UP_CARDS + 2  # one low flag each, one card each
    lows = await _posted_at_medium(store, guild, cog, channel, articles=articles)
    inter = _inter(store, guild)
    await cog.flag_threshold.callback(cog, inter, "low")
    said = inter.followup.send.await_args.args[0]
    assert (f"{CATCH_UP_CARDS} waiting flag(s) will now be posted on {CATCH_UP_CARDS} card(s)" in said
            and "2 more will still wait for a card; each /review repost posts up to" in said)

    await cog.catch_up(guild.id)
    assert channel.send.await_count == CATCH_UP_CARDS
    carded = [(await store.get_flag(guild.id, f)).review_message_id is not None for f in lows]
    assert carded == [True] * CATCH_UP_CARDS + [False, False]  # oldest first


async def test_the_catch_up_takes_the_guild_posting_lock(store):
    """It is the shared runner, so a run already posting in the guild finishes before it reads the waiting flags."""
    from bot.review_posting import _guild_lock

    guild = make_guild()
    cog, channel = _reviewing_cog(store, guild)
    await _posted_at_medium(store, guild, cog, channel)
    await cog.flag_threshold.callback(cog, _inter(store, guild), "low")
    async with _guild_lock(guild.id):
        task = asyncio.create_task(cog.catch_up(guild.id))
        for _ in range(20):
            await asyncio.sleep(0)
        assert not task.done()
        channel.send.assert_not_awaited()
    await task
    channel.send.assert_awaited_once()


async def test_the_catch_up_listens_for_the_event_the_threshold_change_sends():
    from bot.review_posting import CATCH_UP_EVENT

    assert (f"on_{CATCH_UP_EVENT}", "catch_up") in SettingsCog.__cog_listeners__


async def test_lowering_without_a_review_channel_posts_nothing_and_says_how_to_get_the_cards(store):
    guild = make_guild()
    cog = _cog(store)
    await _flag_waiting(store, guild)  # a high flag, no channel
    text = "Lead. It reportedly broke the rules."
    await store.save_analysis(guild.id, text, flagged_result(text, [("no_source", "low", "reportedly")]),
                              engine_version="t")
    inter = _inter(store, guild)
    await cog.flag_threshold.callback(cog, inter, "low")
    cog.bot.dispatch.assert_not_called()
    assert ("2 flag(s) wait for a review card, but no review channel is set"
            in inter.followup.send.await_args.args[0])


async def test_raising_the_threshold_posts_nothing_and_leaves_posted_cards_in_the_queue(store):
    guild = make_guild()
    cog, channel = _reviewing_cog(store, guild)
    await store.update_settings(guild.id, flag_threshold="low", review_channel_id=channel.id)
    text = f"Item. {ARTICLE}"
    stored = await store.save_analysis(guild.id, text, flagged_result(text, LEVELS), engine_version="t")
    await _post_all(cog, guild)
    high, medium, low = stored.flag_ids
    card = (await store.get_flag(guild.id, high)).review_message_id
    assert card is not None and channel.send.await_count == 1
    inter = _inter(store, guild)
    await cog.flag_threshold.callback(cog, inter, "high")

    cog.bot.dispatch.assert_not_called()
    cog.bot.get_partial_messageable.assert_not_called()  # no card is edited or deleted
    assert channel.send.await_count == 1
    assert "Cards already in the review channel stay" in inter.followup.send.await_args.args[0]
    for flag_id in (high, medium, low):
        flag = await store.get_flag(guild.id, flag_id)
        assert (flag.status, flag.review_message_id) == ("pending", card)
    assert [f.id for f in await store.pending_flags(guild.id)] == [high, medium, low]
    assert await store.count_pending(guild.id) == 3 and (await store.review_stats(guild.id))["pending"] == 3
    assert await store.count_waiting_for_card(guild.id) == 0
    # A flag below the new threshold that was never posted is still out of the queue.
    later = await store.save_analysis(guild.id, text + " More.", flagged_result(text, LEVELS), engine_version="t")
    assert [f.id for f in await store.pending_flags(guild.id)] == [high, later.flag_ids[0], medium, low]


async def _post_all(cog, guild):
    from bot.review_posting import post_waiting

    await post_waiting(cog.bot, guild.id, max_cards=10)


async def test_setting_the_same_threshold_again_starts_no_catch_up(store):
    guild = make_guild()
    cog, channel = _reviewing_cog(store, guild)
    await _posted_at_medium(store, guild, cog, channel)
    inter = _inter(store, guild)
    await cog.flag_threshold.callback(cog, inter, "medium")
    cog.bot.dispatch.assert_not_called()
    assert inter.followup.send.await_args.args[0] == "Flags of medium severity and above go to review."


# --- deleted channels ---------------------------------------------------------------------------------------------


def _cached(cog, guild, *channels):
    """The bot's cache holds ``guild`` with exactly ``channels``, as the gateway keeps it."""
    guild.unavailable = False
    guild.get_channel.side_effect = {c.id: c for c in channels}.get
    cog.bot.get_guild.side_effect = {guild.id: guild}.get


async def test_a_deleted_channel_leaves_the_auto_reply_list_and_the_review_channel(store, caplog, monkeypatch):
    """The listener takes a deleted channel off this server's auto-reply list and clears it as the review channel, so
    flags wait for a card as with no channel set; a channel in no setting costs no write, other servers keep theirs."""
    from bot.review_posting import post_waiting

    guild, other = make_guild(), make_guild()
    review, a, b, unrelated = (make_channel(guild=guild) for _ in range(4))
    await store.update_settings(guild.id, review_channel_id=review.id, autoreply_channel_ids=[a.id, b.id])
    await store.update_settings(other.id, review_channel_id=review.id, autoreply_channel_ids=[a.id])
    cog = _cog(store)
    writes = []
    real = store.forget_channels

    async def counted(*args, **kwargs):
        writes.append(args)
        return await real(*args, **kwargs)

    monkeypatch.setattr(store, "forget_channels", counted)
    await cog.on_guild_channel_delete(unrelated)
    assert writes == []
    await cog.on_guild_channel_delete(a)
    current = await store.get_settings(guild.id)
    assert current.autoreply_channel_ids == {b.id} and current.review_channel_id == review.id
    with caplog.at_level("WARNING", logger="cogs.settings"):
        await cog.on_guild_channel_delete(review)
    current = await store.get_settings(guild.id)
    assert current.review_channel_id is None and current.autoreply_channel_ids == {b.id}
    assert f"review channel {review.id} was deleted" in caplog.text
    mine = await store.get_settings(other.id)
    assert mine.review_channel_id == review.id and mine.autoreply_channel_ids == {a.id}
    await _flag_waiting(store, guild)
    assert (await post_waiting(cog.bot, guild.id, max_cards=1)).problem == "no_channel"
    cog.bot.get_channel.assert_not_called()  # nobody asks Discord for the channel that is gone


def test_the_settings_cog_listens_for_deleted_channels():
    assert ("on_guild_channel_delete", "on_guild_channel_delete") in SettingsCog.__cog_listeners__


async def test_channels_deleted_while_byline_was_away_never_block_autoreply_add(store):
    """The list is full (500) of channels deleted while no event could reach Byline: adding a channel drops them
    first, so the cap counts only channels the server still has."""
    guild = make_guild()
    await store.update_settings(guild.id, autoreply_channel_ids=list(range(1, 501)))
    cog = _cog(store)
    new = make_channel(guild=guild)
    _cached(cog, guild, new)
    await cog.autoreply_add.callback(cog, _inter(store, guild), new)
    assert (await store.get_settings(guild.id)).autoreply_channel_ids == {new.id}


async def test_show_leaves_out_deleted_auto_reply_channels_and_drops_them_after_answering(store):
    """/settings show lists only the channels the server still has, then takes the others off the stored list; with
    the server not cached (or unavailable) nothing can be said to be gone, and nothing is dropped."""
    guild = make_guild()
    live = make_channel(guild=guild)
    await store.update_settings(guild.id, autoreply_channel_ids=[live.id, 42])
    cog = _cog(store)
    inter = _inter(store, guild)
    cog.bot.get_guild.return_value = None
    await cog.show.callback(cog, inter)
    assert (await store.get_settings(guild.id)).autoreply_channel_ids == {live.id, 42}
    _cached(cog, guild, live)
    guild.unavailable = True
    await cog.show.callback(cog, _inter(store, guild))
    assert (await store.get_settings(guild.id)).autoreply_channel_ids == {live.id, 42}
    guild.unavailable = False
    inter = _inter(store, guild)
    await cog.show.callback(cog, inter)
    fields = {f.name: f.value for f in inter.response.send_message.await_args.kwargs["embed"].fields}
    assert fields["Auto-reply channels"] == f"<#{live.id}>"
    assert (await store.get_settings(guild.id)).autoreply_channel_ids == {live.id}


async def test_store_forgets_deleted_channels_without_undoing_a_newer_change(store):
    """Only the named channels leave, in this guild only; a review channel set to another one stays, and the review
    channel is kept when asked to (an inference from the cache is not a deletion event)."""
    guild = make_guild()
    await store.update_settings(guild.id, review_channel_id=7, autoreply_channel_ids=[5, 6, 7])
    assert await store.forget_channels(guild.id, {5, 9}) == ({5}, False)
    assert await store.forget_channels(guild.id, {7}, review_channel=False) == ({7}, False)
    current = await store.get_settings(guild.id)
    assert current.autoreply_channel_ids == {6} and current.review_channel_id == 7
    assert await store.forget_channels(guild.id, {7}) == (frozenset(), True)
    assert (await store.get_settings(guild.id)).review_channel_id is None
    assert await store.forget_channels(make_guild().id, {6}) == (frozenset(), False)  # a guild with no settings row
    assert (await store.get_settings(guild.id)).autoreply_channel_ids == {6}
