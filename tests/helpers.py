"""Spec'd mocks of discord.py objects for cog tests.

Every mock is ``create_autospec(<real discord.py class>, instance=True, spec_set=True)``: a misspelt
attribute or a wrong keyword argument (``followup.send(ephemerl=True)``) fails the test instead of
passing silently, ``isinstance`` checks pass, and coroutine methods are ``AsyncMock``s whose calls
can be asserted. Ids come from a counter so two mocks never share one by accident.
"""

from __future__ import annotations

import contextlib
import itertools
import re
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any
from unittest import mock

import discord

_ids = itertools.count(100_000_000_000_000_001)


def next_id() -> int:
    """A fresh snowflake-sized id."""
    return next(_ids)


def _spec(cls: type) -> Any:
    return mock.create_autospec(cls, instance=True, spec_set=True)


def make_permissions(**perms: bool) -> discord.Permissions:
    """Real Permissions (not a mock), so permission checks run the library's own code."""
    return discord.Permissions(**perms)


def make_role(*, role_id: int | None = None, name: str = "role") -> Any:
    """A spec'd Role."""
    role = _spec(discord.Role)
    role.id = role_id or next_id()
    role.name = name
    role.mention = f"<@&{role.id}>"
    return role


def make_guild(*, guild_id: int | None = None, name: str = "Test Guild") -> Any:
    """A spec'd Guild whose ``get_channel``/``get_role`` return None unless a test sets them."""
    guild = _spec(discord.Guild)
    guild.id = guild_id or next_id()
    guild.name = name
    guild.get_channel.return_value = None
    guild.get_role.return_value = None
    guild.get_member.return_value = None
    return guild


def make_member(
    *,
    guild: Any = None,
    member_id: int | None = None,
    name: str = "member",
    bot: bool = False,
    roles: list[Any] | None = None,
    permissions: discord.Permissions | None = None,
) -> Any:
    """A spec'd Member of ``guild`` with real Permissions."""
    member = _spec(discord.Member)
    member.id = member_id or next_id()
    member.name = name
    member.display_name = name
    member.global_name = name
    member.bot = bot
    member.guild = guild if guild is not None else make_guild()
    member.roles = roles or []
    member.guild_permissions = permissions or make_permissions()
    member.mention = f"<@{member.id}>"
    return member


def make_channel(*, guild: Any = None, channel_id: int | None = None, name: str = "general") -> Any:
    """A spec'd TextChannel whose ``send``/``fetch_message`` are AsyncMocks."""
    channel = _spec(discord.TextChannel)
    channel.id = channel_id or next_id()
    channel.name = name
    channel.guild = guild if guild is not None else make_guild()
    channel.mention = f"<#{channel.id}>"
    return channel


def make_attachment(
    *, filename: str = "article.txt", data: bytes = b"", size: int | None = None, content_type: str | None = None
) -> Any:
    """A spec'd Attachment whose ``read()`` returns ``data``; a ``SPOILER_`` name marks it a spoiler, as on Discord."""
    att = _spec(discord.Attachment)
    att.id = next_id()
    att.filename = filename
    att.is_spoiler.return_value = filename.startswith("SPOILER_")  # a bare mock's answer would be truthy
    att.size = len(data) if size is None else size
    att.content_type = content_type
    att.url = f"https://cdn.example.invalid/attachments/{att.id}/{filename}"
    att.read.return_value = data
    return att


def make_message(
    *,
    content: str = "",
    author: Any = None,
    channel: Any = None,
    guild: Any = None,
    message_id: int | None = None,
    webhook_id: int | None = None,
    attachments: list[Any] | None = None,
) -> Any:
    """A spec'd Message; ``reply`` is an AsyncMock returning another message."""
    msg = _spec(discord.Message)
    msg.id = message_id or next_id()
    msg.content = content
    msg.guild = guild if guild is not None else (channel.guild if channel is not None else make_guild())
    msg.channel = channel if channel is not None else make_channel(guild=msg.guild)
    msg.author = author if author is not None else make_member(guild=msg.guild)
    msg.webhook_id = webhook_id
    msg.attachments = attachments or []
    msg.embeds = []
    msg.message_snapshots = []  # what a forward carries; tests of forwards put a real MessageSnapshot here
    msg.reference = None  # a reply or a forward points at its message here (see make_forward)
    msg.jump_url = f"https://discord.com/channels/{msg.guild.id}/{msg.channel.id}/{msg.id}"
    return msg


def make_forward(state: Any, message: Any, content: str, original: Any = None) -> Any:
    """``message`` made a forward: its own content empty, ``content`` in a real snapshot as discord.py builds it from
    the gateway (``state`` is a ConnectionState), and, when ``original`` is given, a real forward reference to it."""
    payload = {"type": 0, "content": content, "embeds": [], "attachments": [], "flags": 0,
               "timestamp": "2025-01-01T00:00:00+00:00", "edited_timestamp": None}
    message.content = ""
    message.message_snapshots = [discord.MessageSnapshot(state, payload)]  # type: ignore[arg-type]
    if original is not None:
        message.reference = discord.MessageReference(
            message_id=original.id, channel_id=original.channel.id, guild_id=original.guild.id,
            type=discord.MessageReferenceType.forward)
    return message


