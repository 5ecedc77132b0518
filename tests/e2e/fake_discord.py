"""A fake Discord (REST + gateway) on 127.0.0.1 for end-to-end tests of the real bot.

It runs on its own thread and event loop, so its work never shows up in the bot's loop-lag figures and tests can
drive it from plain synchronous code. Every REST call is recorded with a monotonic timestamp; tests assert on what
the bot sent. Faults are injected per call (``fail``), and the gateway can be dropped to force a RESUME.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yarl
from aiohttp import WSMsgType, web

from tests.e2e import fake_rest
from tests.e2e.payloads import World, snowflake

log = logging.getLogger(__name__)
HEARTBEAT_MS = 41_250


@dataclass
class Call:
    """One REST request the bot made, and what the fake answered."""

    method: str
    path: str
    query: dict[str, str]
    json: Any
    files: list[tuple[str, bytes]]
    at: float
    status: int = 0
    response: Any = None


@dataclass
class Failure:
    """Answer matching calls with an error instead of handling them (``times=None``: forever)."""

    method: str
    pattern: str
    status: int
    code: int
    message: str
    times: int | None

    def matches(self, method: str, path: str) -> bool:
        return (self.method in ("*", method)) and re.search(self.pattern, path) is not None


@dataclass
class GatewayLog:
    """What the bot did on the gateway (counts, for reconnect assertions)."""

    identifies: int = 0
    resumes: int = 0
    heartbeats: int = 0
    connections: int = 0
    intents: list[int] = field(default_factory=list)
    identified_at: list[float] = field(default_factory=list)


async def _ack(ws: web.WebSocketResponse) -> None:
    if not ws.closed:
        await ws.send_str(json.dumps({"op": 11}))


class FakeDiscord:
    """The fake itself: start(), drive with inject()/interact(), assert on ``calls``, stop()."""

    def __init__(self, world: World | None = None) -> None:
        self.world = world or World()
        self.calls: list[Call] = []
        self.messages: dict[str, dict[str, Any]] = {}
        self.interactions: dict[str, dict[str, Any]] = {}  # token -> {"payload", "original", "acked"}
        self.commands: dict[str | None, list[dict[str, Any]]] = {}  # scope (None: global) -> commands
        self.attachments: dict[str, bytes] = {}
        self.gateway = GatewayLog()
        self.unknown_routes: list[str] = []
        self._failures: list[Failure] = []
        self._cond = threading.Condition()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._ws: web.WebSocketResponse | None = None
        self._ws_ready: asyncio.Event | None = None
        self._seq = 0
        self.port = 0

    # --- lifecycle -------------------------------------------------------------------------------------------

    def start(self) -> FakeDiscord:
        """Serve on a free port on 127.0.0.1, from a daemon thread."""
        started = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(started,), name="fake-discord", daemon=True)
        self._thread.start()
        if not started.wait(10):
            raise RuntimeError("fake Discord did not start")
        return self

    def _serve(self, started: threading.Event) -> None:
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        self._ws_ready = asyncio.Event()
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get("/attachments/{aid}/{filename}", self._attachment)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None)
        self._loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        self._loop.run_until_complete(site.start())
        self.port = self._runner.addresses[0][1]
        started.set()
        self._loop.run_forever()
        self._loop.run_until_complete(self._runner.cleanup())
        self._loop.close()

    def stop(self) -> None:
        """Close the gateway and the server, then join the thread."""
        if self._loop is None or self._thread is None:
            return
        asyncio.run_coroutine_threadsafe(self._close_ws(1001), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    @property
    def gateway_yarl(self) -> yarl.URL:
        return yarl.URL(self.gateway_url)

    def _run(self, coro: Any, timeout: float = 15.0) -> Any:
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    # --- faults ----------------------------------------------------------------------------------------------

    def fail(self, method: str, pattern: str, status: int = 500, *, code: int = 0, message: str = "fake failure",
             times: int | None = 1) -> Failure:
        """Answer the next ``times`` calls matching ``method`` and the path regex with an error."""
        failure = Failure(method, pattern, status, code, message, times)
        with self._cond:
            self._failures.append(failure)
        return failure

    def expire(self, token: str) -> Failure:
        """Make an interaction token behave as expired: 404 Unknown interaction (10062) everywhere."""
        return self.fail("*", token, 404, code=10062, message="Unknown interaction", times=None)

    def _failure_for(self, method: str, path: str) -> Failure | None:
        with self._cond:
            for failure in self._failures:
                if failure.matches(method, path) and failure.times != 0:
                    if failure.times is not None:
                        failure.times -= 1
                    return failure
        return None

    # --- recording and waiting ---------------------------------------------------------------------------------

    def record(self, call: Call) -> None:
        with self._cond:
            self.calls.append(call)
            self._cond.notify_all()

    def notify(self) -> None:
        with self._cond:
            self._cond.notify_all()

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 20.0, what: str = "condition") -> Any:
        """Block the calling (test) thread until ``predicate()`` is truthy; return its value."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                value = predicate()
                if value:
                    return value
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"fake Discord: timed out after {timeout}s waiting for {what}")
                self._cond.wait(min(left, 0.25))

    def snapshot(self) -> list[Call]:
        with self._cond:
            return list(self.calls)

    def calls_matching(self, method: str, fragment: str) -> list[Call]:
        return [c for c in self.snapshot() if c.method == method and fragment in c.path]

    def calls_for_token(self, token: str) -> list[Call]:
        """Callback, follow-ups and edits of one interaction, in order."""
        return [c for c in self.snapshot() if token in c.path]

    def wait_call(self, method: str, fragment: str, *, after: float = 0.0, timeout: float = 20.0,
                  where: Callable[[Call], bool] | None = None) -> Call:
        """Wait for a call matching method + path fragment made after ``after`` (monotonic)."""
        def find() -> Call | None:
            for c in self.calls:
                if c.method == method and fragment in c.path and c.at >= after and (where is None or where(c)):
                    return c
            return None

        return self.wait_for(find, timeout, f"{method} {fragment}")

    # --- gateway -------------------------------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        self.gateway.connections += 1
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": HEARTBEAT_MS}}))
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                break
            await self._gateway_op(ws, json.loads(msg.data))
        if self._ws is ws:
            self._ws = None
            assert self._ws_ready is not None
            self._ws_ready.clear()
        self.notify()
        return ws

    async def _gateway_op(self, ws: web.WebSocketResponse, msg: dict[str, Any]) -> None:
        op = msg.get("op")
        if op == 1:
            self.gateway.heartbeats += 1
            # A tiny delay: discord.py stamps a heartbeat's send time only after the send returns, so an
            # instant ACK is measured against the previous beat and logged as "41 s behind".
            asyncio.get_running_loop().call_later(0.05, lambda: asyncio.ensure_future(_ack(ws)))
        elif op == 2:
            self.gateway.identifies += 1
            self.gateway.identified_at.append(time.monotonic())
            self.gateway.intents.append(int(msg["d"].get("intents", 0)))
            self._ws, self._seq = ws, 0
            await self._send(ws, "READY", self.world.ready("sess-" + snowflake(), self.gateway_url))
            await self._send(ws, "GUILD_CREATE", self.world.guild_create())
            self._mark_ready()
        elif op == 6:
            self.gateway.resumes += 1
            self._ws = ws
            await self._send(ws, "RESUMED", {})
            self._mark_ready()
        elif op == 8:
            await self._send(ws, "GUILD_MEMBERS_CHUNK", {"guild_id": self.world.guild_id, "members": [],
                                                         "chunk_index": 0, "chunk_count": 1,
                                                         "nonce": msg["d"].get("nonce")})

    def _mark_ready(self) -> None:
        assert self._ws_ready is not None
        self._ws_ready.set()
        self.notify()

    async def _send(self, ws: web.WebSocketResponse, event: str, data: dict[str, Any]) -> None:
        self._seq += 1
        await ws.send_str(json.dumps({"op": 0, "t": event, "s": self._seq, "d": data}))

    async def _dispatch(self, event: str, data: dict[str, Any]) -> float:
        assert self._ws_ready is not None
        await asyncio.wait_for(self._ws_ready.wait(), 20)
        assert self._ws is not None
        await self._send(self._ws, event, data)
        return time.monotonic()

    async def _close_ws(self, code: int) -> None:
        if self._ws is not None and not self._ws.closed:
            await self._ws.close(code=code)

    def inject(self, event: str, data: dict[str, Any]) -> float:
        """Send one dispatch event to the connected bot; return the monotonic time it was sent."""
        if event == "MESSAGE_CREATE":  # members' messages can be fetched back later, as on Discord
            with self._cond:
                self.messages[data["id"]] = data
        return self._run(self._dispatch(event, data))

    def drop_gateway(self, code: int = 4000) -> None:
        """Close the bot's websocket (a resumable close code by default): the bot must reconnect."""
        self._run(self._close_ws(code))

    def invalidate_session(self) -> None:
        """Send op 9 (not resumable): the bot must IDENTIFY again and get a fresh READY."""
        self._run(self._invalidate())

    async def _invalidate(self) -> None:
        if self._ws is not None and not self._ws.closed:
            await self._ws.send_str(json.dumps({"op": 9, "d": False}))

    def is_connected(self) -> bool:
        return self._ws is not None and self._ws_ready is not None and self._ws_ready.is_set()

    # --- interactions ----------------------------------------------------------------------------------------------

    def interact(self, payload: dict[str, Any]) -> float:
        """Register and inject an INTERACTION_CREATE; return when it was sent."""
        with self._cond:
            self.interactions[payload["token"]] = {"payload": payload, "original": None, "acked": None}
        return self.inject("INTERACTION_CREATE", payload)

    def find_command(self, name: str, kind: int = 1) -> dict[str, Any]:
        for scope in (self.world.guild_id, None):
            for cmd in self.commands.get(scope, []):
                if cmd["name"] == name and cmd.get("type", 1) == kind:
                    return cmd
        raise KeyError(f"the bot registered no command {name!r} of type {kind}")

    # --- REST ------------------------------------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body, files = await fake_rest.read_body(request)
        call = Call(request.method, path, dict(request.query), body, files, time.monotonic())
        failure = self._failure_for(request.method, path)
        if failure is not None:
            status, payload = failure.status, {"message": failure.message, "code": failure.code}
        else:
            status, payload = fake_rest.handle(self, request.method, path, body, files, dict(request.query))
        call.status, call.response = status, payload
        if status == 404 and payload.get("code") == 0 and failure is None:
            self.unknown_routes.append(f"{request.method} {path}")
            log.warning("fake Discord: unknown route %s %s", request.method, path)
        self.record(call)
        if status == 204:
            return web.Response(status=204)
        return web.Response(status=status, body=json.dumps(payload).encode(),
                            headers={"Content-Type": "application/json"})

    async def _attachment(self, request: web.Request) -> web.Response:
        data = self.attachments.get(request.match_info["aid"])
        if data is None:
            return web.Response(status=404)
        return web.Response(body=data, headers={"Content-Type": "application/octet-stream"})
