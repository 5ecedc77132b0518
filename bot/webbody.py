"""Read an HTTP body under a cap on decoded bytes, inflating gzip/deflate ourselves.

aiohttp's own decompression would hand us whatever a chunk inflates to; a small gzip bomb can expand a
few kilobytes into gigabytes. Here every ``decompress`` call is limited to the bytes still allowed, so
memory stays bounded and reading stops at the first chunk that crosses the cap.
"""

from __future__ import annotations

import logging
import re
import zlib

import aiohttp

from bot.errors import TooLarge, UnsupportedType

log = logging.getLogger(__name__)

CHUNK_BYTES = 16 * 1024
_GZIP_OR_ZLIB = zlib.MAX_WBITS | 32  # auto-detects a gzip or zlib header
_RAW_DEFLATE = -zlib.MAX_WBITS
_GZIP_MAGIC = b"\x1f\x8b"
# Bytes kept while a "deflate" body has produced nothing yet, in case it turns out to be raw deflate. A zlib header
# is 2 bytes and a gzip header with a file name a few hundred; past this the body is not waiting on a header.
MAX_HEADER_BYTES = 64 * 1024
# A coding name fit to show a member ("br", "zstd", "x-compress"). The header is the site's to write, and the refusal
# can be posted in public (a 📰 reply), so anything else (markdown, a masked link, a mention) is not echoed.
SHOWN_ENCODING = re.compile(r"[a-z0-9][a-z0-9._+-]{0,31}")


class Inflater:
    """Streaming decoder for one Content-Encoding that never returns more than it is asked for."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._raw_fallback = encoding == "deflate"  # some servers send raw deflate without the zlib header
        self._started = False
        self._unproductive = bytearray()  # what was fed before any output: the raw decoder must see it too
        self._padding = False  # bytes after the last member that are not another member: ignored
        self._obj = zlib.decompressobj(_GZIP_OR_ZLIB)

    @property
    def finished(self) -> bool:
        """The last member has ended and only padding follows: the body is complete."""
        return self._padding

    def feed(self, data: bytes, limit: int) -> bytes:
        """Inflate ``data``, producing at most ``limit`` bytes (hitting the limit means the cap is crossed)."""
        try:
            out = self._feed(data, limit)
        except zlib.error:
            if self._raw_fallback and not self._started:
                self._raw_fallback = False
                self._obj = zlib.decompressobj(_RAW_DEFLATE)
                seen, self._unproductive = bytes(self._unproductive) + data, bytearray()
                return self.feed(seen, limit)
            raise UnsupportedType("That page's compression is broken, so Byline can't read it.") from None
        if self._raw_fallback and not self._started:
            self._unproductive += data
            if len(self._unproductive) > MAX_HEADER_BYTES:
                self._raw_fallback = False
                self._unproductive = bytearray()
        return out

    def _feed(self, data: bytes, limit: int) -> bytes:
        out = bytearray()
        while data and len(out) < limit and not self._padding:
            piece = self._obj.decompress(data, limit - len(out))
            self._started = self._started or bool(piece)
            out += piece
            if self._obj.eof:
                data = self._obj.unused_data
                if data and not (data.startswith(_GZIP_MAGIC) or _GZIP_MAGIC.startswith(data)):
                    self._padding = True  # trailing zeros after the last member, as browsers and curl allow
                elif data:  # concatenated gzip members are one valid body
                    self._obj = zlib.decompressobj(_GZIP_OR_ZLIB)
            else:
                data = self._obj.unconsumed_tail
        return bytes(out)


def make_inflater(header: str) -> Inflater | None:
    """Return a decoder for the Content-Encoding header, None for identity; refuse anything else."""
    encoding = header.strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip", "deflate"):
        return Inflater("deflate" if encoding == "deflate" else "gzip")
    detail = f" ({encoding})" if SHOWN_ENCODING.fullmatch(encoding) else ""
    raise UnsupportedType(f"That page uses a compression Byline doesn't read{detail}.")


async def read_body(resp: aiohttp.ClientResponse, max_bytes: int) -> bytes:
    """Stream the body and return it decoded; raise TooLarge as soon as it exceeds ``max_bytes``.

    The bytes on the wire are capped too: a compressed stream that inflates to nothing (empty gzip members,
    one after another) would otherwise be read until the deadline. Padding after the last member ends the body.
    """
    inflater = make_inflater(resp.headers.get("Content-Encoding", ""))
    declared = resp.content_length
    if declared is not None and declared > max_bytes:
        raise TooLarge(_too_large(max_bytes), bytes_read=0, bytes_decoded=0)
    max_wire = wire_limit(max_bytes)
    body = bytearray()
    read = 0
    async for chunk in resp.content.iter_chunked(CHUNK_BYTES):
        read += len(chunk)
        room = max_bytes - len(body) + 1
        body += inflater.feed(chunk, room) if inflater is not None else chunk[:room]
        if len(body) > max_bytes or read > max_wire:
            log.info("body over the cap (%d decoded bytes, %d read); stopped", len(body), read)
            raise TooLarge(_too_large(max_bytes), bytes_read=read, bytes_decoded=len(body))
        if inflater is not None and inflater.finished:
            break
    return bytes(body)


def wire_limit(max_bytes: int) -> int:
    """Most bytes a body may take on the wire: compression can add a little to incompressible text, no more."""
    return max_bytes + max_bytes // 100 + CHUNK_BYTES


def _too_large(max_bytes: int) -> str:
    return f"That page is larger than Byline's limit of {max_bytes / 1_000_000:g} MB, so it wasn't read."
