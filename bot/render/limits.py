"""Discord's hard limits and the text helpers that keep untrusted article text inside them.

Article text can hold markdown, ``@everyone`` or megabytes of prose, so everything taken from it is
flattened, clipped and escaped here, and every embed passes through ``fit_embed`` before it is sent.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import discord

# Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_COUNT_LIMIT = 25
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
AUTHOR_NAME_LIMIT = 256
EMBED_TOTAL_LIMIT = 6000
EMBEDS_PER_MESSAGE = 10
CONTENT_LIMIT = 2000
CUSTOM_ID_LIMIT = 100
URL_LIMIT = 2048
ATTACHMENT_LIMIT_BYTES = 8_000_000  # below the smallest upload limit a guild can have (10 MiB)

NO_MENTIONS = discord.AllowedMentions.none()
ELLIPSIS = "…"

# A square bracket not already escaped. discord.py's escape_markdown escapes only the first "[" of its greedy
# masked-link match, so a second "[text](url)" in one sentence stayed live: every bracket is escaped instead.
UNESCAPED_BRACKET = re.compile(r"(?<!\\)([\[\]])")
# The join of a masked link's text and address, with a search match mark between or not: "](", "]**(".
LINK_JOIN = re.compile(r"\]((?:\*\*)?)\(")
# The start of Discord's own inline syntax, which it renders even in text sent with no mentions allowed: "<@id>" and
# "<@!id>" (a member's pill), "<@&id>" (a role's), "<#id>" (a channel's), "</name:id>" (a command link), "<t:unix:R>"
# (a live timestamp), "<:name:id>" and "<a:name:id>" (a custom emoji), "<id:browse>" (a server menu). An article
# quoting one would show a real moderator role, member or channel in Byline's voice.
DISCORD_TAG = re.compile(r"<(?=[@#/:]|(?:a|t|id):)", re.IGNORECASE)
# "@everyone" and "@here": never a ping (sends allow no mentions) but still drawn highlighted, as a mention.
MASS_MENTION = re.compile(r"@(?=everyone|here)", re.IGNORECASE)
# What breaks both: a zero-width space after the "<" or "@". It is invisible, and Discord matches these only with
# nothing in between, so they show as the plain text they are, in every part of an embed. A backslash would not do:
# not every part reads markdown escapes (a footer or an author name shows a backslash as is, and titles are never
# markdown-escaped here), and a backslash the article brought itself can pair with ours and undo it. discord.py's own
# escape_mentions inserts the same character for the same reason; clipping may drop it, never leave a tag whole.
ZWSP = "\u200b"


def clip(text: str, limit: int) -> str:
    """Cut ``text`` to at most ``limit`` characters, marking the cut with an ellipsis."""
    if limit <= 0:
        return ""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rstrip()
    if cut.endswith("\\"):  # never leave a dangling markdown escape before the ellipsis
        cut = cut[:-1]
    return cut + ELLIPSIS


# Direction marks, embeddings, overrides and isolates: an article title ending in an unclosed U+202E would draw the
# analysis id after it backwards, and members type that id into /lookup. Discord shows article text without them.
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def one_line(text: str) -> str:
    """Collapse all whitespace, so quotes and headlines can't break the layout, and drop direction controls."""
    return " ".join(text.translate(_BIDI_CONTROLS).split())


def safe(text: str, limit: int) -> str:
    """Flatten, clip and escape untrusted article text for use inside an embed."""
    return escape_untrusted(clip(one_line(text), limit))


def safe_within(text: str, limit: int) -> str:
    """``safe`` text that is at most ``limit`` characters once escaped (escaping can double a clipped text)."""
    return longest_within(lambda keep: safe(text, keep), limit)


def longest_within(render: Callable[[int], str], limit: int) -> str:
    """The longest ``render(keep)`` (``keep`` characters of some text, escaped) that fits in ``limit`` characters."""
    best, low, high = "", 0, max(0, limit)
    while low <= high:
        keep = (low + high) // 2
        out = render(keep)
        if len(out) <= limit:
            best, low = out, keep + 1
        else:
            high = keep - 1
    return best


def escape_untrusted(text: str) -> str:
    """Escape markdown in untrusted text so none of it renders in Byline's voice, masked links above all.

    A live masked link shows one address and opens another, so every bracket is escaped and every "](" is also
    broken: backslashes the text brought itself could otherwise pair with an escape and undo it. Mentions, channel
    and command links, timestamps and ``@everyone`` are broken too (``break_mentions``), so they read as text.
    """
    # The joins are broken first as well: discord.py's escaper reads "[...](...)" as one match and escapes only its
    # first character, which left every "||", "**" and "`" inside it live (an article's "||" could end our spoiler).
    escaped = discord.utils.escape_markdown(break_link_joins(text))
    return break_mentions(break_link_joins(UNESCAPED_BRACKET.sub(r"\\\1", escaped)))


