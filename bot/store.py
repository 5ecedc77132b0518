"""The SQLite store: ``Store`` and the names callers import. The SQL lives in the ``bot/store_*.py`` parts.

``Store`` is assembled from one class per concern, all sharing the connections and transaction plumbing of
``bot.store_db.StoreBase``: analyses (save and look-up), search and statistics, the review queue, settings
and opt-outs, and retention (export, forget-me, pruning). Every public method takes the guild first and every
query filters on it; no other module holds SQL.
"""

from __future__ import annotations

from bot.store_analyses import AnalysesStore
from bot.store_cards import CardRef, ForgetReport, PruneReport
from bot.store_retention import EXPORT_COLUMNS, EXPORT_PAGE, PRUNE_BATCH, RetentionStore
from bot.store_review import ReviewStore
from bot.store_search import SEARCH_CANDIDATES, SearchStore
from bot.store_settings import SettingsStore
from bot.store_types import (
    PUBLIC,
    STAFF,
    GuildSettings,
    GuildStats,
    ReviewEvent,
    SearchHit,
    SiteStats,
    StoredAnalysis,
    StoredFlag,
    latest_version,
    migrations,
)

__all__ = [
    "EXPORT_COLUMNS",
    "EXPORT_PAGE",
    "PRUNE_BATCH",
    "PUBLIC",
    "SEARCH_CANDIDATES",
    "STAFF",
    "CardRef",
    "ForgetReport",
    "GuildSettings",
    "GuildStats",
    "PruneReport",
    "ReviewEvent",
    "SearchHit",
    "SiteStats",
    "Store",
    "StoredAnalysis",
    "StoredFlag",
    "latest_version",
    "migrations",
]


class Store(AnalysesStore, SearchStore, ReviewStore, SettingsStore, RetentionStore):
    """Analyses, flags, reviews, settings and opt-outs for every guild, in one SQLite file."""
