"""Cue detection: which tokens anchor a reported claim ("said", "according to", "reportedly", ":").

Verbs and nouns are scored with a weight table (``lexicons/cue_weights.tsv``): for each lemma and
part of speech, and for finer syntactic contexts, the share of tokens that were cue heads in the
PolNeAR training annotation. The context matters: "called" with a clausal or object complement
and a subject is a cue far more often than "so-called". Fine contexts are shrunk towards the
coarser rate, so rare contexts cannot swing the decision. Words the table never saw fall back to
hand lists of reporting verbs and evidential adverbs.
"""

from __future__ import annotations

import math

from spacy.tokens import Span, Token

from bot.analysis.lexicon import cue_model, cue_weights, words
from bot.analysis.non_reports import regarded_as, reports_nothing

# Verbs of making known whose agentless passive with a dummy "it" reports a claim ("it was announced that ...").
MADE_KNOWN = {"announce", "confirm", "disclose", "reveal", "learn", "state", "establish"}
# Words that make a clause subordinate ("When it was first announced, ...").
SUBORDINATORS = {"when", "if", "as", "after", "before", "while", "once", "until", "since", "because", "unless"}
# Participles whose agentless passive is a view only with "as": "were rated as mostly true", "has been mentioned as a
# potential secretary" (not "the bond is rated AAA" nor "was barely mentioned"). Word forms, as the lemmatiser
# gives "rated" the lemma "rat".
AS_PASSIVES = {"rated", "mentioned"}
# Verbs of foretelling whose bare "as predicted" tells that somebody, unnamed, foretold it.
FORETELLING = {"expect", "predict", "forecast", "anticipate", "project", "foresee"}
# "Is seen by many residents as a betrayal": a verb of regarding, with its holders in a by-phrase and their view
# after "as", is an opinion whoever holds it ("seen by witnesses leaving" has no "as": a sighting).
REGARDING = {"see", "view", "regard", "perceive"}
THRESHOLD = 0.45
SHRINK = 5.0
# Prior weight for a reporting verb that the table has never seen (new words on unseen text).
UNSEEN_VERB = 0.55
SUBJ = {"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"}
COMP = {"ccomp", "xcomp"}
ARG_DEPS = {"acomp", "attr", "dobj", "oprd"}
# Verbs whose object is a reaction the subject receives: "drew criticism", "faces questions".
RECEIVING = {"draw", "face", "receive", "attract", "endure", "earn", "invite", "weather"}
# Words a received reaction may stand from its verb: "received widespread (and bipartisan) criticism".
MAX_REACTION_GAP = 5
# Received reactions that voice no claim: "drew applause", "was met with boos"; "is facing this question", a
# dilemma, where "faced questions" is being asked; "received a phone call", where "calls to resign" is a demand.
UNSPOKEN_REACTIONS = {
    "applause", "boos", "jeers", "praise", "anger", "outrage", "protest", "protests", "question", "call"
}
# Nouns of a claim or a feeling that "there are ..." presents with nobody behind it.
EXISTENTIAL_NOUNS = {"fear", "concern", "suggestion", "speculation", "claim", "rumour", "rumor", "allegation", "talk",
                     "worry", "doubt", "expectation", "suspicion", "belief", "feeling", "sense", "indication",
                     "report", "accusation", "warning"}
ABOUT = {"about", "over"}
# Plural nouns of unsourced talk whose that-clause is the claim ("reports that", "rumours that"; see ``hearsay``).
HEARSAY_NOUNS = {"report", "rumour", "rumor", "claim", "allegation", "accusation", "suggestion"}
MASS_HEARSAY = {"speculation", "talk"}  # "on speculation that the Bank would cut", in the singular
GROWING = {"growing", "mounting", "increasing", "rising", "renewed"}  # "there are growing fears that ..."
SURFACING = {"emerge", "surface", "resurface", "circulate", "swirl", "persist", "spread", "abound"}
HEARSAY_FRAMES = {"amid", "amidst", "by", "despite", "following", "after"}
# Moves of a price that market copy pins on talk: "the pound fell on reports that ...", "shares jumped on rumours".
MARKET_MOVES = {"rise", "fall", "jump", "slide", "climb", "drop", "gain", "tumble", "surge", "rally", "slump", "sink",
                "soar", "plunge", "dip", "rebound", "spike", "slip", "edge", "weaken", "strengthen", "firm"}
