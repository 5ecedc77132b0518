"""The fetcher against a real aiohttp server on 127.0.0.1: extraction, redirects, caps and typed errors."""

from __future__ import annotations

import asyncio
import dataclasses
import gzip
import logging
import socket
import threading
import zlib
from urllib.parse import quote

import pytest

from bot import fetcher as fetcher_module
from bot.config import FetchSettings
from bot.errors import (
    BadURL,
    BlockedAddress,
    FetchError,
    FetchTimeout,
    HTTPStatusError,
    NotAnArticle,
    TooLarge,
    TooManyRedirects,
    UnsupportedType,
)
from bot.extract import decode_body
from bot.fetcher import Article, Fetcher, fetch_article_sync, find_urls, normalize_url
from bot.netguard import StaticResolver
from bot.urls import loggable_url
from bot.webbody import CHUNK_BYTES, Inflater, make_inflater, wire_limit
from tests.pageserver import PAGES, serve

SIGNATURE = "c2VjcmV0LXNpZ25hdHVyZQ0042"  # a signed link's query value: never to appear in a log


@pytest.fixture
async def server():
    async with serve() as state:
        yield state


def open_settings(port: int, **changes) -> FetchSettings:
    """The private-address guard off, so the local server is reachable; everything else as in production."""
    base = FetchSettings(allow_private_addresses=True, allowed_ports=(port,), timeout_seconds=10)
    return dataclasses.replace(base, **changes)


async def fetch(settings: FetchSettings, url: str, resolver=None) -> Article:
    client = Fetcher(settings, resolver=resolver)
    try:
        return await client.fetch(url)
    finally:
        await client.close()


class TestExtraction:
    async def test_article_text_and_metadata(self, server):
        article = await fetch(open_settings(server.port), server.url("/article?utm_source=news&id=7#comments"))
        assert article.title == "Harbour council approves new ferry timetable"
        assert article.author == "Marta Okonkwo"
        assert article.date == "2024-03-18"
        assert article.site == "The Lakeside Courier"
        assert article.canonical_url == "https://courier.example/news/2024/ferry-timetable"
        assert article.url == server.url("/article?id=7")
        assert article.final_url == server.url("/article?id=7")
        assert article.text.startswith("The harbour council voted on Monday")
        assert '"We heard the night-shift workers loud and clear," said Councillor Pieter Vance' in article.text
        assert article.text.rstrip().endswith("publish the results on its website.")
        for boilerplate in ("Most read", "All rights reserved", "Storm closes coast road"):
            assert boilerplate not in article.text

    async def test_xhtml_is_accepted(self, server):
        article = await fetch(open_settings(server.port), server.url("/xhtml"))
        assert article.title == "Harbour council approves new ferry timetable"

    async def test_plain_text_is_taken_as_it_is(self, server):
        article = await fetch(open_settings(server.port), server.url("/plain"))
        assert article.text == (PAGES / "plain.txt").read_text().strip()
        assert article.title is None and article.site == "127.0.0.1"

    @pytest.mark.parametrize("path", ["/gzip-article", "/deflate-article", "/raw-deflate-article"])
    async def test_compressed_pages_decode_to_the_same_article(self, server, path):
        settings = open_settings(server.port)
        plain = await fetch(settings, server.url("/article"))
        packed = await fetch(settings, server.url(path))
        assert packed.text == plain.text and packed.title == plain.title

    @pytest.mark.parametrize("path", ["/cp1252", "/cp1252-meta-only"])
    async def test_windows_1252_page(self, server, path):
        article = await fetch(open_settings(server.port), server.url(path))
        assert article.title == "Le café du port rouvre ses portes"
        assert article.author == "Élodie Marchand"
        for phrase in ("« C’était long", "3,50 €", "“We missed it,”", "naïve", "crêpes"):
            assert phrase in article.text
        assert "\ufffd" not in article.text

    @pytest.mark.parametrize("path", ["/sjis", "/sjis-meta-only"])
    async def test_shift_jis_page(self, server, path):
        article = await fetch(open_settings(server.port, min_article_chars=100), server.url(path))
        assert article.title == "港町で新しいフェリー時刻表が決定"
        assert "港湾委員会は月曜日" in article.text
        assert "\ufffd" not in article.text

    @pytest.mark.parametrize("path", ["/paywall", "/appshell"])
    async def test_too_little_text_is_not_an_article(self, server, path):
        with pytest.raises(NotAnArticle) as info:
            await fetch(open_settings(server.port), server.url(path))
        assert "paywall" in info.value.user_message

    async def test_extraction_runs_off_the_event_loop(self, server, monkeypatch):
        threads: list[threading.Thread] = []
        real = fetcher_module.build_article

        def spy(*args, **kwargs):
            threads.append(threading.current_thread())
            return real(*args, **kwargs)

        monkeypatch.setattr(fetcher_module, "build_article", spy)
        await fetch(open_settings(server.port), server.url("/article"))
        assert len(threads) == 1 and threads[0] is not threading.main_thread()


