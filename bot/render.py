"""Every embed and attachment the bot sends, built by pure functions (no I/O, no bot state).

Article text is untrusted: it can hold markdown, ``@everyone`` or megabytes of prose. Everything that
comes from it is clipped and escaped here, and every embed passes through ``fit_embed`` so no message
can break one of Discord's limits. Sends still pass ``AllowedMentions.none()`` as a second guard.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import discord

from bot.analysis.result import SEVERITY_RANK, Flag, Result

if TYPE_CHECKING:
    from bot.store import StoredAnalysis

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

# Our own budgets, chosen so a full report reads well on a phone and stays far under 6,000.
SUMMARY_SENTENCE_CHARS = 350
SUMMARY_BUDGET = 2200
MAX_FLAG_FIELDS = 8
QUOTE_CHARS = 160
REASON_CHARS = 300
COMPACT_SUMMARY_SENTENCES = 2
COMPACT_SENTENCE_CHARS = 280

CATEGORY_LABELS = {
    "anonymous_source": "Anonymous source",
    "vague_source": "Vague source",
    "no_source": "No source",
    "unattributed_quote": "Quote with no speaker",
}
SEVERITY_ICONS = {"high": "🔴", "medium": "🟠", "low": "🟡"}
COLOURS = {"high": 0xD83C3E, "medium": 0xE67E22, "low": 0xF1C40F, None: 0x2ECC71}
NO_MENTIONS = discord.AllowedMentions.none()
ELLIPSIS = "…"


@dataclass(frozen=True)
class Attachment:
    """A file to send, kept as bytes so a reply can be built (and tested) before it is sent."""

    filename: str
    data: bytes

    def to_file(self) -> discord.File:
        """Return a fresh ``discord.File`` (a File can be sent only once)."""
        return discord.File(io.BytesIO(self.data), filename=self.filename)


@dataclass(frozen=True)
class Rendered:
    """A message ready to send: embeds, optional content and attachments."""

    embeds: tuple[discord.Embed, ...] = ()
    content: str | None = None
    attachments: tuple[Attachment, ...] = field(default_factory=tuple)

    def send_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``send``/``followup.send``/``reply``, never allowing a ping."""
        kwargs: dict[str, Any] = {"embeds": list(self.embeds), "allowed_mentions": NO_MENTIONS}
        if self.content:
            kwargs["content"] = self.content
        if self.attachments:
            kwargs["files"] = [a.to_file() for a in self.attachments]
        return kwargs


# --- text helpers ---------------------------------------------------------------------------------


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


def one_line(text: str) -> str:
    """Collapse all whitespace, so quotes and headlines can't break the layout."""
    return " ".join(text.split())


def safe(text: str, limit: int) -> str:
    """Flatten, clip and escape untrusted article text for use inside an embed."""
    return discord.utils.escape_markdown(clip(one_line(text), limit))


def clip_content(text: str) -> str:
    """Clip message content (errors, notices) to Discord's 2,000 characters."""
    return clip(text, CONTENT_LIMIT)


# --- limits -----------------------------------------------------------------------------------------


def fit_embed(embed: discord.Embed) -> bool:
    """Enforce every Discord embed limit in place; return True if anything was cut.

    The description shrinks first, then fields go from the end, so the footer with the analysis id
    (needed by /lookup) always survives.
    """
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


def _fit_fields(embed: discord.Embed) -> bool:
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


# --- analysis embeds --------------------------------------------------------------------------------


def worst_severity(flags: Iterable[Flag]) -> str | None:
    """The highest severity among ``flags``, or None when there are none."""
    ranked = sorted((f.severity for f in flags), key=lambda s: SEVERITY_RANK.get(s, -1), reverse=True)
    return ranked[0] if ranked else None


def ordered_flags(flags: Sequence[Flag]) -> list[Flag]:
    """Most severe first, then in reading order, so the top of the list is what to check first."""
    return sorted(flags, key=lambda f: (-SEVERITY_RANK.get(f.severity, -1), f.start))