SENTENCE_ENDS = {".", "!", "?"}
FIRST_PERSON = {"i", "we", "you"}
DEP_BUCKET = {"ROOT": "R", "ccomp": "c", "conj": "j", "advcl": "a", "xcomp": "x", "relcl": "r", "acl": "l"}


def context(tok: Token, quoted: bool) -> tuple[str, str]:
    """Return the coarse and fine context codes of ``tok`` (see the module doc)."""
    deps = {c.dep_ for c in tok.children}
    subj = "S" if deps & SUBJ else "-"
    comp = "C" if deps & COMP else ("O" if "dobj" in deps else "-")
    pas = "P" if "auxpass" in deps or (tok.tag_ == "VBN" and not deps & {"aux", "nsubj"}) else "-"
    coarse = subj + comp + pas
    return coarse, coarse + ("Q" if quoted else "-") + DEP_BUCKET.get(tok.dep_, "o")


def features(tok: Token, quoted: bool) -> list[str]:
    """The features of the cue model (``lexicons/cue_model.tsv``): the word, its lexicon contexts and its neighbours.

    They are cheap: the token, its head, its children and its neighbours, nothing further.
    """
    lemma, pos = key_of(tok)
    coarse, fine = context(tok, quoted)
    lp = f"{lemma}|{pos}"
    subj = _subject_type(tok)
    feats = [
        "bias", f"L={lp}", f"LC={lp}|{coarse}", f"LF={lp}|{fine}", f"PF={pos}|{fine}", f"D={tok.dep_}",
        f"LD={lp}|{tok.dep_}", f"S={subj}", f"LS={lp}|{subj}", f"T={tok.tag_}", f"LT={lp}|{tok.tag_}",
        f"W={tok.lower_}", f"Q={quoted}",
    ]
    for child in tok.children:
        dep = f"{child.dep_}:{child.lower_}" if child.dep_ in ("prep", "prt", "mark", "neg", "agent") else child.dep_
        feats.append(f"C={dep}")
        feats.append(f"LCh={lp}|{dep}")
        if child.dep_ in ARG_DEPS:
            # "is eager to", "were unaware that", "made the case", "raised concerns": the word the cue is
            # built from is the argument of a light verb or a copula.
            arg = f"{child.dep_}:{child.lemma_.lower()}"
            feats.append(f"A={arg}")
            feats.append(f"LA={lp}|{arg}")
        elif child.dep_ == "ccomp":
            mark = next((g.lower_ for g in child.children if g.dep_ == "mark"), "-")
            feats.append(f"LM={lp}|{mark}")
    if tok.head.i != tok.i:
        feats.append(f"H={tok.head.lemma_.lower()}|{tok.dep_}")
        feats.append(f"HP={tok.head.pos_}|{tok.dep_}")
    doc = tok.doc
    feats.append(f"PW={doc[tok.i - 1].lower_ if tok.i > 0 else '<s>'}")
    feats.append(f"NW={doc[tok.i + 1].lower_ if tok.i + 1 < len(doc) else '</s>'}")
    return feats


def _subject_type(tok: Token) -> str:
    for child in tok.children:
        if child.dep_ in SUBJ:
            if child.pos_ == "PRON":
                return "pron"
            if child.ent_type_:
                return "ent:" + child.ent_type_
            return child.pos_.lower()
    return "none"


def key_of(tok: Token) -> tuple[str, str]:
    """The table key of a token: lower-cased lemma and coarse part of speech."""
    return tok.lemma_.lower(), tok.pos_


def score(tok: Token, quoted: bool) -> float:
    """Return the estimated chance that ``tok`` heads an attribution cue."""
    if tok.lower_ in words("evidential_adverbs.txt"):
        return 1.0
    lemma, pos = key_of(tok)
    if (lemma, pos) not in cue_weights():
        return _unseen(tok, lemma, pos)
    model = cue_model()
    z = sum(model.get(f, 0.0) for f in features(tok, quoted))
    return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))


def no_source_score(tok: Token, quoted: bool) -> float:
    """Return the estimated chance that ``tok`` heads a cue whose claim has no source in the text."""
    if tok.lower_ in words("evidential_adverbs.txt"):
        return 1.0
    if key_of(tok) not in cue_weights():
        return 0.0
    return _shrunk(tok, quoted, "no_source_rate")


