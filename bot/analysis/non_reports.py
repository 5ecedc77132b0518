"""Words that look like cues but report nobody's claim: idioms, sightings, orders to the reader, and the like.

Each check is a frame in which a verb of saying, seeing or believing does something else: "All told",
"was seen walking", "Don't forget that ...", "pressed against a fence", "assuming that ...", "has never been
charged", "a seemingly random mix". The cue model, trained on which words annotators marked, cannot see these
frames, and each one shown as a claim with no source would be a false alarm.
"""

from __future__ import annotations

from spacy.tokens import Token

IDIOMS = {("all", "told"), ("needless", "say"), ("so", "speak"), ("that", "said")}
# Verbs an article uses to address its reader: "Don't forget that ...", "Ask yourself: ...".
READER_VERBS = {"forget", "ask", "remember", "consider", "imagine", "note", "recall", "think", "picture", "suppose"}
# Prepositions of a body pressed on a thing: "pressed against a fence", not "pressed on why he ...".
PHYSICAL_PRESS = {"against", "into", "together"}
# Verbs of accusing whose negated passive says nobody has accused: "has never been charged".
ACCUSING = {"charge", "accuse", "indict"}
# Dependency labels of a word that describes a noun inside its phrase: "a seemingly random mix".
ATTRIBUTIVE = {"amod", "nummod", "compound"}
SUBJECTS = {"nsubj", "nsubjpass", "csubj", "expl"}


def reports_nothing(tok: Token) -> bool:
    """True when ``tok`` stands in a frame where it reports no claim (see the module doc)."""
    return (
        _idiom(tok)
        or _sighting(tok)
        or _order_to_reader(tok)
        or _physical_press(tok)
        or _assuming(tok)
        or _denied_accusation(tok)
        or _attributive_hedge(tok)
    )


def _idiom(tok: Token) -> bool:
    """ "All told, the club spent ...", "needless to say": fixed phrases that report nothing."""
    doc = tok.doc
    prev = doc[tok.i - 1].lower_ if tok.i > 0 else ""
    nxt = doc[tok.i + 1].text if tok.i + 1 < len(doc) else ""
    return (prev, tok.lower_) in IDIOMS and nxt in (",", "")


def _sighting(tok: Token) -> bool:
    """ "Was seen walking", "remains to be seen", "nowhere to be seen": a passive "see" without "as" tells
    what could be seen, not what anybody thinks ("is seen as the favourite" is a view)."""
    if tok.lemma_.lower() != "see" or tok.pos_ != "VERB" or not any(c.dep_ == "auxpass" for c in tok.children):
        return False
    return not regarded_as(tok)


# "As soon as", "as well as", "as recently as": words that make "as ... as" a comparison.
AS_AS_WORDS = frozenset({"soon", "well", "recently", "long", "much", "far", "many", "early", "late", "often",
                         "quickly", "little", "few", "good", "bad", "high", "low", "fast"})


def regarded_as(verb: Token) -> bool:
    """ "Is seen as", "is seen by many residents as": the verb's "as", which the parser hangs on the verb or on the
    holders in its by-phrase ("residents as a betrayal"), so it is looked for in that phrase and right after it too
    ("a letter seen by Reuters shows the firm as the bidder": that "as" is the other verb's)."""
    if any(c.lower_ == "as" for c in verb.children) or as_right_after(verb):
        return True
    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    if agent is None:
        return False
    doc = verb.doc
    after = agent.right_edge.i + 1
    candidates = [t for t in agent.subtree if t.lower_ == "as"] + ([doc[after]] if after < len(doc) else [])
    return any(t.lower_ == "as" and t.dep_ != "mark" and not _as_as(t) for t in candidates)


def as_right_after(verb: Token) -> bool:
    """ "Is widely seen as precarious after ...": an "as" right after the verb (past its adverbs) that the parser hung
    on the adjective, not a comparison's ("seen as soon as") nor a clause's ("seen as she left")."""
    doc = verb.doc
    k = verb.i + 1
    while k < len(doc) and doc[k].pos_ == "ADV" and doc[k].lower_ != "as":
        k += 1
    if k + 1 >= len(doc) or doc[k].lower_ != "as" or doc[k].dep_ == "mark" or _as_as(doc[k]):
        return False
    return doc[k].head.i != verb.i and doc[k].head.dep_ in ("acomp", "attr", "amod") and doc[k].head.head.i == verb.i


def _as_as(tok: Token) -> bool:
    """ "As soon as", "as well as", "as recently as" (either "as"): a comparison or a joint, not the view "as"
    introduces."""
    doc = tok.doc
    nxt = doc[tok.i + 1].lower_ if tok.i + 1 < len(doc) else ""
    prev = doc[tok.i - 1].lower_ if tok.i > 0 else ""
    return tok.dep_ == "cc" or nxt in AS_AS_WORDS or prev in AS_AS_WORDS


def _order_to_reader(tok: Token) -> bool:
    """ "Don't forget that your child can earn ...", "Ask yourself: ...", "and ask would you vote ...": an order in
    the bare form with no subject is the writer talking to the reader, not a claim someone made."""
    if tok.tag_ != "VB" or tok.lemma_.lower() not in READER_VERBS:
        return False
    verb = tok
    if tok.dep_ == "conj":
        verb = tok.head  # "Perhaps go a step further, and ask ...": the order is the first verb's
        if verb.tag_ != "VB" or any(c.dep_ in SUBJECTS for c in tok.children):
            return False
    if verb.dep_ != "ROOT" or any(c.dep_ in SUBJECTS for c in verb.children):
        return False
    # Only "do" and "not" may come with it: "you can't forget that" has a subject, "to ask" is no order.
    return all(c.lower_ in ("do", "not", "n't", "never") for c in verb.children if c.dep_ in ("aux", "neg"))


def _physical_press(tok: Token) -> bool:
    """ "Viewers were pressed against a fence": a body pressed on a thing, not a person pressed for an answer."""
    return tok.lemma_.lower() == "press" and any(
        c.dep_ == "prep" and c.lower_ in PHYSICAL_PRESS for c in tok.children
    )


def _assuming(tok: Token) -> bool:
    """ "..., assuming that shareholders pay more": a condition the writer sets, with nobody assuming anything."""
    return (
        tok.lower_ == "assuming"
        and tok.dep_ in ("advcl", "prep", "mark")
        and not any(c.dep_ in SUBJECTS for c in tok.children)
    )


def _denied_accusation(tok: Token) -> bool:
    """ "Trump has never been charged", "Neither Clinton nor her allies have been charged": the sentence says
    that nobody has accused, so there is no claim whose source could be missing."""
    if tok.lemma_.lower() not in ACCUSING or not any(c.dep_ == "auxpass" for c in tok.children):
        return False
    if any(c.dep_ == "neg" for c in tok.children):
        return True
    subject = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
    return subject is not None and any(
        c.dep_ in ("preconj", "det") and c.lower_ == "neither" for c in subject.children
    )


def _attributive_hedge(tok: Token) -> bool:
    """ "A seemingly random mix", "seemingly 27 different plans": the hedge qualifies a word that describes a noun,
    which is the writer's description, not a claim; "is seemingly genuine" and "had seemingly won" still count."""
    if tok.lower_ != "seemingly" or tok.dep_ != "advmod":
        return False
    word = tok.head
    return word.dep_ in ATTRIBUTIVE and word.head.pos_ in ("NOUN", "PROPN") and word.head.i > word.i
