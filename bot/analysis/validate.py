"""Reject input that cannot be a news article, with a message a person can act on."""

from __future__ import annotations

import re
import unicodedata

from bot.errors import InputError, InputTooLarge

# Control characters other than tab, line feed and carriage return mean binary or terminal junk.
_ALLOWED_CONTROLS = {"\t", "\n", "\r", "\f", "\v"}
_MIN_LETTERS = 3
# A handful of stray C0 controls is tolerated, but text that is more than 0.1 % C0 controls is binary or
# terminal junk.
_STRAY_CONTROLS = 2
# C1 controls (U+0080-U+009F) are what mis-decoded text leaves behind: UTF-8 read as Latin-1 and saved again
# turns "Basáñez" into "BasÃ\x83Â¡...". Such articles are real and readable, so C1 controls get a looser budget
# of their own (2 % of the text); binary data decoded as text carries C0 controls too and is caught above.
_C1_SHARE = 50
# The parser's cost grows with its tokens, not with characters. Prose has about one word or punctuation mark per 5
# characters (the densest of 1,683 real articles measured, CNN/DM and BBC dev and PolNeAR, has one per 3.8), but a
# run of brackets, quote marks, "!" or "*" is one token per character, so 200,000 characters of them parse 5 times
# slower than the longest article. Text with more words and marks than 0.4 per character of ``max_chars`` (80,000
# at the default 200,000, twice what prose of that length has) is refused. Words and marks are counted with a
# regular expression, not the parser's tokenizer: it finds at least as many pieces as the tokenizer makes tokens
# on such runs, and the tokenizer itself takes seconds on long runs of apostrophes.
_PIECE = re.compile(r"[^\W_]+|\S")  # a run of letters and digits, or any other mark ("_" too: "___" is 3 tokens)
_PIECES_PER_MAX_CHAR = 0.4


def decode(data: bytes) -> str:
    """Decode UTF-8 bytes, refusing binary and undecodable input.

    A byte-order mark stays in the text as U+FEFF: the contract's offsets index the input as decoded, and
    the parser is shown a space in its place (see ``parse.parseable``).
    """
    if b"\x00" in data[:65536]:
        raise InputError("Input looks like a binary file (it contains NUL bytes), not text.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"Input is not valid UTF-8 (bad byte at position {exc.start}).") from None


def check_text(text: str, max_chars: int) -> None:
    """Raise ``InputError`` unless ``text`` is something worth analysing."""
    if len(text) > max_chars:
        raise InputTooLarge(f"Input is too long: {len(text):,} characters (the limit is {max_chars:,}).")
    if not _encodable(text):
        raise InputError("Input contains an unpaired surrogate (broken UTF-16), so it is not valid Unicode text.")
    if not text.strip():
        raise InputError("Input is empty: there is no text to analyse.")
    controls = [ch for ch in text if unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS]
    c1 = sum(1 for ch in controls if "\x80" <= ch <= "\x9f")
    c0 = len(controls) - c1
    if "\x00" in text or c0 > _STRAY_CONTROLS + len(text) // 1000 or c1 > _STRAY_CONTROLS + len(text) // _C1_SHARE:
        raise InputError(f"Input contains {len(controls)} control character(s); it looks binary, not like an article.")
    letters = sum(1 for ch in text if ch.isalpha())
    if letters < _MIN_LETTERS:
        raise InputError("Input has no words to analyse.")
    longest = max((len(w) for w in text.split()), default=0)
    if longest > 1_000:
        raise InputError(f"Input contains a 'word' of {longest:,} characters; it does not look like prose.")
    most = int(max_chars * _PIECES_PER_MAX_CHAR)
    if len(text) > most:  # every piece holds at least one character, so a shorter text has few enough
        pieces = sum(1 for _ in _PIECE.finditer(text))
        if pieces > most:
            raise InputError(
                f"Input breaks into {pieces:,} words and punctuation marks (the limit is {most:,}); "
                "long runs of brackets, quote marks or symbols do not look like prose."
            )


def _encodable(text: str) -> bool:
    """False for text with lone surrogates, which no UTF-8 consumer (the parser included) can take."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
