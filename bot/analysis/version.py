"""The engine version stored with every result, computable without importing spaCy.

The bot's parent process needs this string for every cache look-up but never parses anything; keeping
it here lets that process skip loading spaCy (about 0.5 s and 70 MB of resident memory).
"""

from __future__ import annotations

from bot import __version__
from bot.config import AnalysisSettings


def engine_version(settings: AnalysisSettings) -> str:
    """Byline's version and the model name: a change to either invalidates cached results."""
    return f"byline/{__version__} {settings.model}"
