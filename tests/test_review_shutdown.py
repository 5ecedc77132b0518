"""Review clicks and note submissions still running when the shutdown's grace period ends are told, privately, that
Byline restarted before it could finish them, as commands and other buttons are; one whose answer is already on its
way gets that answer only, never a second one."""

from __future__ import annotations

import asyncio
from typing import Any

import discord
import pytest

from bot.errors import CutShortByRestart
from bot.shutdown import Drain
from bot.store import Store
from bot.views import NOTE_INPUT_ID, REVIEW_PATTERN, ReviewButton, handle_note_submit, note_modal_id, review_view
from tests.helpers import (
    flagged_result,
    make_guild,
    make_interaction,
    make_member,
    make_permissions,
    make_store_bot,
    message_with_view,
)

TEXT = "The council met on Monday. Sources familiar with the talks said the vote was rushed."
FLAGS = [("anonymous_source", "high", "Sources familiar with the talks")]


class Stuck:
    """Stands in for one store method: says when it is entered, then waits for ever (until cancelled)."""

    def __init__(self) -> None:
        self.entered = asyncio.Event()

    async def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.entered.set()
        await asyncio.Event().wait()


async def _setup(store: Store) -> tuple[Any, int, Drain]:
    guild = make_guild()
    stored = await store.save_analysis(guild.id, TEXT, flagged_result(TEXT, FLAGS), engine_version="t")
    return guild, stored.flag_ids[0], Drain()


def _moderator_interaction(store: Store, guild: Any, drain: Drain, flag_id: int) -> Any:
    user = make_member(guild=guild, name="mod")
    user.guild_permissions = make_permissions(manage_messages=True)
    inter = make_interaction(client=make_store_bot(store), guild=guild, user=user)
    inter.permissions = user.guild_permissions
    inter.client.drain = drain
    flag = type("F", (), {"id": flag_id, "status": "pending"})()
    inter.message = message_with_view(review_view([flag]), guild=guild)
    return inter


def _click(inter: Any, action: str, flag_id: int) -> asyncio.Task[None]:
    """Run a click as discord.py does: check, then callback, in one task of its own."""
    match = REVIEW_PATTERN.fullmatch(f"byline:review:{action}:{flag_id}")
    assert match is not None

    async def run() -> None:
        button = await ReviewButton.from_custom_id(inter, discord.ui.Button(custom_id=match.group(0)), match)
        if await button.interaction_check(inter):
            await button.callback(inter)

    return asyncio.create_task(run())


def _note_submit(inter: Any, flag_id: int, text: str) -> asyncio.Task[bool]:
    inter.type = discord.InteractionType.modal_submit
    inter.data = {"custom_id": note_modal_id(flag_id),
                  "components": [{"type": 1, "components": [{"type": 4, "custom_id": NOTE_INPUT_ID, "value": text}]}]}
    return asyncio.create_task(handle_note_submit(inter))


def _private_texts(inter: Any) -> list[str]:
    calls = inter.response.send_message.await_args_list + inter.followup.send.await_args_list
    return [c.args[0] for c in calls if c.kwargs.get("ephemeral")]


async def _grace_ends(drain: Drain, task: asyncio.Task[Any]) -> None:
    """Begin the shutdown with ``task`` under way, and end its grace period at once."""
    drain.begin()
    assert drain.pending()
    await drain.finish(0)
    assert task.cancelled()


@pytest.mark.parametrize("action", ["confirm", "dismiss"])
async def test_a_review_click_cut_short_is_told_so(store, action):
    guild, flag_id, drain = await _setup(store)
    store.review_flag = stuck = Stuck()  # type: ignore[method-assign]
    inter = _moderator_interaction(store, guild, drain, flag_id)
    task = _click(inter, action, flag_id)
    await stuck.entered.wait()
    await _grace_ends(drain, task)
    assert _private_texts(inter) == [CutShortByRestart.user_message]


async def test_an_add_note_click_cut_short_is_told_so(store):
    guild, flag_id, drain = await _setup(store)
    store.get_flag = stuck = Stuck()  # type: ignore[method-assign]
    inter = _moderator_interaction(store, guild, drain, flag_id)
    task = _click(inter, "note", flag_id)
    await stuck.entered.wait()
    await _grace_ends(drain, task)
    inter.response.send_modal.assert_not_awaited()
    assert _private_texts(inter) == [CutShortByRestart.user_message]


async def test_a_note_submission_cut_short_is_told_so_and_saves_nothing(store):
    guild, flag_id, drain = await _setup(store)
    real_add_note = store.add_note
    store.add_note = stuck = Stuck()  # type: ignore[method-assign]
    inter = _moderator_interaction(store, guild, drain, flag_id)
    task = _note_submit(inter, flag_id, "checked with the desk")
    await stuck.entered.wait()
    await _grace_ends(drain, task)
    assert _private_texts(inter) == [CutShortByRestart.user_message]
    store.add_note = real_add_note  # type: ignore[method-assign]
    assert await store.review_events(guild.id, flag_id) == []


class SlowSend:
    """A follow-up send that waits for the network: the answer is on its way when the grace period ends."""

    def __init__(self) -> None:
        self.sending, self.network = asyncio.Event(), asyncio.Event()

    async def send(self, *args: Any, **kwargs: Any) -> None:  # a function: AsyncMock awaits it as a side effect
        self.sending.set()
        await self.network.wait()


async def _answer_in_flight_when_grace_ends(drain: Drain, task: asyncio.Task[Any], send: SlowSend) -> None:
    await send.sending.wait()
    drain.begin()
    finishing = asyncio.create_task(drain.finish(0))
    await asyncio.wait([task])  # the grace period is over: the handler is cancelled while its answer is sent
    send.network.set()
    await finishing


async def test_a_review_decided_and_being_answered_is_answered_once(store):
    guild, flag_id, drain = await _setup(store)
    inter = _moderator_interaction(store, guild, drain, flag_id)
    send = SlowSend()
    inter.followup.send.side_effect = send.send
    task = _click(inter, "confirm", flag_id)
    await _answer_in_flight_when_grace_ends(drain, task, send)
    assert _private_texts(inter) == [f"Flag #{flag_id} confirmed. Thanks!"]
    assert (await store.get_flag(guild.id, flag_id)).status == "confirmed"


async def test_a_note_saved_and_being_answered_is_answered_once(store):
    guild, flag_id, drain = await _setup(store)
    inter = _moderator_interaction(store, guild, drain, flag_id)
    send = SlowSend()
    inter.followup.send.side_effect = send.send
    task = _note_submit(inter, flag_id, "checked with the desk")
    await _answer_in_flight_when_grace_ends(drain, task, send)
    assert _private_texts(inter) == [f"Note saved on flag #{flag_id}."]
    assert (await store.get_flag(guild.id, flag_id)).note == "checked with the desk"


async def test_a_decision_stored_but_cut_short_before_its_answer_says_it_was_recorded(store):
    """The decision is in the store when the grace period ends (the card is still being re-drawn): the moderator is
    told it was recorded, not asked to try again a click that would only meet "already reviewed"."""
    guild, flag_id, drain = await _setup(store)
    inter = _moderator_interaction(store, guild, drain, flag_id)
    store.flags_on_card = stuck = Stuck()  # type: ignore[method-assign]  # re-drawing the card hangs
    task = _click(inter, "dismiss", flag_id)
    await stuck.entered.wait()
    await _grace_ends(drain, task)
    [told] = _private_texts(inter)
    assert told.startswith(f"Flag #{flag_id} dismissed.") and "restart" in told