class TestRedirects:
    async def test_chain_within_the_limit_is_followed(self, server):
        article = await fetch(open_settings(server.port, max_redirects=5), server.url("/chain/5"))
        assert article.final_url == server.url("/article")
        assert article.url == server.url("/chain/5")
        assert [server.hits[f"/chain/{n}"] for n in range(1, 6)] == [1] * 5
        assert server.hits["/article"] == 1

    async def test_chain_over_the_limit_is_refused(self, server):
        with pytest.raises(TooManyRedirects):
            await fetch(open_settings(server.port, max_redirects=5), server.url("/chain/6"))
        assert server.hits["/article"] == 0

    async def test_loop_stops_after_the_limit(self, server):
        with pytest.raises(TooManyRedirects):
            await fetch(open_settings(server.port, max_redirects=3), server.url("/loop"))
        assert server.hits["/loop"] == 4

    async def test_zero_redirects_allowed(self, server):
        with pytest.raises(TooManyRedirects):
            await fetch(open_settings(server.port, max_redirects=0), server.url("/chain/1"))

    async def test_redirect_without_location(self, server):
        with pytest.raises(HTTPStatusError) as info:
            await fetch(open_settings(server.port), server.url("/redirect-no-location"))
        assert info.value.status == 302


class TestGuardPerHop:
    """Guard ON (no private opt-in). ``news.test`` resolves to 127.0.0.1, opened with ``allowed_networks``
    exactly as an intranet site would be; every later hop must pass the guard again on its own."""

    RESOLVER = StaticResolver({
        "news.test": ["127.0.0.1"],
        "intranet.test": ["10.0.0.5"],
        "split.test": ["127.0.0.1", "192.168.0.2"],
        "meta.test": ["169.254.169.254"],
    })

    def settings(self, port: int) -> FetchSettings:
        return FetchSettings(allowed_networks=("127.0.0.1/32",), allowed_ports=(port, 80), timeout_seconds=10)

    def hop(self, port: int, target: str) -> str:
        return f"http://news.test:{port}/to?url={quote(target, safe='')}"

    async def test_a_checked_chain_is_followed_with_the_host_name_kept(self, server):
        article = await fetch(self.settings(server.port), f"http://news.test:{server.port}/chain/2", self.RESOLVER)
        assert article.final_url == f"http://news.test:{server.port}/article"
        assert server.host_headers == [f"news.test:{server.port}"] * 3

    @pytest.mark.parametrize(("target", "reason"), [
        ("http://intranet.test:{port}/article", "private"),
        ("http://split.test:{port}/article", "private"),
        ("http://meta.test/latest/meta-data/", "metadata"),
        ("http://169.254.169.254/latest/meta-data/", "metadata"),
        ("http://127.0.0.2:{port}/article", "loopback"),
        ("http://2130706434:{port}/article", "loopback"),
        ("http://[::ffff:10.0.0.5]:{port}/article", "private"),
    ])
    async def test_chain_ending_at_a_blocked_address(self, server, target, reason):
        with pytest.raises(BlockedAddress) as info:
            await fetch(self.settings(server.port), self.hop(server.port, target.format(port=server.port)),
                        self.RESOLVER)
        assert info.value.reason == reason
        assert server.hits["/to"] == 1 and server.hits["/article"] == 0

    async def test_redirect_to_an_authority_the_url_parser_chokes_on(self, server):
        """ "http://[::1]@/" makes yarl raise IndexError; any site could send it, so it must be a clear error."""
        with pytest.raises(HTTPStatusError, match="malformed link"):
            await fetch(self.settings(server.port), self.hop(server.port, "http://[::1]@/"), self.RESOLVER)
        assert server.hits["/to"] == 1

    @pytest.mark.parametrize("target", ["//[a:b]/", "http://[a:b]/"])
    async def test_redirect_to_a_link_that_cannot_even_be_printed(self, server, target):
        """yarl joins these, then raises ValueError when the joined link is turned back into text."""
        with pytest.raises(HTTPStatusError, match="malformed link"):
            await fetch(self.settings(server.port), self.hop(server.port, target), self.RESOLVER)
        assert server.hits["/to"] == 1

    async def test_a_refused_redirect_with_a_password_is_not_logged(self, server, caplog):
        target = f"http://alice:s3cret@news.test:{server.port}/article"
        with caplog.at_level(logging.DEBUG, logger="bot.fetcher"), pytest.raises(BadURL):
            await fetch(self.settings(server.port), self.hop(server.port, target), self.RESOLVER)
        assert "s3cret" not in caplog.text

    async def test_a_redirect_to_a_signed_link_logs_no_query_value(self, server, caplog):
        """A signed link's query is a credential: the redirect's log line shows its host and path, never the query."""
        target = f"http://news.test:{server.port}/article?X-Amz-Signature={SIGNATURE}&share_token={SIGNATURE}x"
        with caplog.at_level(logging.DEBUG, logger="bot.fetcher"):
            await fetch(self.settings(server.port), self.hop(server.port, target), self.RESOLVER)
        assert "redirect" in caplog.text and f"news.test:{server.port}/article?…" in caplog.text
        assert SIGNATURE not in caplog.text

    async def test_block_on_a_later_hop(self, server):
        inner = self.hop(server.port, f"http://intranet.test:{server.port}/article")
        with pytest.raises(BlockedAddress):
            await fetch(self.settings(server.port), self.hop(server.port, inner), self.RESOLVER)
        assert server.hits["/to"] == 2 and server.hits["/article"] == 0

    @pytest.mark.parametrize(("target", "reason"), [
        ("ftp://news.test/file", "scheme"), ("http://user@news.test:{port}/article", "userinfo"),
        ("http://news.test:6379/", "port"), ("file:///etc/passwd", "scheme"),
    ])
    async def test_redirect_to_a_bad_url(self, server, target, reason):
        with pytest.raises(BadURL) as info:
            await fetch(self.settings(server.port), self.hop(server.port, target.format(port=server.port)),
                        self.RESOLVER)
        assert info.value.reason == reason

    async def test_connection_goes_to_the_checked_address_not_a_fresh_lookup(self, server):
        """A rebinding resolver answers safely once, then privately: only the first answer may be used."""

        class Rebinding:
            calls = 0

            async def resolve(self, host):
                self.calls += 1
                return ["127.0.0.1"] if self.calls == 1 else ["10.9.9.9"]

        resolver = Rebinding()
        article = await fetch(self.settings(server.port), f"http://flip.test:{server.port}/article", resolver)
        assert article.title and resolver.calls == 1
        assert server.host_headers == [f"flip.test:{server.port}"]


