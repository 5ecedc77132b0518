"""Direct quotations: find the quoted stretches of a text in time linear in its length.

News quotes use curly or straight double quotes, or two apostrophes ('') as in wire and archive
copy; British and Irish papers use single ones, found with care since the mark is also an
apostrophe. A quote that is still open at the end of a paragraph is, by press convention,
continued in the next paragraph (which reopens it), so an unclosed quote ends at the line break
instead of swallowing the rest of the article; where the line breaks were lost, a straight mark
that opens a word right after a sentence end starts the next paragraph's quote.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

OPEN = "“«"
CLOSE = "”»"
STRAIGHT = '"'
DOUBLED = "''"  # two apostrophes standing for a straight double quote
SENTENCE_ENDS = ".?!…:"  # after one of these, a straight mark glued to the next word reopens a quote
SINGLE_OPEN = "‘'"
SINGLE_CLOSE = "’'"
SINGLE_MARKS = "‘’'"
FULL_STOPS = ".?!…"  # what ends a quoted sentence (no colon: a quote may follow one)
PUNCTUATION_INSIDE = FULL_STOPS + ",;:—–-"  # a quoted sentence's own mark, printed inside the closing single quote
OPENS_SINGLE_QUOTE = "\"“£$€(…."  # besides a word or a figure, what a single-quoted quote may start with
ELISIONS = {"n", "em", "til", "tis", "twas", "twere", "cause", "cos", "bout", "scuse", "fraid"}  # 'n', 'em, 'til ...
ELISION_WIDTH = 8  # characters read after a mark to see whether the word there is an elision


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
    starts = [q.start for q in singles]
    kept = [q for q in doubles if not _inside(singles, starts, q)]
    return sorted(kept + singles, key=lambda q: q.start)


def _inside(outer: list[Quote], starts: list[int], quote: Quote) -> bool:
    """Whether ``quote`` lies within one of ``outer`` (sorted, apart; ``starts`` are their starts)."""
    k = bisect_right(starts, quote.start) - 1
    return k >= 0 and outer[k].start <= quote.start and quote.end <= outer[k].end


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


_SINGLE_EVENTS = re.compile("[\n'‘’]")


def _single_quotes(text: str, doubles: list[Quote]) -> list[Quote]:
    """The quotes in single marks (‘...’ or '...'), as British and Irish papers print them, outside double quotes.

    A single mark is also an apostrophe ("students' union", "rock 'n' roll", "the '90s"), so a wrong quote is worse
    than a missed one, and a quote is only taken where it closes the way a quoted sentence does: with the quote's own
    comma, full stop or question mark right before the closing mark ('We will not stand for it,' she said). A mark
    that ends a word instead (a scare quote's 'a fantasy' in May, a possessive, rock 'n' roll) cancels the mark
    waiting for its close, an elision ('90s, 'til, 'em) never opens, and a later opening mark replaces an earlier
    one that has not closed. A line break ends a waiting quote, unless its paragraph ends a sentence and the next
    paragraph reopens it with a quote that does close: a long quote runs on that way, by press convention. One pass.
    """
    out: list[Quote] = []
    inside = iter([(q.start, q.end) for q in doubles] + [(len(text) + 1, len(text) + 1)])
    double = next(inside)
    pending = -1
    waiting: list[Quote] = []  # paragraphs of a long quote, kept once the paragraph at ``handover`` closes it
    handover = -1
    for mark in _SINGLE_EVENTS.finditer(text):  # only marks and line breaks matter: the scan runs in C between them
        i = mark.start()
        while double[1] <= i:
            double = next(inside)
        if double[0] <= i:
            continue  # inside a double quote: its own, or one nested in the pending single quote
        ch = text[i]
        if ch == "\n":
            following = _reopened_at(text, pending, i) if pending >= 0 else -1
            if following >= 0:
                if pending != handover:
                    waiting = []
                waiting.append(Quote(pending, _trim_end(text, pending + 1, i), False))
                handover = following
            elif i > handover:
                waiting = []
            pending = -1
        elif pending >= 0 and _closes_single(text, i):
            if waiting and pending == handover:
                out.extend(waiting)
            waiting = []
            out.append(Quote(pending, i + 1, True))
            pending = -1
        elif ch in SINGLE_CLOSE and _ends_word(text, i):
            pending = -1
        elif ch in SINGLE_OPEN and _opens_single(text, i):
            pending = i
    return [q for q in out if q.end - q.start > 2]


def _opens_single(text: str, i: int) -> bool:
    """A single mark opens a quote after a space, a line start or a bracket/dash, before a word, a figure or a
    nested quote, but not before an elision ('90s, 'til, rock 'n' roll) and not as half of "''"."""
    after = text[i + 1 : i + 2]
    starts_words = after.isalnum() or (bool(after) and after in OPENS_SINGLE_QUOTE)
    if not starts_words or not _opens(text, i) or text.startswith(DOUBLED, i):
        return False
    word = text[i + 1 : i + 1 + ELISION_WIDTH].split(maxsplit=1)[0] if after.isalnum() else ""
    word = "".join(ch for ch in word if ch.isalnum()).lower()
    return not (word[:1].isdigit() or word in ELISIONS)


def _closes_single(text: str, i: int) -> bool:
    """A single mark closes a quote right after the quote's own punctuation (or a nested quote that ends with it:
    'He shouted "Get out!"' she said), and not inside a word."""
    after = text[i + 1 : i + 2]
    before = text[i - 1 : i]
    own = before in PUNCTUATION_INSIDE or (before in '"”' and text[i - 2 : i - 1] in PUNCTUATION_INSIDE)
    return text[i] in SINGLE_CLOSE and bool(before) and own and not (after.isalnum() or after == "'")


def _ends_word(text: str, i: int) -> bool:
    """A mark straight after a word and not followed by one: "the Joneses' car", a scare quote's end."""
    return i > 0 and text[i - 1].isalnum() and not text[i + 1 : i + 2].isalnum()


def in_word(text: str, i: int) -> bool:
    """The mark at ``i`` is an apostrophe inside a word ("don't", "O'Neill"), with a letter or figure either side."""
    return i > 0 and text[i - 1].isalnum() and text[i + 1 : i + 2].isalnum()


def _reopened_at(text: str, start: int, end: int) -> int:
    """Where the next paragraph's opening mark stands, if the waiting quote at ``start`` may run on into it: its
    paragraph ends a sentence at ``end`` and the next paragraph opens with a single mark. Otherwise -1."""
    last = _trim_end(text, start, end) - 1
    nxt = end
    while nxt < len(text) and text[nxt].isspace():
        nxt += 1
    ok = text[last] in FULL_STOPS and nxt < len(text) and text[nxt] in SINGLE_OPEN and _opens_single(text, nxt)
    return nxt if ok else -1


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
