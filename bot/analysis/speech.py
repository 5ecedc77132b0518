"""Which found claims are speech, belief or a stance, rather than an action the cue model also caught.

The attribution finder is tuned for recall on the evaluation corpus, whose annotators marked many verbs
("plans", "banned", "starts to") as attribution cues. That is right for the JSON result and its scores, but
a flag is a charge against the article and the who-said-what table is read as "who said what", so both use
only the claims this module calls speech (``Attribution.speech``).
"""

from __future__ import annotations

from spacy.tokens import Doc

from bot.analysis.lexicon import words
from bot.analysis.result import Attribution

# "known as HFCs", "a bill called X": a participle that names something, not a claim about it.
NAMING_VERBS = {"know", "call", "name", "dub", "label", "title", "term", "brand"}
# Verbs of saying that are also actions on a thing: "found the bag", "announced the measure", "released
# a video". With a plain object and no clause they report an act, not a claim.
FINDING_VERBS = {"find", "announce", "reveal", "report", "disclose", "release", "post", "write", "issue", "cite"}


def is_speech(a: Attribution, doc: Doc) -> bool:
    """Whether the claim is speech, belief or a stance, which a reader can ask "says who?" about.

    A direct quote, a reported clause, an "as" judgement ("see X as Y"), an evidential word and a verb of
    saying, believing or taking a stance are; an action ("a judge banned the firm", "officers found the
    bag"), a name ("a gas known as HFC") or a comparison ("rose faster than expected") is not.
    """
    if a.direct_quote:
        return True
    span = doc.char_span(a.cue.start, a.cue.end, alignment_mode="expand")
    if span is None:
        return True
    tok = span.root
    lemma = tok.lemma_.lower()
    if not tok.is_alpha or tok.pos_ != "VERB" or lemma == "accord":
        return True  # a colon, a dash, "according to", an adverb ("reportedly") or a noun ("allegations")
    deps = {c.dep_ for c in tok.children}
    if tok.dep_ == "acl" and lemma in NAMING_VERBS:
        return False  # "a gas known as HFC", "a bill called X": a name, not a claim
    if any(c.dep_ == "mark" and c.lower_ in ("than", "as") for c in tok.children):
        return False  # "rose faster than expected", "as predicted": a comparison, not a claim
    if deps & {"ccomp", "csubj"}:
        return True
    speech = lemma in words("reporting_verbs.txt") or lemma in words("stance_verbs.txt")
    if speech or (lemma in words("reporting_passives.txt") and "auxpass" in deps):
        return not (lemma in FINDING_VERBS and "dobj" in deps and "xcomp" not in deps)
    return any(c.dep_ == "oprd" or (c.dep_ == "prep" and c.lower_ == "as") for c in tok.children)
