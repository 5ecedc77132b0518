"""Direct quotations: find the quoted stretches of a text in time linear in its length.

News quotes use curly or straight double quotes, or two apostrophes ('') as in wire and archive
copy; British and Irish papers use single ones, found with care since the mark is also an
apostrophe. A quote that is still open at the end of a paragraph is, by press convention,
continued in the next paragraph (which reopens it), so an unclosed quote ends at the line break
instead of swallowing the rest of the article; where the line breaks were lost, a straight mark
that opens a word right after a sentence end starts the next paragraph's quote.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

OPEN = "“«"
CLOSE = "”»"
STRAIGHT = '"'
DOUBLED = "''"  # two apostrophes standing for a straight double quote
SENTENCE_ENDS = ".?!…:"  # after one of these, a straight mark glued to the next word reopens a quote
SINGLE_OPEN = "‘'"
SINGLE_CLOSE = "’'"
PUNCTUATION_INSIDE = ",.?!…;:—–-"  # a quoted sentence's own mark, printed inside the closing single quote


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
    """Return the quotes of ``text`` in order (none overlap): double-quoted ones, and single-quoted ones outside them.

    A single-quoted quote holds the double-quoted ones inside it (British style nests "..." in '...'), so those are
    dropped as quotes of their own.
    """
    doubles = _double_quotes(text)
    singles = _single_quotes(text, doubles)
    if not singles:
        return doubles
    spans = [(q.start, q.end) for q in singles]
    starts = [q.start for q in singles]
    kept = [q for q in doubles if not _inside(spans, starts, q)]
    return sorted(kept + singles, key=lambda q: q.start)


def _inside(spans: list[tuple[int, int]], starts: list[int], quote: Quote) -> bool:
    k = bisect_right(starts, quote.start) - 1
    return k >= 0 and spans[k][0] <= quote.start and quote.end <= spans[k][1]


def _double_quotes(text: str) -> list[Quote]:
    """The quotes in curly or straight double marks, or doubled apostrophes, in one pass."""
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


def _single_quotes(text: str, doubles: list[Quote]) -> list[Quote]:
    """The quotes in single marks (‘...’ or '...'), as British and Irish papers print them, outside double quotes.

    A single mark is also an apostrophe ("students' union", "rock 'n' roll", "the '90s"), so a quote is only taken
    where it closes the way a quoted sentence does: the quote's own comma, full stop or question mark right before
    the closing mark ('We will not stand for it,' she said). A scare quote or a title ('a fantasy') has none and is
    left alone, as is a quote that a line break cuts, unless the paragraph opens with the mark and the next one
    opens with it again: a long quote continues that way, by press convention. A mark that opens a sentence replaces
    one still waiting for its close (the apostrophe of "rock 'n' roll. 'Great,' she said" never closed). One pass.
    """
    out: list[Quote] = []
    inside = iter([(q.start, q.end) for q in doubles] + [(len(text) + 1, len(text) + 1)])
    double = next(inside)
    pending = -1
    i, n = 0, len(text)
    while i < n:
        while double[1] <= i:
            double = next(inside)
        if double[0] <= i:
            i = double[1]  # a double quote is its own, or one nested in the pending single quote
            continue
        ch = text[i]
        if ch == "\n":
            if pending >= 0 and _continues(text, pending, i):
                out.append(Quote(pending, _trim_end(text, pending + 1, i), False))
            pending = -1
        elif pending >= 0 and _closes_single(text, i):
            out.append(Quote(pending, i + 1, True))
            pending = -1
        elif ch in SINGLE_OPEN and _opens_single(text, i) and (pending < 0 or _starts_sentence(text, i)):
            pending = i
        i += 1
    return [q for q in out if q.end - q.start > 2]


def _opens_single(text: str, i: int) -> bool:
    """A single mark opens a quote after a space, a line start or a bracket/dash, before a word (not "''")."""
    after = text[i + 1] if i + 1 < len(text) else ""
    return _opens(text, i) and (after.isalnum() or after in '"“') and not text.startswith(DOUBLED, i)


def _closes_single(text: str, i: int) -> bool:
    """A single mark closes a quote right after the quote's own punctuation, and not inside a word."""
    after = text[i + 1] if i + 1 < len(text) else ""
    inside_word = after.isalnum() or after == "'"
    return text[i] in SINGLE_CLOSE and i > 0 and text[i - 1] in PUNCTUATION_INSIDE and not inside_word


def _starts_sentence(text: str, i: int) -> bool:
    """The mark at ``i`` comes at a line start or after a sentence end and spaces."""
    j = i
    while j > 0 and text[j - 1] in " \t":
        j -= 1
    return j == 0 or text[j - 1] == "\n" or (j < i and text[j - 1] in SENTENCE_ENDS)


def _continues(text: str, start: int, end: int) -> bool:
    """An unclosed single quote that opens its paragraph, ends it with a sentence end, and is reopened by the next
    paragraph's first mark."""
    j = start
    while j > 0 and text[j - 1] in " \t":
        j -= 1
    if j > 0 and text[j - 1] != "\n":
        return False
    last = _trim_end(text, start, end) - 1
    nxt = end
    while nxt < len(text) and text[nxt].isspace():
        nxt += 1
    return text[last] in ".?!…" and nxt < len(text) and text[nxt] in SINGLE_OPEN and _opens_single(text, nxt)


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
