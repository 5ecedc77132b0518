"""The analysis reply: the full embed for /analyse and /lookup, and the compact one for link auto-replies."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.analysis.result import Flag, Result
from bot.render.labels import (
    COLOURS,
    QUOTE_CHARS,
    REASON_CHARS,
    flag_counts_line,
    flag_heading,
    ordered_flags,
    scorecard,
    worst_severity,
)
from bot.render.limits import FOOTER_LIMIT, clip, embed_title, fit_embed, link_url, one_line, safe, spoiler
from bot.render.markdown_report import report_attachment
from bot.render.message import Rendered
from bot.render.summary_gloss import glossed
from bot.shares import percent

if TYPE_CHECKING:
    from bot.store import StoredAnalysis

# Our own budgets, chosen so a full report reads well on a phone and stays far under 6,000.
SUMMARY_SENTENCE_CHARS = 350
SUMMARY_BUDGET = 2200
MAX_FLAG_FIELDS = 8
COMPACT_SUMMARY_SENTENCES = 2
COMPACT_SENTENCE_CHARS = 280
SPOILER_TITLE = "Article analysis (behind a spoiler)"


def summary_lines(result: Result, *, per_sentence: int, budget: int, limit: int | None = None) -> tuple[str, bool]:
    """Bullet the summary within ``budget`` characters; return (text, whether anything was left out)."""
    chosen = result.summary if limit is None else result.summary[:limit]
    lines: list[str] = []
    used = 0
    cut = len(chosen) < len(result.summary)
    for sentence in chosen:
        flat = one_line(glossed(result, sentence))
        line = "• " + safe(flat, per_sentence)
        cut |= len(flat) > per_sentence
        if used + len(line) + 1 > budget:
            return "\n".join(lines), True
        lines.append(line)
        used += len(line) + 1
    return "\n".join(lines), cut


def flag_field(flag: Flag) -> tuple[str, str]:
    """Name and value of one flag's field: icon, category, severity, the evidence quoted, the reason."""
    quote = safe(flag.evidence.text, QUOTE_CHARS) if flag.evidence.text.strip() else "(no quote)"
    value = f"> “{quote}”\n{safe(flag.reason, REASON_CHARS)}"
    return flag_heading(flag.category, flag.severity), value


def footer_text(stored: StoredAnalysis) -> str:
    """Footer naming the analysis id, which /lookup takes."""
    text = f"Analysis {stored.id} · /lookup {stored.id}"
    return text + " · from cache" if stored.cached else text


def _base_embed(stored: StoredAnalysis) -> discord.Embed:
    """Title, link, colour by worst flag, time and id footer: what the full and compact replies share."""
    flags = stored.result.flags
    colour = COLOURS.get(worst_severity(flags), COLOURS["low"]) if flags else COLOURS[None]
    title = embed_title(stored.result.title or stored.title or "Article analysis") or "Article analysis"
    embed = discord.Embed(title=title, url=link_url(stored.url), colour=colour, timestamp=stored.created_at)
    embed.set_footer(text=clip(footer_text(stored), FOOTER_LIMIT))
    return embed


def analysis_embed(stored: StoredAnalysis) -> tuple[discord.Embed, bool]:
    """The full result as one embed; the bool says whether something had to be left out."""
    result = stored.result
    embed = _base_embed(stored)
    bullets, cut = summary_lines(result, per_sentence=SUMMARY_SENTENCE_CHARS, budget=SUMMARY_BUDGET)
    header = f"**Summary** ({len(result.summary)} of {result.sentences} sentences)"
    embed.description = f"{header}\n{bullets}" if bullets else f"{header}\n_Too short to summarise._"
    flags = ordered_flags(result.flags)
    for flag in flags[:MAX_FLAG_FIELDS]:
        name, value = flag_field(flag)
        embed.add_field(name=name, value=value, inline=False)
    if len(flags) > MAX_FLAG_FIELDS:
        embed.add_field(name="More flags", value=f"+{len(flags) - MAX_FLAG_FIELDS} more in the full report.")
        cut = True
    if not flags:
        embed.add_field(name="Flags", value="No anonymous, vague or missing sources found.", inline=False)
    embed.add_field(name="Sourcing scorecard", value=scorecard(result), inline=False)
    cut |= fit_embed(embed)
    return embed, cut


def render_analysis(stored: StoredAnalysis, *, attach_report: bool | None = None) -> Rendered:
    """The full reply for /analyse and the Full report button.

    When the embed cannot hold everything (or ``attach_report`` is True) the whole report rides along
    as a Markdown file, so nothing is lost to Discord's limits.
    """
    embed, cut = analysis_embed(stored)
    attach = cut if attach_report is None else attach_report
    attachments = (report_attachment(stored),) if attach else ()
    return Rendered(embeds=(embed,), attachments=attachments)


def render_compact(stored: StoredAnalysis, *, hidden: bool = False) -> Rendered:
    """A short reply for link auto-replies and 📰: two summary bullets, the flag counts, the named share.

    ``hidden`` is for an article its poster put behind a spoiler: the reply then reveals no more than the message
    did, so the headline and link are left out and each summary bullet is a spoiler of its own.
    """
    result = stored.result
    embed = _base_embed(stored)
    bullets, _ = summary_lines(
        result, per_sentence=COMPACT_SENTENCE_CHARS, budget=900, limit=COMPACT_SUMMARY_SENTENCES
    )
    if hidden:
        embed.title, embed.url = SPOILER_TITLE, None
        bullets = "\n".join("• " + spoiler(line.removeprefix("• ")) for line in bullets.splitlines())
    lines = [bullets] if bullets else []
    lines.append(flag_counts_line(result))
    claims = result.speech_stats
    if claims.named_share is not None:
        lines.append(f"Named sources: {percent(claims.named_share)} of {claims.attributions} claims")
    embed.description = "\n".join(lines)
    fit_embed(embed)
    return Rendered(embeds=(embed,))
