"""Interaction builders that read the commands the bot actually registered.

Option types come from the bot's own sync payload, so a test that passes ``text=...`` to ``/analyse`` fails loudly if
the bot registered no such option, instead of sending something the real Discord could never send.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.e2e.payloads import Person, modal_values, snowflake

if TYPE_CHECKING:
    from tests.e2e.fake_discord import FakeDiscord

SUBCOMMAND, GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = 3, 4, 5, 6, 7, 8, 9, 10, 11


def slash(fake: FakeDiscord, person: Person, channel: str, command: str, /, **options: Any) -> dict[str, Any]:
    """Build ``/command [group] [sub] option=value ...`` as Discord would deliver it."""
    top, *path = command.split()
    cmd = fake.find_command(top, 1)
    resolved: dict[str, dict[str, Any]] = {}
    defs = cmd.get("options", [])
    nested: list[dict[str, Any]] = []
    holder = nested
    for name in path:
        opt = _option(defs, name, top)
        node = {"type": opt["type"], "name": name, "options": []}
        holder.append(node)
        holder, defs = node["options"], opt.get("options", [])
    for name, value in options.items():
        opt = _option(defs, name, command)
        holder.append({"type": opt["type"], "name": name, "value": _value(fake, opt["type"], value, resolved)})
    data = {"id": cmd["id"], "name": top, "type": 1, "options": nested}
    if resolved:
        data["resolved"] = resolved
    if cmd.get("guild_id"):
        data["guild_id"] = cmd["guild_id"]
    return fake.world.interaction(2, person, channel, data)


def _option(defs: list[dict[str, Any]], name: str, where: str) -> dict[str, Any]:
    for opt in defs:
        if opt["name"] == name:
            return opt
    known = ", ".join(o["name"] for o in defs)
    raise KeyError(f"/{where} has no option {name!r} (registered: {known})")


def _value(fake: FakeDiscord, kind: int, value: Any, resolved: dict[str, dict[str, Any]]) -> Any:
    world = fake.world
    if kind == CHANNEL:
        ch = world.resolved_channel(value)
        resolved.setdefault("channels", {})[ch["id"]] = ch
        return ch["id"]
    if kind == ROLE or (kind == MENTIONABLE and isinstance(value, str)):
        role = world.resolved_role(value)
        resolved.setdefault("roles", {})[role["id"]] = role
        return role["id"]
    if kind in (USER, MENTIONABLE):
        person: Person = value
        resolved.setdefault("users", {})[person.user["id"]] = person.user
        member = world.member(person, with_user=False)
        resolved.setdefault("members", {})[person.user["id"]] = member
        return person.user["id"]
    if kind == ATTACHMENT:
        filename, content = value
        aid = snowflake()
        fake.attachments[aid] = content
        url = f"http://127.0.0.1:{fake.port}/attachments/{aid}/{filename}"
        resolved.setdefault("attachments", {})[aid] = {
            "id": aid, "filename": filename, "size": len(content), "url": url, "proxy_url": url,
            "content_type": "text/plain; charset=utf-8" if not filename.endswith(".html") else "text/html"}
        return aid
    return value


def context_menu(fake: FakeDiscord, person: Person, channel: str, name: str,
                 message: dict[str, Any]) -> dict[str, Any]:
    """A message context-menu invocation on ``message`` (delivered without the Message Content intent rule)."""
    cmd = fake.find_command(name, 3)
    data = {"id": cmd["id"], "name": name, "type": 3, "target_id": message["id"],
            "resolved": {"messages": {message["id"]: message}}}
    if cmd.get("guild_id"):
        data["guild_id"] = cmd["guild_id"]
    return fake.world.interaction(2, person, channel, data)


def component(fake: FakeDiscord, person: Person, message: dict[str, Any], custom_id: str) -> dict[str, Any]:
    """A button click on a message the bot sent."""
    channel = next(n for n, c in fake.world.channels.items() if c["id"] == message["channel_id"])
    data = {"custom_id": custom_id, "component_type": 2}
    return fake.world.interaction(3, person, channel, data, message=message)


def modal_submit(fake: FakeDiscord, person: Person, channel: str, modal: dict[str, Any],
                 text: str) -> dict[str, Any]:
    """Submit the modal the bot opened (the ``data`` of its type-9 callback) with every text input = ``text``."""
    data = {"custom_id": modal["custom_id"], "components": modal_values(modal, text)}
    return fake.world.interaction(5, person, channel, data)
