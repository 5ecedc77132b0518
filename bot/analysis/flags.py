"""Source flags: what a reader should check, and how much rests on it.

The rules (documented for users in ``docs/flags.md``):

- ``anonymous_source``: the source is a specific but unnamed person, group or document. High when
  the claim is a direct quote or a strong claim (wrongdoing, crime, accusation), else medium.
- ``vague_source``: the source is a mass or weasel phrase ("critics", "many"). Medium for a direct
  quote or a strong claim, else low.
- ``no_source``: the claim is reported with no source at all ("reportedly", "it is believed").
  High for a strong claim, else medium (evidential adverbs, reporting passives such as "it is
  believed" or "is expected"). The writer's own hedges ("seems", "appears") are not flagged.
- ``unattributed_quote``: a quotation of 5 words or more that no attribution covers. High from 25
  words, medium from 8, else low.

A pronoun source ("he said") is flagged only when it clearly stands for an earlier unnamed source
("A senior official said ... He added ..."); a pronoun with a named antecedent never is.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from spacy.tokens import Doc, Token
from spacy.tokens import Span as Span_

from bot.analysis import cues
from bot.analysis.boundaries import TITLES
from bot.analysis.coref import FEMALE_NOUNS, MALE_NOUNS, OFFICE_ROLES
from bot.analysis.doctext import (
    doc_quotes,
    doc_text,
    entities_in,
    per_sentence,
    quote_index,
    sentence_of,
    tokens_of,
)
from bot.analysis.heading import heading_end
from bot.analysis.lexicon import words
from bot.analysis.quotes import Quote, merge, title_like
from bot.analysis.result import Attribution, Flag, Span
from bot.analysis.segment import Sentence
from bot.analysis.sources import as_mark, in_the_know, is_maker, leaked_paper, public_record

MIN_QUOTE_WORDS = 5
LIE_WAYS = {"down", "ahead", "low", "off", "back", "dormant", "still"}
PLACE_PREPOSITIONS = {"in", "on", "at", "under", "near", "beside", "across", "inside", "outside", "along"}
# Adjectives that say what someone thinks ("critics are worried", "Republicans have been critical").
STANCE_WORDS = {"critical", "worried", "concerned", "skeptical", "sceptical", "confident", "convinced", "adamant",
                "unconvinced", "optimistic", "pessimistic", "unclear", "doubtful", "wary", "fearful", "hopeful"}
# Things only figuratively killed: "kills innovation", "killed the bill".
KILLED_IDEAS = {"innovation", "bill", "deal", "plan", "idea", "proposal", "project", "momentum", "growth", "job",
                "competition", "demand", "chance", "hope", "mood", "story", "buzz", "debate", "talk", "merger", "tax",
                "scheme", "creativity", "productivity", "culture", "business", "market", "sale", "franchise"}
ILLNESS_ATTACKS = {"heart", "panic", "asthma", "anxiety", "migraine", "gout", "seizure"}
COPULA_FORMS = {"is", "are", "was", "were", "be", "been", "being", "am", "'s", "’s", "'re", "’re"}
LONG_QUOTE_WORDS = 25
MEDIUM_QUOTE_WORDS = 8
PRONOUN_LOOKBACK = 2
FLOOR_GAP = 4  # sentences a known speaker's quotes may pause for narration and still be theirs
SEVERITY_ORDER = {"low": 0, "medium": 1, "high": 2}
SINGULAR_PRONOUNS = {"he", "she", "him", "her", "i"}
PERSONAL = {"he", "she"}  # a source that is plainly one person the story already has in view
# Pronouns that can carry an unnamed source over from the sentence before.
CONTINUING = {"he", "she", "they", "him", "her", "them", "it", "i", "we", "who", "one", "another"}
ONE_OF_THEM = {"one", "another"}  # '"...," one said' after "Two officials said ...", "another" after "One TD"
HONORIFICS = TITLES | {"miss", "sir", "dame"}  # the boundary rules' titles, which are always followed by a name
# Words that open a sentence turning to another side: the named voice after them is not the group's.
CONTRAST_OPENERS = {"but", "however", "yet", "still", "others", "other", "meanwhile", "instead", "though",
                    "although", "nevertheless", "nonetheless", "conversely", "critics", "opponents"}
QUOTE_MARK_REACH = 3  # characters before a sentence in which the mark opening its first quotation may stand
HELD_BACK_WINDOW = 3  # sentences after an unnamed source in which a story may name it
# Descriptions a story uses for a person it names a sentence or two later ("A former trainer said ... Oly Olson
# said"); insiders ("a senior official", "a source") are never read so.
HELD_BACK_PEOPLE = {
    "expert", "executive", "man", "woman", "analyst", "economist", "chairman", "chief", "acquaintance", "trainer",
    "leader", "neighbour", "neighbor", "friend", "witness", "resident", "researcher", "scientist", "doctor",
    "teacher", "coach", "relative", "colleague", "instructor", "student", "professor", "lawyer", "pilot", "attorney",
    "counsel", "prosecutor", "lawmaker", "legislator", "politician", "campaigner", "activist", "spokesman",
    "spokeswoman",
}
# Of those, the people a story describes by who they are rather than by any office. A named speaker with an office
# ("Sheriff Alan Booker", "councillor Sameena Ashraf") is someone else, not "one woman" named at last.
LAY_PEOPLE = {"man", "woman", "resident", "neighbour", "neighbor", "witness", "relative", "acquaintance", "friend"}
# Descriptions loose enough to fit a named person with any office ("an executive said ... CEO Jo Roe said"); any
# other ("one doctor") is not a named speaker whose office is something else ("President Aram Velikov").
LOOSE_PEOPLE = {"expert", "executive", "analyst", "economist", "chairman", "chief", "leader", "researcher",
                "scientist", "lawmaker", "legislator", "politician", "spokesman", "spokeswoman"}
# Words by which a story says it keeps a source unnamed on purpose: no later name can be theirs.
UNNAMED_ON_PURPOSE = re.compile(r"\b(?:not\s+to\s+be\s+(?:named|identified)|anonymity|declined\s+to\s+be\s+(?:named|"
                                r"identified)|without\s+being\s+(?:named|identified)|not\s+authori[sz]ed\s+to\s+speak)\b",
                                re.IGNORECASE)
OFFICE_TITLES = OFFICE_ROLES | {
    "sheriff", "councillor", "councilor", "inspector", "superintendent", "commissioner", "constable", "trooper",
    "sergeant", "detective", "firefighter", "paramedic", "senator", "congressman", "congresswoman", "official",
    "lawmaker", "legislator", "mp", "gov", "sen", "rep", "gen", "lt", "col", "sgt", "capt", "supt", "det", "insp",
    "cmdr", "adm", "maj", "cpl", "cllr",
}
# Descriptions of a body a story names a sentence or two later ("an activist group said ... the Syrian
# Observatory for Human Rights said").
HELD_BACK_BODIES = {"group", "organisation", "organization", "company", "firm", "charity", "watchdog", "monitor",
                    "body", "union", "association", "institute", "network", "coalition", "campaign",
                    # a firm described by its trade: "Chip maker warns ... Texas Instruments said"
                    "maker", "manufacturer", "retailer", "carrier", "operator", "provider", "developer",
                    "publisher", "broadcaster", "airline", "insurer", "lender", "giant", "supplier", "chain"}
# Words that put a story before a court. "Charge" and "judge" count only in their legal use (see _a_court_case).
COURT_CASE_WORDS = {"court", "trial", "prosecutor", "prosecution", "indict", "indictment", "jury", "affidavit",
                    "lawsuit", "defendant", "plead"}
LEGAL_HEDGES = ("alleged", "allegedly", "accuse", "suspect")
_DOCUMENT_MENTIONS_KEY = "byline_named_document_mentions"
DOCUMENT_AGAIN_LOOKBACK = 3000  # tokens: "the report" points back this far at most, so each look costs a bounded scan
NOT_THE_PROSECUTION = {"a", "an", "one", "some", "several", "many", "former", "other", "ex", "retired"}
QUESTION_WORDS = 25  # a quoted question this short is one question, not a speech ending in one
PRESS_WORDS = {"report", "coverage", "media", "reporting", "television", "tv", "radio", "newspaper", "press",
               "broadcaster", "outlet"}  # "Korean media reports ... Yonhap reported"
NOT_PEOPLE = {"ORG", "GPE", "NORP", "LOC", "FAC"}  # a speaking "work of art" is a name after a quote
# Research and records besides the document nouns of the lexicon, for a study a story names a sentence later.
DOCUMENT_LIKE = {"research", "survey", "poll", "information", "report", "study"}
# Unnamed sources a story keeps unnamed even when someone with the same title speaks next.
ALWAYS_UNNAMED = {"source", "official", "person", "people", "insider", "aide"}
# Bodies that hear evidence in public: "the court heard", "the inquest was told".
HEARD_IN_COURT = re.compile(r"\b(?:court|jury|inquest|tribunal|hearing|trial|inquiry|magistrates)\s+(?:heard|"
                            r"(?:was|were)\s+told)(?=\s*(?:[.,;:]|that\b|$))", re.IGNORECASE)
# Groups known by their expertise, whose view a quoted passer-by does not voice.
EXPERTISE = {"expert", "analyst", "economist", "scientist", "researcher", "lawyer", "doctor", "academic", "scholar",
             "specialist", "strategist", "observer", "commentator", "historian"}
# "Debra Collins, 63,": a name given with an age, as stories give ordinary people's, not experts'.
AGED_NAME = re.compile(r"\b[A-Z][\w'’-]+, \d{1,2},")
FIRST_PERSON = {"i", "we", "me", "us"}
ANYBODY = {"someone", "somebody", "anyone", "anybody", "everyone", "everybody"}

REASON_CHARS = 80
POLL_WORDS = {"poll", "survey", "study", "research", "questionnaire"}
SURVEY_WORDS = {"poll", "survey", "questionnaire"}  # the ones that ask people, whose answers "most said" reports
SHARE_REACH = 5  # tokens before a source in which "X% of" may stand
POLL_WINDOW = 3  # sentences either side of a poll's respondents in which the story names the poll
RATIO = re.compile(r"\d+-\d+")
# Records of someone's own words: "Walker said, according to a transcript", "Pence said, according to audio".
RECORDS_OF_WORDS = {"transcript", "audio", "recording", "tape", "video", "footage", "text", "copy", "excerpt",
                    "readout", "record"}
WEB_ADDRESS = re.compile(r"(?:www\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,6}(?:/\S*)?")
POLL_SKIP = {"analyst", "expert", "economist", "researcher", "scientist", "observer", "critic", "forecaster"}
POLLED_PEOPLE = {"people", "voter", "respondent", "adult", "person"}  # whom any poll asks: "most people said"
RESPONDENT_WORDS = {"questioned", "surveyed", "polled", "interviewed", "respondent", "respondents", "asked"}
SHARE_WORDS = {"half", "majority", "most", "many", "some", "few", "third", "thirds", "quarter", "percent", "%"}
NAMING_WORDS = {"called", "titled", "entitled", "named", "dubbed", "nicknamed", "headlined", "slogan"}


def make_flags(attributions: list[Attribution], doc: Doc, sents: list[Sentence]) -> list[Flag]:
    """Return the flags a reader should check, in text order."""
    if not sents:
        return []
    locate = _Locator(doc_text(doc), sents)
    out: list[Flag] = []
    carried: set[int] = set()  # identities of pronoun flags, each carrying on an earlier source's flag
    previous: Attribution | None = None
    sourced: dict[int, list[Attribution]] = {}  # by sentence, so each look-up reads one sentence's claims
    for a in attributions:
        if a.source is not None:
            sourced.setdefault(a.sentence, []).append(a)
    held_back = _HeldBack(doc, locate, sourced)
    polls, surveys = _named_poll_sentences(doc, locate)
    surveys |= _studies_that_asked(doc, locate, polls)
    in_court = _a_court_case(doc)
    claims: dict[int, _Claims] = {}  # by sentence, built when first asked (see ``_inside_a_claim``)
    for a in attributions:
        if a.source_kind == "none" and (
            _vouched_for(a, sourced, doc)
            or (in_court and _legal_hedge(a))
            or held_back.reported_next(a)
            or _with_named(a, sourced, doc)
        ):
            continue
        if a.source_kind in ("anonymous", "vague") and (
            _poll_result(a, doc, locate.sents, polls, surveys)
            or _exit_poll(a, doc)
            or (in_court and _the_prosecution(a, doc))
            or _document_again(a, doc)
            or _on_record(a, doc)
            or _told_by_named(a, sourced, locate.text, locate.sents[a.sentence].end)
            or _writers_own(a, doc)
            or _anybody(a, doc)
            or (_with_named(a, sourced, doc) and not _insider(a, doc))
            or _names_a_member(a, doc)
            or _cites_a_name(a, sourced, doc)
            or _channel_of_named(a, sourced, doc)
            or _a_website(a)
            or held_back.names_next(a, doc)
            or held_back.voiced_next(a, doc)
            or _reported_according_to(a, sourced)
        ):
            continue
        if a.source_kind == "pronoun" and _inside_a_claim(a, sourced, claims):
            continue  # "Democrats say there's a problem -- they're not sure ...": part of what was said
        flag = _flag_for(a, previous, locate, doc)
        if flag is not None:
            out.append(flag)
            if a.source_kind == "pronoun":
                carried.add(id(flag))  # "he" carrying on an unnamed source's flag (see ``_one_per_source``)
        if a.source_kind != "pronoun" and (a.source is not None or a.speech):
            # a pronoun may carry an unnamed source's flag on, but not one the rules above held back; a sourceless
            # non-claim between them ("A deal could be announced next week, though they cautioned") does not part them
            withheld = a.source_kind in ("anonymous", "vague") and flag is None
            previous = None if withheld else a
    out.extend(_unattributed_quotes(attributions, locate, doc))
    heading = heading_end(doc, locate.text, locate.sents)
    out = [f for f in out if f.start >= heading]  # "Critics slam plan": the body says who, or is flagged itself
    out.sort(key=lambda f: (f.start, f.evidence.start))
    return _one_per_source(out, carried)


def _one_per_source(flags: list[Flag], carried: set[int]) -> list[Flag]:
    """One flag per unnamed source and sentence: "Groups welcomed X and cautioned Y" is one thing to check.

    ``flags`` are in text order; the most severe of a run of same-evidence flags is kept. A pronoun's flag
    (``carried``, by identity) that follows its source's in the same sentence is the same source again:
    "criticised by immigration advocates, who say ...".
    """
    def key(f: Flag) -> tuple[str, int, int, int]:
        return f.category, f.start, f.evidence.start, f.evidence.end

    def again(f: Flag, before: Flag) -> bool:
        return id(f) in carried and (f.category, f.start) == (before.category, before.start)

    out: list[Flag] = []
    for flag in flags:
        if not out or (key(out[-1]) != key(flag) and not again(flag, out[-1])):
            out.append(flag)
        elif SEVERITY_ORDER[flag.severity] > SEVERITY_ORDER[out[-1].severity]:
            out[-1] = flag
    return out


class _Locator:
    """Find the sentence holding an offset, and cut evidence to it."""

    def __init__(self, text: str, sents: list[Sentence]) -> None:
        self.text = text
        self.sents = sents
        self.starts = [s.start for s in sents]

    def sentence(self, offset: int) -> Sentence:
        k = max(bisect_right(self.starts, offset) - 1, 0)
        return self.sents[k]

    def flag(self, category: str, severity: str, evidence: Span, reason: str) -> Flag:
        """Anchor a flag on the sentence holding the evidence; evidence is clipped to that sentence."""
        sent = self.sentence(evidence.start)
        start = min(max(evidence.start, sent.start), sent.end)
        end = max(min(evidence.end, sent.end), start)
        return Flag(category, severity, sent.start, sent.end, Span.of(self.text, start, end), reason)


def _flag_for(a: Attribution, previous: Attribution | None, locate: _Locator, doc: Doc) -> Flag | None:
    kind = a.source_kind
    if kind != "named" and not a.speech:
        return None  # an action, a name or a comparison: nothing for a reader to ask "says who?" about
    if a.content is None and a.cue.text.lower() in COPULA_FORMS and not _stance_under(a, doc):
        return None  # "Fans were quick to react online": a copula that reports nothing anyone said
    if _writers_question(locate.sents[a.sentence], locate.text, doc):
        return None  # "And did anyone see them led into the woods?": the writer asks; a question claims nothing
    if kind == "pronoun":
        return _pronoun_flag(a, previous, locate, doc)
    if kind in ("anonymous", "vague") and a.source is not None:
        return _unnamed_flag(a, kind, a.source, locate, doc, None)
    if kind == "none" and _gerund(a, doc):
        return None  # "was devoted to criticizing Trump", "after pleading guilty": whoever does it is in the clause
    if kind == "none":
        severity = "high" if _strong(a, doc) else "medium"
        reason = f"{_quote(a.cue.text)} reports a claim without saying who makes it."
        return locate.flag("no_source", severity, a.cue, reason)
    return None


def _writers_question(sent: Sentence, text: str, doc: Doc) -> bool:
    """Whether the sentence is a question in the writer's own voice: it ends with "?" outside quote marks."""
    end = len(text[sent.start : sent.end].rstrip()) + sent.start
    if end <= sent.start or text[end - 1] != "?":
        return False
    return not any(q.start < end - 1 < q.end for q in doc_quotes(doc) if q.start < sent.end and q.end > sent.start)