class TestCaps:
    async def test_oversized_streamed_body(self, server):
        with pytest.raises(TooLarge) as info:
            await fetch(open_settings(server.port, max_bytes=100_000), server.url("/big"))
        assert info.value.bytes_decoded == 100_001
        assert info.value.bytes_read < 100_000 + 2 * CHUNK_BYTES

    async def test_oversized_declared_body_is_refused_before_reading(self, server):
        with pytest.raises(TooLarge) as info:
            await fetch(open_settings(server.port, max_bytes=100_000), server.url("/big-declared"))
        assert info.value.bytes_read == 0

    async def test_body_just_under_the_cap_is_read(self, server):
        with pytest.raises(NotAnArticle):  # read in full, then judged on its (filler) text
            await fetch(open_settings(server.port, max_bytes=100_000, min_article_chars=10**6),
                        server.url("/big?blocks=5"))

    @pytest.mark.parametrize("max_bytes", [100_000, 5_000_000])
    async def test_gzip_bomb_stops_early(self, server, max_bytes):
        with pytest.raises(TooLarge) as info:
            await fetch(open_settings(server.port, max_bytes=max_bytes), server.url("/bomb"))
        # inflated no further than the cap (memory bounded) ...
        assert info.value.bytes_decoded == max_bytes + 1
        # ... after reading a sliver of the ~800 MB bomb's compressed bytes
        assert info.value.bytes_read <= 2 * CHUNK_BYTES
        assert info.value.bytes_read < server.bomb_size / 20

    async def test_padding_after_the_last_gzip_member_ends_the_body(self, server):
        """Endless zeros after a complete article: read the article, not the zeros until the deadline."""
        settings = open_settings(server.port, timeout_seconds=5)
        padded = await fetch(settings, server.url("/gzip-padding"))
        plain = await fetch(settings, server.url("/article"))
        assert padded.text == plain.text and padded.title == plain.title

    async def test_compressed_stream_that_inflates_to_nothing_is_capped_on_the_wire(self, server):
        with pytest.raises(TooLarge) as info:
            await fetch(open_settings(server.port, max_bytes=100_000, timeout_seconds=5),
                        server.url("/gzip-empty-members"))
        assert info.value.bytes_decoded == 0
        assert info.value.bytes_read <= wire_limit(100_000) + CHUNK_BYTES

    @pytest.mark.parametrize("path", ["/slow-body", "/slow-headers"])
    async def test_slow_server_hits_the_total_deadline(self, server, path):
        with pytest.raises(FetchTimeout) as info:
            await fetch(open_settings(server.port, timeout_seconds=0.3), server.url(path))
        assert "0.3 s" in info.value.user_message


