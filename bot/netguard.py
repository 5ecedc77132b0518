"""The SSRF guard: which links Byline may fetch, and which addresses it may connect to.

Links are untrusted input and the bot runs inside people's networks, so every link is checked twice:
statically (scheme, userinfo, host syntax, numeric hosts in any legacy form, port) and after our own DNS
lookup (every returned address must be public). The fetcher then connects only to the addresses checked
here, through :class:`PinnedResolver`, so a DNS answer that changes between check and connect (rebinding)
cannot reach anything new.
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import logging
import re
import socket
import threading
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Protocol
from urllib.parse import urlsplit

from aiohttp.abc import AbstractResolver, ResolveResult
from yarl import URL

from bot.config import FetchSettings
from bot.errors import BadURL, BlockedAddress, FetchError

log = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
MAX_URL_CHARS = 2048
DNS_THREADS = 4  # lookups for links run on these threads only (see ``SystemResolver``)
DNS_THREAD_PREFIX = "byline-dns"

# Cloud metadata endpoints: never fetched, even when private addresses are allowed (AWS, GCP, Azure, Oracle,
# Alibaba, Scaleway and Tencent, as public SSRF blocklists list them). Azure's WireServer sits in a public range.
METADATA_ADDRESSES = frozenset(ipaddress.ip_address(a) for a in (
    "169.254.169.254", "169.254.169.253", "169.254.170.2", "169.254.170.23", "100.100.100.200",
    "192.0.0.192", "169.254.42.42", "169.254.0.23", "168.63.129.16",
    "fd20:ce::254", "fd00:c1::a9fe:a9fe", "fd00:42::42",
))
METADATA_NETWORKS = (ipaddress.IPv6Network("fd00:ec2::/32"),)  # AWS's IPv6 instance services
METADATA_NAMES = frozenset({"metadata.google.internal", "metadata.goog", "metadata", "instance-data",
                            "instance-data.ec2.internal"})
# Suffixes that never name a public host (RFC 6761, RFC 6762, RFC 8375, ICANN's .internal).
LOCAL_SUFFIXES = ("localhost", "local", "internal", "home.arpa", "localdomain")

_V4 = ipaddress.IPv4Network
_CGNAT = _V4("100.64.0.0/10")
_THIS_NET = _V4("0.0.0.0/8")
_RFC1918 = (_V4("10.0.0.0/8"), _V4("172.16.0.0/12"), _V4("192.168.0.0/16"))
_NAT64 = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("64:ff9b:1::/48"))
_V4_COMPAT = ipaddress.IPv6Network("::/96")
_V4_TRANSLATED = ipaddress.IPv6Network("::ffff:0:0:0/96")
_SITE_LOCAL = ipaddress.IPv6Network("fec0::/10")
_ULA = ipaddress.IPv6Network("fc00::/7")
# IANA's special-purpose ranges that are not globally reachable, spelled out because ``is_global`` depends on the
# Python build (3.11.7 still counts most of 192.0.0.0/24 as global; fixed in 3.11.10, gh-113171).
_SPECIAL_V4 = tuple(_V4(n) for n in ("192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "198.18.0.0/15",
                                     "198.51.100.0/24", "203.0.113.0/24", "240.0.0.0/4"))
_GLOBAL_V4 = frozenset(ipaddress.IPv4Address(a) for a in ("192.0.0.9", "192.0.0.10"))  # anycast services
_SPECIAL_V6 = tuple(ipaddress.IPv6Network(n) for n in ("100::/64", "2001:2::/48", "2001:10::/28", "2001:db8::/32",
                                                       "3fff::/20", "5f00::/16"))

# Reasons ``allow_private_addresses`` lifts; ALWAYS_BLOCKED holds in every setup.
PRIVATE_REASONS = frozenset({"loopback", "private", "link-local", "cgnat", "local-name"})
ALWAYS_BLOCKED = frozenset({"metadata", "unspecified", "multicast"})

_LABEL = re.compile(r"^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$")
_NUMERIC_PART = re.compile(r"^(?:0[xX][0-9a-fA-F]*|[0-9]+)$")

_MESSAGES = {
    "metadata": "That link points to a cloud metadata service, which Byline never fetches.",
    "loopback": "That link points to this machine (a loopback address), which Byline does not fetch.",
    "local-name": "That link names a local host, not a public website, so Byline does not fetch it.",
    "unspecified": "That link points to an unspecified address (0.0.0.0 or ::), which Byline does not fetch.",
    "multicast": "That link points to a multicast address, which Byline does not fetch.",
    "reserved": "That link points to a reserved or non-public address, which Byline does not fetch.",
}


class Resolver(Protocol):
    """Turns a host name into addresses; injectable so tests never touch real DNS."""

    async def resolve(self, host: str) -> Sequence[str]:
        """Return every address the name resolves to (IPv4 and IPv6, as strings)."""
        ...


class SystemResolver:
    """The operating system's resolver, run on a few threads of its own.

    A fetch's deadline stops the wait for a lookup, not the blocking ``getaddrinfo`` call: a link on a name server
    that never answers holds its thread for the system resolver's whole timeout. On the loop's shared executor a
    handful of such links would stall every other lookup, discord.py's connections to Discord included; here they
    only queue behind each other, and a queued link's fetch runs out of time as any slow fetch does.
    """

    _pool: ThreadPoolExecutor | None = None
    _pool_lock = threading.Lock()

    async def resolve(self, host: str) -> Sequence[str]:
        """Return the unique addresses ``getaddrinfo`` gives for ``host``."""
        loop = asyncio.get_running_loop()
        lookup = functools.partial(socket.getaddrinfo, host, None, type=socket.SOCK_STREAM)
        try:
            infos = await loop.run_in_executor(self._executor(), lookup)
        except (socket.gaierror, UnicodeError):
            return []
        return list(dict.fromkeys(str(info[4][0]) for info in infos))

    @classmethod
    def _executor(cls) -> ThreadPoolExecutor:
        with cls._pool_lock:
            if cls._pool is None:
                cls._pool = ThreadPoolExecutor(max_workers=DNS_THREADS, thread_name_prefix=DNS_THREAD_PREFIX)
            return cls._pool


class StaticResolver:
    """A fixed name -> addresses table: for tests, and for pinning hosts in locked-down setups."""

    def __init__(self, table: Mapping[str, Sequence[str]]) -> None:
        self._table = {name.lower().rstrip("."): list(addrs) for name, addrs in table.items()}

    async def resolve(self, host: str) -> Sequence[str]:
        """Return the configured addresses, or nothing for an unknown name."""
        return list(self._table.get(host.lower().rstrip("."), []))


def blocked(reason: str, address: str = "") -> BlockedAddress:
    """Build the refusal for an address class, with a message a member can read."""
    message = _MESSAGES.get(reason)
    return BlockedAddress(message, reason=reason, address=address)


def parse_legacy_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """Parse a host as IPv4 the way browsers and ``inet_aton`` do (``2130706433``, ``0x7f.1``, ``0177.0.0.1``).

    Returns None for a host that is a name. A host whose last label is numeric but is not a valid address
    is junk, not a name, and raises BadURL (this is the WHATWG URL rule).
    """
    parts = host.split(".")
    if parts and parts[-1] == "" and len(parts) > 1:
        parts = parts[:-1]
    if not parts or not _NUMERIC_PART.match(parts[-1]):
        return None
    if len(parts) > 4 or not all(_NUMERIC_PART.match(p) for p in parts):
        raise BadURL("That link has a malformed numeric address.", reason="host")
    numbers = [_parse_ipv4_number(p) for p in parts]
    if any(n > 255 for n in numbers[:-1]) or numbers[-1] >= 256 ** (5 - len(numbers)):
        raise BadURL("That link has a malformed numeric address.", reason="host")
    value = numbers[-1]
    for index, number in enumerate(numbers[:-1]):
        value += number << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


def _parse_ipv4_number(part: str) -> int:
    if part[:2].lower() == "0x":
        return int(part[2:] or "0", 16)
    if len(part) > 1 and part.startswith("0"):
        try:
            return int(part[1:], 8)
        except ValueError:
            raise BadURL("That link has a malformed numeric address.", reason="host") from None
    return int(part)


def classify(ip: IPAddress) -> str | None:
    """Name the non-public class an address falls in, or None when it is a public unicast address."""
    if ip in METADATA_ADDRESSES or any(ip in net for net in METADATA_NETWORKS if ip.version == net.version):
        return "metadata"
    if isinstance(ip, ipaddress.IPv6Address):
        return _classify_v6(ip)
    return _classify_v4(ip)


def _classify_v4(ip: ipaddress.IPv4Address) -> str | None:
    checks: tuple[tuple[bool, str], ...] = (
        (ip in _THIS_NET, "unspecified"),
        (ip.is_loopback, "loopback"),
        (ip.is_link_local, "link-local"),
        (ip.is_multicast, "multicast"),
        (ip in _CGNAT, "cgnat"),
        (any(ip in net for net in _RFC1918), "private"),
        (ip not in _GLOBAL_V4 and any(ip in net for net in _SPECIAL_V4), "reserved"),
        (ip.is_reserved or not ip.is_global, "reserved"),
    )
    return next((reason for hit, reason in checks if hit), None)


def _classify_v6(ip: ipaddress.IPv6Address) -> str | None:
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_loopback:
        return "loopback"
    for inner in embedded_ipv4(ip):
        reason = classify(inner)
        if reason is not None:
            return reason
    checks: tuple[tuple[bool, str], ...] = (
        (ip.is_multicast, "multicast"),
        (ip.is_link_local, "link-local"),
        (ip in _SITE_LOCAL or ip in _ULA, "private"),
        (any(ip in net for net in _SPECIAL_V6), "reserved"),
        (ip.is_reserved or not ip.is_global, "reserved"),
    )
    return next((reason for hit, reason in checks if hit), None)


def embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """Every IPv4 address an IPv6 address carries (mapped, compatible, translated, NAT64, 6to4, Teredo, ISATAP).

    Such addresses can reach IPv4 hosts through the stack or a gateway, so the IPv4 inside is what counts.
    """
    low32 = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    found: list[ipaddress.IPv4Address] = []
    if ip.ipv4_mapped is not None:
        found.append(ip.ipv4_mapped)
    if ip in _V4_COMPAT or ip in _V4_TRANSLATED or any(ip in net for net in _NAT64):
        found.append(low32)
    if ip.sixtofour is not None:
        found.append(ip.sixtofour)
    if ip.teredo is not None:
        found.extend(ip.teredo)
    if (int(ip) >> 32) & 0xFDFFFFFF == 0x00005EFE:  # ISATAP interface id ::0:5efe:a.b.c.d / ::200:5efe:a.b.c.d
        found.append(low32)
    return found


def check_ip(address: str | IPAddress, settings: FetchSettings) -> None:
    """Raise BlockedAddress unless the address is public, or private and allowed by this setup's config.

    ``allow_private_addresses`` lifts the private classes only; ``allowed_networks`` lifts any class for the
    listed networks. Metadata, unspecified and multicast addresses are refused whatever the config says.
    """
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    reason = classify(ip)
    if isinstance(ip, ipaddress.IPv6Address) and ip.scope_id:
        # A zone id ("fe80::1%eth0") only makes sense on a local link, but it must not hide what the address is:
        # "::%1" is still unspecified and "fd00:ec2::254%eth0" still the metadata service.
        reason = classify(ipaddress.IPv6Address(str(ip).partition("%")[0])) or "link-local"
    if reason is None:
        return
    if reason not in ALWAYS_BLOCKED:
        if settings.allow_private_addresses and reason in PRIVATE_REASONS:
            return
        if any(ip in net for net in _networks(settings.allowed_networks)):
            return
    raise blocked(reason, str(ip))


@functools.lru_cache(maxsize=32)
def _networks(entries: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def check_name(host: str, settings: FetchSettings) -> None:
    """Refuse names that never denote a public site (``localhost.``, ``*.localhost``, metadata names).

    A setup that opens private addresses may use local names too: their addresses are still checked.
    """
    name = host.lower().rstrip(".")
    if name in METADATA_NAMES or name.endswith(".metadata.google.internal"):
        raise blocked("metadata", name)
    local = "." not in name or any(name == s or name.endswith("." + s) for s in LOCAL_SUFFIXES)
    if local and not (settings.allow_private_addresses or settings.allowed_networks):
        raise blocked("local-name", name)


def check_url(raw: str | URL, settings: FetchSettings) -> URL:
    """Check a link without any network access and return it in canonical form (numeric hosts rewritten).

    Raises BadURL for junk, wrong schemes, userinfo and ports outside ``fetch.allowed_ports``, and
    BlockedAddress for a literal address or name that is not public.
    """
    url = _parse(raw)
    host = url.raw_host or ""
    _check_host_syntax(host)
    literal = _literal_address(host)
    if literal is not None:
        check_ip(literal, settings)
        url = url.with_host(str(literal)) if isinstance(literal, ipaddress.IPv4Address) else url
    else:
        check_name(host, settings)
    if url.port not in settings.allowed_ports:
        raise BadURL(f"Byline only fetches links on the usual web ports, not port {url.port}.", reason="port")
    return url


def _parse(raw: str | URL) -> URL:
    try:
        text = str(raw).strip()
    except (ValueError, IndexError):  # a yarl URL joined from a redirect ("//[a:b]/") may not even print
        raise BadURL("That doesn't look like a web link.", reason="syntax") from None
    if not text or len(text) > MAX_URL_CHARS or any(ord(c) < 33 or c == "\x7f" for c in text):
        raise BadURL("That doesn't look like a web link.", reason="syntax")
    try:
        url = raw if isinstance(raw, URL) else URL(text)
        netloc = urlsplit(text).netloc
    except (ValueError, IndexError):  # yarl raises IndexError on some authorities: 'http://[::1]@/'
        raise BadURL("That doesn't look like a web link.", reason="syntax") from None
    if url.scheme not in ("http", "https"):
        raise BadURL("Byline only fetches http:// and https:// links.", reason="scheme")
    if url.user is not None or url.password is not None or "@" in netloc or "@" in (url.raw_authority or ""):
        raise BadURL("Links with a user name or password in them are not fetched.", reason="userinfo")
    return url


def _check_host_syntax(host: str) -> None:
    if not host:
        raise BadURL("That link has no host name.", reason="host")
    if ":" in host:  # IPv6 literal; ipaddress validates it below
        return
    name = host.lower()[:-1] if host.endswith(".") else host.lower()
    labels = name.split(".")
    if len(name) > 253 or not all(_LABEL.match(label) for label in labels):
        raise BadURL("That link has a malformed host name.", reason="host")


def _literal_address(host: str) -> IPAddress | None:
    if ":" in host:
        try:
            return ipaddress.IPv6Address(host)
        except ValueError:
            raise BadURL("That link has a malformed IPv6 address.", reason="host") from None
    return parse_legacy_ipv4(host)


async def resolve_checked(url: URL, settings: FetchSettings, resolver: Resolver) -> list[str]:
    """Resolve the link's host ourselves and return its addresses, all of them checked.

    One bad address is enough to refuse: a name that answers with a public and a private address could be
    steered to either by whoever controls its DNS.
    """
    host = url.raw_host or ""
    literal = _literal_address(host)
    if literal is not None:
        check_ip(literal, settings)
        return [str(literal)]
    addresses = list(dict.fromkeys(await resolver.resolve(host)))
    if not addresses:
        raise FetchError(f"Couldn't find the site {host.rstrip('.')} (no such host).")
    for address in addresses:
        try:
            check_ip(address, settings)
        except ValueError:
            raise FetchError(f"The name {host} resolved to something that is not an address.") from None
        except BlockedAddress:
            log.warning("refused %s: it resolves to %s", host, address)
            raise
    return addresses


class PinnedResolver(AbstractResolver):
    """aiohttp resolver that answers only with addresses the guard has checked for the current fetch.

    An unpinned host fails to resolve, so no code path can reach an address we did not check. TLS SNI and
    the Host header still use the name, because aiohttp keeps the URL's host for those.
    """

    def __init__(self) -> None:
        self._pins: dict[str, list[list[str]]] = {}

    @contextmanager
    def pin(self, host: str, addresses: Sequence[str]) -> Iterator[None]:
        """Make ``host`` resolve to ``addresses`` for the duration of one request."""
        entry = list(addresses)
        self._pins.setdefault(host, []).append(entry)
        try:
            yield
        finally:
            stack = self._pins[host]
            stack.remove(entry)
            if not stack:
                del self._pins[host]

    async def resolve(self, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        """Return the pinned addresses for ``host`` (the newest pin wins), or fail."""
        stack = self._pins.get(host)
        if not stack:
            raise OSError(f"{host} was not checked by the address guard")
        results: list[ResolveResult] = []
        for address in stack[-1]:
            is_v6 = ":" in address
            results.append(ResolveResult(
                hostname=host, host=address, port=port, proto=0,
                family=socket.AF_INET6 if is_v6 else socket.AF_INET,
                flags=socket.AI_NUMERICHOST | socket.AI_NUMERICSERV,
            ))
        return results

    async def close(self) -> None:
        """Nothing to release: the resolver holds no sockets."""