def _gerund(a: Attribution, doc: Doc) -> bool:
    """A cue in "-ing" form with no subject of its own: its doer is the clause's, not a hidden source."""
    cue = tokens_of(doc, a.cue)
    return cue is not None and len(cue) == 1 and cue.root.tag_ == "VBG"


def _unnamed_flag(
    a: Attribution, kind: str, evidence: Span, locate: _Locator, doc: Doc, via: Attribution | None
) -> Flag:
    quoted = _quotes_words(a, doc)
    weighty = quoted or _strong(a, doc)
    if kind == "anonymous":
        severity = "high" if weighty else "medium"
        reason = f"The source is not named: {_quote((via or a).source.text)}."  # type: ignore[union-attr]
    else:
        severity = "medium" if weighty else "low"
        reason = f"The source is a vague group, not someone named: {_quote((via or a).source.text)}."  # type: ignore[union-attr]
    if via is not None:
        reason = f"{_quote(evidence.text)} refers back to an unnamed source. " + reason
    if quoted:
        reason += " A direct quote rests on it."
    elif weighty:
        reason += " The claim is a strong one."
    return locate.flag(f"{kind}_source", severity, evidence, reason)


def _quotes_words(a: Attribution, doc: Doc) -> bool:
    """Whether the claim puts someone's words in quote marks: the content is all quote ('"Every millimetre counts,"
    the engineer said'), or holds a quote of five words or more. A phrase ("said there had been "no breakthrough"")
    is a quoted word or two inside a reported claim, which weighs as the claim does, as the unattributed-quote rule
    also leaves such phrases alone."""
    if not a.direct_quote:
        return False
    if a.content is None:
        return True
    text = doc_text(doc)
    inside = [q for q in doc_quotes(doc) if q.start < a.content.end and a.content.start < q.end]
    if not inside or any(len(text[q.start : q.end].split()) >= MIN_QUOTE_WORDS for q in inside):
        return True
    unquoted = list(text[a.content.start : a.content.end])
    for q in inside:
        for k in range(max(q.start, a.content.start), min(q.end, a.content.end)):
            unquoted[k - a.content.start] = " "
    return not any(ch.isalnum() for ch in unquoted)


