"""Review buttons, the note modal, the paginator and the confirm prompt, against a real Store on a temp file."""

from __future__ import annotations

import asyncio

import discord
import pytest

from bot.store import Store
from bot.views import (
    REVIEW_PATTERN,
    REVIEW_TEMPLATE,
    ConfirmView,
    NoteModal,
    Paginator,
    ReviewButton,
    flag_ids_in_message,
    handle_note_submit,
    review_buttons,
    review_view,
)
from tests.helpers import (
    flagged_result,
    make_guild,
    make_interaction,
    make_member,
    make_permissions,
    make_role,
    make_store_bot,
    message_with_view,
)

TEXT = (
    "The council approved the budget on Monday. Sources familiar with the talks said the vote was rushed. "
    "Critics say the plan favours developers. The mayor said the city would publish the figures."
)
FLAGS = [("anonymous_source", "high", "Sources familiar with the talks"), ("vague_source", "medium", "Critics")]


async def _flags(store: Store, guild_id: int) -> list[int]:
    stored = await store.save_analysis(guild_id, TEXT, flagged_result(TEXT, FLAGS, title="Budget vote"),
                                       engine_version="test-1", title="Budget vote")
    return list(stored.flag_ids)


def _click(store: Store, guild, *, perms: discord.Permissions, user=None, flag_ids=(), message=None):
    """A button click by a member whose server-wide rights are ``perms`` (also what Discord resolves here)."""
    user = user or make_member(guild=guild, name="clicker")
    user.guild_permissions = perms
    inter = make_interaction(client=make_store_bot(store), guild=guild, user=user)
    inter.permissions = perms
    inter.type = discord.InteractionType.component
    inter.message = message or message_with_view(review_view_for(flag_ids), guild=guild)
    return inter


def review_view_for(flag_ids) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for flag_id in flag_ids:
        for item in review_buttons(flag_id).children:
            view.add_item(item)
    return view


async def _rebuilt(action: str, flag_id: int, inter) -> ReviewButton:
    """Build the item the way discord.py does after a restart: template match, then from_custom_id."""
    custom_id = f"byline:review:{action}:{flag_id}"
    match = REVIEW_PATTERN.fullmatch(custom_id)
    assert match is not None
    return await ReviewButton.from_custom_id(inter, discord.ui.Button(custom_id=custom_id), match)


async def _press(item: ReviewButton, inter) -> None:
    if await item.interaction_check(inter):
        await item.callback(inter)


def _ephemeral_texts(inter) -> list[str]:
    calls = [c for c in inter.response.send_message.await_args_list + inter.followup.send.await_args_list]
    return [c.args[0] for c in calls if c.kwargs.get("ephemeral")]


# --- the template -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("custom_id", ["byline:review:confirm:1", "byline:review:dismiss:42",
                                       "byline:review:note:9007199254740993"])
def test_template_accepts_review_ids(custom_id):
    """Every action the buttons use, with any numeric flag id, matches the registered template."""
    match = REVIEW_PATTERN.fullmatch(custom_id)
    assert match is not None
    assert match["flag_id"].isdigit()


@pytest.mark.parametrize("custom_id", ["byline:review:delete:1", "byline:review:confirm:abc", "byline:review:confirm:",
                                       "byline:review:confirm:1:extra", "other:review:confirm:1"])
def test_template_rejects_other_ids(custom_id):
    """Anything else is not ours, so discord.py never routes it to ReviewButton."""
    assert REVIEW_PATTERN.fullmatch(custom_id) is None
    assert ReviewButton.__discord_ui_compiled_template__.pattern == REVIEW_TEMPLATE