def break_mentions(text: str) -> str:
    """Put a zero-width space after the "<" of Discord's inline syntax and the "@" of @everyone/@here (see DISCORD_TAG).

    Only ever inserts, so it can't undo another escape; the result is longer, so budgets are checked after it.
    """
    return MASS_MENTION.sub("@" + ZWSP, DISCORD_TAG.sub("<" + ZWSP, text))


def break_link_joins(text: str) -> str:
    """Put a zero-width space inside each "](" (or "]**(") so it can never join a masked link's text to its address."""
    return LINK_JOIN.sub("]\\1\u200b(", text)


def spoiler(text: str) -> str:
    """Hide already escaped text behind a Discord spoiler.

    A backslash at the end would escape the closing bars and show everything, so it is dropped.
    """
    bare = text.rstrip("\\")
    return f"||{bare}||" if bare else ""


def clip_content(text: str) -> str:
    """Clip message content (errors, notices) to Discord's 2,000 characters."""
    return clip(text, CONTENT_LIMIT)


def embed_title(text: str) -> str:
    """A title on one line within Discord's limit, since headlines can carry newlines and any length.

    Headlines are untrusted, so Discord's mention and timestamp syntax in them is broken (``break_mentions``); that
    adds characters, so the clip is chosen to fit once it is done.
    """
    flat = one_line(text)
    title = break_mentions(clip(flat, TITLE_LIMIT))
    if len(title) > TITLE_LIMIT:
        title = longest_within(lambda keep: break_mentions(clip(flat, keep)), TITLE_LIMIT)
    return title


def link_url(url: str | None) -> str | None:
    """``url`` if Discord will accept it as an embed link (http(s), within the limit), else None."""
    return url if url and url.startswith(("http://", "https://")) and len(url) <= URL_LIMIT else None


def fit_embed(embed: discord.Embed) -> bool:
    """Enforce every Discord embed limit in place; return True if anything was cut.

    The description shrinks first, then fields go from the end, so the footer with the analysis id
    (needed by /lookup) always survives.
    """
    changed = _fit_parts(embed)
    changed |= _fit_fields(embed)
    excess = len(embed) - EMBED_TOTAL_LIMIT
    if excess > 0 and embed.description:
        keep = max(0, len(embed.description) - excess)
        embed.description = clip(embed.description, keep) or None
        changed = True
    while len(embed) > EMBED_TOTAL_LIMIT and embed.fields:
        embed.remove_field(len(embed.fields) - 1)
        changed = True
    if len(embed) > EMBED_TOTAL_LIMIT and embed.title:
        embed.title = clip(embed.title, max(1, len(embed.title) - (len(embed) - EMBED_TOTAL_LIMIT)))
        changed = True
    return changed


def _fit_parts(embed: discord.Embed) -> bool:
    """Clip title, description, footer and author to their own limits (the total is checked after)."""
    changed = False
    if embed.title and len(embed.title) > TITLE_LIMIT:
        embed.title, changed = clip(embed.title, TITLE_LIMIT), True
    if embed.description and len(embed.description) > DESCRIPTION_LIMIT:
        embed.description, changed = clip(embed.description, DESCRIPTION_LIMIT), True
    if embed.footer.text and len(embed.footer.text) > FOOTER_LIMIT:
        embed.set_footer(text=clip(embed.footer.text, FOOTER_LIMIT), icon_url=embed.footer.icon_url)
        changed = True
    if embed.author.name and len(embed.author.name) > AUTHOR_NAME_LIMIT:
        embed.set_author(name=clip(embed.author.name, AUTHOR_NAME_LIMIT), url=embed.author.url)
        changed = True
    return changed


def _fit_fields(embed: discord.Embed) -> bool:
    """Drop fields past Discord's count and clip each name and value; an empty one becomes a blank."""
    changed = False
    while len(embed.fields) > FIELD_COUNT_LIMIT:
        embed.remove_field(len(embed.fields) - 1)
        changed = True
    for i, fld in enumerate(embed.fields):
        name = clip(fld.name or "", FIELD_NAME_LIMIT) or "\u200b"
        value = clip(fld.value or "", FIELD_VALUE_LIMIT) or "\u200b"
        if name != fld.name or value != fld.value:
            embed.set_field_at(i, name=name, value=value, inline=bool(fld.inline))
            changed = True
    return changed