def _shrunk(tok: Token, quoted: bool, field: str) -> float:
    """The rate of the finest context, shrunk towards the coarser ones."""
    table = cue_weights()
    lemma, pos = key_of(tok)
    rate = getattr(table[(lemma, pos)], field)
    coarse, fine = context(tok, quoted)
    for ctx in (coarse, fine):
        w = table.get((lemma, pos, ctx))
        if w is not None:
            rate = (getattr(w, field) * w.support + SHRINK * rate) / (w.support + SHRINK)
    return rate


def _unseen(tok: Token, lemma: str, pos: str) -> float:
    if pos == "VERB" and lemma in words("reporting_verbs.txt"):
        deps = {c.dep_ for c in tok.children}
        return UNSEEN_VERB if deps & (COMP | {"dobj"}) else UNSEEN_VERB / 2
    if pos == "ADV" and lemma in words("evidential_adverbs.txt"):
        return 1.0
    return 0.0


def candidate(tok: Token) -> bool:
    """Tokens the cue model scores: words the weight table or the hand lists know."""
    if tok.is_space or tok.is_punct or tok.like_num:
        return False
    return key_of(tok) in cue_weights() or tok.lemma_.lower() in words("reporting_verbs.txt")


def is_cue(tok: Token, quoted: bool) -> bool:
    """True when ``tok`` heads a cue: a frame that reports nothing (``non_reports``) vetoes it, checked last as only
    the few cue words need it."""
    if tok.is_space or tok.is_punct or tok.like_num:
        return False
    found = (
        tok.lower_ in words("evidential_adverbs.txt")
        or is_reporting_passive(tok)
        or existential_claim(tok)
        or hearsay(tok)
        or _claiming_reaction(tok)
        or _regarded_by_as(tok)
        or score(tok, quoted) >= THRESHOLD
        or fronted_report(tok)
        or trailing_report(tok)
        or verb_read_as_participle(tok)
    )
    return found and not reports_nothing(tok)


def verb_read_as_participle(tok: Token) -> bool:
    """ "An insider revealed to Us Weekly that ...": with no other verb in the sentence, the parser hangs the main verb
    on its subject as a participle; a reporting verb with its own clause right after its noun is still a report."""
    head = tok.head
    return (tok.dep_ == "acl" and tok.tag_ in ("VBD", "VBN") and head.dep_ == "ROOT" and head.pos_ == "NOUN"
            and tok.i == head.i + 1 and tok.lemma_.lower() in words("reporting_verbs.txt")
            and any(c.dep_ == "ccomp" for c in tok.children))


def _regarded_by_as(verb: Token) -> bool:
    """ "Is seen by some as a demotion", "was viewed by critics as": see ``REGARDING``."""
    if verb.pos_ != "VERB" or verb.lemma_.lower() not in REGARDING:
        return False
    deps = {c.dep_ for c in verb.children}
    if "auxpass" not in deps and verb.tag_ != "VBN":
        return False
    return any(c.dep_ == "agent" for c in verb.children) and regarded_as(verb)


def _claiming_reaction(verb: Token) -> bool:
    """ "Has faced ridicule", "drew scrutiny": whoever reacted is named by "from", or nobody is."""
    reaction = received_reaction(verb)
    return (
        reaction is not None
        and reaction.i - verb.i <= MAX_REACTION_GAP
        and reaction.lower_ not in UNSPOKEN_REACTIONS
    )


def fronted_report(tok: Token) -> bool:
    """ "The plant is safe, the company maintains.": a verb of saying that ends its sentence, after a comma, with
    the claim in front of it. The frame is unambiguous even for verbs that mostly mean something else
    ("maintain" a road), and it also catches the small parser's misreading of "a senior official insists" as a
    noun phrase with "insists" a plural noun: the clause it governs gives it away."""
    lemma = reporting_lemma(tok)
    if lemma is None or lemma not in words("reporting_verbs.txt"):
        return False
    doc = tok.doc
    if tok.i + 1 < len(doc) and doc[tok.i + 1].text not in SENTENCE_ENDS:
        return False
    subject = fronted_subject(tok)
    if not subject or any(t.lower_ in FIRST_PERSON for t in subject):
        return False  # "..., I think": the speaker's or writer's own hedge
    return all(t.is_alpha or t.text in ("'s", "’s", "-") for t in subject) and subject.root.head.i == tok.i


def fronted_subject(tok: Token) -> Span | None:
    """The words between the comma that ends a fronted claim and the reporting verb: who makes the claim."""
    claim = next((c for c in tok.children if c.dep_ == "ccomp" and c.i < tok.i), None)
    if claim is None:
        return None
    comma = next((c for c in tok.children if c.text == "," and claim.i < c.i < tok.i), None)
    return tok.doc[comma.i + 1 : tok.i] if comma is not None else None


