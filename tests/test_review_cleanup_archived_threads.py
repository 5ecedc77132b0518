"""The forget-me clean-up and replies in archived threads: unarchive and delete, and never let a refusal jam a pass.

Byline's public replies (link auto-replies, 📰 answers, /lookup) often sit in threads, and Discord archives a thread
after a day or so without messages. Deleting a message in an archived thread is refused with
``400 {"code": 50083, "message": "Thread is archived"}`` (Discord's own client unarchives the thread first).

``Review._clean_card`` treats any HTTP error that is not 403/404 (or 50001/10003/10008) as a passing outage: the row
stays listed, is due again at once, and has no attempt count. So:

1. a forgotten member's reply in an archived thread is never deleted, and is asked about again on every pass, for ever;
2. ``clean_stale_cards`` ends a pass when a batch of 50 had failures and nothing else went: once 50 such rows sit at the
   head of the list (ordered by guild, message id), every pass stops there, and no card or reply behind them is ever
   cleaned again, in that server or any server with a larger id. A review card still quoting another member's
   forgotten article stays up for good.
"""

from __future__ import annotations

from unittest import mock

import discord

from bot.store_types import utcnow
from cogs.review import CLEANUP_MAX_ATTEMPTS, CLEANUP_RETRY_MAX, Review
from tests.helpers import flagged_result, http_error, make_channel, make_guild, make_message, make_store_bot

TEXT = "The council met on Monday. Sources close to the mayor said the vote was rushed."
THREAD_ID = 31


def _archived():
    return http_error(discord.HTTPException, 400, 50083, "Thread is archived")


def _cog(store, guild):
    bot = make_store_bot(store)
    channel = make_channel(guild=guild, name="review")
    channel.send.side_effect = lambda **kw: make_message(channel=channel, message_id=900)
    bot.get_channel.side_effect = lambda cid: channel if cid == channel.id else None
    messages: dict[int, mock.Mock] = {}

    def message(mid):
        if mid not in messages:
            msg = mock.create_autospec(discord.PartialMessage, instance=True, spec_set=True)
            if mid < 900:  # Byline's replies in a thread Discord has archived
                msg.delete.side_effect = _archived()
            messages[mid] = msg
        return messages[mid]

    bot.get_partial_messageable.return_value.get_partial_message.side_effect = message
    bot.is_ready.return_value = False
    return Review(bot), channel, messages


async def test_replies_in_archived_threads_do_not_stop_every_later_clean_up(store):
    guild = make_guild()
    cog, channel, messages = _cog(store, guild)
    await store.update_settings(guild.id, review_channel_id=channel.id, flag_threshold="medium")
    prolific, other = 4242, 5151
    for i in range(50):  # a prolific member's link auto-replies, in threads since archived
        text = f"Story number {i}. The council met on Monday and voted for the plan."
        stored = await store.save_analysis(guild.id, text, flagged_result(text, []), engine_version="t",
                                           author_id=prolific)
        await store.record_reply(guild.id, stored.id, THREAD_ID, 100 + i)
    theirs = await store.save_analysis(guild.id, TEXT, flagged_result(TEXT, [("anonymous_source", "high",
                                                                              "Sources close")]),
                                       engine_version="t", author_id=other, title="Vote")
    await cog.post_flags(theirs)  # review card 900, quoting the other member's article
    await store.forget_user(guild.id, prolific)
    await cog.clean_stale_cards()  # the replies fail (archived); nothing else was listed yet

    await store.forget_user(guild.id, other)  # another member asks to be forgotten
    for _ in range(3):  # their forget-me's pass, and the hourly ones after it
        await cog.clean_stale_cards()

    card = messages.get(900)
    edits = card.edit.await_count if card is not None else 0
    left = [c.message_id for c in await store.stale_cards()]
    assert edits == 1 and 900 not in left, (
        f"the review card quoting the forgotten member's article was never emptied ({edits} edits): every pass "
        f"stops at the {sum(1 for m in left if m < 900)} archived-thread replies ahead of it on the list")


async def test_a_reply_that_can_never_be_deleted_is_not_asked_about_for_ever(store):
    """403s back off and are given up after CLEANUP_MAX_ATTEMPTS tries; a 400 that cannot change is retried on every
    pass (every forget-me anywhere, and every hour) for as long as the bot runs."""
    guild = make_guild()
    cog, _channel, messages = _cog(store, guild)
    stored = await store.save_analysis(guild.id, TEXT, flagged_result(TEXT, []), engine_version="t", author_id=4242)
    await store.record_reply(guild.id, stored.id, THREAD_ID, 100)
    await store.forget_user(guild.id, 4242)
    passes = CLEANUP_MAX_ATTEMPTS * 3
    start = utcnow()
    for hour in range(passes):  # hourly retention passes (forget-mes elsewhere add more)
        with mock.patch("cogs.review.utcnow", return_value=start + hour * CLEANUP_RETRY_MAX):
            await cog.clean_stale_cards()
    tries = messages[100].delete.await_count
    assert tries <= CLEANUP_MAX_ATTEMPTS, (
        f"Byline asked Discord to delete the reply {tries} times in {passes} passes, and it is still listed; the "
        "forgotten member's article stays visible in the thread")
