"""The SSRF guard refuses hostile links for the right reason, and only those."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st
from yarl import URL

from bot.config import FetchSettings
from bot.errors import BadURL, BlockedAddress, FetchError
from bot.fetcher import Fetcher
from bot.netguard import (
    DNS_THREAD_PREFIX,
    DNS_THREADS,
    PinnedResolver,
    StaticResolver,
    SystemResolver,
    check_ip,
    check_url,
    classify,
    embedded_ipv4,
    parse_legacy_ipv4,
    resolve_checked,
)

GUARDED = FetchSettings()
OPEN = FetchSettings(allow_private_addresses=True)

# (url, error type, reason): each link must be refused, and for this reason, before any connection.
HOSTILE_STATIC = [
    # numeric hosts in every legacy form that still means 127.0.0.1
    ("http://2130706433/", BlockedAddress, "loopback"),
    ("http://0x7f.1/", BlockedAddress, "loopback"),
    ("http://0x7f000001/", BlockedAddress, "loopback"),
    ("http://0177.0.0.1/", BlockedAddress, "loopback"),
    ("http://017700000001/", BlockedAddress, "loopback"),
    ("http://127.1/", BlockedAddress, "loopback"),
    ("http://127.0.1/", BlockedAddress, "loopback"),
    ("http://127.0.0.1./", BlockedAddress, "loopback"),
    ("http://0/", BlockedAddress, "unspecified"),
    ("http://0.0.0.0/", BlockedAddress, "unspecified"),
    # IPv6, including every form that carries an IPv4 address inside
    ("http://[::1]/", BlockedAddress, "loopback"),
    ("http://[::]/", BlockedAddress, "unspecified"),
    ("http://[::ffff:127.0.0.1]/", BlockedAddress, "loopback"),
    ("http://[::ffff:7f00:1]/", BlockedAddress, "loopback"),
    ("http://[::ffff:10.0.0.1]/", BlockedAddress, "private"),
    ("http://[::127.0.0.1]/", BlockedAddress, "loopback"),
    ("http://[::ffff:0:169.254.169.254]/", BlockedAddress, "metadata"),
    ("http://[64:ff9b::10.0.0.1]/", BlockedAddress, "private"),
    ("http://[64:ff9b:1::7f00:1]/", BlockedAddress, "loopback"),
    ("http://[2002:a9fe:a9fe::]/", BlockedAddress, "metadata"),
    ("http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/", BlockedAddress, "loopback"),
    ("http://[fe80::5efe:192.168.0.1]/", BlockedAddress, "private"),
    ("http://[fe80::1]/", BlockedAddress, "link-local"),
    ("http://[fe80::1%25eth0]/", BlockedAddress, "link-local"),
    ("http://[fc00::1]/", BlockedAddress, "private"),
    ("http://[fd12:3456::1]/", BlockedAddress, "private"),
    ("http://[fec0::1]/", BlockedAddress, "private"),
    ("http://[ff02::1]/", BlockedAddress, "multicast"),
    ("http://[2001:db8::1]/", BlockedAddress, "reserved"),
    # private, CGNAT, link-local, multicast and reserved IPv4
    ("http://10.1.2.3/", BlockedAddress, "private"),
    ("http://172.16.0.1/", BlockedAddress, "private"),
    ("http://192.168.1.1/", BlockedAddress, "private"),
    ("http://100.64.0.1/", BlockedAddress, "cgnat"),
    ("http://100.127.255.254/", BlockedAddress, "cgnat"),
    ("http://169.254.1.1/", BlockedAddress, "link-local"),
    ("http://224.0.0.1/", BlockedAddress, "multicast"),
    ("http://240.0.0.1/", BlockedAddress, "reserved"),
    ("http://255.255.255.255/", BlockedAddress, "reserved"),
    ("http://192.0.2.10/", BlockedAddress, "reserved"),
    ("http://198.18.0.1/", BlockedAddress, "reserved"),
    # cloud metadata, by address and by name
    ("http://169.254.169.254/latest/meta-data/", BlockedAddress, "metadata"),
    ("http://0xa9fea9fe/", BlockedAddress, "metadata"),
    ("http://[fd00:ec2::254]/", BlockedAddress, "metadata"),
    ("http://100.100.100.200/", BlockedAddress, "metadata"),
    ("http://metadata.google.internal/computeMetadata/v1/", BlockedAddress, "metadata"),
    ("http://METADATA.google.internal./", BlockedAddress, "metadata"),
    # local names
    ("http://localhost/", BlockedAddress, "local-name"),
    ("http://localhost./", BlockedAddress, "local-name"),
    ("http://LocalHost/", BlockedAddress, "local-name"),
    ("http://api.localhost/", BlockedAddress, "local-name"),
    ("http://printer.local/", BlockedAddress, "local-name"),
    ("http://router.home.arpa/", BlockedAddress, "local-name"),
    ("http://intranet/", BlockedAddress, "local-name"),
    # userinfo, including forms meant to confuse parsers
    ("http://user:pass@example.com/", BadURL, "userinfo"),
    ("http://user@example.com/", BadURL, "userinfo"),
    ("http://@example.com/", BadURL, "userinfo"),
    ("http://example.com@127.0.0.1/", BadURL, "userinfo"),
    ("https://news.example:x@evil.example/", BadURL, "userinfo"),
    # schemes
    ("ftp://example.com/file", BadURL, "scheme"),
    ("file:///etc/passwd", BadURL, "scheme"),
    ("javascript:alert(1)", BadURL, "scheme"),
    ("data:text/html,<h1>hi</h1>", BadURL, "scheme"),
    ("gopher://example.com:70/", BadURL, "scheme"),
    ("ws://example.com/socket", BadURL, "scheme"),
    ("//example.com/no-scheme", BadURL, "scheme"),
    # odd ports
    ("http://example.com:22/", BadURL, "port"),
    ("http://example.com:6379/", BadURL, "port"),
    ("https://example.com:8443/", BadURL, "port"),
    ("http://example.com:0/", BadURL, "port"),
    # junk hosts
    ("http://1.2.3.4.5/", BadURL, "host"),
    ("http://256.1.1.1/", BadURL, "host"),
    ("http://08.0.0.1/", BadURL, "host"),
    ("http://exa_mple..com/", BadURL, "host"),
    ("http:///path-only", BadURL, "host"),
    ("http://exa mple.com/", BadURL, "syntax"),
    ("http://example.com:99999/", BadURL, "syntax"),
    ("http://127.0.0.1\\@example.com/", BadURL, "syntax"),
    # yarl itself fails on these with IndexError, not ValueError
    ("http://[::1]@/", BadURL, "syntax"),
    ("http://a]b[@", BadURL, "syntax"),
    ("", BadURL, "syntax"),
]


@pytest.mark.parametrize(("url", "error", "reason"), HOSTILE_STATIC)
def test_hostile_url_refused_for_the_right_reason(url, error, reason):
    with pytest.raises(error) as info:
        check_url(url, GUARDED)
    assert info.value.reason == reason
    assert info.value.user_message and "\n" not in info.value.user_message


def test_the_table_is_big_enough():
    assert len(HOSTILE_STATIC) >= 30


@pytest.mark.parametrize("url", [
    "http://example.com/", "https://news.example.org/a/b?id=3#x", "https://8.8.8.8/",
    "http://[2606:4700:4700::1111]/", "https://EXAMPLE.com:443/", "http://xn--r8jz45g.jp/", "http://例え.jp/",
])
def test_public_links_pass_the_static_check(url):
    assert check_url(url, GUARDED).scheme in ("http", "https")


def test_numeric_hosts_are_rewritten_to_the_checked_dotted_form():
    url = check_url("http://134744072/path?q=1", GUARDED)  # 8.8.8.8 in decimal
    assert url.host == "8.8.8.8"
    assert url.path == "/path" and url.query_string == "q=1"
    assert check_url("http://0x08.0x08.0x08.0x08/", GUARDED).host == "8.8.8.8"


def test_literal_address_is_refused_before_the_port_so_the_message_names_the_real_problem():
    with pytest.raises(BlockedAddress) as info:
        check_url("http://127.0.0.1:8080/", GUARDED)
    assert info.value.reason == "loopback"


class TestPrivateOptIn:
    """``allow_private_addresses`` opens the private classes, never metadata, multicast or unspecified."""

    @pytest.mark.parametrize("url", ["http://127.0.0.1/", "http://10.0.0.1/", "http://[::1]/",
                                     "http://localhost./", "http://100.64.1.1/", "http://[fd12::1]/"])
    def test_private_classes_open(self, url):
        assert check_url(url, OPEN)

    @pytest.mark.parametrize(("url", "reason"), [
        ("http://169.254.169.254/", "metadata"), ("http://[fd00:ec2::254]/", "metadata"),
        ("http://metadata.google.internal/", "metadata"), ("http://0.0.0.0/", "unspecified"),
        ("http://224.0.0.251/", "multicast"), ("http://[::ffff:169.254.169.254]/", "metadata"),
        # a zone id must not turn these into "link-local", which the opt-in opens
        ("http://[::%251]/", "unspecified"), ("http://[fd00:ec2::254%25eth0]/", "metadata"),
        ("http://[::ffff:169.254.169.254%25eth0]/", "metadata"), ("http://[ff02::1%251]/", "multicast"),
    ])
    def test_always_blocked(self, url, reason):
        with pytest.raises(BlockedAddress) as info:
            check_url(url, OPEN)
        assert info.value.reason == reason

    def test_ports_still_apply(self):
        with pytest.raises(BadURL) as info:
            check_url("http://127.0.0.1:6379/", OPEN)
        assert info.value.reason == "port"

    def test_allowed_networks_open_only_the_listed_range(self):
        settings = FetchSettings(allowed_networks=("10.1.2.0/24",))
        assert check_url("http://10.1.2.3/", settings)
        with pytest.raises(BlockedAddress):
            check_url("http://10.1.3.1/", settings)
        metadata_too = FetchSettings(allowed_networks=("169.254.0.0/16",))
        assert check_url("http://169.254.1.1/", metadata_too)
        with pytest.raises(BlockedAddress) as info:
            check_url("http://169.254.169.254/", metadata_too)
        assert info.value.reason == "metadata"


# Names resolved through an injected resolver: the guard must check every address it gets back.
RESOLVER = StaticResolver({
    "evil.example": ["127.0.0.1"],
    "rfc1918.example": ["192.168.10.20"],
    "mixed.example": ["93.184.216.34", "10.0.0.7"],
    "mixed6.example": ["2606:4700::1111", "fe80::1"],
    "mapped.example": ["::ffff:127.0.0.1"],
    "nat64.example": ["64:ff9b::a9fe:a9fe"],
    "cgnat.example": ["100.64.3.4"],
    "zero.example": ["0.0.0.0"],
    "meta.example": ["169.254.169.254"],
    "ula.example": ["fd00:ec2::254"],
    "public.example": ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"],
})


@pytest.mark.parametrize(("host", "reason"), [
    ("evil.example", "loopback"), ("rfc1918.example", "private"), ("mixed.example", "private"),
    ("mixed6.example", "link-local"), ("mapped.example", "loopback"), ("nat64.example", "metadata"),
    ("cgnat.example", "cgnat"), ("zero.example", "unspecified"), ("meta.example", "metadata"),
    ("ula.example", "metadata"),
])
async def test_names_resolving_to_non_public_addresses_are_refused(host, reason):
    url = check_url(f"http://{host}/story", GUARDED)
    with pytest.raises(BlockedAddress) as info:
        await resolve_checked(url, GUARDED, RESOLVER)
    assert info.value.reason == reason


async def test_public_name_returns_all_its_checked_addresses():
    url = check_url("https://public.example/", GUARDED)
    assert await resolve_checked(url, GUARDED, RESOLVER) == ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"]


async def test_unknown_name_is_a_plain_fetch_error():
    url = check_url("https://nowhere.example/", GUARDED)
    with pytest.raises(FetchError, match=r"nowhere\.example") as info:
        await resolve_checked(url, GUARDED, RESOLVER)
    assert not isinstance(info.value, BlockedAddress)


async def test_fetcher_refuses_before_connecting_when_a_name_resolves_privately():
    fetcher = Fetcher(GUARDED, resolver=RESOLVER)
    try:
        with pytest.raises(BlockedAddress) as info:
            await fetcher.fetch("http://mixed.example/news")
        assert info.value.reason == "private" and info.value.address == "10.0.0.7"
    finally:
        await fetcher.close()


async def test_pinned_resolver_answers_only_for_pinned_hosts():
    pinned = PinnedResolver()
    with pytest.raises(OSError, match="not checked"):
        await pinned.resolve("news.example", 443)
    with pinned.pin("news.example", ["93.184.216.34", "2606:4700::1111"]):
        results = await pinned.resolve("news.example", 443)
        assert [(r["host"], r["port"], r["family"]) for r in results] == [
            ("93.184.216.34", 443, socket.AF_INET), ("2606:4700::1111", 443, socket.AF_INET6)]
        assert all(r["hostname"] == "news.example" for r in results)
    with pytest.raises(OSError):
        await pinned.resolve("news.example", 443)


class TestLegacyIPv4:
    @pytest.mark.parametrize(("host", "expected"), [
        ("2130706433", "127.0.0.1"), ("0x7f.1", "127.0.0.1"), ("0177.0.0.01", "127.0.0.1"),
        ("127.1", "127.0.0.1"), ("10.0x10.1", "10.16.0.1"), ("192.168.257", "192.168.1.1"),
        ("0x", "0.0.0.0"), ("1.2.3.4", "1.2.3.4"), ("1.2.3.4.", "1.2.3.4"),
    ])
    def test_parses_like_a_browser(self, host, expected):
        assert parse_legacy_ipv4(host) == ipaddress.IPv4Address(expected)

    @pytest.mark.parametrize("host", ["example.com", "1.2.3.com", "0x7f.example", "a1"])
    def test_names_are_not_addresses(self, host):
        assert parse_legacy_ipv4(host) is None

    @pytest.mark.parametrize("host", ["4294967296", "1.2.3.256", "1.2.65536", "09", "1.2.3.4.5", "1.x.3.4"])
    def test_numeric_junk_is_bad(self, host):
        with pytest.raises(BadURL):
            parse_legacy_ipv4(host)

    @given(st.integers(min_value=0, max_value=2**32 - 1))
    def test_decimal_hex_and_octal_agree(self, value):
        ip = ipaddress.IPv4Address(value)
        assert parse_legacy_ipv4(str(value)) == ip
        assert parse_legacy_ipv4(hex(value)) == ip
        assert parse_legacy_ipv4("0" + oct(value)[2:]) == ip
        first, *rest = str(ip).split(".")
        assert parse_legacy_ipv4(f"{first}.{int.from_bytes(bytes(map(int, rest)), 'big')}") == ip


@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_mapped_and_nat64_forms_never_weaken_the_ipv4_verdict(value):
    v4 = ipaddress.IPv4Address(value)
    verdict = classify(v4)
    for v6 in (f"::ffff:{v4}", f"64:ff9b::{v4}"):
        wrapped = classify(ipaddress.IPv6Address(v6))
        if verdict is not None:
            assert wrapped == verdict
        assert v4 in embedded_ipv4(ipaddress.IPv6Address(v6))


def test_teredo_and_6to4_expose_their_ipv4():
    found = embedded_ipv4(ipaddress.IPv6Address("2001:0:4136:e378:8000:63bf:3fff:fdd2"))
    assert ipaddress.IPv4Address("192.0.2.45") in found
    assert embedded_ipv4(ipaddress.IPv6Address("2002:c000:22a::1")) == [ipaddress.IPv4Address("192.0.2.42")]


def test_check_ip_accepts_public_addresses():
    for address in ("93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"):
        assert check_ip(address, GUARDED) is None  # no BlockedAddress raised
        assert classify(ipaddress.ip_address(address)) is None
    # Control: the same call does refuse a neighbouring private address, so passing above means something.
    with pytest.raises(BlockedAddress):
        check_ip("10.0.0.1", GUARDED)


# --- special-purpose ranges and metadata services named outright (not left to the Python build's tables) ------------

@pytest.mark.parametrize("address", ["192.0.0.8", "192.0.0.100", "192.0.0.255", "192.0.2.7", "198.51.100.1",
                                     "203.0.113.9", "2001:db8::1", "100::1", "2002:c000:c0::"])
def test_special_purpose_ranges_are_refused_by_default(address):
    """192.0.0.0/24 was "global" to CPython 3.11.7; 2002:c000:c0:: is 6to4 around 192.0.0.192."""
    with pytest.raises(BlockedAddress):
        check_ip(address, GUARDED)


def test_the_anycast_services_inside_the_protocol_block_stay_public():
    check_ip("192.0.0.9", GUARDED)
    check_ip("192.0.0.10", GUARDED)


@pytest.mark.parametrize("address", ["192.0.0.192", "fd20:ce::254", "fd00:c1::a9fe:a9fe", "fd00:42::42",
                                     "169.254.42.42", "169.254.0.23", "fd00:ec2::1", "168.63.129.16"])
def test_every_known_metadata_service_stays_blocked_whatever_the_config(address):
    for settings in (GUARDED, OPEN, FetchSettings(allowed_networks=("fd00::/8", "169.254.0.0/16"))):
        with pytest.raises(BlockedAddress) as info:
            check_ip(address, settings)
        assert info.value.reason == "metadata"


async def test_a_name_resolving_to_a_metadata_service_is_refused_with_the_private_opt_in():
    resolver = StaticResolver({"intranet.example": ["10.0.0.5", "fd20:ce::254"]})
    with pytest.raises(BlockedAddress):
        await resolve_checked(URL("http://intranet.example/computeMetadata/v1/"), OPEN, resolver)


# --- the system resolver keeps its blocking lookups off the loop's shared executor ----------------------------------

async def test_link_lookups_run_on_their_own_threads(monkeypatch):
    seen: list[str] = []

    def fake_getaddrinfo(host, port, *args, **kwargs):
        seen.append(threading.current_thread().name)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", 0))]

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    assert await SystemResolver().resolve("news.example") == ["93.184.216.34"]
    assert seen and seen[0].startswith(DNS_THREAD_PREFIX)


async def test_stuck_link_lookups_leave_the_loops_executor_free(monkeypatch):
    """Every DNS thread held by a name server that never answers: other work on the loop's executor (discord.py's
    own lookups) still runs."""
    release = threading.Event()
    entered = threading.Semaphore(0)

    def black_hole(host, port, *args, **kwargs):
        entered.release()
        release.wait(30)
        raise socket.gaierror(socket.EAI_AGAIN, "no answer")

    monkeypatch.setattr(socket, "getaddrinfo", black_hole)
    loop = asyncio.get_running_loop()
    stuck = [asyncio.ensure_future(SystemResolver().resolve(f"n{i}.slow.example")) for i in range(DNS_THREADS + 2)]
    try:
        for _ in range(DNS_THREADS):
            assert await asyncio.to_thread(entered.acquire, True, 10)
        assert await loop.run_in_executor(None, lambda: "free") == "free"
    finally:
        release.set()
    assert await asyncio.gather(*stuck) == [[]] * len(stuck)
