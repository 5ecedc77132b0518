"""The fake's REST routes: small pure-ish handlers that read the request and update the fake's state.

Each handler returns ``(status, payload)``; the server turns that into a response whose Content-Type is exactly
``application/json`` (discord.py treats anything else as text). Unknown routes answer 404 with code 0 and are listed
in ``FakeDiscord.unknown_routes`` so a test can notice the bot calling something the fake does not model.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from tests.e2e.payloads import now_iso, snowflake

if TYPE_CHECKING:
    from tests.e2e.fake_discord import FakeDiscord

Result = tuple[int, Any]
Handler = Callable[..., Result]
_ROUTES: list[tuple[str, re.Pattern[str], Handler]] = []
EPHEMERAL = 1 << 6
LOADING = 1 << 7


def route(method: str, pattern: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        _ROUTES.append((method, re.compile("^" + pattern + "$"), fn))
        return fn

    return register


async def read_body(request: web.Request) -> tuple[Any, list[tuple[str, bytes]]]:
    """JSON body, or multipart with ``payload_json`` plus files (how discord.py uploads attachments)."""
    if request.content_type.startswith("multipart/"):
        payload: Any = None
        files: list[tuple[str, bytes]] = []
        reader = await request.multipart()
        async for part in reader:
            data = await part.read(decode=False)  # type: ignore[union-attr]
            if part.name == "payload_json":  # type: ignore[union-attr]
                payload = json.loads(data)
            else:
                files.append((part.filename or "file", bytes(data)))  # type: ignore[union-attr]
        return payload, files
    raw = await request.read()
    return (json.loads(raw) if raw else None), []


def handle(fake: FakeDiscord, method: str, path: str, body: Any, files: list[tuple[str, bytes]],
           query: dict[str, str]) -> Result:
    """Route one call; the fake's lock is held so test threads see consistent state."""
    for m, pattern, fn in _ROUTES:
        match = pattern.match(path)
        if m == method and match:
            with fake._cond:
                return fn(fake, body=body or {}, files=files, query=query, **match.groupdict())
    return 404, {"message": "404: Not Found (route not modelled by the fake)", "code": 0}


def not_found(code: int, message: str) -> Result:
    return 404, {"message": message, "code": code}


# --- messages ----------------------------------------------------------------------------------------------------

def build_message(fake: FakeDiscord, channel_id: str, body: dict[str, Any], *, author: dict[str, Any] | None = None,
                  webhook: bool = False, files: list[tuple[str, bytes]] | None = None) -> dict[str, Any]:
    """Create and store a message from what the bot sent."""
    mid = snowflake()
    ref = body.get("message_reference")
    msg: dict[str, Any] = {
        "id": mid, "channel_id": str(channel_id), "guild_id": fake.world.guild_id,
        "author": author or fake.world.bot.user, "content": body.get("content") or "",
        "embeds": body.get("embeds") or [], "components": body.get("components") or [],
        "attachments": _attachments(fake, files or []), "flags": int(body.get("flags") or 0),
        "timestamp": now_iso(), "edited_timestamp": None, "tts": False, "mention_everyone": False,
        "mentions": [], "mention_roles": [], "pinned": False, "type": 19 if ref else 0,
        "allowed_mentions": body.get("allowed_mentions"),
    }
    if ref:
        msg["message_reference"] = {"message_id": str(ref.get("message_id")), "channel_id": str(channel_id),
                                    "guild_id": fake.world.guild_id}
    if webhook:
        msg["webhook_id"] = fake.world.app_id
        msg["application_id"] = fake.world.app_id
    fake.messages[mid] = msg
    return msg


def _attachments(fake: FakeDiscord, files: list[tuple[str, bytes]]) -> list[dict[str, Any]]:
    out = []
    for filename, data in files:
        aid = snowflake()
        fake.attachments[aid] = data
        url = f"http://127.0.0.1:{fake.port}/attachments/{aid}/{filename}"
        out.append({"id": aid, "filename": filename, "size": len(data), "url": url, "proxy_url": url,
                    "content_type": "text/plain"})
    return out


def edit_message(fake: FakeDiscord, msg: dict[str, Any], body: dict[str, Any],
                 files: list[tuple[str, bytes]]) -> dict[str, Any]:
    """Apply an edit the bot sent (only the keys it sent change, as on Discord)."""
    for key in ("content", "embeds", "components", "flags"):
        if key in body:
            msg[key] = body[key] if body[key] is not None else ([] if key != "content" else "")
    kept = {str(a.get("id")) for a in body.get("attachments", []) or []} if "attachments" in body else None
    if kept is not None:
        msg["attachments"] = [a for a in msg["attachments"] if a["id"] in kept]
    msg["attachments"] = msg["attachments"] + _attachments(fake, files)
    msg["flags"] = int(msg.get("flags") or 0) & ~LOADING
    msg["edited_timestamp"] = now_iso()
    return msg


