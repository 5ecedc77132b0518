"""A flag id in a review button's or note box's custom_id that no SQLite row can have (above 2**63-1) is refused like
an unknown flag, with no "Something went wrong" and no error log: SQLite would raise OverflowError for it."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import discord
import pytest

from bot.store import Store
from bot.views import NOTE_INPUT_ID, REVIEW_PATTERN, ReviewButton, handle_note_submit, note_modal_id
from tests.helpers import (
    flagged_result,
    make_guild,
    make_interaction,
    make_member,
    make_message,
    make_permissions,
    make_store_bot,
)

TEXT = "The council met on Monday. Sources familiar with the talks said the vote was rushed."
FLAGS = [("anonymous_source", "high", "Sources familiar with the talks")]
SQLITE_MAX = 2**63 - 1
TOO_BIG = [SQLITE_MAX + 1, 10**30, 10**99]


def _card(guild: Any, *flag_ids: int) -> Any:
    """A posted card (never recorded in the store) whose buttons carry these ids, as Discord sends it back."""
    message = make_message(guild=guild)
    rows = []
    for flag_id in flag_ids:
        buttons = [{"type": 2, "style": 2, "label": action, "custom_id": f"byline:review:{action}:{flag_id}"}
                   for action in ("confirm", "dismiss", "note")]
        rows.append(discord.ActionRow({"type": 1, "components": buttons}))  # type: ignore[arg-type, typeddict-item]
    message.components = rows
    message.flags = discord.MessageFlags()
    return message


def _moderator(store: Store, guild: Any, message: Any) -> Any:
    user = make_member(guild=guild, name="mod")
    user.guild_permissions = make_permissions(manage_messages=True)
    inter = make_interaction(client=make_store_bot(store), guild=guild, user=user)
    inter.permissions = user.guild_permissions
    inter.type = discord.InteractionType.component
    inter.message = message
    return inter


async def _click(inter: Any, custom_id: str) -> None:
    """As discord.py runs a dynamic item: template match, from_custom_id, check, callback, in a task of its own."""
    match = REVIEW_PATTERN.fullmatch(custom_id)
    assert match is not None

    async def run() -> None:
        button = await ReviewButton.from_custom_id(inter, discord.ui.Button(custom_id=custom_id), match)
        if await button.interaction_check(inter):
            await button.callback(inter)

    await asyncio.create_task(run())


def _private_texts(inter: Any) -> list[str]:
    calls = inter.response.send_message.await_args_list + inter.followup.send.await_args_list
    return [c.args[0] for c in calls if c.kwargs.get("ephemeral")]


def _errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("action", ["confirm", "dismiss", "note"])
@pytest.mark.parametrize("flag_id", TOO_BIG)
async def test_a_button_naming_an_impossible_flag_is_refused_as_unknown(store, caplog, action, flag_id):
    guild = make_guild()
    stored = await store.save_analysis(guild.id, TEXT, flagged_result(TEXT, FLAGS), engine_version="t")
    inter = _moderator(store, guild, _card(guild, flag_id))
    await _click(inter, f"byline:review:{action}:{flag_id}")
    assert _private_texts(inter) == [f"No flag #{flag_id} in this server."]
    assert _errors(caplog) == []
    inter.response.send_modal.assert_not_awaited()
    assert (await store.get_flag(guild.id, stored.flag_ids[0])).status == "pending"


async def test_the_largest_possible_id_is_an_ordinary_unknown_flag(store, caplog):
    guild = make_guild()
    inter = _moderator(store, guild, _card(guild, SQLITE_MAX))
    await _click(inter, f"byline:review:confirm:{SQLITE_MAX}")
    assert _private_texts(inter) == [f"No flag #{SQLITE_MAX} in this server."]
    assert _errors(caplog) == []


async def test_a_real_flag_on_a_card_that_also_names_an_impossible_one_is_reviewed(store, caplog):
    """The card's other button ids are read to re-draw it: an impossible one among them is skipped, not looked up."""
    guild = make_guild()
    stored = await store.save_analysis(guild.id, TEXT, flagged_result(TEXT, FLAGS), engine_version="t")
    flag_id = stored.flag_ids[0]
    inter = _moderator(store, guild, _card(guild, SQLITE_MAX + 1, flag_id))
    await _click(inter, f"byline:review:confirm:{flag_id}")
    assert _private_texts(inter) == [f"Flag #{flag_id} confirmed. Thanks!"]
    assert _errors(caplog) == []
    view = inter.edit_original_response.await_args.kwargs["view"]
    assert {item.flag_id for item in view.children} == {flag_id}


@pytest.mark.parametrize("flag_id", TOO_BIG)
async def test_a_note_box_naming_an_impossible_flag_is_refused_as_unknown(store, caplog, flag_id):
    guild = make_guild()
    inter = _moderator(store, guild, _card(guild, flag_id))
    inter.type = discord.InteractionType.modal_submit
    inter.data = {"custom_id": note_modal_id(flag_id),
                  "components": [{"type": 1, "components": [{"type": 4, "custom_id": NOTE_INPUT_ID, "value": "x"}]}]}
    assert await asyncio.create_task(handle_note_submit(inter))
    assert _private_texts(inter) == [f"No flag #{flag_id} in this server."]
    assert _errors(caplog) == []