@pytest.mark.parametrize("action", ["confirm", "dismiss", "note"])
async def test_from_custom_id_round_trip(action):
    """A button rebuilt from its own custom_id has the same action, flag and custom_id."""
    original = ReviewButton(action, 1234)
    match = REVIEW_PATTERN.fullmatch(original.custom_id)
    rebuilt = await ReviewButton.from_custom_id(make_interaction(), original.item, match)
    assert (rebuilt.action, rebuilt.flag_id, rebuilt.custom_id) == (action, 1234, original.custom_id)
    assert len(original.custom_id) <= 100


def test_review_buttons_are_persistent():
    """timeout=None and a custom_id on every item: the view outlives the process."""
    view = review_buttons(7)
    assert view.timeout is None
    assert view.is_persistent()
    assert [i.custom_id for i in view.children] == [f"byline:review:{a}:7" for a in ("confirm", "dismiss", "note")]


def test_flag_ids_in_message_reads_the_buttons():
    """The message's own buttons say which flags it shows, so re-rendering needs no extra index."""
    message = message_with_view(review_view_for([5, 9]))
    assert flag_ids_in_message(message) == [5, 9]


# --- clicks -------------------------------------------------------------------------------------------------


async def test_non_moderator_click_is_refused_and_changes_nothing(store):
    """A member without the mod role or Manage Messages gets an ephemeral refusal; the flag stays pending."""
    guild = make_guild()
    flag_id = (await _flags(store, guild.id))[0]
    inter = _click(store, guild, perms=make_permissions(send_messages=True), flag_ids=[flag_id])
    item = await _rebuilt("confirm", flag_id, inter)
    await _press(item, inter)
    assert (await store.get_flag(guild.id, flag_id)).status == "pending"
    assert _ephemeral_texts(inter) == ["Only moderators can do that."]
    inter.edit_original_response.assert_not_awaited()
    assert [e.action for e in await store.review_events(guild.id, flag_id)] == []


async def test_mod_role_holder_may_review(store):
    """The configured mod role is enough, even without Manage Messages."""
    guild = make_guild()
    flag_id = (await _flags(store, guild.id))[0]
    role = make_role(name="mods")
    await store.update_settings(guild.id, mod_role_id=role.id)
    member = make_member(guild=guild, name="Rosa", roles=[role])
    member.get_role.side_effect = lambda rid: role if rid == role.id else None
    inter = _click(store, guild, perms=make_permissions(), user=member, flag_ids=[flag_id])
    await _press(await _rebuilt("dismiss", flag_id, inter), inter)
    flag = await store.get_flag(guild.id, flag_id)
    assert (flag.status, flag.reviewer_name) == ("dismissed", "Rosa")


async def test_moderator_confirm_edits_the_review_message(store):
    """The click confirms the flag, audits it, and the message shows who confirmed with buttons locked."""
    guild = make_guild()
    ids = await _flags(store, guild.id)
    alice = make_member(guild=guild, name="Alice")
    inter = _click(store, guild, perms=make_permissions(manage_messages=True), user=alice, flag_ids=ids)
    await _press(await _rebuilt("confirm", ids[0], inter), inter)

    flag = await store.get_flag(guild.id, ids[0])
    assert (flag.status, flag.reviewer_id, flag.reviewer_name) == ("confirmed", alice.id, "Alice")
    assert [e.action for e in await store.review_events(guild.id, ids[0])] == ["confirmed"]
    inter.response.defer.assert_awaited_once()
    edit = inter.edit_original_response.await_args.kwargs
    first, second = edit["embed"].fields[:2]
    assert "Confirmed by Alice" in first.value and f"#{ids[0]}" in first.name
    assert "Pending" in second.value
    disabled = {c.custom_id: c.item.disabled for c in edit["view"].children}
    assert disabled[f"byline:review:confirm:{ids[0]}"] and disabled[f"byline:review:dismiss:{ids[0]}"]
    assert not disabled[f"byline:review:note:{ids[0]}"] and not disabled[f"byline:review:confirm:{ids[1]}"]
    assert _ephemeral_texts(inter) == [f"Flag #{ids[0]} confirmed. Thanks!"]


