"""Where an article's heading ends: its headline line, and a short first paragraph that reads as a headline.

The headline line (no full stop, or title case; see ``segment.title_line``) is a heading. So is a short first
paragraph in headline grammar ("Pence blames media for Trump's flap.", "Fed holds rates steady, signals two cuts.",
a headline and its deck), but not a short lede: one with a dateline, or whose main verb is in the past tense ("A
senior official said the mayor took bribes."). Flags leave a heading to the body, which says who; the summary never
picks it, because the reader sees it as the title and the lede says it again.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from bot.analysis.doctext import quote_index
from bot.analysis.segment import BLANK_LINE, DECK_MAX_WORDS, Sentence, body_start, short_first_paragraph, title_line

_HEADING_KEY = "byline_heading_end"
# "LONDON (Wire) - ...", "WASHINGTON — ...": a dateline opens a lede, never a headline.
DATELINE = re.compile(r"[A-Z][A-Z .'’-]{2,}(?:\s*\([^)]*\))?\s*[-—–,]")


def heading_end(doc: Doc, text: str, sents: list[Sentence], strict: bool = False) -> int:
    """The offset where the heading ends, 0 when there is none. ``text`` is the parser's view of the input.

    Present-tense one-line ledes ("Critics say the tower is too tall.") cannot be told from headlines and are taken
    for them, unless ``strict``: then a main verb with an auxiliary ("The union has called a strike.", "Drivers will
    walk out.") marks a lede too, when the paragraph ends as a lede does, with a full stop (a deck has none, and a
    headline may ask a question). The summary is strict, because leaving out a lede costs a reader the news, where a
    flag left to the body costs nothing. Found once per document and strictness: the summary and the title both ask.
    """
    key = f"{_HEADING_KEY}:{'strict' if strict else 'loose'}"
    found = doc.user_data.get(key)
    if found is None:
        found = doc.user_data[key] = _heading_end(doc, text, sents, strict)
    return found


def _heading_end(doc: Doc, text: str, sents: list[Sentence], strict: bool) -> int:
    line_end = body_start(text, sents)
    end = short_first_paragraph(text, sents)
    if end <= line_end:
        # a deck as its own paragraph leaves the summary; its flags stay, as a title-case body line's do
        return _deck_end(text, line_end) if strict and title_line(text, sents) is not None else line_end
    start = _resumes(text, line_end, sents)
    if start >= end:
        return line_end  # ' reportedly \n\n...': the paragraph is the headline line and white space after it
    if DATELINE.match(text, start):
        return line_end
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return line_end
    quotes = quote_index(doc)
    roots = [t for t in span if t.dep_ == "ROOT" and quotes.at(t.idx) is None]  # "... 'Obama founded ISIS' flap."
    if any(t.tag_ == "VBD" for t in roots):
        return line_end
    if strict and text[start:end].rstrip().endswith((".", "!", '"', "”")) and any(
        c.dep_ in ("aux", "auxpass") and c.lower_ != "to" for t in roots for c in t.children
    ):
        return line_end
    return end


def _resumes(text: str, offset: int, sents: list[Sentence]) -> int:
    """Where the text goes on after ``offset`` (its next character that is not white space), or where the first
    sentence starts when ``offset`` is 0."""
    return len(text) - len(text[offset:].lstrip()) if offset else sents[0].start


def _deck_end(text: str, title_end: int) -> int:
    """After a headline line, a deck set as its own paragraph ("Investment will create 1,200 jobs; production to
    start in 2027"): one line with no closing mark, as a lede never is, then a blank line and the body. Its end, or
    ``title_end`` when there is none."""
    gap = BLANK_LINE.match(text, title_end)
    if gap is None:
        return title_end
    start = gap.end()
    stop = BLANK_LINE.search(text, start)
    if stop is None or not text[stop.end() :].strip():
        return title_end
    deck = text[start : stop.start()].strip()
    if not deck or "\n" in deck or len(deck.split()) > DECK_MAX_WORDS or not deck[-1].isalnum():
        return title_end
    return start + len(text[start : stop.start()].rstrip())


def headline(doc: Doc, text: str, sents: list[Sentence]) -> tuple[int, int] | None:
    """The ``[start, end)`` of the headline to show as the title: the headline line, or else the first line of a
    heading paragraph ("Fed holds rates steady, signals two cuts later this year."); None when there is neither."""
    line = title_line(text, sents)
    if line is not None or not sents:
        return line
    end, body = heading_end(doc, text, sents, strict=True), body_start(text, sents)
    if end <= body:
        return None  # no heading past the page furniture
    start = _resumes(text, body, sents)
    stop = text.find("\n", start, end)
    return start, (stop if stop >= 0 else end)
