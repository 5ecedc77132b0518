"""Parse long texts in pieces cut at line breaks, then join the pieces into one ``Doc``.

spaCy's memory for one ``nlp(text)`` call grows with the text: a 20k-word article peaks near 570 MB
and a 50k-word one above 1 GB, far over what a bot worker may use. A line break always ends a
sentence for Byline (see ``boundaries``), so cutting there changes no sentence; the pieces go through
``nlp.pipe`` and ``Doc.from_docs`` puts them back together with the exact text and offsets. Peak
memory then stays near that of one piece, and the parse is a little faster too (smaller arrays).
Each piece's ``tensor`` (the tok2vec output, 96 floats a token) is dropped as the piece leaves the
pipeline: only the pipeline's own components read it, and keeping it for every piece and again in
the joined ``Doc`` cost about 16 MB at the peak of a 20k-word parse.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import numpy
from spacy.language import Language
from spacy.tokens import Doc

from bot.analysis.boundaries import BEFORE_NUMBER, INITIALISM, TITLES

# Smallest piece, in words; pieces this size parse as fast as one doc.
PIECE_WORDS = 1_000
# Texts up to this many words are parsed whole. A cut moves the tagger's context at the cut, and on
# PolNeAR dev (texts up to 3.7k words) cutting at 1k words cost 0.002 cue F1; a whole parse of 5k
# words needs only about 70 MB more than a piece, so the cut is kept for the long texts that need it.
WHOLE_UP_TO = 5_000
BATCH_SIZE = 16
# Pieces of one text parsed together: spaCy's memory follows the words in a batch. One piece at a time
# keeps a worker parsing a 20k-word text near 190 MB (four pieces: 240 MB, sixteen: 480 MB); it costs
# about 5% of that parse's time. Results do not depend on it: the whole analysis of 6k-50k-word texts
# is identical with 1, 2 or 4. The worst text is now one just under WHOLE_UP_TO (whole: about 270 MB).
PIECE_BATCH = 1
# Same-length swaps for the parser's view of a text (see ``parseable``).
_PARSER_VIEW = str.maketrans({"\ufeff": " ", "\u200b": " ", "\r": "\n", "\u2028": "\n", "\u2029": "\n",
                              "\x0b": "\n", "\x0c": "\n", "\x85": "\n"})
# A curly apostrophe inside a contraction or a possessive ("I’m", "don’t", "Trump’s"): the parser sees a straight
# one, which its model was trained on ("I’m told" made "’m" the subject). Quote marks are left alone.
_CURLY_CONTRACTION = re.compile(r"(?<=[^\W\d_])’(?=(?:m|re|ve|ll|d|s|t)\b)", re.IGNORECASE)
# Emoji and pictographs, the joiners, selectors and tags that build emoji sequences, and the invisible direction
# marks: the parser sees spaces. Glued to a word ("according👩‍👩‍👧 to three people") they made the parser hang the
# words after them on a zero-width joiner, an invisible "source". They carry no grammar, and the reader still sees
# them in every span cut from the input.
_PICTOGRAPHS = re.compile("[\u200c-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufe0e\ufe0f\u2600-\u27bf"
                          "\u2b00-\u2bff\U0001f000-\U0001faff\U000e0020-\U000e007f]")
# Discord markdown, which members paste with their articles: the parser sees its marks as spaces. "said **Tom
# Baker**" lost its speaker, "__Sources familiar with the talks__ said" became a named source "_", and "It is
# **widely believed**" no claim at all. Only marks that pair up within a line count (emphasis, strike-through,
# spoilers, inline code), so a censored "b****" or a lone backtick used as a quote mark stays as it is; also a
# block quote's ">" at a line's start and the brackets and address of a masked link ("[text](https://...)").
_MD_PAIR = re.compile(r"(?<![\w*_~|])(\*\*\*?|__|~~|\|\|)(?=\S)([^\n]{1,1000}?)(?<=\S)\1(?![\w*_~|])")
_MD_SINGLE = re.compile(r"(?<![\w*])(\*)(?=[^\s*])([^*\n]{1,500}?)(?<=[^\s*])\*(?![\w*])"
                        r"|(?<![\w_])(_)(?=[^\s_])([^_\n]{1,500}?)(?<=[^\s_])_(?![\w_])"
                        r"|(?<![\w`])(`)([^`\n]{1,500})`(?![\w`])")  # not "It`s ... isn`t", backticks as apostrophes
_MD_QUOTE_LINE = re.compile(r"(?m)^([ \t]*)(>{1,3})(?=[ \t]|$)")
_URL = re.compile(r"(https?://[^\s<>()\[\]]+)")
# The "(https://...)" of a markdown link or image: an address may hold one level of brackets ("/wiki/Bridge_(road)")
# and be followed by a title in quotes ('(https://... "Site plan")').
_LINK_TARGET = r"\(<?https?://(?:[^()\s]|\([^()\s]{0,200}\)){1,2000}>?(?:[ \t]+\"[^\"\n]{0,300}\")?\)"
_MD_LINK = re.compile(r"\[([^\]\n]{1,300})\]" + _LINK_TARGET)
# "![alt](https://...)": an image, not words of the sentence it sits in; its "!" would end that sentence.
_MD_IMAGE = re.compile(r"!\[[^\]\n]{0,300}\]" + _LINK_TARGET)
# A run of one mark repeated this often (apostrophes, "=====", "*****") is decoration or a hostile paste, never
# words: the parser sees its first RUN_KEPT marks and spaces for the rest. spaCy's tokenizer splits such a run one
# mark at a time and reads the rest of the run again at each split, so 79 runs of 999 apostrophes (under every
# input limit) took about 30 s to analyse, 0.2 s now.
LONG_RUN = 16
RUN_KEPT = 3
_MARK_RUN = re.compile(r"([^\w\s])\1{" + str(LONG_RUN - 1) + ",}")
# The end of a line break and all the white space after it, so no white-space token is split in two.
_CUT = re.compile(r"\n\s*")
# A piece whose lines run past this many times ``piece_words`` (an article pasted as one line, a run-on paste) is cut
# inside its lines too: one line of 199 KB took 832 MB to parse, against 192 MB with its line breaks. It is cut after
# a sentence's end where one comes once ``piece_words`` are reached, and after any word at this limit.
LONG_LINE_PIECES = 2
_GAP = re.compile(r"\s+")
_CLOSERS = "\"'”’)]"
_OPENERS = "\"'“‘(["


def pieces(text: str, piece_words: int = PIECE_WORDS, whole_up_to: int = WHOLE_UP_TO) -> list[str]:
    """Cut ``text`` into pieces of at least ``piece_words`` words that join back to ``text``: after line breaks,
    and inside a line only when it is far longer than a piece (``LONG_LINE_PIECES``).

    A text of at most ``whole_up_to`` words stays whole.
    """
    if len(text.split()) <= whole_up_to:
        return [text]
    out: list[str] = []
    for part in _line_pieces(text, piece_words):
        long = len(part.split()) > LONG_LINE_PIECES * piece_words
        out.extend(_cut_inside_lines(part, piece_words) if long else [part])
    return out


def _cut_inside_lines(text: str, piece_words: int) -> list[str]:
    """Cut a long stretch after a sentence's end once ``piece_words`` words are in, or after any word once
    ``LONG_LINE_PIECES`` times as many are; each cut keeps the white space with the piece before it."""
    out: list[str] = []
    start = 0
    count = 0
    left = len(text.split())  # words not yet in a piece: a cut must leave a whole piece's worth after it
    for gap in _GAP.finditer(text):
        count += gap.start() > start  # a word stands before this white space
        if gap.end() >= len(text) or left - count < piece_words:
            break
        if (count >= piece_words and _ends_sentence(text, gap.start(), gap.end())) or (
                count >= LONG_LINE_PIECES * piece_words):
            out.append(text[start : gap.end()])
            start, left, count = gap.end(), left - count, 0
    out.append(text[start:])
    return [p for p in out if p]


def _ends_sentence(text: str, gap_start: int, gap_end: int) -> bool:
    """Whether the white space at ``gap_start:gap_end`` most likely follows a sentence's end ("... said. The")."""
    if "\n" in text[gap_start:gap_end]:
        return True
    end = gap_start
    while end > 0 and text[end - 1] in _CLOSERS:
        end -= 1
    if end == 0 or text[end - 1] not in ".!?":
        return False
    word = text[text.rfind(" ", 0, end) + 1 : end].strip(_OPENERS)
    key = word[:-1].lower()
    # "Mr. Lindqvist", "Jan. 5", "John F. Kennedy", "the U.S. Senate": abbreviations, not ends. A cut is needed only
    # every thousand words or so, so passing over a real end after one costs nothing.
    if key in TITLES or key in BEFORE_NUMBER or len(key) == 1 or INITIALISM.match(word):
        return False
    following = text[gap_end]
    return following.isupper() or following.isdigit() or following in _OPENERS


