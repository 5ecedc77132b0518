"""Every embed and attachment the bot sends, built by pure functions (no I/O, no bot state).

Article text is untrusted, so it is clipped and escaped in ``limits`` and every embed passes through
``fit_embed`` before it leaves; sends still pass ``AllowedMentions.none()`` as a second guard. The parts:

- ``limits``: Discord's limits, clipping and escaping, ``fit_embed``;
- ``message``: ``Rendered`` and ``Attachment``, a reply as plain data;
- ``labels``: category names, icons, colours, flag order, the scorecard;
- ``result_embeds``: the full and compact analysis replies;
- ``markdown_report``: the full report file;
- ``review_embeds``: the review-channel message, queue and review statistics;
- ``guild_embeds``: search, recent, server statistics and settings.

Callers import from ``bot.render`` itself; the names below are its public surface.
"""

from bot.render.guild_embeds import guild_stats_embed, recent_embed, search_page_embed, settings_embed
from bot.render.labels import (
    CATEGORY_LABELS,
    COLOURS,
    QUOTE_CHARS,
    REASON_CHARS,
    SEVERITY_ICONS,
    category_label,
    flag_counts_line,
    flag_heading,
    ordered_flags,
    scorecard,
    worst_severity,
)
from bot.render.limits import (
    ATTACHMENT_LIMIT_BYTES,
    AUTHOR_NAME_LIMIT,
    CONTENT_LIMIT,
    CUSTOM_ID_LIMIT,
    DESCRIPTION_LIMIT,
    ELLIPSIS,
    EMBED_TOTAL_LIMIT,
    EMBEDS_PER_MESSAGE,
    FIELD_COUNT_LIMIT,
    FIELD_NAME_LIMIT,
    FIELD_VALUE_LIMIT,
    FOOTER_LIMIT,
    NO_MENTIONS,
    TITLE_LIMIT,
    URL_LIMIT,
    clip,
    clip_content,
    embed_title,
    fit_embed,
    link_url,
    one_line,
    safe,
    spoiler,
)
from bot.render.markdown_report import report_attachment, report_markdown
from bot.render.message import Attachment, Rendered
from bot.render.result_embeds import (
    COMPACT_SENTENCE_CHARS,
    COMPACT_SUMMARY_SENTENCES,
    MAX_FLAG_FIELDS,
    SUMMARY_BUDGET,
    SUMMARY_SENTENCE_CHARS,
    analysis_embed,
    flag_field,
    footer_text,
    render_analysis,
    render_compact,
    summary_lines,
)
from bot.render.review_embeds import (
    REVIEW_FLAGS_PER_MESSAGE,
    STATUS_LABELS,
    flag_status_line,
    removed_card_embed,
    review_field,
    review_flags_embed,
    review_queue_embed,
    review_stats_embed,
)

__all__ = [
    "ATTACHMENT_LIMIT_BYTES", "AUTHOR_NAME_LIMIT", "CATEGORY_LABELS", "COLOURS", "COMPACT_SENTENCE_CHARS",
    "COMPACT_SUMMARY_SENTENCES", "CONTENT_LIMIT", "CUSTOM_ID_LIMIT", "DESCRIPTION_LIMIT", "ELLIPSIS",
    "EMBEDS_PER_MESSAGE", "EMBED_TOTAL_LIMIT", "FIELD_COUNT_LIMIT", "FIELD_NAME_LIMIT", "FIELD_VALUE_LIMIT",
    "FOOTER_LIMIT", "MAX_FLAG_FIELDS", "NO_MENTIONS", "QUOTE_CHARS", "REASON_CHARS", "REVIEW_FLAGS_PER_MESSAGE",
    "SEVERITY_ICONS", "STATUS_LABELS", "SUMMARY_BUDGET", "SUMMARY_SENTENCE_CHARS", "TITLE_LIMIT", "URL_LIMIT",
    "Attachment", "Rendered", "analysis_embed", "category_label", "clip", "clip_content", "embed_title",
    "fit_embed", "flag_counts_line", "flag_field", "flag_heading", "flag_status_line", "footer_text",
    "guild_stats_embed", "link_url", "one_line", "ordered_flags", "recent_embed", "removed_card_embed",
    "render_analysis", "render_compact", "report_attachment", "report_markdown", "review_field", "review_flags_embed",
    "review_queue_embed", "review_stats_embed", "safe", "scorecard", "search_page_embed", "settings_embed",
    "spoiler", "summary_lines", "worst_severity",
]
