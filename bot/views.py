"""Buttons, modals and views: persistent review buttons, the note modal, a paginator and a confirm prompt.

Review buttons are ``DynamicItem``s whose custom_id carries only the action and the flag id; SQLite holds the
truth, so the buttons keep working after a restart and two moderators clicking at once cannot both win
(``Store.review_flag`` is a conditional update). discord.py only logs exceptions raised inside dynamic items and
views, so every callback here answers errors itself through ``handle_interaction_error``.
"""

from __future__ import annotations

import functools
import logging
import re
import secrets
import weakref
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any, TypeVar

import discord

from bot import render
from bot.cards import card_lock
from bot.checks import interaction_is_moderator
from bot.errors import AlreadyReviewed, BylineError, NotFoundError, NotModerator, ShuttingDown, no_such_flag
from bot.interaction_errors import handle_interaction_error, send_ephemeral
from bot.per_bot import PerBot
from bot.shutdown import drain_of, hold_interaction
from bot.store_types import STAFF

log = logging.getLogger(__name__)
T = TypeVar("T")

REVIEW_TEMPLATE = r"byline:review:(?P<action>confirm|dismiss|note):(?P<flag_id>[0-9]+)"
REVIEW_PATTERN = re.compile(REVIEW_TEMPLATE)
NOTE_MODAL_PATTERN = re.compile(r"byline:note:(?P<flag_id>[0-9]+)")  # the note box's custom_id names its flag
NOTE_INPUT_ID = "byline:note:text"
FLAGS_PER_MESSAGE = render.REVIEW_FLAGS_PER_MESSAGE  # one action row per flag, and Discord allows five rows
NOTE_MAX_CHARS = 1000
UNKNOWN_MESSAGE = 10008  # Discord's error code for a message that no longer exists
FLAG_ID_MAX = 2**63 - 1  # SQLite's largest integer: a bigger id makes the store raise OverflowError, not "not found"
_STATUS_FOR_ACTION = {"confirm": "confirmed", "dismiss": "dismissed"}
_BUTTON_LOOK = {
    "confirm": ("Confirm", discord.ButtonStyle.danger),
    "dismiss": ("Dismiss", discord.ButtonStyle.secondary),
    "note": ("Add note", discord.ButtonStyle.primary),
}


def flag_id_in_range(flag_id: int) -> bool:
    """Whether a flag id read from a custom_id can name a row at all; only a forged or mangled one cannot."""
    return 0 < flag_id <= FLAG_ID_MAX


def known_flag_id(flag_id: int) -> int:
    """``flag_id``, or the refusal an unknown flag gets when no row can have it, before the store sees it."""
    if not flag_id_in_range(flag_id):
        raise no_such_flag(flag_id)
    return flag_id


def review_custom_id(action: str, flag_id: int) -> str:
    """The stable custom_id of one review button (well under Discord's 100 characters)."""
    return f"byline:review:{action}:{flag_id}"


def display_name(user: discord.abc.User) -> str:
    """The name shown in the audit trail: the server nickname when there is one."""
    return str(getattr(user, "display_name", None) or user.name)


class ReviewButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=REVIEW_TEMPLATE):
    """Confirm, Dismiss or Add note for one flag; rebuilt from its custom_id after a restart."""

    def __init__(self, action: str, flag_id: int, *, disabled: bool = False, row: int | None = None) -> None:
        label, style = _BUTTON_LOOK[action]
        button: discord.ui.Button[Any] = discord.ui.Button(
            label=f"{label} #{flag_id}", style=style, custom_id=review_custom_id(action, flag_id), disabled=disabled
        )
        super().__init__(button, row=row)
        self.action = action
        self.flag_id = flag_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ReviewButton:
        """Rebuild the button from the id alone; the flag's state is read from the store when clicked."""
        return cls(match["action"], int(match["flag_id"]))

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        """Only moderators of this guild may act; everyone else gets an ephemeral refusal and nothing changes."""
        try:
            if await interaction_is_moderator(interaction):
                return True
            log.info("review click refused: guild=%s user=%s flag=%s", interaction.guild_id, interaction.user.id,
                     self.flag_id)
            await send_ephemeral(interaction, NotModerator.user_message)
        except Exception as exc:  # discord.py would swallow it silently
            await handle_interaction_error(interaction, exc)
        return False

    async def callback(self, interaction: discord.Interaction) -> None:
        """Open the note modal, or apply the review and show its outcome on the review message."""
        try:
            hold_interaction(interaction, f"review {self.action} of flag {self.flag_id}", answer_cut_short=True)
            known_flag_id(self.flag_id)
            if self.action == "note":
                await _check_flag_exists(interaction, self.flag_id)
                modal = NoteModal(self.flag_id)
                await deliver(interaction, interaction.response.send_modal(modal))
                modal.stop()  # the submission is handled from its custom_id (handle_note_submit), never from memory
            else:
                await apply_review(interaction, self.flag_id, _STATUS_FOR_ACTION[self.action])
        except Exception as exc:
            await deliver(interaction, handle_interaction_error(interaction, exc))


