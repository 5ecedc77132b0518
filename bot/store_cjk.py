"""The pairs index for Chinese, Japanese and Korean text (migrations 0010, 0013): writing its rows from Python.

SQL can neither split a run of CJK characters into overlapping pairs nor normalise text, so the triggers queue each
analysis that has such characters in ``analyses_cjk_pending`` and ``index_pending`` writes its rows: in the
transaction that saves an analysis, and when the store opens for rows queued by a migration or another writer.
"""

from __future__ import annotations

import unicodedata
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


def index_form(text: str) -> str:
    """What the pairs index holds for ``text``: its pairs, in composed form (NFC), as queries are normalised.

    Text pasted from some tools is decomposed (Hangul as separate jamo, が as か and a combining mark), and its
    pairs would never match a typed query. Only the index is normalised: the stored text keeps its flag offsets.
    """
    return char_pairs(unicodedata.normalize("NFC", text))


async def index_pending(db: Any, *, limit: int = PENDING_BATCH) -> int:
    """Write the pairs rows of up to ``limit`` queued analyses inside the caller's write transaction; how many."""
    rows = list(await db.execute_fetchall(_QUEUED, (limit,)))
    if not rows:
        return 0
    await db.executemany(
        f"INSERT INTO {CJK_TABLE} (rowid, title, summary, text, guild) VALUES (?, ?, ?, ?, ?)",  # noqa: S608
        [(seq, index_form(title), index_form(summary), index_form(text), f"g{int(guild)}")
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