async def test_two_concurrent_clicks_exactly_one_wins(store):
    """Two moderators press Confirm and Dismiss at once: one decision is stored, the other learns who won."""
    guild = make_guild()
    flag_id = (await _flags(store, guild.id))[0]
    mods = [make_member(guild=guild, name=n) for n in ("Alice", "Bob")]
    inters = [_click(store, guild, perms=make_permissions(manage_messages=True), user=m, flag_ids=[flag_id])
              for m in mods]
    items = [await _rebuilt(a, flag_id, i) for a, i in zip(("confirm", "dismiss"), inters, strict=True)]
    await asyncio.gather(*(_press(item, inter) for item, inter in zip(items, inters, strict=True)))

    flag = await store.get_flag(guild.id, flag_id)
    decisions = [e for e in await store.review_events(guild.id, flag_id) if e.action in ("confirmed", "dismissed")]
    assert len(decisions) == 1
    assert (decisions[0].action, decisions[0].actor_name) == (flag.status, flag.reviewer_name)
    winner = mods.index(next(m for m in mods if m.name == flag.reviewer_name))
    loser = inters[1 - winner]
    assert _ephemeral_texts(loser) == [f"Already reviewed by {flag.reviewer_name} ({flag.status})."]
    assert _ephemeral_texts(inters[winner])[0].startswith(f"Flag #{flag_id} {flag.status}")


async def test_second_click_later_gets_already_reviewed(store):
    """A click on an already decided flag does not overwrite it."""
    guild = make_guild()
    flag_id = (await _flags(store, guild.id))[0]
    await store.review_flag(guild.id, flag_id, status="dismissed", reviewer_id=1, reviewer_name="Dana")
    inter = _click(store, guild, perms=make_permissions(administrator=True), flag_ids=[flag_id])
    await _press(await _rebuilt("confirm", flag_id, inter), inter)
    assert (await store.get_flag(guild.id, flag_id)).status == "dismissed"
    assert _ephemeral_texts(inter) == ["Already reviewed by Dana (dismissed)."]


async def test_flag_from_another_guild_does_nothing(store):
    """A guild-A flag id clicked by a guild-B moderator is not found there and stays pending in A."""
    guild_a, guild_b = make_guild(), make_guild()
    flag_id = (await _flags(store, guild_a.id))[0]
    inter = _click(store, guild_b, perms=make_permissions(manage_messages=True), flag_ids=[flag_id])
    await _press(await _rebuilt("confirm", flag_id, inter), inter)
    assert (await store.get_flag(guild_a.id, flag_id)).status == "pending"
    assert await store.get_flag(guild_b.id, flag_id) is None
    assert _ephemeral_texts(inter) == [f"No flag #{flag_id} in this server."]
    for edit in inter.edit_original_response.await_args_list:  # the clicked card may be emptied, never filled
        assert edit.kwargs["view"] is None and "Sources familiar" not in str(edit.kwargs["embed"].to_dict())


async def test_dispatch_through_discord_view_store_after_restart(store):
    """discord.py's own dynamic-item dispatch (no view in memory, as after a restart) reaches the callback."""
    guild = make_guild()
    flag_id = (await _flags(store, guild.id))[0]
    inter = _click(store, guild, perms=make_permissions(manage_messages=True), flag_ids=[flag_id])
    custom_id = f"byline:review:dismiss:{flag_id}"
    inter.data = {"custom_id": custom_id, "component_type": 2}
    view_store = discord.ui.view.ViewStore(state=None)  # type: ignore[arg-type]
    view_store.add_dynamic_items(ReviewButton)
    await view_store.schedule_dynamic_item_call(2, ReviewButton, inter, custom_id, REVIEW_PATTERN.fullmatch(custom_id))
    assert (await store.get_flag(guild.id, flag_id)).status == "dismissed"


# --- notes --------------------------------------------------------------------------------------------------


