"""The "Full report" button under link auto-replies.

It is a ``DynamicItem`` whose custom_id carries only the analysis id (``byline:report:<id>``), so it
keeps working after a restart: the click reloads the analysis from the store, scoped to the guild
where the button was clicked, and answers privately with the full embed and the Markdown report. A private
analysis (from a channel @everyone cannot read) opens for its author and for clicks in the channel it was
analysed in or any channel where Byline's reply showed it, whose members already see the reply; anywhere else it
is "not found".
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

import discord

from bot.errors import NotFoundError
from bot.interaction_errors import handle_interaction_error
from bot.ratelimit import library_limiter
from bot.render import CUSTOM_ID_LIMIT, render_analysis
from bot.shutdown import hold_interaction
from bot.store_types import STAFF

log = logging.getLogger(__name__)

REPORT_PREFIX = "byline:report:"
REPORT_TEMPLATE = r"byline:report:(?P<analysis_id>[0-9a-z]{1,40})"


class ReportButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=REPORT_TEMPLATE):
    """Show the full report of one stored analysis to whoever clicks, privately."""

    def __init__(self, analysis_id: str) -> None:
        custom_id = f"{REPORT_PREFIX}{analysis_id}"
        assert len(custom_id) <= CUSTOM_ID_LIMIT
        super().__init__(
            discord.ui.Button(label="Full report", emoji="📄", style=discord.ButtonStyle.secondary, custom_id=custom_id)
        )
        self.analysis_id = analysis_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> ReportButton:
        """Rebuild the button from its custom_id after a restart."""
        return cls(match["analysis_id"])

    async def callback(self, interaction: discord.Interaction) -> None:  # type: ignore[override]
        """Answer with the full report; errors go through the one handler.

        A click counts against the member's allowance of library reads (``[discord] library_rate_per_minute``),
        shared with /lookup, /recent and /stats; the result is decoded and the report rendered off the event loop.
        """
        try:
            hold_interaction(interaction, f"full report of {self.analysis_id} for user {interaction.user.id}")
            library_limiter(interaction.client).hit(interaction.user.id)
            await interaction.response.defer(ephemeral=True, thinking=True)
            store = interaction.client.store  # type: ignore[attr-defined]
            stored = None
            if interaction.guild_id is not None:
                stored = await store.get_analysis(interaction.guild_id, self.analysis_id, viewer_id=STAFF)
            if stored is not None and not await _may_open(store, stored, interaction):
                stored = None
            if stored is None:
                raise NotFoundError("That analysis is no longer stored here (it may have been forgotten).")
            rendered = await asyncio.to_thread(render_analysis, stored, attach_report=True)
            await interaction.followup.send(ephemeral=True, **rendered.send_kwargs())
        except Exception as exc:  # every failure must reach the member
            await handle_interaction_error(interaction, exc)


async def _may_open(store: Any, stored: Any, interaction: discord.Interaction) -> bool:
    """Public analyses open for anyone in the guild; a private one for its author, in its own channel, or in a
    channel where Byline posted a reply showing it (the same member may share one article in two private rooms)."""
    if not stored.private or interaction.user.id == stored.author_id:
        return True
    if interaction.channel_id is None:
        return False
    return interaction.channel_id == stored.channel_id or await store.shown_in_channel(
        stored.guild_id, stored.id, interaction.channel_id)


def report_view(analysis_id: str) -> discord.ui.View:
    """A persistent view holding the Full report button (build it inside the event loop)."""
    view = discord.ui.View(timeout=None)
    view.add_item(ReportButton(analysis_id))
    return view
