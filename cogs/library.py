"""The guild's library of stored analyses: /lookup, /search, /recent, /stats; and each member's privacy:
/forget, /optout, /optin.

Every store call passes ``interaction.guild_id``, so one server can never read another's analyses, and the
member's id, so a private analysis (ephemeral, or from a channel @everyone cannot read) is listed for its author
only; everyone else gets the same "not found" as for an id that does not exist.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Awaitable
from typing import Any, TypeVar

import discord
from discord import app_commands
from discord.ext import commands

from bot import render
from bot.cards import CARDS_STALE_EVENT, remember_shown
from bot.errors import InputError, NotFoundError
from bot.interaction_errors import PUBLIC_DEFER
from bot.ratelimit import RateLimiter, library_limiter
from bot.search_query import query_problem
from bot.store import SEARCH_CANDIDATES
from bot.store_types import PUBLIC, Viewer
from bot.views import ConfirmView, Paginator, answer_stale_view, deliver

log = logging.getLogger(__name__)
T = TypeVar("T")

SEARCH_PAGE_SIZE = 5
RECENT_COUNT = 10
MAX_QUERY_CHARS = 200


def _guild(interaction: discord.Interaction) -> int:
    if interaction.guild_id is None:
        raise InputError("This command only works inside a server.")
    return interaction.guild_id


async def _defer_public(interaction: discord.Interaction) -> None:
    """Acknowledge at once with a public "thinking…"; flag it so an error before the answer is shown privately."""
    await interaction.response.defer(thinking=True)
    interaction.extras[PUBLIC_DEFER] = True


async def _defer(interaction: discord.Interaction, *, private: bool) -> None:
    """Public unless the answer shows the member's own private analyses: those are for their eyes only."""
    if private:
        await interaction.response.defer(ephemeral=True, thinking=True)
    else:
        await _defer_public(interaction)


async def _answer(interaction: discord.Interaction, send: Awaitable[T]) -> T:
    """Send the command's answer through the shutdown drain, then forget that the deferral was public.

    Once the answer is out it stands: a shutdown cutting the rest short (recording it may wait on the store's write
    lock) sends no "cut short, try again", and no later error deletes it as if it were the "thinking…" placeholder.
    """
    sent = await deliver(interaction, send)
    interaction.extras.pop(PUBLIC_DEFER, None)
    return sent


