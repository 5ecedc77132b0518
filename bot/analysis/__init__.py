"""The analysis engine (no discord imports here): summary, attribution and source flags."""

from bot.analysis.engine import Engine, Failure
from bot.analysis.result import Attribution, Flag, Result, Span, Stats, SummarySentence

__all__ = ["Attribution", "Engine", "Failure", "Flag", "Result", "Span", "Stats", "SummarySentence"]