def deliver(interaction: discord.Interaction, answer: Awaitable[T]) -> Awaitable[T]:
    """Send an interaction's answer (a review click's, a note's, a library command's) through the shutdown drain
    (``Drain.deliver``): once it is on its way, a grace period ending meanwhile lets it finish and adds no "cut
    short" notice, so nobody is answered twice."""
    drain = drain_of(interaction)
    return drain.deliver(answer) if drain is not None else answer


def _saved_if_cut_short(interaction: discord.Interaction, text: str) -> None:
    """Once a decision or note is stored, a shutdown cutting the rest short (the card's re-draw) says it was saved,
    rather than asking the moderator to try again what is already done."""
    drain = drain_of(interaction)
    if drain is not None:
        drain.on_cut_short(functools.partial(send_ephemeral, interaction,
                                             f"{text} Byline restarted before it could update the card."))


async def apply_review(interaction: discord.Interaction, flag_id: int, status: str) -> None:
    """Record the decision atomically; the loser of a race learns who won instead of overwriting it."""
    await interaction.response.defer()  # deferred update: the review message itself gets edited below
    store = interaction.client.store  # type: ignore[attr-defined]
    guild_id = _guild_id(interaction)
    try:
        flag = await store.review_flag(guild_id, flag_id, status=status, reviewer_id=interaction.user.id,
                                       reviewer_name=display_name(interaction.user))
    except AlreadyReviewed as exc:
        await refresh_review_message(interaction, focus=flag_id)
        await deliver(interaction, send_ephemeral(interaction, exc.user_message))
        return
    except NotFoundError:  # forgotten or pruned before the clean-up reached this card: take its text down now
        await refresh_review_message(interaction, focus=flag_id)
        raise
    log.info("flag reviewed: guild=%s flag=%s status=%s reviewer=%s", guild_id, flag_id, status, interaction.user.id)
    _saved_if_cut_short(interaction, f"Flag #{flag.id} {status}.")
    await refresh_review_message(interaction, focus=flag.id)
    await deliver(interaction, send_ephemeral(interaction, f"Flag #{flag.id} {status}. Thanks!"))


async def _check_flag_exists(interaction: discord.Interaction, flag_id: int) -> None:
    """Before opening a note box: a flag deleted meanwhile (forget-me, retention) would only lose the typed note, so
    say so now and take the deleted text off the card."""
    store = interaction.client.store  # type: ignore[attr-defined]
    if await store.get_flag(_guild_id(interaction), flag_id) is None:
        await interaction.response.defer()  # deferred update: the card itself is edited
        await refresh_review_message(interaction, focus=flag_id)
        raise no_such_flag(flag_id)


def _guild_id(interaction: discord.Interaction) -> int:
    if interaction.guild_id is None:
        raise NotModerator("Reviews only work inside a server.")
    return interaction.guild_id


def flag_ids_in_message(message: discord.Message | None) -> list[int]:
    """The flag ids whose review buttons sit on ``message``, in order (the message is the group's index)."""
    ids: list[int] = []
    for component in getattr(message, "components", None) or []:
        for child in getattr(component, "children", []) or []:
            match = REVIEW_PATTERN.fullmatch(getattr(child, "custom_id", None) or "")
            flag_id = int(match["flag_id"]) if match else 0
            if flag_id_in_range(flag_id) and flag_id not in ids:
                ids.append(flag_id)
    return ids


async def refresh_review_message(interaction: discord.Interaction, *, focus: int) -> None:
    """Re-render the clicked review message from the store, so it shows who decided what and when."""
    store = interaction.client.store  # type: ignore[attr-defined]
    guild_id = _guild_id(interaction)
    ids = flag_ids_in_message(interaction.message) or [focus]
    message_id = interaction.message.id if interaction.message is not None else 0
    try:
        await draw_card(store, guild_id, message_id, interaction.edit_original_response, fallback_ids=ids)
    except discord.HTTPException as exc:  # the message may be gone; the decision is stored either way
        log.warning("could not edit review message for flag %s: %s", focus, exc)


CardEdit = Callable[..., Awaitable[Any]]


