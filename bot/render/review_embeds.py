"""The moderators' embeds: the review-channel message for a group of flags, /review queue and /review stats."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import discord

from bot.render.labels import COLOURS, QUOTE_CHARS, REASON_CHARS, category_label, flag_heading
from bot.render.limits import (
    FIELD_NAME_LIMIT,
    FIELD_VALUE_LIMIT,
    clip,
    embed_title,
    fit_embed,
    link_url,
    one_line,
    safe,
)

if TYPE_CHECKING:
    from bot.store import StoredAnalysis

STATUS_LABELS = {"pending": "⏳ Pending", "confirmed": "✅ Confirmed", "dismissed": "➖ Dismissed",
                 "superseded": "↪️ Replaced by a newer analysis"}
REVIEW_FLAGS_PER_MESSAGE = 5  # one button row per flag; five flags x ~1,000 chars stays under 6,000


def flag_status_line(flag: Any) -> str:
    """Who decided a flag and when, so the review message itself is the record everyone sees."""
    line = STATUS_LABELS.get(flag.status, flag.status)
    if flag.status != "pending" and flag.reviewer_name:
        line += f" by {safe(flag.reviewer_name, 80)}"
    if flag.reviewed_at is not None:
        line += f" {discord.utils.format_dt(flag.reviewed_at, 'R')}"
    return line


def _evidence_quote(flag: Any) -> str:
    """The flagged words as a quote line; a flag with no evidence span quotes its sentence instead."""
    return f"> “{safe(flag.evidence or flag.sentence, QUOTE_CHARS)}”"


def review_field(flag: Any) -> tuple[str, str]:
    """One stored flag as a field: id, category, severity; the evidence, the sentence, status and note."""
    name = flag_heading(flag.category, flag.severity, flag.id)
    lines = [_evidence_quote(flag)]
    if flag.sentence and one_line(flag.sentence) != one_line(flag.evidence):
        lines.append(safe(flag.sentence, REASON_CHARS))
    lines.append(flag_status_line(flag))
    if flag.note:
        lines.append(f"📝 {safe(flag.note, REASON_CHARS)}")
    return clip(name, FIELD_NAME_LIMIT), clip("\n".join(lines), FIELD_VALUE_LIMIT)


def _analysis_line(analysis: StoredAnalysis) -> str:
    """Where the flags came from: the analysis id, the original message and who shared it."""
    parts = [f"Analysis `{analysis.id}`"]
    if analysis.message_link:
        parts.append(f"[original message]({analysis.message_link})")
    if analysis.author_id:
        parts.append(f"shared by <@{analysis.author_id}>")
    return " · ".join(parts)


def review_flags_embed(flags: Sequence[Any], analysis: StoredAnalysis | None = None) -> discord.Embed:
    """The review-channel message for up to five flags of one analysis; rebuilt after every action."""
    pending = any(f.status == "pending" for f in flags)
    title = (analysis.title if analysis is not None else None) or "Sourcing flags to review"
    embed = discord.Embed(title=embed_title(title), colour=COLOURS["medium" if pending else None])
    if analysis is not None:
        embed.url = link_url(analysis.url)
        embed.description = _analysis_line(analysis)
    for flag in flags[:REVIEW_FLAGS_PER_MESSAGE]:
        name, value = review_field(flag)
        embed.add_field(name=name, value=value, inline=False)
    embed.set_footer(text="Confirm: the sourcing problem is real · Dismiss: it is not")
    fit_embed(embed)
    return embed


REMOVED_CARD_TEXT = {
    "forget": ("Removed at the member's request",
               "The member who shared this article asked Byline to forget their data, so the article, its analysis "
               "and these flags were deleted. Nothing here needs review."),
    "retention": ("Removed under this server's retention setting",
                  "This server keeps analyses for a limited time (/settings set retention). The analysis behind "
                  "these flags was deleted with them when that time ran out. Nothing here needs review."),
    "deleted": ("Removed", "The article behind these flags is no longer stored, so nothing here needs review."),
}


def removed_card_embed(reason: str) -> discord.Embed:
    """What a review card becomes once the flags behind it are deleted (``reason``: a key of REMOVED_CARD_TEXT).

    It keeps no text, title, link or mention of the member, so nothing deleted lives on in the channel.
    """
    title, text = REMOVED_CARD_TEXT[reason]
    return discord.Embed(title=title, description=text, colour=COLOURS[None])


def review_queue_embed(flags: Sequence[Any], *, page: int, pages: int, total: int) -> discord.Embed:
    """One page of pending flags, oldest first, for /review queue."""
    embed = discord.Embed(title=f"Review queue · {total} pending", colour=COLOURS["medium"])
    if not flags:
        embed.description = "Nothing is waiting for review."
    elif not any(f.review_message_id for f in flags):
        embed.description = "Decide flags with the buttons in the review channel (/settings set review-channel)."
    for flag in flags:
        value = f"{_evidence_quote(flag)}\nAnalysis `{flag.analysis_id}`"
        if flag.review_channel_id and flag.review_message_id:
            link = f"https://discord.com/channels/{flag.guild_id}/{flag.review_channel_id}/{flag.review_message_id}"
            value += f" · [review message]({link})"
        embed.add_field(name=flag_heading(flag.category, flag.severity, flag.id), value=value, inline=False)
    embed.set_footer(text=f"Page {page + 1} of {max(1, pages)}")
    fit_embed(embed)
    return embed


def review_stats_embed(stats: dict[str, int]) -> discord.Embed:
    """Flag counts by status, then by category, for /review stats."""
    statuses = ("pending", "confirmed", "dismissed", "superseded")
    embed = discord.Embed(title="Review statistics", colour=COLOURS[None])
    shown = [s for s in statuses if s != "superseded" or stats.get(s)]  # superseded only once it happened
    embed.description = " · ".join(f"**{stats.get(s, 0)}** {s}" for s in shown)
    rows = [(k.split(":", 1)[-1], v) for k, v in sorted(stats.items()) if k not in statuses]
    if rows:
        lines = [f"{category_label(k)}: {v}" for k, v in rows]
        embed.add_field(name="By category", value="\n".join(lines), inline=False)
    fit_embed(embed)
    return embed