class Library(commands.Cog):
    """Read back what this server has analysed, and let members control their own data."""

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot
        # Searches and page turns per member per minute: only this cog searches, so the allowance lives here.
        self.search_limiter = RateLimiter(bot.settings.discord.search_rate_per_minute)  # type: ignore[attr-defined]
        # /lookup, /recent, /stats and the Full report button share one allowance (``[discord]
        # library_rate_per_minute``): each reads the store and renders on the loop every server shares.
        self.read_limiter = library_limiter(bot)

    @property
    def store(self) -> Any:
        return self.bot.store  # type: ignore[attr-defined]

    @app_commands.command(name="lookup", description="Show a stored analysis by its id (the one in the footer).")
    @app_commands.describe(analysis_id="The six-character id, e.g. b7k2m9")
    @app_commands.rename(analysis_id="id")
    @app_commands.guild_only()
    async def lookup(self, interaction: discord.Interaction, analysis_id: app_commands.Range[str, 1, 32]) -> None:
        """The full analysis embed, from this server's analyses only; the member's private one only to them.

        The look-up (one indexed read) comes before the acknowledgement, which must know whether to be public.
        The result is decoded and rendered off the event loop: a long article's is over a megabyte of JSON.
        """
        guild_id = _guild(interaction)
        self.read_limiter.hit(interaction.user.id)
        stored = await self.store.get_analysis(guild_id, analysis_id.strip().lstrip("#").lower(),
                                               viewer_id=interaction.user.id)
        if stored is None:
            raise NotFoundError(f"No analysis `{render.safe(analysis_id, 32)}` in this server.")
        await _defer(interaction, private=stored.private)
        rendered = await asyncio.to_thread(render.render_analysis, stored)
        sent = await _answer(interaction, interaction.followup.send(**rendered.send_kwargs(), wait=True,
                                                                    ephemeral=stored.private))
        if not stored.private:  # it shows the member's article in the channel: their /forget must reach it
            await deliver(interaction, remember_shown(self.store, stored.guild_id, (stored.id,), sent))

    @app_commands.command(name="search", description="Search this server's stored analyses by words in the text.")
    @app_commands.describe(query="Words to look for; all must appear (end a word with * for a prefix)")
    @app_commands.guild_only()
    async def search(self, interaction: discord.Interaction, query: app_commands.Range[str, 1, 200]) -> None:
        """Paged results with Previous/Next buttons that only the searcher can press.

        A search may read much of the server's index, so the query is bounded (``query_problem`` says why one is
        refused) and each member gets ``[discord] search_rate_per_minute`` searches and page turns a minute.

        The answer is acknowledged before anything is searched or counted: the searches share one connection, one at
        a time, so a count can wait behind other servers' searches past Discord's 3 s deadline. Whether the answer
        is private must be chosen with the acknowledgement, before it is known whether a hit would be the member's
        own private analysis, so it is chosen in doubt's favour: a member who has any private analysis in this
        server gets a private answer (which also lists their private hits); everyone else, a public one, which
        lists public analyses only. That costs one look-up in a small index, not a search.
        """
        query = query.strip()
        if not query or len(query) > MAX_QUERY_CHARS:
            raise InputError(f"Give between 1 and {MAX_QUERY_CHARS} characters to search for.")
        problem = query_problem(query)
        if problem is not None:
            raise InputError(problem)
        guild_id = _guild(interaction)
        viewer_id = interaction.user.id
        self.search_limiter.hit(viewer_id)
        private = await self.store.has_private_analyses(guild_id, viewer_id)
        await _defer(interaction, private=private)
        # A public reply pages through public analyses only: the member may get a private one while its buttons live.
        viewer: Viewer = viewer_id if private else PUBLIC
        total = await self.store.count_search(guild_id, query, viewer_id=viewer)
        pages = max(1, math.ceil(min(total, SEARCH_CANDIDATES) / SEARCH_PAGE_SIZE))  # search ranks no more than that

        async def render_page(page: int) -> tuple[discord.Embed, tuple[str, ...]]:
            hits = await self.store.search(guild_id, query, limit=SEARCH_PAGE_SIZE, offset=page * SEARCH_PAGE_SIZE,
                                           viewer_id=viewer)
            embed = render.search_page_embed(query, hits, page=page, pages=pages, total=total)
            return embed, tuple(hit.analysis_id for hit in hits)

        sent: discord.WebhookMessage | None = None

        async def turn_page(page: int) -> discord.Embed:
            self.search_limiter.hit(viewer_id)  # each turn runs the search again
            embed, shown = await render_page(page)
            if not private:  # the same message now lists these articles too: recorded before it shows them
                await remember_shown(self.store, guild_id, shown, sent)
            return embed

        embed, shown = await render_page(0)
        if pages == 1:
            sent = await _answer(interaction, interaction.followup.send(
                embed=embed, wait=True, ephemeral=private, allowed_mentions=render.NO_MENTIONS))
        else:
            view = Paginator(author_id=interaction.user.id, pages=pages, render_page=turn_page,
                             client=interaction.client)
            sent = view.message = await _answer(interaction, interaction.followup.send(
                embed=embed, view=view, wait=True, ephemeral=private, allowed_mentions=render.NO_MENTIONS))
        if not private:  # every member whose article the page lists can have it deleted with /forget
            await deliver(interaction, remember_shown(self.store, guild_id, shown, sent))

    @app_commands.command(name="recent", description="List the latest analyses in this server.")
    @app_commands.guild_only()
    async def recent(self, interaction: discord.Interaction) -> None:
        """Newest first, with ids for /lookup; private to the member when it lists their private analyses.

        Titles, links and flag counts come from the store's listing, which never decodes a result.
        """
        guild_id = _guild(interaction)
        self.read_limiter.hit(interaction.user.id)
        items = await self.store.recent(guild_id, limit=RECENT_COUNT, viewer_id=interaction.user.id)
        private = any(item.private for item in items)
        await _defer(interaction, private=private)
        sent = await _answer(interaction, interaction.followup.send(
            embed=render.recent_embed(items), allowed_mentions=render.NO_MENTIONS, wait=True, ephemeral=private))
        if not private:  # it lists members' articles in the channel: a /forget of any of them deletes it
            await deliver(interaction, remember_shown(self.store, guild_id, tuple(item.id for item in items), sent))

    @app_commands.command(name="stats", description="How this server's articles cite sources, overall and by site.")
    @app_commands.guild_only()
    async def stats(self, interaction: discord.Interaction) -> None:
        """The share of unnamed sources overall and by site, and flag counts."""
        guild_id = _guild(interaction)
        self.read_limiter.hit(interaction.user.id)
        await _defer_public(interaction)
        stats = await self.store.guild_stats(guild_id)
        await _answer(interaction, interaction.followup.send(embed=render.guild_stats_embed(stats),
                                                             allowed_mentions=render.NO_MENTIONS))

    @app_commands.command(name="forget", description="Delete everything Byline stored from your messages here.")
    @app_commands.guild_only()
    async def forget(self, interaction: discord.Interaction) -> None:
        """Ask first: deleting cannot be undone, and only the member who asked can confirm."""
        guild_id = _guild(interaction)
        user_id = interaction.user.id
        self.read_limiter.hit(user_id)  # each confirmation is a write transaction and a WAL checkpoint

        async def do_forget(_: discord.Interaction) -> str:
            report = await self.store.forget_user(guild_id, user_id)
            log.info("forget: guild=%s user=%s documents=%d", guild_id, user_id, report.documents)
            self.bot.dispatch(CARDS_STALE_EVENT)  # the review cog empties or re-draws the cards it listed
            return (f"Done. Deleted {report.documents} article(s) you shared, with their analyses and flags. Where "
                    "you reviewed flags as a moderator, the verdicts stay but Byline no longer records your name. "
                    "Review cards in the moderators' channel that showed your articles or your name are being "
                    "re-drawn without them, and Byline's public replies showing your articles are being deleted. "
                    "Use /optout to stop Byline reading your messages from now on.")

        view = ConfirmView(author_id=user_id, on_confirm=do_forget, confirm_label="Delete my data",
                           cancel_text="Cancelled. Nothing was deleted.", client=interaction.client)
        await interaction.response.send_message(
            "This deletes every article you shared in this server, with its analyses and review flags, and "
            "removes your name from Byline's record of any review verdicts you gave. It cannot be undone.",
            view=view, ephemeral=True)
        view.message = await interaction.original_response()

    @commands.Cog.listener("on_interaction")
    async def stale_view_clicked(self, interaction: discord.Interaction) -> None:
        """A click on a /forget prompt, /search pager or /review queue pager that no longer exists gets an answer."""
        await answer_stale_view(interaction)

    @app_commands.command(name="optout", description="Stop Byline from reading or storing your messages here.")
    @app_commands.guild_only()
    async def optout(self, interaction: discord.Interaction) -> None:
        """Auto-replies and reactions then skip this member; past data stays until /forget."""
        guild_id = _guild(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)  # a write may wait on the DB lock
        await self.store.set_opt_out(guild_id, interaction.user.id, True)
        log.info("optout: guild=%s user=%s", guild_id, interaction.user.id)
        await interaction.followup.send(
            "You're opted out: Byline will ignore your messages in this server. "
            "Past analyses stay until you run /forget; /optin undoes this.", ephemeral=True)

    @app_commands.command(name="optin", description="Let Byline read your links here again.")
    @app_commands.guild_only()
    async def optin(self, interaction: discord.Interaction) -> None:
        """Undo /optout."""
        guild_id = _guild(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        await self.store.set_opt_out(guild_id, interaction.user.id, False)
        log.info("optin: guild=%s user=%s", guild_id, interaction.user.id)
        await interaction.followup.send("You're opted in: Byline may analyse links you share here.", ephemeral=True)


async def setup(bot: commands.Bot) -> None:
    """Load the library cog."""
    await bot.add_cog(Library(bot))
