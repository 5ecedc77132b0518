"""What a member types into /search, turned into a bounded FTS5 query (pure: no SQL runs here).

FTS5 walks a term's whole list of documents, and a prefix term (``a*``) merges the lists of every word that starts
with it, so a query of many short prefixes reads the guild's entire index once per term. Terms are therefore
de-duplicated, capped at ``MAX_QUERY_TERMS`` words, and a prefix must keep ``MIN_PREFIX_CHARS`` letters. The store
drops what breaks these rules (any input stays safe); the commands ask ``query_problem`` first, so a member is told
why instead of silently getting other results.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_QUERY_CHARS = 512
MAX_QUERY_TERMS = 8  # words, counted as the index splits them: "a-b-c" is three
MIN_PREFIX_CHARS = 3
_SURROGATE = re.compile("[\ud800-\udfff]")
# The pieces unicode61 indexes as words: runs of letters and digits (anything else separates them).
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class ParsedQuery:
    """The quoted FTS5 terms kept, and what was left out and why."""

    terms: tuple[str, ...] = ()
    short_prefixes: tuple[str, ...] = ()  # ``ab*``: too short a start to search for
    over_limit: bool = False  # more than MAX_QUERY_TERMS words were given; the first ones are kept

    @property
    def match(self) -> str | None:
        """The terms as one FTS5 expression (all required), or None when nothing searchable is left."""
        return " ".join(self.terms) or None


def parse_query(raw: object) -> ParsedQuery:
    """Split, quote and bound a typed query; quoting turns FTS5 operators (NEAR, ``^``, ``col:``) into plain words.

    A trailing ``*`` keeps a prefix search when the last word before it has at least MIN_PREFIX_CHARS characters.
    """
    if not isinstance(raw, str):
        return ParsedQuery()
    text = unicodedata.normalize("NFC", _SURROGATE.sub("\ufffd", raw[:MAX_QUERY_CHARS])).replace("\x00", " ")
    terms: list[str] = []
    short: list[str] = []
    seen: set[tuple[str, bool]] = set()
    words = 0
    for piece in text.split():
        prefix = piece.endswith("*")
        word = piece.rstrip("*")
        pieces = _WORD.findall(word)
        if not pieces:
            continue
        if prefix and len(pieces[-1]) < MIN_PREFIX_CHARS:
            short.append(piece)
            continue
        key = (" ".join(pieces).casefold(), prefix)
        if key in seen:
            continue
        if words + len(pieces) > MAX_QUERY_TERMS:
            return ParsedQuery(tuple(terms), tuple(short), over_limit=True)
        seen.add(key)
        words += len(pieces)
        terms.append('"' + word.replace('"', '""') + '"' + ("*" if prefix else ""))
    return ParsedQuery(tuple(terms), tuple(short))


def query_problem(raw: str) -> str | None:
    """Why ``raw`` cannot be searched as typed, in words for the member; None when it can."""
    parsed = parse_query(raw)
    if parsed.short_prefixes:
        shown = ", ".join(f"`{p[:20]}`" for p in parsed.short_prefixes[:3])
        return (f"A word ending in * needs at least {MIN_PREFIX_CHARS} letters before the * ({shown} is too "
                "short): type the whole word, or more of its start.")
    if parsed.over_limit:
        return f"Search for at most {MAX_QUERY_TERMS} words at a time."
    return None


def fts_query(raw: object) -> str | None:
    """The safe FTS5 expression for ``raw`` (see ``parse_query``), or None when nothing searchable is left."""
    return parse_query(raw).match