def _pronoun_flag(a: Attribution, previous: Attribution | None, locate: _Locator, doc: Doc) -> Flag | None:
    """Flag "he said" only when it plainly continues an unnamed source of the sentence before."""
    if a.speaker or a.source is None or previous is None:
        return None
    pronoun = _pronoun_of(a.source.text)
    if pronoun in FIRST_PERSON and not a.direct_quote:
        return None  # "I think ..." outside quotes is the writer, who signs the piece
    if pronoun not in CONTINUING:
        return None  # "That says it all", "What explains this?": not a person carried over
    if previous.source_kind not in ("anonymous", "vague") or previous.source is None:
        return None
    if a.sentence - previous.sentence > PRONOUN_LOOKBACK:
        return None
    if pronoun in ONE_OF_THEM and (_modal(a, doc) or not (_plural(previous.source, doc) or pronoun == "another")):
        # "one" stands for one of a group the story has just cited ("One might argue" is anyone at all)
        return None
    if pronoun in SINGULAR_PRONOUNS and _person_between(previous.source, a.source, doc):
        return None  # "a guy in Massachusetts sells snow. ... Kyle Waring will ship it, he says": "he" may be Waring
    if pronoun in SINGULAR_PRONOUNS and _plural(previous.source, doc):
        return None  # "Fans waved flags. She said ...": "she" is not the fans
    if pronoun == "who" and not _who_is(a, previous, doc):
        return None  # "Some worried for the star, who wrote ...": "who" is the star
    if _other_sex(pronoun, previous.source, doc):
        return None  # "One man told her ... she testified": "she" is not the man
    return _unnamed_flag(a, previous.source_kind, a.source, locate, doc, previous)


def _modal(a: Attribution, doc: Doc) -> bool:
    """Whether the cue is hedged by a modal ("One could say", "One might argue"): a supposition, not a report."""
    cue = tokens_of(doc, a.cue)
    return cue is not None and any(c.dep_ == "aux" and c.tag_ == "MD" for c in cue.root.children)


def _stance_under(a: Attribution, doc: Doc) -> bool:
    """ "Officials were quick to call it murder", "critics are worried": a verb of saying or a word of stance under
    the copula makes it a claim after all."""
    cue = tokens_of(doc, a.cue)
    if cue is None:
        return False
    below = [t for t in cue.root.subtree if t.i != cue.root.i and t.dep_ not in ("nsubj", "nsubjpass")]
    return any(t.lower_ in STANCE_WORDS or (t.pos_ == "VERB" and cues.score(t, False) >= cues.THRESHOLD)
               for t in below)


def _pronoun_of(source: str) -> str:
    """The pronoun a source stands on: "he", or "them" in "one of them", "two of them"."""
    words_ = source.lower().split()
    if len(words_) == 3 and words_[1] == "of":
        return words_[2]
    return source.lower()


def _person_between(earlier: Span, later: Span, doc: Doc) -> bool:
    """Whether a person is named between an unnamed source and a pronoun, so the pronoun need not continue it. Not a
    name inside a quotation ('"We all backed Dale," he said'): that is someone spoken of, not a new speaker."""
    first, last = tokens_of(doc, earlier), tokens_of(doc, later)
    if first is None or last is None:
        return False
    quotes = quote_index(doc)
    return any(ent.label_ == "PERSON" and ent.end <= last.start and quotes.at(ent.start_char) is None
               for ent in entities_in(doc, first.end, last.start))


def _plural(source: Span, doc: Doc) -> bool:
    span = tokens_of(doc, source)
    return span is not None and span.root.tag_ in ("NNS", "NNPS")


def _who_is(a: Attribution, previous: Attribution, doc: Doc) -> bool:
    """Whether the "who" of ``a`` stands for the unnamed source of ``previous``: its noun lies in that source."""
    span = tokens_of(doc, a.source)
    if span is None or previous.source is None:
        return False
    clause = span.root.head  # the relative clause's verb
    noun = clause.head if clause.dep_ == "relcl" else None
    return noun is not None and previous.source.start <= noun.idx < previous.source.end


def _other_sex(pronoun: str, source: Span, doc: Doc) -> bool:
    """A pronoun that cannot stand for the source's head noun: "she" for "a man", "he" for "a woman"."""
    span = tokens_of(doc, source)
    if span is None:
        return False
    head = span.root.lemma_.lower()
    return (pronoun in ("she", "her") and head in MALE_NOUNS) or (pronoun in ("he", "him") and head in FEMALE_NOUNS)