# What may follow a trailing "..., a source close to the star said": when, to whom, how ("on Friday", "Us Weekly").
TRAILING_DEPS = {"prep", "npadvmod", "advmod", "punct", "dobj", "dative"}


def trailing_report(tok: Token) -> bool:
    """ "The pair have split, a representative for the couple confirmed on Sunday.": see ``trailing_subject``."""
    return trailing_subject(tok) is not None


def trailing_subject(tok: Token) -> Span | None:
    """The speaker of a claim-first sentence that the parser misread: after "The actor has split from his wife, a
    source close to the star said on Friday" it hangs "a source" on "his wife" and makes "said" share the actor's
    subject (or a participle of "the couple"). English puts the speaker between the comma and the verb, and the
    claim before the comma; only when nothing after the verb but when, to whom and how, and no verb in between."""
    if tok.pos_ != "VERB" or tok.tag_ not in ("VBD", "VBZ", "VBP") or tok.dep_ not in ("acl", "conj", "relcl", "ROOT"):
        return None
    if tok.lemma_.lower() not in words("reporting_verbs.txt"):
        return None
    if any(c.dep_ not in TRAILING_DEPS or (c.dep_ == "dobj" and tok.lemma_ != "tell") for c in tok.children
           if c.i > tok.i):
        return None  # "..., told Us Weekly" is to whom; "..., and held a strong position" is a clause of its own
    if any(c.dep_ in ("nsubj", "nsubjpass", "ccomp", "xcomp", "aux", "auxpass") for c in tok.children
           if not (c.dep_ == "ccomp" and c.i < tok.i and tok.dep_ == "ROOT")):
        return None  # a main verb may have its claim before it: "..., a spokeswoman for the hospital said"
    doc, sent = tok.doc, tok.sent
    k = tok.i - 1
    while k > sent.start and doc[k].text != ",":
        if doc[k].pos_ in ("VERB", "AUX") or doc[k].is_quote or doc[k].tag_ == "WDT":
            return None
        k -= 1
    subject = doc[k + 1 : tok.i]
    if tok.dep_ == "ROOT" and (not subject or subject.root.pos_ != "NOUN" or subject.root.dep_ != "appos"):
        return None  # the parser hung the speaker on the claim's last noun; a name alone it reads well enough
    if k <= sent.start or not subject or subject[-1].pos_ not in ("NOUN", "PROPN"):
        return None  # the speaker's noun phrase ends right at the verb ("a source close to the star said")
    if any(t.lower_ in FIRST_PERSON for t in subject):
        return None  # "..., I think": the writer's own hedge
    finite = any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in doc[sent.start : k])
    return subject if finite else None


def reporting_lemma(tok: Token) -> str | None:
    """The verb lemma of a reporting verb, or of a present-tense one the parser tagged as a plural noun."""
    if tok.pos_ == "VERB":
        return tok.lemma_.lower()
    if tok.tag_ == "NNS" and tok.lower_.endswith("s") and tok.dep_ == "ROOT":
        return tok.lower_[:-1]
    return None


def misread_verb(tok: Token) -> bool:
    """A reporting verb the parser took for a plural noun ("..., a senior official insists.")."""
    return tok.pos_ == "NOUN" and fronted_report(tok)


def existential_claim(tok: Token) -> bool:
    """ "There are fears that ...", "there were concerns over ...": a claim set down as a fact of the world,
    with nobody to hold to it (the weasel form of "some fear that")."""
    if tok.pos_ != "NOUN" or tok.lemma_.lower() not in EXISTENTIAL_NOUNS:
        return False
    if any(c.dep_ == "det" and c.lower_ == "no" for c in tok.children):
        return False  # "there is no suggestion that ...": the writer rules a claim out
    verb = tok.head
    if tok.dep_ == "dobj" and verb.lower_ in GROWING:
        # "There are growing fears that ...", which the parser reads as "are growing" with "fears" its object
        there = [c for c in verb.children if c.dep_ == "expl"]
        there += [g for a in verb.children if a.dep_ == "aux" for g in a.children if g.dep_ == "expl"]
        if not there:
            return False
    elif tok.dep_ != "attr" or not _is_be(verb) or not any(c.dep_ == "expl" for c in verb.children):
        return False
    about = ABOUT | {"of"} if tok.tag_ == "NNS" else ABOUT  # "fears of a recession", not "a fear of heights"
    if tok.dep_ == "attr" and that_clause(verb):
        return True  # "There were reports last month that ...": the parser hangs the clause on "were"
    return any(c.dep_ in ("acl", "relcl", "ccomp") or (c.dep_ == "prep" and c.lower_ in about) for c in tok.children)


