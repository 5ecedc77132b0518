"""What a member types into /search, turned into a bounded FTS5 query (pure: no SQL runs here).

FTS5 walks a term's whole list of documents, and a prefix term (``a*``) merges the lists of every word that starts
with it, so a query of many short prefixes reads the guild's entire index once per term. Terms are therefore
de-duplicated, capped at ``MAX_QUERY_TERMS`` words, and a prefix must keep ``MIN_PREFIX_CHARS`` letters. The store
drops what breaks these rules (any input stays safe); the commands ask ``query_problem`` first, so a member is told
why instead of silently getting other results.

Chinese, Japanese and Korean are written without spaces between words, and unicode61 makes a whole run of such
characters one token, so a word inside a sentence could never be found. Those runs are indexed (in a second table,
see ``bot.store_cjk``) as their overlapping character pairs, ``char_pairs``, and a query word containing them
becomes the phrase of its pairs: "地震" finds 「東京で大きな地震が発生した」.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_QUERY_CHARS = 512
MAX_QUERY_TERMS = 8  # words, counted as the index splits them: "a-b-c" is three
MIN_PREFIX_CHARS = 3
_SURROGATE = re.compile("[\ud800-\udfff]")
# The pieces unicode61 indexes as words: runs of letters and digits (anything else separates them).
_WORD = re.compile(r"[^\W_]+")
# Scripts written without spaces between words: kana, CJK ideographs (with extensions and compatibility forms),
# Hangul, half-width katakana, and the marks that stand for an ideograph (々 repeats the one before it, as in 人々;
# 〆 and 〇). Migration 0013 finds the same ranges with GLOB; keep the two in step.
CJK_CHARS = ("\u1100-\u11ff\u3005-\u3007\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
             "\uf900-\ufaff\uff66-\uff9f\U00020000-\U0002ffff")
_CJK_RUN = re.compile(f"[{CJK_CHARS}]+")


@dataclass(frozen=True)
class ParsedQuery:
    """The quoted FTS5 terms kept, and what was left out and why."""

    terms: tuple[str, ...] = ()
    short_prefixes: tuple[str, ...] = ()  # ``ab*``: too short a start to search for
    over_limit: bool = False  # more than MAX_QUERY_TERMS words were given; the first ones are kept
    lone_cjk: tuple[str, ...] = ()  # a single CJK character: it is indexed only inside pairs
    cjk: bool = False  # some term is CJK: search the pairs index, where every term is written the same way
    words: tuple[str, ...] = ()  # the kept words as typed (no ``*``), to mark them in a snippet

    @property
    def match(self) -> str | None:
        """The terms as one FTS5 expression (all required), or None when nothing searchable is left."""
        # FTS5 takes an implicit AND between phrases only: a term with both forms, "(a OR b)", needs it spelt out
        joint = " AND " if any(term.startswith("(") for term in self.terms) else " "
        return joint.join(self.terms) or None


def parse_query(raw: object) -> ParsedQuery:
    """Split, quote and bound a typed query; quoting turns FTS5 operators (NEAR, ``^``, ``col:``) into plain words.

    A trailing ``*`` keeps a prefix search when the last word before it has at least MIN_PREFIX_CHARS characters;
    after a CJK character it is dropped, since the pairs already match inside longer words.
    """
    if not isinstance(raw, str):
        return ParsedQuery()
    text = unicodedata.normalize("NFC", _SURROGATE.sub("\ufffd", raw[:MAX_QUERY_CHARS])).replace("\x00", " ")
    terms: list[str] = []
    short: list[str] = []
    lone: list[str] = []
    kept: list[str] = []
    seen: set[tuple[str, bool]] = set()
    words = 0
    for piece in text.split():
        word = piece.rstrip("*")
        paired = char_pairs(word).strip()
        pieces = _WORD.findall(paired)
        if not pieces:
            continue
        runs = _CJK_RUN.findall(word)
        if any(len(run) < 2 for run in runs):
            lone.append(piece)
            continue
        prefix = piece.endswith("*") and not _CJK_RUN.fullmatch(pieces[-1][-1])
        if prefix and len(pieces[-1]) < MIN_PREFIX_CHARS:
            short.append(piece)
            continue
        key = (" ".join(pieces).casefold(), prefix)
        if key in seen:
            continue
        if words + len(pieces) > MAX_QUERY_TERMS:
            return ParsedQuery(tuple(terms), tuple(short), True, tuple(lone), any(map(has_cjk, kept)), tuple(kept))
        seen.add(key)
        words += len(pieces)
        kept.append(word)
        terms.append(_term(paired, prefix))
    return ParsedQuery(tuple(terms), tuple(short), False, tuple(lone), any(map(has_cjk, kept)), tuple(kept))


def _term(word: str, prefix: bool) -> str:
    """One quoted FTS5 term, for text stored composed or decomposed alike.

    The word index holds the stored text as it is, and ``remove_diacritics`` strips the loose marks of decomposed text
    (и + U+0306) but folds no precomposed letter outside Latin (й): a word with such a letter is asked for in both
    forms, either of which may be in the index.
    """
    star = "*" if prefix else ""
    forms = [word]
    decomposed = unicodedata.normalize("NFD", word)
    if decomposed != word and any(not unicodedata.name(ch, "").startswith("LATIN") and unicodedata.decomposition(ch)
                                  for ch in word):
        forms.append(decomposed)  # Latin letters are folded alike in both forms: asked for once
    quoted = ['"' + form.replace('"', '""') + '"' + star for form in forms]
    return quoted[0] if len(quoted) == 1 else "(" + " OR ".join(quoted) + ")"


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds a character of a script written without spaces (see CJK_CHARS)."""
    return _CJK_RUN.search(text) is not None