class _HeldBack:
    """Names given a sentence or two after an unnamed source, for the sources a story holds back.

    "A US bank has agreed to pay $8m. Riggs Bank said ...", "A former trainer said the course is hard. '...,'
    Oly Olson said.": the unnamed source is named right after it, and a reader sees who it was.
    """

    def __init__(self, doc: Doc, locate: _Locator, sourced: dict[int, list[Attribution]]) -> None:
        self.locate = locate
        self.named_words: dict[int, set[str]] = {}  # "Riggs Bank" gives {"bank"} for its sentence
        for ent in doc.ents:
            if ent.label_ in ("ORG", "PERSON", "GPE"):
                self.named_words.setdefault(locate.sentence(ent.start_char).index, set()).add(ent[-1].lemma_.lower())
        self.named_speaker: set[int] = set()  # sentences with a named person speaking
        # for those sentences, where each speaker's name first appears, and the offices it comes with
        self.first_named: dict[int, list[tuple[int, frozenset[str]]]] = {}
        first_use = _first_uses(doc)
        self.named_quote: set[int] = set()  # sentences quoting a named person's own words
        self.speaker_words: dict[int, set[str]] = {}  # "Air Force Col. Monte Cannon said" gives {"air", "force", ...}
        self.named_body: set[int] = set()  # sentences with a named organisation speaking
        self.named_document: set[int] = set()  # sentences citing a document whose maker is named
        self.named_press: set[int] = set()  # sentences that cite a named outlet or report: "according to X"
        self.named_outlet: set[int] = set()  # of those, the ones whose source is a paper or broadcaster
        for k, group in sourced.items():
            for a in group:
                if a.source_kind != "named" or a.source is None:
                    continue
                span = tokens_of(doc, a.source)
                if span is None:
                    continue
                # "Dusseldorf prosecutor Christoph Kumpa said": the title is a word the source shares
                self.named_words.setdefault(k, set()).update(t.lemma_.lower() for t in span if t.is_alpha)
                if any(t.ent_type_ == "PERSON" for t in span) or _bare_name(span):
                    self.named_speaker.add(k)
                    # where the story first gave this name: only a name new to it can be an unnamed source named late
                    offices = frozenset(t.lower_.rstrip(".") for t in span if t.lower_.rstrip(".") in OFFICE_TITLES)
                    self.first_named.setdefault(k, []).append((first_use.get(span[-1].text, span[-1].idx), offices))
                    if a.direct_quote and not _as_they_put_it(a, doc):
                        # where the quotation opens: a quote of two sentences has its "said" in the second
                        opens = a.content.start if a.content is not None else a.cue.start
                        self.named_quote.add(locate.sentence(opens).index)
                    self.speaker_words.setdefault(k, set()).update(t.lower_ for t in span if t.is_alpha)
                if any(t.ent_type_ == "ORG" for t in span):
                    self.named_body.add(k)
                if any(_document_word(t) for t in span) or _in_a_document(a, doc):
                    self.named_document.add(k)
                if a.cue.text.lower() == "according to" or a.cue.text.lower().startswith("report"):
                    self.named_press.add(k)
                    if a.cue.text.lower().startswith("report") or _an_outlet(span):
                        self.named_outlet.add(k)

    def reported_next(self, a: Attribution) -> bool:
        """ "... have reportedly been drawn up. ..., according to reports in the Hollywood Reporter.": the next
        sentence says whose report it was; or the sentence before was a named outlet's ("According to the
        Hollywood Reporter, ... The film-maker will reportedly meet ...")."""
        if a.cue.text.lower() not in ("reportedly", "is said", "are said", "was said", "were said"):
            return False
        # the next sentence must cite the report itself ("according to reports in ..."), not any named paper:
        # "Analysts at Pembroke said in a note that the cuts ..." is about something else
        after = a.sentence + 1
        # the sentence before must be a news outlet's report, not any body's word ("According to the American
        # Society of Civil Engineers, 42,000 bridges are poor. State lawmakers are reportedly drafting ...")
        return (after in self.named_document and after in self.named_press) or a.sentence - 1 in self.named_outlet

    def voiced_next(self, a: Attribution, doc: Doc) -> bool:
        """ "Muslim advocates hailed the nomination. '...,' said Farhana Khera, of Muslim Advocates.": a group's view,
        then at once a named person's own words, is the story giving the group a voice a reader can check. Not
        after a contrast ("But ...", "Others ..."), and never for insiders ("officials", "aides")."""
        if a.source_kind != "vague" or a.sentence + 1 not in self.named_quote:
            return False
        span = tokens_of(doc, a.source)
        if span is None or span.root.lemma_.lower() in ALWAYS_UNNAMED or span.root.tag_ not in ("NNS", "NNPS"):
            return False
        if _document_word(span.root):
            return False  # "polls show ...": figures, which a person quoted next does not stand for
        nxt = self.locate.sents[a.sentence + 1]
        if span.root.lemma_.lower() in EXPERTISE and AGED_NAME.search(self.locate.text, nxt.start, nxt.end):
            return False  # "Insurance experts say ... '...,' said Debra Collins, 63": a witness, not an expert
        sentence = self.locate.text[nxt.start : nxt.end]
        stripped = sentence.lstrip()
        first = nxt.start + len(sentence) - len(stripped)
        opening = stripped.lstrip("\"'“‘").split(" ", 1)[0].lower().strip(",")
        # the quotation opens the sentence ('"...," said X'; its mark may close the sentence before, as a doubled
        # apostrophe can): a voice handed over, not a new point of the story's
        quote = quote_index(doc).at(first)
        return quote is not None and quote.start >= first - QUOTE_MARK_REACH and opening not in CONTRAST_OPENERS

    def names_next(self, a: Attribution, doc: Doc) -> bool:
        """True when one of the next sentences names the unnamed source ``a``."""
        span = tokens_of(doc, a.source)
        if span is None or a.source is None:
            return False
        if UNNAMED_ON_PURPOSE.search(self.locate.text, a.source.start, max(a.source.end, a.cue.start)):
            return False  # "A woman who asked not to be named said ...": whoever speaks next, it is not her
        lemma = span.root.lemma_.lower()
        marks = {t.lower_ for t in span if t.pos_ == "PROPN" and t.i < span.root.i}  # before the noun: "Air Force"
        if marks and marks <= self.speaker_words.get(a.sentence + 1, set()):
            return True  # "an Air Force official said ... Air Force Col. Monte Cannon said": the same person, named
        if lemma in ALWAYS_UNNAMED or _unnamed_body_in(span) or leaked_paper(span.root):
            return False  # a leaked paper stays unnamed when the story says who wrote it: the reader cannot ask them
        after = range(a.sentence + 1, a.sentence + 1 + HELD_BACK_WINDOW)
        if any(lemma in self.named_words.get(k, ()) for k in after):
            return True  # "A US bank ... Riggs Bank", "German prosecutors ... prosecutor Christoph Kumpa"
        single = span.root.tag_ in ("NN", "NNP")
        if single and lemma in HELD_BACK_BODIES and any(k in self.named_body for k in after):
            return True  # "an activist group said ... the Syrian Observatory for Human Rights said"
        if _document_word(span.root) and lemma not in ("poll", "survey", "questionnaire") and (
            any(k in self.named_document for k in after)
            or (lemma in PRESS_WORDS and a.sentence + 1 in self.named_body)
        ):
            return True  # "Research suggests ... According to a report by Demos", "media reports ... Yonhap reported"
        # "One neighbour said ... Inspector Baird said" is not the neighbour named at last when Baird spoke before
        # "One woman said ... Sheriff Alan Booker said" is not the woman named either: an office is a new person's,
        # unless it is what the story called them ("a lawyer said ... lawyer Ann Roe said")
        since = span.start_char

        def could_be(offices: frozenset[str]) -> bool:
            return not offices or lemma in offices or (lemma in LOOSE_PEOPLE and lemma not in LAY_PEOPLE)

        return single and lemma in HELD_BACK_PEOPLE and any(
            k in self.named_speaker
            and any(first >= since and could_be(offices) for first, offices in self.first_named.get(k, ()))
            for k in after)


# Words in the names of papers, broadcasters and wires ("the Hollywood Reporter", "The Sunday Times", "Reuters").
OUTLET_NAME = re.compile(
    r"\b(?:Times|Post|News|Journal|Reporter|Herald|Tribune|Gazette|Chronicle|Guardian|Telegraph|Mail|Mirror|Sun|"
    r"Express|Independent|Observer|Economist|Standard|Star|Record|Globe|Press|Daily|Weekly|Magazine|Radio|TV|"
    r"Reuters|Bloomberg|AP|AFP|BBC|CNN|NBC|CBS|ABC|Fox|Sky|ITV|Politico|Axios|Variety|Deadline|Billboard|"
    r"Yonhap|Xinhua|Kyodo|Bild|Spiegel|Le Monde|El Pa[ií]s)\b")


def _an_outlet(span: Span_) -> bool:
    """A paper, broadcaster or wire by name or by kind ("Yonhap", "Korean media", "the newspaper")."""
    return bool(OUTLET_NAME.search(span.text)) or any(t.lemma_.lower() in PRESS_WORDS for t in span)


def _unnamed_body_in(span: Span_) -> bool:
    """ "A spokesman for one bank", "an executive at a rival firm": the phrase keeps the body itself unnamed, so a
    named person speaking next is someone else, not the source named at last."""
    return any(
        t.i != span.root.i and t.lemma_.lower() in words("organisation_nouns.txt")
        and any(c.dep_ in ("det", "nummod") and c.lower_ in ("one", "a", "an", "another", "some") for c in t.children)
        for t in span
    )


def _first_uses(doc: Doc) -> dict[str, int]:
    """Where the story first uses each word (a whole token, so "Day" is not found inside "Monday"; not in a date), as
    a character offset: one pass, not one scan of the story per named speaker."""
    first: dict[str, int] = {}
    for t in doc:
        if t.ent_type_ not in ("DATE", "TIME"):
            first.setdefault(t.text, t.idx)
    return first


def _as_they_put_it(a: Attribution, doc: Doc) -> bool:
    """ "As Akhil Amar put it, '...'": the writer borrowing an authority's words for a point of the writer's own."""
    cue = tokens_of(doc, a.cue)
    return cue is not None and as_mark(cue.root) is not None


