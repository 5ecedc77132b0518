"""Reading the library: full-text search and the server's sourcing scorecard."""

from __future__ import annotations

import logging
import unicodedata

from bot.search_query import has_cjk, marked_snippet, parse_query
from bot.store_cjk import CJK_TABLE, PENDING_BATCH, has_pairs_index, index_pending
from bot.store_db import StoreBase
from bot.store_review import carried_verdict, in_queue, on_latest_analysis
from bot.store_types import (
    BELOW_THRESHOLD,
    CARRIED,
    PUBLIC,
    STAFF,
    STATUSES,
    GuildStats,
    SearchHit,
    SiteStats,
    Viewer,
    check_guild,
    from_db_time,
    guild_match,
    utcnow,
)

log = logging.getLogger(__name__)

FTS_TABLE = "analyses_fts"
SNIPPET = "snippet(analyses_fts, -1, '**', '**', '…', 16)"
WEIGHTS = "4.0, 2.0, 1.0, 0.0"  # bm25 weights of title, summary, text, guild token (the same in both indexes)
SNIPPET_START = 160  # a CJK hit whose words cannot be pointed at shows the article's start
SEARCH_CANDIDATES = 1000
# The guild's private analyses that a member may not see (not theirs); a small set, found through a partial index.
HIDDEN_FROM = ("SELECT a.seq FROM analyses AS a JOIN documents AS d ON d.id = a.document_id "
               "WHERE d.guild_id = ? AND d.private = 1 AND d.author_id IS NOT ?")


ALL_PRIVATE = ("SELECT a.seq FROM analyses AS a JOIN documents AS d ON d.id = a.document_id "
               "WHERE d.guild_id = ? AND d.private = 1")


def _cut(text: str, title: str | None, words: tuple[str, ...]) -> str:
    """A CJK hit's snippet: around a CJK query word (the reason this index was asked) in the text or title, else
    around another of its words, else the article's start. In composed form (NFC), as the index and the query words
    are, so a word in text stored decomposed is found and marked too."""
    words = tuple(sorted(words, key=lambda word: not has_cjk(word)))
    text, title = unicodedata.normalize("NFC", text), title and unicodedata.normalize("NFC", title)
    return (marked_snippet(text, words) or marked_snippet(title or "", words)
            or text[:SNIPPET_START] + ("…" if len(text) > SNIPPET_START else ""))


def _hidden(guild_id: int, viewer_id: Viewer) -> tuple[str, tuple[int, ...]]:
    """The condition on ``rowid`` that leaves out the private analyses ``viewer_id`` may not see."""
    if viewer_id == STAFF:
        return "", ()
    if viewer_id == PUBLIC:
        return f" AND rowid NOT IN ({ALL_PRIVATE})", (guild_id,)
    return f" AND rowid NOT IN ({HIDDEN_FROM})", (guild_id, int(viewer_id))


