"""The content of an attribution: the direct quote it introduces, or its complement clause.

A direct quote may run over several sentences and paragraphs: “A. B,” she said. “C.” is one
quote, and so is a quote paragraph that the next paragraph reopens. The content then spans all
of it, so a cue quoted inside it (someone else's words) is not taken as a claim of its own.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable

from spacy.tokens import Doc, Token

from bot.analysis.doctext import doc_text
from bot.analysis.quotes import SINGLE_MARKS, SINGLE_OPEN, Quote, QuoteIndex, in_word
from bot.analysis.result import Span
from bot.analysis.segment import Sentence

PREFERRED = ("ccomp", "xcomp", "dobj", "pcomp", "attr", "oprd")
BLOCKING = {"ccomp", "xcomp"}
OTHER_CLAUSES = {"advcl", "conj", "acl", "relcl", "parataxis"}
JOINED_CLAUSES = {"advcl", "xcomp", "conj"}  # how a second verb joins the one that introduces a quote
MAX_GAP_WORDS = 3  # words between a participle's phrase and a quote that still finishes it
PARTIAL_QUOTE_HOSTS = {"ccomp", "xcomp"}
FRAGMENT_HOSTS = {"dobj", "oprd", "attr"}
FRAGMENT_PREPS = {"as", "for", "of", "about", "to"}
AUDIENCE_VERBS = {"tell", "inform", "assure", "remind", "brief", "notify", "ask"}
MIN_QUOTE = 12  # characters, marks included: shorter quotes are scare quotes and titles
MAX_CHAIN = 12
CLOSING_MARKS = "’'\"”»›"
SCARE_QUOTE_REACH = 100  # characters back from a claim's end that may hold a single-quoted phrase's opening mark


def content_of(doc: Doc, sent: Sentence, tok: Token, qindex: QuoteIndex) -> tuple[Span | None, bool]:
    """Return ``(content, direct_quote)`` for the cue headed by ``tok``."""
    text = doc_text(doc)
    if tok.pos_ == "ADV":  # "has reportedly held talks, though a spokesman called it 'speculation'": its clause
        return rest_of_sentence(doc, sent, tok), False
    quote = adjacent_quote(doc, sent, tok, qindex)
    if quote is not None:
        start, end = quote.inner(text)
        chained = continued_end(text, qindex, quote, sent)
        if chained > end:
            end = chained
        elif quote.closed:
            end = _drop_trailing_comma(text, start, end)
        return Span.of(text, start, end), True
    if tok.lower_ == "according":
        return around_phrase(doc, sent, tok), False
    by_dep = {c.dep_: c for c in tok.children}
    objects = _objects(doc, tok)
    if objects is not None and not by_dep.keys() & BLOCKING and _quote_inside(qindex, objects):
        # 'described the law as a “crazy system”', 'faulted the press for being “dishonest”': the objects
        # and the quoted words inside them are the claim
        return _close_quotes(text, qindex, objects, sent)
    for dep in PREFERRED:
        child = by_dep.get(dep)
        if dep == "dobj" and tok.lemma_.lower() in AUDIENCE_VERBS:
            continue  # "told CNN from Fiji": the object is who heard it, not what was said
        if child is not None:
            span = _subtree(text, child)
            if dep == "dobj":
                span = _with_predicate(text, tok, child, span)
            return _close_quotes(text, qindex, span, sent)
    if tok.dep_ == "parataxis" and any(c.dep_ == "nsubj" for c in tok.children):
        # "Voters, Clinton suggested, need not worry ...": a speaker set off by commas says the clause around it,
        # up to a clause joined after it ("..., doctors say, and some wondered ...")
        return _close_quotes(text, qindex, _host_clause(text, tok), sent)
    return None, False


def _host_clause(text: str, aside: Token) -> Span:
    """The clause an aside sits in, without the clauses joined to it after the aside."""
    head = aside.head
    joined = [c for c in head.children if c.dep_ in ("cc", "conj") and c.i > aside.i]
    end_tok = head.right_edge
    doc = head.doc
    if joined:
        end_tok = doc[min(c.left_edge.i for c in joined) - 1]
    lowest, aside_start, aside_end = head.left_edge.i, aside.left_edge.i, aside.right_edge.i
    while end_tok.i > lowest and (end_tok.is_punct or aside_start <= end_tok.i <= aside_end):
        # "The surgery was a no-brainer, doctors say": the claim ends before the aside, which is stepped over in
        # one go (word by word, nested asides made a long sentence quadratic)
        end_tok = doc[max(aside_start - 1, lowest) if aside_start <= end_tok.i <= aside_end else end_tok.i - 1]
    return Span.of(text, head.left_edge.idx, end_tok.idx + len(end_tok.text))


def _close_quotes(text: str, qindex: QuoteIndex, span: Span, sent: Sentence) -> tuple[Span, bool]:
    """A reported clause with quoted words in it: 'said voter fraud “would be a way to lose.”'.

    The parse tree stops before the closing mark, and sometimes mid-quote, so the span runs to the end of the
    quote. The claim then holds the speaker's own words, so it counts as a direct quote (which the severity
    rules weigh), and cues inside those words are the speaker's phrasing, not claims of their own.
    """
    quotes = [q for q in qindex.between(span.start, span.end) if q.end - q.start >= MIN_QUOTE]
    if not quotes:
        return _with_closing_single_mark(text, _without_lone_opening_mark(text, span)), False
    last = quotes[-1]
    end = max(span.end, last.end)  # the quoted words run on past where the parser ended the clause
    if last.end >= end and not _handed_over(text, qindex, last, sent):
        end = max(end, continued_end(text, qindex, last, sent))  # 'called it "wrong." "Creating ...': it goes on
    return (span if end == span.end else Span.of(text, span.start, end)), True


def _with_closing_single_mark(text: str, span: Span) -> Span:
    """ "the bill was 'a fantasy'.": the parser leaves a single-quoted phrase's closing mark out of the clause, and
    a claim that shows the opening mark without it reads as broken; take the mark back when the last mark within
    reach opens a word. Only ``SCARE_QUOTE_REACH`` characters are read, so many cues cost no more than one."""
    end = span.end
    if end >= len(text) or text[end] not in SINGLE_MARKS or text[end + 1 : end + 2].isalnum():
        return span
    for k in range(end - 1, max(span.start, end - SCARE_QUOTE_REACH) - 1, -1):
        if text[k] not in SINGLE_MARKS or in_word(text, k):
            continue  # "don't", "O'Neill": an apostrophe inside a word says nothing
        opens = text[k + 1 : k + 2].isalnum() and not text[k - 1 : k].isalnum()
        return Span.of(text, span.start, end + 1) if opens else span
    return span


def _without_lone_opening_mark(text: str, span: Span) -> Span:
    """ "'We win,' she said": a quote this short is not taken as one, and the parser's clause starts on its opening
    mark, whose close lies past the clause; drop the mark, as the parser does for a double one. Only a claim shorter
    than ``SCARE_QUOTE_REACH`` is read."""
    start, end = span.start, span.end
    if end - start > SCARE_QUOTE_REACH or text[start] not in SINGLE_OPEN or not text[start + 1 : start + 2].isalnum():
        return span
    if any(text[k] in SINGLE_MARKS and not in_word(text, k) for k in range(start + 1, end)):
        return span  # "'a fantasy' was his verdict": the phrase closes inside the claim
    return Span.of(text, start + 1, end)


def _handed_over(text: str, qindex: QuoteIndex, quote: Quote, sent: Sentence) -> bool:
    """Whether the quote after ``quote`` ends with a comma, handing over to a cue of its own ('"It was tough,"
    Ali said'), so it is not more of the claim before it."""
    nxt = _next_quote(text, qindex, max(quote.end, sent.end))
    if nxt is None:
        return False
    start, end = nxt.inner(text)
    return text[start:end].rstrip().endswith(",")  # the quote's own words only: no copy of the text before it


def _objects(doc: Doc, tok: Token) -> Span | None:
    """The stretch of the verb's objects and object-like phrases ("X as Y", "X for Y"), or None."""
    text = doc_text(doc)
    parts = [
        _subtree(text, c)
        for c in tok.children
        if c.dep_ in FRAGMENT_HOSTS or (c.dep_ == "prep" and c.lower_ in FRAGMENT_PREPS and c.i > tok.i)
    ]
    if not parts:
        return None
    return Span.of(text, min(p.start for p in parts), max(p.end for p in parts))


def _quote_inside(qindex: QuoteIndex, span: Span) -> bool:
    """Whether a quotation (not a short scare quote) starts inside ``span`` after its first word."""
    return any(span.start < q.start and q.end - q.start >= MIN_QUOTE for q in qindex.between(span.start, span.end))


def _drop_trailing_comma(text: str, start: int, end: int) -> int:
    """“We will appeal,” she said: the comma belongs to the sentence around the quote, not to the words."""
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return end if end > start else start


def _with_predicate(text: str, verb: Token, obj: Token, span: Span) -> Span:
    """ "see the project as the start of a wave", "called Oz a quack": the claim is the object and what it is called.

    The object alone ("the project") says nothing; its predicate ("as ..." or a second object) is the claim.
    """
    end = span.end
    for child in verb.children:
        if child.i <= obj.i:
            continue
        if child.dep_ == "oprd" or (child.dep_ == "prep" and child.lower_ == "as"):
            end = max(end, _subtree(text, child).end)
    return span if end == span.end else Span.of(text, span.start, end)


def around_phrase(doc: Doc, sent: Sentence, tok: Token) -> Span:
    """The claim an "according to X" phrase vouches for: the sentence on the other side of the phrase.

    "According to X, C." and "C, according to X." both give C; a phrase in mid-sentence ("C1, according to X,
    C2") leaves the whole sentence, since C1 and C2 together are the claim.
    """
    text = doc_text(doc)
    phrase_start, phrase_end = tok.idx, tok.right_edge.idx + len(tok.right_edge.text)
    before = text[sent.start : phrase_start]
    after = text[phrase_end : sent.end]
    if not any(ch.isalnum() for ch in before):
        start = phrase_end
        while start < sent.end and not text[start].isalnum() and text[start] not in "\"“‘'":
            start += 1
        return Span.of(text, min(start, sent.end), sent.end)
    if not any(ch.isalnum() for ch in after):
        end = phrase_start
        while end > sent.start and (text[end - 1].isspace() or text[end - 1] in ",;:—–-("):
            end -= 1
        return Span.of(text, sent.start, end)
    return Span.of(text, sent.start, sent.end)


def blocked_ranges(tok: Token, content: Span | None, direct: bool, qindex: QuoteIndex) -> list[tuple[int, int]]:
    """The stretches whose cues are nested in this one: its complements, and its direct quote.

    Each stretch is blocked on its own, not the hull of them all: "Asked whether ..., Ortiz said “...”"
    keeps "Asked", and in “A,” she said, citing X. “B.” only the quotes are hers, not "citing". A cue
    inside a quote blocks nothing outside that quote: the words around a quotation belong to the
    reporter, however the parser attached them.
    """
    text = doc_text(tok.doc)
    blocking = BLOCKING | ({"dobj"} if tok.lemma_.lower() in AUDIENCE_VERBS else set())  # "asked him about X"
    spans = [(s.start, s.end) for s in (_subtree(text, c) for c in tok.children if c.dep_ in blocking)]
    if content is not None and direct:
        spans.extend((q.start, q.end) for q in qindex.between(content.start - 1, content.end))
    elif content is not None:
        spans.append((content.start, content.end))
    quote = qindex.at(tok.idx)
    out = []
    for start, end in spans:
        if quote is not None:
            start, end = max(start, quote.start), min(end, quote.end)
        if start < end:
            out.append((start, end))
    return out


def _subtree(text: str, tok: Token) -> Span:
    left, right = tok.left_edge, tok.right_edge
    return Span.of(text, left.idx, right.idx + len(right.text))


def rest_of_sentence(doc: Doc, sent: Sentence, tok: Token) -> Span:
    """The sentence without a leading cue: the content of "According to X, ..." or "Reportedly, ..."."""
    start = sent.start if tok.idx > sent.start else tok.idx + len(tok.text)
    while start < sent.end and not doc_text(doc)[start].isalnum():
        start += 1
    return Span.of(doc_text(doc), min(start, sent.end), sent.end)


def adjacent_quote(doc: Doc, sent: Sentence, tok: Token, qindex: QuoteIndex) -> Quote | None:
    """The quote a cue introduces: in its sentence, closing in it, or opening right after a colon."""
    if qindex.at(tok.idx) is not None:
        return None
    other_clauses = [_subtree(doc_text(doc), c) for c in tok.children if c.dep_ in OTHER_CLAUSES]
    own_clauses = [_subtree(doc_text(doc), c) for c in tok.children if c.dep_ in PARTIAL_QUOTE_HOSTS]
    # 'called half of his supporters “deplorables”': a quoted word inside the verb's object is part of the claim
    objects = _objects(doc, tok)
    # "Mahajan, one of the members who voted against, called the deal '...'": a relative clause's verb quotes
    # only inside its own clause; the quote after it is the main verb's
    clause = _subtree(doc_text(doc), tok) if tok.dep_ == "relcl" else None

    def rejected(quote: Quote) -> bool:
        if quote.end - quote.start < MIN_QUOTE or _head_reports(tok, quote):
            return True
        if tok.dep_ == "conj" and tok.head.idx < quote.start and quote.end <= tok.idx:
            return True  # 'said the figures were "a disgrace" and accused X': the quote is the first verb's
        if clause is not None and not (clause.start <= quote.start and quote.end <= clause.end):
            return True
        if objects is not None and objects.start < quote.start < objects.end:
            return True
        if any(c.start <= quote.start and quote.end <= c.end for c in other_clauses):
            return True  # "mocked X, saying “...”": the quote is the other verb's
        # "said the tip named “illegal items.”": a quoted phrase inside the reported clause; “A,” she said, adding
        # that B: a verb with a clause of its own reports that clause, not the quote.
        return any(c.start < quote.start < c.end or c.end <= quote.start or quote.end <= c.start for c in own_clauses)

    window = (sent.start, sent.end) if clause is None else (max(sent.start, clause.start), min(sent.end, clause.end))
    best = _nearest(qindex.at_least(MIN_QUOTE), window, tok.idx, rejected, objects, other_clauses, own_clauses)
    if best is not None:
        return best
    first = qindex.at(sent.start)
    if first is not None and first.start < sent.start and first.end - first.start >= MIN_QUOTE \
            and not _head_reports(tok, first):
        return first
    if doc_text(doc)[sent.end - 1] == ":":
        return _next_quote(doc_text(doc), qindex, sent.end)
    if not any(c.dep_ in PREFERRED for c in tok.children):
        return _quote_just_before(doc_text(doc), qindex, sent.start)
    return None


def _head_reports(tok: Token, quote: Quote) -> bool:
    """Whether the quote is the head verb's, not this participle's: in '“...,” he said, crediting the software' and
    '“...,” she said when asked how he reads the news', the verb nearer the quote introduces it, and a participle
    joined to it that has its own object or clause reports that ("the software", "how he reads the news"). Such a
    participle takes no quote before it, nor one that follows its phrase after another verb or a full stop
    ('..., pointing out where the store used to be. “But those days are gone.”' goes on with the first speaker's
    words)."""
    head = tok.head
    if tok.dep_ not in JOINED_CLAUSES or head.pos_ not in {"VERB", "AUX"} or not head.idx < tok.idx:
        return False
    audience = tok.lemma_.lower() in AUDIENCE_VERBS
    if not any(c.dep_ in PREFERRED and not (audience and c.dep_ == "dobj") for c in tok.children):
        return False
    if quote.end <= head.idx:
        return True
    own_end = tok.right_edge.idx + len(tok.right_edge.text)
    if quote.start < own_end:
        return False
    # a quote right after the phrase still finishes it, where the parser hangs the quote elsewhere ('chiding him,
    # “What difference ...”', 'calling him, among other things, “a failed candidate.”'); one after another verb
    # or a full stop is not ('thanked her home state and then boomed, “...”')
    words_between = 0
    for between in tok.doc[tok.right_edge.i + 1 :]:
        if between.idx >= quote.start:
            return False
        words_between += between.is_alpha
        if between.pos_ in {"VERB", "AUX"} or between.text in {".", "!", "?"} or words_between > MAX_GAP_WORDS:
            return True  # stops within a few words, however far off the quote is
    return False


def _nearest(
    long: QuoteIndex,
    window: tuple[int, int],
    pos: int,
    rejected: Callable[[Quote], bool],
    objects: Span | None,
    other_clauses: list[Span],
    own_clauses: list[Span],
) -> Quote | None:
    """The quote starting in ``window`` (character offsets) nearest to ``pos``, the earlier one on a tie, that is not
    ``rejected``: what trying every quote of the window in turn, keeping the nearest, gives.

    The quotes are tried outward from ``pos``, nearest first, so the first one kept is the answer. A run of quotes
    that the cue's object or one of its other clauses holds is rejected as a whole and jumped over, so a cue looks
    at a few quotes however many the sentence has (trying them all, for every cue, made one long sentence of
    quotes quadratic).
    """
    starts = long.starts
    lo, hi = bisect_left(starts, window[0]), bisect_left(starts, window[1])
    if own_clauses:
        # a quote kept with a clause of the cue's own holds that clause's first character: there is one at most
        holder = long.at(own_clauses[0].start)
        k = bisect_left(starts, holder.start) if holder is not None else lo
        lo, hi = (k, k + 1) if holder is not None and lo <= k < hi else (lo, lo)
    right = min(max(bisect_left(starts, pos), lo), hi)
    left = right - 1
    while left >= lo or right < hi:
        go_left = right >= hi or (left >= lo and pos - starts[left] <= starts[right] - pos)
        k = left if go_left else right
        quote = long.quotes[k]
        if not rejected(quote):
            return quote
        block = _rejected_run(long, quote, objects, other_clauses)
        if go_left:
            left = min(k, bisect_left(starts, block[0])) - 1 if block is not None else k - 1
        else:
            right = max(k + 1, bisect_left(starts, block[1])) if block is not None else k + 1
    return None


def _rejected_run(long: QuoteIndex, quote: Quote, objects: Span | None, clauses: list[Span]) -> tuple[int, int] | None:
    """A stretch ``[a, b)`` holding ``quote.start`` where every quote that starts is rejected for the reason
    ``quote`` is: it starts inside the cue's object, or lies inside another clause of the cue."""
    if objects is not None and objects.start < quote.start < objects.end:
        return objects.start + 1, objects.end
    for c in clauses:
        if c.start <= quote.start and quote.end <= c.end:
            # every quote starting in the clause ends before the next one starts, so inside the clause, except
            # perhaps the last, which may run on past the clause's end
            last = long.quotes[bisect_left(long.starts, c.end) - 1]
            return c.start, (c.end if last.end <= c.end else last.start)
    return None


def _quote_just_before(text: str, qindex: QuoteIndex, pos: int) -> Quote | None:
    """ “Where do we go now?” Ann Lee said. A question or exclamation mark ends the sentence inside the quote,
    so the speaker's words sit in the sentence before; take them when only spaces (no paragraph break) part them.
    """
    before = pos
    while before > 0 and text[before - 1] in " \t":
        before -= 1
    quote = qindex.at(before - 1) if before > 0 else None
    if quote is None or not quote.closed or quote.end != before or quote.end - quote.start < MIN_QUOTE:
        return None
    inner_start, last = quote.inner(text)
    nested_end = last
    while last > inner_start and text[last - 1] in CLOSING_MARKS:
        last -= 1
    # “..., ‘What can I do?’” Weaver said; “..., ‘Help me.’” Weaver said: the mark that ends the words sits
    # inside a nested quote, and there even a full stop belongs to the inner words, not to the speaker's
    ends = ("?", "!", ".") if last < nested_end else ("?", "!")
    return quote if text[last - 1 : last] in ends else None


def _next_quote(text: str, qindex: QuoteIndex, pos: int) -> Quote | None:
    """The quote starting right after ``pos`` (white space between), if any."""
    stripped = pos
    while stripped < len(text) and text[stripped].isspace():
        stripped += 1
    quote = qindex.at(stripped)
    if quote is not None and quote.start == stripped and quote.end - quote.start >= MIN_QUOTE:
        return quote
    return None


def continued_end(text: str, qindex: QuoteIndex, quote: Quote, sent: Sentence) -> int:
    """Where a quote really ends: follow “...,” she said. “More.” and reopened paragraphs."""
    end = quote.inner(text)[1]
    pos = max(quote.end, sent.end)
    current = quote
    for _ in range(MAX_CHAIN):
        nxt = _next_quote(text, qindex, pos)
        if nxt is None:
            break
        gap = text[pos : nxt.start]
        if "\n" in gap and current.closed:
            break
        end, pos, current = nxt.inner(text)[1], nxt.end, nxt
    return end