class TestRefusals:
    @pytest.mark.parametrize("path", ["/json", "/pdf", "/no-type", "/brotli"])
    async def test_wrong_content_type_or_encoding(self, server, path):
        with pytest.raises(UnsupportedType):
            await fetch(open_settings(server.port), server.url(path))

    @pytest.mark.parametrize(("header", "shown"), [
        ("application/PDF; charset=binary", " (application/pdf)"),
        ("[Verify](https://evil.example/login)", ""),
        ("text/x-" + "a" * 200, ""),
        ("image/png**bold**", ""),
        ("evil.example/login", ""),
        ("", " (no type)"),
    ])
    async def test_only_a_clean_media_type_is_shown(self, server, header, shown):
        with pytest.raises(UnsupportedType) as info:
            await fetch(open_settings(server.port), server.url("/typed?type=" + quote(header, safe="")))
        assert info.value.user_message == f"That link is not a web page{shown}, so Byline can't read it."

    @pytest.mark.parametrize(("header", "shown"), [
        ("br", " (br)"),
        (" X-Compress ", " (x-compress)"),
        ("zstd", " (zstd)"),
        ("[Verify](https://evil.example/login)", ""),
        ("x) **Byline verified this** <@&123456789012345678> @everyone (", ""),
        ("gzip, br", ""),
        ("a" * 33, ""),
        ("-br", ""),
    ])
    def test_only_a_clean_coding_name_is_shown(self, header, shown):
        """A refusal can be posted in public, and a Content-Encoding header is the site's own text."""
        with pytest.raises(UnsupportedType) as info:
            make_inflater(header)
        assert info.value.user_message == f"That page uses a compression Byline doesn't read{shown}."

    @pytest.mark.parametrize(("path", "transient"), [
        ("/status/500", True), ("/status/503", True), ("/status/429", True), ("/slow-headers", True),
        ("/status/404", False), ("/status/403", False), ("/status/418", False), ("/paywall", False), ("/pdf", False),
        ("/brotli", False), ("/big", False), ("/chain/9", False),
    ])
    async def test_a_sites_passing_trouble_is_transient_and_a_refusal_is_not(self, server, path, transient):
        """Transient errors are worth asking again later (another 📰); a refusal would only be refused again."""
        settings = open_settings(server.port, timeout_seconds=0.3, max_bytes=100_000, max_redirects=3)
        with pytest.raises(FetchError) as info:
            await fetch(settings, server.url(path))
        assert info.value.transient is transient

    async def test_a_site_that_cannot_be_reached_is_transient(self):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        with pytest.raises(FetchError) as info:
            await fetch(open_settings(port), f"http://127.0.0.1:{port}/")
        assert info.value.transient is True

    @pytest.mark.parametrize(("code", "words"), [
        (404, "doesn't exist"), (410, "doesn't exist"), (500, "error of its own"), (503, "error of its own"),
        (403, "refused"), (429, "limiting"), (418, "HTTP 418"),
    ])
    async def test_http_errors(self, server, code, words):
        with pytest.raises(HTTPStatusError) as info:
            await fetch(open_settings(server.port), server.url(f"/status/{code}"))
        assert info.value.status == code
        assert words in info.value.user_message

    async def test_guard_on_refuses_the_local_server(self, server):
        with pytest.raises(BlockedAddress) as info:
            await fetch(FetchSettings(allowed_ports=(server.port,)), server.url("/article"))
        assert info.value.reason == "loopback"
        assert sum(server.hits.values()) == 0

    async def test_closed_port_is_a_readable_error(self):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        with pytest.raises(FetchError, match="couldn't connect"):
            await fetch(open_settings(port), f"http://127.0.0.1:{port}/")

    async def test_a_failed_fetch_of_a_signed_link_logs_no_query_value(self, caplog):
        """aiohttp's error quotes the whole URL too (a bad status line here): the log gets neither query."""
        async def not_http(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await reader.readuntil(b"\r\n\r\n")
            writer.write(b"NOT HTTP AT ALL\r\n\r\n")
            await writer.drain()
            writer.close()

        site = await asyncio.start_server(not_http, "127.0.0.1", 0)
        port = site.sockets[0].getsockname()[1]
        try:
            with caplog.at_level(logging.DEBUG, logger="bot.fetcher"), pytest.raises(FetchError):
                await fetch(open_settings(port), f"http://127.0.0.1:{port}/doc.html?X-Amz-Signature={SIGNATURE}")
        finally:
            site.close()
            await site.wait_closed()
        assert f"fetch of http://127.0.0.1:{port}/doc.html?…" in caplog.text and "status=400" in caplog.text
        assert SIGNATURE not in caplog.text

    async def test_unknown_name(self, server):
        with pytest.raises(FetchError, match="no such host"):
            await fetch(open_settings(server.port), f"http://missing.test:{server.port}/", StaticResolver({}))


class TestSession:
    async def test_one_shared_session_for_concurrent_fetches_and_a_cache(self, server):
        client = Fetcher(open_settings(server.port))
        try:
            await client.start()
            session = client._session
            paths = ["/article", "/plain", "/cp1252", "/gzip-article"]
            articles = await asyncio.gather(*(client.fetch(server.url(p)) for p in paths))
            assert [a.final_url for a in articles] == [server.url(p) for p in paths]
            again = await client.fetch(server.url("/article?utm_medium=social&fbclid=abc#top"))
            assert again is articles[0]
            assert client._session is session and server.hits["/article"] == 1
        finally:
            await client.close()

    async def test_links_that_differ_in_a_non_tracking_parameter_are_fetched_apart(self, server):
        client = Fetcher(open_settings(server.port))
        try:
            first = await client.fetch(server.url("/article?gameId=1"))
            second = await client.fetch(server.url("/article?gameId=2"))
        finally:
            await client.close()
        assert server.hits["/article"] == 2
        assert (first.url, second.url) == (server.url("/article?gameId=1"), server.url("/article?gameId=2"))

    async def test_concurrent_requests_for_one_link_share_a_download(self, server):
        client = Fetcher(open_settings(server.port))
        try:
            urls = [server.url("/article"), server.url("/article?utm_source=a"), server.url("/article#x")]
            articles = await asyncio.gather(*(client.fetch(u) for u in urls))
        finally:
            await client.close()
        assert server.hits["/article"] == 1
        assert articles[0] is articles[1] is articles[2]

    async def test_concurrent_failures_reach_every_caller(self, server):
        client = Fetcher(open_settings(server.port))
        try:
            results = await asyncio.gather(*(client.fetch(server.url("/status/500")) for _ in range(3)),
                                           return_exceptions=True)
        finally:
            await client.close()
        assert all(isinstance(r, HTTPStatusError) and r.status == 500 for r in results)
        assert server.hits["/status/500"] == 1

    async def test_cache_never_bypasses_the_guard(self, server):
        client = Fetcher(open_settings(server.port))
        try:
            await client.fetch(server.url("/article"))
            with pytest.raises(BadURL) as info:
                await client.fetch(f"http://reader@127.0.0.1:{server.port}/article")
            assert info.value.reason == "userinfo"
        finally:
            await client.close()

    async def test_cache_off_fetches_again(self, server):
        client = Fetcher(open_settings(server.port, cache_ttl_seconds=0))
        try:
            await client.fetch(server.url("/article"))
            await client.fetch(server.url("/article"))
        finally:
            await client.close()
        assert server.hits["/article"] == 2

    async def test_system_resolver_path_pins_what_it_resolved(self, server):
        """``localhost`` through the real resolver (from /etc/hosts, no network), private addresses opted in."""
        article = await fetch(open_settings(server.port, user_agent="BylineTest/1"),
                              f"http://localhost:{server.port}/article")
        assert article.author == "Marta Okonkwo"
        assert server.host_headers == [f"localhost:{server.port}"]
        assert server.user_agents == ["BylineTest/1"]

    async def test_sync_wrapper(self, server):
        article = await asyncio.to_thread(fetch_article_sync, server.url("/article"), open_settings(server.port))
        assert article.author == "Marta Okonkwo"


class TestCharsetDetection:
    def test_undeclared_legacy_bytes_are_detected(self):
        text = ("Le café du port a rouvert samedi. « C’était long », a déclaré la propriétaire. "
                "Les crêpes coûtent 3,50 € et la terrasse est très appréciée des pêcheurs. ") * 4
        assert decode_body(text.encode("cp1252"), None) == text

    @pytest.mark.parametrize(("codec", "text"), [
        ("shift_jis", "港湾委員会は月曜日、島へのフェリーに早朝便を二便追加することを決めた。" * 4),
        ("cp1251", "Городской совет в понедельник одобрил новое расписание паромов. " * 4),
        ("cp1250", "Rada miasta zatwierdziła w poniedziałek nowy rozkład promów. Mieszkańcy są zadowoleni. " * 3),
        ("iso8859_7", "Το δημοτικό συμβούλιο ενέκρινε τη Δευτέρα το νέο δρομολόγιο. " * 4),
    ])
    def test_undeclared_non_western_bytes_are_detected(self, codec, text):
        assert decode_body(text.encode(codec), None) == text

    def test_bom_beats_a_wrong_header(self):
        assert decode_body("\ufeffnaïve".encode("utf-8"), "iso-8859-2") == "naïve"

    def test_latin1_label_means_windows_1252(self):
        assert decode_body("“quoted” €5".encode("cp1252"), "iso-8859-1") == "“quoted” €5"

    @pytest.mark.parametrize("label", ["base64", "rot13", "hex", "zlib", "bz2", "uu", "quopri", "idna", "punycode",
                                       "unicode_escape"])
    def test_a_transform_named_as_charset_is_ignored_not_a_crash(self, label):
        body = "<p>Café owners said the pier was closed.</p>".encode()
        assert "Café owners" in decode_body(body, label)
        meta = f"<meta charset={label}>".encode() + body
        assert "Café owners" in decode_body(meta, None)

    def test_unknown_header_charset_falls_back_to_meta(self):
        body = '<meta charset="windows-1252"><p>café</p>'.encode("cp1252")
        assert "café" in decode_body(body, "no-such-charset")


class TestUrlHelpers:
    @pytest.mark.parametrize(("raw", "normal"), [
        ("https://News.Example.com:443/a?utm_source=x&utm_campaign=y&id=3#frag", "https://news.example.com/a?id=3"),
        ("http://example.com", "http://example.com/"),
        ("https://example.com/p?fbclid=1&gclid=2", "https://example.com/p"),
        ("https://example.com/p?b=2&a=1", "https://example.com/p?a=1&b=2"),
    ])
    def test_normalize(self, raw, normal):
        assert normalize_url(raw) == normal

    @pytest.mark.parametrize(("raw", "reason"), [
        ("", "scheme"), ("not a url", "scheme"), ("ftp://example.com/", "scheme"), ("javascript:alert(1)", "scheme"),
        ("http://", "host"), ("http:///path", "host"), ("http://[::1/", "syntax"),
    ])
    def test_normalize_refuses_junk(self, raw, reason):
        with pytest.raises(BadURL) as info:
            normalize_url(raw)
        assert info.value.reason == reason

    def test_find_urls(self):
        message = (
            "read <https://a.example/story?utm_source=x> and https://a.example/story, "
            "see [the wiki](https://en.wikipedia.org/wiki/Ferry_(boat)) or `https://code.example/x`\n"
            "```\nhttps://block.example/\n```\n(also https://b.example/p!) ||https://c.example/s||"
        )
        assert find_urls(message) == [
            "https://a.example/story?utm_source=x",
            "https://en.wikipedia.org/wiki/Ferry_(boat)",
            "https://b.example/p!",  # Discord keeps a final "!" in the link, so Byline does too
            "https://c.example/s",
        ]

    @pytest.mark.parametrize(("raw", "shown"), [
        ("https://s3.example/b/a.html?X-Amz-Signature=abc", "https://s3.example/b/a.html?…"),
        ("http://u:pw@news.example:8080/p#frag", "http://news.example:8080/p"),
        ("https://news.example/", "https://news.example/"),
    ])
    def test_loggable_url_keeps_scheme_host_and_path_only(self, raw, shown):
        logged = loggable_url(raw)
        assert logged.startswith(shown) and len(logged) == len(shown) + (8 if "?" in shown else 0)

    def test_loggable_url_still_tells_two_queries_apart(self):
        assert loggable_url("https://a.example/p?t=1") != loggable_url("https://a.example/p?t=2")

    def test_find_urls_ignores_other_schemes(self):
        assert find_urls("ftp://x.example/ javascript:alert(1) mailto:a@b.example") == []


class TestInflater:
    @pytest.mark.parametrize("step", [1, 7, 4096])
    def test_zero_padding_after_the_last_gzip_member_is_ignored(self, step):
        body = gzip.compress(b"<p>The mayor said the pier was closed.</p>" * 20) + b"\0" * 512
        inflater, out = Inflater("gzip"), b""
        for i in range(0, len(body), step):
            out += inflater.feed(body[i : i + step], 10**6)
        assert out == b"<p>The mayor said the pier was closed.</p>" * 20

    @pytest.mark.parametrize("step", [1, 3, 4096])
    def test_concatenated_gzip_members_are_one_body_in_any_chunking(self, step):
        body = gzip.compress(b"first half, ") + gzip.compress(b"second half")
        inflater, out = Inflater("gzip"), b""
        for i in range(0, len(body), step):
            out += inflater.feed(body[i : i + step], 10**6)
        assert out == b"first half, second half"

    @pytest.mark.parametrize("split", [1, 2, 3])
    def test_raw_deflate_split_anywhere_in_its_first_bytes(self, split):
        """The bytes that fed the failed zlib attempt must reach the raw decoder too, however the chunks fall."""
        raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
        body = raw.compress(b"<p>The mayor said the pier was closed.</p>" * 20) + raw.flush()
        inflater = Inflater("deflate")
        out = inflater.feed(body[:split], 10**6) + inflater.feed(body[split:], 10**6)
        assert out == b"<p>The mayor said the pier was closed.</p>" * 20

    def test_garbage_instead_of_gzip_is_still_refused(self):
        with pytest.raises(UnsupportedType):
            Inflater("gzip").feed(b"this is not compressed at all", 10**6)


class TestExtractionCostAndCache:
    """Extraction is CPU work the bot hands to its workers; its cost and the cache's memory are bounded."""

    async def test_the_extractor_the_fetcher_was_given_does_the_extraction(self, server):
        from bot.extract import build_article

        calls = []

        async def extractor(page, url, min_chars):
            calls.append((page.url, url, min_chars))
            return build_article(page, url, min_chars)

        client = Fetcher(open_settings(server.port), extractor=extractor)
        try:
            article = await client.fetch(server.url("/article"))
        finally:
            await client.close()
        assert calls and calls[0][0] == server.url("/article") and article.text

    def test_the_bot_extracts_fetched_pages_in_its_workers(self, tmp_path):
        from bot.client import BylineBot
        from tests.botkit import bot_settings, thread_service

        settings = bot_settings(tmp_path)
        bot = BylineBot(settings, analyzer=thread_service(settings.analysis))
        assert bot.fetcher._extractor == bot.analyzer.extract_page

    def test_scripts_and_styles_are_dropped_and_markup_is_capped_before_extraction(self, monkeypatch):
        import trafilatura

        from bot import extract
        from bot.extract import Page, build_article

        # The cap at a tenth of its size, and the page with it: the script alone is still 2.5 caps long and the
        # filler nearly 2, and trafilatura reads 40,000 characters of inline tags instead of 400,000 (1.5 s).
        cap = 40_000
        monkeypatch.setattr(extract, "MAX_EXTRACT_CHARS", cap)
        handed: list[int] = []
        real_extraction = trafilatura.bare_extraction
        monkeypatch.setattr(trafilatura, "bare_extraction",
                            lambda html, **kw: handed.append(len(html)) or real_extraction(html, **kw))
        story = "".join(f"<p>Paragraph {n}: the council said the bridge would cost more than planned, officials "
                        f"said on day {n}.</p>" for n in range(20))
        body = ("<html><head><title>Bridge</title><script>" + "var x = 1;" * (cap // 4) + "</script><style>"
                + "p{}" * (cap // 8) + "</style></head><body><article>" + story + "</article>"
                + "<div>" + "<span>filler</span>" * (cap // 10) + "</div></body></html>")
        article = build_article(Page("https://x.example/a", body.encode(), "html", "utf-8"), "https://x.example/a", 200)
        assert "the bridge would cost more" in article.text
        assert "var x" not in article.text
        assert handed == [cap]  # the markup left after the script and style was cut to the cap

    def test_the_cache_keeps_within_its_size_budget_and_skips_what_is_too_long(self, monkeypatch):
        monkeypatch.setattr(fetcher_module, "CACHE_MAX_CHARS", 1000)
        client = Fetcher(FetchSettings())

        def article(n: int, chars: int) -> Article:
            return Article(url=f"https://x.example/{n}", final_url=f"https://x.example/{n}", canonical_url=None,
                           title=None, author=None, date=None, site=None, text="x" * chars)

        for n in range(5):
            client._remember(f"k{n}", article(n, 300))
        assert client._cached_chars <= 1000 and list(client._cache) == ["k2", "k3", "k4"]
        client._remember("huge", article(9, fetcher_module.CACHE_MAX_ARTICLE_CHARS + 1))
        assert "huge" not in client._cache
