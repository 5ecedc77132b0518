"""Turn a fetched body into an article: pick the charset, then let trafilatura find the text and metadata.

Everything here is synchronous CPU work; the bot runs it in its worker processes, the CLI in a thread.
trafilatura's time grows with the square of a page's markup in the worst case (0.5 MB of inline tags took 12 s),
so scripts and styles are dropped first and what is left is capped.
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import charset_normalizer
import trafilatura

from bot.errors import BadURL, NotAnArticle
from bot.urls import normalize_url

if TYPE_CHECKING:
    from bot.fetcher import Article

log = logging.getLogger(__name__)

# UTF-32 before UTF-16: the little-endian UTF-32 mark begins with the UTF-16 one.
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
# Labels browsers read as windows-1252 (the WHATWG Encoding standard): pages that say latin-1 mean cp1252.
_AS_CP1252 = frozenset({"latin_1", "ascii", "iso8859-1", "iso-8859-1", "us-ascii", "cp1252"})
DETECT_BYTES = 200_000
# Markup handed to trafilatura, after scripts and styles are dropped: an article is near the top of any page.
MAX_EXTRACT_CHARS = 400_000
# Scripts (but not the JSON-LD that carries the headline, author and date) and styles: no article text in them.
_NOT_TEXT_OPEN = re.compile(r"<(script|style)(?=[\s/>])", re.IGNORECASE)  # not <script-loader> or <style-guide>
_NOT_TEXT_CLOSE = {"script": re.compile(r"</script\s*>", re.IGNORECASE),
                   "style": re.compile(r"</style\s*>", re.IGNORECASE)}
# Legacy labels browsers read as the Windows superset of what they name (the WHATWG Encoding Standard), by the codec
# Python finds for the label: pages labelled gb2312 or Shift_JIS are written in GBK or windows-31j, and the strict codec
# turns the superset's characters (朱镕基's 镕, ①, 髙) into U+FFFD or, for Shift_JIS, garbles the rest of the line.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "shift_jis": "cp932", "euc_kr": "cp949", "iso8859-9": "cp1254",
              "tis-620": "cp874", "iso8859-11": "cp874", "big5": "big5hkscs"}
# WHATWG labels Python does not know, with the codec browsers decode them with.
_WHATWG_LABELS = {
    "windows-31j": "cp932", "x-sjis": "cp932", "ms_kanji": "cp932", "ms932": "cp932", "sjis": "cp932",
    "x-gbk": "gb18030", "chinese": "gb18030", "csgb2312": "gb18030", "csiso58gb231280": "gb18030",
    "iso-ir-58": "gb18030", "gb_2312": "gb18030", "gb_2312-80": "gb18030",
    "windows-874": "cp874", "dos-874": "cp874", "windows-949": "cp949", "ksc5601": "cp949", "ksc_5601": "cp949",
    "korean": "cp949", "iso-ir-149": "cp949", "csksc56011987": "cp949", "ks_c_5601-1989": "cp949",
    "x-x-big5": "big5hkscs", "cn-big5": "big5hkscs", "csbig5": "big5hkscs", "big5-hkscs": "big5hkscs",
    "x-euc-jp": "euc_jp", "cseucpkdfmtjapanese": "euc_jp", "iso-8859-8-i": "iso8859-8", "csiso88598i": "iso8859-8",
    "logical": "iso8859-8", "x-mac-roman": "mac-roman", "x-mac-cyrillic": "mac-cyrillic",
    "x-mac-ukrainian": "mac-cyrillic", "unicode-1-1-utf-8": "utf-8", "unicode11utf8": "utf-8",
    "unicode20utf8": "utf-8", "x-unicode20utf8": "utf-8",
    **{f"x-cp125{i}": f"cp125{i}" for i in range(9)},
}
# Text codecs that are not character sets a web page can be written in.
_NOT_CHARSETS = frozenset({"idna", "punycode", "raw-unicode-escape", "unicode-escape", "mbcs", "oem"})


@dataclass(frozen=True)
class Page:
    """A fetched body and what the response said about it."""

    url: str            # final URL, after redirects
    body: bytes
    kind: str           # "html" or "text"
    charset: str | None  # from the Content-Type header


def bom_codec(body: bytes) -> tuple[str, int] | None:
    """The codec a byte-order mark at the start of ``body`` names, and the mark's length; None without a mark.

    A mark outranks every declared charset, and UTF-16 or UTF-32 text is full of NUL bytes, so callers that
    refuse NULs as binary must look for it first.
    """
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return codec, len(bom)
    return None


def decode_body(body: bytes, header_charset: str | None, kind: str = "html") -> str:
    """Decode with the byte-order mark, else the header's charset, else ``<meta charset>``, else detection."""
    marked = bom_codec(body)
    if marked is not None:
        marked_codec, start = marked
        return body[start:].decode(marked_codec, errors="replace")
    declared = [header_charset]
    if kind == "html":
        match = _META_CHARSET.search(body[:4096])
        declared.append(match.group(1).decode("ascii") if match else None)
    for label in declared:
        codec = _codec(label)
        if codec is not None:
            try:
                return body.decode(codec, errors="replace")
            except (LookupError, UnicodeError, ValueError) as exc:  # a codec that cannot even replace
                log.debug("declared charset %s failed (%s); trying the next", codec, exc)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    codec = _detect(body[:DETECT_BYTES])
    log.debug("no usable charset declared; detection says %s", codec)
    return body.decode(codec or "cp1252", errors="replace")