def char_pairs(text: str) -> str:
    """``text`` with each CJK run written as its overlapping pairs, apart from the words around it.

    "東京で大地震" becomes " 東京 京で で大 大地 地震 "; a lone character stays as it is. The index and the query
    both go through here, so a query word's pairs are found as a phrase wherever the word occurs.
    """
    def pairs(run: re.Match[str]) -> str:
        chars = run.group()
        return " " + (chars if len(chars) == 1 else " ".join(chars[i:i + 2] for i in range(len(chars) - 1))) + " "

    return _CJK_RUN.sub(pairs, text)


def marked_snippet(text: str, words: tuple[str, ...], *, context: int = 40) -> str | None:
    """The text around the first of ``words`` (in their order) found in ``text``, every one of them in it between
    ``**``; None when none is found.

    FTS5's own snippet would show the pairs index ("東京 京で"), not the article, so CJK hits are marked here.
    """
    wanted = [w for w in words if w]
    if not wanted:
        return None
    folded = text.casefold()
    at, word = next(((folded.find(w.casefold()), w) for w in wanted if w.casefold() in folded), (-1, ""))
    if at < 0:
        return None
    start, end = max(0, at - context), min(len(text), at + len(word) + context)
    marks = re.compile("|".join(re.escape(w) for w in sorted(wanted, key=len, reverse=True)), re.IGNORECASE)
    shown = marks.sub(lambda m: f"**{m.group()}**", text[start:end])
    return f"{'…' if start else ''}{shown}{'…' if end < len(text) else ''}"


def query_problem(raw: str) -> str | None:
    """Why ``raw`` cannot be searched as typed, in words for the member; None when it can."""
    parsed = parse_query(raw)
    if parsed.lone_cjk:
        return (f"Give at least two Chinese, Japanese or Korean characters together (`{parsed.lone_cjk[0][:20]}` "
                "has one on its own).")
    if parsed.short_prefixes:
        shown = ", ".join(f"`{p[:20]}`" for p in parsed.short_prefixes[:3])
        return (f"A word ending in * needs at least {MIN_PREFIX_CHARS} letters before the * ({shown} is too "
                "short): type the whole word, or more of its start.")
    if parsed.over_limit:
        note = f" (in Chinese, Japanese or Korean, at most {MAX_QUERY_TERMS + 1} characters together)"
        return f"Search for at most {MAX_QUERY_TERMS} words at a time{note if has_cjk(raw) else ''}."
    return None


def fts_query(raw: object) -> str | None:
    """The safe FTS5 expression for ``raw`` (see ``parse_query``), or None when nothing searchable is left."""
    return parse_query(raw).match