async def test_add_note_opens_modal_and_stores_audited_note(store):
    """The note button opens a modal; submitting stores the note and an audit event, and refreshes the card."""
    guild = make_guild()
    flag_id = (await _flags(store, guild.id))[0]
    inter = _click(store, guild, perms=make_permissions(manage_messages=True), flag_ids=[flag_id])
    await _press(await _rebuilt("note", flag_id, inter), inter)
    modal = inter.response.send_modal.await_args.args[0]
    assert isinstance(modal, NoteModal) and modal.flag_id == flag_id

    submit = _click(store, guild, perms=make_permissions(manage_messages=True), user=inter.user, flag_ids=[flag_id])
    submit.type = discord.InteractionType.modal_submit
    modal.note._value = "  Checked with the reporter.  "
    await modal.on_submit(submit)
    flag = await store.get_flag(guild.id, flag_id)
    assert flag.note == "Checked with the reporter." and flag.status == "pending"
    events = await store.review_events(guild.id, flag_id)
    assert [(e.action, e.note) for e in events] == [("note", "Checked with the reporter.")]
    assert "Checked with the reporter." in submit.edit_original_response.await_args.kwargs["embed"].fields[0].value


async def test_note_submit_rechecks_rights(store):
    """A member who lost their rights while the modal was open cannot save the note."""
    guild = make_guild()
    flag_id = (await _flags(store, guild.id))[0]
    modal = NoteModal(flag_id)
    modal.note._value = "sneaky"
    submit = _click(store, guild, perms=make_permissions(), flag_ids=[flag_id])
    submit.type = discord.InteractionType.modal_submit
    with pytest.raises(Exception, match="Only moderators"):
        await modal.on_submit(submit)
    assert (await store.get_flag(guild.id, flag_id)).note is None


def _note_submission(store: Store, guild, flag_id: int, text: str, *, perms: discord.Permissions):
    """A note box submitted to a process that never saw it open (a restart, or ten minutes later)."""
    inter = _click(store, guild, perms=perms, flag_ids=[flag_id])
    inter.type = discord.InteractionType.modal_submit
    inter.data = {"custom_id": f"byline:note:{flag_id}",
                  "components": [{"type": 1, "components": [{"type": 4, "custom_id": "byline:note:text",
                                                             "value": text}]}]}
    return inter


async def test_the_note_button_opens_a_box_named_after_its_flag_and_not_kept_in_memory(store):
    guild = make_guild()
    flag_id = (await _flags(store, guild.id))[0]
    inter = _click(store, guild, perms=make_permissions(manage_messages=True), flag_ids=[flag_id])
    await _press(await _rebuilt("note", flag_id, inter), inter)
    modal = inter.response.send_modal.await_args.args[0]
    payload = modal.to_dict()
    assert payload["custom_id"] == f"byline:note:{flag_id}"
    assert payload["components"][0]["components"][0]["custom_id"] == "byline:note:text"
    assert modal.timeout is None and modal.is_finished()  # submissions are answered from the custom_id alone


async def test_a_note_submitted_after_a_restart_is_saved_and_acknowledged(store):
    guild = make_guild()
    flag_id = (await _flags(store, guild.id))[0]
    submit = _note_submission(store, guild, flag_id, "  Called the reporter: the source is the site manager. ",
                              perms=make_permissions(manage_messages=True))
    assert await handle_note_submit(submit) is True
    flag = await store.get_flag(guild.id, flag_id)
    assert flag.note == "Called the reporter: the source is the site manager." and flag.status == "pending"
    assert [e.action for e in await store.review_events(guild.id, flag_id)] == ["note"]
    assert _ephemeral_texts(submit) == [f"Note saved on flag #{flag_id}."]
    assert "site manager" in submit.edit_original_response.await_args.kwargs["embed"].fields[0].value


