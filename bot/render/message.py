"""A reply built as plain data (embeds, content, files) so it can be tested before anything is sent."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

import discord

from bot.render.limits import NO_MENTIONS


@dataclass(frozen=True)
class Attachment:
    """A file to send, kept as bytes so a reply can be built (and tested) before it is sent."""

    filename: str
    data: bytes

    def to_file(self) -> discord.File:
        """Return a fresh ``discord.File`` (a File can be sent only once)."""
        return discord.File(io.BytesIO(self.data), filename=self.filename)


@dataclass(frozen=True)
class Rendered:
    """A message ready to send: embeds, optional content and attachments."""

    embeds: tuple[discord.Embed, ...] = ()
    content: str | None = None
    attachments: tuple[Attachment, ...] = field(default_factory=tuple)

    def send_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``send``/``followup.send``/``reply``, never allowing a ping."""
        kwargs: dict[str, Any] = {"embeds": list(self.embeds), "allowed_mentions": NO_MENTIONS}
        if self.content:
            kwargs["content"] = self.content
        if self.attachments:
            kwargs["files"] = [a.to_file() for a in self.attachments]
        return kwargs
