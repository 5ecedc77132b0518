"""A paginator for a list that changes while a member pages through it: the moderators' review queue.

Each page starts right behind the last item the member saw and is read, and counted, again on every turn. An
offset with a page count fixed when the command ran went wrong as soon as colleagues decided flags: the items
behind them moved up past the offset and were never shown, and flags that arrived later lay beyond the last page.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import discord

from bot.views import AuthorOnlyView, RightsCheck


@dataclass(frozen=True)
class KeysetPage:
    """One rendered page, and the item the page after it starts behind (None when nothing follows)."""

    embed: discord.Embed
    next_after: Any | None


PageReader = Callable[[Any | None, int], Awaitable[KeysetPage]]  # (start behind this item, page number from 0)


class KeysetPaginator(AuthorOnlyView):
    """Previous/Next where Next stays enabled while more items exist, however many there were at first."""

    def __init__(self, *, author_id: int, first: KeysetPage, read_page: PageReader, timeout: float = 180.0,
                 recheck: RightsCheck | None = None, client: discord.Client | None = None) -> None:
        super().__init__(author_id, timeout=timeout, recheck=recheck, client=client)
        self.read_page = read_page
        self.starts: list[Any | None] = [None]  # what each page seen so far starts behind
        self.page = 0
        self._next_after = first.next_after
        self._sync_buttons()

    def _sync_buttons(self) -> None:
        self.previous_page.disabled = self.page <= 0
        self.next_page.disabled = self._next_after is None

    async def _show(self, interaction: discord.Interaction, page: int, starts: list[Any | None]) -> None:
        """Read page ``page`` as the list is now and replace the message's embed in the one response.

        The pager keeps the move only once the message shows the page: a turn whose read fails, or whose edit
        Discord refuses (an expired click), leaves the message where it was, so the pager must stay there too, or
        later turns number their pages wrong and Previous takes an extra click.
        """
        read = await self.read_page(starts[page], page)
        before = self.page, self.starts, self._next_after
        self.page, self.starts, self._next_after = page, starts, read.next_after
        self._sync_buttons()  # the buttons sent with the page must match it
        try:
            await interaction.response.edit_message(embed=read.embed, view=self)
        except BaseException:
            self.page, self.starts, self._next_after = before
            self._sync_buttons()
            raise

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    async def previous_page(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        """Go back to where the page before started (its items may have changed meanwhile)."""
        await self._show(interaction, max(0, self.page - 1), self.starts)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.secondary)
    async def next_page(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        """Go on behind the last item shown; pages seen further on before are read again from here."""
        if self._next_after is None:
            await self._show(interaction, self.page, self.starts)
            return
        await self._show(interaction, self.page + 1, [*self.starts[:self.page + 1], self._next_after])