@contextlib.contextmanager
def bot_sees(bot: Any, *channels: Any) -> Iterator[None]:
    """The bot's cache holds ``channels`` (looked up by id) and their guilds, as once the gateway is ready."""
    by_id = {channel.id: channel for channel in channels}
    guilds = {channel.guild.id: channel.guild for channel in channels}
    with mock.patch.object(bot, "get_channel", side_effect=by_id.get), \
            mock.patch.object(bot, "get_guild", side_effect=guilds.get):
        yield


class _DoneState:
    """Track ``is_done`` the way discord.py does: true after the first response of any kind."""

    def __init__(self, done: bool) -> None:
        self.done = done

    def mark(self, *args: Any, **kwargs: Any) -> None:
        self.done = True

    def is_done(self) -> bool:
        return self.done


def make_interaction(
    *,
    client: Any = None,
    guild: Any = None,
    user: Any = None,
    channel: Any = None,
    done: bool = False,
    in_guild: bool = True,
    command: Any = None,
) -> Any:
    """A spec'd Interaction with a stateful spec'd ``response`` and a spec'd ``followup`` webhook.

    ``response.defer``/``send_message``/``send_modal`` are AsyncMocks that flip ``is_done()`` to
    True, as the real InteractionResponse does.
    """
    inter = _spec(discord.Interaction)
    guild = guild if guild is not None else (make_guild() if in_guild else None)
    inter.id = next_id()
    inter.client = client
    inter.guild = guild
    inter.guild_id = guild.id if guild is not None else None
    inter.user = user if user is not None else make_member(guild=guild or make_guild())
    inter.channel = channel if channel is not None else (make_channel(guild=guild) if guild is not None else None)
    inter.channel_id = inter.channel.id if inter.channel is not None else None
    inter.extras = {}
    inter.command = command
    inter.locale = discord.Locale.american_english
    state = _DoneState(done)
    response = _spec(discord.InteractionResponse)
    response.is_done.side_effect = state.is_done
    for name in ("defer", "send_message", "send_modal", "edit_message"):
        getattr(response, name).side_effect = state.mark
    inter.response = response
    followup = _spec(discord.Webhook)
    inter.followup = followup
    return inter


def http_error(cls: type[discord.HTTPException], status: int, code: int, message: str) -> discord.HTTPException:
    """A real discord.py HTTP error, e.g. ``http_error(discord.NotFound, 404, 10062, "Unknown interaction")``."""
    response = SimpleNamespace(status=status, reason=message)
    return cls(response, {"code": code, "message": message})  # type: ignore[arg-type]


def expired_interaction_error() -> discord.NotFound:
    """The error Discord returns when an interaction token is older than 3 s (unacknowledged) or 15 min."""
    error = http_error(discord.NotFound, 404, 10062, "Unknown interaction")
    assert isinstance(error, discord.NotFound)
    return error


# --- moderation and library helpers (review buttons, store-backed bots) ----------------------------


def make_store_bot(store: Any, settings: Any = None) -> Any:
    """A spec'd BylineBot whose ``store`` is a REAL Store and whose ``settings`` are real Settings."""
    from bot.client import BylineBot
    from bot.config import Settings

    bot = mock.create_autospec(BylineBot, instance=True)
    bot.store = store
    bot.settings = settings if settings is not None else Settings()
    bot.get_channel.return_value = None
    return bot


def flagged_result(text: str, flags: list[tuple[str, str, str]], *, title: str | None = None) -> Any:
    """A hand-built Result whose flags (category, severity, evidence) anchor on the sentence holding the evidence."""
    from bot.analysis.result import Flag, Result, Span

    built = []
    for category, severity, evidence in flags:
        at = text.index(evidence)
        start = text.rfind(".", 0, at) + 1
        end = text.find(".", at) + 1 or len(text)
        while text[start].isspace():
            start += 1
        built.append(Flag(category, severity, start, end, Span.of(text, at, at + len(evidence)),
                          f"Source is not named: '{evidence}'."))
    return Result(sentences=text.count("."), flags=built, title=title, engine="test")


def message_with_view(view: discord.ui.View, *, guild: Any = None, channel: Any = None) -> Any:
    """A spec'd Message carrying ``view``'s components as Discord would send them back on a click."""
    msg = make_message(guild=guild, channel=channel)
    msg.components = [discord.ActionRow(row) for row in view.to_components()]  # type: ignore[arg-type]
    msg.flags = discord.MessageFlags()
    return msg


def live_masked_link(value: str) -> bool:
    """True if an unescaped "[" comes before an unescaped "](http", however many backslashes sit in between:
    Discord would render that stretch as a masked link."""
    def unescaped(i: int) -> bool:
        n = 0
        while i - 1 - n >= 0 and value[i - 1 - n] == "\\":
            n += 1
        return n % 2 == 0
    opens = [m.start() for m in re.finditer(r"\[", value) if unescaped(m.start())]
    closes = [m.start() for m in re.finditer(r"\]\(https?://", value) if unescaped(m.start())]
    return any(o < c for o in opens for c in closes)
