"""The store's connections, transactions and migrations: what every part of ``bot.store.Store`` builds on.

One long-lived writer connection per store (an asyncio lock keeps each write transaction whole), a second
connection for reads, so a long export never holds up the bot's writes, and a third for full-text searches, so a
search that walks much of the index never holds up the quick reads (settings, opt-outs, button clicks). Writes
start with ``BEGIN IMMEDIATE``, which takes the write lock up front: with WAL and a busy timeout, several processes
can share one file without "database is locked" surprises.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sqlite3
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator, Sequence
from pathlib import Path
from typing import Any, Generic, Self, TypeVar

import aiosqlite

from bot.errors import StoreError
from bot.store_types import (
    GuildSettings,
    is_busy,
    migrations,
    severity_rank,
    split_statements,
)

log = logging.getLogger(__name__)

BUSY_RETRIES = 8
# Tables migration 0001 creates and no later one removes: a file with all of them and a schema version is Byline's.
BYLINE_TABLES = ("documents", "analyses", "flags", "review_events", "guild_settings", "opt_outs")
# SQLite's primary result codes for a file that is damaged or cannot be read: no retry and no other query helps.
_BROKEN_FILE = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_IOERR})
# After a forget, how long to wait (in SQLite's busy handler) for readers to leave the WAL before giving up.
CHECKPOINT_WAIT_MS = 1000

S = TypeVar("S", bound="StoreBase")


def _check_openable(path: str) -> None:
    """Refuse what SQLite could not open, before aiosqlite starts a thread for it."""
    if path == ":memory:" or path.startswith("file::memory:"):
        return
    file = Path(path)
    if file.is_dir():
        raise StoreError(f"Cannot open the database {path}: it is a folder, not a file.")
    if file.exists() and not os.access(file, os.R_OK):
        raise StoreError(f"Cannot open the database {path}: permission denied.")
    if not file.exists() and not os.access(file.parent, os.W_OK | os.X_OK):
        raise StoreError(f"Cannot create the database {path}: its folder is not writable.")


def is_broken_file(exc: BaseException) -> bool:
    """Whether SQLite said the file itself is unusable (corrupt, not a database, unreadable), not the query wrong."""
    code = getattr(exc, "sqlite_errorcode", None)
    return isinstance(exc, sqlite3.DatabaseError) and isinstance(code, int) and code & 0xFF in _BROKEN_FILE


def _unusable(path: str, exc: BaseException) -> StoreError:
    """The one-line refusal for a file SQLite cannot use, naming a read-only location when that is the cause.

    In WAL mode SQLite must create ``-wal`` and ``-shm`` files beside the database even to read it, so a read-only
    folder (or file) fails with "attempt to write a readonly database" or "unable to open database file".
    """
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int) and code & 0xFF in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN):
        file = Path(path)
        if not os.access(file.parent, os.W_OK):
            return StoreError(f"Cannot use the database {path}: its folder is read-only, and SQLite needs to create "
                              f"{file.name}-wal and {file.name}-shm beside it. Copy it to a writable folder.")
        if file.exists() and not os.access(file, os.W_OK):
            return StoreError(f"Cannot use the database {path}: the file is read-only.")
    return StoreError(f"{path} is not a usable Byline database: {exc}")


def _newer_schema(path: str, current: int, latest: int) -> StoreError:
    return StoreError(f"The database {path} has schema version {current}, newer than this Byline understands "
                      f"({latest}). Upgrade Byline, or point store.path at another file.")


class _Opener(Generic[S]):
    """What ``Store.open`` returns: ``await`` it for a store, or use ``async with`` to close it afterwards."""

    def __init__(self, factory: Callable[[], Awaitable[S]]) -> None:
        self._factory = factory
        self._store: S | None = None

    def __await__(self) -> Generator[Any, None, S]:
        return self._factory().__await__()

    async def __aenter__(self) -> S:
        self._store = await self._factory()
        return self._store

    async def __aexit__(self, *exc: object) -> None:
        if self._store is not None:
            await self._store.close()


class StoreBase:
    """Opening, migrating and closing the file, and the transaction and query plumbing the parts share."""

    def __init__(self, path: str, writer: aiosqlite.Connection, reader: aiosqlite.Connection, busy_ms: int) -> None:
        self.path = path
        self._w = writer
        self._r = reader
        self._s = reader  # searches; its own connection once the file is open (see ``_open``)
        self._busy_ms = busy_ms
        self._lock = asyncio.Lock()
        self._closed = False
        # How many forget-mes each (guild, member) had in this process: an analysis started before one must not be
        # saved after it. Kept in memory only (the race cannot outlive the process) so no member id is written.
        self._forgets: dict[tuple[int, int], int] = {}

    def forget_generation(self, guild_id: int, user_id: int | None) -> int:
        """Read before a long analysis and pass to ``save_analysis``, which refuses if a forget-me came between."""
        return self._forgets.get((guild_id, int(user_id or 0)), 0)

    @classmethod
    def open(cls: type[S], path: str | Path, *, busy_timeout_ms: int = 5000, migrate_to: int | None = None,
             existing_only: bool = False) -> _Opener[S]:
        """Open (creating if needed) and migrate the database; ``migrate_to`` stops early, for upgrade tests.

        ``existing_only`` is for tools that only read: they must not create a file, nor turn an empty file or
        another program's SQLite file into a Byline database because of a mistyped path. Such a file is refused,
        unchanged; an older Byline database is still upgraded.
        """
        return _Opener(lambda: cls._open(str(path), busy_timeout_ms, migrate_to, existing_only))

    @classmethod
    async def _open(cls: type[S], path: str, busy_ms: int, migrate_to: int | None, existing_only: bool) -> S:
        memory = path == ":memory:" or path.startswith("file::memory:")
        existing_only = existing_only and not memory  # an in-memory database is new and gone at close: no harm
        if existing_only and not Path(path).expanduser().exists():
            raise StoreError(f"No Byline database at {path}.")
        if not memory and not existing_only:
            try:
                Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"Cannot create the folder for the database {path}: {exc.strerror}") from None
        if not memory:
            path = str(Path(path).expanduser())
        writer = await cls._connect(path, busy_ms, existing_only=existing_only)
        store = cls(path, writer, writer, busy_ms)
        try:
            await store._migrate(migrate_to)
            if not memory:
                store._r = await cls._connect(path, busy_ms)
                store._s = await cls._connect(path, busy_ms)
            await store._after_open()
        except BaseException:
            for conn in {store._s, store._r}:
                if conn is not writer:
                    await conn.close()
            await writer.close()
            raise
        return store

    async def _after_open(self) -> None:
        """Finish what a migration could not do in SQL; the store's parts that have such work override this."""

    @contextlib.asynccontextmanager
    async def _long_reader(self) -> AsyncIterator[aiosqlite.Connection]:
        """A connection of its own for a read that pages through many rows (an export).

        A cursor left open holds its connection inside one read transaction; on the shared reader that would
        freeze every other read (card redraws, opt-out and moderator checks) at the moment the export began.
        An in-memory store has no file to open twice; it is only used in tests and reads in one go there.
        """
        if self._r is self._w:
            yield self._r
            return
        conn = await self._connect(self.path, self._busy_ms)
        try:
            yield conn
        finally:
            await conn.close()

    @staticmethod
    async def _connect(path: str, busy_ms: int, *, existing_only: bool = False) -> aiosqlite.Connection:
        _check_openable(path)  # refused here: a failed connect leaves aiosqlite's thread behind
        try:
            conn = await aiosqlite.connect(path, isolation_level=None, timeout=busy_ms / 1000)
        except sqlite3.Error as exc:
            raise StoreError(f"Cannot open the database {path}: {exc}") from None
        try:
            await conn.execute(f"PRAGMA busy_timeout = {int(busy_ms)}")
            version = await StoreBase._schema_version(conn)
            await StoreBase._refuse_foreign(conn, path, version, empty_ok=not existing_only)
            StoreBase._refuse_newer_schema(path, version)  # before WAL: a refused file is left as it was
            await conn.execute("PRAGMA foreign_keys = ON")
            await StoreBase._retry_busy(lambda: conn.execute("PRAGMA journal_mode = WAL"), busy_ms)
            await conn.execute("PRAGMA synchronous = FULL")
            await conn.execute_fetchall("PRAGMA secure_delete = ON")  # deleted rows are zeroed, not left in free pages
        except BaseException as exc:
            await conn.close()
            if isinstance(exc, sqlite3.DatabaseError):
                raise _unusable(path, exc) from None
            raise
        return conn

    @staticmethod
    async def _retry_busy(action: Callable[[], Any], busy_ms: int) -> Any:
        """Run ``action``; if SQLite reports busy at once (it does, without waiting, when two writers would
        deadlock), back off and try again, but never for longer than the configured busy timeout in all."""
        deadline = time.monotonic() + busy_ms / 1000
        for attempt in range(BUSY_RETRIES):
            try:
                return await action()
            except sqlite3.OperationalError as exc:
                if not is_busy(exc):
                    raise
                pause = min(0.05 * 2**attempt, 1.0)
                if attempt == BUSY_RETRIES - 1 or time.monotonic() + pause > deadline:
                    raise StoreError("The database stayed busy for too long; please try again.") from None
                log.debug("database busy (attempt %d), retrying", attempt + 1)
                await asyncio.sleep(pause)
        raise AssertionError("unreachable")

    @staticmethod
    async def _schema_version(conn: aiosqlite.Connection) -> int:
        async with conn.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    @staticmethod
    async def _refuse_foreign(conn: aiosqlite.Connection, path: str, version: int, *, empty_ok: bool) -> None:
        """Refuse, before anything is written, a file that is not a Byline database: one with a schema version of 0
        or without Byline's first tables (another program's SQLite file), whoever opens it (``--save`` and the bot
        too: they would add Byline's tables to it), and an empty one unless ``empty_ok`` (a new database)."""
        tables = {str(r[0]) for r in await conn.execute_fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        if version > 0 and tables.issuperset(BYLINE_TABLES):
            return
        if not tables and not version:
            if empty_ok:
                return
            raise StoreError(f"No Byline database at {path}: the file is empty.")
        raise StoreError(f"{path} is not a Byline database (it was left unchanged).")

    @staticmethod
    def _refuse_newer_schema(path: str, current: int) -> None:
        latest = len(migrations())
        if current > latest:
            raise _newer_schema(path, current, latest)

    async def _migrate(self, target: int | None) -> None:
        steps = migrations()
        latest = len(steps)
        target = latest if target is None else target
        current = await self._user_version()
        if current > latest:  # another process upgraded the file since this connection checked it
            raise _newer_schema(self.path, current, latest)
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
                broken = list(await db.execute_fetchall("PRAGMA foreign_key_check"))
                if broken:
                    raise sqlite3.IntegrityError(f"{len(broken)} rows would break a foreign key")
                await db.execute(f"PRAGMA user_version = {version}")
        except (sqlite3.Error, StoreError) as exc:
            cause = exc.__cause__ if isinstance(exc, StoreError) and exc.__cause__ is not None else exc
            raise StoreError(f"Upgrading the database to version {version} ({name}) failed and was "
                             f"rolled back: {cause}") from exc
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
            for conn in (self._s, self._r):
                if conn is not self._w:
                    await conn.close()
            await self._w.close()

    async def __aenter__(self) -> Self:
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
            except BaseException as exc:
                await asyncio.shield(self._rollback())
                if isinstance(exc, sqlite3.OperationalError):  # read-only file, full disk, I/O error
                    raise StoreError(f"Saving to the database failed: {exc}") from exc
                if is_broken_file(exc):  # a corrupt page met on the way
                    raise _unusable(self.path, exc) from exc
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

    async def _rows(self, sql: str, params: Sequence[Any] = (), *, search: bool = False) -> list[sqlite3.Row]:
        """Run a read on the shared reader, or with ``search`` on the searches' own connection."""
        if self._closed:
            raise StoreError("The database is closed.")
        conn = self._s if search else self._r
        with self._broken_file():
            return list(await self._retry_busy(lambda: conn.execute_fetchall(sql, params), self._busy_ms))

    @contextlib.contextmanager
    def _broken_file(self) -> Iterator[None]:
        """Turn SQLite's word that the file is corrupt or unreadable into one line naming the file: the user can
        only restore it or point Byline at another, and a traceback tells them neither."""
        try:
            yield
        except sqlite3.DatabaseError as exc:
            if not is_broken_file(exc):
                raise
            raise _unusable(self.path, exc) from exc

    async def _row(self, sql: str, params: Sequence[Any] = (), *, search: bool = False) -> Any:
        rows = await self._rows(sql, params, search=search)
        return rows[0] if rows else None

    async def check_integrity(self) -> list[str]:
        """``PRAGMA integrity_check`` and ``foreign_key_check`` problems; empty means healthy."""
        rows = await self._rows("PRAGMA integrity_check")
        problems = [str(r[0]) for r in rows if r[0] != "ok"]
        problems += [f"foreign key: {tuple(r)}" for r in await self._rows("PRAGMA foreign_key_check")]
        return problems

    async def _floor(self, guild_id: int, min_severity: str | None) -> int:
        """The lowest severity rank that counts: ``min_severity``, or else the guild's review threshold.

        Pending flags below the threshold are not posted, so by default they are not part of the queue: a count
        that included them would show moderators work that no button or command lets them do (a card posted
        before the threshold was raised is the exception; see ``bot.store_review.in_queue``).
        """
        if min_severity is None:
            row = await self._row("SELECT flag_threshold FROM guild_settings WHERE guild_id = ?", (guild_id,))
            min_severity = row[0] if row else GuildSettings(guild_id).flag_threshold
        return severity_rank(min_severity)

    @staticmethod
    async def _event(db: aiosqlite.Connection, guild_id: int, flag_id: int, action: str, actor_id: int | None,
                     actor_name: str | None, note: str | None, stamp: str) -> None:
        await db.execute(
            "INSERT INTO review_events (guild_id, flag_id, action, actor_id, actor_name, note, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)", (guild_id, int(flag_id), action, actor_id, actor_name, note, stamp))

    async def _checkpoint(self) -> bool:
        """Copy the WAL into the main file and empty it, so erased rows' old page images do not linger there.

        An open reader (an export, the CLI, another process) makes SQLite answer "busy" rather than raise. Wait
        briefly (the writer is held meanwhile), then say so: the erased pages stay in the log until a later
        checkpoint empties it.
        """
        async with self._lock:
            await self._w.execute(f"PRAGMA busy_timeout = {CHECKPOINT_WAIT_MS}")
            try:
                cursor = await self._w.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                row = await cursor.fetchone()
                problem = "a reader is open" if row is None or row[0] != 0 else None
            except sqlite3.OperationalError as exc:
                problem = str(exc)
            finally:
                await self._w.execute(f"PRAGMA busy_timeout = {self._busy_ms}")
        if problem is not None:
            log.warning("could not empty the write-ahead log after forgetting (%s); erased pages stay in it "
                        "until the next checkpoint", problem)
        return problem is None