async def test_a_note_box_submitted_without_the_rights_saves_nothing_and_says_why(store):
    guild = make_guild()
    flag_id = (await _flags(store, guild.id))[0]
    submit = _note_submission(store, guild, flag_id, "sneaky", perms=make_permissions())
    assert await handle_note_submit(submit) is True
    assert (await store.get_flag(guild.id, flag_id)).note is None
    assert _ephemeral_texts(submit) == ["Only moderators can do that."]


async def test_other_interactions_are_left_to_their_own_handlers(store):
    guild = make_guild()
    flag_id = (await _flags(store, guild.id))[0]
    other_modal = _note_submission(store, guild, flag_id, "text", perms=make_permissions(manage_messages=True))
    other_modal.data = {"custom_id": "byline:analyse:paste", "components": []}
    click = _note_submission(store, guild, flag_id, "text", perms=make_permissions(manage_messages=True))
    click.type = discord.InteractionType.component
    for inter in (other_modal, click):
        assert await handle_note_submit(inter) is False
        inter.response.defer.assert_not_awaited()
    assert (await store.get_flag(guild.id, flag_id)).note is None


# --- paginator and confirm prompt -------------------------------------------------------------------------


async def _page_renderer(page: int) -> discord.Embed:
    return discord.Embed(title=f"page {page}")


async def test_paginator_turns_pages_and_clamps():
    """Next and Previous move one page, the ends disable their button, and only the author may turn."""
    author = make_member(name="author")
    view = Paginator(author_id=author.id, pages=3, render_page=_page_renderer)
    assert view.previous_page.disabled and not view.next_page.disabled
    for expected in (1, 2):
        inter = make_interaction(user=author)
        await view.next_page.callback(inter)
        inter.response.defer.assert_awaited_once_with()  # a deferred update: the message stays, then is edited
        assert inter.edit_original_response.await_args.kwargs["embed"].title == f"page {expected}"
    assert view.next_page.disabled and not view.previous_page.disabled
    await view.show(make_interaction(user=author), 99)
    assert view.page == 2
    stranger = make_interaction()
    assert await view.interaction_check(stranger) is False
    assert stranger.response.send_message.await_args.kwargs["ephemeral"] is True
    assert await view.interaction_check(make_interaction(user=author)) is True
    assert view.timeout is not None


async def test_keyset_paginator_follows_the_reader_and_keeps_next_while_more_exist():
    """Next is enabled exactly while the reader says more follow; Previous goes back to where a page started."""
    from bot.views_keyset import KeysetPage, KeysetPaginator

    reads: list[tuple[object, int]] = []
    follows = {None: "a", "a": "b", "b": None}

    async def read(after, page):
        reads.append((after, page))
        return KeysetPage(discord.Embed(title=f"after {after}"), follows[after])

    author = make_member(name="author")
    view = KeysetPaginator(author_id=author.id, first=await read(None, 0), read_page=read)
    assert view.previous_page.disabled and not view.next_page.disabled
    for _ in range(2):
        await view.next_page.callback(make_interaction(user=author))
    assert view.next_page.disabled and not view.previous_page.disabled
    back = make_interaction(user=author)
    await view.previous_page.callback(back)
    assert back.response.edit_message.await_args.kwargs["embed"].title == "after a"
    assert reads == [(None, 0), ("a", 1), ("b", 2), ("a", 1)] and not view.next_page.disabled


async def test_confirm_view_runs_action_once_and_cancel_runs_nothing():
    """Confirm calls the action and locks the buttons; Cancel leaves things alone."""
    calls: list[int] = []

    async def action(inter) -> str:
        calls.append(inter.user.id)
        return "done"

    author = make_member()
    view = ConfirmView(author_id=author.id, on_confirm=action)
    inter = make_interaction(user=author)
    await view.confirm.callback(inter)
    assert calls == [author.id]
    assert inter.edit_original_response.await_args.kwargs["content"] == "done"
    assert all(item.disabled for item in view.children)

    other = ConfirmView(author_id=author.id, on_confirm=action, cancel_text="Nothing happened.")
    cancel = make_interaction(user=author)
    await other.cancel.callback(cancel)
    assert calls == [author.id]
    assert cancel.response.edit_message.await_args.kwargs["content"] == "Nothing happened."