def _bare_name(span: Span_) -> bool:
    """ "Ryan Pate said": a name of capitalised words the NER left untyped (or split) is a person's."""
    alpha = [t for t in span if t.is_alpha]
    return bool(alpha) and all(t.pos_ == "PROPN" for t in alpha) and not any(t.ent_type_ in NOT_PEOPLE for t in alpha)


def _in_a_document(a: Attribution, doc: Doc) -> bool:
    """ "Kennedy wrote in a memo", "the ministry said in a statement": a named source speaking through a paper."""
    span = tokens_of(doc, a.cue)
    if span is None:
        return False
    ins = [c for c in span.root.children if c.dep_ == "prep" and c.lower_ == "in"]
    return any(_document_word(g) for p in ins for g in p.children if g.dep_ == "pobj")


def _document_word(tok: Token) -> bool:
    """A word for a piece of research or a record: "research", "a report", "figures", "local reports"."""
    lemma = tok.lemma_.lower()
    return lemma in DOCUMENT_LIKE or lemma in words("document_nouns.txt") or tok.lower_ in words("document_nouns.txt")


def _names_a_member(a: Attribution, doc: Doc) -> bool:
    """ "A few students, including Victoria Arild, said ...", "groups including the Musicians' Union", "proponents
    like Mr. Eisenbrey", "defenders of trade, like Gary Hufbauer,": the group is given a named member to ask."""
    span = tokens_of(doc, a.source)
    if span is None:
        return False
    members = [c for c in span.root.children if c.dep_ == "prep" and c.lower_ in ("including", "among")]
    likes = [c for c in span.root.children if c.dep_ == "prep" and c.lower_ == "like"]
    after = span.end + 1 if span.end < len(doc) and doc[span.end].text == "," else span.end
    if after < len(doc) and doc[after].lower_ == "like" and doc[after].dep_ == "prep":
        likes.append(doc[after])  # the parser hangs ", like X," on the verb
    if any(_a_named_member(g) for like in likes for g in like.children if g.dep_ == "pobj"):
        return True  # "like Mr. Eisenbrey", not "like those at Harvard"
    return any(t.ent_type_ in ("PERSON", "ORG") or _bare_name(t.doc[t.i : t.i + 1])
               for m in members for t in m.subtree)


def _a_named_member(tok: Token) -> bool:
    """A person or body named as an example of a group: "like Mr. Eisenbrey", "like Gary Hufbauer"."""
    if tok.ent_type_ in ("PERSON", "ORG"):
        return True
    return tok.pos_ == "PROPN" and tok.tag_ != "NNPS" and tok.ent_type_ != "NORP"


def _cites_a_name(a: Attribution, sourced: dict[int, list[Attribution]], doc: Doc) -> bool:
    """ "Russian media said, citing security chief Alexander Bortnikov": the unnamed outlet relays a named source."""
    for other in sourced.get(a.sentence, []):
        if other.cue.text.lower() not in ("citing", "quoting") or other.content is None:
            continue
        cited = tokens_of(doc, other.content)
        if cited is not None and any(t.ent_type_ in ("PERSON", "ORG") for t in cited):
            return True
    return False


def _writers_own(a: Attribution, doc: Doc) -> bool:
    """ "my pal from Wisconsin", "a lot of my friends", "many of you": the writer's own circle or readers, in a
    signed first-person piece, not a source the story hides."""
    span = tokens_of(doc, a.source)
    if span is None:
        return False
    preps = [c for c in span.root.children if c.dep_ == "prep"]  # "a lot of my friends"
    heads = [span.root, *(g for p in preps for g in p.children if g.dep_ == "pobj")]
    if any(h.lower_ == "you" for h in heads):
        return True  # "Many of you have noted ...": the writer talking to readers
    if any(t.lower_ in ("myself", "ourselves") for t in span.root.subtree):
        return True  # "Many observers, including myself, think ...": the writer counts in
    # "my pal", and "our research has found": the writer's (or the paper's) own work, signed by the piece
    return any(c.dep_ == "poss" and c.lower_ in ("my", "our") for h in heads for c in h.children)


def _anybody(a: Attribution, doc: Doc) -> bool:
    """ "The next time someone accuses you", "until someone tells me", "everyone in the class said": an indefinite
    person stands for anyone, or for a scene's bystander, not for a source the story keeps back; but "someone
    familiar with the talks" is an insider."""
    span = tokens_of(doc, a.source)
    return span is not None and span.root.lower_ in ANYBODY and not in_the_know(span.root)


def _a_court_case(doc: Doc) -> bool:
    """The story is about a case before a court: it speaks of charges, a trial, prosecutors or a jury.

    "A charge the company denies" and "in charge of the budget" are not charges, nor is "a judge on a talent
    show": "charge" counts as a verb ("was charged with") or in the plural, "judge" as one who acts ("a judge ruled").
    """
    for t in doc:
        lemma = t.lemma_.lower()
        if lemma in COURT_CASE_WORDS and not (t.dep_ == "compound" and t.head.lemma_.lower() == "judge"
                                              and not _judge_acts(t.head)):
            return True  # not "a review led by a retired High Court judge"
        if lemma == "charge" and (t.pos_ == "VERB" or t.tag_ == "NNS") and not _denied_charges(t):
            return True
        if lemma == "judge" and t.pos_ == "NOUN" and _judge_acts(t):
            return True
    return False


# What a judge does in court, for "sentenced by a judge" (not "a review led by a retired judge").
COURT_ACTS = {"sentence", "order", "rule", "jail", "convict", "acquit", "dismiss", "grant", "deny", "fine", "hear",
              "approve", "block", "halt", "remand", "try", "refuse", "reject", "throw", "bar", "free", "clear"}


def _judge_acts(judge: Token) -> bool:
    """A judge who acts in the story ("a judge ruled", "told the judge", "sentenced by a judge", "before a judge"), not
    one who only describes someone or leads something ("a review led by a retired High Court judge")."""
    if judge.dep_ in ("nsubj", "nsubjpass", "agent"):
        return True
    if judge.dep_ != "pobj":
        return False
    prep = judge.head
    if prep.lower_ in ("before", "to"):
        return True
    return prep.lower_ == "by" and prep.head.lemma_.lower() in COURT_ACTS


def _denied_charges(charge: Token) -> bool:
    """ "..., charges it denies", "charges the group rejects": the writer's word for accusations someone denies, as
    "a charge it denies" is, not a court's charges."""
    deny = next((c for c in charge.children if c.dep_ in ("relcl", "ccomp")), None)  # or "charges" read as a verb
    return charge.lower_ == "charges" and deny is not None and deny.lemma_.lower() in ("deny", "reject", "dispute")


def _document_again(a: Attribution, doc: Doc) -> bool:
    """ "Datamonitor published a report ... The report also found", "the ministry said in a statement ... the
    statement said": "the" and one document the story already spoke of, beside a name, point back to it; a first
    mention ("The memo said") or one beside no name ("A report was published. The report said") is still flagged."""
    found = tokens_of(doc, a.source)
    if found is None:
        return False
    head = found.root
    lemma = head.lemma_.lower()
    if head.tag_ != "NN" or lemma not in words("document_nouns.txt"):
        return False
    if lemma == "figure" and a.direct_quote:
        return False  # '"...," the figure added': a person (a senior party figure) speaks; statistics do not quote
    if not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in head.children):
        return False
    # the earlier mention's sentence names who made it: "Pakistan's government said in a statement"
    mentions = _named_document_mentions(doc).get(lemma, [])
    k = bisect_right(mentions, found.start - 1)
    return k > 0 and mentions[k - 1] >= found.start - DOCUMENT_AGAIN_LOOKBACK


def _named_document_mentions(doc: Doc) -> dict[str, list[int]]:
    """Where each document noun occurs in a sentence that names a person, body or place, built once per doc so
    that each "the report" costs a binary search, not a scan."""
    cached = doc.user_data.get(_DOCUMENT_MENTIONS_KEY)
    if cached is None:
        cached = {}
        documents = words("document_nouns.txt")
        named: set[int] = set()  # the starts of sentences that name someone (``Span.ents`` reads every entity of
        for ent in entities_in(doc, 0, len(doc)):  # the doc, so asking it of each sentence was quadratic)
            if ent.label_ in ("PERSON", "ORG", "GPE"):
                named.add(sentence_of(doc, ent.start).start)
        for t in doc:
            lemma = t.lemma_.lower()
            if lemma in documents and sentence_of(doc, t.i).start in named:
                cached.setdefault(lemma, []).append(t.i)
        doc.user_data[_DOCUMENT_MENTIONS_KEY] = cached
    return cached


