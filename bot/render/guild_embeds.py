"""Embeds about one server's stored work and setup: /search, /recent, /stats and /settings."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import discord

from bot.render.labels import COLOURS, category_label, flag_counts_text
from bot.render.limits import (
    EMBED_TOTAL_LIMIT,
    FIELD_NAME_LIMIT,
    FIELD_VALUE_LIMIT,
    break_link_joins,
    clip,
    escape_untrusted,
    fit_embed,
    link_url,
    longest_within,
    one_line,
    safe,
    safe_within,
)
from bot.shares import percent
from bot.store_types import BELOW_THRESHOLD, CARRIED, STATS_LABELS

if TYPE_CHECKING:
    from bot.store_analyses import ListedAnalysis


# A listing (/recent, a /search page) gives each item an equal share of the embed's 6,000 characters, so fit_embed
# never drops one (the caller records every item listed as shown, for /forget). Within its share an item keeps
# its id and the line under its title whole; a link is shown whole or not at all (its site stands in); the title
# gives way, keeping TITLE_FLOOR characters before a link may take the room.
TITLE_CHARS = 200
LINK_CHARS = 500
SNIPPET_CHARS = 300
TITLE_FLOOR = 60


def search_page_embed(query: str, hits: Sequence[Any], *, page: int, pages: int, total: int) -> discord.Embed:
    """One page of /search results; each hit names its analysis id so /lookup can open it."""
    embed = discord.Embed(title=f"Search: {safe(query, 200)}", colour=COLOURS[None])
    if not hits:
        embed.description = "No stored analysis in this server matches that search."
    embed.set_footer(text=f"{total} result(s) · page {page + 1} of {max(1, pages)}")
    share = _share_per_item(embed, len(hits))
    for hit in hits:
        name, value = _listing_field(share, hit.title, hit.analysis_id, hit.url, partial(_snippet_within, hit.snippet))
        embed.add_field(name=name, value=value, inline=False)
    fit_embed(embed)
    return embed


def _snippet_within(snippet: str, room: int) -> str:
    """The highlighted snippet (``SNIPPET_CHARS`` of article text at most) in at most ``room`` characters."""
    full = highlighted_snippet(snippet, SNIPPET_CHARS)
    if len(full) > room:
        full = longest_within(lambda keep: highlighted_snippet(snippet, keep), room)
    return full or "—"


def _share_per_item(embed: discord.Embed, items: int) -> int:
    """Each item's equal part of what the embed has left (its title, description and footer come first)."""
    return (EMBED_TOTAL_LIMIT - len(embed)) // max(1, items)


def _listing_field(share: int, title: str | None, ident: str, url: str | None,
                   head: Callable[[int], str]) -> tuple[str, str]:
    """One listed analysis as a field of at most ``share`` characters: "title · id" over ``head`` and its link.

    The id is kept whole (it is what /lookup takes), and ``head(room)`` gives the line under it in at most
    ``room`` characters, leaving the title TITLE_FLOOR. The link is shown whole on its own line if the title still
    keeps TITLE_FLOOR, else its site alone, as plain text: a cut link would open another page. The title has the
    rest, up to TITLE_CHARS of its text.
    """
    suffix = f" · {ident}"
    name_room = FIELD_NAME_LIMIT - len(suffix)
    full_title = safe(title or "Untitled", TITLE_CHARS)
    title_floor = min(TITLE_FLOOR, len(full_title))
    value = head(min(FIELD_VALUE_LIMIT, share - len(suffix) - title_floor))
    room = share - len(suffix) - len(value)
    link = ""
    if link_url(url) and len(url or "") <= LINK_CHARS:
        link = f"\n<{url}>"
    if len(link) > room - title_floor or len(value) + len(link) > FIELD_VALUE_LIMIT:
        site = _site(url)
        link = f"\n{safe(site, 100)}" if site else ""
        if len(link) > room - title_floor:
            link = ""
    room -= len(link)
    name = full_title if len(full_title) <= min(room, name_room) else safe_within(title or "Untitled",
                                                                                  min(room, name_room))
    return f"{name or '…'}{suffix}", value + link


def _as_is(line: str, _room: int) -> str:
    """A line under a listed title that is kept whole (it is short: a date and the flag counts)."""
    return line


def _site(url: str | None) -> str | None:
    """The host a link points to, to stand in for a link too long to show whole."""
    checked = link_url(url)
    if checked is None:
        return None
    try:
        return urlsplit(checked).hostname
    except ValueError:
        return None


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
    """The latest analyses in this server, newest first, for /recent.

    Every analysis given gets its line (the caller records them all as shown, for /forget): each field has an
    equal share of the embed, and long titles and links give way within it (see ``_listing_field``).
    """
    embed = discord.Embed(title="Recent analyses", colour=COLOURS[None])
    if not analyses:
        embed.description = "Nothing has been analysed in this server yet."
    items = analyses[:10]
    share = _share_per_item(embed, len(items))
    for item in items:
        line = f"{discord.utils.format_dt(item.created_at, 'R')} · {flag_counts_text(item.flag_counts)}"
        name, value = _listing_field(share, item.title, item.id, item.url, partial(_as_is, line))
        embed.add_field(name=name, value=value, inline=False)
    fit_embed(embed)
    return embed


def _share(value: float | None) -> str:
    """A share as a percentage, or a dash when nothing was counted (not a misleading 0%)."""
    return "—" if value is None else percent(value)


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
    if stats.flags_by_status or stats.flags_below_threshold or stats.flags_carried:
        embed.add_field(name="Flags by review status", value="\n".join(status_rows(stats)), inline=True)
    fit_embed(embed)
    return embed


def status_rows(stats: Any) -> list[str]:
    """Flags by review status, "pending" being the review queue's (as /review queue and /review stats count it),
    then the pending flags below the server's threshold, which were never sent for review, and the verdicts carried
    over from an earlier analysis (already counted once, as the decision they repeat), each on a line of its own."""
    rows = [f"{STATS_LABELS.get(k, k)}: {v}" for k, v in sorted(stats.flags_by_status.items())]
    if stats.flags_below_threshold:
        rows.append(f"{STATS_LABELS[BELOW_THRESHOLD]}: {stats.flags_below_threshold}")
    if stats.flags_carried:
        rows.append(f"{STATS_LABELS[CARRIED]}: {stats.flags_carried}")
    return rows


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

