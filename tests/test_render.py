"""Rendering: what a result looks like as an embed, and that no input can break Discord's limits."""

from __future__ import annotations

import re
from pathlib import Path

import discord
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import render
from bot.analysis.result import Attribution, Flag, Result, Span, Stats, SummarySentence
from tests.botkit import ARTICLE, rule_job, stored_analysis
from tests.helpers import live_masked_link


def article_result() -> Result:
    return Result.from_dict(rule_job(ARTICLE, 2))


def embed_total_ok(embed: discord.Embed) -> None:
    assert len(embed) <= render.EMBED_TOTAL_LIMIT
    assert len(embed.title or "") <= render.TITLE_LIMIT
    assert len(embed.description or "") <= render.DESCRIPTION_LIMIT
    assert len(embed.fields) <= render.FIELD_COUNT_LIMIT
    for fld in embed.fields:
        assert 0 < len(fld.name or "") <= render.FIELD_NAME_LIMIT
        assert 0 < len(fld.value or "") <= render.FIELD_VALUE_LIMIT
    assert len(embed.footer.text or "") <= render.FOOTER_LIMIT


def test_full_embed_has_summary_bullets_flags_with_quotes_scorecard_and_id():
    """The full embed holds each part the issue asks for."""
    stored = stored_analysis(article_result(), analysis_id="k7m2p9")
    rendered = render.render_analysis(stored)
    (embed,) = rendered.embeds
    assert embed.description.count("• ") == 2
    assert "The city council approved" in embed.description
    names = [f.name for f in embed.fields]
    assert names[0].startswith("🔴 Anonymous source · high")  # most severe first
    assert any("Vague source" in n for n in names) and any("No source" in n for n in names)
    flag_values = [f.value for f in embed.fields if "source" in f.name.lower()]
    assert "“Sources familiar with the talks”" in flag_values[0]
    card = next(f.value for f in embed.fields if f.name == "Sourcing scorecard")
    assert "Named sources: 25%" in card and "(1 of 4 claims)" in card
    assert "k7m2p9" in embed.footer.text
    assert embed.url == "https://news.example/a"
    assert embed.colour.value == render.COLOURS["high"]
    assert rendered.attachments == ()  # everything fitted


def test_no_flags_says_so_and_is_green():
    """A clean article says nothing was flagged rather than showing an empty section."""
    text = "Mayor Ana Ruiz said the park opens today."
    stored = stored_analysis(Result.from_dict(rule_job(text, 1)))
    (embed,) = render.render_analysis(stored).embeds
    assert any("No anonymous, vague or missing sources" in f.value for f in embed.fields)
    assert embed.colour.value == render.COLOURS[None]


def test_no_claims_scorecard_and_empty_summary():
    """With no attributions and no summary the embed still says something useful."""
    stored = stored_analysis(Result(sentences=0), url=None, title=None)
    (embed,) = render.render_analysis(stored).embeds
    assert "Too short to summarise" in embed.description
    assert "nothing to score" in next(f.value for f in embed.fields if f.name == "Sourcing scorecard")
    assert embed.title == "Article analysis" and embed.url is None


def test_untrusted_text_is_escaped_and_flattened():
    """Markdown and line breaks in article text can't restyle the embed; the quote stays on one line."""
    ev = Span(0, 30, "**Sources**\n\n`close` to _him_")
    flag = Flag("anonymous_source", "high", 0, 30, ev, "Unnamed: @everyone")
    stored = stored_analysis(Result(sentences=1, flags=[flag]))
    (embed,) = render.render_analysis(stored).embeds
    value = embed.fields[0].value
    assert "\\*\\*Sources\\*\\*" in value and "\n\n" not in value.split("\n", 1)[0]
    assert "\\`close\\`" in value


def test_many_flags_are_capped_and_full_report_attached():
    """Beyond MAX_FLAG_FIELDS the embed points at the attached Markdown report, which has every flag."""
    flags = [Flag("vague_source", "low", i, i + 1, Span(i, i + 1, f"critic {i}"), f"reason {i}") for i in range(40)]
    stored = stored_analysis(Result(sentences=40, flags=flags), analysis_id="zz9zz9")
    rendered = render.render_analysis(stored)
    (embed,) = rendered.embeds
    assert len([f for f in embed.fields if "Vague source" in f.name]) == render.MAX_FLAG_FIELDS
    assert "+32 more" in next(f.value for f in embed.fields if f.name == "More flags")
    (att,) = rendered.attachments
    assert att.filename == "byline-zz9zz9.md"
    report = att.data.decode()
    assert all(f"critic {i}" in report for i in range(40))
    embed_total_ok(embed)


