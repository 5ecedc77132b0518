"""Attribution finder: who said or believed what, through which cue, in one pass over the parse.

Cues come from ``cues`` (weighted lexicon plus evidential adverbs) and from headline or transcript
colons ("Trump: ..."); sources and their kinds from ``sources``; direct quotes from ``quotes``;
pronoun sources are resolved by ``coref``. Every step is linear in the number of tokens.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from dataclasses import replace

from spacy.tokens import Doc, Token
from spacy.tokens import Span as Tokens

from bot.analysis import cues, headlines, interviews, sources, speech
from bot.analysis.content import blocked_ranges, content_of
from bot.analysis.coref import OFFICE_ROLES, THIRD_PERSON, Mention, Resolver, by_token
from bot.analysis.doctext import doc_text, quote_index, tokens_of
from bot.analysis.lexicon import words
from bot.analysis.quotes import QuoteIndex, merge
from bot.analysis.result import Attribution, Span
from bot.analysis.segment import Sentence

MAX_COLON_PREFIX = 6
MIN_HEADLINE_WORDS = 3  # capitalised words that make the text after a colon a headline
NO_SOURCE_MIN = 0.1
UNNAMED_MIN = 0.3
NO_SOURCE_CUE_MIN = 0.45
CONJUNCT_MIN = 0.8
CONTRASTING = {"while", "whereas", "although", "though", "whilst"}
RELATIVE_MIN = 0.9
# A reported cue inside a quotation that no cue reports ("I think", "they told us") is the quoted
# speaker's own phrasing; with only a pronoun for a source it says nothing a reader can check.
DROP_KINDS_IN_QUOTE = {"pronoun"}
RELATIVE_PRONOUNS = {"who", "that", "which", "whom", "what"}
DASHES = {"―", "—", "–", "--"}
# verbs of plain saying whose claim may come first, before a comma ("..., a spokeswoman said on Saturday")
FRONTING_VERBS = {"say", "tell", "write", "add", "report", "note", "insist", "argue", "explain", "warn", "predict",
                  "confirm", "claim", "admit", "acknowledge", "maintain", "announce"}
MAX_NAME_TOKENS = 4
# Verbs only a person does, by which an unnamed speaker comes into view for a later "she said" (see ``coref``).
PERSONAL_SPEECH = {"say", "tell", "add", "explain", "recall", "insist", "ask", "write", "admit", "complain", "argue",
                   "describe", "reply", "respond", "agree", "acknowledge", "joke", "testify", "warn", "recount"}
# Lexicons of nouns that are papers, polls or bodies, never one person who could be "she" later.
NOT_PEOPLE_LISTS = ("document_nouns.txt", "poll_nouns.txt", "institution_nouns.txt", "organisation_nouns.txt",
              "body_nouns.txt")
DENYING = {"deny", "dispute", "reject", "contest", "refute", "rebut"}
MAX_LINE = 20_000  # a transcript turn runs to the end of its line, looked for this far at most
# Cues whose claim is their whole sentence ("reportedly" in mid-sentence, "according to X" inside it) that keep it:
# past these, each later one claims only the words up to the next such cue. A run-on paste of one word ("Reportedly
# Reportedly ...", 18,000 times) otherwise carried its sentence once per cue: gigabytes of output from 200 KB.
MAX_WHOLE_SENTENCE_CLAIMS = 4
_NEXT_MARKS_KEY = "byline_next_marks"


def find_attributions(doc: Doc, sents: list[Sentence]) -> list[Attribution]:
    """Return every reported claim in ``doc``, in document order.

    Within a sentence the outermost cue wins: a cue inside the content of another ("Trump said
    Clinton claimed ...") is a nested claim and is left out, as the annotation scheme does.
    """
    if not sents:
        return []
    state = _State(doc, sents)
    out: list[Attribution] = []
    for sent in sents:
        out.extend(_sentence_attributions(state, sent))
    kept = interviews.voice_answers(_drop_inside_quotes(out, state.qindex, doc_text(doc)), doc)
    return [a if speech.is_speech(a, doc) else replace(a, speech=False) for a in kept]


class _State:
    """Per-document indexes shared by every sentence."""

    def __init__(self, doc: Doc, sents: list[Sentence]) -> None:
        self.doc = doc
        self.sent_of = _sentence_of_tokens(doc, sents)
        self.qindex = quote_index(doc)
        self.resolver = Resolver(doc, self.sent_of)
        self.named: list[Mention] = []


def _sentence_attributions(state: _State, sent: Sentence) -> list[Attribution]:
    doc = state.doc
    candidates: list[tuple[bool, int, int, Token]] = []
    offsets: list[int] = []
    for tok in doc[sent.token_start : sent.token_end]:
        offsets.append(tok.idx)
        quoted = state.qindex.at(tok.idx) is not None
        if _is_candidate(tok, quoted):
            candidates.append((quoted, _depth(tok), tok.i, tok))
    candidates.sort(key=lambda c: c[:3])  # the reporter's words first, then the outermost cue
    found: list[Attribution] = []
    blocked = _Blocked(offsets)
    taken: set[int] = set()
    for quoted, _, _, tok in candidates:
        blockers = blocked.covering(tok.i - sent.token_start)
        if tok.i in taken or (blockers and not _escapes(tok, quoted, [by for _, by in blockers])):
            continue
        made = _make(state, sent, tok)
        if made is None:
            continue
        attribution, cue_tokens = made
        if blockers and not _relative_cue(tok) and _own_subject(tok) is None:  # "said A and said B"
            first = blockers[0][0]
            attribution = replace(
                attribution, source=first.source, source_kind=first.source_kind, speaker=first.speaker
            )
        taken.update(cue_tokens)
        found.append(attribution)
        if tok.pos_ == "VERB" and tok.lower_ != "according" and cues.received_reaction(tok) is None:
            # a received reaction ("faced criticism over what is seen as ...") holds no claim of its subject's
            ranges = blocked_ranges(tok, attribution.content, attribution.direct_quote, state.qindex)
            for start, end in ranges:
                blocked.add(start, end, attribution, tok)
        if attribution.source_kind == "named" and attribution.source is not None and not _owner_of_an_object(tok):
            name = attribution.speaker or attribution.source.text
            insort(state.named, Mention(tok.i, sent.index, name, _is_person(doc, attribution.source)), key=by_token)
            role = None if attribution.speaker else _unnamed_role(doc, attribution.source)
            if role is not None:
                # "A council spokeswoman said ... '...,' she said": on record for the council, yet no name to give
                # the "she"; nor may it skip back to a name given before
                state.resolver.note_unnamed(role, sent.index)
        elif attribution.speaker and attribution.source is not None and attribution.source.text.lower() in THIRD_PERSON:
            # "she said ... '...,' she said": each resolved "she" carries the name on, as a reader does
            insort(state.named, Mention(tok.i, sent.index, attribution.speaker, True), key=by_token)
        elif attribution.source_kind == "anonymous" and not blockers:
            speaker = _anonymous_people(doc, tok, attribution.source)
            if speaker is not None and speaker.tag_ == "NN" and tok.lemma_.lower() in PERSONAL_SPEECH:
                state.resolver.note_unnamed(speaker, sent.index)
            elif speaker is not None and speaker.tag_ == "NNS":
                state.resolver.note_unnamed_group(speaker, sent.index)
            elif speaker is None and (thing := _unnamed_thing(doc, attribution.source)) is not None:
                state.resolver.note_unnamed_thing(thing, sent.index)
    found.sort(key=lambda a: a.cue.start)
    return _without_kicker_cues(_bounded_open_claims(found, doc, sent), doc_text(doc), sent)


def _owner_of_an_object(cue: Token) -> bool:
    """ "Pike was unhappy with referee Clarke's decision. '...,' he said": the owner of a noun cue that is not the
    sentence's subject is not who the story is about, so a "he" after it is not taken to be them."""
    return cue.pos_ == "NOUN" and not cue.dep_.startswith("nsubj") and any(c.dep_ == "poss" for c in cue.children)


def _bounded_open_claims(found: list[Attribution], doc: Doc, sent: Sentence) -> list[Attribution]:
    """Past ``MAX_WHOLE_SENTENCE_CLAIMS`` adverb or "according to" cues in one sentence, each claims only the words
    after it up to the next, so the claims of one sentence together never hold it more than a few times over."""
    if len(found) <= MAX_WHOLE_SENTENCE_CLAIMS:
        return found
    open_ended = [i for i, a in enumerate(found) if _open_ended(doc, a)]
    if len(open_ended) <= MAX_WHOLE_SENTENCE_CLAIMS:
        return found
    text = doc_text(doc)
    out = list(found)
    for n, i in enumerate(open_ended[MAX_WHOLE_SENTENCE_CLAIMS:], start=MAX_WHOLE_SENTENCE_CLAIMS):
        a = found[i]
        end = found[open_ended[n + 1]].cue.start if n + 1 < len(open_ended) else sent.end
        start = min(a.cue.end, end)
        while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:—–-("):
            end -= 1  # "the auditor quit, reportedly": the claim ends before the comma
        words = any(ch.isalnum() for ch in text[start:end])  # "..., reportedly." claims nothing after it
        out[i] = replace(a, content=Span.of(text, start, end) if words else None)
    return out


def _open_ended(doc: Doc, a: Attribution) -> bool:
    """A cue whose content is read off its sentence rather than its grammar (see ``content.content_of``)."""
    if a.direct_quote or a.content is None:
        return False
    span = doc.char_span(a.cue.start, a.cue.end, alignment_mode="expand")
    return span is not None and len(span) > 0 and (span[0].pos_ == "ADV" or span[0].lower_ == "according")


class _Blocked:
    """The stretches of one sentence blocked by the cues taken so far, each with the attribution and cue token that
    block it, found by the word they cover.

    A segment tree over the sentence's words: a stretch is filed under the O(log n) nodes that tile its words, and
    the stretches covering a word are those filed on the path from its leaf to the root. Reading every stretch for
    every cue made one long sentence of nested asides ("(he said (she said ...") quadratic. ``covering`` gives
    them in the order they were added, which the first blocker's source and ``_escapes`` rely on.
    """

    def __init__(self, offsets: list[int]) -> None:
        self._offsets = offsets  # where each word of the sentence starts, ascending
        self._size = 1 << max(len(offsets) - 1, 0).bit_length()
        self._nodes: dict[int, list[tuple[int, Attribution, Token]]] = {}
        self._added = 0

    def add(self, start: int, end: int, attribution: Attribution, by: Token) -> None:
        """Block the words of the sentence that start in ``[start, end)``."""
        entry = (self._added, attribution, by)
        self._added += 1
        lo = bisect_left(self._offsets, start) + self._size
        hi = bisect_left(self._offsets, end) + self._size
        while lo < hi:
            if lo & 1:
                self._nodes.setdefault(lo, []).append(entry)
                lo += 1
            if hi & 1:
                hi -= 1
                self._nodes.setdefault(hi, []).append(entry)
            lo >>= 1
            hi >>= 1

    def covering(self, word: int) -> list[tuple[Attribution, Token]]:
        """The blocks over the sentence's ``word``-th word (counted from 0), oldest first."""
        hits: list[tuple[int, Attribution, Token]] = []
        node = word + self._size
        while node:
            hits.extend(self._nodes.get(node, ()))
            node >>= 1
        hits.sort(key=lambda h: h[0])
        return [(a, by) for _, a, by in hits]


def _without_kicker_cues(found: list[Attribution], text: str, sent: Sentence) -> list[Attribution]:
    """ "Pollsters agree - Carl Bialik: “...”": the words before the dash are a kicker summing up the named quote,
    not a claim of their own, so cues in them go."""
    kicker_end = next(
        (a.source.start for a in found if a.cue.text == ":" and a.source is not None and a.source.start > sent.start
         and text[sent.start : a.source.start].rstrip().endswith(tuple(DASHES | {"-"}))),
        None,
    )
    if kicker_end is None:
        return found
    return [a for a in found if a.cue.text == ":" or not sent.start <= a.cue.start < kicker_end]


def _is_candidate(tok: Token, quoted: bool) -> bool:
    if tok.text == ":" or _is_dash(tok) or cues.is_cue(tok, quoted) or _unnamed_speaker(tok, quoted):
        return True
    return not quoted and headlines.headline_verb(tok) is not None


def _escapes(tok: Token, quoted: bool, blockers: list[Token]) -> bool:
    """A cue inside another cue's complement that is not a nested claim (see the two cases below)."""
    return not quoted and (
        _relative_cue(tok) or _relative_hedge(tok) or _aside(tok) or _contrast_clause(tok) or _denied_after(tok)
        or all(_conjunct_of(tok, by) for by in blockers)
    )


def _denied_after(tok: Token) -> bool:
    """ "Union insiders claim that ..., a charge Southern Crown denies": the parser makes the claim a clause of the
    denial after it, but the insiders' claim is reported in its own right, and the denial answers it."""
    head = tok.head
    if tok.dep_ != "ccomp" or head.i < tok.i or head.lemma_.lower() not in DENYING:
        return False
    doc = tok.doc
    k = tok.right_edge.i + 1
    return (k + 2 < head.i and doc[k].text == "," and doc[k + 1].lower_ in ("a", "an")
            and doc[k + 2].lemma_.lower() in sources.ANSWERED_CLAIMS)


def _contrast_clause(tok: Token) -> bool:
    """ "The council said the scheme would save money, while critics say it will cost jobs": a "while", "whereas" or
    "although" clause with a speaker of its own sets a second claim against the first; the parser hangs it inside
    the first claim, but the council does not report what its critics say."""
    mark = next((c for c in tok.children if c.dep_ == "mark" and c.lower_ in CONTRASTING), None)
    if tok.dep_ != "advcl" or mark is None or mark.i == 0 or tok.doc[mark.i - 1].text != ",":
        return False  # "The NAO said although the figures showed ...": a clause of the NAO's own claim
    subject = _own_subject(tok)
    return subject is not None and subject.pos_ in ("NOUN", "PROPN") and cues.score(tok, False) >= CONJUNCT_MIN


def _aside(tok: Token) -> bool:
    """ "It seems, Robin said, that ...": a speaker set off by commas inside the clause is who says all of it."""
    doc = tok.doc
    first, last = tok.left_edge.i, tok.right_edge.i
    opened = doc[first].text == "," or (first > 0 and doc[first - 1].text == ",")
    closed = doc[last].text == "," or (last + 1 < len(doc) and doc[last + 1].text == ",")
    return (
        tok.dep_ == "parataxis"
        and _own_subject(tok) is not None
        and opened
        and closed
        and cues.score(tok, False) >= CONJUNCT_MIN
    )


def _relative_hedge(tok: Token) -> bool:
    """ "signed Marco Lenz, who is said to be unhappy", "praised the plan, which is widely seen as a giveaway": an
    agentless reporting passive in a relative clause is the writer's aside about the noun, not part of the
    claim (or the action) around it, and nobody stands behind it."""
    return tok.dep_ in ("relcl", "acl") and cues.is_reporting_passive(tok)


def _conjunct_of(tok: Token, blocker: Token) -> bool:
    """A second claim that the parser hung inside the first cue's complement, not a nested one.

    "He said A and said B" (a subjectless verb repeating the cue, or one that is nearly always a cue),
    "X said A and Y accused B" (a strong cue verb with its own named subject) and "X said A, citing B"
    (a participle after a comma) all attach to the top of the complement, yet report alongside it.
    """
    if tok.head.dep_ not in ("ccomp", "xcomp") or tok.head.head.i != blocker.i:
        return False
    subject = _own_subject(tok)
    if tok.dep_ == "conj" and subject is None:
        return tok.lemma_.lower() == blocker.lemma_.lower() or cues.score(tok, False) >= CONJUNCT_MIN
    if tok.dep_ == "conj" and subject is not None and subject.pos_ in ("NOUN", "PROPN"):
        return cues.score(tok, False) >= CONJUNCT_MIN
    after_comma = tok.i > 0 and tok.doc[tok.i - 1].text == ","
    return tok.dep_ == "advcl" and tok.tag_ == "VBG" and subject is None and after_comma and (
        cues.score(tok, False) >= CONJUNCT_MIN
    )


def _own_subject(tok: Token) -> Token | None:
    return next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass", "expl")), None)


def _relative_cue(tok: Token) -> bool:
    """ "the wall, which he said Mexico should pay for": a relative clause reports its own subject's claim."""
    if tok.dep_ != "relcl" or cues.score(tok, False) < RELATIVE_MIN:
        return False
    subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
    return subj is not None and subj.lower_ not in RELATIVE_PRONOUNS


def _unnamed_speaker(tok: Token, quoted: bool) -> bool:
    """A weaker verb cue whose subject is an unnamed source ("people in other cities rallied over ...").

    Unnamed sources are what readers most need to see, so such a verb needs less evidence.
    """
    if tok.pos_ != "VERB" or not cues.candidate(tok):
        return False
    subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
    if subj is None or subj.pos_ not in ("NOUN", "PROPN"):
        return False
    if cues.score(tok, quoted) < UNNAMED_MIN:
        return False
    return sources.classify(subj, *sources.np_bounds(subj)) in ("anonymous", "vague")


def _make(state: _State, sent: Sentence, tok: Token) -> tuple[Attribution, range] | None:
    if tok.text == ":":
        return _colon_cue(state.doc, sent, tok)
    if _is_dash(tok):
        return _dash_cue(state, sent, tok)
    subject = headlines.headline_verb(tok)
    if subject is not None:
        return _headline_cue(state.doc, sent, tok, subject)
    return _verb_cue(state.doc, sent, tok, state.qindex, state.resolver, state.named)


def _depth(tok: Token) -> int:
    depth = 0
    while tok.head.i != tok.i and depth < 50:
        tok = tok.head
        depth += 1
    return depth


def _drop_inside_quotes(found: list[Attribution], qindex: QuoteIndex, text: str) -> list[Attribution]:
    """Drop cues inside a quote that another attribution reports (someone else's quoted words).

    Inside any quote, a cue that only a pronoun voices goes too (see ``DROP_KINDS_IN_QUOTE``).
    """
    quoted = [a.content for a in found if a.content is not None and (a.direct_quote or a.cue.text == ":")]
    spans = merge([(c.start, c.end) for c in quoted])
    out: list[Attribution] = []
    k = 0
    for a in found:
        quote = qindex.at(a.cue.start)
        if quote is None:
            out.append(a)
            continue
        if not a.direct_quote and a.source_kind in DROP_KINDS_IN_QUOTE:
            continue
        while k < len(spans) and spans[k][1] <= quote.start:
            k += 1
        inner_start, inner_end = quote.inner(text)
        reported = k < len(spans) and spans[k][0] <= inner_start and (
            inner_end <= spans[k][1] or not text[spans[k][1] : inner_end].strip(", ")
        )  # a content may stop short of the comma that hands the quote over to its cue
        if not reported:
            out.append(a)
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
    text = doc_text(doc)
    i, j = cues.cue_extent(tok)
    cue = Span.of(text, doc[i].idx, doc[j - 1].idx + len(doc[j - 1].text))
    reaction = cues.received_reaction(tok)
    head = sources.source_of(tok) or (
        None
        if reaction is not None or cues.surfaced_talk(tok)
        else sources.left_neighbour(tok) or sources.relative_speaker(tok) or sources.speaker_before_aside(tok)
    )
    source = kind = None
    speaker = None
    bounds = None
    subject = cues.fronted_subject(tok) if cues.misread_verb(tok) else cues.trailing_subject(tok)
    if subject:
        # the noun phrase's own start, where an aside's noun comes first ("..., a charge Southern Crown denies")
        head, bounds = subject.root, (max(subject.start, sources.np_bounds(subject.root)[0]), subject.end)
    if head is None and tok.lower_ == "according":
        fallback = sources.according_object(tok)
        if fallback is not None:
            head, bounds = fallback[0], fallback[1:]
    after = sources.speaker_after(tok)
    inverted = after is not None and (head is None or _quoted_or_before_comma(head, tok, qindex))
    if inverted:
        head = after  # “Come back!” yells his grandmother; ..., observed Tom Hill, an adviser
    if head is not None and bounds is None:
        head = sources.past_dateline(head)
    if head is not None:
        si, sj = bounds or sources.np_bounds(head)
        source = Span.of(text, doc[si].idx, doc[sj - 1].idx + len(doc[sj - 1].text))
        if _a_quoted_term(source, qindex):
            return None  # 'For Bonhoeffer, "cheap grace" is seeking forgiveness': a term in quote marks says nothing
        kind = sources.classify(head, si, sj)
        if kind == "named":
            speaker = sources.appositive_name(head)
    told = sources.told_unnamed(tok)
    if told:
        head = None  # "We are told that ...": whoever told the writer is not named
    sourceless = (told or cues.is_reporting_passive(tok) or cues.existential_claim(tok) or cues.hearsay(tok)
                  or cues.surfaced_talk(tok) or _accused_by_nobody(tok))
    if head is None and not sourceless and reaction is None:
        quoted = qindex.at(tok.idx) is not None
        if cues.no_source_score(tok, quoted) < NO_SOURCE_MIN or cues.score(tok, quoted) < NO_SOURCE_CUE_MIN:
            return None  # a cue with no source that rarely stands alone: likely not a claim at all
    content, direct = content_of(doc, sent, tok, qindex)
    if content is None and _quoted_as_saying(tok):
        return None  # "was quoted as saying that ...": the claim is the "saying" cue's, with the same source
    if inverted and not direct:
        content = _before_cue(text, sent, tok)
    elif content is None and tok.pos_ in {"VERB", "AUX"}:
        content = _fronted_claim(doc, sent, tok, source)
    if kind == "pronoun" and head is not None:
        speaker = resolver.resolve(head, named, _start_token(doc, content), quoted=qindex.at(head.idx) is not None)
    attribution = Attribution(cue, source, content, kind or "none", direct, sent.index, speaker)
    return attribution, range(i, j)


def _accused_by_nobody(tok: Token) -> bool:
    """ "She played 78 matches, and has been criticized for ...": the passive of an accusing verb with no "by" is a
    charge nobody is named for, whatever the cue model learned of the verb's joined forms (which mostly share a
    speaking subject)."""
    deps = {c.dep_ for c in tok.children}
    accusing = tok.pos_ == "VERB" and tok.lemma_.lower() in speech.ACCUSING_VERBS
    return accusing and "auxpass" in deps and "agent" not in deps


def _quoted_as_saying(tok: Token) -> bool:
    return tok.lemma_.lower() == "quote" and any(
        c.lower_ == "as" and any(g.dep_ == "pcomp" and cues.is_cue(g, False) for g in c.children) for c in tok.children
    )


def _a_quoted_term(source: Span, qindex: QuoteIndex) -> bool:
    """Whether the source is exactly the words inside one pair of quote marks ('"cheap grace" is ...')."""
    quote = qindex.at(source.start)
    return quote is not None and quote.start + quote.opening == source.start and quote.end - quote.closing == source.end


def _start_token(doc: Doc, span: Span | None) -> int | None:
    """The index of the token where ``span`` starts, if any."""
    found = tokens_of(doc, span)
    return found.start if found is not None else None


def _is_person(doc: Doc, source: Span | None) -> bool | None:
    """Whether a named source is a person ("Ann Lee", "the mayor") or a body ("the FBI", "Democrats")."""
    found = tokens_of(doc, source)
    if found is None:
        return None
    head = found.root
    if head.ent_type_ == "PERSON" or _aged(head) or any(c.dep_ == "appos" and c.ent_type_ == "PERSON"
                                                        for c in head.children):
        return True  # "Ann Lee", "Hartley, 22", "One driver, Tom Ashcroft": a person, not a body "it" could be
    if head.pos_ == "PROPN" and any(c.dep_ == "appos" and _a_role(c) for c in head.children):
        return True  # "Marcus Hale, chief U.S. economist at Goldman Sachs": a person, though tagged as a firm
    if head.ent_type_ in ("ORG", "GPE", "NORP", "FAC", "LOC") or head.tag_ in ("NNS", "NNPS"):
        return False
    if head.pos_ == "NOUN" and any(head.lemma_.lower() in words(name) for name in NOT_PEOPLE_LISTS):
        return False  # "a poll by the firm OH Predictive Insights": a paper or a body, whose maker is no "she"
    return None


def _unnamed_role(doc: Doc, source: Span | None) -> Token | None:
    """The head of a named source that is one person given by a role alone: "a council spokeswoman", "an Acme
    spokesman" (named, as their body is on record). None for a name, a body, or "the spokesman", which is often the
    named person again."""
    found = tokens_of(doc, source)
    if found is None:
        return None
    head = found.root
    if head.ent_type_ or not _a_role(head) or _paper_or_body(head):
        return None  # "a Quinnipiac University poll": a role list holds bodies and papers too
    return head if any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in head.children) else None


def _paper_or_body(head: Token) -> bool:
    """Whether a noun is a paper, a poll or a body ("memo", "poll", "agency"), never one person."""
    return any(head.lemma_.lower() in words(name) for name in NOT_PEOPLE_LISTS)


def _a_role(noun: Token) -> bool:
    """A singular noun for what one person does ("economist", "spokeswoman", "chief executive")."""
    lemma = noun.lemma_.lower()
    return noun.tag_ == "NN" and (lemma in OFFICE_ROLES or lemma in sources.PERSON_ROLES or lemma in sources.STAFF
                                  or lemma in words("common_roles.txt"))


def _anonymous_people(doc: Doc, cue: Token, source: Span | None) -> Token | None:
    """The head of an anonymous source that is people speaking: one ("another parent said", "a witness told") or
    several ("people familiar with the matter said", "according to two officials"); not a paper ("a statement
    said"), a body ("an office said") or evidence ("evidence suggests"). None otherwise."""
    found = tokens_of(doc, source)
    if found is None or (cue.lemma_.lower() not in PERSONAL_SPEECH and cue.lower_ != "according"):
        return None
    head = found.root
    if head.tag_ not in ("NN", "NNS") or head.ent_type_ or any(
            head.lemma_.lower() in words(name) for name in NOT_PEOPLE_LISTS):
        return None
    return head


def _unnamed_thing(doc: Doc, source: Span | None) -> Token | None:
    """The head of an unnamed source that is one paper or body ("a leaked memo", "an internal report"), which a
    later "it" may stand for. None for people or several things."""
    found = tokens_of(doc, source)
    if found is None:
        return None
    head = found.root
    return head if head.tag_ == "NN" and not head.ent_type_ and _paper_or_body(head) else None


def _aged(head: Token) -> bool:
    """ "Hartley, 22, said": a name with an age beside it is a person's, whatever type the NER gave it."""
    return any(c.dep_ in ("appos", "npadvmod", "amod") and c.like_num and c.text.isdigit() and 0 < int(c.text) < 120
               for c in head.children)


def _before_cue(text: str, sent: Sentence, cue: Token) -> Span | None:
    """The claim of an inverted "C, observed X": the sentence up to the comma before the verb."""
    return _span_to(text, sent, cue.idx)


def _fronted_claim(doc: Doc, sent: Sentence, cue: Token, source: Span | None) -> Span | None:
    """The claim before "..., a spokeswoman, Ann Lee, said on Saturday" when the parser gave the verb no clause: the
    sentence up to the comma that hands over to the speaker. Only for plain verbs of saying with a speaker that is
    not a relative pronoun, when nothing after the verb is a clause of its own and the stretch before is a main
    clause (not "If she wins, ..." or "Asked whether ...")."""
    if source is None or cue.lemma_.lower() not in FRONTING_VERBS or source.text.lower() in RELATIVE_PRONOUNS:
        return None
    text = doc_text(doc)
    end = min(cue.idx, source.start)
    while end > sent.start and text[end - 1].isspace():
        end -= 1
    if end <= sent.start or text[end - 1] != ",":
        return None
    if any(t.pos_ in {"VERB", "AUX"} for t in doc[cue.i + 1 : sent.token_end]):
        return None
    before = [t for t in doc[sent.token_start : cue.i] if t.idx < end and not t.is_space]
    if not before or before[0].pos_ == "SCONJ" or before[0].tag_ == "VBN" or before[0].is_quote:
        return None
    if not any(t.pos_ in {"VERB", "AUX"} and t.dep_ in {"ROOT", "ccomp", "parataxis"} for t in before):
        return None
    return _span_to(text, sent, end)


def _span_to(text: str, sent: Sentence, end: int) -> Span | None:
    """The sentence from its start up to ``end``, without the spaces and comma before ``end``."""
    while end > sent.start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    start = sent.start
    while start < end and text[start].isspace():
        start += 1
    return Span.of(text, start, end) if end > start else None


def _quoted_or_before_comma(subject: Token, cue: Token, qindex: QuoteIndex) -> bool:
    """The parser's subject is really part of the claim: words inside the quote, or a noun before the comma
    that hands over to an inverted "..., observed X"."""
    if qindex.at(subject.idx) is not None and qindex.at(cue.idx) is None:
        return True
    doc = cue.doc
    return subject.right_edge.i < cue.i - 1 and doc[cue.i - 1].text == ","


def _colon_cue(doc: Doc, sent: Sentence, colon: Token) -> tuple[Attribution, range] | None:
    """Headline and transcript colons: "Trump: Cruz Has a Long Way to Go", "PENCE: Well, ...".

    The text before the colon must be a short name-like phrase at the start of the sentence.
    """
    before = _before_colon(doc, sent, colon)
    if before is None:
        return None  # more than a short phrase, or another colon, before it
    prefix = [t for t in before if not t.is_punct]
    if not prefix or colon.i + 1 >= sent.token_end:
        return None
    if not _says_something(doc, colon.i + 1, sent.token_end):
        return None  # "Name: Ann Lee Age: 27" is a form; "Clinton: 1,769." is a tally
    if any(t.pos_ in ("VERB", "AUX", "PRON", "ADP", "DET") and not _speaker_label(t) for t in prefix) or not any(
        t.pos_ in ("PROPN", "NOUN") or _speaker_label(t) for t in prefix
    ):
        return None
    text = doc_text(doc)
    first = before[0]
    if first.is_punct:
        first = prefix[0]
    source = Span.of(text, first.idx, prefix[-1].idx + len(prefix[-1].text))
    kind = sources.classify_label(prefix)
    if kind == "anonymous" or prefix[-1].lower_ in words("boilerplate_labels.txt") or prefix[0].lower_ == "about":
        return None  # "Editor's note:", "Correction:", "Q:", "About Acme:" introduce no speaker
    cue = Span.of(text, colon.idx, colon.idx + 1)
    line_end = text.find("\n", colon.idx, sent.end + MAX_LINE)
    content = Span.of(text, doc[colon.i + 1].idx, line_end if line_end > 0 else len(text.rstrip()))
    return Attribution(cue, source, content, kind, False, sent.index, None), range(colon.i, colon.i + 1)


def _speaker_label(tok: Token) -> bool:
    """A transcript's speaker written in capitals ("CROSSLEY:"), whatever the tagger makes of the word."""
    return tok.is_alpha and tok.is_upper and len(tok.text) > 1


def _before_colon(doc: Doc, sent: Sentence, colon: Token) -> Tokens | None:
    """The words before a colon: back to the sentence start, or to the nearest dash when a kicker stands before the
    speaker ("Pollsters agree - Carl Bialik: “...”").

    The walk back stops with None at another colon or past ``MAX_COLON_PREFIX`` words, either of which rules the
    colon out; so each colon reads a few words, not the whole sentence before it (a long line of colons was
    quadratic).
    """
    seen = 0
    dash_seen = False
    for k in range(colon.i - 1, sent.token_start - 1, -1):
        tok = doc[k]
        if not dash_seen and (tok.text in DASHES or tok.text == "-"):
            dash_seen = True  # only the nearest dash can cut the phrase
            if k + 1 < colon.i and tok.whitespace_:
                return doc[k + 1 : colon.i]
        if tok.text == ":":
            return None
        if not tok.is_punct:
            seen += 1
            if seen > MAX_COLON_PREFIX:
                return None
    return doc[sent.token_start : colon.i]


def _says_something(doc: Doc, start: int, end: int) -> bool:
    """What follows a colon (``doc[start:end]``) is a statement only if it has a verb or a quotation: "Sanders: Win
    in a walk" and "Trump: 'Total disaster'" do, "Clinton: 1,769." and "Twitter: @Milbank" do not. A Title Case
    headline counts too, because the tagger reads its verbs as names ("Poll: Voters Abandon Party").

    The first two questions are answered from a per-doc index of the next verb and the next colon, so many colons
    in one sentence do not each read the rest of it.
    """
    voiced, colons = _next_marks(doc)
    if voiced[start] < end:
        return True
    if colons[start] < end:
        return False  # "Name: Ada Cole Age: 41" is a form's next field, not a headline
    after = doc[start:end]  # only the sentence's last colon gets here
    alpha = [t for t in after if t.is_alpha]
    capped = sum(1 for t in alpha if t.is_title or t.is_upper)
    return capped >= MIN_HEADLINE_WORDS and capped >= 0.75 * len(alpha)


def _next_marks(doc: Doc) -> tuple[list[int], list[int]]:
    """For each token index ``i``, the first index ``>= i`` of a verb, auxiliary or quote mark, and of a colon
    (``len(doc)`` when there is none); built once per doc."""
    cached = doc.user_data.get(_NEXT_MARKS_KEY)
    if cached is None:
        n = len(doc)
        voiced, colons = [n] * (n + 1), [n] * (n + 1)
        for k in range(n - 1, -1, -1):
            tok = doc[k]
            voiced[k] = k if tok.pos_ in ("VERB", "AUX") or tok.is_quote else voiced[k + 1]
            colons[k] = k if tok.text == ":" else colons[k + 1]
        cached = doc.user_data[_NEXT_MARKS_KEY] = (voiced, colons)
    return cached


def _headline_cue(doc: Doc, sent: Sentence, tok: Token, subject: tuple[int, int]) -> tuple[Attribution, range]:
    """ "Black Lawmakers Rip Trump As A Fraud": the verb is the cue, the words before it the source."""
    text = doc_text(doc)
    i, j = cues.cue_extent(tok)
    prefix = list(doc[subject[0] : subject[1]])
    source = Span.of(text, prefix[0].idx, prefix[-1].idx + len(prefix[-1].text))
    cue = Span.of(text, doc[i].idx, doc[j - 1].idx + len(doc[j - 1].text))
    end = doc[sent.token_end - 1]
    content = Span.of(text, doc[j].idx, end.idx + len(end.text)) if j < sent.token_end else None
    kind = headlines.headline_kind(prefix)
    return Attribution(cue, source, content, kind, False, sent.index, None), range(i, j)


def _is_dash(tok: Token) -> bool:
    """A signing dash, alone or glued to the closing quote ("”―"), or a hyphen that opens a line under a quote
    ('"..."\n- Sanders.', as fact-check columns sign their quotes)."""
    if tok.text in DASHES or (len(tok.text) == 2 and tok.text[0] in "”\"" and tok.text[1] in "―—–"):
        return True
    return tok.text == "-" and tok.i > 0 and "\n" in tok.doc[tok.i - 1].text_with_ws


def _runs_on(doc: Doc, after: int) -> bool:
    """Whether the words after a would-be signature go on as a sentence ("- Job losses linked to ...", a bullet
    under a quote) rather than end it or say where it was said ("― Jane Doe, author", "— Ann Lee in a speech")."""
    if after >= len(doc):
        return False
    tok = doc[after]
    return not (tok.is_punct or tok.is_space or tok.pos_ == "ADP")


def _dash_cue(state: _State, sent: Sentence, dash: Token) -> tuple[Attribution, range] | None:
    """A quote signed with a dash: “... our greatest shame.” ― Jane Doe."""
    doc, text = state.doc, doc_text(state.doc)
    dash_at = dash.idx + len(dash.text) - 1 if len(dash.text) == 2 else dash.idx
    before = dash_at
    while before > 0 and text[before - 1].isspace():
        before -= 1
    quote = state.qindex.at(before - 1) if before else None
    if quote is None or not quote.closed or quote.end != before:
        return None
    name: list[Token] = []
    for tok in doc[dash.i + 1 : min(dash.i + 2 + MAX_NAME_TOKENS, len(doc))]:
        if tok.is_space and not name and "\n" not in tok.text:
            continue
        if tok.pos_ != "PROPN" and not tok.is_title:
            break
        name.append(tok)
    if not name or "\n" in text[dash_at : name[-1].idx] or _runs_on(doc, name[-1].i + 1):
        return None
    source = Span.of(text, name[0].idx, name[-1].idx + len(name[-1].text))
    s, e = quote.inner(text)
    cue = Span.of(text, dash_at, dash_at + 1)
    return Attribution(cue, source, Span.of(text, s, e), "named", True, sent.index, None), range(dash.i, dash.i + 1)