def _the_prosecution(a: Attribution, doc: Doc) -> bool:
    """ "Prosecutors said", "federal prosecutors allege": in a court story, the prosecution of the case speaking on
    the record, in court or in its filings, which a reader can look up; "two prosecutors" or "a prosecutor" (people
    counted or singled out) and prosecutors who spoke on condition of anonymity stay flagged."""
    found = tokens_of(doc, a.source)
    if found is None:
        return False
    head = found.root
    if head.lemma_.lower() not in ("prosecutor", "prosecution") or per_sentence(
        doc, head.i, "anonymity", _mentions_anonymity
    ):
        return False
    if head.lemma_.lower() == "prosecutor" and head.tag_ != "NNS":
        return False
    singled = any(c.dep_ == "nummod" or c.lower_ in NOT_THE_PROSECUTION for c in head.children)
    return not singled  # "two prosecutors", "some prosecutors", "former prosecutors" are people, not the case's side


def _legal_hedge(a: Attribution) -> bool:
    """ "allegedly", "is accused of", "are suspected": in a court story, the charges the story reports, whose
    maker (the prosecution, the indictment) a reader can look up; "reportedly" is still a hidden source."""
    words_ = a.cue.text.lower().split()
    return bool(words_) and any(w.startswith(LEGAL_HEDGES) for w in words_)


def _told_by_named(a: Attribution, sourced: dict[int, list[Attribution]], text: str, end: int) -> bool:
    """ "According to the Sheriff's Office, deputies said ...", "..., a mechanic found, according to Woodard": the
    unnamed source's words reach the reader through a named one, who answers for them."""
    for other in sourced.get(a.sentence, []):
        if other is a or other.source_kind != "named" or other.cue.text.lower() != "according to":
            continue
        if other.content is not None and other.content.start <= a.cue.start and a.cue.end <= other.content.end:
            return True
        if other.cue.start > a.cue.end and other.source is not None and _ends_sentence(other.source.end, text, end):
            return True  # "..., according to Woodard." closing the sentence answers for all of it
    return False


def _ends_sentence(offset: int, text: str, end: int) -> bool:
    """Only closing punctuation or quote marks stand between ``offset`` and the sentence's end."""
    return all(not ch.isalnum() for ch in text[offset:end])


def _on_record(a: Attribution, doc: Doc) -> bool:
    """ "authorities said in court papers": whoever speaks, the claim stands in a public record; and "Bank records
    show ..., the court heard": evidence given in open court, as British court reports set it down."""
    span = tokens_of(doc, a.cue)
    if span is None:
        return False
    if _heard_in_court(span.root.sent):
        return True
    for prep in (c for c in span.root.children if c.dep_ == "prep" and c.lower_ == "in"):
        if any(public_record(g) for g in prep.children if g.dep_ == "pobj"):
            return True
    return False


def _heard_in_court(sent: Span_) -> bool:
    """ "..., the court heard", "a jury at Southwark Crown Court was told that ...": the sentence reports evidence
    given at a hearing, which anyone could attend and the record keeps ("the court heard too little evidence" is
    what it heard, not evidence given). Read off the words: the small parser mistags "the inquest heard"."""
    return HEARD_IN_COURT.search(sent.text) is not None


def _exit_poll(a: Attribution, doc: Doc) -> bool:
    """ "according to exit polls", "Exit polling shows ...": the one published survey of voters leaving the booth.
    Unnamed (the source kind stays vague), but not a source a story hides: a reader can look the polls up."""
    span = tokens_of(doc, a.source)
    if span is None or span.root.lemma_.lower() not in ("poll", "polling"):
        return False
    return any(c.lower_ == "exit" and c.dep_ in ("compound", "amod", "nmod") for c in span.root.children)


def _named_poll_sentences(doc: Doc, locate: _Locator) -> tuple[set[int], set[int]]:
    """Sentences that name a poll's maker: a poll, survey or study beside an organisation or person ("a survey
    for consultancy Capgemini", "Polling firm Mori interviewed ..."); and, of those, the ones whose poll asked
    people (``SURVEY_WORDS``), found in the same pass."""
    polls: set[int] = set()
    surveys: set[int] = set()
    for tok in doc:
        lemma = tok.lemma_.lower()
        if lemma not in POLL_WORDS or tok.pos_ not in ("NOUN", "PROPN"):
            continue
        if tok.pos_ == "PROPN" and tok.ent_type_ == "ORG":
            continue  # "according to Counterpoint Research": a firm's name, not a poll
        makers = [t for t in tok.subtree if t.i != tok.i]  # "a CNN poll", "a survey for Capgemini"
        makers += [c for c in tok.head.children if c.dep_ in ("nsubj", "agent")]  # "Nokia commissioned the study"
        if any(is_maker(t) for m in makers for t in m.subtree):
            k = locate.sentence(tok.idx).index
            polls.add(k)
            if lemma in SURVEY_WORDS:
                surveys.add(k)
    return polls, surveys


def _studies_that_asked(doc: Doc, locate: _Locator, polls: set[int]) -> set[int]:
    """Named studies near "those questioned", "respondents": research that asked people, as a survey does."""
    if not polls:
        return set()
    asked = {locate.sentence(t.idx).index for t in doc if t.lower_ in RESPONDENT_WORDS}
    return {k for k in polls if any(abs(k - j) <= POLL_WINDOW for j in asked)}


def _poll_result(a: Attribution, doc: Doc, sents: list[Sentence], polls: set[int], surveys: set[int]) -> bool:
    """ "More than half of those questioned said ...", "the survey found ...": the answers of a named poll's
    respondents, or the poll itself, are that poll's findings, not an unnamed source's claim."""
    if not polls:
        return False
    span = tokens_of(doc, a.source)
    if span is None:
        return False
    root = span.root.lemma_.lower()
    if a.source is not None and UNNAMED_ON_PURPOSE.search(doc_text(doc), a.source.start, a.source.end):
        return False  # "A nurse, who asked not to be named, said": kept unnamed on purpose, no poll's respondent
    definite = any(c.lower_ in ("the", "this", "that") for c in span.root.children if c.dep_ == "det")
    near = range(a.sentence - POLL_WINDOW, a.sentence + POLL_WINDOW + 1)
    if root in POLL_WORDS:
        # "The survey found ..." once the story names whose survey it is; "a survey says ..." in the opening
        # when the next sentences name it; "one recent study found" otherwise stays open
        return definite or any(k in polls for k in range(a.sentence + 1, a.sentence + POLL_WINDOW + 1))
    if root in words("anonymous_nouns.txt") or in_the_know(span.root):
        return False  # "one senior official", "two people familiar with the matter": kept unnamed, not respondents
    before = doc[max(0, span.start - SHARE_REACH) : span.start]  # "More than 50% of [mobile owners]"
    counted = any((t.like_num or t.ent_type_ in ("PERCENT", "CARDINAL")) and t.lower_ != "one" for t in span) or (
        any(t.ent_type_ == "PERCENT" or t.text == "%" for t in before) and before[-1].lower_ == "of"
    )
    if counted or any(t.lower_ in RESPONDENT_WORDS for t in span):
        return True  # "59% of people", "those questioned": a named poll's respondents, wherever it is named
    if a.source_kind == "vague" and root not in POLL_SKIP and per_sentence(doc, span.root.i, "share", _has_a_share):
        return True  # "By 82%-12%, millennials support checks", "Women back him by 20 points": the poll's figures
    # "Most said" near a named survey; a study is no poll of them: "Many economists see ... A study by X estimated"
    asked = [k for k in near if k in surveys]
    if not asked or not any(t.lower_ in SHARE_WORDS for t in span):
        return False
    if root in SHARE_WORDS or root in POLLED_PEOPLE:
        return True
    # "Some MPs believe ..." beside a poll of voters: a group the poll did not ask is not its answer
    return any(t.lemma_.lower() == root for k in asked for t in doc[sents[k].token_start : sents[k].token_end])


def _mentions_anonymity(sent: Span_) -> bool:
    return "anonym" in sent.text.lower()  # "spoke on condition of anonymity"


def _has_a_share(sent: Span_) -> bool:
    return any(_a_share(t) for t in sent)


def _a_share(tok: Token) -> bool:
    """A poll's figure: a percentage, or a lead in points ("by almost 20 points")."""
    if tok.ent_type_ == "PERCENT" or tok.text.endswith("%"):
        return True
    if tok.i > 0 and tok.nbor(-1).lower_ == "by" and RATIO.fullmatch(tok.text):
        return True  # "By 2-1, millennials see ..."
    return tok.lower_ == "points" and tok.i > 0 and tok.nbor(-1).like_num