@pytest.mark.parametrize("refused", ["defer", "edit"])
async def test_paginator_stays_on_the_shown_page_when_discord_refuses_the_edit(refused):
    """An expired click (its acknowledgement fails) or a refused edit leaves the message on its page: the pager must
    stay there too, buttons and all, or the next Next skips a page."""
    from tests.helpers import expired_interaction_error, http_error

    author = make_member(name="author")
    view = Paginator(author_id=author.id, pages=5, render_page=_page_renderer)
    click = make_interaction(user=author)
    if refused == "defer":
        click.response.defer.side_effect = expired_interaction_error()
    else:
        click.edit_original_response.side_effect = http_error(discord.HTTPException, 500, 0, "Internal Server Error")
    with pytest.raises(discord.HTTPException):
        await view.next_page.callback(click)
    assert view.page == 0 and view.previous_page.disabled and not view.next_page.disabled
    assert not view.is_finished()
    retry = make_interaction(user=author)
    await view.next_page.callback(retry)
    assert retry.edit_original_response.await_args.kwargs["embed"].title == "page 1" and view.page == 1


async def test_paginator_acknowledges_the_click_before_rendering_the_page():
    """Discord's 3 s deadline, proved by order rather than by a clock: a page turn is acknowledged (a deferred update,
    which keeps the message) before the page is rendered (a /search page searches and records), then the message is
    edited."""
    author = make_member(name="author")
    click = make_interaction(user=author)
    order: list[str] = []
    mark = click.response.defer.side_effect
    click.response.defer.side_effect = lambda *a, **k: (order.append("defer"), mark(*a, **k))[1]
    click.edit_original_response.side_effect = lambda **k: order.append("edit")

    async def render_page(page: int) -> discord.Embed:
        order.append(f"render {page}")
        return discord.Embed(title=f"page {page}")

    view = Paginator(author_id=author.id, pages=3, render_page=render_page)
    await view.next_page.callback(click)
    assert order == ["defer", "render 1", "edit"]
    click.response.defer.assert_awaited_once_with()
    click.response.edit_message.assert_not_awaited()


async def test_paginator_whose_message_was_deleted_meanwhile_ends_quietly():
    """Rendering a /search page records it, and a /forget that just landed makes that delete the message: its edit then
    meets Discord's 10008 (Unknown Message). That is no bug to report to the member: the pager just ends."""
    from tests.helpers import http_error

    author = make_member(name="author")
    view = Paginator(author_id=author.id, pages=3, render_page=_page_renderer)
    click = make_interaction(client=_DrainClient(), user=author)
    gone = http_error(discord.NotFound, 404, 10008, "Unknown Message")
    click.edit_original_response.side_effect = gone
    click.response.edit_message.side_effect = gone  # what Discord answers either way once the message is gone
    await asyncio.create_task(view._scheduled_task(view.next_page, click))  # as discord.py runs a click
    assert _ephemeral_texts(click) == []
    assert view.is_finished() and view.page == 0


async def test_confirm_view_double_click_runs_the_action_once():
    """Two Delete my data clicks dispatched in one loop turn (as discord.py's ViewStore dispatches each click): one
    deletion, its answer stands, and the second click only gets a private note."""
    calls: list[int] = []

    async def forget(inter) -> str:
        calls.append(inter.id)
        await asyncio.sleep(0)  # let the other click run while the deletion is under way
        return f"Deleted {5 if len(calls) == 1 else 0} article(s)."

    author = make_member(name="author")
    view = ConfirmView(author_id=author.id, on_confirm=forget)
    first, second = make_interaction(user=author), make_interaction(user=author)
    tasks = [view._dispatch_item(view.confirm, first), view._dispatch_item(view.confirm, second)]
    assert all(task is not None for task in tasks)
    await asyncio.gather(*tasks)
    assert calls == [first.id]
    assert first.edit_original_response.await_args.kwargs["content"] == "Deleted 5 article(s)."
    second.edit_original_response.assert_not_awaited()
    assert second.response.send_message.await_args.kwargs["ephemeral"] is True
    assert view.outcome == "Deleted 5 article(s)."