def test_send_kwargs_never_ping_and_files_are_fresh():
    """Every send carries AllowedMentions.none(); each call makes new File objects (a File is single-use)."""
    stored = stored_analysis(article_result())
    rendered = render.render_analysis(stored, attach_report=True)
    first, second = rendered.send_kwargs(), rendered.send_kwargs()
    mentions = first["allowed_mentions"]
    assert not (mentions.everyone or mentions.users or mentions.roles or mentions.replied_user)
    assert first["files"][0] is not second["files"][0]
    assert first["files"][0].filename == "byline-abc234.md"


def test_compact_embed_is_short_with_counts_and_share():
    """The auto-reply embed: two bullets, flag counts by category, the named share, the id."""
    stored = stored_analysis(article_result(), analysis_id="c0mp4c", cached=True)
    (embed,) = render.render_compact(stored).embeds
    assert embed.description.count("• ") == 2
    assert "⚠️ 3 flags:" in embed.description and "1 anonymous source" in embed.description
    assert "Named sources: 25% of 4 claims" in embed.description
    assert not embed.fields
    assert "c0mp4c" in embed.footer.text and "from cache" in embed.footer.text
    assert len(embed) < 1500


def test_report_markdown_lists_who_said_what():
    """The Markdown report has a who-said-what table and escapes pipes inside cells."""
    cue = Span(0, 4, "said")
    source = Span(5, 12, "A | B")
    result = Result(sentences=1, attributions=[Attribution(cue, source, Span(13, 20, "content"), "named", True)],
                    stats=Stats(attributions=1, named=1))
    md = render.report_markdown(stored_analysis(result))
    assert "| A \\| B | named | said | content |" in md


def test_clip_respects_limit_and_never_leaves_a_dangling_escape():
    """clip() is exact at the limit and never ends on a lone backslash."""
    assert render.clip("abcdef", 6) == "abcdef"
    assert render.clip("abcdef", 4) == "abc…"
    assert render.clip("ab\\*cdef", 4) == "ab…"
    assert render.clip("anything", 0) == ""


def test_flag_heading_puts_severity_first_and_the_id_only_when_given():
    """Analysis embeds and review messages share one heading; unknown values show as they are."""
    assert render.flag_heading("vague_source", "medium") == "🟠 Vague source · medium"
    assert render.flag_heading("no_source", "low", 12) == "🟡 #12 · No source · low"
    assert render.flag_heading("new_kind", "weird") == "⚪ new_kind · weird"


def test_link_url_accepts_only_web_links_within_the_limit():
    """Discord rejects an embed whose link is not http(s) or is too long, so such links are dropped."""
    assert render.link_url("https://news.example/a") == "https://news.example/a"
    assert render.link_url("javascript:alert(1)") is None
    assert render.link_url("https://e/" + "a" * render.URL_LIMIT) is None
    assert render.link_url(None) is None


def test_every_name_callers_use_is_importable_from_bot_render():
    """bot.render is a package of small modules; callers keep importing from bot.render itself."""
    root = Path(__file__).resolve().parents[1]
    names: set[str] = set()
    for path in [*root.glob("bot/*.py"), *root.glob("cogs/*.py"), *root.glob("tests/*.py")]:
        text = path.read_text(encoding="utf-8")
        if "from bot import render" in text:
            names |= set(re.findall(r"\brender\.([A-Za-z_]\w*)", text))
        for match in re.finditer(r"from bot\.render import (?:\(([^)]*)\)|([^\n(]+))", text):
            listed = (match.group(1) or match.group(2)).replace("\n", " ")
            names |= {n.split(" as ")[0].strip() for n in listed.split(",") if n.strip()}
    assert {"render_analysis", "NO_MENTIONS", "review_flags_embed", "CUSTOM_ID_LIMIT"} <= names
    assert sorted(n for n in names if not hasattr(render, n)) == []


