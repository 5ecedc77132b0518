"""The human-readable terminal report of ``byline analyze``: summary, flags, who said what, scorecard.

Colour is used only on a terminal (or when forced), so piped output stays plain text.
"""

from __future__ import annotations

import os
import re
import unicodedata
from typing import IO

from bot.analysis.result import CATEGORIES, Attribution, Flag, Result
from bot.render.summary_gloss import glossed
from bot.shares import percent

CATEGORY_TITLES = {
    "anonymous_source": "Anonymous sources",
    "vague_source": "Vague sources",
    "no_source": "Claims with no source",
    "unattributed_quote": "Quotes with no speaker",
}
_RESET, _BOLD, _DIM, _RED, _YELLOW, _CYAN = "\033[0m", "\033[1m", "\033[2m", "\033[31m", "\033[33m", "\033[36m"
SEVERITY_COLOURS = {"high": _RED, "medium": _YELLOW, "low": _DIM}
MAX_CELL = 70
# Characters of the article that must not reach a terminal as they are: C0 and C1 controls (ESC starts a
# sequence that can clear the screen or retitle the window) and the bidi overrides that reorder what is shown.
# Each becomes U+FFFD, one character for one, so offsets into the text still hold.
_UNSAFE = {c: "\ufffd" for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0),
                                 *range(0x202A, 0x202F), *range(0x2066, 0x206A)]}
# What draws a joined or skin-toned emoji as one picture (see ``_columns``).
_JOINER = "\u200d"
_SKIN_TONES = ("\U0001f3fb", "\U0001f3ff")


def use_color(mode: str, stream: IO[str]) -> bool:
    """Decide on colour: 'always', 'never', or 'auto' (a terminal, and NO_COLOR unset)."""
    if mode == "always":
        return True
    if mode == "never" or os.environ.get("NO_COLOR"):
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


class _Style:
    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if self.color else text


def render_report(text: str, result: Result, color: bool = False) -> str:
    """Return the whole report as one string ending in a newline."""
    st = _Style(color)
    out: list[str] = []
    if result.title:
        out += [st(_BOLD, one_line(result.title)), ""]
    out.append(st(_BOLD, f"Summary ({len(result.summary)} of {result.sentences} sentences)"))
    out += [f"  • {one_line(glossed(result, s))}" for s in result.summary] or ["  (nothing to summarise)"]
    out += ["", st(_BOLD, f"Flags ({len(result.flags)})")]
    if not result.flags:
        out.append("  No anonymous, vague or missing sources found.")
    for category in CATEGORIES:
        group = [f for f in result.flags if f.category == category]
        if group:
            out.append(f"  {st(_CYAN, CATEGORY_TITLES[category])}")
            out += [line for f in group for line in _flag_lines(text, f, st)]
    out += ["", st(_BOLD, "Who said what")]
    out += _who_said_what(result.speech)
    out += ["", st(_BOLD, "Sourcing scorecard"), *_scorecard(result)]
    return "\n".join(out) + "\n"


def _flag_lines(text: str, flag: Flag, st: _Style) -> list[str]:
    sentence = text[flag.start : flag.end]
    ev = flag.evidence
    rel_start, rel_end = ev.start - flag.start, ev.end - flag.start
    if 0 <= rel_start <= rel_end <= len(sentence) and ev.end > ev.start:
        # flattened piece by piece: the style codes added here are the only control characters let through
        marked = (_flat(sentence[:rel_start]) + st(_BOLD + _YELLOW, f"[{_flat(ev.text)}]")
                  + _flat(sentence[rel_end:])).strip()
    else:
        marked = one_line(sentence)
    badge = st(SEVERITY_COLOURS.get(flag.severity, ""), f"[{flag.severity}]")
    return [f"    {badge} {marked}", f"      {st(_DIM, one_line(flag.reason))}"]


def _who_said_what(attributions: list[Attribution]) -> list[str]:
    rows = [a for a in attributions if a.source is not None]
    if not rows:
        return ["  No attributed claims found."]
    lines = [f"  {'Source':<28} {'Kind':<10} {'Cue':<14} Claim"]
    for a in rows:
        assert a.source is not None  # rows holds sourced claims only
        who = a.source.text
        if a.speaker and a.source.text != a.speaker:
            who = f"{a.speaker} ({a.source.text})"  # the name first: a clipped cell keeps what readers look for
        claim = _clip(a.claim, MAX_CELL)
        quote = '"' if a.direct_quote else ""
        lines.append(f"  {_cell(who, 28)} {a.source_kind:<10} {_cell(a.cue.text, 14)} {quote}{claim}{quote}")
    return lines


def _cell(text: str, width: int) -> str:
    """``text`` on one line, clipped and padded to ``width`` terminal columns: a CJK character or most emoji take
    two columns and a combining mark none, so padding by characters pushed the next column about."""
    flat = one_line(text)
    widths = _columns(flat)
    if sum(widths) > width:
        end, used = 0, 0
        while end < len(flat) and used + widths[end] <= width - 1:  # one column is left for the ellipsis
            used += widths[end]
            end += 1
        while 0 < end < len(flat) and widths[end] == 0:
            end -= 1  # a cut inside a joined emoji or before a combining mark drops the whole character
        flat = flat[:end] + "…"
        widths = [*widths[:end], 1]
    return flat + " " * (width - sum(widths))


def _columns(text: str) -> list[int]:
    """Terminal columns of each character of ``text``: a joined emoji ("👩‍🔬") or one with a skin tone ("👍🏽") is
    drawn as one wide picture, so what is joined or modified takes no column of its own."""
    out: list[int] = []
    for i, ch in enumerate(text):
        invisible = unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf")
        joined = i > 0 and text[i - 1] == _JOINER
        toned = _SKIN_TONES[0] <= ch <= _SKIN_TONES[1] and bool(out) and out[-1] == 2
        if invisible or joined or toned:
            out.append(0)
        else:
            out.append(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1)
    return out


def _scorecard(result: Result) -> list[str]:
    s = result.speech_stats
    if not s.attributions:
        return ["  No reported claims, so nothing to score."]
    share = s.named_share or 0.0
    return [
        f"  {s.attributions} reported claim{'' if s.attributions == 1 else 's'}: {s.named} named, "
        f"{s.pronoun} by pronoun, {s.anonymous} anonymous, "
        f"{s.vague} vague, {s.no_source} with no source.",
        f"  Named sourcing: {percent(share)} of claims.",
    ]


def one_line(text: str) -> str:
    """Article text on one line, with nothing a terminal would obey: every command that prints stored text
    (``analyze``, ``db show``, ``db search``) passes it through here, since members wrote it."""
    return " ".join(text.translate(_UNSAFE).split())


def _flat(text: str) -> str:
    """Like ``one_line``, but a space at either end is kept (one), so pieces join as the sentence read."""
    return re.sub(r"\s+", " ", text.translate(_UNSAFE))


def _clip(text: str, width: int) -> str:
    flat = one_line(text)
    return flat if len(flat) <= width else flat[: width - 1] + "…"