def hearsay(tok: Token) -> bool:
    """ "Left furious by reports that the club could sell", "amid rumours that the bank would be sold": a claim
    noun with its claim spelled out in a that-clause, and nobody's name on it (no "BBC reports", "his claims",
    "claims by the club"). The noun's source, if the phrase gives one, is found as any noun cue's is."""
    lemma = tok.lemma_.lower()
    if tok.pos_ != "NOUN" or not ((tok.tag_ == "NNS" and lemma in HEARSAY_NOUNS) or lemma in MASS_HEARSAY):
        return False
    if any(c.dep_ in ("poss", "compound") or (c.dep_ == "prep" and c.lower_ in ("by", "from")) for c in tok.children):
        return False
    # the talk set down as the circumstance of the news ("amid reports that", "left furious by rumours that",
    # "Reports that ... have angered fans"), not as what someone answers or points to ("responded to claims that")
    frame = tok.head
    circumstance = tok.dep_ in ("nsubj", "nsubjpass") or (tok.dep_ == "pobj" and (
        frame.lower_ in HEARSAY_FRAMES
        or (frame.lower_ == "on" and frame.head.lemma_.lower() in MARKET_MOVES)))  # "the pound fell on reports that"
    return circumstance and that_clause(tok)


def surfaced_talk(verb: Token) -> bool:
    """ "Allegations have also emerged that ...", "Reports surfaced on Monday that ...": talk that came up, with its
    claim hung on the verb and nobody's name on it (not "his claims", "reports by the BBC")."""
    if verb.lemma_.lower() not in SURFACING or not that_clause(verb):
        return False
    talk = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if talk is None or not (talk.lemma_.lower() in HEARSAY_NOUNS or talk.lower_.removesuffix("s") in HEARSAY_NOUNS):
        return False  # "Allegations" opening a sentence is tagged a name, with itself as its lemma
    return not any(
        c.dep_ in ("poss", "compound") or (c.dep_ == "prep" and c.lower_ in ("by", "from")) for c in talk.children)


def that_clause(noun: Token) -> bool:
    """Whether a noun's (or a verb's) claim is spelled out in a clause of its own: "reports that ...", "concerns
    that ..."."""
    return any(c.dep_ in ("acl", "ccomp") and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)
               for c in noun.children)


def is_reporting_passive(tok: Token) -> bool:
    """An agentless passive of a reporting verb: "it is believed", "is being hailed", "was seen as"; "it was
    announced that ...", where a verb of making known has only a dummy "it" and a clause (a plain "the plan was
    announced" is an event, not a claim); and the reduced passive "(the firm failed) as predicted"."""
    if tok.pos_ != "VERB":
        return False
    lemma = tok.lemma_.lower()
    deps = {c.dep_ for c in tok.children}
    if _as_foretold(tok, lemma, deps):
        return True
    if bare_raising_passive(tok):
        return True
    if "auxpass" not in deps or "agent" in deps or contracted_has(tok):
        return False
    if lemma in words("reporting_passives.txt"):
        return True
    if lemma == "tip" and "prt" not in deps and ("xcomp" in deps or _as_follows(tok)):
        return True  # "is widely tipped to win", "tipped as a target": a forecast in the air, not "tipped off"
    if tok.lower_ in AS_PASSIVES:
        return _as_follows(tok)
    return lemma in MADE_KNOWN and "ccomp" in deps and _dummy_it_main_clause(tok)


# Verbs whose "X <past> to have/be ..." can only be a passive with its "is" left out: nobody "said to be furious".
BARE_RAISING = {"say", "understand", "believe", "rumour", "rumor", "report", "know", "allege", "reckon"}