async def test_confirm_view_cancel_then_confirm_in_one_turn_deletes_nothing():
    """Cancel clicked just before Delete my data: the prompt is already answered, so the deletion never runs."""
    calls: list[int] = []

    async def forget(inter) -> str:
        calls.append(inter.id)
        return "Deleted."

    author = make_member(name="author")
    view = ConfirmView(author_id=author.id, on_confirm=forget, cancel_text="Nothing happened.")
    cancel, confirm = make_interaction(user=author), make_interaction(user=author)
    tasks = [view._dispatch_item(view.cancel, cancel), view._dispatch_item(view.confirm, confirm)]
    assert all(task is not None for task in tasks)
    await asyncio.gather(*tasks)
    assert calls == []
    assert cancel.response.edit_message.await_args.kwargs["content"] == "Nothing happened."
    confirm.response.edit_message.assert_not_awaited()
    assert confirm.response.send_message.await_args.kwargs["ephemeral"] is True


def test_review_view_has_one_row_per_flag():
    """Each flag gets its own action row, and decided flags have Confirm/Dismiss disabled."""

    class _Flag:
        def __init__(self, flag_id: int, status: str) -> None:
            self.id, self.status = flag_id, status

    view = review_view([_Flag(1, "pending"), _Flag(2, "confirmed")])
    rows = view.to_components()
    assert len(rows) == 2
    assert [c.get("disabled", False) for c in rows[1]["components"]] == [True, True, False]


def test_review_message_fits_discord_limits_with_hostile_text():
    """Five flags with huge evidence, notes and a markdown-laden reviewer name still fit every embed limit."""
    from datetime import UTC, datetime

    from bot import render
    from bot.store import StoredFlag

    huge = "@everyone **bold** " * 400
    flags = [
        StoredFlag(id=i, guild_id=1, analysis_id="abcdef", category="anonymous_source", severity="high", start=0,
                   end=10, evidence=huge, reason=huge, sentence=huge + " more", status="confirmed",
                   reviewer_id=2, reviewer_name="**Eve**_", reviewed_at=datetime.now(UTC), note=huge,
                   review_channel_id=None, review_message_id=None, created_at=datetime.now(UTC))
        for i in range(1, 6)
    ]
    embed = render.review_flags_embed(flags)
    assert len(embed) <= render.EMBED_TOTAL_LIMIT
    assert len(embed.fields) == 5
    assert all(len(f.value) <= render.FIELD_VALUE_LIMIT for f in embed.fields)
    assert "by \\*\\*Eve\\*\\*\\_" in embed.fields[0].value
    assert "**bold**" not in embed.fields[0].value


async def test_buttons_during_shutdown_are_refused_and_change_nothing(store):
    """Buttons skip the command tree, so they hold (or refuse) themselves: after shutdown begins a click gets the
    private restarting answer and the flag stays pending; before it, the click is held like a command."""
    from bot.errors import ShuttingDown
    from bot.shutdown import Drain
    from bot.views_report import ReportButton

    guild = make_guild()
    ids = await _flags(store, guild.id)
    inter = _click(store, guild, perms=make_permissions(manage_messages=True), flag_ids=ids)
    inter.client.drain = drain = Drain()
    drain.begin()
    button = await _rebuilt("confirm", ids[0], inter)
    await asyncio.create_task(_press(button, inter))  # each request runs in its own task, as in discord.py
    assert (await store.get_flag(guild.id, ids[0])).status == "pending"
    assert _ephemeral_texts(inter) == [ShuttingDown.user_message]
    inter.edit_original_response.assert_not_awaited()

    report = _click(store, guild, perms=make_permissions(), flag_ids=ids)
    report.client.drain = drain
    await asyncio.create_task(ReportButton("abc234").callback(report))
    assert _ephemeral_texts(report) == [ShuttingDown.user_message]

    note = _click(store, guild, perms=make_permissions(manage_messages=True), flag_ids=ids)
    note.client.drain = drain
    modal = NoteModal(ids[0])
    modal.note._value = "late note"
    with pytest.raises(ShuttingDown):  # the modal's on_error answers it, as for every other error
        await asyncio.create_task(modal.on_submit(note))
    assert await store.review_events(guild.id, ids[0]) == []


