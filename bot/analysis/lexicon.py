"""The attribution lexicons: data files under ``lexicons/``, loaded once per process.

Each file's origin and licence is in ``lexicons/README.md``. Word lists are one entry a line
(``#`` starts a comment); the cue weight table is TSV.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources


def _lines(name: str) -> list[str]:
    raw = resources.files("bot.analysis").joinpath("lexicons", name).read_text(encoding="utf-8")
    out = []
    for line in raw.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return out


@functools.cache
def words(name: str) -> frozenset[str]:
    """Return the lower-cased words of the word list ``name`` (e.g. ``vague_nouns.txt``), several a line."""
    return frozenset(word.lower() for line in _lines(name) for word in line.split())


@functools.cache
def phrases(name: str) -> frozenset[str]:
    """Return the lower-cased entries of a list that holds one entry of one or more words a line."""
    return frozenset(" ".join(line.lower().split()) for line in _lines(name))


@dataclass(frozen=True, slots=True)
class Weight:
    """How often a token with this key headed a cue (and a source-less cue) in the training annotation."""

    rate: float
    support: int
    no_source_rate: float


@functools.cache
def cue_weights() -> dict[tuple[str, ...], Weight]:
    """Return the cue weight table keyed by ``(lemma, pos)`` and ``(lemma, pos, context)``."""
    table: dict[tuple[str, ...], Weight] = {}
    for line in _lines("cue_weights.tsv")[1:]:
        lemma, pos, ctx, rate, support, no_source = line.split("\t")
        key = (lemma, pos) if ctx == "*" else (lemma, pos, ctx)
        table[key] = Weight(float(rate), int(support), float(no_source))
    return table


@functools.cache
def cue_model() -> dict[str, float]:
    """Return the cue model's feature weights (feature names may hold ``#``, so no comment stripping)."""
    raw = resources.files("bot.analysis").joinpath("lexicons", "cue_model.tsv").read_text(encoding="utf-8")
    model: dict[str, float] = {}
    for line in raw.splitlines()[2:]:
        name, _, weight = line.rpartition("\t")
        if name:
            model[name] = float(weight)
    return model
