"""Discord's mention, channel, command and timestamp syntax in article text shows as plain text, never as a pill.

Sends allow no mentions, so nobody is pinged; but Discord still draws "<@&id>" as the role's pill, "<#id>" as a
channel, "<t:…>" as a live time, so an article could put a moderator role or a member in Byline's mouth.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from types import SimpleNamespace

import discord
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import render
from bot.analysis.result import Flag, Result, Span, SummarySentence
from bot.render.guild_embeds import highlighted_snippet
from bot.store_analyses import ListedAnalysis
from bot.store_types import SearchHit, StoredFlag
from tests.botkit import stored_analysis
from tests.helpers import live_masked_link

ROLE = "<@&123456789012345678>"
SPOOFS = {
    "member": "<@234567890123456789>",
    "member (nickname)": "<@!234567890123456789>",
    "role": ROLE,
    "channel": "<#345678901234567890>",
    "command": "</ban:456789012345678901>",
    "subcommand": "</mod warn:456789012345678901>",
    "timestamp": "<t:1700000000:R>",
    "timestamp (default)": "<t:1700000000>",
    "emoji": "<a:verified:567890123456789012>",
    "server menu": "<id:customize>",
    "everyone": "@everyone",
    "here": "@here",
}
NOW = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
OWN_TIME = discord.utils.format_dt(NOW, "R")  # the time Byline itself shows in /recent and on review cards
SPOOF_TEXT = "Contact " + ", ".join(SPOOFS.values()) + " now, officials said."

# What Discord would draw: each syntax with nothing between its parts.
LIVE = re.compile(
    r"<@[!&]?\d+>|<#\d+>|</[^<>:]+:\d+>|<t:-?\d+(?::[tTdDfFR])?>|<a?:\w+:\d+>|<id:\w+>|@everyone|@here",
    re.IGNORECASE,
)


def live_tag(value: str | None) -> str | None:
    """The first piece of ``value`` Discord would render as a mention, pill or live timestamp, if any."""
    found = LIVE.search(value or "")
    return found.group(0) if found else None


def reads_as(value: str | None, text: str) -> bool:
    """``value`` shows ``text`` to a reader: the same characters once the invisible zero-width spaces are gone."""
    return text in (value or "").replace("\u200b", "")


def _all_text(embed: discord.Embed) -> list[str]:
    parts = [embed.title, embed.description, embed.footer.text, embed.author.name]
    for fld in embed.fields:
        parts += [fld.name, fld.value]
    return [p for p in parts if p]


def assert_no_live_tag(embed: discord.Embed, *, own: tuple[str, ...] = ()) -> None:
    """No pill or live time anywhere in ``embed`` but Byline's ``own`` (mentions and times it writes itself)."""
    for part in _all_text(embed):
        for tag in own:
            part = part.replace(tag, "")
        assert live_tag(part) is None, part


def _spoof_result() -> Result:
    flag = Flag("anonymous_source", "high", 0, len(SPOOF_TEXT), Span(0, len(SPOOF_TEXT), SPOOF_TEXT),
                f"Unnamed: {ROLE} said")
    return Result(sentences=1, summary=[SummarySentence(0, 0, len(SPOOF_TEXT), SPOOF_TEXT)], flags=[flag],
                  title=f"Statement from {ROLE} <t:1700000000:F>")


def test_safe_shows_every_discord_tag_as_plain_text():
    for name, tag in SPOOFS.items():
        out = render.safe(f"see {tag} here", 200)
        assert live_tag(out) is None, (name, out)
        assert reads_as(out, tag), (name, out)  # the reader still sees what the article said


def test_the_analysis_reply_and_lookup_show_no_pill_or_live_time():
    """/analyse, /lookup and the Full report button (render_analysis) and link auto-replies (render_compact)."""
    stored = stored_analysis(_spoof_result())
    for rendered in (render.render_analysis(stored), render.render_compact(stored)):
        (embed,) = rendered.embeds
        assert_no_live_tag(embed)
        assert reads_as(embed.title, f"Statement from {ROLE} <t:1700000000:F>")
        assert reads_as(embed.description, "<@&123456789012345678>")
    (embed,) = render.render_analysis(stored).embeds
    assert reads_as(embed.fields[0].value, "Unnamed: <@&123456789012345678> said")


def test_a_stored_title_with_tags_is_broken_and_kept_within_the_title_limit():
    """Breaking a tag adds a character; a headline made of tags must still fit 256 characters."""
    title = (ROLE + " ") * 40  # 920 characters, 40 tags
    stored = stored_analysis(Result(sentences=0), title=title)
    (embed,) = render.render_analysis(stored).embeds
    assert live_tag(embed.title) is None
    assert len(embed.title) == render.TITLE_LIMIT
    assert render.embed_title("Plain headline") == "Plain headline"


def _stored_flag(text: str, **extra: object) -> StoredFlag:
    fields: dict[str, object] = dict(
        id=7, guild_id=1, analysis_id="abc234", category="anonymous_source", severity="high", start=0, end=10,
        evidence=text, reason="r", sentence=text + " more", status="confirmed", reviewer_id=2,
        reviewer_name=f"Eve {ROLE}", reviewed_at=NOW, note=f"see {SPOOFS['channel']}",
        review_channel_id=8, review_message_id=9, created_at=NOW,
    )
    fields.update(extra)
    return StoredFlag(**fields)  # type: ignore[arg-type]


