"""Sentence spans over the exact input, trimmed of surrounding white space.

A line break always ends a sentence (see ``nlp.newline_boundaries``); this module turns spaCy's
sentences into the trimmed, non-empty ``[start, end)`` spans that the contract indexes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from bot.analysis.boilerplate import is_masthead
from bot.analysis.exact import blank


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: its position among the sentences and its character range."""

    index: int
    start: int
    end: int
    token_start: int
    token_end: int


def sentences(doc: Doc) -> list[Sentence]:
    """Return the trimmed, non-blank sentences of ``doc`` in order."""
    out: list[Sentence] = []
    for sent in doc.sents:
        trimmed = _trim(sent)
        if trimmed is None:
            continue
        first, last = trimmed
        out.append(Sentence(len(out), first.idx, last.idx + len(last.text), first.i, last.i + 1))
    return out


def _trim(sent: Span) -> tuple[Token, Token] | None:
    """The first and last tokens that are not blank, found from each end (only the edges are looked at)."""
    doc = sent.doc
    first = sent.start
    while first < sent.end and _blank(doc[first]):
        first += 1
    if first == sent.end:
        return None
    last = sent.end - 1
    while last > first and _blank(doc[last]):
        last -= 1
    return doc[first], doc[last]


def _blank(token: Token) -> bool:
    """White space, or a token of nothing a reader can see (a stray zero-width or direction mark on its own line)."""
    if token.is_space:
        return True
    if token.text[:1].isalnum():
        return False  # nearly every token: no need to look its characters up
    return all(blank(ch) or unicodedata.category(ch) in ("Mn", "Me") for ch in token.text)


def title_line(text: str, sents: list[Sentence]) -> tuple[int, int] | None:
    """The ``[start, end)`` of the headline line: short, no final stop, text after it. It is the first line after any
    page furniture a pasted page brings along ("Skip to content", "Home", "FOR IMMEDIATE RELEASE", see
    ``body_start``).

    The whole line, not the first sentence: the parser sometimes splits a headline ("Dockworkers Walk Out | As
    Talks Collapse"). ``text`` is the parser's view, where every line ending is "\n".
    """
    if not sents:
        return None
    return _headline_at(text, _after_furniture(text, sents[0].start))


def body_start(text: str, sents: list[Sentence]) -> int:
    """Where the article itself begins: after the page furniture and the headline line, if any (0 when neither)."""
    if not sents:
        return 0
    start = _after_furniture(text, sents[0].start)
    line = _headline_at(text, start)
    return line[1] if line is not None else (start if start > sents[0].start else 0)


def _headline_at(text: str, start: int) -> tuple[int, int] | None:
    """The line from ``start`` when it looks like a headline (see ``title_line``)."""
    end = text.find("\n", start)
    if end < 0 or not text[end:].strip():
        return None
    while end > start and blank(text[end - 1]):
        end -= 1
    line = text[start:end]
    if not line or len(line) > 200:
        return None
    if line.endswith((".", "?", "!", '"', "”")) and not _title_case(line):
        return None  # a sentence, unless it is a title-case headline some sites end with a stop
    return start, end


# Lines a copied web page or press release carries above its headline: navigation, "skip" links, labels.
FURNITURE = re.compile(
    r"(?i:skip\s+to\s+(?:main\s+)?(?:content|navigation)|(?:main\s+)?menu|search|sign\s+in|log\s+in|subscribe|"
    r"advertisement|share(?:\s+this(?:\s+(?:article|story|page))?)?|(?:for\s+immediate|press)\s+release|"
    r"breaking(?:\s+news)?|live)[\s.:!|]*"
)
MAX_FURNITURE_LINES = 8
LABEL_WORDS = 3  # "Home", "News", "TOP STORY": a label line is this short and has no mark


def _after_furniture(text: str, start: int) -> int:
    """The start of the first line at or after ``start`` that is not page furniture.

    Furniture is a line of navigation or labels (``FURNITURE``), a byline, time stamp or picture credit
    (``is_masthead``), or a section label (``_label``) when a headline-shaped line follows it. At most
    ``MAX_FURNITURE_LINES`` are passed over, and never the last line with text.
    """
    at = start
    for _ in range(MAX_FURNITURE_LINES):
        end = text.find("\n", at)
        if end < 0:
            return at
        nxt = _next_line(text, end)
        if nxt is None:
            return at
        line = text[at:end].strip()
        if not (FURNITURE.fullmatch(line) or is_masthead(line) or (_label(line) and _headline_at(text, nxt))):
            return at
        at = nxt
    return at


def _label(line: str) -> bool:
    """A section label: one word ("Home", "Weather") or a few in capitals ("TOP STORY"), with no mark. A short
    headline in title case ("Port Strike Ends") is not one."""
    words = line.split()
    if not words or len(words) > LABEL_WORDS or not line[-1:].isalnum():
        return False
    return len(words) == 1 or line.isupper()


def _next_line(text: str, end: int) -> int | None:
    """The start of the next line holding text after the line break at ``end``, or None when none is left."""
    rest = len(text) - len(text[end:].lstrip())
    return rest if rest < len(text) else None


# A first paragraph of lines this short, set apart by a blank line, may be a headline (and deck) with a full stop.
HEADING_MAX_WORDS = 15
# A deck under a headline runs longer, but it ends without a full stop, as a lede never does.
DECK_MAX_WORDS = 35
BLANK_LINE = re.compile(r"\n[^\S\n]*\n")


def short_first_paragraph(text: str, sents: list[Sentence]) -> int:
    """The end of the first paragraph when it is one or two lines of at most ``HEADING_MAX_WORDS`` words each (a
    second line with no final stop may run to ``DECK_MAX_WORDS``), followed by a blank line and more text ("Pence
    blames media for Trump's flap." and a deck line); 0 otherwise.

    Such a paragraph is a headline or a short lede; the caller tells them apart by their grammar.
    """
    if not sents:
        return 0
    start = _after_furniture(text, sents[0].start)
    gap = BLANK_LINE.search(text, start)
    if gap is None or not text[gap.end() :].strip():
        return 0
    lines = text[start : gap.start()].split("\n")
    if len(lines) > 2 or len(lines[0].split()) > HEADING_MAX_WORDS:
        return 0
    if len(lines) == 2:
        deck = lines[1].strip()
        cap = HEADING_MAX_WORDS if deck.endswith((".", "!", "?", '"', "”")) else DECK_MAX_WORDS
        if len(deck.split()) > cap:
            return 0
    return gap.start()


def _title_case(line: str) -> bool:
    """Most longer words capitalised: "Man Spotted Directly Behind Hillary At Rally Wearing Shirt She'll HATE."."""
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", line) if len(w) > 3]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def title(text: str, sents: list[Sentence]) -> str | None:
    """The headline (see ``title_line``), or None."""
    line = title_line(text, sents)
    return text[line[0] : line[1]] if line is not None else None