async def draw_card(store: Any, guild_id: int, message_id: int, edit: CardEdit, *,
                    fallback_ids: Sequence[int] = (), empty_reason: str = "deleted") -> None:
    """Draw a posted card from the store as it is now, under the card's lock, so the last edit is the newest.

    The flags are those recorded on the card (or, for a card whose posting was never recorded, the ids on
    its buttons); when none is left, the card is emptied and loses its buttons.
    """
    async with card_lock(message_id):
        flags = await store.flags_on_card(guild_id, message_id) if message_id else []
        if not flags:
            flags = [f for f in [await store.get_flag(guild_id, i) for i in fallback_ids] if f is not None]
        if not flags:
            await edit(embed=render.removed_card_embed(empty_reason), view=None)
            return
        analysis = await store.get_analysis(guild_id, flags[0].analysis_id, viewer_id=STAFF)
        await edit(embed=render.review_flags_embed(flags, analysis), view=review_view(flags))


def review_buttons(flag_id: int, *, reviewed: bool = False, row: int | None = None) -> discord.ui.View:
    """A persistent (timeout=None) view with the three buttons of one flag."""
    view = discord.ui.View(timeout=None)
    for item in _flag_row(flag_id, reviewed=reviewed, row=row):
        view.add_item(item)
    return view


def _flag_row(flag_id: int, *, reviewed: bool, row: int | None) -> Iterable[ReviewButton]:
    """Confirm and Dismiss lock once decided; notes stay possible so the audit trail can grow."""
    yield ReviewButton("confirm", flag_id, disabled=reviewed, row=row)
    yield ReviewButton("dismiss", flag_id, disabled=reviewed, row=row)
    yield ReviewButton("note", flag_id, row=row)


def review_view(flags: Sequence[Any]) -> discord.ui.View:
    """One row of buttons per flag (at most five flags per message)."""
    view = discord.ui.View(timeout=None)
    for row, flag in enumerate(flags[:FLAGS_PER_MESSAGE]):
        for item in _flag_row(flag.id, reviewed=flag.status != "pending", row=row):
            view.add_item(item)
    return view


def note_modal_id(flag_id: int) -> str:
    """The stable custom_id of the note box for one flag."""
    return f"byline:note:{flag_id}"


class NoteModal(discord.ui.Modal, title="Add a review note"):
    """A free-text note on a flag; stored with the reviewer and kept in the audit trail.

    Its custom_id carries the flag id and its text box has a fixed id, so a submission is understood without the
    object that opened it: after the bot restarted, or however long the moderator took to write the note.
    """

    note: discord.ui.TextInput[NoteModal] = discord.ui.TextInput(
        label="Note", style=discord.TextStyle.paragraph, max_length=NOTE_MAX_CHARS, min_length=1,
        custom_id=NOTE_INPUT_ID,
    )

    def __init__(self, flag_id: int) -> None:
        super().__init__(timeout=None, custom_id=note_modal_id(flag_id))
        self.flag_id = flag_id

    async def on_submit(self, interaction: discord.Interaction, /) -> None:
        """Only reached if discord.py routes the submission to this object; the bot's own path is handle_note_submit."""
        await save_note(interaction, self.flag_id, self.note.value)

    async def on_error(  # type: ignore[override]  # Modal.on_error takes no item; the stub types BaseView's
        self, interaction: discord.Interaction, error: Exception, /
    ) -> None:
        """Errors in a modal never reach the tree's handler; answer them here."""
        await handle_interaction_error(interaction, error)


async def handle_note_submit(interaction: discord.Interaction) -> bool:
    """Save the note from a submitted note box; False when the interaction is something else.

    discord.py keeps an open modal only in memory, and dropped ours after ten minutes or on a restart, so the
    moderator's typed note was lost with "interaction failed". The bot listens for every modal submission
    instead and answers any whose custom_id names a flag; errors are answered here, like a button's.
    """
    data: Any = interaction.data or {}
    match = NOTE_MODAL_PATTERN.fullmatch(str(data.get("custom_id", "")))
    if interaction.type is not discord.InteractionType.modal_submit or match is None:
        return False
    try:
        await save_note(interaction, int(match["flag_id"]), submitted_value(data.get("components", []),
                                                                            NOTE_INPUT_ID))
    except Exception as exc:
        await deliver(interaction, handle_interaction_error(interaction, exc))
    return True


def submitted_value(components: Iterable[Any], custom_id: str) -> str:
    """The value typed into one text box of a submitted modal (rows and labels both wrap text boxes)."""
    for component in components:
        if not isinstance(component, dict):
            continue
        if component.get("custom_id") == custom_id and isinstance(component.get("value"), str):
            return str(component["value"])
        nested = [*component.get("components", []), *([component["component"]] if "component" in component else [])]
        found = submitted_value(nested, custom_id)
        if found:
            return found
    return ""


