"""Link helpers: the normal form used as a cache and dedup key, and finding links in a chat message."""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

import courlan

from bot.errors import BadURL

# A link runs until whitespace or a character that cannot appear unescaped in a URL a person pastes.
_LINK = re.compile(r"<?(https?://[^\s<>\"'`|\\]+)>?", re.IGNORECASE)
_CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)
_TRAILING = ".,;:!?*_~'\""
_PAIRS = {")": "(", "]": "[", "}": "{"}


def normalize_url(url: str) -> str:
    """Return the link's normal form: lower-case host, no default port, no fragment, no tracking parameters.

    Two pastes of the same article (one from a newsletter with ``utm_*``, one from a share button with
    ``fbclid``) then share one cache entry. Raises BadURL for anything that is not an http(s) link.
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
        normal = courlan.normalize_url(urlunsplit(parts._replace(fragment="")), strict=False)
    except (ValueError, AttributeError):
        raise BadURL("That doesn't look like a web link.", reason="syntax") from None
    cleaned = urlsplit(normal)
    return urlunsplit(cleaned._replace(path=cleaned.path or "/", fragment=""))


def find_urls(text: str) -> list[str]:
    """Return the http(s) links in a message, in order and without repeats (by normal form).

    ``<https://...>`` (Discord's suppressed embed) counts as a link; links inside code spans do not, since
    people quote URLs in code to show them, not to share them. Trailing punctuation and unbalanced closing
    brackets (from prose or markdown ``[text](url)``) are left out.
    """
    seen: set[str] = set()
    found: list[str] = []
    for match in _LINK.finditer(_CODE.sub(" ", text or "")):
        link = _trim(match.group(1))
        try:
            key = normalize_url(link)
        except BadURL:
            continue
        if key not in seen:
            seen.add(key)
            found.append(link)
    return found


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