def test_fit_embed_trims_every_part():
    """fit_embed enforces each limit on a hand-built oversized embed and keeps the footer."""
    embed = discord.Embed(title="t" * 300, description="d" * 5000)
    for _ in range(30):
        embed.add_field(name="n" * 300, value="v" * 2000)
    embed.set_footer(text="Analysis abc234")
    assert render.fit_embed(embed) is True
    embed_total_ok(embed)
    assert embed.footer.text == "Analysis abc234"


# --- property: nothing can exceed the limits ---------------------------------------------------------

odd_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=3000)
huge_text = st.builds(lambda s, n: s * n, st.text(min_size=1, max_size=20), st.integers(1, 600))
any_text = st.one_of(odd_text, huge_text)
severity = st.sampled_from(["high", "medium", "low", "weird"])
category = st.sampled_from(["anonymous_source", "vague_source", "no_source", "unattributed_quote", "other"])


@st.composite
def results(draw: st.DrawFn) -> Result:
    summary = [SummarySentence(i, 0, 1, draw(any_text)) for i in range(draw(st.integers(0, 30)))]
    flags = [
        Flag(draw(category), draw(severity), 0, 1, Span(0, 1, draw(any_text)), draw(any_text))
        for _ in range(draw(st.integers(0, 60)))
    ]
    kinds = draw(st.lists(st.sampled_from(["named", "anonymous", "vague", "pronoun", "none"]), max_size=50))
    attributions = [Attribution(Span(0, 1, "said"), Span(0, 1, draw(odd_text)), None, k, False) for k in kinds]
    return Result(sentences=draw(st.integers(0, 10_000)), summary=summary, flags=flags, attributions=attributions,
                  stats=Stats.count(attributions), title=draw(st.one_of(st.none(), any_text)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example])
@given(result=results(), title=st.one_of(st.none(), any_text), url=st.one_of(st.none(), any_text))
def test_no_result_can_break_a_limit(result: Result, title: str | None, url: str | None):
    """Property: any result, however huge or odd, renders within every Discord limit (full and compact)."""
    stored = stored_analysis(result, title=title, url=url)
    full = render.render_analysis(stored)
    compact = render.render_compact(stored)
    for rendered in (full, compact):
        assert 1 <= len(rendered.embeds) <= render.EMBEDS_PER_MESSAGE
        for embed in rendered.embeds:
            embed_total_ok(embed)
            assert "abc234" in embed.footer.text
            embed.to_dict()  # serialisable as discord.py would send it
        assert rendered.content is None or len(rendered.content) <= render.CONTENT_LIMIT
    for att in full.attachments:
        assert len(att.data) <= render.ATTACHMENT_LIMIT_BYTES


def test_a_stored_flag_with_an_unknown_severity_still_renders():
    """Results read back from the database may carry values this version does not know (found by hypothesis)."""
    flag = Flag("anonymous_source", "weird", 0, 1, Span(0, 1, ""), "")
    stored = stored_analysis(Result(sentences=0, flags=[flag]))
    for rendered in (render.render_analysis(stored), render.render_compact(stored)):
        assert rendered.embeds[0].colour.value == render.COLOURS["low"]


def _claim(kind: str, speaker: str | None = None) -> Attribution:
    source = None if kind == "none" else Span(0, 2, "He")
    return Attribution(Span(3, 7, "said"), source, None, kind, False, 0, speaker)


def test_named_share_counts_a_pronoun_only_when_its_person_is_known():
    """ "he said" with nobody to point to names no one a reader can check, so the scorecard must not count it."""
    claims = [_claim("named"), _claim("pronoun", "Ruth Adeyemi"), _claim("pronoun"), _claim("none")]
    stats = Stats.count(claims)
    assert (stats.pronoun, stats.resolved) == (2, 1)
    assert stats.named_share == 0.5
    assert "resolved" not in stats.to_dict(), "the contract's stats object is unchanged"
    result = Result(sentences=1, attributions=claims, stats=stats)
    assert "**Named sources: 50%** (2 of 4 claims)" in render.scorecard(result)


