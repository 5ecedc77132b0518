"""Shares as a reader sees them, in the CLI report and in Discord: a percentage and a bar that never contradict the
counts beside them.

Plain rounding showed 399 named claims of 400 as "100%" with a full bar next to "Anonymous 1", and 5% as an empty
bar; round-half-to-even also gave 25% two blocks and 35% four.
"""

from __future__ import annotations

import math


def percent(share: float) -> str:
    """``share`` (0 to 1) as a whole percentage that is 0% or 100% only when it is exactly that."""
    if share <= 0:
        return "0%"
    if share >= 1:
        return "100%"
    return f"{min(99, max(1, round(share * 100)))}%"


def bar(share: float, width: int = 10) -> str:
    """A bar of ``width`` blocks: full or empty only when the share is, else one block per whole tenth (at least
    one)."""
    if share <= 0:
        filled = 0
    elif share >= 1:
        filled = width
    else:
        filled = min(width - 1, max(1, math.floor(share * width)))
    return "█" * filled + "░" * (width - filled)
