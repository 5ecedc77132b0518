"""Flags and the moderators' review: the queue, verdicts, notes and the audit log."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

from bot.errors import AlreadyReviewed, FlagSuperseded, InputError, no_such_flag
from bot.store_cards import CardReason, CardRef, StaleCard
from bot.store_db import StoreBase
from bot.store_types import (
    STATUSES,
    ReviewEvent,
    StoredFlag,
    check_guild,
    clean_short_id,
    from_db_time,
    no_surrogates,
    optional_text,
    severity_rank,
    to_db_time,
    utcnow,
)

_FLAG_SELECT = """
SELECT id, guild_id, analysis_id, category, severity, span_start, span_end, evidence, reason, sentence, status,
       reviewer_id, reviewer_name, reviewed_at, note, review_channel_id, review_message_id, created_at,
       superseded_by, verdict_from
FROM flags
"""


def in_queue(alias: str = "") -> str:
    """The SQL condition for a flag that is in the review queue (one ``?``: the threshold's severity rank).

    A pending flag is in it when it is at or above the threshold, or when its card is already posted: raising the
    threshold leaves those cards and their buttons in the review channel, so they stay moderators' work and must
    not vanish from the queue and its counts. The queue, its counts, ``/review stats`` and the export's
    ``in_queue`` column and ``pending`` filter all use this, so they never disagree about what waits for review.
    """
    return f"{alias}status = 'pending' AND ({alias}severity_rank >= ? OR {alias}review_message_id IS NOT NULL)"


def carried_verdict(alias: str = "") -> str:
    """The SQL condition for a flag whose verdict was carried over from the same claim on an earlier analysis.

    Not a new decision: the moderator's decision is already counted on the flag they decided, so the statistics
    (``review_stats``, ``guild_stats``) count these apart instead of a second time under their verdict.
    """
    return f"{alias}verdict_from IS NOT NULL"


def on_latest_analysis(table: str) -> str:
    """The SQL condition for a flag of its document's latest analysis (``table``: the flags table's name or alias).

    The statistics count flags by category on these only (``review_stats``, ``guild_stats``), as ``guild_stats``
    counts attributions: a re-analysis supersedes or carries over the earlier flags, which would otherwise be counted
    again beside their successors. Statuses still count every flag, each once.
    """
    own = f"a.id = {table}.analysis_id AND a.guild_id = {table}.guild_id"  # ``table`` is ours, never user input
    return (f"EXISTS (SELECT 1 FROM analyses AS a WHERE {own} "  # noqa: S608
            "AND a.seq = (SELECT max(seq) FROM analyses WHERE document_id = a.document_id))")


class ReviewStore(StoreBase):
    """Flags of one guild and the decisions taken on them."""

    @staticmethod
    def _flag(row: Sequence[Any]) -> StoredFlag:
        return StoredFlag(
            id=row[0], guild_id=row[1], analysis_id=row[2], category=row[3], severity=row[4], start=row[5],
            end=row[6], evidence=row[7], reason=row[8], sentence=row[9], status=row[10], reviewer_id=row[11],
            reviewer_name=row[12], reviewed_at=from_db_time(row[13]), note=row[14], review_channel_id=row[15],
            review_message_id=row[16], created_at=from_db_time(row[17]) or utcnow(), superseded_by=row[18],
            verdict_from=row[19],
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

    async def superseded_cards(self, guild_id: int, analysis_id: str) -> list[list[StoredFlag]]:
        """The posted review cards that still show flags ``analysis_id`` replaced, each with all its flags.

        The bot re-draws them so no moderator clicks a flag that is no longer in the queue.
        """
        check_guild(guild_id)
        rows = await self._rows(
            _FLAG_SELECT + "WHERE guild_id = ? AND review_message_id IN ("  # noqa: S608 - constants; values bound
            "SELECT review_message_id FROM flags WHERE guild_id = ? AND superseded_by = ? "
            "AND review_message_id IS NOT NULL) ORDER BY review_message_id, id",
            (guild_id, guild_id, clean_short_id(analysis_id)))
        cards: dict[int, list[StoredFlag]] = {}
        for row in rows:
            flag = self._flag(row)
            cards.setdefault(flag.review_message_id or 0, []).append(flag)
        return list(cards.values())

    async def flags_on_card(self, guild_id: int, message_id: int) -> list[StoredFlag]:
        """The flags one posted review card shows, in card order; empty when none are left."""
        check_guild(guild_id)
        rows = await self._rows(_FLAG_SELECT + "WHERE guild_id = ? AND review_message_id = ? ORDER BY id",
                                (guild_id, int(message_id)))
        return [self._flag(r) for r in rows]

    async def stale_cards(self, *, limit: int = 50, after: StaleCard | None = None,
                          due_by: datetime | None = None) -> list[StaleCard]:
        """Posted cards that still show deleted or renamed data: the bot's own clean-up list, by guild and message.

        It spans guilds because the bot works it off as one job; each row names its guild, and every edit and
        store read made for it is limited to that guild. ``after`` continues past a card, so one pass reaches the
        whole list even when the cards at its head cannot be cleaned yet. ``due_by`` leaves out the cards put off
        until later by ``retry_card_later``, so a pass does not ask Discord about them again too soon.
        """
        key = (after.guild_id, after.message_id) if after is not None else (-1, -1)
        due = "" if due_by is None else "AND (next_try_at IS NULL OR next_try_at <= ?) "
        args: tuple[Any, ...] = (*key, *(() if due_by is None else (to_db_time(due_by),)))
        rows = await self._rows(
            "SELECT guild_id, channel_id, message_id, reason, attempts FROM stale_cards "  # noqa: S608 - constants
            f"WHERE (guild_id, message_id) > (?, ?) {due}ORDER BY guild_id, message_id LIMIT ?",
            (*args, max(1, min(int(limit), 500))))
        return [StaleCard(int(g), int(c), int(m), r, int(n)) for g, c, m, r, n in rows]

    async def card_cleaned(self, card: StaleCard) -> None:
        """Drop a card from the clean-up list; a different reason queued meanwhile keeps its row for another pass."""
        check_guild(card.guild_id)
        async with self._write() as db:
            await db.execute("DELETE FROM stale_cards WHERE guild_id = ? AND message_id = ? AND reason = ?",
                             (card.guild_id, card.message_id, card.reason))

    async def retry_card_later(self, card: StaleCard, *, attempts: int, next_try_at: datetime) -> None:
        """Keep a card Discord refused on the list, counting the refusal and putting its next try off until then."""
        check_guild(card.guild_id)
        async with self._write() as db:
            await db.execute("UPDATE stale_cards SET attempts = ?, next_try_at = ? WHERE guild_id = ? "
                             "AND message_id = ?", (max(0, int(attempts)), to_db_time(next_try_at),
                                                    card.guild_id, card.message_id))

    async def pending_flags(
        self, guild_id: int, *, limit: int = 10, after: StoredFlag | None = None, min_severity: str | None = None,
    ) -> list[StoredFlag]:
        """The review queue (at or above the guild's threshold unless ``min_severity`` says otherwise, plus any
        flag whose card is already posted; see ``in_queue``): most severe first, then oldest first.

        ``after`` is the last flag of the page before: the page starts right behind it even when flags ahead of it
        were decided or added meanwhile, which an offset would turn into skipped or repeated flags.
        """
        check_guild(guild_id)
        where, args = "", [guild_id, await self._floor(guild_id, min_severity)]
        if after is not None:
            rank = severity_rank(after.severity)
            where, args = "AND (severity_rank < ? OR (severity_rank = ? AND id > ?)) ", [*args, rank, rank, after.id]
        rows = await self._rows(
            _FLAG_SELECT + f"WHERE guild_id = ? AND {in_queue()} " + where
            + "ORDER BY severity_rank DESC, id LIMIT ?", (*args, max(0, min(int(limit), 100))))
        return [self._flag(r) for r in rows]

    async def waiting_for_card(
        self, guild_id: int, *, min_severity: str | None = None, limit: int = 50, analysis_id: str | None = None,
    ) -> list[StoredFlag]:
        """Pending flags at or above the threshold that have no review card yet, oldest first.

        These are the flags a catch-up posts; ``analysis_id`` narrows them to one analysis (its own first post).
        """
        check_guild(guild_id)
        args: tuple[Any, ...] = (guild_id, await self._floor(guild_id, min_severity))
        where = ""
        if analysis_id is not None:
            where, args = "AND analysis_id = ? ", (*args, clean_short_id(analysis_id))
        rows = await self._rows(
            _FLAG_SELECT + "WHERE guild_id = ? AND status = 'pending' AND review_message_id IS NULL "
            "AND severity_rank >= ? " + where + "ORDER BY id LIMIT ?",
            (*args, max(1, min(int(limit), 500))))
        return [self._flag(r) for r in rows]

    async def count_waiting_for_card(self, guild_id: int, *, min_severity: str | None = None) -> int:
        """How many pending flags at or above the threshold still have no review card."""
        check_guild(guild_id)
        row = await self._row(
            "SELECT count(*) FROM flags WHERE guild_id = ? AND status = 'pending' AND review_message_id IS NULL "
            "AND severity_rank >= ?", (guild_id, await self._floor(guild_id, min_severity)))
        return int(row[0])

    async def count_pending(self, guild_id: int, *, min_severity: str | None = None) -> int:
        """How many flags wait for review at or above ``min_severity`` (by default the guild's threshold), or
        below it with a card already posted (see ``in_queue``)."""
        check_guild(guild_id)
        row = await self._row(
            f"SELECT count(*) FROM flags WHERE guild_id = ? AND {in_queue()}",  # noqa: S608 - constant SQL
            (guild_id, await self._floor(guild_id, min_severity)))
        return int(row[0])

    async def count_carried(self, guild_id: int) -> int:
        """How many confirmed or dismissed flags took their verdict over from the same claim on an earlier analysis.

        ``review_stats`` leaves them out of its confirmed and dismissed counts (the decision is counted once, on the
        flag the moderator decided), so this says how many there are besides.
        """
        check_guild(guild_id)
        row = await self._row(f"SELECT count(*) FROM flags WHERE guild_id = ? AND {carried_verdict()}",  # noqa: S608
                              (guild_id,))
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
            rows = list(await db.execute_fetchall(_FLAG_SELECT + "WHERE id = ? AND guild_id = ?",
                                                  (int(flag_id), guild_id)))
        if not rows:
            raise no_such_flag(flag_id)
        flag = self._flag(rows[0])
        if cur.rowcount != 1 and flag.status == "superseded":
            raise FlagSuperseded(flag.superseded_by)
        if cur.rowcount != 1:
            raise AlreadyReviewed(flag.reviewer_name or "another moderator", flag.status)
        return flag

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
                raise no_such_flag(flag_id)
            await self._event(db, guild_id, flag_id, "note", reviewer_id, reviewer_name, note, now)
            rows = list(await db.execute_fetchall(_FLAG_SELECT + "WHERE id = ? AND guild_id = ?",
                                                  (int(flag_id), guild_id)))
        return self._flag(rows[0])

    async def set_review_message(self, guild_id: int, flag_id: int, channel_id: int, message_id: int) -> None:
        """Remember where the flag's review card was posted, so buttons and edits can find it again."""
        await self.set_review_messages(guild_id, [flag_id], channel_id, message_id)

    async def set_review_messages(
        self, guild_id: int, flag_ids: Sequence[int], channel_id: int, message_id: int
    ) -> None:
        """Record one posted card for several flags in one transaction: all are recorded, or none."""
        check_guild(guild_id)
        now = to_db_time(utcnow())
        async with self._write() as db:
            for flag_id in flag_ids:
                cur = await db.execute(
                    "UPDATE flags SET review_channel_id = ?, review_message_id = ? WHERE id = ? AND guild_id = ?",
                    (channel_id, message_id, int(flag_id), guild_id))
                if cur.rowcount != 1:
                    raise no_such_flag(flag_id)
                await self._event(db, guild_id, flag_id, "posted", None, None, None, now)

    async def release_cards(self, guild_id: int, *, channel_ids: Sequence[int] = (),
                            message_ids: Sequence[int] = ()) -> int:
        """Pending flags whose card was deleted in Discord (the message, or its whole channel) wait for a new card.

        Left pointing at the dead message they would stay in the queue for good with no button anywhere, and no
        catch-up or /review repost would ever post them again. Most deleted messages are no card: one indexed read.
        """
        check_guild(guild_id)
        channels, messages = sorted({int(c) for c in channel_ids}), sorted({int(m) for m in message_ids})
        clauses, args = [], []
        if channels:
            clauses.append(f"review_channel_id IN ({', '.join('?' * len(channels))})")
            args += channels
        if messages:
            clauses.append(f"review_message_id IN ({', '.join('?' * len(messages))})")
            args += messages
        if not clauses:
            return 0
        where = ("WHERE guild_id = ? AND status = 'pending' AND review_message_id IS NOT NULL "
                 f"AND ({' OR '.join(clauses)})")
        if await self._row(f"SELECT 1 FROM flags {where} LIMIT 1", (guild_id, *args)) is None:  # noqa: S608
            return 0
        async with self._write() as db:
            cur = await db.execute(f"UPDATE flags SET review_channel_id = NULL, review_message_id = NULL {where}",  # noqa: S608
                                   (guild_id, *args))
        return max(0, cur.rowcount)

    async def review_events(self, guild_id: int, flag_id: int) -> list[ReviewEvent]:
        """A flag's audit log, oldest first."""
        check_guild(guild_id)
        rows = await self._rows(
            "SELECT id, guild_id, flag_id, action, actor_id, actor_name, note, created_at FROM review_events "
            "WHERE guild_id = ? AND flag_id = ? ORDER BY id", (guild_id, int(flag_id)))
        return [ReviewEvent(r[0], r[1], r[2], r[3], r[4], r[5], r[6], from_db_time(r[7]) or utcnow()) for r in rows]

    async def review_stats(self, guild_id: int, *, min_severity: str | None = None) -> dict[str, int]:
        """Flags by status (``pending``, ``confirmed``, ``dismissed``, ``superseded``) and by ``category:NAME``.

        Pending flags below ``min_severity`` (by default the guild's threshold) that have no card are left out of
        both: they are never sent for review, so counting them would show moderators a queue they cannot work off.
        A verdict carried over from an earlier analysis (``count_carried``) is left out of the statuses: the
        moderator's decision counts once, on the flag they decided, which keeps its verdict. The categories count the
        flags of each document's latest analysis only (``on_latest_analysis``), as ``guild_stats`` does, so a
        re-analysed article's superseded and carried-over flags are not counted again beside their successors.
        """
        check_guild(guild_id)
        in_review = f"guild_id = ? AND (status != 'pending' OR ({in_queue()}))"
        args = (guild_id, await self._floor(guild_id, min_severity))
        out = {s: 0 for s in STATUSES}
        for status, n in await self._rows(
                f"SELECT status, count(*) FROM flags WHERE {in_review} AND NOT ({carried_verdict()}) "  # noqa: S608
                "GROUP BY status", args):
            out[status] = int(n)
        for category, n in await self._rows(
                f"SELECT category, count(*) FROM flags WHERE {in_review} AND {on_latest_analysis('flags')} "  # noqa: S608
                "GROUP BY category", args):
            out[f"category:{category}"] = int(n)
        return out


async def queue_stale_cards(db: Any, guild_id: int, cards: Sequence[CardRef], reason: CardReason) -> None:
    """List cards for the bot to clean, in the caller's transaction; a removal outranks a pending re-draw."""
    now = to_db_time(utcnow())
    await db.executemany(
        "INSERT INTO stale_cards (guild_id, message_id, channel_id, reason, created_at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (guild_id, message_id) DO UPDATE SET reason = excluded.reason "
        "WHERE excluded.reason != 'redraw'",
        [(guild_id, c.message_id, c.channel_id, reason, now) for c in cards])
