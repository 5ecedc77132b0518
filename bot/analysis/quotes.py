"""Direct quotations: find the quoted stretches of a text in one linear pass.

News quotes use curly or straight double quotes. A quote that is still open at the end of a
paragraph is, by press convention, continued in the next paragraph (which reopens it), so an
unclosed quote ends at the line break instead of swallowing the rest of the article.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

OPEN = "“«"
CLOSE = "”»"
STRAIGHT = '"'


@dataclass(frozen=True, slots=True)
class Quote:
    """One quoted stretch ``[start, end)``, quote marks included; ``closed`` is False when cut by a line break."""

    start: int
    end: int
    closed: bool

    def inner(self, text: str) -> tuple[int, int]:
        """Return the range inside the quote marks."""
        s = self.start + 1
        e = self.end - 1 if self.closed else self.end
        return s, max(s, e)


def find_quotes(text: str) -> list[Quote]:
    """Return the quotes of ``text`` in order (none overlap)."""
    out: list[Quote] = []
    start = -1
    for i, ch in enumerate(text):
        if ch == "\n":
            if start >= 0:
                end = i
                while end > start + 1 and text[end - 1].isspace():
                    end -= 1
                out.append(Quote(start, end, False))
                start = -1
        elif start < 0:
            if ch in OPEN or ((ch == STRAIGHT or _misturned(text, i)) and _opens(text, i)):
                start = i
        elif ch in CLOSE or ch == STRAIGHT:
            out.append(Quote(start, i + 1, True))
            start = -1
    if start >= 0:
        out.append(Quote(start, len(text.rstrip()), False))
    return [q for q in out if q.end - q.start > 2]


def _opens(text: str, i: int) -> bool:
    """A straight quote opens when it follows a space, a line start or an opening bracket/dash."""
    return i == 0 or text[i - 1].isspace() or text[i - 1] in "([—–-:"


def _misturned(text: str, i: int) -> bool:
    """A closing mark typed where an opening one belongs: ”Fear. I am ...” at a line start."""
    return text[i] in CLOSE and i + 1 < len(text) and text[i + 1].isalnum()


class QuoteIndex:
    """Answer "which quote holds this offset?" in O(log n), for token features and quote content."""

    def __init__(self, quotes: list[Quote]) -> None:
        self.quotes = quotes
        self._starts = [q.start for q in quotes]

    def at(self, offset: int) -> Quote | None:
        """Return the quote whose span contains ``offset``, if any."""
        k = bisect_right(self._starts, offset) - 1
        if k >= 0 and self.quotes[k].start <= offset < self.quotes[k].end:
            return self.quotes[k]
        return None

    def between(self, start: int, end: int) -> list[Quote]:
        """Return the quotes that start inside ``[start, end)``."""
        lo = bisect_right(self._starts, start - 1)
        hi = bisect_right(self._starts, end - 1)
        return self.quotes[lo:hi]


def merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge overlapping ``[start, end)`` ranges into sorted, disjoint ones (for linear sweeps)."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out
