"""Embeds about one server's stored work and setup: /search, /recent, /stats and /settings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import discord

from bot.render.labels import COLOURS, category_label, flag_counts_text
from bot.render.limits import break_link_joins, clip, escape_untrusted, fit_embed, link_url, one_line, safe

if TYPE_CHECKING:
    from bot.store_analyses import ListedAnalysis


def search_page_embed(query: str, hits: Sequence[Any], *, page: int, pages: int, total: int) -> discord.Embed:
    """One page of /search results; each hit names its analysis id so /lookup can open it."""
    embed = discord.Embed(title=f"Search: {safe(query, 200)}", colour=COLOURS[None])
    if not hits:
        embed.description = "No stored analysis in this server matches that search."
    for hit in hits:
        value = highlighted_snippet(hit.snippet, 300) or "—"
        if hit.url and len(hit.url) <= 500:
            value += f"\n<{hit.url}>"
        embed.add_field(name=f"{safe(hit.title or 'Untitled', 200)} · {hit.analysis_id}", value=value, inline=False)
    embed.set_footer(text=f"{total} result(s) · page {page + 1} of {max(1, pages)}")
    fit_embed(embed)
    return embed


def highlighted_snippet(snippet: str, limit: int) -> str:
    """Article text around a search match, escaped like all article text, with the store's ``**`` match marks kept.

    The snippet is the article's own words: a masked link or a spoiler in it must not go live in Byline's reply.
    """
    parts = clip(one_line(snippet), limit).split("**")
    if len(parts) % 2 == 0:
        parts.append("")  # the clip cut a match mark's pair off: close the bold
    # each part alone is escaped, then the joins again, since a link may span a mark ("]**(")
    return break_link_joins("**".join(escape_untrusted(part) for part in parts))


def recent_embed(analyses: Sequence[ListedAnalysis]) -> discord.Embed:
    """The latest analyses in this server, newest first, for /recent."""
    embed = discord.Embed(title="Recent analyses", colour=COLOURS[None])
    if not analyses:
        embed.description = "Nothing has been analysed in this server yet."
    for item in analyses[:10]:
        value = f"{discord.utils.format_dt(item.created_at, 'R')} · {flag_counts_text(item.flag_counts)}"
        if link_url(item.url) and len(item.url or "") <= 500:
            value += f"\n<{item.url}>"
        embed.add_field(name=f"{safe(item.title or 'Untitled', 200)} · {item.id}", value=value, inline=False)
    fit_embed(embed)
    return embed


def _share(value: float | None) -> str:
    """A share as a percentage, or a dash when nothing was counted (not a misleading 0%)."""
    return "—" if value is None else f"{value:.0%}"


def guild_stats_embed(stats: Any, *, top_sites: int = 10) -> discord.Embed:
    """The server's sourcing patterns: unnamed share overall and by site, flags by category and status."""
    embed = discord.Embed(title="Sourcing in this server", colour=COLOURS[None])
    embed.description = (
        f"**{stats.documents}** articles · **{stats.total_attributions}** reported claims · "
        f"unnamed sources: **{_share(stats.unnamed_share)}**"
    )
    sites = sorted(stats.sites, key=lambda s: (-s.attributions, s.site))[:top_sites]
    if sites:
        rows = [f"{safe(s.site, 60)}: {_share(s.unnamed_share)} unnamed of {s.attributions} ({s.analyses} art.)"
                for s in sites]
        embed.add_field(name="Unnamed share by site", value="\n".join(rows), inline=False)
    if stats.flags_by_category:
        rows = [f"{category_label(k)}: {v}" for k, v in sorted(stats.flags_by_category.items())]
        embed.add_field(name="Flags by category", value="\n".join(rows), inline=True)
    if stats.flags_by_status:
        rows = [f"{k}: {v}" for k, v in sorted(stats.flags_by_status.items())]
        embed.add_field(name="Flags by review status", value="\n".join(rows), inline=True)
    fit_embed(embed)
    return embed


def settings_embed(settings: Any) -> discord.Embed:
    """The guild's settings; channel and role mentions render as names and, sent with NO_MENTIONS, never ping."""
    channels = sorted(settings.autoreply_channel_ids)
    values = {
        "Review channel": f"<#{settings.review_channel_id}>" if settings.review_channel_id else "not set",
        "Moderator role": f"<@&{settings.mod_role_id}>" if settings.mod_role_id else "Manage Messages only",
        "Auto-reply channels": " ".join(f"<#{c}>" for c in channels) if channels else "none",
        "Summary length": f"{settings.summary_sentences} sentences" if settings.summary_sentences else "automatic",
        "Flag threshold": f"{settings.flag_threshold} and above",
        "Retention": f"{settings.retention_days} days" if settings.retention_days else "kept until deleted",
    }
    embed = discord.Embed(title="Byline settings", colour=COLOURS[None])
    for name, value in values.items():
        embed.add_field(name=name, value=value, inline=True)
    fit_embed(embed)
    return embed

