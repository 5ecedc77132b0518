"""Sentence-boundary rules applied before spaCy's parser, which respects preset boundaries.

The parser alone glues headlines to the next line, sometimes splits after abbreviations
("Gov. Jones"), and may start a sentence with a closing quote or cut '"Help!" he shouted.' in two.
These rules fix what a rule can decide safely and leave every other decision to the parser.
"""

from __future__ import annotations

import re

import numpy
from spacy.attrs import SENT_START
from spacy.tokens import Doc, Token

LINE_BREAKS = frozenset("\n\r\u2028\u2029\x0b\x0c\x85")
# Abbreviations that are always followed by a name: never a sentence end.
TITLES = frozenset({
    "mr", "mrs", "ms", "dr", "gov", "sen", "rep", "gen", "lt", "col", "sgt", "capt", "prof", "rev", "pres",
    "supt", "det", "insp", "cmdr", "adm", "maj", "cpl", "hon", "messrs", "mt", "brig", "rt",
})
# Abbreviations that end a sentence only rarely when a number follows ("Jan. 5", "No. 10").
BEFORE_NUMBER = frozenset({
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no", "nos", "vol", "p",
    "pp", "fig", "art",
})
# Money and count units written after a number ("£400m.", "$2bn."), whose full stop ends the sentence.
NUMBER_UNITS = frozenset({"m", "bn", "k", "tn", "mn", "b"})
# "wrote on X.", "posted to X.": before the site once called Twitter, "X." ends the sentence.
PLATFORM_PREPOSITIONS = frozenset({"on", "to", "via"})
INITIALISM = re.compile(r"^(?:[A-Za-z]\.){2,}$")
OPEN_QUOTES = frozenset("“‘«")
CLOSE_QUOTES = frozenset("”»")
STRAIGHT_QUOTES = frozenset("\"'")
BULLETS = frozenset({"-", "*", "•", "–", "—", "·", "+", ">"})
# Marks that end a sentence. A word is never followed by a new sentence on its line when one of them comes within
# this many tokens: the text is prose that marks its ends. A transcript or a caption dump with none is left to the
# parser, whose cuts are then all the structure there is.
STOPS = frozenset({".", "!", "?", "…"})
CLOCK_ENDS = frozenset({"a.m.", "p.m."})  # a time that ends a sentence with its own full stop
STOP_WITHIN = 60
# A line of at most this many tokens with no mark at all is a headline, a crosshead or a time stamp ("Train drivers to
# strike on six days in February", "10:42 GMT"): one sentence, never cut by the parser. A transcript's long unmarked
# lines are still left to it.
SHORT_LINE = 25
LABEL_WORDS = 3  # a line's opening label ("- Defence:", "PRESENTER:") is this short


def is_line_break(token: Token) -> bool:
    """True for a white-space token that contains a line or paragraph break."""
    return token.is_space and any(ch in LINE_BREAKS for ch in token.text)


def is_opening_quote(token: Token) -> bool:
    """A quote mark that opens a quotation: curly opener, or a straight one (double, or single as British papers
    print quotes) glued to the next word."""
    if token.text in OPEN_QUOTES:
        return True
    if token.text not in STRAIGHT_QUOTES or token.whitespace_:
        return False
    if token.i + 1 == len(token.doc) or token.nbor(1).is_space:  # nothing follows on its line: it closes
        return False
    return token.i == 0 or bool(token.nbor(-1).whitespace_) or token.nbor(-1).is_space or token.nbor(-1).is_punct


def is_closing_quote(token: Token) -> bool:
    """A quote mark that closes a quotation: curly closer, or a straight one glued to the previous word."""
    if token.text in CLOSE_QUOTES or token.text == "’":
        return token.i > 0 and not token.nbor(-1).whitespace_
    if token.text not in STRAIGHT_QUOTES or token.i == 0:
        return False
    prev = token.nbor(-1)
    return not prev.whitespace_ and not prev.is_space and not is_opening_quote(token)


def _is_bullet(token: Token) -> bool:
    """A list marker at the start of a line ("- item", "* item"): its item belongs with it."""
    at_line_start = token.i == 0 or is_line_break(token.nbor(-1))
    return at_line_start and token.text in BULLETS


def _starts_lower(token: Token) -> bool:
    return token.text[:1].islower()


def _starts_capital_or_figure(token: Token) -> bool:
    return token.text[:1].isupper() or token.text[:1].isdigit()


def _stop_ends_sentence(doc: Doc, stop: int) -> bool:
    """Whether the full stop token at ``stop`` can end a sentence by the word before it: not after a list's number at
    a line start ('1. "Jaws"'), a title or an abbreviation that comes before a number ("No.", "Mr."), or an initial."""
    if stop == 0:
        return False
    word = doc[stop - 1]
    if word.lower_ in TITLES or word.lower_ in BEFORE_NUMBER or (len(word.text) == 1 and word.is_alpha):
        return False
    return not _list_number(doc, word.i)


def _opens_line_as_label(doc: Doc, colon: int) -> bool:
    """The colon at ``colon`` ends a label of at most ``LABEL_WORDS`` words that opens its line (after any list
    marker): "- Defence:", "PRESENTER:", "A:"."""
    words = 0
    for k in range(colon - 1, -1, -1):
        token = doc[k]
        if is_line_break(token):
            return words > 0
        if token.is_space:
            continue
        if not (token.is_punct and _is_bullet(token)):
            words += 1
        if words > LABEL_WORDS:
            return False
    return words > 0


