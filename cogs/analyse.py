"""/analyse (text, link, file or a pasted modal) and the "Analyse with Byline" message menu.

The order of every request is the same: cheap checks that can fail privately (input, opt-out, busy,
rate limit), then defer (within Discord's 3 s), then the slow work, then one follow-up. Failures go to
the one error handler, which answers ephemerally.

The menu answers in the channel, except for a link, text or file its poster hid behind a spoiler (``||...||``):
that answer goes only to the member who asked, since a public embed would show the headline and summary the
poster chose to hide.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.cards import remember_reply
from bot.errors import BusyError, InputError, InputTooLarge, RateLimited
from bot.interaction_errors import PUBLIC_DEFER, handle_interaction_error
from bot.render import render_analysis
from bot.shutdown import hold_interaction
from bot.views import submitted_value
from cogs._authors import message_source, opted_out
from cogs._inputs import MessageInput, analyse_input, behind_spoiler, is_private_channel, lone_link, pick_input

if TYPE_CHECKING:
    from bot.client import BylineBot
    from bot.store import StoredAnalysis

log = logging.getLogger(__name__)

TEXT_OPTION_MAX = 6000  # Discord's cap on a string option
URL_OPTION_MAX = 2000
MODAL_TEXT_MAX = 4000  # Discord's cap on a modal text input
# A paste box's custom_id says where its answer goes (public or private) and, to keep every box apart, the opening
# interaction's id: the submission is answered from the custom_id alone (see handle_paste_submit), after a restart or
# however long the member took. A box opened before the visibility was in the id is answered privately.
MODAL_CUSTOM_ID = "byline:paste"
MODAL_INPUT_ID = "byline:paste:text"
PASTE_MODAL_PATTERN = re.compile(r"byline:paste:(?:(?P<visibility>public|private):)?[0-9a-f]+")
CONTEXT_MENU_NAME = "Analyse with Byline"
SPOILER_NOTE = "Only you can see this: that message hides it behind a spoiler."


class PasteModal(discord.ui.Modal, title="Analyse an article"):
    """A paragraph box for pasting an article when /analyse gets no option; never kept in memory once sent.

    Only what Discord shows: the submission is answered by ``AnalyseCog.handle_paste_submit``, from the custom_id.
    """

    def __init__(self, *, ephemeral: bool, interaction_id: int | None = None) -> None:
        key = interaction_id if interaction_id is not None else os.urandom(8).hex()
        visibility = "private" if ephemeral else "public"
        super().__init__(timeout=None, custom_id=f"{MODAL_CUSTOM_ID}:{visibility}:{key}")
        self.article: discord.ui.TextInput[PasteModal] = discord.ui.TextInput(
            style=discord.TextStyle.paragraph, custom_id=MODAL_INPUT_ID, min_length=1, max_length=MODAL_TEXT_MAX,
            placeholder="Paste the article text here.",
        )
        self.add_item(discord.ui.Label(text="Article text", description="Up to 4,000 characters.",
                                       component=self.article))


class AnalyseCog(commands.Cog):
    """Analyse on request: slash command, modal and message context menu."""

    def __init__(self, bot: BylineBot) -> None:
        self.bot = bot
        self.context_menu = app_commands.ContextMenu(name=CONTEXT_MENU_NAME, callback=self.analyse_message)

    async def cog_load(self) -> None:
        """Context menus can't live in a cog class body, so register it by hand."""
        self.bot.tree.add_command(self.context_menu)

    async def cog_unload(self) -> None:
        """Remove the context menu, so a reload starts clean."""
        self.bot.tree.remove_command(self.context_menu.name, type=self.context_menu.type)

    @app_commands.command(name="analyse", description="Summarise an article and flag claims with weak or no sources")
    @app_commands.guild_only()
    @app_commands.describe(
        text="The article text (up to 6,000 characters; use file for longer ones)",
        url="A link to the article",
        file="A .txt, .md or .html file holding the article",
        ephemeral="Show the result only to you (default: everyone in the channel)",
    )
    async def analyse(
        self,
        interaction: discord.Interaction,
        text: app_commands.Range[str, 1, TEXT_OPTION_MAX] | None = None,
        url: app_commands.Range[str, 1, URL_OPTION_MAX] | None = None,
        file: discord.Attachment | None = None,
        ephemeral: bool = False,
    ) -> None:
        """Analyse text, a link or a file; with none of them, open a box for pasting."""
        given = [x for x in (text, url, file) if x is not None]
        if len(given) > 1:
            raise InputError("Give only one of text, url or file.")
        if not given:
            self._precheck_modal(interaction)
            modal = PasteModal(ephemeral=ephemeral, interaction_id=interaction.id)
            await interaction.response.send_modal(modal)
            modal.stop()  # the submission is answered from its custom_id (handle_paste_submit), never from memory
            return
        if text is not None:
            await self.run_text(interaction, text, ephemeral=ephemeral)
        else:
            await self._run(interaction, MessageInput(url=url, attachment=file), ephemeral=ephemeral,
                            author_id=interaction.user.id)

    @app_commands.guild_only()
    async def analyse_message(self, interaction: discord.Interaction, message: discord.Message) -> None:
        """Analyse the link, text or file in a message (its author, or a forward's original author, owns the text)."""
        picked = pick_input(message)
        # Admitted (rate limit included) before a forward's original is looked up: that is a REST call, and Discord
        # counts the refused ones (403) against the whole bot.
        guild_id = await self._hold_and_admit(interaction)
        # A forward's original: at most one short, bounded fetch, and none again soon for one just out of reach.
        source = await message_source(self.bot, message)
        if await opted_out(self.bot, guild_id, message, source):
            raise InputError("The author of that message has opted out of Byline, so it can't be analysed.")
        hidden = behind_spoiler(message, picked)
        await self._answer(interaction, guild_id, picked, ephemeral=hidden, author_id=source.author_id,
                           message_link=message.jump_url, note=SPOILER_NOTE if hidden else None)

    @commands.Cog.listener("on_interaction")
    async def paste_submitted(self, interaction: discord.Interaction) -> None:
        """Analyse what was pasted in a paste box, however long it was open and across restarts."""
        await self.handle_paste_submit(interaction)

    async def handle_paste_submit(self, interaction: discord.Interaction) -> bool:
        """Analyse a submitted paste box; False when the interaction is something else.

        discord.py keeps an open modal only in memory, so a box submitted after a restart (or after the modal's
        timeout) used to find no handler, and the member's pasted article was lost with "interaction failed". Every
        modal submission is seen here instead, and one whose custom_id names a paste box is answered, as it asked.
        """
        data: Any = interaction.data or {}
        match = PASTE_MODAL_PATTERN.fullmatch(str(data.get("custom_id", "")))
        if interaction.type is not discord.InteractionType.modal_submit or match is None:
            return False
        text = submitted_value(data.get("components", []), MODAL_INPUT_ID)
        try:
            await self.run_text(interaction, text, ephemeral=match["visibility"] != "public")
        except Exception as exc:  # a modal's errors never reach the tree's handler
            await handle_interaction_error(interaction, exc)
        return True

    async def run_text(self, interaction: discord.Interaction, text: str, *, ephemeral: bool) -> None:
        """Analyse pasted or typed text; a text that is only a link is fetched, as the url option would."""
        if not text.strip():
            raise InputError("There is no text to analyse.")
        if len(text) > TEXT_OPTION_MAX:
            raise InputTooLarge(f"That text is {len(text):,} characters; attach it as a .txt file instead.")
        link = lone_link(text)
        picked = MessageInput(text=text) if link is None else MessageInput(url=link)
        await self._run(interaction, picked, ephemeral=ephemeral, author_id=interaction.user.id)

    async def _run(
        self, interaction: discord.Interaction, picked: MessageInput, *, ephemeral: bool, author_id: int,
        message_link: str | None = None, note: str | None = None,
    ) -> None:
        guild_id = await self._hold_and_admit(interaction)
        await self._answer(interaction, guild_id, picked, ephemeral=ephemeral, author_id=author_id,
                           message_link=message_link, note=note)

    async def _hold_and_admit(self, interaction: discord.Interaction) -> int:
        # Commands are held by the tree already; a modal submission is held (or refused, restarting) here.
        hold_interaction(interaction, f"analysis for user {interaction.user.id}", answer_cut_short=True)
        return await self._admit(interaction)

    async def _answer(
        self, interaction: discord.Interaction, guild_id: int, picked: MessageInput, *, ephemeral: bool,
        author_id: int, message_link: str | None = None, note: str | None = None,
    ) -> None:
        """Defer, analyse and send: the slow part, once the request was admitted."""
        await interaction.response.defer(ephemeral=ephemeral, thinking=True)
        if not ephemeral:
            interaction.extras[PUBLIC_DEFER] = True
        # An ephemeral answer, or a channel @everyone cannot read, keeps the stored analysis out of others' library.
        meta: dict[str, Any] = {"author_id": author_id, "channel_id": interaction.channel_id,
                                "message_link": message_link,
                                "private": ephemeral or is_private_channel(interaction.channel)}
        stored = await analyse_input(self.bot, guild_id, picked, **meta)
        await self._send(interaction, stored, ephemeral=ephemeral, note=note)

    async def _admit(self, interaction: discord.Interaction) -> int:
        """Refuse privately, before deferring: outside a server, opted out, busy, or over the rate limit."""
        guild_id = interaction.guild_id
        if guild_id is None:
            raise app_commands.NoPrivateMessage()
        if await self.bot.store.is_opted_out(guild_id, interaction.user.id):
            raise InputError("You've opted out of Byline in this server; use /optin to analyse articles again.")
        if self.bot.analyzer.is_busy():
            raise BusyError()
        self.bot.user_limiter.hit(interaction.user.id)
        return guild_id

    def _precheck_modal(self, interaction: discord.Interaction) -> None:
        """The modal must open within 3 s, so only the in-memory checks run before it."""
        if interaction.guild_id is None:
            raise app_commands.NoPrivateMessage()
        retry = self.bot.user_limiter.retry_after(interaction.user.id)
        if retry > 0:
            raise RateLimited(retry)

    async def _send(self, interaction: discord.Interaction, stored: StoredAnalysis, *, ephemeral: bool,
                    note: str | None = None) -> None:
        rendered = render_analysis(stored)
        if note:  # one line above the result saying why it is answered this way
            rendered = dataclasses.replace(rendered, content="\n".join(filter(None, (note, rendered.content))))
        drain = self.bot.drain  # the answer is sent, then recorded, even if a shutdown cuts the handler short now
        sent = await drain.deliver(interaction.followup.send(ephemeral=ephemeral, wait=True, **rendered.send_kwargs()))
        interaction.extras.pop(PUBLIC_DEFER, None)
        if not ephemeral:  # a public reply shows the article: a forget-me of its author must be able to remove it
            await drain.deliver(remember_reply(self.bot.store, stored, sent))
        log.info("guild %s: analysis %s sent to user %s%s", interaction.guild_id, stored.id, interaction.user.id,
                 " (cached)" if stored.cached else "")


async def setup(bot: BylineBot) -> None:
    """Load the analyse cog."""
    await bot.add_cog(AnalyseCog(bot))
