"""The pairs index for Chinese, Japanese and Korean text (migration 0010): writing its rows from Python.

SQL cannot split a run of CJK characters into overlapping pairs, so the triggers queue each analysis that has such
characters in ``analyses_cjk_pending`` and ``index_pending`` writes its rows: in the transaction that saves an
analysis, and when the store opens for rows queued by the migration or another writer.
"""

from __future__ import annotations

from typing import Any

from bot.search_query import char_pairs

PENDING_BATCH = 200
CJK_TABLE = "analyses_cjk"

# The same columns as analyses_fts gets from its trigger (migration 0003), read for the queued analyses.
_QUEUED = """
SELECT p.seq,
       coalesce(d.title, json_extract(a.result_json, '$.title'), ''),
       coalesce((SELECT group_concat(json_extract(s.value, '$.text'), ' ')
                 FROM json_each(a.result_json, '$.summary') AS s), ''),
       d.text,
       a.guild_id
FROM analyses_cjk_pending AS p JOIN analyses AS a ON a.seq = p.seq JOIN documents AS d ON d.id = a.document_id
ORDER BY p.seq LIMIT ?
"""


async def index_pending(db: Any, *, limit: int = PENDING_BATCH) -> int:
    """Write the pairs rows of up to ``limit`` queued analyses inside the caller's write transaction; how many."""
    rows = list(await db.execute_fetchall(_QUEUED, (limit,)))
    if not rows:
        return 0
    await db.executemany(
        f"INSERT INTO {CJK_TABLE} (rowid, title, summary, text, guild) VALUES (?, ?, ?, ?, ?)",  # noqa: S608
        [(seq, char_pairs(title), char_pairs(summary), char_pairs(text), f"g{int(guild)}")
         for seq, title, summary, text, guild in rows])
    marks = ", ".join("?" * len(rows))
    await db.execute(f"DELETE FROM analyses_cjk_pending WHERE seq IN ({marks})",  # noqa: S608
                     [row[0] for row in rows])
    return len(rows)


async def has_pairs_index(db: Any) -> bool:
    """Whether the file has reached the schema that holds the pairs index (an upgrade test may stop before it)."""
    rows = list(await db.execute_fetchall(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'analyses_cjk_pending'"))
    return bool(rows)
