"""How flags and results are named, ordered and coloured, so every message and the report agree."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.analysis.result import SEVERITY_RANK, Flag, Result
from bot.shares import bar, percent

CATEGORY_LABELS = {
    "anonymous_source": "Anonymous source",
    "vague_source": "Vague source",
    "no_source": "No source",
    "unattributed_quote": "Quote with no speaker",
}
SEVERITY_ICONS = {"high": "🔴", "medium": "🟠", "low": "🟡"}
COLOURS = {"high": 0xD83C3E, "medium": 0xE67E22, "low": 0xF1C40F, None: 0x2ECC71}

# How much of a flag's evidence and explanation one field shows; the full text is in the report.
QUOTE_CHARS = 160
REASON_CHARS = 300


def category_label(category: str) -> str:
    """The reader's name for a flag category; an unknown one (a newer engine) shows as is."""
    return CATEGORY_LABELS.get(category, category)


def flag_heading(category: str, severity: str, flag_id: int | None = None) -> str:
    """``🔴 #12 · Anonymous source · high``: the severity is seen first, the id only where it can be acted on."""
    ident = f"#{flag_id} · " if flag_id is not None else ""
    return f"{SEVERITY_ICONS.get(severity, '⚪')} {ident}{category_label(category)} · {severity}"


def worst_severity(flags: Iterable[Flag]) -> str | None:
    """The highest severity among ``flags``, or None when there are none."""
    ranked = sorted((f.severity for f in flags), key=lambda s: SEVERITY_RANK.get(s, -1), reverse=True)
    return ranked[0] if ranked else None


def ordered_flags(flags: Sequence[Flag]) -> list[Flag]:
    """Most severe first, then in reading order, so the top of the list is what to check first."""
    return sorted(flags, key=lambda f: (-SEVERITY_RANK.get(f.severity, -1), f.start))


def scorecard(result: Result) -> str:
    """The sourcing scorecard: the share of claims with a named source, then the counts by kind."""
    s = result.speech_stats
    if not s.attributions:
        return "No reported claims found, so there is nothing to score."
    share = s.named_share or 0.0
    named = s.named + s.resolved
    return (
        f"**Named sources: {percent(share)}** ({named} of {s.attributions} claims)\n`{bar(share)}`\n"
        f"Anonymous {s.anonymous} · Vague {s.vague} · No source {s.no_source}"
    )


def flag_counts_line(result: Result) -> str:
    """One line such as ``⚠️ 3 flags: 2 anonymous source, 1 vague source``."""
    counts: dict[str, int] = {}
    for flag in result.flags:
        counts[flag.category] = counts.get(flag.category, 0) + 1
    return flag_counts_text(sorted(counts.items(), key=lambda kv: -kv[1]))


def flag_counts_text(counts: Sequence[tuple[str, int]]) -> str:
    """``flag_counts_line`` from (category, flags) pairs, most first, as a listing reads them from the store."""
    total = sum(n for _, n in counts)
    if not total:
        return "✅ No anonymous, vague or missing sources found."
    parts = [f"{n} {category_label(c).lower()}" for c, n in counts if n]
    noun = "flag" if total == 1 else "flags"
    return f"⚠️ {total} {noun}: {', '.join(parts)}"
