"""Run sumy's summarisers on our own spaCy sentences and words, never on NLTK data.

sumy's default ``Tokenizer("english")`` loads NLTK's punkt model, which is not installed here, and
would also re-split the text differently from the rest of the engine. Instead we hand sumy a document
built from the sentences we already have, a tokenizer that answers from the parsed ``Doc``, and a
"stemmer" that maps each word to its spaCy lemma, so sumy does no language processing of its own.
"""

from __future__ import annotations

import functools
import importlib
import logging
import re
import warnings
from collections.abc import Sequence

from spacy.tokens import Doc
from sumy.models.dom import ObjectDocumentModel, Paragraph
from sumy.models.dom import Sentence as SumySentence
from sumy.utils import get_stop_words

from bot.analysis.doctext import doc_text
from bot.analysis.segment import Sentence

log = logging.getLogger(__name__)

LANGUAGE = "english"
# sumy's graph methods compare every pair of sentences in pure Python; past this many candidates we
# keep the first ones (news puts its substance early), so the cost stays bounded on long input.
MAX_SUMY_SENTENCES = 100
# Imported on first use: sumy's summarisers pull in NLTK (about 0.6 s), which the default never needs.
SUMMARIZERS: dict[str, str] = {
    "lexrank": "sumy.summarizers.lex_rank:LexRankSummarizer",
    "textrank": "sumy.summarizers.text_rank:TextRankSummarizer",
    "lsa": "sumy.summarizers.lsa:LsaSummarizer",
    "luhn": "sumy.summarizers.luhn:LuhnSummarizer",
}
_WORD = re.compile(r"\w")
_FALLBACK_SPLIT = re.compile(r"(?<=[.!?])[\"'”’)]*\s+|\s*[\r\n]+\s*")


@functools.cache
def stop_words() -> frozenset[str]:
    """sumy's English stop list: a text file shipped inside sumy, not NLTK data."""
    return frozenset(get_stop_words(LANGUAGE))


def summarizer_class(method: str) -> type:
    """Import and return sumy's summariser class for ``method`` (a key of ``SUMMARIZERS``)."""
    module, _, name = SUMMARIZERS[method].partition(":")
    return getattr(importlib.import_module(module), name)


class DocTokenizer:
    """The tokenizer object sumy expects (``to_sentences``, ``to_words``, ``language``), backed by a Doc.

    Words of known sentences come from the existing parse; unknown text falls back to a plain split,
    which keeps the object usable on its own without ever loading a model.
    """

    language = LANGUAGE

    def __init__(self, doc: Doc, sents: Sequence[Sentence]) -> None:
        self._text = text = doc_text(doc)
        self._sentences = [text[s.start : s.end] for s in sents]
        self._words: dict[str, tuple[str, ...]] = {}
        self.lemmas: dict[str, str] = {}
        for sent, text in zip(sents, self._sentences, strict=True):
            words = []
            for token in doc[sent.token_start : sent.token_end]:
                if token.is_space or not _WORD.search(token.text):
                    continue
                words.append(token.text)
                self.lemmas.setdefault(token.lower_, token.lemma_.lower() or token.lower_)
            self._words.setdefault(text, tuple(words))

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        """Split text into sentences: our own segmentation for the parsed text, a plain split otherwise."""
        if paragraph == self._text:
            return tuple(self._sentences)
        return tuple(p.strip() for p in _FALLBACK_SPLIT.split(paragraph) if p and p.strip())

    def to_words(self, sentence: str) -> tuple[str, ...]:
        """Return the words of a sentence (punctuation dropped), as sumy's tokenizer would."""
        known = self._words.get(sentence)
        if known is not None:
            return known
        return tuple(w for w in re.findall(r"\w[\w'’.-]*", sentence) if _WORD.search(w))

    def stem(self, word: str) -> str:
        """sumy's stemmer hook: the spaCy lemma of a word we parsed, else the lower-cased word."""
        lower = word.lower()
        return self.lemmas.get(lower, lower)


def summarize(doc: Doc, sents: Sequence[Sentence], eligible: Sequence[int], method: str, n: int) -> list[int]:
    """Pick ``n`` of the ``eligible`` sentence indices with a sumy method; return them in document order."""
    if n <= 0 or not eligible:
        return []
    candidates = list(eligible)[:MAX_SUMY_SENTENCES]
    if len(eligible) > len(candidates):
        log.debug("sumy %s: %d candidate sentences capped to %d", method, len(eligible), len(candidates))
    tokenizer = DocTokenizer(doc, [sents[i] for i in candidates])
    text = doc_text(doc)
    objects = [SumySentence(text[sents[i].start : sents[i].end], tokenizer) for i in candidates]
    where = {id(obj): i for obj, i in zip(objects, candidates, strict=True)}
    summarizer = summarizer_class(method)(tokenizer.stem)
    summarizer.stop_words = stop_words()
    wanted = min(n, len(objects))
    with warnings.catch_warnings():  # LSA warns on its way to an empty pick when sentences share no words
        warnings.simplefilter("ignore")
        picked = {where[id(s)] for s in summarizer(ObjectDocumentModel([Paragraph(objects)]), wanted)}
    # A method that finds nothing to rank (LSA on "He said.") still owes a summary: fill from the lead.
    picked |= set([i for i in candidates if i not in picked][: wanted - len(picked)])
    return sorted(picked)