# --- identity and commands ------------------------------------------------------------------------------------------

@route("GET", r"/users/@me")
def get_me(fake: FakeDiscord, **_: Any) -> Result:
    return 200, fake.world.bot.user


@route("GET", r"/oauth2/applications/@me")
def get_app(fake: FakeDiscord, **_: Any) -> Result:
    return 200, fake.world.application()


@route("GET", r"/gateway/bot")
def get_gateway_bot(fake: FakeDiscord, **_: Any) -> Result:
    return 200, {"url": fake.gateway_url, "shards": 1, "session_start_limit":
                 {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}}


def _upsert(fake: FakeDiscord, scope: str | None, body: list[dict[str, Any]]) -> Result:
    registered = []
    for cmd in body:
        registered.append({"id": snowflake(), "application_id": fake.world.app_id, "version": snowflake(),
                           "description": "", "guild_id": scope, **cmd})
    fake.commands[scope] = registered
    return 200, registered


@route("PUT", r"/applications/(?P<app>\d+)/commands")
def put_global_commands(fake: FakeDiscord, body: Any, **_: Any) -> Result:
    return _upsert(fake, None, body)


@route("PUT", r"/applications/(?P<app>\d+)/guilds/(?P<gid>\d+)/commands")
def put_guild_commands(fake: FakeDiscord, body: Any, gid: str, **_: Any) -> Result:
    return _upsert(fake, gid, body)


@route("GET", r"/applications/(?P<app>\d+)/commands")
def get_global_commands(fake: FakeDiscord, **_: Any) -> Result:
    return 200, fake.commands.get(None, [])


@route("GET", r"/applications/(?P<app>\d+)/guilds/(?P<gid>\d+)/commands")
def get_guild_commands(fake: FakeDiscord, gid: str, **_: Any) -> Result:
    return 200, fake.commands.get(gid, [])


# --- interaction callbacks and webhooks --------------------------------------------------------------------------

@route("POST", r"/interactions/(?P<iid>\d+)/(?P<token>[^/]+)/callback")
def interaction_callback(fake: FakeDiscord, body: Any, files: list[tuple[str, bytes]], iid: str, token: str,
                         **_: Any) -> Result:
    state = fake.interactions.get(token)
    if state is None or state["payload"]["id"] != iid:
        return not_found(10062, "Unknown interaction")
    if state["acked"] is not None:
        return 400, {"message": "Interaction has already been acknowledged.", "code": 40060}
    kind, data = int(body.get("type", 0)), body.get("data") or {}
    state["acked"] = kind
    payload = state["payload"]
    channel_id = payload["channel"]["id"]
    resource: dict[str, Any] = {"type": kind}
    if kind in (4, 5):
        flags = int(data.get("flags") or 0) | (LOADING if kind == 5 else 0)
        msg = build_message(fake, channel_id, {**data, "flags": flags}, webhook=True, files=files)
        state["original"] = msg["id"]
        resource["message"] = msg
    elif kind in (6, 7) and payload.get("message"):
        msg = fake.messages.get(payload["message"]["id"]) or payload["message"]
        state["original"] = msg["id"]
        if kind == 7:
            resource["message"] = edit_message(fake, msg, data, files)
    info = {"id": iid, "type": payload["type"], "response_message_id": state["original"],
            "response_message_loading": kind == 5,
            "response_message_ephemeral": bool(int(data.get("flags") or 0) & EPHEMERAL)}
    return 200, {"interaction": info, "resource": resource}


def _token_state(fake: FakeDiscord, token: str) -> dict[str, Any] | None:
    return fake.interactions.get(token)


@route("POST", r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)")
def followup(fake: FakeDiscord, body: Any, files: list[tuple[str, bytes]], token: str, **_: Any) -> Result:
    state = _token_state(fake, token)
    if state is None:
        return not_found(10015, "Unknown Webhook")
    if state["acked"] is None:
        return not_found(10062, "Unknown interaction")
    channel_id = state["payload"]["channel"]["id"]
    return 200, build_message(fake, channel_id, body, webhook=True, files=files)


def _webhook_message(fake: FakeDiscord, token: str, mid: str) -> dict[str, Any] | None:
    state = _token_state(fake, token)
    if state is None:
        return None
    if mid == "@original":
        return fake.messages.get(state["original"] or "")
    return fake.messages.get(mid)


@route("PATCH", r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)/messages/(?P<mid>[^/]+)")
def edit_webhook_message(fake: FakeDiscord, body: Any, files: list[tuple[str, bytes]], token: str, mid: str,
                         **_: Any) -> Result:
    msg = _webhook_message(fake, token, mid)
    if msg is None:
        return not_found(10008, "Unknown Message")
    return 200, edit_message(fake, msg, body, files)


