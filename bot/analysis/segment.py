"""Sentence spans over the exact input, trimmed of surrounding white space.

A line break always ends a sentence (see ``nlp.newline_boundaries``); this module turns spaCy's
sentences into the trimmed, non-empty ``[start, end)`` spans that the contract indexes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

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
    """The ``[start, end)`` of the first line when it looks like a headline: short, no final stop, text after it.

    The whole line, not the first sentence: the parser sometimes splits a headline ("Dockworkers Walk Out | As
    Talks Collapse"). ``text`` is the parser's view, where every line ending is "\\n".
    """
    if not sents:
        return None
    start = sents[0].start
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


# A first paragraph of lines this short, set apart by a blank line, may be a headline (and deck) with a full stop.
HEADING_MAX_WORDS = 15
BLANK_LINE = re.compile(r"\n[^\S\n]*\n")


def short_first_paragraph(text: str, sents: list[Sentence]) -> int:
    """The end of the first paragraph when it is one or two lines of at most ``HEADING_MAX_WORDS`` words each,
    followed by a blank line and more text ("Pence blames media for Trump's flap." and a deck line); 0 otherwise.

    Such a paragraph is a headline or a short lede; the caller tells them apart by their grammar.
    """
    if not sents:
        return 0
    start = sents[0].start
    gap = BLANK_LINE.search(text, start)
    if gap is None or not text[gap.end() :].strip():
        return 0
    lines = text[start : gap.start()].split("\n")
    if len(lines) <= 2 and all(len(line.split()) <= HEADING_MAX_WORDS for line in lines):
        return gap.start()
    return 0


def _title_case(line: str) -> bool:
    """Most longer words capitalised: "Man Spotted Directly Behind Hillary At Rally Wearing Shirt She'll HATE."."""
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", line) if len(w) > 3]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def title(text: str, sents: list[Sentence]) -> str | None:
    """The headline (see ``title_line``), or None."""
    line = title_line(text, sents)
    return text[line[0] : line[1]] if line is not None else None
