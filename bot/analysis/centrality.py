"""The ``byline`` summary method: graph centrality, weighted by sentence length and a lead prior.

News puts its substance first, but a short article is nearly all lead while a long one buries the
detail, so the lead prior decays faster the longer the article. Within that, a sentence is worth
picking when many others share its words (two similarity graphs, TextRank-style word overlap and
TF-IDF cosine, ranked with PageRank), and when it carries enough words to say something. A sentence
that opens a direct quotation is a speaker's reaction or colour more often than the news itself, so
it is discounted (not banned). A sentence that names the article's most-mentioned people, bodies or
places is more likely to carry its story, so it gets a small lift; a fact check's labelled verdict ("Verdict: Mostly
false.", "Our ruling: ...") is what its reader came for, so it gets a large one. A light redundancy penalty stops two
near-duplicates from filling the summary. A note about the page ("Good morning and welcome to our live
coverage", an interviewer's "Q:", a press release's "About Acme:") is discounted hard.

Cost: the graphs are built over at most ``MAX_CANDIDATES`` sentences (the first ones), with numpy, from
the parse the engine already made; nothing here grows with the square of the article length.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from spacy.tokens import Doc

from bot.analysis.boilerplate import is_about_heading, is_boilerplate, is_verdict
from bot.analysis.doctext import doc_quotes, doc_text
from bot.analysis.segment import Sentence
from bot.analysis.sumy_adapter import stop_words

# Sentences beyond this many (counted from the start) are never candidates: bounded cost on long input.
MAX_CANDIDATES = 150
DAMPING = 0.85
MAX_ITERATIONS = 100
TOLERANCE = 1e-6
# Entity kinds that a story can be about, and how many of the most-mentioned ones count as its subject.
SALIENT_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"}
TOP_ENTITIES = 3
# An "About Acme" heading this far into the candidates (as a share of them) opens a press release's closing note.
ABOUT_SECTION_FROM = 0.5


@dataclass(frozen=True, slots=True)
class Weights:
    """The few knobs of the method (tuned on the dev sets only; see BENCHMARKS.md)."""

    overlap: float = 1.25     # exponent on TextRank word-overlap centrality
    cosine: float = 0.25      # exponent on TF-IDF cosine centrality
    length: float = 0.4       # exponent on the sentence's word count
    lead: float = 40.0        # lead prior: weight exp(-i * n / (20 * lead)) at position i of n
    redundancy: float = 0.7   # penalty per unit of cosine similarity to a sentence already chosen
    quote: float = 0.3        # factor on a sentence that opens with a quotation mark
    salience: float = 0.25    # lift exp(salience * share of the top entities the sentence names)
    boilerplate: float = 0.05  # factor on a note about the page ("Good morning and welcome", "Q:", "About X:")
    verdict: float = 50.0     # factor on a labelled conclusion ("Verdict: Mostly false.", "Our ruling: ...")


WEIGHTS = Weights()


def rank(doc: Doc, sents: Sequence[Sentence], eligible: Sequence[int], n: int, weights: Weights = WEIGHTS) -> list[int]:
    """Pick ``n`` of the ``eligible`` sentence indices; return them in document order."""
    if n <= 0 or not eligible:
        return []
    candidates = list(eligible)[:MAX_CANDIDATES]
    chosen_sents = [sents[i] for i in candidates]
    counts, lengths = term_counts(doc, chosen_sents)
    cosine = cosine_matrix(counts)  # built once: it feeds both the centrality and the redundancy check
    score = sentence_scores(counts, lengths, len(eligible), weights, opens_quote(doc, chosen_sents), cosine)
    score = score * np.exp(weights.salience * entity_salience(doc, chosen_sents))
    score = score * np.where(page_notes(doc, chosen_sents), weights.boilerplate, 1.0)
    score = score * np.where(verdicts(doc, chosen_sents), weights.verdict, 1.0)
    picked = select(score, cosine, min(n, len(candidates)), weights.redundancy)
    return sorted(candidates[j] for j in picked)


def term_counts(doc: Doc, sents: Sequence[Sentence]) -> tuple[np.ndarray, np.ndarray]:
    """Return a sentences x terms count matrix of content lemmas, and each sentence's word count."""
    stops = stop_words()
    columns: dict[str, int] = {}
    cells: list[tuple[int, int]] = []
    lengths = np.zeros(len(sents))
    for row, sent in enumerate(sents):
        for token in doc[sent.token_start : sent.token_end]:
            if token.is_punct or token.is_space or not any(ch.isalnum() for ch in token.text):
                continue
            lengths[row] += 1
            lemma = token.lemma_.lower() or token.lower_
            if token.lower_ not in stops and lemma not in stops:
                cells.append((row, columns.setdefault(lemma, len(columns))))
    counts = np.zeros((len(sents), max(1, len(columns))))
    for row, col in cells:
        counts[row, col] += 1
    return counts, np.maximum(lengths, 1.0)