def _insider(a: Attribution, doc: Doc) -> bool:
    """Officials, sources, aides: the unnamed a story keeps unnamed on purpose (``ALWAYS_UNNAMED``)."""
    span = tokens_of(doc, a.source)
    return span is not None and span.root.lemma_.lower() in ALWAYS_UNNAMED


SAYING_FORMS = {"say", "says", "said", "saying", "tell", "tells", "told", "telling"}


def _reported_according_to(a: Attribution, sourced: dict[int, list[Attribution]]) -> bool:
    """ "About 40 rabbis have said they will protest, according to an organizer": the story has the rabbis' word
    only from the organizer, who is the source to check (and is flagged if unnamed), so the rabbis are not. Only
    for what they said or told: in "Republicans denounced the deal, which would cut its tax, according to company
    leaders" the according-to may be about the deal alone."""
    if a.cue.text.lower().split()[-1] not in SAYING_FORMS:
        return False
    return any(
        o is not a and o.cue.text.lower().startswith("according") and o.content is not None
        and o.content.start <= a.cue.start < o.content.end
        for o in sourced.get(a.sentence, [])
    )


def _inside_a_claim(
    a: Attribution, sourced: dict[int, list[Attribution]], claims: dict[int, _Claims] | None = None
) -> bool:
    """The cue lies inside what another source in the sentence is reported to have said.

    ``claims`` keeps each sentence's claims sorted by their ends, so each cue costs two binary searches; asking every
    cue of a long sentence of pronoun sources about every other claim of it was quadratic.
    """
    claims = {} if claims is None else claims
    if a.sentence not in claims:
        claims[a.sentence] = _Claims(sourced.get(a.sentence, []))
    return claims[a.sentence].others_hold(a, a.cue.start)


class _Claims:
    """The contents of one sentence's sourced claims, for "how many of them hold this offset?"."""

    def __init__(self, group: list[Attribution]) -> None:
        contents = [o.content for o in group if o.content is not None]
        self.starts = sorted(c.start for c in contents)
        self.ends = sorted(c.end for c in contents)
        self.copies: dict[int, int] = {}  # how many times each attribution is in the group
        for o in group:
            self.copies[id(o)] = self.copies.get(id(o), 0) + 1

    def others_hold(self, a: Attribution, offset: int) -> bool:
        """Whether the content of a claim other than ``a`` holds ``offset``."""
        holding = bisect_right(self.starts, offset) - bisect_right(self.ends, offset)  # start <= offset < end
        own = a.content is not None and a.content.start <= offset < a.content.end
        return holding - (self.copies.get(id(a), 0) if own else 0) > 0


def _channel_of_named(a: Attribution, sourced: dict[int, list[Attribution]], doc: Doc) -> bool:
    """ '"...," Walker said, according to a transcript provided by his staff': the document only carries the words
    of the named speaker whose verb the "according to" hangs on."""
    mine, source = tokens_of(doc, a.cue), tokens_of(doc, a.source)
    if mine is None or source is None or a.cue.text.lower() != "according to":
        return False
    if source.root.lemma_.lower() not in RECORDS_OF_WORDS:
        return False  # "X said ..., according to a Treasury official": a person relays it, and is unnamed
    for other in sourced.get(a.sentence, []):
        theirs = tokens_of(doc, other.cue)
        if other is not a and other.source_kind == "named" and theirs is not None and mine.root.head.i == theirs.root.i:
            return True
    return False


def _a_website(a: Attribution) -> bool:
    """ "according to gulfstream.com": a web address names its owner."""
    return a.source is not None and WEB_ADDRESS.fullmatch(a.source.text.strip()) is not None


def _with_named(a: Attribution, sourced: dict[int, list[Attribution]], doc: Doc) -> bool:
    """ "Critics praised the show, with The Hollywood Reporter's Amy Amatangelo saying ...", "was projected the
    winner, with Fox News calling the race": the sentence names who, in a "with X saying" phrase."""
    for other in sourced.get(a.sentence, []):
        if other is a or other.source_kind != "named":
            continue
        span = tokens_of(doc, other.cue)
        if span is not None and span.root.tag_ == "VBG" and span.root.head.lower_ == "with":
            return True
    return False


def _in_a_clause_apart(according: Span_ | None, cue: Span_ | None) -> bool:
    """Whether an "according to" sits in a relative clause that does not hold the cue: "It is believed he will be
    asked about the debts, which stood at £62m, according to its accounts" sources the debts, not the belief."""
    if according is None or cue is None:
        return False
    doc = according.doc
    k = according.start - 1
    while k > cue.root.i and doc[k].is_punct:
        k -= 1
    # the parser hangs "according to" on the main verb, so the clause that ends right before it decides
    for start in (according.root, doc[k]):
        for node in (start, *start.ancestors):
            if node.dep_ in ("relcl", "acl") and not (node.left_edge.i <= cue.root.i <= node.right_edge.i):
                # an aside on a thing ("the debts, which stood at ..."); "women, who paid ..., according to a
                # statement" may well be the statement's account of the whole sentence
                return any(t.lower_ == "which" for t in node.children)
    return False


def _vouched_for(a: Attribution, sourced: dict[int, list[Attribution]], doc: Doc) -> bool:
    """A source-less cue that a sourced claim in the same sentence covers is that source's wording.

    "The bridge is believed to be the oldest, according to the society", "The mayor said the plant is expected
    to close", "When asked about the budget, the mayor said ...": someone is named, so there is no missing source.
    """
    mine = tokens_of(doc, a.cue)
    aside = mine is not None and mine.root.dep_ in ("relcl", "acl")  # "Lenz, who is said to be unhappy"
    for other in sourced.get(a.sentence, []):
        if other.cue.text.lower() == "according to":
            if not _in_a_clause_apart(tokens_of(doc, other.cue), mine):
                return True
            continue
        same_words = other is not a and a.content is not None and other.content is not None and (
            (a.content.start, a.content.end) == (other.content.start, other.content.end)
        )
        if same_words and mine is not None and (mine.root.pos_ in ("NOUN", "PROPN") or mine.root.dep_ == "acl"):
            return True  # 'Any other accusations, he added, "are ridiculous."': the same words, and he says them
        inside = other.content is not None and other.content.start <= a.cue.start and a.cue.end <= other.content.end
        if inside and not (aside and not other.speech):  # an aside on an action's object is nobody's word
            return True
        theirs = tokens_of(doc, other.cue)
        if mine is not None and theirs is not None and mine.root.dep_ == "advcl" and mine.root.head.i == theirs.root.i:
            return True  # a clause hung on the sourced verb: "When asked ..., X said"
    return False


def _strong(a: Attribution, doc: Doc) -> bool:
    """True when the cue or the content speaks of wrongdoing, crime or accusation."""
    strong = words("strong_claim_words.txt")
    cue = tokens_of(doc, a.cue)
    if a.cue.text.lower().split()[-1].rstrip(":") in strong or (
        cue is not None and cue.root.lemma_.lower() in strong  # "has been accused": the word, not its form
    ):
        return True
    if a.content is None:
        return False
    span = tokens_of(doc, a.content)
    return span is not None and any(_strong_word(t, strong) for t in span)


def _strong_word(t: Token, strong: frozenset[str]) -> bool:
    """A word of the strong-claim list, read as that word: not the tail of a compound ("low-lying", "ceasefire"
    split as "cease-fire") and, for "lie", a falsehood ("lied to MPs", "a lie"), not lying in a place."""
    if t.i >= 2 and t.doc[t.i - 1].text == "-" and not t.doc[t.i - 1].whitespace_ and not t.doc[t.i - 2].whitespace_:
        return False
    lemma = t.lemma_.lower()
    if lemma == "lie" and t.lower_ in ("lay", "lays", "laying", "laid", "lain"):
        return False  # "lay the groundwork", "laid off": the lemmatizer's "lie", never a falsehood
    if lemma == "lie" and t.pos_ != "NOUN" and t.lower_ != "lied" and any(
        (c.dep_ == "prep" and c.lower_ in PLACE_PREPOSITIONS) or (c.dep_ in ("prt", "advmod") and c.lower_ in LIE_WAYS)
        for c in t.children
    ):
        # "lying in the road", "what lies ahead", "lay off workers": a place or a phrasal verb, not a falsehood
        return False
    if lemma == "attack" and t.i > 0 and t.doc[t.i - 1].lower_ in ILLNESS_ATTACKS:
        return False  # "a second heart attack", "panic attacks": an illness, not a crime
    if lemma == "attack" and t.i > 1 and t.doc[t.i - 2 : t.i].text.lower() in ("line of", "lines of"):
        return False  # "a potent line of attack": a campaign's argument, not violence
    if lemma in ("kill", "murder") and any(c.dep_ == "dobj" and c.lemma_.lower() in KILLED_IDEAS for c in t.children):
        return False  # "remote work kills innovation", "killed the deal": figurative, not a death
    return lemma in strong or t.lower_ in strong


