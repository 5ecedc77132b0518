"""The analysis engine (no discord imports here): summary, attribution and source flags.

``Engine`` and ``Failure`` are imported on first use, so a process that only reads results (the bot's
parent, which hands parsing to worker processes) never loads spaCy.
"""

from typing import Any

from bot.analysis.result import Attribution, Flag, Result, Span, Stats, SummarySentence

__all__ = ["Attribution", "Engine", "Failure", "Flag", "Result", "Span", "Stats", "SummarySentence"]


def __getattr__(name: str) -> Any:
    """Import the engine lazily: it pulls in spaCy."""
    if name in ("Engine", "Failure"):
        from bot.analysis import engine

        return getattr(engine, name)
    raise AttributeError(f"module 'bot.analysis' has no attribute {name!r}")