def entity_salience(doc: Doc, sents: Sequence[Sentence]) -> np.ndarray:
    """Share of the ``TOP_ENTITIES`` names most mentioned across ``sents`` that each sentence mentions.

    ``sents`` are the summary's candidates (the article's first ``MAX_CANDIDATES`` eligible sentences). A
    name is keyed by its last word, so "Gordon Brown" and "Mr Brown" count as one; one pass over the
    entities, so the cost is linear.
    """
    starts = [s.token_start for s in sents]
    named: list[set[str]] = [set() for _ in sents]
    mentions: Counter[str] = Counter()
    for ent in doc.ents:
        k = bisect_right(starts, ent.start) - 1
        if ent.label_ not in SALIENT_LABELS or k < 0 or ent.end > sents[k].token_end:
            continue
        words = ent.text.split()
        if not words:
            continue
        key = words[-1].lower()
        mentions[key] += 1
        named[k].add(key)
    top = {key for key, _ in mentions.most_common(TOP_ENTITIES)}
    return np.array([len(keys & top) / TOP_ENTITIES for keys in named], dtype=float)


def page_notes(doc: Doc, sents: Sequence[Sentence]) -> np.ndarray:
    """True for each sentence that is a note about the page rather than the story (see ``boilerplate``), and for
    those under a press release's closing "About Acme" heading in the article's last part: the company's standard
    note."""
    text = doc_text(doc)
    notes = np.array([is_boilerplate(text[s.start : s.end]) for s in sents], dtype=bool)
    closing = int(len(sents) * ABOUT_SECTION_FROM)
    about = next((k for k in range(closing, len(sents)) if is_about_heading(text[sents[k].start : sents[k].end])), None)
    if about is not None:
        notes[about:] = True
    return notes


def verdicts(doc: Doc, sents: Sequence[Sentence]) -> np.ndarray:
    """True for each sentence that states a labelled conclusion (see ``boilerplate.is_verdict``)."""
    text = doc_text(doc)
    return np.array([is_verdict(text[s.start : s.end]) for s in sents], dtype=bool)


def opens_quote(doc: Doc, sents: Sequence[Sentence]) -> np.ndarray:
    """True for each sentence that opens with a quotation mark (straight or curly) or starts inside a quotation
    ("... nothing pays like that." in the middle of a speaker's three-paragraph quote)."""
    quotes = doc_quotes(doc)
    starts = [q.start for q in quotes]
    out = np.zeros(len(sents), dtype=bool)
    for row, s in enumerate(sents):
        k = bisect_right(starts, s.start) - 1
        out[row] = doc[s.token_start].is_quote or (k >= 0 and quotes[k].start < s.start < quotes[k].end)
    return out


def sentence_scores(
    counts: np.ndarray,
    lengths: np.ndarray,
    n_eligible: int,
    weights: Weights,
    quoted: np.ndarray | None = None,
    similarity: np.ndarray | None = None,
) -> np.ndarray:
    """Combine the centralities, the length weight, the lead prior and the quote discount into one score."""
    overlap = pagerank(overlap_matrix(counts))
    cosine = pagerank(similarity if similarity is not None else cosine_matrix(counts))
    position = np.arange(len(counts), dtype=float)
    prior = np.exp(-position * n_eligible / (20.0 * weights.lead))
    discount = np.where(quoted, weights.quote, 1.0) if quoted is not None else 1.0
    return (
        _unit(overlap) ** weights.overlap
        * _unit(cosine) ** weights.cosine
        * lengths**weights.length
        * prior
        * discount
    )


def overlap_matrix(counts: np.ndarray) -> np.ndarray:
    """TextRank similarity: shared words over the sum of the log lengths (in content words)."""
    shared = counts @ counts.T
    logs = np.log(np.maximum(counts.sum(axis=1), 1.0))
    norm = logs[:, None] + logs[None, :]
    sim = np.divide(shared, norm, out=shared.copy(), where=norm > 0)
    np.fill_diagonal(sim, 0.0)
    return sim


def cosine_matrix(counts: np.ndarray) -> np.ndarray:
    """TF-IDF cosine similarity between sentences, IDF taken over the candidate sentences."""
    df = (counts > 0).sum(axis=0)
    idf = np.log((1.0 + len(counts)) / (1.0 + df)) + 1.0
    weighted = counts * idf
    norms = np.linalg.norm(weighted, axis=1, keepdims=True)
    unit = np.divide(weighted, norms, out=np.zeros_like(weighted), where=norms > 0)
    sim = unit @ unit.T
    np.fill_diagonal(sim, 0.0)
    return sim


def pagerank(sim: np.ndarray) -> np.ndarray:
    """Stationary scores of a damped random walk over the similarity graph (power iteration)."""
    size = len(sim)
    if size == 0:
        return np.zeros(0)
    rows = sim.sum(axis=1, keepdims=True)
    walk = np.divide(sim, rows, out=np.full_like(sim, 1.0 / size), where=rows > 0)
    scores = np.full(size, 1.0 / size)
    for _ in range(MAX_ITERATIONS):
        nxt = (1.0 - DAMPING) / size + DAMPING * (walk.T @ scores)
        if np.abs(nxt - scores).sum() < TOLERANCE:
            return nxt
        scores = nxt
    return scores


def select(score: np.ndarray, cosine: np.ndarray, n: int, redundancy: float) -> list[int]:
    """Greedy pick by score, each step discounting sentences similar to those already chosen."""
    base = _unit(score)
    chosen: list[int] = []
    for _ in range(n):
        gain = base - redundancy * (cosine[:, chosen].max(axis=1) if chosen else 0.0)
        gain[chosen] = -math.inf
        chosen.append(int(np.argmax(gain)))
    return chosen


def _unit(values: np.ndarray) -> np.ndarray:
    top = float(values.max()) if len(values) else 0.0
    return values / top if top > 0 else np.ones_like(values)
