"""The analysis engine (no discord imports here): summary, attribution and source flags.

``Engine`` and ``Failure`` are imported on first use, so a process that only reads results (the bot's
parent, which hands parsing to worker processes) never loads spaCy.
"""

import os
from typing import Any

# OpenBLAS otherwise starts a thread per core for every small matrix product; on a busy 2-core host
# the summariser's sentence-graph products then wait for those threads (about 50 ms per summary
# instead of 2 ms). It is read once, when numpy loads, so it is set here, before any engine import;
# a value exported by the user wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from bot.analysis.result import Attribution, Flag, Result, Span, Stats, SummarySentence

__all__ = ["Attribution", "Engine", "Failure", "Flag", "Result", "Span", "Stats", "SummarySentence"]


def __getattr__(name: str) -> Any:
    """Import the engine lazily: it pulls in spaCy."""
    if name in ("Engine", "Failure"):
        from bot.analysis import engine

        return getattr(engine, name)
    raise AttributeError(f"module 'bot.analysis' has no attribute {name!r}")
