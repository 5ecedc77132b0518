"""Hostile review-flow cases: clicks on cards whose flags are gone, crafted ids, lost rights, dead channels."""

from __future__ import annotations

from unittest import mock

import discord
import pytest

from bot.store import Store
from bot.views import handle_note_submit, review_view
from cogs.settings import Settings as SettingsCog
from tests.helpers import (
    flagged_result,
    make_channel,
    make_guild,
    make_interaction,
    make_member,
    make_permissions,
    make_role,
    make_store_bot,
    message_with_view,
)
from tests.test_views import FLAGS, TEXT, _press, _rebuilt


async def _save(store: Store, guild_id: int, *, author_id: int | None = None, text: str = TEXT):
    return await store.save_analysis(guild_id, text, flagged_result(text, FLAGS, title="Budget vote"),
                                     engine_version="test-1", title="Budget vote", author_id=author_id)


def _mod_click(store: Store, guild, message, **perms: bool):
    rights = make_permissions(**(perms or {"manage_messages": True}))
    user = make_member(guild=guild, name="Mo", permissions=rights)
    inter = make_interaction(client=make_store_bot(store), guild=guild, user=user)
    inter.permissions = rights
    inter.type = discord.InteractionType.component
    inter.message = message
    return inter


def _ephemeral_texts(inter) -> list[str]:
    calls = inter.response.send_message.await_args_list + inter.followup.send.await_args_list
    return [c.args[0] for c in calls if c.kwargs.get("ephemeral")]


async def _posted_card(store: Store, guild, stored):
    """A card for ``stored``'s flags, recorded in the store as posted, as Discord hands it back on a click."""
    flags = [await store.get_flag(guild.id, i) for i in stored.flag_ids]
    card = message_with_view(review_view(flags), guild=guild)
    await store.set_review_messages(guild.id, list(stored.flag_ids), card.channel.id, card.id)
    return card


async def test_a_confirm_click_on_a_card_whose_article_was_forgotten_empties_the_card(store):
    """The member forgot their article before the cleanup reached its card: a moderator's Confirm says the flag is
    gone and replaces the card, instead of leaving the deleted sentence up with live buttons."""
    guild = make_guild()
    stored = await _save(store, guild.id, author_id=4242)
    card = await _posted_card(store, guild, stored)
    await store.forget_user(guild.id, 4242)
    inter = _mod_click(store, guild, card)
    await _press(await _rebuilt("confirm", stored.flag_ids[0], inter), inter)
    assert any("No flag" in t for t in _ephemeral_texts(inter))
    inter.edit_original_response.assert_awaited()
    edit = inter.edit_original_response.await_args.kwargs
    assert edit["view"] is None
    assert "Sources familiar" not in str(edit["embed"].to_dict())


async def test_a_note_saved_on_a_card_whose_article_was_forgotten_empties_the_card(store):
    """The same for a note box left open while the article's author ran /forget."""
    guild = make_guild()
    stored = await _save(store, guild.id, author_id=4242)
    card = await _posted_card(store, guild, stored)
    await store.forget_user(guild.id, 4242)
    submit = _mod_click(store, guild, card)
    submit.type = discord.InteractionType.modal_submit
    submit.data = {"custom_id": f"byline:note:{stored.flag_ids[0]}",
                   "components": [{"type": 1, "components": [{"type": 4, "custom_id": "byline:note:text",
                                                              "value": "checked"}]}]}
    assert await handle_note_submit(submit) is True
    assert any("No flag" in t for t in _ephemeral_texts(submit))
    edit = submit.edit_original_response.await_args.kwargs
    assert edit["view"] is None
    assert "Sources familiar" not in str(edit["embed"].to_dict())


# --- a review channel everyone can read -----------------------------------------------------------------------


def _channel_readable_by_everyone(guild, *, everyone_sees: bool):
    """A review channel whose @everyone rights are real Permissions, as discord.py resolves them."""
    channel = make_channel(guild=guild, name="review")
    everyone = make_role(role_id=guild.id, name="@everyone")
    guild.default_role = everyone
    guild.me = None  # Byline's own rights unknown: only the @everyone warning is under test

    def permissions_for(target):
        return make_permissions(view_channel=everyone_sees) if target is everyone else make_permissions()

    channel.permissions_for.side_effect = permissions_for
    return channel


