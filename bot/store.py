"""The SQLite store: the only module that holds SQL.

One long-lived writer connection per ``Store`` (an asyncio lock keeps each write transaction whole) and a
second connection for reads, so a long export never holds up the bot's writes. Writes start with
``BEGIN IMMEDIATE``, which takes the write lock up front: with WAL and a busy timeout, several processes
can share one file without "database is locked" surprises. Every public method takes the guild first and
every query filters on it.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import json
import logging
import sqlite3
from collections.abc import AsyncIterator, Callable, Generator, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal, TextIO

import aiosqlite

from bot.analysis.result import SEVERITY_RANK, Result, Stats
from bot.errors import AlreadyReviewed, FlagSuperseded, InputError, NotFoundError, StoreError
from bot.store_types import (
    FORGOTTEN_ID,
    FORGOTTEN_NAME,
    SETTING_KEYS,
    STATUSES,
    GuildSettings,
    GuildStats,
    ReviewEvent,
    SearchHit,
    SiteStats,
    StoredAnalysis,
    StoredFlag,
    check_export_filters,
    check_guild,
    clean_short_id,
    content_hash,
    csv_cell,
    days_ago,
    from_db_time,
    fts_query,
    guild_match,
    is_busy,
    latest_version,
    migrations,
    new_short_id,
    no_surrogates,
    optional_text,
    severity_rank,
    site_of,
    split_statements,
    to_db_time,
    utcnow,
    validate_settings,
)

__all__ = [
    "GuildSettings", "GuildStats", "ReviewEvent", "SearchHit", "SiteStats", "Store", "StoredAnalysis",
    "StoredFlag", "latest_version", "migrations",
]

log = logging.getLogger(__name__)

EXPORT_PAGE = 500
BUSY_RETRIES = 8
ID_RETRIES = 8
SNIPPET = "snippet(analyses_fts, -1, '**', '**', '…', 16)"
BM25 = "bm25(analyses_fts, 4.0, 2.0, 1.0, 0.0)"  # title, summary, text, guild token
SEARCH_CANDIDATES = 1000
PRUNE_BATCH = 500
EXPORT_COLUMNS = (
    "id", "analysis_id", "category", "severity", "status", "start", "end", "evidence", "reason", "sentence",
    "reviewer_id", "reviewer_name", "reviewed_at", "note", "created_at", "title", "url", "message_link",
)

_ANALYSIS_SELECT = """
SELECT a.id, a.guild_id, a.document_id, d.title, d.url, d.author_id, d.channel_id, d.message_link,
       a.engine_version, a.created_at, a.result_json,
       (SELECT group_concat(f.id) FROM flags AS f WHERE f.analysis_id = a.id) AS flag_ids
FROM analyses AS a JOIN documents AS d ON d.id = a.document_id
"""
_FLAG_SELECT = """
SELECT id, guild_id, analysis_id, category, severity, span_start, span_end, evidence, reason, sentence, status,
       reviewer_id, reviewer_name, reviewed_at, note, review_channel_id, review_message_id, created_at,
       superseded_by
