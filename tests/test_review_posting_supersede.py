"""A card posted while a newer analysis of the same article is stored must not show the flags it superseded as
pending with live buttons: flags superseded before the card is sent are left off it, and a card whose flags were
superseded while it was being sent is re-drawn at once (the newer analysis's own re-draw cannot see a card that is
not recorded yet)."""

from __future__ import annotations

from typing import Any

from bot.review_posting import post_waiting
from bot.store import Store
from tests.helpers import flagged_result, make_channel, make_guild, make_message, make_store_bot

TEXT = ("The council met on Monday. Sources close to the mayor said the vote was rushed. "
        "Critics say the plan favours developers.")
FLAGS = [("anonymous_source", "high", "Sources close to the mayor"), ("vague_source", "high", "Critics")]
NEWER = [("anonymous_source", "high", "Sources close to the mayor")]  # the newer engine drops the vague flag


async def _posting_setup(store: Store) -> tuple[Any, Any, Any, tuple[int, ...]]:
    guild = make_guild()
    bot = make_store_bot(store)
    channel = make_channel(guild=guild, name="review")
    bot.get_channel.side_effect = {channel.id: channel}.get
    channel.send.side_effect = lambda **kwargs: make_message(channel=channel)
    await store.update_settings(guild.id, review_channel_id=channel.id)
    first = await store.save_analysis(guild.id, TEXT, flagged_result(TEXT, FLAGS), engine_version="engine/1")
    return guild, bot, channel, first.flag_ids


async def _reanalyse(store: Store, guild_id: int) -> None:
    await store.save_analysis(guild_id, TEXT, flagged_result(TEXT, NEWER), engine_version="engine/2")


def _live(view: Any) -> set[int]:
    """The flags whose Confirm button can still be clicked."""
    return {item.flag_id for item in view.children if item.action == "confirm" and not item.item.disabled}


async def test_flags_superseded_while_their_card_is_sent_are_redrawn_at_once(store):
    guild, bot, channel, flag_ids = await _posting_setup(store)
    sent: list[Any] = []

    async def send(**kwargs: Any) -> Any:  # the newer analysis is stored while Discord takes the card
        await _reanalyse(store, guild.id)
        message = make_message(channel=channel)
        sent.append((message, kwargs))
        return message

    channel.send.side_effect = send
    posting = await post_waiting(bot, guild.id, max_cards=1, analysis_id=None)
    [(message, kwargs)] = sent
    assert _live(kwargs["view"]) == set(flag_ids)  # what was read before the newer analysis
    assert posting.cards == 1
    assert all([(await store.get_flag(guild.id, f)).review_message_id == message.id for f in flag_ids])
    redrawn = message.edit.await_args.kwargs["view"]
    assert _live(redrawn) == set()  # both superseded: no button left to click
    assert {(await store.get_flag(guild.id, f)).status for f in flag_ids} == {"superseded"}


async def test_flags_superseded_before_their_card_is_sent_are_left_off_it(store):
    guild, bot, channel, flag_ids = await _posting_setup(store)
    read = store.waiting_for_card

    async def waiting_for_card(*args: Any, **kwargs: Any) -> Any:  # the newer analysis lands once they were read
        store.waiting_for_card = read  # type: ignore[method-assign]
        flags = await read(*args, **kwargs)
        await _reanalyse(store, guild.id)
        return flags

    store.waiting_for_card = waiting_for_card  # type: ignore[method-assign]
    posting = await post_waiting(bot, guild.id, max_cards=1)
    channel.send.assert_not_awaited()  # every flag of the card it read was superseded meanwhile
    assert (posting.cards, posting.flags) == (0, 0)
    [newer] = await store.waiting_for_card(guild.id)  # the newer analysis's flag waits for its own card
    assert newer.id not in flag_ids and posting.remaining == 1