def test_a_quote_resumed_after_its_speaker_reads_as_one_quote():
    text = '"Sales are weak," Ann Lee said. "We expect no rebound."'
    content = Span(1, len(text) - 1, text[1:-1])
    a = Attribution(Span(24, 28, "said"), Span(16, 23, "Ann Lee"), content, "named", True, 0)
    assert a.claim == "Sales are weak … We expect no rebound."
    partial = Attribution(Span(0, 4, "said"), None, Span(0, 30, 'fraud "would be a way to lose."'), "none", True, 0)
    assert partial.claim == 'fraud "would be a way to lose."', "a clause holding a quote is left as it is"
    plain = Attribution(Span(0, 4, "said"), None, Span(0, 9, "it rained"), "none", False, 0)
    assert plain.claim == "it rained"


TWO_MASKED_LINKS = ("Officials cited [the audit](https://gov.example/audit) and "
                    "[https://gov.example/refunds](https://evil.example/login) as proof.")


def test_no_masked_link_in_article_text_stays_live():
    """discord.py escapes only the first "[" of a greedy masked-link match; the second link must not go live."""
    assert not live_masked_link(render.safe(TWO_MASKED_LINKS, 350))
    result = Result(sentences=1, summary=[SummarySentence(0, 0, len(TWO_MASKED_LINKS), TWO_MASKED_LINKS)])
    for rendered in (render.render_analysis(stored_analysis(result)), render.render_compact(stored_analysis(result))):
        description = rendered.embeds[0].description
        assert "the audit" in description and not live_masked_link(description), description


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(["[", "]", "(", ")", "\\", "*", "**", "_", "|", " ", "x", "https://e.example/",
                                 "[x](https://e.example/)"]), max_size=30).map("".join))
def test_escaped_article_text_never_holds_a_live_masked_link(text):
    assert not live_masked_link(render.safe(text, 350))


def test_a_hidden_compact_reply_keeps_the_headline_link_and_summary_behind_spoilers():
    """An article posted behind a spoiler: the compact reply shows no headline or link, and each bullet is a spoiler."""
    sentence = "Rovers lost the final 3-0, the manager said\\"
    result = Result(sentences=2, summary=[SummarySentence(0, 0, len(sentence), sentence)] * 2)
    stored = stored_analysis(result, title="Rovers lose the cup final", url="https://news.example/rovers-lose")
    (embed,) = render.render_compact(stored, hidden=True).embeds
    assert "Rovers" not in embed.title and embed.url is None
    bullets = [line for line in embed.description.splitlines() if line.startswith("• ")]
    assert bullets == ["• ||Rovers lost the final 3-0, the manager said||"] * 2
    (plain,) = render.render_compact(stored).embeds
    assert plain.title == "Rovers lose the cup final" and "• Rovers lost" in plain.description


MARKS_IN_A_LINK = ("See [the memo](page 4) where ||the minister|| **admits** `the cover-up` __was__ ~~planned~~ "
                   "(sources).")


def test_markdown_between_a_bracket_and_a_parenthesis_is_escaped_too():
    """discord.py's escaper takes "[...](...)" as one match and escapes only its first "[": every marker inside
    stayed live, spoilers included."""
    out = render.safe(MARKS_IN_A_LINK, 350)
    for mark in ("||", "**", "`", "__", "~~"):
        assert not re.search(r"(?<!\\)" + re.escape(mark[0]), out.replace("\\" + mark[0], "")), (mark, out)


def test_an_articles_spoiler_marks_cannot_end_a_hidden_replys_spoiler():
    sentence = "The plan [seen](here) was|| leaked by Jane Doe, the whistleblower ||in May (report)."
    result = Result(sentences=1, summary=[SummarySentence(0, 0, len(sentence), sentence)])
    (embed,) = render.render_compact(stored_analysis(result), hidden=True).embeds
    bullet = next(line for line in embed.description.splitlines() if line.startswith("• "))
    assert bullet.startswith("• ||") and bullet.endswith("||")
    assert "||" not in bullet[4:-2].replace("\\|\\|", ""), bullet


def test_search_snippets_are_escaped_but_keep_the_match_marks():
    """A snippet is the article's own words: a masked link must not go live even when a match mark splits it."""
    from types import SimpleNamespace

    hit = SimpleNamespace(
        analysis_id="a1", title="Council", url=None,
        snippet="Click [**Verify**](https://evil.example/login) or ||free|| now, said the **verify** team",
    )
    value = render.search_page_embed("verify", [hit], page=0, pages=1, total=1).fields[0].value
    assert not re.search(r"(?<!\\)\[[^\]]*\]\(https://evil", value), value
    assert "||free||" not in value
    assert "**verify**" in value and "**Verify**" in value