async def save_note(interaction: discord.Interaction, flag_id: int, text: str) -> None:
    """Re-check rights (the note box may outlive a role change), store the note, refresh the card, say so."""
    hold_interaction(interaction, f"note on flag {flag_id}", answer_cut_short=True)
    known_flag_id(flag_id)
    if not await interaction_is_moderator(interaction):
        raise NotModerator()
    await interaction.response.defer()
    store = interaction.client.store  # type: ignore[attr-defined]
    text = text.strip()
    if not text:
        raise BylineError("The note was empty, so nothing was saved.")
    try:
        await store.add_note(_guild_id(interaction), flag_id, reviewer_id=interaction.user.id,
                             reviewer_name=display_name(interaction.user), note=text)
    except NotFoundError:  # deleted while the box was open: the card must not keep showing it
        if interaction.message is not None:
            await refresh_review_message(interaction, focus=flag_id)
        raise
    log.info("note added: guild=%s flag=%s reviewer=%s", interaction.guild_id, flag_id, interaction.user.id)
    _saved_if_cut_short(interaction, f"Note saved on flag #{flag_id}.")
    if interaction.message is not None:
        await refresh_review_message(interaction, focus=flag_id)
    await deliver(interaction, send_ephemeral(interaction, f"Note saved on flag #{flag_id}."))


RightsCheck = Callable[[discord.Interaction], Awaitable[bool]]
SHORT_VIEW_PREFIX = "byline:view:"  # the custom_ids of short-lived views, so a click they no longer hold is known
STALE_VIEW_TEXT = "This prompt has expired (Byline restarted, or it timed out). Run the command again."


# Each bot's short-lived views by their custom_id token: a click whose token is not there (or whose view has finished)
# belongs to a view a restart or a time-out took away. Weak, so a dropped view is not kept alive.
_LIVE_VIEWS: PerBot[weakref.WeakValueDictionary[str, discord.ui.View]] = PerBot(weakref.WeakValueDictionary)


async def answer_stale_view(interaction: discord.Interaction) -> bool:
    """Answer a click on a short-lived view that no longer exists (after a restart, or timed out): discord.py drops
    it, and the member would only see "This interaction failed". True when it was such a click."""
    data: Any = interaction.data or {}
    custom_id = str(data.get("custom_id", ""))
    if interaction.type is not discord.InteractionType.component or not custom_id.startswith(SHORT_VIEW_PREFIX):
        return False
    token = custom_id[len(SHORT_VIEW_PREFIX) :].split(":", 1)[0]
    view = _LIVE_VIEWS.of(interaction.client).get(token)
    if view is not None and not view.is_finished():
        return False  # its own view answers it
    await send_ephemeral(interaction, STALE_VIEW_TEXT)
    return True


class AuthorOnlyView(discord.ui.View):
    """A short-lived view that only the member who ran the command may use.

    ``recheck`` is the command's own run-time rights check, asked again on every click: the view outlives the
    command by minutes, and a member who loses the rights meanwhile must not keep reading what it shows.
    """

    def __init__(self, author_id: int, *, timeout: float = 180.0, recheck: RightsCheck | None = None,
                 refusal: str = NotModerator.user_message, client: discord.Client | None = None) -> None:
        super().__init__(timeout=timeout)
        if client is not None:  # named, so that a click on it once it is gone can be answered (``answer_stale_view``)
            token = secrets.token_hex(8)
            for index, item in enumerate(self.children):
                if isinstance(item, discord.ui.Button):
                    item.custom_id = f"{SHORT_VIEW_PREFIX}{token}:{index}"
            _LIVE_VIEWS.of(client)[token] = self
        self.author_id = author_id
        self.recheck = recheck
        self.refusal = refusal
        self.message: discord.Message | discord.WebhookMessage | discord.InteractionMessage | None = None

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        """Other members, and the author once they lost the rights, get a polite ephemeral refusal.

        Every click is held first, like a command: discord.py runs the check and then the callback in one task, so
        the shutdown waits for the whole click, and a click arriving once Byline is stopping is refused privately
        ("restarting") and runs nothing (a /forget confirmed then deletes nothing).
        """
        try:
            hold_interaction(interaction, f"{type(self).__name__} click from user {interaction.user.id}",
                             answer_cut_short=True)
        except ShuttingDown as exc:
            await handle_interaction_error(interaction, exc)
            return False
        if interaction.user.id != self.author_id:
            await send_ephemeral(interaction, "These buttons belong to whoever ran the command.")
            return False
        if self.recheck is not None and not await self.recheck(interaction):
            log.info("view click refused, rights lost: guild=%s user=%s", interaction.guild_id, interaction.user.id)
            await send_ephemeral(interaction, self.refusal)
            return False
        return True

    async def on_timeout(self) -> None:
        """Grey the buttons out so nobody clicks a dead view."""
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True
        if self.message is not None:
            try:
                await self.message.edit(view=self)
            except discord.HTTPException as exc:
                log.debug("could not disable timed-out view: %s", exc)

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any], /) -> None:
        """Callbacks' errors are answered like command errors rather than only logged."""
        await handle_interaction_error(interaction, error)


