"""Small readers of an analysis result for the engine's tests: which flags, which source kind, which claim."""

from __future__ import annotations

from bot.analysis.result import Attribution, Result


def flag_pairs(result: Result, category: str | None = None) -> list[tuple[str, str]]:
    """(evidence, severity) of each flag, in order, of one category or of all."""
    return [(f.evidence.text, f.severity) for f in result.flags if category is None or f.category == category]


def kind_of(result: Result, source: str) -> str:
    """The source kind of the one claim whose source reads ``source``."""
    [kind] = [a.source_kind for a in result.attributions if a.source is not None and a.source.text == source]
    return kind


def claim(result: Result, cue: str) -> Attribution:
    """The one claim whose cue reads ``cue``."""
    [found] = [a for a in result.attributions if a.cue.text == cue]
    return found
