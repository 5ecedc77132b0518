"""A real aiohttp web server on 127.0.0.1 serving hand-written pages and hostile behaviours for fetcher tests."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gzip
import zlib
from collections import Counter
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp import web

PAGES = Path(__file__).parent / "fixtures" / "pages"
BOMB_MEMBER_ZEROS = 4_000_000  # one gzip member inflates to this many zero bytes
BOMB_MEMBERS = 200  # 800 MB decoded from well under 1 MB on the wire


@dataclass
class ServerState:
    """What the server saw, so tests can assert what the fetcher did (not just what it returned)."""

    port: int = 0
    hits: Counter[str] = field(default_factory=Counter)
    host_headers: list[str] = field(default_factory=list)
    user_agents: list[str] = field(default_factory=list)
    bomb_size: int = 0
    closing: asyncio.Event = field(default_factory=asyncio.Event)  # set when the server shuts down

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"


def _page(name: str) -> bytes:
    return (PAGES / name).read_bytes()


@functools.cache  # the same bytes for every server: compressing them once saves ~15 ms a test
def _bomb() -> bytes:
    member = gzip.compress(b"\0" * BOMB_MEMBER_ZEROS, compresslevel=9)
    return member * BOMB_MEMBERS


def build_app(state: ServerState) -> web.Application:
    """All routes; each request is counted by path in ``state.hits``."""
    bomb = _bomb()
    state.bomb_size = len(bomb)

    @web.middleware
    async def count(request: web.Request, handler):
        state.hits[request.path] += 1
        state.host_headers.append(request.headers.get("Host", ""))
        state.user_agents.append(request.headers.get("User-Agent", ""))
        return await handler(request)

    app = web.Application(middlewares=[count])
    html = {"/article": "article.html", "/paywall": "paywall.html", "/appshell": "appshell.html"}
    for path, name in html.items():
        app.router.add_get(path, _static(_page(name), "text/html; charset=utf-8"))
    app.router.add_get("/xhtml", _static(_page("article.html"), "application/xhtml+xml"))
    app.router.add_get("/plain", _static(_page("plain.txt"), "text/plain; charset=utf-8"))
    app.router.add_get("/cp1252", _static(_page("cp1252.html"), "text/html; charset=windows-1252"))
    app.router.add_get("/cp1252-meta-only", _static(_page("cp1252.html"), "text/html"))
    app.router.add_get("/sjis", _static(_page("shift_jis.html"), "text/html; charset=Shift_JIS"))
    app.router.add_get("/sjis-meta-only", _static(_page("shift_jis.html"), "text/html"))
    app.router.add_get("/json", _static(b'{"title": "not a page"}', "application/json"))
    app.router.add_get("/pdf", _static(b"%PDF-1.7\n%fake\n", "application/pdf"))
    app.router.add_get("/no-type", _no_type)
    app.router.add_get("/typed", _typed)
    app.router.add_get("/gzip-article", _encoded(gzip.compress(_page("article.html")), "gzip"))
    app.router.add_get("/deflate-article", _encoded(zlib.compress(_page("article.html")), "deflate"))
    raw = zlib.compressobj(wbits=-15)
    app.router.add_get("/raw-deflate-article", _encoded(raw.compress(_page("article.html")) + raw.flush(), "deflate"))
    app.router.add_get("/brotli", _encoded(b"\x1b\x00\x00", "br"))
    app.router.add_get("/big", _big)
    app.router.add_get("/big-declared", _big_declared)
    app.router.add_get("/slow-body", _slow_body)
    app.router.add_get("/slow-headers", _slow_headers(state))
    app.router.add_get("/bomb", _bomb_handler(state, bomb))
    article = gzip.compress(_page("article.html"))
    app.router.add_get("/gzip-padding", _endless_gzip(article, b"\0" * 4096))
    app.router.add_get("/gzip-empty-members", _endless_gzip(b"", gzip.compress(b"")))
    app.router.add_get("/status/{code}", _status)
    app.router.add_get("/chain/{n}", _chain)
    app.router.add_get("/loop", _loop)
    app.router.add_get("/to", _redirect_to)
    app.router.add_get("/redirect-no-location", _no_location)
    return app


def _static(body: bytes, content_type: str):
    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=body, headers={"Content-Type": content_type})
    return handler


async def _typed(request: web.Request) -> web.Response:
    """A non-page body under whatever Content-Type the ``type`` query asks for, hostile ones included."""
    return web.Response(body=b"%PDF-1.7\n", headers={"Content-Type": request.query.get("type", "")})


async def _no_type(request: web.Request) -> web.StreamResponse:
    resp = web.StreamResponse()
    resp.content_type = "application/octet-stream"
    resp.headers.popall("Content-Type", None)
    await resp.prepare(request)
    await resp.write(_page("article.html"))
    await resp.write_eof()
    return resp


def _encoded(body: bytes, encoding: str):
    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=body, headers={"Content-Type": "text/html; charset=utf-8",
                                                "Content-Encoding": encoding})
    return handler


async def _big(request: web.Request) -> web.StreamResponse:
    """Chunked (no Content-Length), so only the streaming cap can stop it."""
    resp = web.StreamResponse(headers={"Content-Type": "text/html"})
    await resp.prepare(request)
    block = b"<p>" + b"filler text " * 800 + b"</p>\n"
    for _ in range(int(request.query.get("blocks", "200"))):
        await resp.write(block)
    await resp.write_eof()
    return resp


async def _big_declared(request: web.Request) -> web.Response:
    return web.Response(body=b"x" * 300_000, headers={"Content-Type": "text/html"})


async def _slow_body(request: web.Request) -> web.StreamResponse:
    """Headers at once, then a trickle that never ends: only a total deadline stops this."""
    resp = web.StreamResponse(headers={"Content-Type": "text/html"})
    await resp.prepare(request)
    await resp.write(b"<html><body><p>")
    for _ in range(600):
        await asyncio.sleep(0.05)
        await resp.write(b"a")
    await resp.write_eof()
    return resp


def _slow_headers(state: ServerState):
    async def handler(request: web.Request) -> web.Response:
        """No headers for 30 s, or until the server shuts down (instead of holding its shutdown for its timeout)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(state.closing.wait(), 30)
        return web.Response(text="too late", content_type="text/html")
    return handler