def summary_lines(result: Result, *, per_sentence: int, budget: int, limit: int | None = None) -> tuple[str, bool]:
    """Bullet the summary within ``budget`` characters; return (text, whether anything was left out)."""
    chosen = result.summary if limit is None else result.summary[:limit]
    lines: list[str] = []
    used = 0
    cut = len(chosen) < len(result.summary)
    for sentence in chosen:
        flat = one_line(sentence.text)
        line = "• " + safe(flat, per_sentence)
        cut |= len(flat) > per_sentence
        if used + len(line) + 1 > budget:
            return "\n".join(lines), True
        lines.append(line)
        used += len(line) + 1
    return "\n".join(lines), cut


def flag_field(flag: Flag) -> tuple[str, str]:
    """Name and value of one flag's field: icon, category, severity, the evidence quoted, the reason."""
    icon = SEVERITY_ICONS.get(flag.severity, "⚪")
    name = f"{icon} {CATEGORY_LABELS.get(flag.category, flag.category)} · {flag.severity}"
    quote = safe(flag.evidence.text, QUOTE_CHARS) if flag.evidence.text.strip() else "(no quote)"
    value = f"> “{quote}”\n{safe(flag.reason, REASON_CHARS)}"
    return name, value


def scorecard(result: Result) -> str:
    """The sourcing scorecard: the share of claims with a named source, then the counts by kind."""
    s = result.stats
    if not s.attributions:
        return "No reported claims found, so there is nothing to score."
    share = s.named_share or 0.0
    filled = round(share * 10)
    bar = "█" * filled + "░" * (10 - filled)
    named = s.named + s.pronoun
    return (
        f"**Named sources: {share:.0%}** ({named} of {s.attributions} claims)\n`{bar}`\n"
        f"Anonymous {s.anonymous} · Vague {s.vague} · No source {s.no_source}"
    )


def _title(stored: StoredAnalysis) -> str:
    raw = stored.result.title or stored.title or "Article analysis"
    return clip(one_line(raw), TITLE_LIMIT) or "Article analysis"


def _url(stored: StoredAnalysis) -> str | None:
    url = stored.url
    return url if url and url.startswith(("http://", "https://")) and len(url) <= URL_LIMIT else None


def footer_text(stored: StoredAnalysis) -> str:
    """Footer naming the analysis id, which /lookup takes."""
    text = f"Analysis {stored.id} · /lookup {stored.id}"
    return text + " · from cache" if stored.cached else text


def _base_embed(stored: StoredAnalysis) -> discord.Embed:
    colour = COLOURS.get(worst_severity(stored.result.flags), COLOURS["low"]) if stored.result.flags else COLOURS[None]
    embed = discord.Embed(title=_title(stored), url=_url(stored), colour=colour, timestamp=stored.created_at)
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


def flag_counts_line(result: Result) -> str:
    """One line such as ``⚠️ 3 flags: 2 anonymous source, 1 vague source``."""
    if not result.flags:
        return "✅ No anonymous, vague or missing sources found."
    counts: dict[str, int] = {}
    for flag in result.flags:
        counts[flag.category] = counts.get(flag.category, 0) + 1
    parts = [f"{n} {CATEGORY_LABELS.get(c, c).lower()}" for c, n in sorted(counts.items(), key=lambda kv: -kv[1])]
    noun = "flag" if len(result.flags) == 1 else "flags"
    return f"⚠️ {len(result.flags)} {noun}: {', '.join(parts)}"


def render_compact(stored: StoredAnalysis) -> Rendered:
    """A short reply for link auto-replies: two summary bullets, the flag counts, the named share."""
    result = stored.result
    embed = _base_embed(stored)
    bullets, _ = summary_lines(
        result, per_sentence=COMPACT_SENTENCE_CHARS, budget=900, limit=COMPACT_SUMMARY_SENTENCES
    )
    lines = [bullets] if bullets else []
    lines.append(flag_counts_line(result))
    share = result.stats.named_share
    if share is not None:
        lines.append(f"Named sources: {share:.0%} of {result.stats.attributions} claims")
    embed.description = "\n".join(lines)
    fit_embed(embed)
    return Rendered(embeds=(embed,))


# --- the Markdown report --------------------------------------------------------------------------