def _unattributed_quotes(attributions: list[Attribution], locate: _Locator, doc: Doc) -> list[Flag]:
    covered = merge([(a.content.start, a.content.end) for a in attributions if a.content is not None])
    cue_sents = {a.sentence for a in attributions}
    # A quote right after a sentence about a named speaker is theirs, as news writing has it:
    # 'Ann Lee agreed. "I would never keep cash at home."'
    # A "he" or "she" who said something in the sentence before is someone the reader already knows.
    speaker_sents = {
        a.sentence
        for a in attributions
        if a.source_kind == "named" or a.speaker or (a.source is not None and a.source.text.lower() in PERSONAL)
    }
    speaker_sents |= {locate.sentence(e.start_char).index for e in doc.ents if e.label_ == "PERSON"}
    # "since Trump spoke only in bromides": a person's name the tagger typed otherwise here, but PERSON elsewhere
    surnames = {e[-1].text for e in doc.ents if e.label_ == "PERSON"}
    speaker_sents |= {locate.sentence(t.idx).index for t in doc if t.pos_ == "PROPN" and t.text in surnames}
    speaker_sents |= {  # "Ms Lomax", which the tagger may call an organisation
        locate.sentence(t.idx).index
        for t in doc[:-1]
        if t.lower_.rstrip(".") in HONORIFICS and t.nbor(1).pos_ == "PROPN"
    }
    text = doc_text(doc)
    quotes = [q for q in doc_quotes(doc) if not (_names_a_work(doc, q) or _asks_or_names(text, q))]
    tagged = {_last_sentence(locate, q) for q in quotes if _tagged(doc, text, q)}
    cue_sents |= tagged  # '"...," she giggles.' names its speaker as "she said" would
    speaker_sents |= tagged
    out: list[Flag] = []
    k = 0
    floor = -1  # the last sentence of the last quote run whose speaker is known
    for run in _runs(text, quotes):
        unattributed: list[Quote] = []
        start = locate.sentence(run[0].start).index
        if floor >= 0 and start - floor <= FLOOR_GAP and not any(floor < s < start for s in cue_sents):
            # 'Mr Hopkins said ... "...," he said. Many firms offer blogs. "That is the difference."': a quote
            # up to three sentences after a known speaker's, with nobody else speaking between, is still theirs
            floor = _last_sentence(locate, run[-1])
            continue
        for q in run:
            while k < len(covered) and covered[k][1] <= q.start:
                k += 1
            if k < len(covered) and covered[k][0] < q.end:
                floor = _last_sentence(locate, run[-1])
                break
            here = locate.sentence(q.start).index
            ends_in = _last_sentence(locate, q)  # '"A. B," she says': the quote ends by its cue
            mid_sentence = q.start > locate.sentence(q.start).start  # 'Ms Lomax intimated. "A."' glued into one
            if here in cue_sents or ends_in in cue_sents or here - 1 in speaker_sents or (
                mid_sentence and (here in speaker_sents or _labelled(doc, q))
            ):
                floor = _last_sentence(locate, run[-1])
                break
            unattributed.append(q)
        else:  # no quote of the run has a speaker: one flag for the run, as it is one speaker's words
            out.append(_unattributed_flag(text, unattributed, locate))
            floor = -1
    return out


def _asks_or_names(text: str, q: Quote) -> bool:
    """ '"Should I take a pill?"' asks and asserts nothing; '"You Win USA Vacation Resort"', every word
    capitalised, is a name or a title. Neither is a claim whose speaker a reader must know."""
    inner = text[q.start : q.end].strip(" \t\n\"'“”‘’«»")
    words_ = [w for w in inner.split() if any(ch.isalpha() for ch in w)]
    if not words_ or len(words_) > QUESTION_WORDS:
        return False
    if inner.rstrip().endswith("?") and inner.count("?") == 1 and not any(ch in inner for ch in ".!"):
        return True
    return title_like(inner)


def _last_sentence(locate: _Locator, q: Quote) -> int:
    """The index of the sentence a quote ends in."""
    return locate.sentence(max(q.start, q.end - 1)).index


def _tagged(doc: Doc, text: str, q: Quote) -> bool:
    """ '"It was super easy," she giggles.': a quote handed over by its comma (or ? or !) to a person and a
    verb is theirs, whatever the verb; only verbs of saying make a claim, but any verb tags the speaker."""
    inner_end = q.inner(text)[1]
    if not q.closed or text[inner_end - 1 : inner_end] not in (",", "?", "!"):
        return False
    span = doc.char_span(q.start, q.end, alignment_mode="expand")
    if span is None or span.end + 1 >= len(doc):
        return False
    first, second = doc[span.end], doc[span.end + 1]
    person = first.lower_ in PERSONAL or first.lower_ in ("they", "i", "we") or first.pos_ == "PROPN"
    # '"...," he was quoted as saying': an auxiliary may stand between the person and the verb
    passive = second.pos_ == "AUX" and span.end + 2 < len(doc) and doc[span.end + 2].pos_ == "VERB"
    inverted = first.pos_ == "VERB" and second.pos_ in ("PROPN", "PRON")
    return (person and (second.pos_ == "VERB" or passive)) or inverted


def _names_a_work(doc: Doc, q: Quote) -> bool:
    """ 'Her series, "First and foremost I am," has 21 portraits', 'a campaign called "Back the Pier"': a title
    or a name set beside the noun it names, not somebody's words."""
    span = doc.char_span(q.start, q.end, alignment_mode="expand")
    if span is None:
        return False
    k = span.start - 1
    while k >= 0 and (doc[k].is_punct and doc[k].text in (",", ":")):
        k -= 1
    return k >= 0 and (doc[k].lemma_.lower() in words("work_nouns.txt") or doc[k].lower_ in NAMING_WORDS)


def _labelled(doc: Doc, q: Quote) -> bool:
    """ '- Newcastle boss Graeme Souness "We deserved the win."': a name set right before the quote labels it."""
    span = doc.char_span(q.start, q.end, alignment_mode="expand")
    if span is None or span.start == 0:
        return False
    before = doc[span.start - 1]
    return before.pos_ == "PROPN" or before.ent_type_ == "PERSON"


def _runs(text: str, quotes: list[Quote]) -> list[list[Quote]]:
    """Group the quotes that are one speaker's words: a long quote's paragraphs each reopen with a mark
    ('... done. "Next ...' or an unclosed paragraph and the next), and quotes with only spaces between
    them on one line run on. Titles and short scare quotes are left out; they are nobody's words."""
    runs: list[list[Quote]] = []
    previous: Quote | None = None
    for q in quotes:
        if len(text[q.start : q.end].split()) < MIN_QUOTE_WORDS or _is_title(text[q.start : q.end]):
            previous = None
            continue
        if previous is not None and _runs_on(text, previous, q):
            runs[-1].append(q)
        else:
            runs.append([q])
        previous = q
    return runs


def _runs_on(text: str, previous: Quote, q: Quote) -> bool:
    """Only white space between two quotes, and no paragraph break after a closed one."""
    gap = text[previous.end : q.start]
    return not gap.strip() and (not previous.closed or "\n" not in gap)


def _unattributed_flag(text: str, run: list[Quote], locate: _Locator) -> Flag:
    n_words = sum(len(text[q.start : q.end].split()) for q in run)
    severity = "high" if n_words >= LONG_QUOTE_WORDS else "medium" if n_words >= MEDIUM_QUOTE_WORDS else "low"
    evidence = Span.of(text, run[0].start, run[0].end)
    reason = f"This quotation is not attributed to anyone: {_quote(evidence.text)}."
    return locate.flag("unattributed_quote", severity, evidence, reason)


def _is_title(quoted: str) -> bool:
    """ "The Anatomy of a Horse": a title of a work, not somebody's words (nearly every long word capitalised)."""
    words_ = [w.strip("\"'“”‘’") for w in quoted.split()]
    long_words = [w for w in words_ if len(w) > 3]
    if not long_words or any(ch in quoted for ch in ".?!"):
        return False
    return sum(w[:1].isupper() for w in long_words) >= 0.8 * len(long_words)


def _quote(text: str) -> str:
    text = " ".join(text.split())
    if len(text) > REASON_CHARS:
        text = text[: REASON_CHARS - 1].rstrip() + "…"
    return f"'{text}'"
