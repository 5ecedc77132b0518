"""Link helpers: the normal form used as a cache and dedup key, finding links in a chat message, and telling
which of them could be articles (one filter shared by the auto-reply, 📰 and the message menu)."""

from __future__ import annotations

import re
from urllib.parse import unquote_plus, urlsplit, urlunsplit

import courlan

from bot.errors import BadURL

# A link runs until whitespace or a character that cannot appear unescaped in a URL a person pastes. An apostrophe
# can (Discord links "/wiki/Ender's_Game" whole), so it only counts as punctuation at the end.
_LINK = re.compile(r"<?(https?://[^\s<>\"`|\\]+)>?", re.IGNORECASE)
_CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)
# Discord's spoiler: the shortest run between two "||", across lines too.
SPOILER = re.compile(r"\|\|.+?\|\|", re.DOTALL)
# What Discord leaves out of the end of a link (a sentence's punctuation and quote marks) and the markdown
# emphasis it consumes. "!" and "?" are not here: Discord keeps them ("/wiki/Yahoo!"), so Byline does too.
_TRAILING = ".,;:*_~'\""
_PAIRS = {")": "(", "]": "[", "}": "{"}
# Chat, GIF and video hosts: never news articles, so their links are passed over without a request.
SKIP_HOSTS = frozenset({
    "discord.com", "discordapp.com", "cdn.discordapp.com", "media.discordapp.net", "discord.gg", "tenor.com",
    "giphy.com", "media.giphy.com", "youtube.com", "www.youtube.com", "youtu.be", "twitch.tv", "www.twitch.tv",
})
# Query parameters that only say how a reader arrived (campaign tags and ad-click ids), never which article: a
# parameter is dropped only when its whole name, lower-cased, matches. Anything else (id, gameId, ref, a bare
# "?123") may pick the page, so it stays: two articles must never share a key.
_TRACKING_PARAM = re.compile(
    r"utm_[a-z0-9_]+"                                         # Google Analytics campaign tags
    r"|(?:pk|mtm)_(?:campaign|cid|content|group|keyword|kwd|medium|placement|source)"  # Matomo campaign tags
    r"|fbclid|gclid|gclsrc|dclid|gbraid|wbraid|msclkid|yclid|twclid|ttclid|li_fat_id|igshid"  # ad-click ids
    r"|mc_cid|mc_eid"                                         # Mailchimp
    r"|_ga|_gl|_hsenc|_hsmi|__hstc|__hssc|__hsfp|mkt_tok"     # Google linker, HubSpot, Marketo
    r"|oly_anon_id|oly_enc_id|vero_conv|vero_id|_openstat"    # Omeda, Vero, Openstat
)


def normalize_url(url: str) -> str:
    """Return the link's normal form: lower-case host, no default port, no fragment, no tracking parameters.

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
    return urlunsplit(cleaned._replace(path=cleaned.path or "/", query=_clean_query(parts.query), fragment=""))


def _clean_query(query: str) -> str:
    """The query without tracking parameters, sorted by name so a reordered paste gets the same key.

    Each parameter is kept as written (value-less ones too); the sort is stable, so repeats of one name keep
    their order, which some sites give meaning to.
    """
    kept = [part for part in query.split("&") if part and not _is_tracking(part)]
    return "&".join(sorted(kept, key=lambda part: part.partition("=")[0]))


def _is_tracking(part: str) -> bool:
    return _TRACKING_PARAM.fullmatch(unquote_plus(part.partition("=")[0]).lower()) is not None


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
    return [u for u in find_urls(text, spoilers=spoilers) if (urlsplit(u).hostname or "").lower() not in SKIP_HOSTS]


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