def bare_raising_passive(tok: Token) -> bool:
    """ "With the club understood to have accepted the fee", "City, said to be furious, have complained": a passive of
    saying or believing with its "is" left out, which the parser reads as the noun's own past tense. English has no
    active "the club understood to have", so nobody named holds the claim."""
    if tok.lemma_.lower() not in BARE_RAISING or tok.tag_ not in ("VBD", "VBN") or any(
            c.dep_ in ("aux", "auxpass", "dobj", "agent") for c in tok.children):
        return False
    doc = tok.doc
    if tok.i + 2 >= len(doc) or doc[tok.i + 1].lower_ != "to" or doc[tok.i + 2].tag_ != "VB":
        return False
    subject = next((c for c in tok.children if c.dep_ == "nsubj"), None)
    if subject is not None and subject.left_edge.i > 0 and doc[subject.left_edge.i - 1].tag_ in ("WP", "WDT"):
        return False  # "what many people believed to be a campaign killer": active, its object moved to the front
    return doc[tok.i + 2].lower_ in ("have", "be") or doc[tok.i + 2].head.i == tok.i


def _as_follows(verb: Token) -> bool:
    """ "Rated as mostly true", "mentioned repeatedly as": "as" comes next, whatever the parser hangs it on."""
    doc = verb.doc
    k = verb.i + 1
    while k < len(doc) and doc[k].pos_ == "ADV" and doc[k].lower_ != "as":
        k += 1
    return k < len(doc) and doc[k].lower_ == "as"


def _as_foretold(tok: Token, lemma: str, deps: set[str]) -> bool:
    """ "Patriot failed as predicted": a bare "as" and a past participle of foretelling, with no subject and no
    agent, say the outcome was foretold without saying by whom."""
    if lemma not in FORETELLING or tok.tag_ != "VBN" or deps & (SUBJ | {"agent", "aux"}):
        return False
    return any(c.dep_ == "mark" and c.lower_ == "as" for c in tok.children)


def _dummy_it_main_clause(verb: Token) -> bool:
    """A dummy "it" subject, in a main clause: not "When it was first announced, some pundits thought ...", where
    the "it" is the thing announced."""
    children = list(verb.children)
    if any(c.lower_ in SUBORDINATORS and c.i < verb.i for c in children):
        return False
    return any(c.dep_ in ("nsubjpass", "expl") and c.lower_ == "it" for c in children)


def contracted_has(verb: Token) -> bool:
    """ "He's said he fears ...": the parser reads the "'s" of "has" as a passive "is"; the past-tense tag
    gives it away."""
    if not any(c.dep_ == "auxpass" and c.lower_ in ("'s", "’s") for c in verb.children):
        return False
    if verb.tag_ == "VBD":
        return True
    # "Clinton, who's called for tax hikes": a person "is called for" nowhere; things are ("as the facts call for")
    subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    person = subject is not None and (subject.pos_ == "PRON" or subject.ent_type_ == "PERSON")
    return person and verb.lemma_.lower() == "call" and any(c.dep_ == "prep" and c.lower_ == "for"
                                                               for c in verb.children)


def cue_extent(tok: Token) -> tuple[int, int]:
    """Return the token range ``[i, j)`` of the cue headed by ``tok``: "according to", "pointed out", "is expected".

    A received reaction runs to its noun ("drew sharp criticism"), so a flag shows what was received.
    """
    i, j = tok.i, tok.i + 1
    doc = tok.doc
    reaction = received_reaction(tok)
    if reaction is not None and 0 < reaction.i - tok.i <= MAX_REACTION_GAP:
        j = reaction.i + 1
    if tok.lower_ == "according" and j < len(doc) and doc[j].lower_ == "to":
        return i, j + 1
    for child in tok.children:
        if child.dep_ == "prt" and child.i == j:
            j += 1
        elif child.dep_ == "auxpass" and child.i == i - 1 and _is_be(child):
            i -= 1
    neg = next((c for c in tok.children if c.dep_ == "neg" and i - 3 <= c.i < i), None)
    if neg is not None:
        # "do not agree", "did not respond": the cue must not read as the opposite of the claim
        i = neg.i
        if i > 0 and doc[i - 1].head.i == tok.i and doc[i - 1].dep_ in ("aux", "auxpass"):
            i -= 1
    return i, j


def _is_be(tok: Token) -> bool:
    """A form of "be" ("is expected"), not the "'s" of "has" nor the "m" of "£130m seen"."""
    return tok.is_alpha and tok.lemma_ == "be" and tok.lower_ != "m"


def received_reaction(verb: Token) -> Token | None:
    """The reaction a subject receives: "The governor drew criticism (from unions)", "faces questions".

    The subject is only the target; whoever reacted is named by "from" or "by", or nobody is, which
    is the point worth flagging.
    """
    if verb.lemma_.lower() not in RECEIVING:
        return None
    return next((c for c in verb.children if c.dep_ == "dobj" and c.lower_ in words("reaction_nouns.txt")), None)
