"""Retention: deletes each server's analyses once they are older than its /settings retention, every hour.

The setting promises deletion, so the bot enforces it itself instead of waiting for someone to run
``byline db prune``. Review cards of the deleted flags are then emptied by the review cog.
"""

from __future__ import annotations

import logging
from typing import Any

from discord.ext import commands, tasks

from bot.cards import CARDS_STALE_EVENT
from bot.store_cards import PruneReport

log = logging.getLogger(__name__)

PRUNE_EVERY_HOURS = 1.0  # retention is counted in days, so an hour late is well within the promise


class Retention(commands.Cog):
    """Runs the store's retention pruning on a timer while the bot is up."""

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot

    @property
    def store(self) -> Any:
        return self.bot.store  # type: ignore[attr-defined]

    async def cog_load(self) -> None:
        self.prune_loop.start()

    async def cog_unload(self) -> None:
        self.prune_loop.cancel()

    async def prune_once(self) -> PruneReport | None:
        """Prune every guild once; a failure is logged and the next round tries again."""
        try:
            report: PruneReport = await self.store.prune()
        except Exception:
            log.exception("retention pruning failed; retrying in %.0f hour(s)", PRUNE_EVERY_HOURS)
            return None
        finally:
            # Always: the store's clean-up list may also hold cards from a command-line prune or a failed pass.
            self.bot.dispatch(CARDS_STALE_EVENT)
        return report

    @tasks.loop(hours=PRUNE_EVERY_HOURS)
    async def prune_loop(self) -> None:
        await self.prune_once()

    @prune_loop.before_loop
    async def _wait_until_ready(self) -> None:
        await self.bot.wait_until_ready()


async def setup(bot: commands.Bot) -> None:
    """Load the retention cog."""
    await bot.add_cog(Retention(bot))
