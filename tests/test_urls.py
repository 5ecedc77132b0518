"""Link normal forms and link finding in chat text (bot.urls), checked on plain strings."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.urls import article_links, find_urls, normalize_url, spoilered_urls


class TestNormalForm:
    @pytest.mark.parametrize("query", ["gameId={}", "gallery={}", "cid={}", "source_id={}", "ref={}", "uid={}",
                                       "source={}", "session={}", "campaign={}", "{}"])
    def test_a_parameter_that_may_pick_the_article_is_kept(self, query):
        first = normalize_url("https://www.espn.com/nfl/recap?" + query.format(401547417))
        second = normalize_url("https://www.espn.com/nfl/recap?" + query.format(401547418))
        assert first != second
        assert first == "https://www.espn.com/nfl/recap?" + query.format(401547417)

    @pytest.mark.parametrize("tracker", ["utm_source=news", "UTM_Medium=email", "utm_id=7", "fbclid=a", "gclid=b",
                                         "dclid=c", "msclkid=d", "mc_cid=e", "mc_eid=f", "igshid=g", "_ga=2.1",
                                         "yclid=h", "pk_campaign=i", "mtm_source=j", "_hsenc=k", "utm%5Fsource=l"])
    def test_a_tracking_parameter_is_dropped(self, tracker):
        assert normalize_url(f"https://a.example/story?id=3&{tracker}") == "https://a.example/story?id=3"

    @pytest.mark.parametrize("lookalike", ["gameId=1", "my_utm_source=1", "xfbclid=1", "gclid_page=1", "ga=1"])
    def test_a_name_that_only_contains_a_tracker_is_kept(self, lookalike):
        assert normalize_url(f"https://a.example/s?{lookalike}") == f"https://a.example/s?{lookalike}"

    def test_a_value_less_query_is_kept(self):
        assert normalize_url("https://a.example/story.php?123") == "https://a.example/story.php?123"
        assert normalize_url("https://a.example/story.php?123") != normalize_url("https://a.example/story.php?124")

    def test_order_does_not_matter_but_repeats_keep_theirs(self):
        assert normalize_url("https://a.example/p?b=2&a=1") == normalize_url("https://a.example/p?a=1&b=2")
        assert normalize_url("https://a.example/p?tag=z&x=1&tag=a") == "https://a.example/p?tag=z&tag=a&x=1"

    def test_empty_pieces_and_an_empty_query_leave_no_question_mark(self):
        assert normalize_url("https://a.example/p?&&id=3&") == "https://a.example/p?id=3"
        assert normalize_url("https://a.example/p?utm_source=x") == "https://a.example/p"
        assert normalize_url("https://a.example/p?") == "https://a.example/p"


class TestOneSpellingPerQuery:
    """Equal queries written two ways share a key; escapes that change what a server reads never merge."""

    BASE = "https://news.example/2024/05/01/story.html"

    @pytest.mark.parametrize(("first", "second"), [
        ("q=caf%C3%A9", "q=café"),      # a browser's copy and a typed link
        ("q=caf%c3%a9", "q=caf%C3%A9"),  # hex case
        ("q=a%20b", "q=a+b"),            # the two spellings of a space
        ("q=%7e", "q=~"),                # an unreserved character escaped for nothing
        ("q=%2f", "q=/"),                # a slash escaped or not: servers decode both to "/"
        ("%69d=3", "id=3"),              # names too
        ("a", "a="),                     # an empty value, with or without "="
        ("b=%E9&a", "a=&b=%e9"),         # not UTF-8: kept byte for byte
    ])
    def test_spellings_of_one_query_share_a_key(self, first, second):
        assert normalize_url(f"{self.BASE}?{first}") == normalize_url(f"{self.BASE}?{second}")

    @pytest.mark.parametrize(("first", "second"), [
        ("q=a%2Bb", "q=a+b"),            # a literal plus is not a space
        ("q=a%26b", "q=a&b"),            # an escaped "&" is part of the value, a raw one starts a parameter
        ("q=a%3Bb", "q=a;b"),            # some servers split parameters on a raw ";"
        ("q=%E9", "q=%E8"),              # two bytes that are not UTF-8 are still two values
        ("q=a", "Q=a"),                  # names are case-sensitive
    ])
    def test_escapes_that_change_the_query_keep_keys_apart(self, first, second):
        assert normalize_url(f"{self.BASE}?{first}") != normalize_url(f"{self.BASE}?{second}")

    def test_a_value_less_query_is_written_bare(self):
        assert normalize_url("https://a.example/story.php?123=") == "https://a.example/story.php?123"
        assert normalize_url("https://a.example/p?q=caf%c3%a9+au+lait") == "https://a.example/p?q=caf%C3%A9%20au%20lait"

    @given(st.text(alphabet=st.characters(blacklist_characters="&#+;=%",
                                          blacklist_categories=("Cc", "Cs", "Zs", "Zl", "Zp")), max_size=30))
    def test_escaping_every_character_gives_the_same_key(self, value):
        """Any value a pasted link can hold (no whitespace or control characters: a link ends there)."""
        plain = normalize_url(f"{self.BASE}?v={value}")
        assert normalize_url(f"{self.BASE}?v={quote(value, safe='')}") == plain
        assert normalize_url(plain) == plain

    @pytest.mark.parametrize("tracker", ["at_medium=RSS&at_campaign=KARANGA", "xtor=RSS-3208", "AT_Format=1",
                                         "referringSource=articleShare", "smid=nytcore-ios-share",
                                         "ref_src=twsrc%5Etfw", "ref_url=https%3A%2F%2Fa.example", "gad_source=1",
                                         "s_cid=123", "ns_mchannel=social&ns_source=twitter", "s%5Fcid=9"])
    def test_news_share_trackers_are_dropped(self, tracker):
        assert normalize_url(f"{self.BASE}?id=3&{tracker}") == f"{self.BASE}?id=3"

    @pytest.mark.parametrize("lookalike", ["at=1", "at_page=2", "xtor2=1", "s_cids=1", "ref_source=1", "smids=1"])
    def test_names_near_the_new_trackers_are_kept(self, lookalike):
        assert normalize_url(f"https://a.example/s?{lookalike}") == f"https://a.example/s?{lookalike}"


class TestFindingLinks:
    """A link is taken as far as Discord makes it clickable, so Byline reads the page the member sees linked."""

    @pytest.mark.parametrize("url", ["https://en.wikipedia.org/wiki/Ender's_Game", "https://en.wikipedia.org/wiki/Yahoo!",
                                     "https://a.example/what?", "https://a.example/d'Artagnan's"])
    def test_an_apostrophe_inside_and_a_final_bang_or_question_mark_stay(self, url):
        assert find_urls(f"read {url} now") == [url]

    @pytest.mark.parametrize(("text", "url"), [
        ("see 'https://a.example/s' for more", "https://a.example/s"),
        ("it's at https://a.example/s's.", "https://a.example/s's"),
        ("(also https://en.wikipedia.org/wiki/Yahoo!)", "https://en.wikipedia.org/wiki/Yahoo!"),
        ("links: https://a.example/s, https://b.example/t; https://c.example/u: done", "https://a.example/s"),
        ('"https://a.example/s", he said', "https://a.example/s"),
        ("**https://a.example/s**", "https://a.example/s"),
    ])
    def test_sentence_punctuation_and_quote_marks_at_the_end_are_left_out(self, text, url):
        assert find_urls(text)[0] == url


class TestSpoilers:
    """A link behind ``||spoiler||`` marks is one its poster chose to hide."""

    TEXT = ("final score ||https://a.example/result|| and `||https://code.example/x||`, see https://b.example/news "
            "||and\nhttps://c.example/recap|| ||https://b.example/news|| ||https://d.example/open")

    def test_links_behind_a_spoiler_can_be_left_out(self):
        assert find_urls(self.TEXT, spoilers=False) == ["https://b.example/news", "https://d.example/open"]
        assert find_urls(self.TEXT) == ["https://a.example/result", "https://b.example/news", "https://c.example/recap",
                                        "https://d.example/open"]

    def test_only_a_link_never_shown_outside_a_spoiler_counts_as_spoilered(self):
        assert spoilered_urls(self.TEXT) == {"https://a.example/result", "https://c.example/recap"}


def test_article_links_skip_chat_and_video_hosts():
    """The one filter the auto-reply, 📰 and the message menu share."""
    assert article_links("https://tenor.com/x https://youtu.be/y https://news.example/a") == ["https://news.example/a"]
    assert article_links("||https://news.example/a|| https://news.example/b", spoilers=False) == [
        "https://news.example/b"]


@pytest.mark.parametrize("host", ["m.youtube.com", "music.youtube.com", "www.youtube-nocookie.com",
                                  "canary.discord.com", "ptb.discord.com", "www.discord.com", "m.twitch.tv",
                                  "clips.twitch.tv", "www.tenor.com", "YouTube.com."])
def test_every_subdomain_of_a_chat_or_video_site_is_skipped(host):
    """A mobile YouTube link before the article must not be the one fetched (and fail) in its place."""
    assert article_links(f"clip https://{host}/watch?v=abc story https://news.example/a") == ["https://news.example/a"]


@pytest.mark.parametrize("host", ["notyoutube.com", "youtube.com.news.example", "discord.community.example"])
def test_a_site_that_only_looks_like_one_is_not_skipped(host):
    assert article_links(f"https://{host}/a") == [f"https://{host}/a"]


@pytest.mark.parametrize("text", ["``https://news.example/a``", "``see https://news.example/a here``",
                                  "`https://news.example/a`", "```\nhttps://news.example/a\n```"])
def test_links_in_any_code_span_are_not_shared(text):
    assert find_urls(f"{text} and https://news.example/b") == ["https://news.example/b"]
