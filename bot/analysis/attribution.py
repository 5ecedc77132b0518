"""Attribution finder: who said or believed what, through which cue, in one pass over the parse.

Cues come from ``cues`` (weighted lexicon plus evidential adverbs) and from headline or transcript
colons ("Trump: ..."); sources and their kinds from ``sources``; direct quotes from ``quotes``;
pronoun sources are resolved by ``coref``. Every step is linear in the number of tokens.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from bot.analysis import cues, sources
from bot.analysis.coref import Mention, Resolver
from bot.analysis.quotes import Quote, QuoteIndex, find_quotes
from bot.analysis.result import Attribution, Span
from bot.analysis.segment import Sentence

COMPLEMENTS = ("ccomp", "xcomp", "dobj", "pcomp")
MAX_COLON_PREFIX = 6


def find_attributions(doc: Doc, sents: list[Sentence]) -> list[Attribution]:
    """Return every reported claim in ``doc``, in document order."""
    text = doc.text
    if not sents:
        return []
    sent_of = _sentence_of_tokens(doc, sents)
    qindex = QuoteIndex(find_quotes(text))
    resolver = Resolver(doc, sent_of)
    named: list[Mention] = []
    out: list[Attribution] = []
    taken: set[int] = set()
    for sent in sents:
        for tok in doc[sent.token_start : sent.token_end]:
            if tok.i in taken:
                continue
            found = _colon_cue(doc, sent, tok) if tok.text == ":" else None
            if found is None and cues.is_cue(tok, qindex.at(tok.idx) is not None):
                found = _verb_cue(doc, sent, tok, qindex, resolver, named)
            if found is None:
                continue
            attribution, cue_tokens = found
            taken.update(cue_tokens)
            out.append(attribution)
            if attribution.source_kind == "named" and attribution.source is not None:
                named.append(Mention(tok.i, sent.index, attribution.source.text))
    return out


def _sentence_of_tokens(doc: Doc, sents: list[Sentence]) -> list[int]:
    """Map every token to the index of the trimmed sentence that holds it (or the one before)."""
    sent_of = [0] * len(doc)
    k = 0
    for i in range(len(doc)):
        while k + 1 < len(sents) and sents[k + 1].token_start <= i:
            k += 1
        sent_of[i] = k
    return sent_of


def _verb_cue(
    doc: Doc, sent: Sentence, tok: Token, qindex: QuoteIndex, resolver: Resolver, named: list[Mention]
) -> tuple[Attribution, range] | None:
    """Build the attribution of a lexical cue headed by ``tok``."""
    text = doc.text
    i, j = cues.cue_extent(tok)
    cue = Span.of(text, doc[i].idx, doc[j - 1].idx + len(doc[j - 1].text))
    head = sources.source_of(tok)
    source = kind = None
    speaker = None
    if head is not None:
        si, sj = sources.np_bounds(head)
        source = Span.of(text, doc[si].idx, doc[sj - 1].idx + len(doc[sj - 1].text))
        kind = sources.classify(head, si, sj)
        if kind == "pronoun":
            speaker = resolver.resolve(head, named)
    content, direct = _content(doc, sent, tok, qindex, cue)
    attribution = Attribution(cue, source, content, kind or "none", direct, sent.index, speaker)
    return attribution, range(i, j)


def _content(doc: Doc, sent: Sentence, tok: Token, qindex: QuoteIndex, cue: Span) -> tuple[Span | None, bool]:
    """Return the reported content: the adjacent direct quote when there is one, else the complement clause."""
    text = doc.text
    quote = _adjacent_quote(doc, sent, tok, qindex)
    if quote is not None:
        s, e = quote.inner(text)
        return Span.of(text, s, e), True
    for child in tok.children:
        if child.dep_ in COMPLEMENTS or (tok.lower_ == "according" and child.dep_ == "prep"):
            left, right = child.left_edge, child.right_edge
            if tok.lower_ == "according":
                return _rest_of_sentence(doc, sent, tok), False
            return Span.of(text, left.idx, right.idx + len(right.text)), False
    if tok.pos_ == "ADV" or tok.lower_ == "according":
        return _rest_of_sentence(doc, sent, tok), False
    return None, False


def _rest_of_sentence(doc: Doc, sent: Sentence, tok: Token) -> Span:
    """The sentence without the cue phrase: the content of "according to X, ..." or "reportedly ..."."""
    text = doc.text
    head = tok.head if tok.dep_ not in ("ROOT",) else tok
    start = sent.start if tok.idx > sent.start else tok.idx + len(tok.text)
    end = sent.end
    del head
    return Span.of(text, start, end)


def _adjacent_quote(doc: Doc, sent: Sentence, tok: Token, qindex: QuoteIndex) -> Quote | None:
    """A quote in the cue's sentence (or ending just before it) that the cue itself is not inside."""
    if qindex.at(tok.idx) is not None:
        return None
    quotes = qindex.between(sent.start, sent.end)
    before = qindex.at(max(sent.start - 1, 0)) if sent.start > 0 else None
    best: Quote | None = None
    for quote in quotes:
        if quote.end - quote.start < 12:
            continue
        if best is None or abs(quote.start - tok.idx) < abs(best.start - tok.idx):
            best = quote
    if best is None:
        best = _quote_ending_at(doc, sent, qindex) or (before if before and before.end >= sent.start - 2 else None)
    return best


def _quote_ending_at(doc: Doc, sent: Sentence, qindex: QuoteIndex) -> Quote | None:
    """A multi-sentence quote that closes inside this sentence: “A. B,” she said."""
    for tok in doc[sent.token_start : sent.token_end]:
        quote = qindex.at(tok.idx)
        if quote is not None and quote.start < sent.start and quote.end - quote.start >= 12:
            return quote
    return None


def _colon_cue(doc: Doc, sent: Sentence, colon: Token) -> tuple[Attribution, range] | None:
    """Headline and transcript colons: "Trump: Cruz Has a Long Way to Go", "PENCE: Well, ...".

    The text before the colon must be a short name-like phrase at the start of the sentence.
    """
    prefix = [t for t in doc[sent.token_start : colon.i] if not t.is_punct]
    if not prefix or len(prefix) > MAX_COLON_PREFIX or colon.i + 1 >= sent.token_end:
        return None
    if any(t.pos_ in ("VERB", "AUX", "PRON", "ADP", "DET") for t in prefix) or not any(
        t.pos_ in ("PROPN", "NOUN") for t in prefix
    ):
        return None
    text = doc.text
    first = doc[sent.token_start]
    if first.is_punct:
        first = prefix[0]
    source = Span.of(text, first.idx, prefix[-1].idx + len(prefix[-1].text))
    head = max(prefix, key=lambda t: t.pos_ == "PROPN")
    kind = sources.classify(head, prefix[0].i, prefix[-1].i + 1)
    cue = Span.of(text, colon.idx, colon.idx + 1)
    content = Span.of(text, doc[colon.i + 1].idx, sent.end)
    return Attribution(cue, source, content, kind, False, sent.index, None), range(colon.i, colon.i + 1)