def _detect(sample: bytes) -> str | None:
    """Guess the charset; when windows-1252 fits as well as the top guess, take it, as browsers do.

    Short Western European text often fits cp1250, cp1252 and cp1257 equally well, and the detector's
    order among such ties is arbitrary; cp1252 is by far the most common of them on the web.
    """
    matches = list(charset_normalizer.from_bytes(sample))
    if not matches:
        return None
    best = matches[0]
    for match in matches:
        tied = match.chaos <= best.chaos + 0.01 and match.coherence >= best.coherence - 0.01
        if tied and _codec(match.encoding) == "cp1252":
            return "cp1252"
    return _codec(best.encoding)


def _codec(label: str | None) -> str | None:
    """Map a charset label to a Python codec name, or None when it is unknown or makes no sense for HTML."""
    if not label:
        return None
    cleaned = label.strip().strip("\"'")
    try:
        info = codecs.lookup(_WHATWG_LABELS.get(cleaned.lower(), cleaned))
    except LookupError:
        return None
    # Python also registers bytes-to-bytes and text-to-text transforms (base64, rot13, zlib, idna ...) as
    # codecs; a page that names one of them has no usable charset.
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_CHARSETS:
        return None
    name = info.name
    if name in _AS_CP1252 or name.replace("_", "-") in _AS_CP1252:
        return "cp1252"
    if name.startswith("utf-16") or name.startswith("utf-32"):  # a BOM-less page that claims UTF-16 is UTF-8
        return "utf-8"
    return _SUPERSETS.get(name, name)


def build_article(page: Page, url: str, min_chars: int) -> Article:
    """Extract text and metadata; raise NotAnArticle when there is too little text to analyse."""
    from bot.fetcher import Article

    text = decode_body(page.body, page.charset, page.kind)
    final_url = _normal_or_none(page.url) or page.url
    host = urlsplit(final_url).hostname
    language = None
    if page.kind == "text":
        fields: dict[str, str | None] = {"text": text.strip(), "title": None, "author": None, "date": None,
                                         "site": host, "canonical": None}
    else:
        fields = _extract_html(text, final_url)
        language = declared_language(text)
    body = fields["text"] or ""
    if len(body) < min_chars:
        raise NotAnArticle(
            "Byline found too little article text on that page. It may be behind a paywall or need "
            "JavaScript; try pasting the text instead."
        )
    return Article(url=url, final_url=final_url, canonical_url=_normal_or_none(fields["canonical"]),
                   title=fields["title"], author=fields["author"], date=fields["date"],
                   site=fields["site"] or host, text=body, language=language)


# ``<html lang="fr-CA">``: the primary language subtag, looked for at the top of the page only.
_HTML_LANG = re.compile(r"<html\b[^>]{0,500}?\blang\s*=\s*[\"']?([A-Za-z]{2,3})\b", re.IGNORECASE)
LANG_REACH = 5_000


def declared_language(html: str) -> str | None:
    """The language a page declares on its ``<html>`` element ("fr" for ``lang="fr-CA"``), or None."""
    found = _HTML_LANG.search(html, 0, LANG_REACH)
    return found.group(1).lower() if found else None


def drop_scripts_and_styles(html: str) -> str:
    """Remove ``<script>`` (JSON-LD kept) and ``<style>`` elements in one pass over the markup.

    One regex with lazy bodies and a look-ahead rescanned the rest of the page from every unclosed opening tag, so
    a page of bare ``<style>`` tags took time growing with the square of its size (hours at the 5 MB cap). Here an
    element with no closing tag swallows the rest of the page, as a browser reads it, which ends the scan.
    """
    out: list[str] = []
    pos = 0
    while (opening := _NOT_TEXT_OPEN.search(html, pos)) is not None:
        tag_end = html.find(">", opening.end())
        if tag_end < 0:  # no ">" anywhere after: no element can open or close from here on
            break
        closing = _NOT_TEXT_CLOSE[opening.group(1).lower()].search(html, tag_end + 1)
        if "ld+json" in html[opening.end():tag_end].lower():  # kept whole: its text may mention "<style>"
            if closing is None:
                break
            out.append(html[pos:closing.end()])
        else:
            out.append(html[pos:opening.start()])
            if closing is None:
                return "".join(out)
        pos = closing.end()
    out.append(html[pos:])
    return "".join(out)


def _extract_html(html: str, url: str) -> dict[str, str | None]:
    html = drop_scripts_and_styles(html)
    if len(html) > MAX_EXTRACT_CHARS:
        log.info("page markup cut to %d characters for extraction (was %d)", MAX_EXTRACT_CHARS, len(html))
        html = html[:MAX_EXTRACT_CHARS]
    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False,
        include_images=False, include_links=False, deduplicate=False,
    )
    if doc is None or isinstance(doc, dict):
        return {"text": "", "title": None, "author": None, "date": None, "site": None, "canonical": None}
    title = _clean(doc.title)
    text = (doc.text or "").strip()
    first, _, rest = text.partition("\n")
    if title and first.strip() == title:  # the headline is metadata, not the first sentence of the story
        text = rest.strip()
    return {"text": text, "title": title, "author": _clean(doc.author), "date": _clean(doc.date),
            "site": _clean(doc.sitename) or _clean(doc.hostname), "canonical": _clean(doc.url)}


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None


def _normal_or_none(url: str | None) -> str | None:
    if not url:
        return None
    try:
        return normalize_url(url)
    except BadURL:
        return None
