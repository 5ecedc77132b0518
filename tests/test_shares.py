"""Shares shown beside their counts must never contradict them (``bot.shares``)."""

from __future__ import annotations

import pytest

from bot.shares import bar, percent


@pytest.mark.parametrize(("part", "whole", "shown"), [
    (0, 5, "0%"), (5, 5, "100%"), (399, 400, "99%"), (1, 400, "1%"), (1, 3, "33%"), (19, 20, "95%"),
])
def test_percent_is_0_or_100_only_when_exact(part: int, whole: int, shown: str) -> None:
    assert percent(part / whole) == shown


@pytest.mark.parametrize(("share", "blocks"), [
    (0.0, 0), (0.05, 1), (0.25, 2), (0.35, 3), (0.95, 9), (399 / 400, 9), (1.0, 10),
])
def test_bar_is_full_or_empty_only_when_exact_and_never_rounds_to_even(share: float, blocks: int) -> None:
    drawn = bar(share)
    assert len(drawn) == 10 and drawn.count("█") == blocks


def test_the_discord_scorecard_and_the_cli_agree_with_their_counts() -> None:
    from bot.analysis.result import Attribution, Result, Span, Stats
    from bot.render.labels import scorecard
    from bot.report import _scorecard

    named = [Attribution(Span(0, 4, "said"), Span(5, 8, "Ann"), None, "named", False, 0)] * 399
    anonymous = [Attribution(Span(0, 4, "said"), Span(5, 8, "one"), None, "anonymous", False, 0)]
    result = Result(sentences=1, attributions=named + anonymous, stats=Stats.count(named + anonymous))
    card = scorecard(result)
    assert "Named sources: 99%" in card and "█" * 9 + "░" in card and "Anonymous 1" in card
    assert any("99% of claims" in line for line in _scorecard(result))