FROM flags
"""


class _Opener:
    """What ``Store.open`` returns: ``await`` it for a store, or use ``async with`` to close it afterwards."""

    def __init__(self, factory: Callable[[], Any]) -> None:
        self._factory = factory
        self._store: Store | None = None

    def __await__(self) -> Generator[Any, None, Store]:
        return self._factory().__await__()

    async def __aenter__(self) -> Store:
        self._store = await self._factory()
        return self._store

    async def __aexit__(self, *exc: object) -> None:
        if self._store is not None:
            await self._store.close()


class Store:
    """Analyses, flags, reviews, settings and opt-outs for every guild, in one SQLite file."""

    def __init__(self, path: str, writer: aiosqlite.Connection, reader: aiosqlite.Connection, busy_ms: int) -> None:
        self.path = path
        self._w = writer
        self._r = reader
        self._busy_ms = busy_ms
        self._lock = asyncio.Lock()
        self._closed = False

    # --- opening, closing, migrations ----------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, busy_timeout_ms: int = 5000, migrate_to: int | None = None) -> _Opener:
        """Open (creating if needed) and migrate the database; ``migrate_to`` stops early, for upgrade tests."""
        return _Opener(lambda: cls._open(str(path), busy_timeout_ms, migrate_to))

    @classmethod
    async def _open(cls, path: str, busy_ms: int, migrate_to: int | None) -> Store:
        memory = path == ":memory:" or path.startswith("file::memory:")
        if not memory:
            try:
                Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"Cannot create the folder for the database {path}: {exc.strerror}") from None
            path = str(Path(path).expanduser())
        writer = await cls._connect(path, busy_ms)
        reader = writer
        try:
            store = cls(path, writer, reader, busy_ms)
            await store._migrate(migrate_to)
            if not memory:
                store._r = await cls._connect(path, busy_ms)
        except BaseException:
            await writer.close()
            raise
        return store

    @staticmethod
    async def _connect(path: str, busy_ms: int) -> aiosqlite.Connection:
        try:
            conn = await aiosqlite.connect(path, isolation_level=None, timeout=busy_ms / 1000)
        except sqlite3.Error as exc:
            raise StoreError(f"Cannot open the database {path}: {exc}") from None
        try:
            await conn.execute(f"PRAGMA busy_timeout = {int(busy_ms)}")
            await conn.execute("PRAGMA foreign_keys = ON")
            await Store._retry_busy(lambda: conn.execute("PRAGMA journal_mode = WAL"), busy_ms)
            await conn.execute("PRAGMA synchronous = FULL")
            await conn.execute_fetchall("PRAGMA secure_delete = ON")  # deleted rows are zeroed, not left in free pages
        except BaseException as exc:
            await conn.close()
            if isinstance(exc, sqlite3.DatabaseError):
                raise StoreError(f"{path} is not a usable Byline database: {exc}") from None
            raise
        return conn

    @staticmethod
    async def _retry_busy(action: Callable[[], Any], busy_ms: int) -> Any:
        """Run ``action``; if SQLite still reports busy after its own timeout, back off and try again."""
        for attempt in range(BUSY_RETRIES):
            try:
                return await action()
            except sqlite3.OperationalError as exc:
                if not is_busy(exc) or attempt == BUSY_RETRIES - 1:
                    if is_busy(exc):
                        raise StoreError("The database stayed busy for too long; please try again.") from None
                    raise
                log.warning("database busy (attempt %d), retrying", attempt + 1)
                await asyncio.sleep(min(0.05 * 2**attempt, 1.0))
        raise AssertionError("unreachable")

    async def _migrate(self, target: int | None) -> None:
        steps = migrations()
        latest = len(steps)
        target = latest if target is None else target
        current = await self._user_version()
        if current > latest:
            raise StoreError(
                f"The database {self.path} has schema version {current}, newer than this Byline "
                f"understands ({latest}). Upgrade Byline, or point store.path at another file."
            )
        pending = [(v, n, sql) for v, n, sql in steps if current < v <= target]
        if not pending:
            return
        # Foreign keys off while the schema changes (a table rebuild must not cascade), checked before commit.
        await self._w.execute("PRAGMA foreign_keys = OFF")
        try:
            for version, name, sql in pending:
                await self._apply_migration(version, name, sql)
        finally:
            await self._w.execute("PRAGMA foreign_keys = ON")

    async def _apply_migration(self, version: int, name: str, sql: str) -> None:
        try:
            async with self._write() as db:
                if await self._user_version() >= version:  # another process got there first
                    return
                for statement in split_statements(sql):
                    await db.execute(statement)
                broken = await db.execute_fetchall("PRAGMA foreign_key_check")
                if broken:
                    raise sqlite3.IntegrityError(f"{len(broken)} rows would break a foreign key")
                await db.execute(f"PRAGMA user_version = {version}")
        except sqlite3.Error as exc:
            raise StoreError(f"Upgrading the database to version {version} ({name}) failed and was "
                             f"rolled back: {exc}") from exc
        log.info("database %s migrated to version %d (%s)", self.path, version, name)

    async def _user_version(self) -> int:
        try:
            async with self._w.execute("PRAGMA user_version") as cur:
                row = await cur.fetchone()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path} is not a usable Byline database: {exc}") from None
        return int(row[0]) if row else 0

    async def schema_version(self) -> int:
        """The database's ``PRAGMA user_version``."""
        return await self._user_version()

    async def close(self) -> None:
        """Close both connections; safe to call twice."""
        if self._closed:
            return
        self._closed = True
        async with self._lock:
            if self._r is not self._w:
                await self._r.close()
            await self._w.close()

    async def __aenter__(self) -> Store:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @contextlib.asynccontextmanager
    async def _write(self) -> AsyncIterator[aiosqlite.Connection]:
        """One write transaction at a time per store; BEGIN IMMEDIATE so other processes queue up front.

        The connection runs statements in order on its own thread, so a ROLLBACK queued when a task is
        cancelled (even while its BEGIN is still waiting in the queue) always lands before the next BEGIN.
        """
        if self._closed:
            raise StoreError("The database is closed.")
        async with self._lock:
            try:
                await self._retry_busy(lambda: self._w.execute("BEGIN IMMEDIATE"), self._busy_ms)
                yield self._w
            except BaseException:
                await asyncio.shield(self._rollback())
                raise
            try:
                await asyncio.shield(self._w.execute("COMMIT"))
            except sqlite3.Error as exc:
                await asyncio.shield(self._rollback())
                raise StoreError(f"Saving to the database failed: {exc}") from exc

    async def _rollback(self) -> None:
        try:
            await self._w.execute("ROLLBACK")
        except sqlite3.OperationalError as exc:  # nothing to roll back: BEGIN never ran or failed
            log.debug("rollback skipped: %s", exc)

    async def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        if self._closed:
            raise StoreError("The database is closed.")
        return list(await self._retry_busy(lambda: self._r.execute_fetchall(sql, params), self._busy_ms))

    async def _row(self, sql: str, params: Sequence[Any] = ()) -> Any:
        rows = await self._rows(sql, params)
        return rows[0] if rows else None

    async def check_integrity(self) -> list[str]:
        """``PRAGMA integrity_check`` and ``foreign_key_check`` problems; empty means healthy."""
        rows = await self._rows("PRAGMA integrity_check")
        problems = [str(r[0]) for r in rows if r[0] != "ok"]
        problems += [f"foreign key: {tuple(r)}" for r in await self._rows("PRAGMA foreign_key_check")]
        return problems

    # --- analyses ------------------------------------------------------------------------------------------

    async def save_analysis(
        self, guild_id: int, text: str, result: Result, *, engine_version: str, title: str | None = None,
        url: str | None = None, author_id: int | None = None, channel_id: int | None = None,
        message_link: str | None = None,
    ) -> StoredAnalysis:
        """Store a result, or return the stored one (``cached=True``) for the same text and engine version."""
        check_guild(guild_id)
        if not isinstance(text, str) or not text.strip():
            raise InputError("There is no text to save.")
        text, engine_version = no_surrogates(text), no_surrogates(engine_version)
        title, url, message_link = optional_text(title or result.title), optional_text(url), optional_text(message_link)
        digest = content_hash(text)
        async with self._write() as db:
            doc = await db.execute_fetchall(
                "SELECT id FROM documents WHERE guild_id = ? AND content_hash = ?", (guild_id, digest))
            if doc:
                doc_id = int(doc[0][0])
                found = await db.execute_fetchall(
                    _ANALYSIS_SELECT + "WHERE a.guild_id = ? AND a.document_id = ? AND a.engine_version = ? "
                    "ORDER BY a.seq DESC LIMIT 1", (guild_id, doc_id, engine_version))
                if found:
                    return self._analysis(found[0], cached=True)
            else:
                cur = await db.execute(
                    "INSERT INTO documents (guild_id, content_hash, text, title, url, site, author_id, channel_id,"
                    " message_link, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (guild_id, digest, text, title, url, site_of(url), author_id, channel_id, message_link,
                     to_db_time(utcnow())))
                doc_id = int(cur.lastrowid or 0)
            short_id, created, flag_ids = await self._insert_analysis(db, guild_id, doc_id, text, result,
                                                                      engine_version)
            if doc:
                await self._supersede(db, guild_id, doc_id, short_id)
            meta = await db.execute_fetchall(
                "SELECT title, url, author_id, channel_id, message_link FROM documents WHERE id = ?", (doc_id,))
        m = meta[0]
        return StoredAnalysis(short_id, guild_id, doc_id, m[0], m[1], m[2], m[3], m[4], engine_version,
                              created, result, flag_ids)

    async def _insert_analysis(
        self, db: aiosqlite.Connection, guild_id: int, doc_id: int, text: str, result: Result, engine_version: str,
    ) -> tuple[str, datetime, tuple[int, ...]]:
        created = utcnow()
        stamp = to_db_time(created)
        stats = Stats.count(result.attributions)  # recount: a hand-built Result may carry zeroed stats
        payload = no_surrogates(json.dumps(result.to_dict(), ensure_ascii=False))
        for attempt in range(ID_RETRIES):
            short_id = new_short_id()
            try:
                await db.execute(
                    "INSERT INTO analyses (id, guild_id, document_id, engine_version, result_json, n_named,"
                    " n_anonymous, n_vague, n_pronoun, n_none, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (short_id, guild_id, doc_id, engine_version, payload, stats.named, stats.anonymous,
                     stats.vague, stats.pronoun, stats.no_source, stamp))
                break
            except sqlite3.IntegrityError as exc:
                if "analyses.id" not in str(exc) or attempt == ID_RETRIES - 1:
                    raise
        rows = [
            (guild_id, short_id, pos, f.category, f.severity, SEVERITY_RANK.get(f.severity, 0), f.start, f.end,
             no_surrogates(f.evidence.text), no_surrogates(f.reason), text[f.start:f.end], stamp)
            for pos, f in enumerate(result.flags)
        ]
        await db.executemany(
            "INSERT INTO flags (guild_id, analysis_id, position, category, severity, severity_rank, span_start,"
            " span_end, evidence, reason, sentence, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        ids = await db.execute_fetchall(
            "SELECT id FROM flags WHERE analysis_id = ? ORDER BY position", (short_id,))
        return short_id, created, tuple(int(r[0]) for r in ids)

    async def _supersede(self, db: aiosqlite.Connection, guild_id: int, doc_id: int, new_id: str) -> None:
        """Take the document's older analyses' still-pending flags out of the queue, each with an audit line.

        Confirmed and dismissed flags keep their verdicts: only the undecided ones are replaced by the flags of
        the analysis just saved.
        """
        stale = await db.execute_fetchall(
            "SELECT f.id FROM flags AS f JOIN analyses AS a ON a.id = f.analysis_id AND a.guild_id = f.guild_id "
            "WHERE a.document_id = ? AND a.guild_id = ? AND a.id <> ? AND f.status = 'pending' ORDER BY f.id",
            (doc_id, guild_id, new_id))
        now = to_db_time(utcnow())
        for (flag_id,) in stale:
            await db.execute(
                "UPDATE flags SET status = 'superseded', reviewed_at = ?, superseded_by = ? "
                "WHERE id = ? AND guild_id = ? AND status = 'pending'", (now, new_id, flag_id, guild_id))
            await self._event(db, guild_id, flag_id, "superseded", None, None, f"Replaced by analysis {new_id}", now)
        if stale:
            log.info("superseded %d pending flags in guild %d (analysis %s)", len(stale), guild_id, new_id)

    @staticmethod
    def _analysis(row: Sequence[Any], *, cached: bool = False) -> StoredAnalysis:
        flag_ids = tuple(sorted(int(i) for i in row[11].split(","))) if row[11] else ()
        return StoredAnalysis(
            id=row[0], guild_id=row[1], document_id=row[2], title=row[3], url=row[4], author_id=row[5],
            channel_id=row[6], message_link=row[7], engine_version=row[8],
            created_at=from_db_time(row[9]) or utcnow(), result=Result.from_dict(json.loads(row[10])),
            flag_ids=flag_ids, cached=cached,
        )

    async def find_cached(self, guild_id: int, text: str, engine_version: str) -> StoredAnalysis | None:
        """The stored analysis of this text (normalised) by this engine version, if any."""
        check_guild(guild_id)
        row = await self._row(
            _ANALYSIS_SELECT + "WHERE d.guild_id = ? AND d.content_hash = ? AND a.guild_id = ? "
            "AND a.engine_version = ? ORDER BY a.seq DESC LIMIT 1",
            (guild_id, content_hash(text), guild_id, engine_version))
        return self._analysis(row, cached=True) if row else None

    async def find_by_url(
        self, guild_id: int, url: str, *, max_age_seconds: int, engine_version: str,
    ) -> StoredAnalysis | None:
        """A recent analysis of the same link, so a link posted twice is not fetched twice."""
        check_guild(guild_id)
        cutoff = to_db_time(utcnow() - timedelta(seconds=max(0, int(max_age_seconds))))
        row = await self._row(
            _ANALYSIS_SELECT + "WHERE d.guild_id = ? AND d.url = ? AND a.guild_id = ? AND a.engine_version = ? "
            "AND a.created_at >= ? ORDER BY a.seq DESC LIMIT 1",
            (guild_id, url, guild_id, engine_version, cutoff))
        return self._analysis(row, cached=True) if row else None

    async def get_analysis(self, guild_id: int, analysis_id: str) -> StoredAnalysis | None:
        """Look up an analysis by its short id, in this guild only."""
        check_guild(guild_id)
        short_id = clean_short_id(analysis_id)
        if short_id is None:
            return None
        row = await self._row(_ANALYSIS_SELECT + "WHERE a.id = ? AND a.guild_id = ?", (short_id, guild_id))
        return self._analysis(row) if row else None

    async def get_text(self, guild_id: int, analysis_id: str) -> str | None:
        """The analysed text behind an analysis (for re-rendering a report), in this guild only."""
        check_guild(guild_id)
        short_id = clean_short_id(analysis_id)
        row = await self._row(
            "SELECT d.text FROM analyses AS a JOIN documents AS d ON d.id = a.document_id "
            "WHERE a.id = ? AND a.guild_id = ? AND d.guild_id = ?", (short_id, guild_id, guild_id))
        return str(row[0]) if row else None

    async def recent(self, guild_id: int, *, limit: int = 10) -> list[StoredAnalysis]:
        """The newest analyses in this guild."""
        check_guild(guild_id)
        rows = await self._rows(_ANALYSIS_SELECT + "WHERE a.guild_id = ? ORDER BY a.seq DESC LIMIT ?",
                                (guild_id, max(0, min(int(limit), 100))))
        return [self._analysis(r) for r in rows]

    # --- search ---------------------------------------------------------------------------------------------

    async def search(self, guild_id: int, query: str, *, limit: int = 5, offset: int = 0) -> list[SearchHit]:
        """Full-text search of titles, summaries and texts, best match first; any input is safe.

        bm25 ranks only the guild's SEARCH_CANDIDATES most recent matches, which bounds the per-row work
        for a common word in a big guild (FTS5 still counts each term's documents once per query).
        """
        check_guild(guild_id)
        terms = fts_query(query)
        if terms is None:
            return []
        match = guild_match(guild_id, terms)
        limit, offset = max(0, min(int(limit), 50)), max(0, int(offset))
        rows = await self._rows(
            f"WITH cand AS MATERIALIZED (SELECT rowid AS rid, {BM25} AS score FROM analyses_fts "  # noqa: S608
            " WHERE analyses_fts MATCH ? ORDER BY rowid DESC LIMIT ?), "
            "top AS (SELECT rid, score FROM cand ORDER BY score, rid DESC LIMIT ? OFFSET ?) "
            f"SELECT a.id, d.title, d.url, {SNIPPET}, a.created_at, top.score FROM top "
            "JOIN analyses_fts ON analyses_fts.rowid = top.rid "
            "JOIN analyses AS a ON a.seq = top.rid JOIN documents AS d ON d.id = a.document_id "
            "WHERE analyses_fts MATCH ? AND a.guild_id = ? AND d.guild_id = ? ORDER BY top.score, top.rid DESC",
            (match, SEARCH_CANDIDATES, limit, offset, match, guild_id, guild_id))
        return [SearchHit(r[0], r[1], r[2], r[3], from_db_time(r[4]) or utcnow(), float(r[5])) for r in rows]

    async def count_search(self, guild_id: int, query: str) -> int:
        """How many analyses in this guild match ``query`` (for paging; pages stop at SEARCH_CANDIDATES)."""
        check_guild(guild_id)
        terms = fts_query(query)
        if terms is None:
            return 0
        row = await self._row("SELECT count(*) FROM analyses_fts WHERE analyses_fts MATCH ?",
                              (guild_match(guild_id, terms),))
        return int(row[0])

    # --- statistics -----------------------------------------------------------------------------------------

    async def guild_stats(self, guild_id: int) -> GuildStats:
        """Counts for the server scorecard, each document's latest analysis only."""
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
            f"total(n_anonymous + n_vague + n_none) {latest} AND d.site IS NOT NULL "
            "GROUP BY d.site ORDER BY count(*) DESC, d.site LIMIT 25", (guild_id,))
        by_status = await self._rows(
            "SELECT status, count(*) FROM flags WHERE guild_id = ? GROUP BY status", (guild_id,))
        by_category = await self._rows(
            "SELECT category, count(*) FROM flags WHERE guild_id = ? GROUP BY category ORDER BY category",
            (guild_id,))
        return GuildStats(
            guild_id=guild_id, documents=int(totals[0]), analyses=int(totals[1]),
            attributions={k: int(v) for k, v in zip(kinds, totals[2:], strict=True)},
            sites=tuple(SiteStats(r[0], int(r[1]), int(r[2]), int(r[3])) for r in sites),
            flags_by_status={s: 0 for s in STATUSES} | {r[0]: int(r[1]) for r in by_status},
            flags_by_category={r[0]: int(r[1]) for r in by_category},
        )

    # --- flags and review -----------------------------------------------------------------------------------

    @staticmethod
    def _flag(row: Sequence[Any]) -> StoredFlag:
        return StoredFlag(
            id=row[0], guild_id=row[1], analysis_id=row[2], category=row[3], severity=row[4], start=row[5],
            end=row[6], evidence=row[7], reason=row[8], sentence=row[9], status=row[10], reviewer_id=row[11],
            reviewer_name=row[12], reviewed_at=from_db_time(row[13]), note=row[14], review_channel_id=row[15],
            review_message_id=row[16], created_at=from_db_time(row[17]) or utcnow(), superseded_by=row[18],
        )

    async def get_flag(self, guild_id: int, flag_id: int) -> StoredFlag | None:
        """One flag, in this guild only."""
        check_guild(guild_id)
        row = await self._row(_FLAG_SELECT + "WHERE id = ? AND guild_id = ?", (int(flag_id), guild_id))
        return self._flag(row) if row else None

    async def flags_for_analysis(self, guild_id: int, analysis_id: str) -> list[StoredFlag]:
        """An analysis's flags in the order the engine gave them."""
        check_guild(guild_id)
        rows = await self._rows(_FLAG_SELECT + "WHERE analysis_id = ? AND guild_id = ? ORDER BY position",
                                (clean_short_id(analysis_id), guild_id))
        return [self._flag(r) for r in rows]

    async def pending_flags(
        self, guild_id: int, *, limit: int = 10, offset: int = 0, min_severity: str = "low",
    ) -> list[StoredFlag]:
        """The review queue: most severe first, then oldest first."""
        check_guild(guild_id)
        rows = await self._rows(
            _FLAG_SELECT + "WHERE guild_id = ? AND status = 'pending' AND severity_rank >= ? "
            "ORDER BY severity_rank DESC, id LIMIT ? OFFSET ?",
            (guild_id, severity_rank(min_severity), max(0, min(int(limit), 100)), max(0, int(offset))))
        return [self._flag(r) for r in rows]

    async def count_pending(self, guild_id: int, *, min_severity: str = "low") -> int:
        """How many flags wait for review at or above ``min_severity``."""
        check_guild(guild_id)
        row = await self._row(
            "SELECT count(*) FROM flags WHERE guild_id = ? AND status = 'pending' AND severity_rank >= ?",
            (guild_id, severity_rank(min_severity)))
        return int(row[0])

    async def review_flag(
        self, guild_id: int, flag_id: int, *, status: Literal["confirmed", "dismissed"], reviewer_id: int,
        reviewer_name: str, note: str | None = None,
    ) -> StoredFlag:
        """Confirm or dismiss a pending flag; exactly one of two racing moderators wins."""
        check_guild(guild_id)
        if status not in ("confirmed", "dismissed"):
            raise InputError("A review must confirm or dismiss the flag.")
        reviewer_name, note = no_surrogates(str(reviewer_name)), optional_text(note)
        async with self._write() as db:
            now = to_db_time(utcnow())
            cur = await db.execute(
                "UPDATE flags SET status = ?, reviewer_id = ?, reviewer_name = ?, reviewed_at = ?, "
                "note = coalesce(?, note) WHERE id = ? AND guild_id = ? AND status = 'pending'",
                (status, reviewer_id, reviewer_name, now, note, int(flag_id), guild_id))
            if cur.rowcount == 1:
                await self._event(db, guild_id, flag_id, status, reviewer_id, reviewer_name, note, now)
            rows = await db.execute_fetchall(_FLAG_SELECT + "WHERE id = ? AND guild_id = ?", (int(flag_id), guild_id))
        if not rows:
            raise NotFoundError(f"No flag #{flag_id} in this server.")
        flag = self._flag(rows[0])
        if cur.rowcount != 1 and flag.status == "superseded":
            raise FlagSuperseded(flag.superseded_by)
        if cur.rowcount != 1:
            raise AlreadyReviewed(flag.reviewer_name or "another moderator", flag.status)
        return flag

    @staticmethod
    async def _event(db: aiosqlite.Connection, guild_id: int, flag_id: int, action: str, actor_id: int | None,
                     actor_name: str | None, note: str | None, stamp: str) -> None:
        await db.execute(
            "INSERT INTO review_events (guild_id, flag_id, action, actor_id, actor_name, note, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)", (guild_id, int(flag_id), action, actor_id, actor_name, note, stamp))

    async def add_note(
        self, guild_id: int, flag_id: int, *, reviewer_id: int, reviewer_name: str, note: str,
    ) -> StoredFlag:
        """Attach a note to a flag (any status); the log keeps every note, the flag shows the latest."""
        check_guild(guild_id)
        if not isinstance(note, str) or not note.strip():
            raise InputError("The note is empty.")
        reviewer_name, note = no_surrogates(str(reviewer_name)), no_surrogates(note)
        async with self._write() as db:
            now = to_db_time(utcnow())
            cur = await db.execute("UPDATE flags SET note = ? WHERE id = ? AND guild_id = ?",
                                   (note, int(flag_id), guild_id))
            if cur.rowcount != 1:
                raise NotFoundError(f"No flag #{flag_id} in this server.")
            await self._event(db, guild_id, flag_id, "note", reviewer_id, reviewer_name, note, now)
            rows = await db.execute_fetchall(_FLAG_SELECT + "WHERE id = ? AND guild_id = ?", (int(flag_id), guild_id))
        return self._flag(rows[0])

    async def set_review_message(self, guild_id: int, flag_id: int, channel_id: int, message_id: int) -> None:
        """Remember where the flag's review card was posted, so buttons and edits can find it again."""
        check_guild(guild_id)
        async with self._write() as db:
            cur = await db.execute(
                "UPDATE flags SET review_channel_id = ?, review_message_id = ? WHERE id = ? AND guild_id = ?",
                (channel_id, message_id, int(flag_id), guild_id))
            if cur.rowcount != 1:
                raise NotFoundError(f"No flag #{flag_id} in this server.")
            await self._event(db, guild_id, flag_id, "posted", None, None, None, to_db_time(utcnow()))

    async def review_events(self, guild_id: int, flag_id: int) -> list[ReviewEvent]:
        """A flag's audit log, oldest first."""
        check_guild(guild_id)
        rows = await self._rows(
            "SELECT id, guild_id, flag_id, action, actor_id, actor_name, note, created_at FROM review_events "
            "WHERE guild_id = ? AND flag_id = ? ORDER BY id", (guild_id, int(flag_id)))
        return [ReviewEvent(r[0], r[1], r[2], r[3], r[4], r[5], r[6], from_db_time(r[7]) or utcnow()) for r in rows]

    async def review_stats(self, guild_id: int) -> dict[str, int]:
        """Flags by status (``pending``, ``confirmed``, ``dismissed``) and by category (``category:NAME``)."""
        check_guild(guild_id)
        out = {s: 0 for s in STATUSES}
        for status, n in await self._rows(
                "SELECT status, count(*) FROM flags WHERE guild_id = ? GROUP BY status", (guild_id,)):
            out[status] = int(n)
        for category, n in await self._rows(
                "SELECT category, count(*) FROM flags WHERE guild_id = ? GROUP BY category", (guild_id,)):
            out[f"category:{category}"] = int(n)
        return out

    # --- export ---------------------------------------------------------------------------------------------

    async def export_flags(
        self, guild_id: int, out: TextIO, *, fmt: Literal["csv", "jsonl"], status: str | None = None,
        category: str | None = None, since: datetime | None = None, until: datetime | None = None,
    ) -> int:
        """Write this guild's flags (filtered) to ``out`` page by page; returns the number of rows."""
        check_guild(guild_id)
        check_export_filters(fmt, status, category)
        where, params = ["f.guild_id = ?"], [guild_id]
        for clause, value in (("f.status = ?", status), ("f.category = ?", category),
                              ("f.created_at >= ?", since and to_db_time(since)),
                              ("f.created_at < ?", until and to_db_time(until))):
            if value is not None:
                where.append(clause)
                params.append(value)
        writer = csv.writer(out) if fmt == "csv" else None
        if writer:
            writer.writerow(EXPORT_COLUMNS)
        count = 0
        async with self._r.execute(
            "SELECT f.id, f.analysis_id, f.category, f.severity, f.status, f.span_start, f.span_end, f.evidence,"  # noqa: S608
            " f.reason, f.sentence, f.reviewer_id, f.reviewer_name, f.reviewed_at, f.note, f.created_at,"
            " d.title, d.url, d.message_link FROM flags AS f JOIN analyses AS a ON a.id = f.analysis_id"
            " JOIN documents AS d ON d.id = a.document_id"
            f" WHERE {' AND '.join(where)} AND a.guild_id = f.guild_id AND d.guild_id = f.guild_id ORDER BY f.id",
            params,
        ) as cur:
            while page := await cur.fetchmany(EXPORT_PAGE):
                for row in page:
                    if writer:
                        writer.writerow([csv_cell(v) for v in row])
                    else:
                        out.write(json.dumps(dict(zip(EXPORT_COLUMNS, row, strict=True))) + "\n")
                count += len(page)
        return count

    # --- settings and privacy -------------------------------------------------------------------------------

    async def get_settings(self, guild_id: int) -> GuildSettings:
        """This guild's settings, or the defaults when it never changed any."""
        check_guild(guild_id)
        row = await self._row(
            f"SELECT {', '.join(SETTING_KEYS)} FROM guild_settings WHERE guild_id = ?", (guild_id,))  # noqa: S608
        if row is None:
            return GuildSettings(guild_id)
        values = dict(zip(SETTING_KEYS, row, strict=True))
        values["autoreply_channel_ids"] = frozenset(json.loads(values["autoreply_channel_ids"] or "[]"))
        return GuildSettings(guild_id, **values)

    async def update_settings(self, guild_id: int, **changes: Any) -> GuildSettings:
        """Validate and save some settings; the others keep their values."""
        check_guild(guild_id)
        values = validate_settings(changes)
        if "autoreply_channel_ids" in values:
            values["autoreply_channel_ids"] = json.dumps(values["autoreply_channel_ids"])
        if values:
            cols = list(values)  # validated names from SETTING_KEYS only, never user text
            async with self._write() as db:
                await db.execute(
                    f"INSERT INTO guild_settings (guild_id, updated_at, {', '.join(cols)}) "  # noqa: S608
                    f"VALUES (?, ?, {', '.join('?' for _ in cols)}) ON CONFLICT (guild_id) DO UPDATE SET "
                    f"updated_at = excluded.updated_at, {', '.join(f'{c} = excluded.{c}' for c in cols)}",
                    (guild_id, to_db_time(utcnow()), *values.values()))
        return await self.get_settings(guild_id)

    async def set_opt_out(self, guild_id: int, user_id: int, opted_out: bool) -> None:
        """Record (or lift) a member's wish that Byline does not analyse or keep their messages."""
        check_guild(guild_id)
        async with self._write() as db:
            if opted_out:
                await db.execute("INSERT OR IGNORE INTO opt_outs (guild_id, user_id, created_at) VALUES (?, ?, ?)",
                                 (guild_id, int(user_id), to_db_time(utcnow())))
            else:
                await db.execute("DELETE FROM opt_outs WHERE guild_id = ? AND user_id = ?", (guild_id, int(user_id)))

    async def is_opted_out(self, guild_id: int, user_id: int) -> bool:
        """Whether a member opted out in this guild."""
        check_guild(guild_id)
        row = await self._row("SELECT 1 FROM opt_outs WHERE guild_id = ? AND user_id = ?", (guild_id, int(user_id)))
        return row is not None

    async def forget_user(self, guild_id: int, user_id: int) -> int:
        """Erase a member from this guild: their documents go, and where they reviewed, only their name goes.

        Documents they shared cascade to analyses, flags, those flags' audit log and search rows. Their
        verdicts and notes on other members' flags stay (the moderation record needs them) under a neutral
        placeholder id and name. An opt-out row is kept: it is what keeps honouring their wish.
        """
        check_guild(guild_id)
        user_id = int(user_id)
        if user_id < 0:
            raise InputError(f"Invalid user id: {user_id}.")
        reviews = events = 0
        async with self._write() as db:
            cur = await db.execute("DELETE FROM documents WHERE guild_id = ? AND author_id = ?", (guild_id, user_id))
            deleted = max(0, cur.rowcount)
            if user_id != FORGOTTEN_ID:  # id 0 already is the placeholder (and the CLI's author-less documents)
                reviews = (await db.execute(
                    "UPDATE flags SET reviewer_id = ?, reviewer_name = ? WHERE guild_id = ? AND reviewer_id = ?",
                    (FORGOTTEN_ID, FORGOTTEN_NAME, guild_id, user_id))).rowcount
                events = (await db.execute(
                    "UPDATE review_events SET actor_id = ?, actor_name = ? WHERE guild_id = ? AND actor_id = ?",
                    (FORGOTTEN_ID, FORGOTTEN_NAME, guild_id, user_id))).rowcount
            if deleted:  # rewrite the search index so no old segment still holds the deleted text's terms
                await db.execute("INSERT INTO analyses_fts (analyses_fts) VALUES ('optimize')")
        await self._checkpoint()
        log.info("forgot a user in guild %d: %d documents deleted, %d reviews and %d audit lines anonymised",
                 guild_id, deleted, max(0, reviews), max(0, events))
        return deleted

    async def _checkpoint(self) -> None:
        """Copy the WAL into the main file and empty it, so erased rows' old page images do not linger there."""
        async with self._lock:
            try:
                await self._w.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.OperationalError as exc:  # a busy reader only delays it; the next checkpoint catches up
                log.warning("checkpoint after forget skipped: %s", exc)

    async def prune(self, *, now: datetime | None = None) -> int:
        """Delete documents older than each guild's ``retention_days``; returns how many went."""
        now = now or utcnow()
        total = 0
        for guild_id, days in await self._rows(
                "SELECT guild_id, retention_days FROM guild_settings WHERE retention_days IS NOT NULL"):
            cutoff = days_ago(now, int(days))
            while True:  # small batches, so the bot's own writes are never held up for long
                async with self._write() as db:
                    cur = await db.execute(
                        "DELETE FROM documents WHERE id IN (SELECT id FROM documents WHERE guild_id = ? "
                        "AND created_at < ? LIMIT ?)", (guild_id, cutoff, PRUNE_BATCH))
                    deleted = max(0, cur.rowcount)
                total += deleted
                if deleted < PRUNE_BATCH:
                    break
        log.info("pruned %d documents past their guild's retention", total)
        return total