@route("GET", r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)/messages/(?P<mid>[^/]+)")
def get_webhook_message(fake: FakeDiscord, token: str, mid: str, **_: Any) -> Result:
    msg = _webhook_message(fake, token, mid)
    return (200, msg) if msg is not None else not_found(10008, "Unknown Message")


@route("DELETE", r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)/messages/(?P<mid>[^/]+)")
def delete_webhook_message(fake: FakeDiscord, token: str, mid: str, **_: Any) -> Result:
    msg = _webhook_message(fake, token, mid)
    if msg is None:
        return not_found(10008, "Unknown Message")
    msg["deleted"] = True
    return 204, None


# --- channels ------------------------------------------------------------------------------------------------------

def _channel(fake: FakeDiscord, cid: str) -> dict[str, Any] | None:
    return next((c for c in fake.world.channels.values() if c["id"] == cid), None)


@route("GET", r"/channels/(?P<cid>\d+)")
def get_channel(fake: FakeDiscord, cid: str, **_: Any) -> Result:
    ch = _channel(fake, cid)
    return (200, ch) if ch else not_found(10003, "Unknown Channel")


@route("POST", r"/channels/(?P<cid>\d+)/messages")
def create_message(fake: FakeDiscord, body: Any, files: list[tuple[str, bytes]], cid: str, **_: Any) -> Result:
    if _channel(fake, cid) is None:
        return not_found(10003, "Unknown Channel")
    return 200, build_message(fake, cid, body, files=files)


def _channel_message(fake: FakeDiscord, cid: str, mid: str) -> dict[str, Any] | None:
    msg = fake.messages.get(mid)
    return msg if msg is not None and msg["channel_id"] == cid and not msg.get("deleted") else None


@route("GET", r"/channels/(?P<cid>\d+)/messages/(?P<mid>\d+)")
def get_message(fake: FakeDiscord, cid: str, mid: str, **_: Any) -> Result:
    msg = _channel_message(fake, cid, mid)
    return (200, msg) if msg else not_found(10008, "Unknown Message")


@route("GET", r"/channels/(?P<cid>\d+)/messages")
def history(fake: FakeDiscord, cid: str, **_: Any) -> Result:
    found = [m for m in fake.messages.values() if m["channel_id"] == cid and not m.get("deleted")]
    return 200, list(reversed(found))[:50]


@route("PATCH", r"/channels/(?P<cid>\d+)/messages/(?P<mid>\d+)")
def patch_message(fake: FakeDiscord, body: Any, files: list[tuple[str, bytes]], cid: str, mid: str,
                  **_: Any) -> Result:
    msg = _channel_message(fake, cid, mid)
    return (200, edit_message(fake, msg, body, files)) if msg else not_found(10008, "Unknown Message")


@route("DELETE", r"/channels/(?P<cid>\d+)/messages/(?P<mid>\d+)")
def delete_message(fake: FakeDiscord, cid: str, mid: str, **_: Any) -> Result:
    msg = _channel_message(fake, cid, mid)
    if msg is None:
        return not_found(10008, "Unknown Message")
    msg["deleted"] = True
    return 204, None


@route("PUT", r"/channels/(?P<cid>\d+)/messages/(?P<mid>\d+)/reactions/(?P<emoji>[^/]+)/@me")
def add_reaction(fake: FakeDiscord, **_: Any) -> Result:
    return 204, None


@route("DELETE", r"/channels/(?P<cid>\d+)/messages/(?P<mid>\d+)/reactions/(?P<emoji>[^/]+)/(?P<who>[^/]+)")
def remove_reaction(fake: FakeDiscord, **_: Any) -> Result:
    return 204, None


@route("POST", r"/channels/(?P<cid>\d+)/typing")
def typing(fake: FakeDiscord, **_: Any) -> Result:
    return 204, None


# --- guild ---------------------------------------------------------------------------------------------------------

@route("GET", r"/guilds/(?P<gid>\d+)/members/(?P<uid>\d+)")
def get_member(fake: FakeDiscord, gid: str, uid: str, **_: Any) -> Result:
    everyone = [fake.world.bot, *fake.world.people.values()]
    person = next((p for p in everyone if p.user["id"] == uid), None)
    return (200, fake.world.member(person)) if person else not_found(10007, "Unknown Member")


@route("GET", r"/guilds/(?P<gid>\d+)/roles")
def get_roles(fake: FakeDiscord, **_: Any) -> Result:
    return 200, list(fake.world.roles.values())


@route("GET", r"/guilds/(?P<gid>\d+)/channels")
def get_channels(fake: FakeDiscord, **_: Any) -> Result:
    return 200, list(fake.world.channels.values())
