"""Direct quotations: find the quoted stretches of a text in one linear pass.

News quotes use curly or straight double quotes, or two apostrophes ('') as in wire and archive
copy. A quote that is still open at the end of a paragraph is, by press convention, continued in
the next paragraph (which reopens it), so an unclosed quote ends at the line break instead of
swallowing the rest of the article; where the line breaks were lost, a straight mark that opens a
word right after a sentence end starts the next paragraph's quote.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

OPEN = "“«"
CLOSE = "”»"
STRAIGHT = '"'
DOUBLED = "''"  # two apostrophes standing for a straight double quote
SENTENCE_ENDS = ".?!…:"  # after one of these, a straight mark glued to the next word reopens a quote


@dataclass(frozen=True, slots=True)
class Quote:
    """One quoted stretch ``[start, end)``, quote marks included; ``closed`` is False when cut by a line break.

    ``opening`` and ``closing`` are the widths of the marks: 1, or 2 for a doubled apostrophe.
    """

    start: int
    end: int
    closed: bool
    opening: int = 1
    closing: int = 1

    def inner(self, text: str) -> tuple[int, int]:
        """Return the range inside the quote marks."""
        s = self.start + self.opening
        e = self.end - self.closing if self.closed else self.end
        return s, max(s, e)


def find_quotes(text: str) -> list[Quote]:
    """Return the quotes of ``text`` in order (none overlap)."""
    out: list[Quote] = []
    start, opening = -1, 1
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        width = 2 if text.startswith(DOUBLED, i) else 1
        if ch == "\n":
            if start >= 0:
                out.append(Quote(start, _trim_end(text, start + opening, i), False, opening))
                start = -1
        elif start < 0:
            if ch in OPEN or ((ch == STRAIGHT or width == 2 or _misturned(text, i)) and _opens(text, i)):
                start, opening = i, width
        elif (ch == STRAIGHT or width == 2) and _reopens(text, i, width):
            out.append(Quote(start, _trim_end(text, start + opening, i), False, opening))
            start, opening = i, width
        elif ch in CLOSE or ch == STRAIGHT or width == 2:
            out.append(Quote(start, i + width, True, opening, width))
            start = -1
        i += width
    if start >= 0:
        out.append(Quote(start, len(text.rstrip()), False, opening))
    return [q for q in out if q.end - q.start > q.opening + 1]


def _opens(text: str, i: int) -> bool:
    """A straight quote opens when it follows a space, a line start or an opening bracket/dash."""
    return i == 0 or text[i - 1].isspace() or text[i - 1] in "([—–-:"


def _trim_end(text: str, lowest: int, end: int) -> int:
    """Pull an unclosed quote's end back over trailing white space."""
    while end > lowest and text[end - 1].isspace():
        end -= 1
    return end


def _reopens(text: str, i: int, width: int) -> bool:
    """A straight mark inside an open quote that starts a new one: the paragraphs of a long quote each open
    with a mark and only the last closes, so where line breaks were lost the next paragraph reads
    'done. "Next' — after a sentence end and a space, glued to the word that follows."""
    j = i
    while j > 0 and text[j - 1] in " \t":
        j -= 1
    after = i + width
    return j < i and j > 0 and text[j - 1] in SENTENCE_ENDS and after < len(text) and text[after].isalnum()


def _misturned(text: str, i: int) -> bool:
    """A closing mark typed where an opening one belongs: ”Fear. I am ...” at a line start."""
    return text[i] in CLOSE and i + 1 < len(text) and text[i + 1].isalnum()


class QuoteIndex:
    """Answer "which quote holds this offset?" in O(log n), for token features and quote content."""

    def __init__(self, quotes: list[Quote]) -> None:
        self.quotes = quotes
        self.starts = [q.start for q in quotes]
        self._at_least: dict[int, QuoteIndex] = {}

    def at_least(self, width: int) -> QuoteIndex:
        """The index of the quotes at least ``width`` characters long (marks included), built once per width."""
        index = self._at_least.get(width)
        if index is None:
            index = self._at_least[width] = QuoteIndex([q for q in self.quotes if q.end - q.start >= width])
        return index

    def at(self, offset: int) -> Quote | None:
        """Return the quote whose span contains ``offset``, if any."""
        k = bisect_right(self.starts, offset) - 1
        if k >= 0 and self.quotes[k].start <= offset < self.quotes[k].end:
            return self.quotes[k]
        return None

    def between(self, start: int, end: int) -> list[Quote]:
        """Return the quotes that start inside ``[start, end)``."""
        lo = bisect_right(self.starts, start - 1)
        hi = bisect_right(self.starts, end - 1)
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


SMALL_WORDS = {"a", "an", "the", "of", "to", "and", "or", "in", "on", "for", "at", "by", "with", "from", "&"}
MAX_TITLE_WORDS = 10


def title_like(text: str) -> bool:
    """ '"You Win USA Vacation Resort"', '"Introduction to Computational Thinking"': every word but the small
    ones capitalised, as in a name or a title, which nobody asserts."""
    words_ = [w.strip(".,!?:;()\"'“”‘’") for w in text.split()]
    words_ = [w for w in words_ if any(ch.isalpha() for ch in w)]
    if not 2 <= len(words_) <= MAX_TITLE_WORDS or not words_[0][:1].isupper():
        return False
    return all(w[:1].isupper() or w.lower() in SMALL_WORDS for w in words_)