def _line_pieces(text: str, piece_words: int) -> list[str]:
    """Cut ``text`` after line breaks into pieces of at least ``piece_words`` words."""
    out: list[str] = []
    start = 0
    count = 0
    last = 0
    for match in _CUT.finditer(text):
        count += len(text[last : match.end()].split())
        last = match.end()
        if count >= piece_words and last < len(text):
            out.append(text[start:last])
            start, count = last, 0
    out.append(text[start:])
    return out


def parseable(text: str) -> str:
    """The text the parser sees: the input with every character kept in place, a few swapped for plainer ones.

    Offsets must index the exact input, so nothing is added or removed. A byte-order mark or a zero-width space
    glued to a word ("\ufeffOfficials") spoils its tag and entity, so it becomes a space. Every kind of line
    break becomes "\n" ("\r\n" becomes " \n"; the engine reads it as "\n", see ``line_endings``), so an old-Mac
    or Unicode line ending parses and segments exactly as a plain one. A long run of one mark keeps its first few
    marks and shows spaces for the rest (see ``LONG_RUN``), and emoji and markdown marks are spaces (see
    ``_PICTOGRAPHS``, ``_MD_PAIR``). The result's spans are cut from the exact input afterwards (``exact``).
    """
    view = _MARK_RUN.sub(_short_run, text.replace("\r\n", " \n").translate(_PARSER_VIEW))
    if "’" in view:
        view = _CURLY_CONTRACTION.sub("'", view)
    return _PICTOGRAPHS.sub(" ", _without_markdown(view))


