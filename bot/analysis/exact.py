"""Spans over the exact input: cut from the text the user gave, and trimmed of blank edges.

The parser reads a same-length view of the text (``parse.parseable`` swaps a byte-order mark for a space and
every line ending for "\\n"), so offsets agree, but a span's text must be the input's own characters. A span
must also not begin or end in white space or invisible characters, and a claim with nothing left in it is no
claim ("Reportedly." has a cue and no content).
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace

from bot.analysis.result import Attribution, Flag, Span

# White space, controls and format characters (zero-width space, byte-order mark, direction marks).
_BLANK_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})


def blank(ch: str) -> bool:
    """A character a reader cannot see and a span should not start or end with."""
    return ch.isspace() or unicodedata.category(ch) in _BLANK_CATEGORIES


def exact(text: str, span: Span | None) -> Span | None:
    """``span`` re-cut from ``text`` and trimmed; None when nothing visible is left."""
    if span is None:
        return None
    start, end = span.start, span.end
    while start < end and blank(text[start]):
        start += 1
    while end > start and blank(text[end - 1]):
        end -= 1
    return Span.of(text, start, end) if end > start else None


def exact_attribution(text: str, a: Attribution) -> Attribution:
    """An attribution whose cue, source and content are the input's own, trimmed characters."""
    return replace(a, cue=exact(text, a.cue) or Span.of(text, a.cue.start, a.cue.end),
                   source=exact(text, a.source), content=exact(text, a.content))


def exact_flag(text: str, f: Flag) -> Flag:
    """A flag whose evidence is the input's own, trimmed characters."""
    return replace(f, evidence=exact(text, f.evidence) or Span.of(text, f.evidence.start, f.evidence.end))