async def test_setting_a_review_channel_everyone_can_read_warns_that_private_flags_would_show(store):
    """Cards quote the flagged sentences of private analyses too (docs/privacy.md), so a channel @everyone can read
    would publish them: the manager is told so, and Byline can tell, since it asks the same of analysed channels."""
    guild = make_guild()
    cog = SettingsCog(make_store_bot(store))
    public = _channel_readable_by_everyone(guild, everyone_sees=True)
    inter = make_interaction(client=cog.bot, guild=guild, user=make_member(guild=guild))
    inter.permissions = make_permissions(manage_guild=True)
    await cog.review_channel.callback(cog, inter, public)
    said = inter.followup.send.await_args.args[0]
    assert (await store.get_settings(guild.id)).review_channel_id == public.id
    assert "everyone" in said and "private" in said

    private = _channel_readable_by_everyone(guild, everyone_sees=False)
    inter = make_interaction(client=cog.bot, guild=guild, user=make_member(guild=guild))
    inter.permissions = make_permissions(manage_guild=True)
    await cog.review_channel.callback(cog, inter, private)
    assert "everyone" not in inter.followup.send.await_args.args[0]


# --- the review queue's pager -----------------------------------------------------------------------------------


async def test_a_queue_page_turn_that_fails_leaves_the_pager_on_the_page_it_shows(store):
    """A turn whose read fails (the store busy past its timeout) shows nothing new, so the pager must not move:
    otherwise the next Next skips a page number and Previous needs an extra click to get back."""
    from bot.errors import StoreError
    from tests.test_cog_review import _many_flags, _mod, _open_queue, _queue_ids, _turn

    guild = make_guild()
    stored = await _many_flags(store, guild, 12, "q")
    inter = _mod(store, guild)
    await _open_queue(store, inter)
    view = inter.followup.send.await_args.kwargs["view"]
    with mock.patch.object(store, "pending_flags", side_effect=StoreError("database is locked")), \
            pytest.raises(StoreError):
        await _turn(view, inter.user)
    page2 = await _turn(view, inter.user)
    assert _queue_ids(page2) == list(stored.flag_ids[5:10]) and page2.footer.text == "Page 2 of 3"
    back = await _turn(view, inter.user, "previous_page")
    assert _queue_ids(back) == list(stored.flag_ids[:5]) and back.footer.text == "Page 1 of 3"


async def test_add_note_on_a_card_whose_article_was_forgotten_opens_no_box(store):
    """A note box on a deleted flag could only lose what the moderator types: the click says the flag is gone and
    empties the card instead of opening the box."""
    guild = make_guild()
    stored = await _save(store, guild.id, author_id=4242)
    card = await _posted_card(store, guild, stored)
    await store.forget_user(guild.id, 4242)
    inter = _mod_click(store, guild, card)
    await _press(await _rebuilt("note", stored.flag_ids[0], inter), inter)
    inter.response.send_modal.assert_not_awaited()
    assert any("No flag" in t for t in _ephemeral_texts(inter))
    edit = inter.edit_original_response.await_args.kwargs
    assert edit["view"] is None and "Sources familiar" not in str(edit["embed"].to_dict())


async def test_a_queue_page_turn_discord_refuses_leaves_the_pager_on_the_page_it_shows(store):
    """The same when the read worked but Discord refused the edit (the click expired: 10062): the message did not
    change, so neither may the pager."""
    from tests.helpers import expired_interaction_error
    from tests.test_cog_review import _many_flags, _mod, _open_queue, _queue_ids, _turn

    guild = make_guild()
    stored = await _many_flags(store, guild, 12, "r")
    inter = _mod(store, guild)
    await _open_queue(store, inter)
    view = inter.followup.send.await_args.kwargs["view"]
    late = make_interaction(user=inter.user)
    late.response.edit_message.side_effect = expired_interaction_error()
    with pytest.raises(discord.NotFound):
        await view.next_page.callback(late)
    page2 = await _turn(view, inter.user)
    assert _queue_ids(page2) == list(stored.flag_ids[5:10]) and page2.footer.text == "Page 2 of 3"