# --- listings: every item given is shown, within Discord's 6,000 characters ------------------------------------

LONG_TITLE = ("Live updates: " + "council votes on the harbour bridge budget after a long night of debate " * 3)[:190]
LONG_URL = "https://news.example.com/2026/01/02/" + "harbour-bridge-budget-vote-" * 14  # 414 characters
MARKUP_TITLE = "*_[Verify](https://evil.example/login) ||x|| " * 6
MANY_FLAGS = (("anonymous_source", 12), ("vague_source", 9), ("no_source", 3), ("unattributed_quote", 1))


def _listed(i: int, title: str):
    from datetime import UTC, datetime

    from bot.store_analyses import ListedAnalysis

    return ListedAnalysis(f"abc23{i}", 1, i, title, f"{LONG_URL}{i}", None, None, datetime.now(UTC), (), MANY_FLAGS)


def _link_line_is_whole(lines: list[str], url: str) -> bool:
    """Under the first line: the whole link, or its site alone as plain text, or nothing; never a cut link."""
    return lines in ([f"<{url}>"], ["news.example.com"], [])


def test_recent_shows_every_analysis_it_is_given_however_long_the_titles_and_links():
    """/recent records every listed analysis as shown (for /forget): all ten must be in the embed, each with its
    id, its flag count and its link whole (or its site), the titles giving way."""
    for title in (LONG_TITLE, MARKUP_TITLE):
        items = [_listed(i, title) for i in range(10)]
        embed = render.recent_embed(items)
        embed_total_ok(embed)
        assert [f.name.rsplit(" · ", 1)[1] for f in embed.fields] == [item.id for item in items]
        for fld, item in zip(embed.fields, items, strict=True):
            first, *rest = fld.value.split("\n")
            assert first.endswith(render.labels.flag_counts_text(MANY_FLAGS))
            assert _link_line_is_whole(rest, item.url), fld.value
            assert not live_masked_link(fld.name) and len(fld.name) > len(" · abc230") + 20
        assert f"<{items[0].url}>" in embed.fields[0].value  # there is room for the links themselves


def test_a_search_page_shows_every_hit_however_much_its_text_needs_escaping():
    from datetime import UTC, datetime

    from bot.store_types import SearchHit

    url = "https://news.example.com/" + "x_" * 237  # 499 characters
    snippet = "the **bridge** " + "_*" * 100 + " [a](https://evil.example/login) " + "_*" * 60  # escapes double it
    title = "*_" * 60 + MARKUP_TITLE
    hits = [SearchHit(f"abc23{i}", title, url, snippet, datetime.now(UTC), 1.0) for i in range(5)]
    embed = render.search_page_embed("bridge", hits, page=0, pages=2, total=10)
    embed_total_ok(embed)
    assert [f.name.rsplit(" · ", 1)[1] for f in embed.fields] == [hit.analysis_id for hit in hits]
    for fld in embed.fields:
        first, *rest = fld.value.split("\n")
        assert "**bridge**" in first and _link_line_is_whole(rest, url), fld.value
        assert not live_masked_link(fld.value) and not live_masked_link(fld.name)


def test_direction_controls_in_a_title_cannot_reverse_what_follows_it():
    """An unclosed U+202E in a title would draw the analysis id after it backwards in /recent and /search."""
    title = "Budget row deepens \u202e"
    for control in "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
        assert control not in render.safe(f"{title}{control} \u00b7 k7m2p9", 200)
    assert render.safe(title, 200) == "Budget row deepens"


def test_the_cli_table_lines_up_with_wide_and_invisible_characters():
    """Padding by characters put the Cue column at 45 for "習近平" and 39 with zero-width spaces, not 42."""
    import unicodedata

    from bot.report import _who_said_what

    def columns(text: str) -> int:
        return sum(0 if unicodedata.category(c) in ("Mn", "Me", "Cf") else
                   2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)

    names = ["John Smith", "習近平", "日本語の長い名前です日本語の長い名前です日本語",
             "Sources\u200b familiar\u200b with it", "\U0001f1fa\U0001f1e6 Kyiv team", "e\u0301cole Dupont"]
    rows = [Attribution(Span(0, 4, "said"), Span(5, 5 + len(n), n), Span(0, 9, "it rained"), "named", False, 0)
            for n in names]
    lines = _who_said_what(rows)[1:]
    assert len(lines) == len(names)
    for line in lines:
        assert columns(line[: line.index(" named ")]) == 2 + 28, line


