"""Cues in title-case headlines: "Black Lawmakers Rip Trump As A Fraud", "Senator Slams Budget Plan".

The tagger reads a capitalised verb in a headline as a proper noun, so the parse gives no verb and
no subject. A headline is short and keeps English word order, though: the first word that is a
known cue verb, after a short noun phrase that opens the line, is the cue and that phrase is its
source. How often the verb heads a cue with a subject in running text (the weight table) decides.
"""

from __future__ import annotations

from spacy.tokens import Span as Tokens
from spacy.tokens import Token

from bot.analysis.doctext import per_sentence
from bot.analysis.lexicon import cue_weights, words
from bot.analysis.sources import INDEFINITE, in_title_case_line

MIN_RATE = 0.5
MAX_SUBJECT = 5
SUBJECT_POS = {"PROPN", "NOUN", "ADJ", "NUM", "DET"}
# Contexts of the weight table in order of preference: subject and object/clause, main verb first.
NAMED_ENTS = {"PERSON", "ORG", "GPE", "FAC"}
CONTEXTS = ("SO--R", "SC--R", "SO-", "SC-", "S--", "*")


def headline_verb(tok: Token) -> tuple[int, int] | None:
    """If ``tok`` is a cue verb of a title-case headline, return the token range of its source."""
    if tok.pos_ not in ("PROPN", "NOUN", "VERB") or not tok.is_title or tok.i == 0:
        return None
    start = _line_start(tok)
    prefix = tok.doc[start : tok.i]
    if not 1 <= len(prefix) <= MAX_SUBJECT:
        return None
    if any(t.pos_ not in SUBJECT_POS or not t.text[:1].isupper() for t in prefix):
        return None
    if not any(t.pos_ in ("PROPN", "NOUN") for t in prefix) or not in_title_case_line(tok):
        return None
    if tok.pos_ == "VERB" and any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
        return None  # parsed right: the ordinary path handles it
    if prefix[-1].pos_ in ("ADJ", "DET") or not _verb_follows(tok):
        return None  # "New Detail ...", "Judicial Watch: ...": the word ends a noun phrase
    if _verb_rate(tok.lower_) < MIN_RATE:
        return None
    return start, tok.i


def _verb_follows(tok: Token) -> bool:
    """A headline verb has an object after it, and is not the noun of a longer subject.

    "NY Post: ..." ends the phrase; in "Media Reports Reveal ..." the next word is the verb; in
    "Terror Suspect Named By Police" a participle follows its noun.
    """
    doc = tok.doc
    if tok.i + 1 >= len(doc):
        return False
    nxt = doc[tok.i + 1]
    if nxt.is_punct or nxt.is_space or nxt.lower_.endswith("ed"):
        return False
    return _verb_rate(nxt.lower_) < MIN_RATE or not nxt.is_title


def _line_start(tok: Token) -> int:
    """The first word of the line holding ``tok`` (the sentence start, after any white space)."""
    return min(tok.i, per_sentence(tok.doc, tok.i, "first_word", _first_word))


def _first_word(sent: Tokens) -> int:
    """The index of the first token of ``sent`` that is neither white space nor punctuation, or its end."""
    return next((t.i for t in sent if not (t.is_space or t.is_punct)), sent.end)


def _verb_rate(word: str) -> float:
    """The cue rate of ``word`` read as a verb ("slams" -> slam, "rips" -> rip), 0 when unknown."""
    table = cue_weights()
    for lemma in _lemmas(word):
        verb = table.get((lemma, "VERB"))
        noun = sum(w.support for w in (table.get((lemma, "NOUN")), table.get((lemma, "PROPN"))) if w is not None)
        if verb is None or noun > verb.support:
            continue  # "Campaign", "Documents", "Post": read as a noun far more often
        for ctx in CONTEXTS:
            w = table.get((lemma, "VERB") if ctx == "*" else (lemma, "VERB", ctx))
            if w is not None and (ctx == "*" or w.support >= 3):
                return w.rate
    return 0.0


def _lemmas(word: str) -> list[str]:
    out = [word]
    if word.endswith("ies"):
        out.append(word[:-3] + "y")
    if word.endswith("es"):
        out.append(word[:-2])
    if word.endswith("s"):
        out.append(word[:-1])
    return out


def headline_kind(prefix: list[Token]) -> str:
    """Kind of a headline's subject, from its words alone (the parse of a headline is unreliable)."""
    last = prefix[-1]
    if any(t.ent_type_ in NAMED_ENTS for t in prefix):
        return "named"
    if last.lower_ in words("vague_nouns.txt"):
        return "vague"
    if prefix[0].lower_ in INDEFINITE or last.lower_ in words("anonymous_nouns.txt"):
        return "anonymous"
    if last.lower_ in words("institution_nouns.txt") or last.lower_ in words("common_roles.txt"):
        return "named"
    return "vague" if last.lower_.endswith("s") else "anonymous"
