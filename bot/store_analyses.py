"""Saving analyses and finding them again: by text (the cache), by link, by short id, newest first.

Saving a text that was analysed before under another engine version supersedes the older analysis's
undecided flags, so the review queue only ever holds the current analysis's flags, and the current flags take over
the verdicts moderators already gave the same claims, so nothing they decided comes back to them.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import aiosqlite

from bot.analysis.result import SEVERITY_RANK, Result, Stats
from bot.errors import ForgottenMeanwhile, InputError, OptedOutMeanwhile
from bot.store_cjk import index_pending
from bot.store_db import StoreBase
from bot.store_types import (
    PUBLIC,
    STAFF,
    StoredAnalysis,
    Viewer,
    check_guild,
    clean_short_id,
    content_hash,
    document_key,
    from_db_time,
    new_short_id,
    no_surrogates,
    normalise_text,
    optional_text,
    site_of,
    to_db_time,
    utcnow,
)

log = logging.getLogger(__name__)

ID_RETRIES = 8
DECIDED = ("confirmed", "dismissed")  # verdicts a newer analysis of the same text carries over
_ANALYSIS_SELECT = """
SELECT a.id, a.guild_id, a.document_id, d.title, d.url, d.author_id, d.channel_id, d.message_link,
       a.engine_version, a.created_at, a.result_json,
       (SELECT group_concat(f.id) FROM flags AS f WHERE f.analysis_id = a.id) AS flag_ids, d.private
FROM analyses AS a JOIN documents AS d ON d.id = a.document_id
"""
# Private analyses are shown to their author only; only STAFF callers (review cards, the CLI) see every row.
VISIBLE_TO = " AND (d.private = 0 OR d.author_id IS ?)"
# A listing's rows with their flags counted by category, from the documents and flags tables: never result_json.
_LISTING_SELECT = """
WITH top AS MATERIALIZED (
    SELECT a.seq, a.id, a.guild_id, a.document_id, d.title, d.url, d.author_id, d.channel_id, a.created_at, d.private
    FROM analyses AS a JOIN documents AS d ON d.id = a.document_id WHERE a.guild_id = ?{hide}
    ORDER BY a.seq DESC LIMIT ?)
SELECT top.id, top.guild_id, top.document_id, top.title, top.url, top.author_id, top.channel_id, top.created_at,
       top.private, f.category, group_concat(f.id), min(f.position)