def report_attachment(stored: StoredAnalysis) -> Attachment:
    """The full report as ``byline-<id>.md``, capped below every guild's upload limit."""
    data = report_markdown(stored).encode("utf-8")
    if len(data) > ATTACHMENT_LIMIT_BYTES:
        note = b"\n\n_(Report cut at the attachment size limit.)_\n"
        data = data[: ATTACHMENT_LIMIT_BYTES - len(note)].decode("utf-8", "ignore").encode("utf-8") + note
    return Attachment(filename=f"byline-{stored.id}.md", data=data)


def report_markdown(stored: StoredAnalysis) -> str:
    """Everything in the result, as Markdown: summary, every flag, who said what, the scorecard."""
    result = stored.result
    out = [f"# {one_line(result.title or stored.title or 'Article analysis')}", ""]
    if stored.url:
        out += [f"Source: <{stored.url}>", ""]
    out += [f"Analysis `{stored.id}` · {stored.engine_version} · {stored.created_at:%Y-%m-%d %H:%M} UTC", ""]
    out += [f"## Summary ({len(result.summary)} of {result.sentences} sentences)", ""]
    out += [f"- {one_line(s.text)}" for s in result.summary] or ["_Too short to summarise._"]
    out += ["", f"## Flags ({len(result.flags)})", ""]
    for flag in ordered_flags(result.flags):
        label = CATEGORY_LABELS.get(flag.category, flag.category)
        out.append(f"- **{label}** ({flag.severity}): “{one_line(flag.evidence.text)}” — {one_line(flag.reason)}")
    if not result.flags:
        out.append("No anonymous, vague or missing sources found.")
    out += ["", "## Who said what", ""]
    out += _attribution_rows(result)
    out += ["", "## Sourcing scorecard", "", scorecard(result).replace("`", ""), ""]
    return "\n".join(out)


def _attribution_rows(result: Result) -> list[str]:
    if not result.attributions:
        return ["No reported claims found."]
    rows = ["| Source | Kind | Cue | Claim |", "|---|---|---|---|"]
    for a in result.attributions:
        who = a.speaker or (a.source.text if a.source else "—")
        claim = a.content.text if a.content else ""
        cells = [one_line(who), a.source_kind, one_line(a.cue.text), clip(one_line(claim), 300)]
        rows.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return rows


# --- moderation and library: review messages, queue, search, stats, settings ------------------------

STATUS_LABELS = {"pending": "⏳ Pending", "confirmed": "✅ Confirmed", "dismissed": "➖ Dismissed"}
REVIEW_FLAGS_PER_MESSAGE = 5  # one button row per flag; five flags x ~1,000 chars stays under 6,000


def flag_status_line(flag: Any) -> str:
    """Who decided a flag and when, so the review message itself is the record everyone sees."""
    line = STATUS_LABELS.get(flag.status, flag.status)
    if flag.status != "pending" and flag.reviewer_name:
        line += f" by {safe(flag.reviewer_name, 80)}"
    if flag.reviewed_at is not None:
        line += f" {discord.utils.format_dt(flag.reviewed_at, 'R')}"
    return line


def review_field(flag: Any) -> tuple[str, str]:
    """One stored flag as a field: id, category, severity; the evidence, the sentence, status and note."""
    icon = SEVERITY_ICONS.get(flag.severity, "⚪")
    name = f"{icon} #{flag.id} · {CATEGORY_LABELS.get(flag.category, flag.category)} · {flag.severity}"
    lines = [f"> “{safe(flag.evidence or flag.sentence, QUOTE_CHARS)}”"]
    if flag.sentence and one_line(flag.sentence) != one_line(flag.evidence):
        lines.append(safe(flag.sentence, REASON_CHARS))
    lines.append(flag_status_line(flag))
    if flag.note:
        lines.append(f"📝 {safe(flag.note, REASON_CHARS)}")
    return clip(name, FIELD_NAME_LIMIT), clip("\n".join(lines), FIELD_VALUE_LIMIT)