PageRenderer = Callable[[int], Awaitable[discord.Embed]]


class Paginator(AuthorOnlyView):
    """Previous/Next over pages rendered on demand (so only one page of rows is read at a time)."""

    def __init__(self, *, author_id: int, pages: int, render_page: PageRenderer, timeout: float = 180.0,
                 client: discord.Client | None = None) -> None:
        super().__init__(author_id, timeout=timeout, client=client)
        self.pages = max(1, pages)
        self.page = 0
        self.render_page = render_page
        self._sync_buttons()

    def _sync_buttons(self) -> None:
        self.previous_page.disabled = self.page <= 0
        self.next_page.disabled = self.page >= self.pages - 1

    async def show(self, interaction: discord.Interaction, page: int) -> None:
        """Acknowledge the click, render ``page`` (clamped), then put it on the message.

        The acknowledgement (a deferred update: no "thinking", the message stays as it is) comes first, because
        rendering may outlast Discord's 3 s deadline: a /search page runs the search again, on a connection every
        server's searches share, and records what the page shows, which waits for the store's write lock.
        The pager keeps the move only once the message shows the page: a turn that is refused (rate limit, store
        error) or whose edit Discord refuses leaves the message where it was, so the pager stays there too, or the
        next Next would skip a page. A message deleted meanwhile (the page listed an article whose author's
        /forget just landed, so recording it took the message down) simply ends the pager: there is nothing to say.
        """
        target = max(0, min(page, self.pages - 1))
        await interaction.response.defer()
        embed = await self.render_page(target)
        before = self.page
        self.page = target
        self._sync_buttons()  # the buttons sent with the page must match it
        try:
            await interaction.edit_original_response(embed=embed, view=self)
        except BaseException as exc:
            self.page = before
            self._sync_buttons()
            if isinstance(exc, discord.NotFound) and exc.code == UNKNOWN_MESSAGE:
                log.info("pager message of user %s was deleted before page %d could show; the pager ends",
                         interaction.user.id, target + 1)
                self.stop()
                return
            raise

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    async def previous_page(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        """Go back one page."""
        await self.show(interaction, self.page - 1)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.secondary)
    async def next_page(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        """Go forward one page."""
        await self.show(interaction, self.page + 1)


Confirmed = Callable[[discord.Interaction], Awaitable[str]]


class ConfirmView(AuthorOnlyView):
    """A two-button prompt for destructive actions such as /forget; nothing happens without the click."""

    def __init__(self, *, author_id: int, on_confirm: Confirmed, confirm_label: str = "Confirm",
                 cancel_text: str = "Cancelled.", timeout: float = 60.0, client: discord.Client | None = None) -> None:
        super().__init__(author_id, timeout=timeout, client=client)
        self.on_confirm = on_confirm
        self.confirm.label = confirm_label
        self.cancel_text = cancel_text
        self.outcome: str | None = None
        self._answered = False

    async def _close(self, interaction: discord.Interaction) -> bool:
        """Lock the prompt for the first click; False (and a private note) for any click after it.

        discord.py runs each click in its own task, so a double click can reach the callbacks before the first edit
        greys the buttons out; a second run would find nothing left and its "Deleted 0 article(s)" would replace
        the first's answer. The flag is set before any await, so the first click owns the prompt.
        """
        if self._answered:
            await send_ephemeral(interaction, "You already answered this prompt; see its message for what happened.")
            return False
        self._answered = True
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True
        self.stop()
        return True

    @discord.ui.button(label="Confirm", style=discord.ButtonStyle.danger)
    async def confirm(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        """Run the action once, then lock the prompt and say what happened."""
        if not await self._close(interaction):
            return
        await interaction.response.defer()
        self.outcome = await self.on_confirm(interaction)
        await interaction.edit_original_response(content=self.outcome, view=self)

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        """Leave everything as it was."""
        if not await self._close(interaction):
            return
        self.outcome = self.cancel_text
        await interaction.response.edit_message(content=self.outcome, view=self)
