"""Source finding on parses the tagger gets wrong, built by hand so the test does not depend on the model's mood."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from bot.analysis import sources


def _doc(rows: list[tuple[str, int, str, str, str, str]]) -> Doc:
    """(word, head index, dep, pos, tag, entity type) rows into a parsed Doc."""
    words = [r[0] for r in rows]
    doc = Doc(
        spacy.blank("en").vocab,  # a blank English vocab gives each word its lower case, as the model's does
        words=words,
        heads=[r[1] for r in rows],
        deps=[r[2] for r in rows],
        pos=[r[3] for r in rows],
        tags=[r[4] for r in rows],
        lemmas=[r[0].lower() for r in rows],
        ents=[(f"B-{r[5]}" if r[5] else "O") for r in rows],
    )
    return doc


def test_a_person_hung_under_a_verb_read_as_the_subject_is_the_source():
    # "Ms. Okafor, the favorite to win come May, proposed a plan.": the parser made "come" the subject of
    # "proposed" and put Okafor under it; the source is Okafor, and she is named.
    doc = _doc([
        ("Ms.", 1, "compound", "PROPN", "NNP", ""),
        ("Okafor", 7, "nsubj", "PROPN", "NNP", "PERSON"),
        (",", 1, "punct", "PUNCT", ",", ""),
        ("the", 4, "det", "DET", "DT", ""),
        ("favorite", 1, "appos", "NOUN", "NN", ""),
        ("to", 6, "aux", "PART", "TO", ""),
        ("win", 4, "relcl", "VERB", "VB", ""),
        ("come", 10, "nsubj", "VERB", "VBN", ""),
        ("May", 7, "npadvmod", "PROPN", "NNP", ""),
        (",", 7, "punct", "PUNCT", ",", ""),
        ("proposed", 10, "ROOT", "VERB", "VBD", ""),
        ("a", 12, "det", "DET", "DT", ""),
        ("plan", 10, "dobj", "NOUN", "NN", ""),
        (".", 10, "punct", "PUNCT", ".", ""),
    ])
    head = sources.source_of(doc[10])
    assert head is not None and head.text == "Okafor"
    assert sources.classify(head, *sources.np_bounds(head)) == "named"


def test_a_verb_subject_without_a_noun_under_it_is_kept():
    # "Waiting proved costly": a verb read as the subject, with no noun under it, stays the subject.
    doc = _doc([
        ("Waiting", 1, "nsubj", "VERB", "VBG", ""),
        ("proved", 1, "ROOT", "VERB", "VBD", ""),
        ("costly", 1, "acomp", "ADJ", "JJ", ""),
        (".", 1, "punct", "PUNCT", ".", ""),
    ])
    head = sources.source_of(doc[1])
    assert head is not None and head.text == "Waiting"


def test_a_noun_the_parser_hung_with_its_article_on_a_verb_read_as_a_noun_is_still_definite():
    # '"...," the email read.': "read" parsed as a noun with "the" and "email" under it; "the email" is definite.
    doc = _doc([
        ("the", 2, "det", "DET", "DT", ""),
        ("email", 2, "compound", "NOUN", "NN", ""),
        ("read", 2, "ROOT", "NOUN", "NN", ""),
        (".", 2, "punct", "PUNCT", ".", ""),
    ])
    assert sources._definite(doc[1])
    bare = _doc([
        ("an", 2, "det", "DET", "DT", ""),
        ("email", 2, "compound", "NOUN", "NN", ""),
        ("read", 2, "ROOT", "NOUN", "NN", ""),
        (".", 2, "punct", "PUNCT", ".", ""),
    ])
    assert not sources._definite(bare[1])