FROM top LEFT JOIN flags AS f ON f.analysis_id = top.id AND f.guild_id = top.guild_id
GROUP BY top.seq, f.category ORDER BY top.seq DESC
"""


@dataclass(frozen=True)
class ListedAnalysis:
    """One analysis as a listing (/recent) shows it: its document's title and link, and its flags counted.

    Read with SQL alone. The full result is JSON of over a megabyte for a long article, and decoding ten of them
    to print a title and a count per line would stall the bot for every server meanwhile.
    """

    id: str
    guild_id: int
    document_id: int
    title: str | None
    url: str | None
    author_id: int | None
    channel_id: int | None
    created_at: datetime
    flag_ids: tuple[int, ...]
    flag_counts: tuple[tuple[str, int], ...]  # (category, flags): most first, ties in reading order
    private: bool = False


def visible(viewer_id: Viewer) -> tuple[str, tuple[int, ...]]:
    """The SQL condition (and its parameter) that hides private analyses from whoever ``viewer_id`` is.

    The default is the safe one: a caller that names nobody sees public analyses only.
    """
    if viewer_id == STAFF:
        return "", ()
    if viewer_id == PUBLIC:
        return " AND d.private = 0", ()
    return VISIBLE_TO, (int(viewer_id),)


class AnalysesStore(StoreBase):
    """Documents and their analyses, one guild at a time."""

    async def save_analysis(
        self, guild_id: int, text: str, result: Result, *, engine_version: str, title: str | None = None,
        url: str | None = None, author_id: int | None = None, channel_id: int | None = None,
        message_link: str | None = None, private: bool = False, forget_generation: int | None = None,
        site: str | None = None,
    ) -> StoredAnalysis:
        """Store a result, or return the stored one (``cached=True``) for the same text and engine version.

        ``site`` is the publishing site for the statistics, when it is known apart from ``url`` (a short link that
        redirected to the paper); by default, ``url``'s host.

        ``private`` keeps the analysis out of everyone's library but its author's (see ``document_key``).
        ``forget_generation`` (from ``forget_generation()`` when the request began) makes a save refuse with
        ForgottenMeanwhile if the author's forget-me landed during the analysis. An author who has opted out in
        this guild is never stored: the save refuses with OptedOutMeanwhile (requests check the opt-out when they
        begin, so this catches an /optout that landed during the analysis).
        """
        check_guild(guild_id)
        if not isinstance(text, str) or not text.strip():
            raise InputError("There is no text to save.")
        text, engine_version = no_surrogates(text), no_surrogates(engine_version)
        title, url, message_link = optional_text(title or result.title), optional_text(url), optional_text(message_link)
        digest = document_key(text, (author_id or 0) if private else None)
        saved = await self._save_or_find(guild_id, digest, text, result, engine_version, title, url, author_id,
                                         channel_id, message_link, private, forget_generation,
                                         optional_text(site) or site_of(url))
        if isinstance(saved, StoredAnalysis):
            return saved
        return await self._decoded(saved, cached=True)  # stored already: decoded once the write lock is free

    async def _save_or_find(
        self, guild_id: int, digest: str, text: str, result: Result, engine_version: str, title: str | None,
        url: str | None, author_id: int | None, channel_id: int | None, message_link: str | None, private: bool,
        forget_generation: int | None, site: str | None = None,
    ) -> StoredAnalysis | Sequence[Any]:
        """The new analysis, or the row of the same text's analysis by this engine version if one is stored."""
        async with self._write() as db:
            if forget_generation is not None and self.forget_generation(guild_id, author_id) != forget_generation:
                raise ForgottenMeanwhile()
            if author_id is not None and list(await db.execute_fetchall(
                    "SELECT 1 FROM opt_outs WHERE guild_id = ? AND user_id = ?", (guild_id, int(author_id)))):
                raise OptedOutMeanwhile()
            doc = list(await db.execute_fetchall(
                "SELECT id FROM documents WHERE guild_id = ? AND content_hash = ?", (guild_id, digest)))
            if doc:
                doc_id = int(doc[0][0])
                found = list(await db.execute_fetchall(
                    _ANALYSIS_SELECT + "WHERE a.guild_id = ? AND a.document_id = ? AND a.engine_version = ? "
                    "ORDER BY a.seq DESC LIMIT 1", (guild_id, doc_id, engine_version)))
                if found:
                    return found[0]
            else:
                cur = await db.execute(
                    "INSERT INTO documents (guild_id, content_hash, text, title, url, site, author_id, channel_id,"
                    " message_link, created_at, private) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (guild_id, digest, text, title, url, site, author_id, channel_id, message_link,
                     to_db_time(utcnow()), int(private)))
                doc_id = int(cur.lastrowid or 0)
            short_id, created, flag_ids = await self._insert_analysis(db, guild_id, doc_id, text, result,
                                                                      engine_version)
            await index_pending(db)  # a CJK text gets its pairs row with the save (see bot.store_cjk)
            if doc:
                await self._supersede(db, guild_id, doc_id, short_id)
            meta = list(await db.execute_fetchall(
                "SELECT title, url, author_id, channel_id, message_link, private FROM documents WHERE id = ?",
                (doc_id,)))
        m = meta[0]
        return StoredAnalysis(short_id, guild_id, doc_id, m[0], m[1], m[2], m[3], m[4], engine_version,
                              created, result, flag_ids, private=bool(m[5]))

    async def _insert_analysis(
        self, db: aiosqlite.Connection, guild_id: int, doc_id: int, text: str, result: Result, engine_version: str,
    ) -> tuple[str, datetime, tuple[int, ...]]:
        created = utcnow()
        # Never before the document's newest analysis: a clock set back meanwhile would make the newer analysis (the
        # searchable one, holding the flags under review) look older, and retention would delete it first.
        latest = list(await db.execute_fetchall("SELECT max(created_at) FROM analyses WHERE document_id = ?",
                                                (doc_id,)))
        previous = from_db_time(latest[0][0]) if latest and latest[0][0] else None
        if previous is not None and previous > created:
            created = previous
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
        ids = list(await db.execute_fetchall(
            "SELECT id FROM flags WHERE analysis_id = ? ORDER BY position", (short_id,)))
        return short_id, created, tuple(int(r[0]) for r in ids)

    async def _supersede(self, db: aiosqlite.Connection, guild_id: int, doc_id: int, new_id: str) -> None:
        """Take the document's older analyses' still-pending flags out of the queue, each with an audit line.

        Confirmed and dismissed flags keep their verdicts, and the new analysis's flags that raise the same
        question again take them over (see ``_carry_verdicts``); only the rest wait for review.
        """
        now = to_db_time(utcnow())
        carried = await self._carry_verdicts(db, guild_id, doc_id, new_id, now)
        stale = list(await db.execute_fetchall(
            "SELECT f.id FROM flags AS f JOIN analyses AS a ON a.id = f.analysis_id AND a.guild_id = f.guild_id "
            "WHERE a.document_id = ? AND a.guild_id = ? AND a.id <> ? AND f.status = 'pending' ORDER BY f.id",
            (doc_id, guild_id, new_id)))
        for (flag_id,) in stale:
            await db.execute(
                "UPDATE flags SET status = 'superseded', reviewed_at = ?, superseded_by = ? "
                "WHERE id = ? AND guild_id = ? AND status = 'pending'", (now, new_id, flag_id, guild_id))
            await self._event(db, guild_id, flag_id, "superseded", None, None, f"Replaced by analysis {new_id}", now)
        if stale or carried:
            log.info("superseded %d pending flags and carried %d verdicts in guild %d (analysis %s)", len(stale),
                     carried, guild_id, new_id)

    async def _carry_verdicts(self, db: aiosqlite.Connection, guild_id: int, doc_id: int, new_id: str,
                              now: str) -> int:
        """Give the new analysis's flags the verdicts moderators already gave the same claims; return how many.

        A claim is the same when the category, the evidence and the sentence are (whitespace folded): offsets
        alone are not enough, since another engine version may cut the text differently. A claim whose category
        changed (dismissed as "vague", now "anonymous") is a new question and stays pending. The verdict comes
        from the newest earlier analysis in which a moderator decided that claim (a verdict carried before counts,
        so an unchanged claim keeps it through every upgrade). A claim the article makes twice is paired
        occurrence by occurrence, in text order, so one decision never settles two flags. The carried flag takes
        the status, reviewer, time and note, names the flag in ``verdict_from``, and gets a 'carried' audit line.
        """
        rows = list(await db.execute_fetchall(
            "SELECT f.id, f.analysis_id, f.category, f.evidence, f.sentence, f.status, f.reviewer_id,"
            " f.reviewer_name, f.reviewed_at, f.note, a.id = ? AS is_new"
            " FROM flags AS f JOIN analyses AS a ON a.id = f.analysis_id AND a.guild_id = f.guild_id"
            " WHERE a.document_id = ? AND a.guild_id = ? AND f.guild_id = ? ORDER BY a.seq DESC, f.position, f.id",
            (new_id, doc_id, guild_id, guild_id)))
        fresh: dict[tuple[str, str, str], list[Any]] = {}
        earlier: dict[tuple[str, str, str], dict[str, list[Any]]] = {}  # claim -> analysis -> flags, newest first
        for row in rows:
            key = (str(row[2]), normalise_text(str(row[3])), normalise_text(str(row[4])))
            if row[10]:
                if row[5] == "pending":
                    fresh.setdefault(key, []).append(row)
            else:
                earlier.setdefault(key, {}).setdefault(str(row[1]), []).append(row)
        carried = 0
        for key, new_flags in fresh.items():
            decided = next((flags for flags in earlier.get(key, {}).values()
                            if any(f[5] in DECIDED for f in flags)), [])
            for flag, old in zip(new_flags, decided, strict=False):
                if old[5] not in DECIDED:
                    continue
                cur = await db.execute(
                    "UPDATE flags SET status = ?, reviewer_id = ?, reviewer_name = ?, reviewed_at = ?, note = ?,"
                    " verdict_from = ? WHERE id = ? AND guild_id = ? AND status = 'pending'",
                    (old[5], old[6], old[7], old[8], old[9], old[0], flag[0], guild_id))
                if cur.rowcount == 1:
                    carried += 1
                    await self._event(db, guild_id, flag[0], "carried", None, None,
                                      f"Carried the verdict '{old[5]}' from flag #{old[0]} of analysis {old[1]}: "
                                      "same category, evidence and sentence", now)
        return carried

    async def _decoded(self, row: Sequence[Any], *, cached: bool = False) -> StoredAnalysis:
        """``_analysis`` on a worker thread: a long article's result is over a megabyte of JSON, and decoding it on
        the event loop would hold up every server's commands and the gateway's heartbeat meanwhile."""
        return await asyncio.to_thread(self._analysis, row, cached=cached)

    @staticmethod
    def _analysis(row: Sequence[Any], *, cached: bool = False) -> StoredAnalysis:
        flag_ids = tuple(sorted(int(i) for i in row[11].split(","))) if row[11] else ()
        return StoredAnalysis(
            id=row[0], guild_id=row[1], document_id=row[2], title=row[3], url=row[4], author_id=row[5],
            channel_id=row[6], message_link=row[7], engine_version=row[8],
            created_at=from_db_time(row[9]) or utcnow(), result=Result.from_dict(json.loads(row[10])),
            flag_ids=flag_ids, cached=cached, private=bool(row[12]),
        )

    async def record_reply(self, guild_id: int, analysis_id: str, channel_id: int, message_id: int, *,
                           source_message_id: int | None = None) -> bool:
        """Remember a public reply that shows an analysis, so a forget-me of its author can delete it too.

        ``source_message_id`` is the member's message the reply answered (a link auto-reply or a 📰; it is in the
        same channel), so ``replied_to`` still knows it was answered after a restart.
        False when the analysis is already gone (a forget-me won the race): the caller should take the reply down.
        """
        return await self.record_shown(guild_id, (analysis_id,), channel_id, message_id,
                                       source_message_id=source_message_id)

    async def record_shown(self, guild_id: int, analysis_ids: Sequence[str], channel_id: int,
                           message_id: int, *, source_message_id: int | None = None) -> bool:
        """Remember a public message that shows these analyses (a listing may show several members' articles), so
        a forget-me of any of their authors deletes it.

        Nothing is recorded, and the answer is False, when one of them is already gone (a forget-me or retention
        won the race): the message shows deleted data and the caller should take it down.
        """
        check_guild(guild_id)
        ids = {clean_short_id(a) for a in analysis_ids}
        if None in ids:
            return False
        marks = ", ".join("?" * len(ids))
        async with self._write() as db:
            found = list(await db.execute_fetchall(
                f"SELECT document_id FROM analyses WHERE guild_id = ? AND id IN ({marks})",  # noqa: S608
                (guild_id, *ids)))
            if len(found) != len(ids):
                return False
            source = None if source_message_id is None else int(source_message_id)
            await db.executemany(
                "INSERT OR IGNORE INTO replies (guild_id, message_id, channel_id, document_id, source_message_id)"
                " VALUES (?, ?, ?, ?, ?)",
                [(guild_id, int(message_id), int(channel_id), int(doc), source) for (doc,) in found])
        return True

    async def replied_to(self, guild_id: int, source_message_id: int) -> bool:
        """Whether a reply of Byline's that answered this member's message is still recorded, in this guild only.

        One indexed look-up, cheap enough for every 📰. The row goes with its analysis (retention, a forget-me) and
        with the reply itself (``forget_deleted_replies``), and then the message may be answered again.
        """
        check_guild(guild_id)
        row = await self._row(
            "SELECT 1 FROM replies WHERE guild_id = ? AND source_message_id = ? LIMIT 1",
            (guild_id, int(source_message_id)))
        return row is not None

    async def forget_deleted_replies(self, guild_id: int, message_ids: Sequence[int]) -> tuple[int, ...]:
        """Drop the records of these messages of Byline's, deleted in Discord (say by a moderator), in this guild.

        There is nothing left for a forget-me to take down, and the members' messages they answered (returned) may
        be answered again. Most deleted messages are no reply of Byline's: they cost one indexed read and no write.
        """
        check_guild(guild_id)
        ids = sorted({int(m) for m in message_ids})
        if not ids:
            return ()
        marks = ", ".join("?" * len(ids))
        where = f"WHERE guild_id = ? AND message_id IN ({marks})"
        if await self._row(f"SELECT 1 FROM replies {where} LIMIT 1", (guild_id, *ids)) is None:  # noqa: S608
            return ()
        async with self._write() as db:
            sources = list(await db.execute_fetchall(
                f"SELECT DISTINCT source_message_id FROM replies {where} AND source_message_id IS NOT NULL",  # noqa: S608
                (guild_id, *ids)))
            await db.execute(f"DELETE FROM replies {where}", (guild_id, *ids))  # noqa: S608
        return tuple(int(s) for (s,) in sources)

    async def shown_in_channel(self, guild_id: int, analysis_id: str, channel_id: int) -> bool:
        """Whether a reply of Byline's showing this analysis was posted in ``channel_id``: its members have seen it."""
        check_guild(guild_id)
        row = await self._row(
            "SELECT 1 FROM replies AS r JOIN analyses AS a ON a.document_id = r.document_id "
            "WHERE r.guild_id = ? AND r.channel_id = ? AND a.id = ? AND a.guild_id = ? LIMIT 1",
            (guild_id, int(channel_id), clean_short_id(analysis_id), guild_id))
        return row is not None

    async def find_cached(
        self, guild_id: int, text: str, engine_version: str, *, private_for: int | None = None,
    ) -> StoredAnalysis | None:
        """The stored analysis of this text (normalised) by this engine version, if any.

        Only public analyses are shared, plus, for a private request (``private_for`` = its author), that
        author's own private one: a private analysis never answers somebody else's request.
        """
        check_guild(guild_id)
        keys = (content_hash(text), document_key(text, private_for))
        row = await self._row(
            _ANALYSIS_SELECT + "WHERE d.guild_id = ? AND d.content_hash IN (?, ?) AND a.guild_id = ? "
            "AND a.engine_version = ? ORDER BY a.seq DESC LIMIT 1",
            (guild_id, *keys, guild_id, engine_version))
        return await self._decoded(row, cached=True) if row else None

    async def find_by_url(
        self, guild_id: int, url: str, *, max_age_seconds: int, engine_version: str, private_for: int | None = None,
    ) -> StoredAnalysis | None:
        """A recent analysis of the same link, so a link posted twice is not fetched twice.

        Public analyses only, plus the requester's own private ones for a private request (``private_for``).
        """
        check_guild(guild_id)
        cutoff = to_db_time(utcnow() - timedelta(seconds=max(0, int(max_age_seconds))))
        row = await self._row(
            _ANALYSIS_SELECT + "WHERE d.guild_id = ? AND d.url = ? AND a.guild_id = ? AND a.engine_version = ? "
            "AND a.created_at >= ? AND (d.private = 0 OR d.author_id IS ?) ORDER BY a.seq DESC LIMIT 1",
            (guild_id, url, guild_id, engine_version, cutoff, private_for if private_for is not None else -1))
        return await self._decoded(row, cached=True) if row else None

    async def get_analysis(
        self, guild_id: int, analysis_id: str, *, viewer_id: Viewer = PUBLIC,
    ) -> StoredAnalysis | None:
        """Look up an analysis by its short id, in this guild only; a member (``viewer_id``) sees only public
        analyses and their own private ones, ``STAFF`` (review cards, the CLI) sees all, the default only public."""
        check_guild(guild_id)
        short_id = clean_short_id(analysis_id)
        if short_id is None:
            return None
        hide, args = visible(viewer_id)
        row = await self._row(_ANALYSIS_SELECT + "WHERE a.id = ? AND a.guild_id = ?" + hide,
                              (short_id, guild_id, *args))
        return await self._decoded(row) if row else None

    async def get_text(self, guild_id: int, analysis_id: str) -> str | None:
        """The analysed text behind an analysis (for re-rendering a report), in this guild only."""
        check_guild(guild_id)
        short_id = clean_short_id(analysis_id)
        row = await self._row(
            "SELECT d.text FROM analyses AS a JOIN documents AS d ON d.id = a.document_id "
            "WHERE a.id = ? AND a.guild_id = ? AND d.guild_id = ?", (short_id, guild_id, guild_id))
        return str(row[0]) if row else None

    async def recent(self, guild_id: int, *, limit: int = 10, viewer_id: Viewer = PUBLIC) -> list[ListedAnalysis]:
        """The newest analyses in this guild that ``viewer_id`` may see (see ``visible``), as a listing shows them.

        One statement reads titles, links and each analysis's flags counted by category from the documents and
        flags tables; no result is decoded (a full one is for ``get_analysis``).
        """
        check_guild(guild_id)
        hide, args = visible(viewer_id)
        rows = await self._rows(_LISTING_SELECT.format(hide=hide), (guild_id, *args, max(0, min(int(limit), 100))))
        listed: dict[str, tuple[Sequence[Any], list[tuple[str, int, int]], list[int]]] = {}
        for row in rows:
            _, counts, ids = listed.setdefault(row[0], (row, [], []))
            if row[9] is not None:
                found = [int(i) for i in str(row[10]).split(",")]
                counts.append((str(row[9]), len(found), int(row[11])))
                ids.extend(found)
        return [
            ListedAnalysis(
                id=r[0], guild_id=r[1], document_id=r[2], title=r[3], url=r[4], author_id=r[5], channel_id=r[6],
                created_at=from_db_time(r[7]) or utcnow(), flag_ids=tuple(sorted(ids)),
                flag_counts=tuple((c, n) for c, n, _ in sorted(counts, key=lambda k: (-k[1], k[2]))),
                private=bool(r[8]))
            for r, counts, ids in listed.values()
        ]