def review_flags_embed(flags: Sequence[Any], analysis: StoredAnalysis | None = None) -> discord.Embed:
    """The review-channel message for up to five flags of one analysis; rebuilt after every action."""
    pending = any(f.status == "pending" for f in flags)
    title = (analysis.title if analysis is not None else None) or "Sourcing flags to review"
    embed = discord.Embed(title=clip(one_line(title), TITLE_LIMIT), colour=COLOURS["medium" if pending else None])
    if analysis is not None:
        embed.url = _url(analysis)
        parts = [f"Analysis `{analysis.id}`"]
        if analysis.message_link:
            parts.append(f"[original message]({analysis.message_link})")
        if analysis.author_id:
            parts.append(f"shared by <@{analysis.author_id}>")
        embed.description = " · ".join(parts)
    for flag in flags[:REVIEW_FLAGS_PER_MESSAGE]:
        name, value = review_field(flag)
        embed.add_field(name=name, value=value, inline=False)
    embed.set_footer(text="Confirm: the sourcing problem is real · Dismiss: it is not")
    fit_embed(embed)
    return embed


def review_queue_embed(flags: Sequence[Any], *, page: int, pages: int, total: int) -> discord.Embed:
    """One page of pending flags, oldest first, for /review queue."""
    embed = discord.Embed(title=f"Review queue · {total} pending", colour=COLOURS["medium"])
    if not flags:
        embed.description = "Nothing is waiting for review."
    elif not any(f.review_message_id for f in flags):
        embed.description = "Decide flags with the buttons in the review channel (/settings set review-channel)."
    for flag in flags:
        name, _ = review_field(flag)
        value = f"> “{safe(flag.evidence or flag.sentence, QUOTE_CHARS)}”\nAnalysis `{flag.analysis_id}`"
        if flag.review_channel_id and flag.review_message_id:
            link = f"https://discord.com/channels/{flag.guild_id}/{flag.review_channel_id}/{flag.review_message_id}"
            value += f" · [review message]({link})"
        embed.add_field(name=name, value=value, inline=False)
    embed.set_footer(text=f"Page {page + 1} of {max(1, pages)}")
    fit_embed(embed)
    return embed


def review_stats_embed(stats: dict[str, int]) -> discord.Embed:
    """Flag counts by status, then by category, for /review stats."""
    statuses = ("pending", "confirmed", "dismissed")
    embed = discord.Embed(title="Review statistics", colour=COLOURS[None])
    embed.description = " · ".join(f"**{stats.get(s, 0)}** {s}" for s in statuses)
    rows = [(k.split(":", 1)[-1], v) for k, v in sorted(stats.items()) if k not in statuses]
    if rows:
        lines = [f"{CATEGORY_LABELS.get(k, k)}: {v}" for k, v in rows]
        embed.add_field(name="By category", value="\n".join(lines), inline=False)
    fit_embed(embed)
    return embed


def search_page_embed(query: str, hits: Sequence[Any], *, page: int, pages: int, total: int) -> discord.Embed:
    """One page of /search results; each hit names its analysis id so /lookup can open it."""
    embed = discord.Embed(title=f"Search: {safe(query, 200)}", colour=COLOURS[None])
    if not hits:
        embed.description = "No stored analysis in this server matches that search."
    for hit in hits:
        value = clip(one_line(hit.snippet), 300) or "—"  # the store marks matches with ** already
        if hit.url and len(hit.url) <= 500:
            value += f"\n<{hit.url}>"
        embed.add_field(name=f"{safe(hit.title or 'Untitled', 200)} · {hit.analysis_id}", value=value, inline=False)
    embed.set_footer(text=f"{total} result(s) · page {page + 1} of {max(1, pages)}")
    fit_embed(embed)
    return embed


def recent_embed(analyses: Sequence[StoredAnalysis]) -> discord.Embed:
    """The latest analyses in this server, newest first, for /recent."""
    embed = discord.Embed(title="Recent analyses", colour=COLOURS[None])
    if not analyses:
        embed.description = "Nothing has been analysed in this server yet."
    for item in analyses[:10]:
        value = f"{discord.utils.format_dt(item.created_at, 'R')} · {flag_counts_line(item.result)}"
        if _url(item) and len(item.url or "") <= 500:
            value += f"\n<{item.url}>"
        embed.add_field(name=f"{safe(item.title or item.result.title or 'Untitled', 200)} · {item.id}",
                        value=value, inline=False)
    fit_embed(embed)
    return embed


def _share(value: float | None) -> str:
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
        rows = [f"{CATEGORY_LABELS.get(k, k)}: {v}" for k, v in sorted(stats.flags_by_category.items())]
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