class SearchStore(StoreBase):
    """Search and statistics over one guild's stored analyses."""

    async def search(
        self, guild_id: int, query: str, *, limit: int = 5, offset: int = 0, viewer_id: Viewer = PUBLIC,
    ) -> list[SearchHit]:
        """Full-text search of titles, summaries and texts, best match first; any input is safe.

        A member (``viewer_id``) finds public analyses and their own private ones; ``STAFF`` finds all; the
        default, public ones only.

        bm25 ranks only the guild's SEARCH_CANDIDATES most recent matches, which bounds the per-row work
        for a common word in a big guild (FTS5 still counts each term's documents once per query). The query is
        bounded too (``bot.search_query``), and runs on the searches' own connection, so other reads never wait
        behind it. A query with Chinese, Japanese or Korean words searches the pairs index (``bot.store_cjk``),
        with the same guild scope and hiding; its snippet is cut from the article, since that index holds pairs.
        """
        check_guild(guild_id)
        parsed = parse_query(query)
        if parsed.match is None:
            return []
        table = CJK_TABLE if parsed.cjk else FTS_TABLE
        match = guild_match(guild_id, parsed.match)
        limit, offset = max(0, min(int(limit), 50)), max(0, int(offset))
        hide, hide_args = _hidden(guild_id, viewer_id)
        snippet = "d.text" if parsed.cjk else SNIPPET
        rows = await self._rows(
            f"WITH cand AS MATERIALIZED (SELECT rowid AS rid, bm25({table}, {WEIGHTS}) AS score FROM {table} "  # noqa: S608
            f" WHERE {table} MATCH ?{hide} ORDER BY rowid DESC LIMIT ?), "
            "top AS (SELECT rid, score FROM cand ORDER BY score, rid DESC LIMIT ? OFFSET ?) "
            f"SELECT a.id, d.title, d.url, {snippet}, a.created_at, top.score FROM top "
            f"JOIN {table} ON {table}.rowid = top.rid "
            "JOIN analyses AS a ON a.seq = top.rid JOIN documents AS d ON d.id = a.document_id "
            f"WHERE {table} MATCH ? AND a.guild_id = ? AND d.guild_id = ? ORDER BY top.score, top.rid DESC",
            (match, *hide_args, SEARCH_CANDIDATES, limit, offset, match, guild_id, guild_id), search=True)
        return [SearchHit(r[0], r[1], r[2], _cut(r[3], r[1], parsed.words) if parsed.cjk else r[3],
                          from_db_time(r[4]) or utcnow(), float(r[5])) for r in rows]

    async def count_search(self, guild_id: int, query: str, *, viewer_id: Viewer = PUBLIC) -> int:
        """How many analyses in this guild match ``query`` for ``viewer_id`` (paging stops at SEARCH_CANDIDATES)."""
        check_guild(guild_id)
        parsed = parse_query(query)
        if parsed.match is None:
            return 0
        table = CJK_TABLE if parsed.cjk else FTS_TABLE
        hide, hide_args = _hidden(guild_id, viewer_id)
        row = await self._row(f"SELECT count(*) FROM {table} WHERE {table} MATCH ?" + hide,  # noqa: S608
                              (guild_match(guild_id, parsed.match), *hide_args), search=True)
        return int(row[0])

    async def has_private_analyses(self, guild_id: int, author_id: int) -> bool:
        """Whether this member has a private analysis in this guild: one probe of the partial index on private
        documents, on the shared reader (never the searches' connection, where it would queue behind them).

        /search asks it before acknowledging, to choose a private answer without searching first (see the cog)."""
        check_guild(guild_id)
        row = await self._row("SELECT 1 FROM documents WHERE guild_id = ? AND author_id = ? AND private = 1 LIMIT 1",
                              (guild_id, int(author_id)))
        return row is not None

    async def _after_open(self) -> None:
        """Write the pairs rows a migration or another writer queued (see ``bot.store_cjk``), a batch at a time."""
        await super()._after_open()
        written = 0
        while True:
            async with self._write() as db:
                if not await has_pairs_index(db):
                    return
                done = await index_pending(db)
            written += done
            if done < PENDING_BATCH:
                break
        if written:
            log.info("indexed %d analyses with Chinese, Japanese or Korean text for search", written)

    async def guild_stats(self, guild_id: int) -> GuildStats:
        """Counts for the server scorecard: attributions, sites and flags by category from each document's latest
        analysis only; flags by status from every flag, each once (see ``GuildStats``)."""
        check_guild(guild_id)
        latest = ("FROM analyses AS a JOIN documents AS d ON d.id = a.document_id WHERE a.guild_id = ? "
                  "AND a.seq = (SELECT max(seq) FROM analyses WHERE document_id = a.document_id)")
        totals = await self._row(
            "SELECT (SELECT count(*) FROM documents WHERE guild_id = ?), (SELECT count(*) FROM analyses "  # noqa: S608
            "WHERE guild_id = ?), total(n_named), total(n_anonymous), total(n_vague), total(n_pronoun), "
            f"total(n_none) {latest}", (guild_id, guild_id, guild_id))
        kinds = ("named", "anonymous", "vague", "pronoun", "none")
        sites = await self._rows(
            "SELECT d.site, count(*), total(n_named + n_anonymous + n_vague + n_pronoun + n_none), "
            f"total(n_anonymous + n_vague + n_none) {latest} AND d.site IS NOT NULL AND d.private = 0 "
            "GROUP BY d.site ORDER BY count(*) DESC, d.site LIMIT 25", (guild_id,))
        # "pending" is the review queue's pending (``in_queue``, what /review queue and /review stats count); a
        # pending flag below the threshold, never sent for review, is counted apart as BELOW_THRESHOLD; a verdict
        # carried over from an earlier analysis is counted apart as CARRIED, its decision being counted on the flag
        # the moderator decided (as /review stats counts them)
        by_status = await self._rows(
            f"SELECT CASE WHEN {carried_verdict()} THEN ? WHEN status != 'pending' OR ({in_queue()}) THEN status "  # noqa: S608
            "ELSE ? END, count(*) FROM flags WHERE guild_id = ? GROUP BY 1",
            (CARRIED, await self._floor(guild_id, None), BELOW_THRESHOLD, guild_id))
        counts = {r[0]: int(r[1]) for r in by_status}
        below, carried = counts.pop(BELOW_THRESHOLD, 0), counts.pop(CARRIED, 0)
        # categories count the flags of each document's latest analysis, as the attributions do (and /review stats)
        by_category = await self._rows(
            f"SELECT category, count(*) FROM flags WHERE guild_id = ? AND {on_latest_analysis('flags')} "  # noqa: S608
            "GROUP BY category ORDER BY category", (guild_id,))
        return GuildStats(
            guild_id=guild_id, documents=int(totals[0]), analyses=int(totals[1]),
            attributions={k: int(v) for k, v in zip(kinds, totals[2:], strict=True)},
            sites=tuple(SiteStats(r[0], int(r[1]), int(r[2]), int(r[3])) for r in sites),
            flags_by_status={s: 0 for s in STATUSES} | counts, flags_below_threshold=below, flags_carried=carried,
            flags_by_category={r[0]: int(r[1]) for r in by_category},
        )