def _without_markdown(view: str) -> str:
    """``view`` with Discord's markdown marks as spaces, the words inside them kept (see ``_MD_PAIR``)."""
    if not any(mark in view for mark in "*_~|`>["):
        return view
    view = _MD_IMAGE.sub(lambda m: " " * len(m.group()), view)
    view = _MD_LINK.sub(lambda m: " " + m.group(1) + " " * (len(m.group()) - len(m.group(1)) - 1), view)
    if "://" in view:  # a link's "_drafts_" or "__init__" is part of its address: only the text around links is read
        parts = _URL.split(view)
        return "".join(part if i % 2 else _marks_as_spaces(part) for i, part in enumerate(parts))
    return _marks_as_spaces(view)


def _marks_as_spaces(view: str) -> str:
    """Emphasis, spoiler, code and block-quote marks as spaces, in text that holds no link address."""
    view = _MD_QUOTE_LINE.sub(lambda m: m.group(1) + " " * len(m.group(2)), view)
    for _ in range(2):  # "||**nested**||"
        view = _MD_PAIR.sub(_inner_only, view)
    return _MD_SINGLE.sub(_inner_only, view)


def _inner_only(match: re.Match[str]) -> str:
    """The matched marks as spaces around the text they enclose."""
    mark = next(g for g in match.groups()[::2] if g)
    inner = match.group()[len(mark) : len(match.group()) - len(mark)]
    return " " * len(mark) + inner + " " * len(mark)


def _short_run(match: re.Match[str]) -> str:
    """The run's first ``RUN_KEPT`` marks, then spaces to its full length."""
    run = match.group()
    return run[:RUN_KEPT] + " " * (len(run) - RUN_KEPT)


def parse(nlp: Language, text: str) -> Doc:
    """Parse one text, in pieces when it is long."""
    text = parseable(text)
    parts = pieces(text, PIECE_WORDS, WHOLE_UP_TO)
    if len(parts) == 1:
        return nlp(text)
    return _join(nlp, text, [_without_tensor(doc) for doc in nlp.pipe(parts, batch_size=PIECE_BATCH)])


def parse_many(nlp: Language, texts: Iterable[str], batch_size: int = BATCH_SIZE) -> Iterator[Doc]:
    """Parse texts with one ``nlp.pipe`` stream of pieces; yield one joined ``Doc`` per text, in order."""
    items = [parseable(text) for text in texts]
    plan = [pieces(text, PIECE_WORDS, WHOLE_UP_TO) for text in items]
    stream = nlp.pipe((p for parts in plan for p in parts), batch_size=batch_size)
    for text, parts in zip(items, plan, strict=True):
        if len(parts) == 1:
            yield next(stream)
        else:
            yield _join(nlp, text, [_without_tensor(next(stream)) for _ in parts])


def _without_tensor(doc: Doc) -> Doc:
    """Free a finished piece's tok2vec output; the analysis never reads it (no vectors, no similarity).

    Safe only once ``doc`` has left the last component: the tagger and parser read ``doc.tensor`` while
    the pipeline runs.
    """
    doc.tensor = numpy.zeros((0,), dtype="float32")
    return doc


def _join(nlp: Language, text: str, docs: list[Doc]) -> Doc:
    """Join the pieces; fall back to a whole parse if the join ever failed to reproduce the text."""
    joined = Doc.from_docs(docs, ensure_whitespace=False)  # the pieces' tensors are empty already
    return joined if joined.text == text else nlp(text)
