"""What leaves the database: flag exports, a member's forget-me, and retention pruning."""

from __future__ import annotations

import csv
import json
import logging
from datetime import datetime
from typing import IO, Any, Literal

from bot.errors import InputError
from bot.store_cards import CardRef, ForgetReport, PruneReport
from bot.store_cjk import CJK_TABLE
from bot.store_db import StoreBase
from bot.store_review import in_queue, queue_stale_cards
from bot.store_types import (
    FORGOTTEN_ID,
    FORGOTTEN_NAME,
    check_export_filters,
    check_guild,
    csv_cell,
    days_ago,
    to_db_time,
    utcnow,
)

log = logging.getLogger(__name__)


SEARCH_TABLES = ("analyses_fts", CJK_TABLE)

EXPORT_PAGE = 500
PRUNE_BATCH = 500
EXPORT_COLUMNS = (
    "id", "analysis_id", "category", "severity", "status", "start", "end", "evidence", "reason", "sentence",
    "reviewer_id", "reviewer_name", "reviewed_at", "note", "created_at", "title", "url", "message_link",
    "superseded_by", "verdict_from", "in_queue",
)


class RetentionStore(StoreBase):
    """Exporting, forgetting and pruning, each limited to the guilds it concerns."""

    # Whether a deleted text's words may still sit in an old search index segment (see ``compact_search``). True
    # when the store opens, since a process that stopped may have deleted something after its last compaction.
    _search_compact_due = True

    async def export_flags(
        self, guild_id: int, out: IO[str], *, fmt: Literal["csv", "jsonl"], status: str | None = None,
        category: str | None = None, since: datetime | None = None, until: datetime | None = None,
        min_severity: str | None = None,
    ) -> int:
        """Write this guild's flags (filtered) to ``out`` page by page; returns the number of rows.

        Every row says in ``in_queue`` whether the flag is in the review queue (pending at or above the threshold:
        ``min_severity``, by default the guild's). ``status="pending"`` exports exactly those, the flags that
        ``/review queue`` lists and counts; pending flags below the threshold are in the unfiltered export, with
        ``in_queue`` false.
        """
        check_guild(guild_id)
        check_export_filters(fmt, status, category)
        floor = await self._floor(guild_id, min_severity)
        where: list[str] = ["f.guild_id = ?"]
        params: list[Any] = [floor, guild_id]
        if status == "pending":
            where.append(f"({in_queue('f.')})")
            params.append(floor)
            status = None
        for clause, value in (("f.status = ?", status), ("f.category = ?", category),
                              ("f.created_at >= ?", since and to_db_time(since)),
                              ("f.created_at < ?", until and to_db_time(until))):
            if value is not None:
                where.append(clause)
                params.append(value)
        writer = csv.writer(out) if fmt == "csv" else None
        if writer:
            writer.writerow(EXPORT_COLUMNS)
        with self._broken_file():  # a corrupt page met half-way is one line too, not a traceback
            return await self._write_export(out, writer, where, params)

    async def _write_export(self, out: IO[str], writer: Any, where: list[str], params: list[Any]) -> int:
        """Page through the selected flags on a connection of its own, writing each page as it comes."""
        count = 0
        async with self._long_reader() as conn, conn.execute(
            "SELECT f.id, f.analysis_id, f.category, f.severity, f.status, f.span_start, f.span_end, f.evidence,"  # noqa: S608
            " f.reason, f.sentence, f.reviewer_id, f.reviewer_name, f.reviewed_at, f.note, f.created_at,"
            " d.title, d.url, d.message_link, f.superseded_by, f.verdict_from,"
            f" {in_queue('f.')} AS in_queue"
            " FROM flags AS f JOIN analyses AS a ON a.id = f.analysis_id JOIN documents AS d ON d.id = a.document_id"
            f" WHERE {' AND '.join(where)} AND a.guild_id = f.guild_id AND d.guild_id = f.guild_id ORDER BY f.id",
            params,
        ) as cur:
            while page := list(await cur.fetchmany(EXPORT_PAGE)):
                for row in page:
                    values = [*row[:-1], bool(row[-1])]
                    if writer:
                        writer.writerow([csv_cell(v) for v in values[:-1]] + [str(values[-1]).lower()])
                    else:
                        out.write(json.dumps(dict(zip(EXPORT_COLUMNS, values, strict=True))) + "\n")
                count += len(page)
        return count

    async def forget_user(self, guild_id: int, user_id: int) -> ForgetReport:
        """Erase a member from this guild: their documents go, and where they reviewed, only their name goes.

        Documents they shared cascade to analyses, flags, those flags' audit log and search rows. Their
        verdicts and notes on other members' flags stay (the moderation record needs them) under a neutral
        placeholder id and name. An opt-out row is kept: it is what keeps honouring their wish. The posted
        review cards that still show the member go on the clean-up list in the same transaction, so the bot
        empties or re-draws them even if it is down right now.
        """
        check_guild(guild_id)
        user_id = int(user_id)
        if user_id < 0:
            raise InputError(f"Invalid user id: {user_id}.")
        reviews = events = 0
        async with self._write() as db:
            key = (guild_id, user_id)
            self._forgets[key] = self._forgets.get(key, 0) + 1  # under the write lock, as save_analysis checks it
            removed = await self._cards(
                db, "FROM flags AS f JOIN analyses AS a ON a.id = f.analysis_id JOIN documents AS d"
                " ON d.id = a.document_id WHERE f.guild_id = ? AND d.guild_id = ? AND d.author_id = ?",
                (guild_id, guild_id, user_id))
            await queue_stale_cards(db, guild_id, removed, "forget")
            replies = tuple(CardRef(int(c), int(m)) for c, m in await db.execute_fetchall(
                "SELECT DISTINCT r.channel_id, r.message_id FROM replies AS r JOIN documents AS d"
                " ON d.id = r.document_id WHERE r.guild_id = ? AND d.guild_id = ? AND d.author_id = ?"
                " ORDER BY r.message_id",
                (guild_id, guild_id, user_id)))
            await queue_stale_cards(db, guild_id, replies, "reply")
            if replies:  # those messages go whole: other members' articles they listed no longer need them
                marks = ", ".join("?" * len(replies))
                await db.execute(f"DELETE FROM replies WHERE guild_id = ? AND message_id IN ({marks})",  # noqa: S608
                                 (guild_id, *(r.message_id for r in replies)))
            cur = await db.execute("DELETE FROM documents WHERE guild_id = ? AND author_id = ?", (guild_id, user_id))
            deleted = max(0, cur.rowcount)
            anonymised: tuple[CardRef, ...] = ()
            if user_id != FORGOTTEN_ID:  # id 0 already is the placeholder (and the CLI's author-less documents)
                anonymised = await self._cards(db, "FROM flags AS f WHERE f.guild_id = ? AND f.reviewer_id = ?",
                                               (guild_id, user_id))
                await queue_stale_cards(db, guild_id, anonymised, "redraw")
                reviews = (await db.execute(
                    "UPDATE flags SET reviewer_id = ?, reviewer_name = ? WHERE guild_id = ? AND reviewer_id = ?",
                    (FORGOTTEN_ID, FORGOTTEN_NAME, guild_id, user_id))).rowcount
                events = (await db.execute(
                    "UPDATE review_events SET actor_id = ?, actor_name = ? WHERE guild_id = ? AND actor_id = ?",
                    (FORGOTTEN_ID, FORGOTTEN_NAME, guild_id, user_id))).rowcount
        if deleted:  # its search rows are gone; the words left in old index segments go in the next compaction
            self._search_compact_due = True
        if deleted or reviews > 0 or events > 0:  # erased pages to push out of the log; a forget of nothing has none
            await self._checkpoint()
        log.info("forgot a user in guild %d: %d documents deleted, %d reviews and %d audit lines anonymised, "
                 "%d + %d review cards to re-draw, %d replies to delete", guild_id, deleted, max(0, reviews),
                 max(0, events), len(removed), len(anonymised), len(replies))
        return ForgetReport(deleted, removed, anonymised, replies)

    @staticmethod
    async def _cards(db: Any, source: str, params: tuple[Any, ...]) -> tuple[CardRef, ...]:
        """The distinct posted cards among the flags ``source`` (a FROM ... WHERE clause over ``f``) selects."""
        rows = await db.execute_fetchall(
            "SELECT DISTINCT f.review_channel_id, f.review_message_id "  # the + keeps the card index out of it
            + source + " AND +f.review_message_id IS NOT NULL AND f.review_channel_id IS NOT NULL"
            " ORDER BY f.review_message_id", params)
        return tuple(CardRef(int(channel), int(message)) for channel, message in rows)

    async def prune(self, *, now: datetime | None = None) -> PruneReport:
        """Delete the analyses older than each guild's ``retention_days``, with their flags; their posted cards go on
        the clean-up list. A document goes with its last analysis, not before.

        Age is the analysis's own time, not the document's: an article first shared long ago and analysed again
        yesterday (a new engine version) keeps yesterday's analysis, its flags and their place in the review queue.

        Then, if anything was deleted since the last one (here, by a forget-me, or before this process started),
        compact the search indexes (``compact_search``): the bot runs this every hour, so a deleted text's words
        leave the index within the hour, at the cost of one compaction an hour however many forget-mes came.
        """
        now = now or utcnow()
        analyses = documents = 0
        cards: dict[int, tuple[CardRef, ...]] = {}
        for guild_id, days in await self._rows(
                "SELECT guild_id, retention_days FROM guild_settings WHERE retention_days IS NOT NULL"):
            cutoff = days_ago(now, int(days))
            while True:  # small batches, so the bot's own writes are never held up for long
                async with self._write() as db:
                    gone, docs, found = await self._prune_batch(db, guild_id, cutoff)
                if found:
                    cards[guild_id] = cards.get(guild_id, ()) + found
                analyses += gone
                documents += docs
                if gone < PRUNE_BATCH:
                    break
        log.info("pruned %d analyses and %d documents past their guild's retention", analyses, documents)
        if analyses:
            self._search_compact_due = True
        if self._search_compact_due:
            await self.compact_search()
        return PruneReport(documents, {g: c for g, c in cards.items() if c}, analyses=analyses)

    async def _prune_batch(self, db: Any, guild_id: int, cutoff: str) -> tuple[int, int, tuple[CardRef, ...]]:
        """Delete up to PRUNE_BATCH of the guild's analyses made before ``cutoff``, then the documents left with none.

        Returns the analyses and documents deleted and the posted cards of the deleted flags (listed for clean-up
        here, in the same transaction). A card that also shows a kept flag is re-drawn with it, not emptied.
        """
        rows = list(await db.execute_fetchall(
            "SELECT id, document_id FROM analyses WHERE guild_id = ? AND created_at < ? ORDER BY created_at LIMIT ?",
            (guild_id, cutoff, PRUNE_BATCH)))
        if not rows:
            return 0, 0, ()
        ids, docs = [r[0] for r in rows], sorted({int(r[1]) for r in rows})
        marks, doc_marks = ", ".join("?" * len(ids)), ", ".join("?" * len(docs))
        found = await self._cards(db, f"FROM flags AS f WHERE f.guild_id = ? AND f.analysis_id IN ({marks})",
                                  (guild_id, *ids))
        await queue_stale_cards(db, guild_id, found, "retention")
        await db.execute(f"DELETE FROM analyses WHERE guild_id = ? AND id IN ({marks})", (guild_id, *ids))  # noqa: S608
        cur = await db.execute(
            f"DELETE FROM documents WHERE guild_id = ? AND id IN ({doc_marks}) "  # noqa: S608
            "AND NOT EXISTS (SELECT 1 FROM analyses AS a WHERE a.document_id = documents.id)", (guild_id, *docs))
        return len(ids), max(0, cur.rowcount), found

    async def compact_search(self) -> None:
        """Rewrite both search indexes into one segment each, so no old segment keeps a deleted text's words.

        Deleting a row takes it out of every search at once, but FTS5 only records the deletion: the text's words,
        with their positions, stay in the older index segments until those are merged with the record. Only a
        full merge ('optimize') reaches them all, and it rewrites every guild's index while every other write
        waits (about two seconds on a file of 900 MB), so it runs here, from the retention round, at most once a
        round, not on every forget-me. (A merge in small steps would free the lock between them, but each save
        landing meanwhile restarts it from the whole index, so on a busy bot it need never finish.) The
        write-ahead log is emptied afterwards, so no page image of the old segments stays there either.
        """
        async with self._write() as db:
            for table in SEARCH_TABLES:
                await db.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")  # noqa: S608
        self._search_compact_due = False  # until the next deletion (none could land while the lock was held)
        await self._checkpoint()
        log.info("compacted the search indexes")
