"""Link helpers: the normal form used as a cache and dedup key, finding links in a chat message, telling
which of them could be articles (one filter shared by the auto-reply, 📰 and the message menu), and a form fit for
the log (no query: it can hold a signature or a share token)."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import quote_from_bytes, unquote_to_bytes, urlsplit, urlunsplit

import courlan

from bot.errors import BadURL

# A link runs until whitespace or a character that cannot appear unescaped in a URL a person pastes. An apostrophe
# can (Discord links "/wiki/Ender's_Game" whole), so it only counts as punctuation at the end.
_LINK = re.compile(r"<?(https?://[^\s<>\"`|\\]+)>?", re.IGNORECASE)
_CODE = re.compile(r"```.*?```|``[^\n]+?``|`[^`\n]*`", re.DOTALL)  # a block, ``double`` or `single` inline
# Discord's spoiler: the shortest run between two "||", across lines too.
SPOILER = re.compile(r"\|\|.+?\|\|", re.DOTALL)
# What Discord leaves out of the end of a link (a sentence's punctuation and quote marks) and the markdown
# emphasis it consumes. "!" and "?" are not here: Discord keeps them ("/wiki/Yahoo!"), so Byline does too.
_TRAILING = ".,;:*_~'\""
_PAIRS = {")": "(", "]": "[", "}": "{"}
# Chat, GIF and video sites: never news articles, so their links (any subdomain: m.youtube.com, canary.discord.com)
# are passed over without a request.
SKIP_DOMAINS = frozenset({
    "discord.com", "discordapp.com", "discordapp.net", "discord.gg", "tenor.com", "giphy.com", "youtube.com",
    "youtube-nocookie.com", "youtu.be", "twitch.tv",
})
# Query parameters that only say how a reader arrived (campaign tags, share buttons and ad-click ids), never which
# article: a parameter is dropped only when its whole name, decoded and lower-cased, matches. Anything else (id,
# gameId, ref, a bare "?123") may pick the page, so it stays: two articles must never share a key.
_TRACKING_PARAM = re.compile(
    r"utm_[a-z0-9_]+"                                         # Google Analytics campaign tags
    r"|(?:pk|mtm)_(?:campaign|cid|content|group|keyword|kwd|medium|placement|source)"  # Matomo campaign tags
    r"|fbclid|gclid|gclsrc|dclid|gbraid|wbraid|msclkid|yclid|twclid|ttclid|li_fat_id|igshid"  # ad-click ids
    r"|gad_source|gad_campaignid"                             # Google Ads click
    r"|mc_cid|mc_eid"                                         # Mailchimp
    r"|_ga|_gl|_hsenc|_hsmi|__hstc|__hssc|__hsfp|mkt_tok"     # Google linker, HubSpot, Marketo
    r"|oly_anon_id|oly_enc_id|vero_conv|vero_id|_openstat"    # Omeda, Vero, Openstat
    r"|xtor|at_(?:campaign|creation|custom\d+|detail_placement|emailtype|format|general_placement|link|medium"
    r"|platform|recipient_id|recipient_list|send_date|source|term|type|variant)"  # AT Internet (BBC, Le Monde)
    r"|ns_(?:campaign|fee|linkname|mchannel|source)"          # comScore (BBC share links)
    r"|s_cid|s_kwcid"                                         # Adobe Analytics campaign ids
    r"|referringsource|smid|smtyp"                            # New York Times share buttons
    r"|ref_src|ref_url|__twitter_impression"                  # X/Twitter embeds and cards
)
# Characters left as they are in a canonical query name or value, besides letters, digits and "-._~": none of them
# separates parameters or names from values. "&", "+", "#" and "%" are always escaped, and a ";" or "=" is kept
# exactly as written (raw or escaped), since some servers split parameters on a raw ";".
_QUERY_SAFE = "!$'()*,/:@?"
_RAW_DELIMITERS = re.compile(r"([;=])")
# Any link in a line of text meant for the log, up to a quote, bracket or space (as a repr quotes it).
_ANY_LINK = re.compile(r"https?://[^\s'\"<>]+", re.IGNORECASE)


def normalize_url(url: str) -> str:
    """Return the link's normal form: lower-case host, no default port, no fragment, no tracking parameters, and
    the query in one spelling.

    Two pastes of the same article (one from a newsletter with ``utm_*``, one from a share button with
    ``fbclid``) then share one cache entry, while links to two articles never do (see ``_clean_query``).
    Raises BadURL for anything that is not an http(s) link.
    """
    text = url.strip() if isinstance(url, str) else ""
    try:
        parts = urlsplit(text)
    except ValueError:
        raise BadURL("That doesn't look like a web link.", reason="syntax") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise BadURL("Byline only fetches http:// and https:// links.", reason="scheme")
    if not parts.hostname:
        raise BadURL("That link has no host name.", reason="host")
    try:
        # courlan handles host, port and path; its query cleaning drops parameters that pick the article
        normal = courlan.normalize_url(urlunsplit(parts._replace(query="", fragment="")), strict=False)
    except (ValueError, AttributeError):
        raise BadURL("That doesn't look like a web link.", reason="syntax") from None
    cleaned = urlsplit(normal)
    # courlan's host and path are for matching, not for showing: it spells a punycode host in Unicode (a look-alike
    # "аpple" for xn--pple-43d) and escapes the path's reserved characters (";" to "%3B"), which servers may read
    # differently. The normal form is shown and clicked, so it keeps both as written, in one spelling.
    netloc = _ascii_host(cleaned.netloc)
    path = _canonical_path(parts.path)
    return urlunsplit(cleaned._replace(netloc=netloc, path=path or "/", query=_clean_query(parts.query), fragment=""))


# Characters a path keeps as written besides letters, digits and "-._~": RFC 3986's "/", sub-delims, ":" and "@"
# (reserved: escaping one changes what a server may read), and "%" (an escape stays an escape).
_PATH_SAFE = "/%!$&'()*+,;=:@~"
_ESCAPE = re.compile("%[0-9a-fA-F]{2}")


def _canonical_path(path: str) -> str:
    """The path in one spelling: runs of "/" made one and leading "/.." dropped (as courlan does), what must be
    escaped escaped (UTF-8), escapes in upper case; reserved characters, raw or escaped, stay as they were."""
    path = re.sub(r"^(?:/\.\.)+(?=/|$)", "", re.sub("//+", "/", path))
    quoted = quote_from_bytes(path.encode("utf-8", "surrogatepass"), safe=_PATH_SAFE)
    return _ESCAPE.sub(lambda m: m.group().upper(), quoted)


def _ascii_host(netloc: str) -> str:
    """``netloc`` with its host in ASCII (punycode), as it is on the wire; as it is when IDNA cannot spell it."""
    host, colon, port = netloc.rpartition(":") if netloc.rsplit(":", 1)[-1].isdigit() else (netloc, "", "")
    try:
        return host.encode("idna").decode("ascii") + colon + port
    except UnicodeError:
        return netloc


def loggable_url(url: object) -> str:
    """``url`` fit for the log: scheme, host and path, with any query replaced by "?…" and a short hash of it.

    The normal form keeps every parameter that may pick the page, and those include signatures and share tokens
    (``X-Amz-Signature``, ``?token=``): a log line must not hand them to whoever reads the log. The hash still tells
    two queries of one path apart. Any user name or password and the fragment are dropped too.
    """
    try:
        parts = urlsplit(str(url))
    except ValueError:
        return "<malformed link>"
    host = parts.netloc.rpartition("@")[2]
    query = ""
    if parts.query:
        digest = hashlib.sha256(parts.query.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        query = f"?…{digest}"
    return f"{parts.scheme}://{host}{parts.path}{query}"


def redact_links(text: str) -> str:
    """``text`` (say an aiohttp error's repr, which quotes the request's whole URL) with each link in it made
    ``loggable_url``."""
    return _ANY_LINK.sub(lambda found: loggable_url(found.group()), text)


def _clean_query(query: str) -> str:
    """The query without tracking parameters, in one spelling, sorted by name so a reordered paste gets the same key.

    Each name and value is decoded and encoded again the one way (``_canonical``), so ``caf%C3%A9`` and ``café``,
    ``a%20b`` and ``a+b``, ``%7e`` and ``~``, ``%2f`` and ``%2F`` match, as every server reading the query sees
    them. A parameter with an empty value is written bare (``?a`` and ``?a=`` are the same empty value to form
    parsers), so ``?123`` stays ``?123``. The sort is stable, so repeats of one name keep their order, which some
    sites give meaning to.
    """
    kept: list[tuple[str, str]] = []
    for part in query.split("&"):
        name, _, value = part.partition("=")
        if (name or value) and not _is_tracking(name):
            kept.append((_canonical(name), _canonical(value)))
    kept.sort(key=lambda pair: pair[0])
    return "&".join(f"{name}={value}" if value else name for name, value in kept)


def _canonical(piece: str) -> str:
    """One query name or value in a single percent-encoding: "+" is a space, escapes are upper-case, and only
    what must be escaped is; a raw ";" or "=" stays raw, apart from an escaped one (see ``_QUERY_SAFE``)."""
    out = []
    for i, chunk in enumerate(_RAW_DELIMITERS.split(piece)):
        if i % 2:  # a raw delimiter
            out.append(chunk)
        else:
            raw = unquote_to_bytes(chunk.replace("+", " ").encode("utf-8", "surrogatepass"))
            out.append(quote_from_bytes(raw, safe=_QUERY_SAFE))
    return "".join(out)


def _is_tracking(name: str) -> bool:
    decoded = unquote_to_bytes(name.replace("+", " ").encode("utf-8", "surrogatepass")).decode("utf-8", "replace")
    return _TRACKING_PARAM.fullmatch(decoded.lower()) is not None


def find_urls(text: str, *, spoilers: bool = True) -> list[str]:
    """Return the http(s) links in a message, in order and without repeats (by normal form).

    ``<https://...>`` (Discord's suppressed embed) counts as a link; links inside code spans do not, since
    people quote URLs in code to show them, not to share them. A link ends where Discord's clickable link ends:
    trailing punctuation (but not ``!`` or ``?``) and unbalanced closing brackets (from prose or markdown
    ``[text](url)``) are left out. With ``spoilers=False`` links inside ``||spoilers||`` are left out too.
    """
    seen: set[str] = set()
    found: list[str] = []
    visible = _CODE.sub(" ", text or "")
    if not spoilers:
        visible = SPOILER.sub(" ", visible)
    for match in _LINK.finditer(visible):
        link = _trim(match.group(1))
        try:
            key = normalize_url(link)
        except BadURL:
            continue
        if key not in seen:
            seen.add(key)
            found.append(link)
    return found


def article_links(text: str, *, spoilers: bool = True) -> list[str]:
    """Links in ``text`` that could be articles (chat, GIF and video hosts left out; with ``spoilers=False``,
    links behind a spoiler too)."""
    return [u for u in find_urls(text, spoilers=spoilers) if not _skipped_host(urlsplit(u).hostname or "")]


def is_skipped_host(host: str) -> bool:
    """Whether ``host`` is (a subdomain of) a chat, GIF or video site in ``SKIP_DOMAINS``: never a news article."""
    return _skipped_host(host)


def _skipped_host(host: str) -> bool:
    labels = host.lower().rstrip(".").split(".")
    return any(".".join(labels[i:]) in SKIP_DOMAINS for i in range(len(labels) - 1))


def spoilered_urls(text: str) -> set[str]:
    """Normal forms of the links that appear in ``text`` only behind a spoiler, which its poster chose to hide."""
    shown = {normalize_url(link) for link in find_urls(text, spoilers=False)}
    return {normalize_url(link) for link in find_urls(text)} - shown


def _trim(link: str) -> str:
    """Strip sentence punctuation and closing brackets that the link did not open."""
    while link:
        last = link[-1]
        unbalanced = last in _PAIRS and link.count(last) > link.count(_PAIRS[last])
        if last in _TRAILING or unbalanced:
            link = link[:-1]
        else:
            break
    return link