def _endless_gzip(head: bytes, repeat: bytes):
    """A gzip body that never ends: ``head``, then ``repeat`` over and over, each inflating to nothing."""
    async def handler(request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse(headers={"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"})
        await resp.prepare(request)
        await resp.write(head)
        block = repeat * max(1, 16384 // len(repeat))
        with contextlib.suppress(ConnectionError):
            while True:
                await resp.write(block)
    return handler


def _bomb_handler(state: ServerState, bomb: bytes):
    async def handler(request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse(headers={"Content-Type": "text/html", "Content-Encoding": "gzip"})
        await resp.prepare(request)
        for start in range(0, len(bomb), 4096):
            await resp.write(bomb[start:start + 4096])
        await resp.write_eof()
        return resp
    return handler


async def _status(request: web.Request) -> web.Response:
    code = int(request.match_info["code"])
    return web.Response(status=code, text=f"<html><body>error {code}</body></html>", content_type="text/html")


async def _chain(request: web.Request) -> web.Response:
    """``/chain/3`` redirects 3 times (using every redirect status) and then lands on the article."""
    n = int(request.match_info["n"])
    target = "/article" if n <= 1 else f"/chain/{n - 1}"
    status = (301, 302, 303, 307, 308)[n % 5]
    return web.Response(status=status, headers={"Location": target})


async def _loop(request: web.Request) -> web.Response:
    return web.Response(status=302, headers={"Location": "/loop"})


async def _redirect_to(request: web.Request) -> web.Response:
    return web.Response(status=302, headers={"Location": request.query["url"]})


async def _no_location(request: web.Request) -> web.Response:
    return web.Response(status=302)


@asynccontextmanager
async def serve_app(app: web.Application):
    """Run ``app`` on 127.0.0.1 on a free port; yields the port."""
    runner = web.AppRunner(app, shutdown_timeout=0.5)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield runner.addresses[0][1]
    finally:
        await runner.cleanup()


@asynccontextmanager
async def serve():
    """Run the app on 127.0.0.1 on a free port; yields the state with ``port`` set."""
    state = ServerState()
    async with serve_app(build_app(state)) as port:
        state.port = port
        try:
            yield state
        finally:
            state.closing.set()