def _list_number(doc: Doc, i: int) -> bool:
    """Token ``i`` is a number that opens its line, as a numbered list's does."""
    return i >= 0 and doc[i].like_num and (i == 0 or is_line_break(doc[i - 1]))


def _abbrev_key(token: Token) -> str:
    return token.text[:-1].lower() if token.text.endswith(".") else ""


def rule_for(doc: Doc, i: int, stop_ahead: bool = True) -> bool | None:
    """Decide whether token ``i`` starts a sentence: True, False, or None to let the parser decide.

    ``stop_ahead``: a sentence-ending mark follows on the same line, soon (see ``STOP_WITHIN``).
    """
    token, prev = doc[i], doc[i - 1]
    if is_line_break(prev):
        return True
    if token.is_space or prev.is_space:
        return None
    if stop_ahead and prev.text[-1:].isalnum() and not prev.like_url:
        return False  # "a global hit with All Right Now", "Do They Know It's Christmas": no mark, no new sentence
    if stop_ahead and prev.text == ":" and _opens_line_as_label(doc, i - 1):
        return False  # "- Defence: Spending will rise ...", "PRESENTER: Good evening.": a label and what it labels
    if _is_bullet(prev):
        return False
    if is_closing_quote(token) or is_opening_quote(prev):
        return False
    if prev.text == "." and _list_number(doc, i - 2):
        return False  # '2. "Alien" (1979)': a numbered list's item starts after its number, not a sentence
    opens_next = i + 1 < len(doc) and is_opening_quote(token) and _starts_capital_or_figure(doc[i + 1])
    if prev.text in STOPS and prev.whitespace_ and opens_next and _stop_ends_sentence(doc, i - 1):
        return True  # "... the decision. 'He thinks ...": the mark opens the next sentence, not closes this one
    if prev.lower_ in CLOCK_ENDS and prev.whitespace_ and opens_next:
        return True  # '... shortly after 2 a.m. "The whole sky turned orange," said one resident.'

    if prev.text in CLOSE_QUOTES or is_closing_quote(prev):
        return False if _starts_lower(token) else None
    key = _abbrev_key(prev)
    if not key:
        return None
    if key in NUMBER_UNITS and i >= 2 and doc[i - 2].like_num and (token.is_title or is_opening_quote(token)):
        return True  # "profits rose by £400m. Analysts ...": the tokenizer keeps the full stop on the unit
    if key in TITLES:
        return False
    if key == "x" and prev.text == "X." and i >= 2 and doc[i - 2].lower_ in PLATFORM_PREPOSITIONS:
        return True  # '"Never again," one user wrote on X. Another posted': the platform, not an initial
    if key in BEFORE_NUMBER and token.like_num:
        return False
    if _starts_lower(token) or (token.like_num and INITIALISM.match(prev.text)):
        return False
    return None


def _stop_ahead(doc: Doc) -> list[bool]:
    """For each token, whether a sentence-ending mark comes within ``STOP_WITHIN`` tokens, before a line break, or
    its line is a short one with no mark at all (see ``SHORT_LINE``): either way the line's ends are its own."""
    out = [False] * len(doc)
    distance = STOP_WITHIN + 1
    line_end, marked = len(doc), False  # the current line's end (exclusive) and whether it holds a mark
    for i in range(len(doc) - 1, -1, -1):
        token = doc[i]
        if is_line_break(token):
            _close_line(out, i + 1, line_end, marked)
            distance = STOP_WITHIN + 1
            line_end, marked = i, False
        elif token.text[-1:] in STOPS:  # ".", "?", and a token that ends in one ("U.S.")
            distance = 0
            marked = True
        else:
            distance += 1
        out[i] = distance <= STOP_WITHIN
    _close_line(out, 0, line_end, marked)
    return out


def _close_line(out: list[bool], start: int, end: int, marked: bool) -> None:
    """Mark every token of a short line with no sentence mark as kept whole (``SHORT_LINE``)."""
    if not marked and end - start <= SHORT_LINE:
        out[start:end] = [True] * (end - start)


# spaCy's arrays are uint64: "not a sentence start" (-1) is stored as its two's-complement, as to_array gives it.
NOT_A_START = numpy.uint64(2**64 - 1)


def apply_rules(doc: Doc) -> Doc:
    """Preset the boundaries the rules are sure of; the parser fills in the rest.

    The decisions are written in one ``from_array`` call: setting ``Token.is_sent_start`` one token at a
    time re-scans the sentence structure on each write, which made long texts quadratic (3 s at 50k words).
    """
    if len(doc) < 2:
        return doc
    starts = doc.to_array([SENT_START])
    changed = False
    ahead = _stop_ahead(doc)
    for i in range(1, len(doc)):
        decision = rule_for(doc, i, ahead[i])
        if decision is not None:
            starts[i] = 1 if decision else NOT_A_START
            changed = True
    if changed:
        doc.from_array([SENT_START], starts)  # type: ignore[arg-type]  # the stub wants 2-D; one attribute is 1-D
    return doc