class _DrainClient:
    """A client with only the shutdown drain, which is all a short-lived view's click needs from it."""

    def __init__(self) -> None:
        from bot.shutdown import Drain

        self.drain = Drain()


async def test_short_lived_view_clicks_after_shutdown_began_are_refused_and_run_nothing():
    """README: buttons arriving once Byline is stopping are told it is restarting. The /forget prompt, the /search and
    /review queue pagers are no exception: the click gets the private refusal, and Delete my data deletes nothing."""
    from bot.errors import ShuttingDown
    from bot.views_keyset import KeysetPage, KeysetPaginator

    ran: list[str] = []

    async def forget(inter) -> str:
        ran.append("forget")
        return "Deleted."

    async def render_page(page: int) -> discord.Embed:
        ran.append(f"page {page}")
        return discord.Embed(title=f"page {page}")

    async def read(after, page):
        ran.append(f"keyset {page}")
        return KeysetPage(discord.Embed(title="queue"), "more")

    client = _DrainClient()
    author = make_member(name="author")
    views = [(ConfirmView(author_id=author.id, on_confirm=forget), "confirm"),
             (Paginator(author_id=author.id, pages=3, render_page=render_page), "next_page"),
             (KeysetPaginator(author_id=author.id, first=KeysetPage(discord.Embed(), "a"), read_page=read),
              "next_page")]
    client.drain.begin()
    for view, button in views:
        click = make_interaction(client=client, user=author)
        await asyncio.create_task(view._scheduled_task(getattr(view, button), click))  # as discord.py runs a click
        assert _ephemeral_texts(click) == [ShuttingDown.user_message], type(view).__name__
        click.response.edit_message.assert_not_awaited()
        click.edit_original_response.assert_not_awaited()
    stranger = make_interaction(client=client)
    await asyncio.create_task(views[0][0]._scheduled_task(views[0][0].confirm, stranger))
    assert _ephemeral_texts(stranger) == [ShuttingDown.user_message]
    assert ran == []
    assert not views[0][0].is_finished()  # the prompt is not locked: nothing was decided


async def test_a_short_lived_view_click_accepted_before_shutdown_is_waited_for():
    """A Delete my data click under way when the stop begins is held like a command: the shutdown waits for the
    deletion and its answer (it is neither refused half-way nor cut off when REST closes)."""
    client = _DrainClient()
    entered, release = asyncio.Event(), asyncio.Event()

    async def forget(inter) -> str:
        entered.set()
        await release.wait()
        return "Deleted."

    author = make_member(name="author")
    view = ConfirmView(author_id=author.id, on_confirm=forget)
    click = make_interaction(client=client, user=author)
    task = asyncio.create_task(view._scheduled_task(view.confirm, click))
    await entered.wait()
    client.drain.begin()
    assert client.drain.pending() == [f"ConfirmView click from user {author.id}"]
    finishing = asyncio.create_task(client.drain.finish(timeout=60))
    await asyncio.sleep(0)
    release.set()
    await finishing
    assert task.done() and not task.cancelled()
    assert click.edit_original_response.await_args.kwargs["content"] == "Deleted."
    assert client.drain.pending() == []