def test_the_cli_table_counts_a_joined_or_toned_emoji_as_one_wide_picture():
    """"👩‍🔬" is drawn in two columns, not six, and "👍🏽" in two, not four: the Cue column stays at 42, and a clip
    never cuts a joined emoji in half."""
    from bot.report import _cell, _who_said_what

    scientist, thumbs = "\U0001f469\u200d\U0001f52c", "\U0001f44d\U0001f3fd"
    for name, drawn in ((f"{scientist} Dr Lee", 9), (f"{thumbs} Fan club", 11), (f"Team {scientist}{thumbs}", 9)):
        row = Attribution(Span(0, 4, "said"), Span(5, 5 + len(name), name), Span(0, 9, "it rained"), "named", False, 0)
        line = _who_said_what([row])[1]
        assert line.startswith("  " + name + " " * (28 - drawn) + " named "), line
    assert _cell("ab" + scientist + "cd", 4) == "ab…" + " "  # the picture would need columns 3-4; the "…" takes 3
    assert _cell("abc" + scientist, 4) == "abc…"
    assert _cell("ab" + thumbs + "cd", 5) == "ab" + thumbs + "…"


def test_the_markdown_report_shows_article_text_and_obeys_none_of_its_markup(engine):
    """An article's "![x](...)" was an image a Markdown viewer fetched when a moderator opened the report, its
    "[more](...)" a link to somewhere else and its "<img>" raw HTML; every mark is now escaped, and the viewer shows
    the article's own characters."""
    import html as html_lib

    from markdown_it import MarkdownIt

    title = "Council <b>row</b> over *bridge* costs"
    body = ("The council said the bridge ![x](http://t.example/p.png) would cost [more](http://evil.example) than "
            'planned. "It is a **scandal** <img src=http://t.example/q.png>," a senior official said. Critics have '
            "long argued that the `plan` was ~~doomed~~ from the start | and the mayor_s office knew it.")
    result = engine.analyze(f"{title}\n{body}", sentences=3)
    assert len(result.summary) == 3 and result.flags and result.speech
    md = render.report_markdown(stored_analysis(result))
    page = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(md)
    for tag in ("<img", "evil.example\"", "<b>", "<strong>scandal", "<code>plan", "<s>doomed", "<del>doomed"):
        assert tag not in page, tag
    shown = html_lib.unescape(re.sub(r"<[^>]+>", "", page))
    assert "Council <b>row</b> over *bridge* costs" in shown
    assert "the bridge ![x](http://t.example/p.png) would cost [more](http://evil.example) than planned." in shown
    assert "`plan` was ~~doomed~~ from the start | and the mayor_s office knew it." in shown
    rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)
    assert len(rows) == 1 + len(result.speech) and all(r.count("<td") == 4 for r in rows[1:])


def test_the_markdown_report_escapes_character_references_and_block_starts():
    """"&#x202E;" rendered as a real right-to-left override (one_line had removed the raw one), and a summary line
    "- Fares frozen" or "1. Fares" became a nested list in the report."""
    import html as html_lib

    from markdown_it import MarkdownIt

    lines = ["Council row &#x202E;gnp.exe said", "- Fares frozen for a year", "1. Fares frozen", "+ No change",
             "## Key points", "= and more", "3) Third"]
    summary = [SummarySentence(i, 0, len(t), t) for i, t in enumerate(lines)]
    md = render.report_markdown(stored_analysis(Result(sentences=len(lines), summary=summary)))
    page = MarkdownIt("commonmark").render(md)
    assert "\u202e" not in html_lib.unescape(page)
    items = re.search(r"<h2>Summary.*?</h2>\s*<ul>(.*?)</ul>", page, re.S).group(1)
    shown = [html_lib.unescape(re.sub(r"<[^>]+>", "", li)) for li in re.findall(r"<li>(.*?)</li>", items, re.S)]
    assert shown == lines