def test_review_cards_and_the_queue_show_no_pill_or_live_time():
    stored = stored_analysis(_spoof_result(), title=f"Headline {ROLE}")
    card = render.review_flags_embed([_stored_flag(SPOOF_TEXT)], stored)
    assert "shared by <@2>" in (card.description or ""), "Byline's own mention of the sharer is left as it is"
    assert OWN_TIME in card.fields[0].value, "Byline's own time of the review stays live"
    assert_no_live_tag(card, own=("<@2>", OWN_TIME))
    assert reads_as(card.title, f"Headline {ROLE}")
    value = card.fields[0].value
    assert reads_as(value, SPOOFS["timestamp"]) and reads_as(value, f"Eve {ROLE}")
    assert reads_as(value, f"see {SPOOFS['channel']}")
    queue = render.review_queue_embed([_stored_flag(SPOOF_TEXT)], page=0, pages=1, total=1)
    assert_no_live_tag(queue)


def test_search_and_recent_show_no_pill_or_live_time_in_titles_or_snippets():
    """/search: the title and the snippet, even when a match mark falls inside a tag; /recent: the title."""
    snippet = "Ask <@&**123456789012345678**> or **<t:1700000000:R>** and <#**345678901234567890**> **@everyone**"
    hit = SearchHit("abc230", f"Memo {ROLE}", "https://news.example/a", snippet, NOW, 1.0)
    page = render.search_page_embed(f"{ROLE}", [hit], page=0, pages=1, total=1)
    assert_no_live_tag(page)
    assert reads_as(page.fields[0].name, f"Memo {ROLE}")
    assert reads_as(page.fields[0].value, "**<t:1700000000:R>**"), "the match marks are kept"
    listed = ListedAnalysis("abc231", 1, 1, f"Memo {ROLE} {SPOOFS['command']}", None, None, None,
                            NOW, (), ())
    recent = render.recent_embed([listed])
    assert_no_live_tag(recent, own=(OWN_TIME,))
    assert reads_as(recent.fields[0].name, f"Memo {ROLE} {SPOOFS['command']}")


def test_listings_of_tag_heavy_titles_still_show_every_item_within_the_limits():
    """Breaking tags grows the text: the listings' budgets must still hold every item and every limit."""
    title = (ROLE + SPOOFS["timestamp"]) * 20
    items = [ListedAnalysis(f"abc23{i}", 1, i, title, f"https://news.example/{i}", None, None, NOW,
                            (), ()) for i in range(10)]
    recent = render.recent_embed(items)
    hits = [SearchHit(f"abc23{i}", title, None, "**x** " + title * 3, NOW, 1.0) for i in range(5)]
    page = render.search_page_embed(title, hits, page=0, pages=1, total=5)
    for embed, n in ((recent, 10), (page, 5)):
        assert len(embed) <= render.EMBED_TOTAL_LIMIT and len(embed.fields) == n
        assert all(len(f.name) <= render.FIELD_NAME_LIMIT and len(f.value) <= render.FIELD_VALUE_LIMIT
                   for f in embed.fields)
        assert_no_live_tag(embed, own=(OWN_TIME,))


def test_masked_links_and_code_stay_escaped_beside_tags():
    text = f"[{ROLE}](https://evil.example/login) `{ROLE}` ```{SPOOFS['timestamp']}```"
    out = render.safe(text, 300)
    assert not live_masked_link(out) and live_tag(out) is None
    assert "\\`" in out and "```" not in out


PIECES = ["<", ">", "@", "&", "!", "#", "/", ":", "t:", "a:", "id:", "R", "123456789012345678", "ban", "everyone",
          "here", "customize", "\\", "**", "_", "[", "](https://e.example/)", " ", "x"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_no_escaped_text_holds_a_live_tag(text):
    assert live_tag(render.safe(text, 350)) is None
    assert live_tag(highlighted_snippet(text, 350)) is None
    assert live_tag(render.embed_title(text)) is None
    assert not live_masked_link(render.safe(text, 350))


def test_a_short_reply_quoting_a_site_shows_its_tags_as_text():
    """The 📰 failure reply quotes what a site sent through the same escaping (cogs/links.py)."""
    from bot.render.limits import escape_untrusted

    out = escape_untrusted(f"The site said: {ROLE} @here")
    assert live_tag(out) is None and reads_as(out, f"{ROLE} @here")


def test_settings_keep_their_own_channel_and_role_mentions():
    """Byline's own mentions (settings, not article text) are still drawn as names."""
    embed = render.settings_embed(SimpleNamespace(autoreply_channel_ids={5}, review_channel_id=6, mod_role_id=7,
                                                  summary_sentences=None, flag_threshold="low", retention_days=None))
    values = [f.value for f in embed.fields]
    assert "<#6>" in values and "<@&7>" in values and "<#5>" in values
