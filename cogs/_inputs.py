"""What to analyse in a message or an upload: shared by the analyse and links cogs (not an extension).

A message may hold a link, prose, a supported file, or an embed from a feed bot. Text of article length
wins (someone pasting an article with its source link at the end); below that the text is a caption, and a
supported file wins over it, then a link. Discord turns a long paste into message.txt while the member types
a comment such as "thoughts on this?": the file is the article, the comment is not. A forwarded message is
read through the copy it carries (its snapshot), since its own content is empty. Links to chat,
GIF and video hosts are passed over exactly as the link auto-reply passes them over, so 📰 on a message
analyses the same link an auto-reply would.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

import discord

from bot.analysis.validate import decode
from bot.errors import AttachmentDownloadFailed, InputError, InputTooLarge, UnsupportedAttachment
from bot.extract import bom_codec
from bot.per_bot import PerBot
from bot.pipeline import GuildRequest, analyse_and_store, analyse_url, begin_request, guild_request, held_until_done
from bot.urls import SPOILER, article_links, find_urls, normalize_url, spoilered_urls

if TYPE_CHECKING:
    from bot.client import BylineBot
    from bot.store import StoredAnalysis

ATTACHMENT_KINDS = {".txt": "text", ".md": "text", ".markdown": "text", ".html": "html", ".htm": "html"}
# Text with at least this many words (links aside) is an article in itself: analysed as text, not a caption on
# the message's file or link.
ARTICLE_WORDS = 60


@dataclass(frozen=True)
class MessageInput:
    """One thing to analyse: a link, some text, or an attachment to read."""

    url: str | None = None
    text: str | None = None
    attachment: Any = None  # discord.Attachment


def message_parts(message: discord.Message) -> list[discord.Message | discord.MessageSnapshot]:
    """The message, then the copy a forward carries (its first snapshot), since a forward's own content is empty.

    Every reader of a member's message (the menu, 📰, the auto-reply, the spoiler check) goes through this, so a
    forward is read the same way everywhere.
    """
    forwarded = next(iter(message.message_snapshots), None)
    return [message] if forwarded is None else [message, forwarded]


def message_text(message: discord.Message) -> str:
    """The message's own text or, when it has none, the text of the message it forwards."""
    return next((part.content for part in message_parts(message) if part.content), "")


def pick_input(message: discord.Message) -> MessageInput:
    """Choose what to analyse in ``message`` or the message it forwards; raise InputError when nothing is usable."""
    found_links = False
    for source in message_parts(message):
        content = source.content or ""
        picked = _pick(content, source.attachments, source.embeds)
        if picked is not None:
            return picked
        found_links = found_links or bool(find_urls(content))
    if found_links:
        raise InputError("Byline reads news articles, not video, GIF or Discord links, and that message has no "
                         "other link, text or .txt/.md/.html file.")
    raise InputError("That message has no text, link or .txt/.md/.html file for Byline to analyse.")


def behind_spoiler(message: discord.Message, picked: MessageInput) -> bool:
    """Whether the poster hid what ``picked`` takes from ``message`` behind a spoiler (link, text or file).

    Every answer that shows the article (📰, the message menu) asks this, so it never reveals more than the poster did.
    """
    if picked.attachment is not None:
        return bool(picked.attachment.is_spoiler())
    if picked.text is not None:
        return SPOILER.search(picked.text) is not None
    if picked.url is None:
        return False
    key = normalize_url(picked.url)
    return any(key in spoilered_urls(part.content or "") for part in message_parts(message))


def _pick(content: str, attachments: list[discord.Attachment], embeds: list[discord.Embed]) -> MessageInput | None:
    """What to analyse among one message's parts, or None when none of them will do."""
    links = find_urls(content)
    prose = content
    for link in links:
        prose = prose.replace(link, " ")
    words = len(prose.split())
    if words >= ARTICLE_WORDS:
        return MessageInput(text=content)
    for attachment in attachments:
        if attachment_kind(attachment.filename) is not None:
            return MessageInput(attachment=attachment)
    articles = article_links(content)
    if articles:
        return MessageInput(url=articles[0])
    if words and not links:  # a caption on nothing but a video is not an article either
        return MessageInput(text=content)
    for embed in embeds:
        if embed.url and find_urls(embed.url):
            if article_links(embed.url):
                return MessageInput(url=embed.url)
            continue  # a video or GIF preview: neither its link nor its blurb is an article
        if embed.description and embed.description.strip():
            return MessageInput(text=embed.description)
    return None


def lone_link(text: str) -> str | None:
    """The link, when ``text`` is one link and nothing else (``<...>`` and end punctuation aside), else None.

    A member who pastes a link where the article text goes means the article behind it, not the URL as prose.
    """
    links = find_urls(text)
    if len(links) != 1 or any(ch.isalnum() for ch in text.replace(links[0], " ")):
        return None
    return links[0]


def is_private_channel(channel: Any) -> bool:
    """True when @everyone cannot read ``channel`` (or a private thread): what is analysed there must not surface
    in the server-wide library. A channel whose rights cannot be worked out counts as private (fail closed)."""
    if isinstance(channel, discord.Thread) and channel.is_private():
        return True
    guild = getattr(channel, "guild", None)
    if guild is None:
        return False  # not a server channel: nothing server-wide to hide it from
    try:
        perms = channel.permissions_for(guild.default_role)
    except Exception:  # an unresolved channel or role: keep it private rather than guess
        return True
    return isinstance(perms, discord.Permissions) and not perms.view_channel


def attachment_kind(filename: str) -> str | None:
    """``"text"`` or ``"html"`` for supported uploads, else None."""
    return ATTACHMENT_KINDS.get(PurePath(filename or "").suffix.lower())


def check_attachment(bot: BylineBot, attachment: discord.Attachment) -> tuple[str, int]:
    """The upload's kind and byte limit, refusing an unsupported or oversized file by what Discord says of it.

    Cheap, so done before the request takes a place in its server's share: such a file is told what is wrong with
    it, never that Byline is busy.
    """
    kind = attachment_kind(attachment.filename)
    if kind is None:
        suffix = PurePath(attachment.filename or "").suffix or "files without an extension"
        raise UnsupportedAttachment(f"Byline reads .txt, .md and .html files, not {suffix}.")
    limit = bot.settings.fetch.max_bytes if kind == "html" else bot.settings.analysis.max_chars * 4
    if attachment.size > limit:
        raise InputTooLarge(f"That file is {attachment.size / 1e6:.1f} MB; the limit is {limit / 1e6:.1f} MB.")
    return kind, limit


async def read_attachment(bot: BylineBot, attachment: discord.Attachment) -> tuple[str | None, str]:
    """Download and decode an uploaded .txt/.md/.html file; return (title, text).

    HTML goes through the fetcher's extraction rules in a worker process, since parsing a large page
    would otherwise stall the event loop.
    """
    kind, limit = check_attachment(bot, attachment)
    try:
        data = await attachment.read()
    except discord.DiscordException as exc:
        raise AttachmentDownloadFailed() from exc
    if len(data) > limit:
        raise InputTooLarge(f"That file is over the {limit / 1e6:.1f} MB limit.")
    if not data.strip():
        raise InputError("That file is empty.")
    if kind == "html":
        if bom_codec(data) is None and b"\x00" in data[:65536]:
            raise InputError("That file looks binary, not like an HTML page.")
        return await bot.analyzer.extract_html(data, bot.settings.fetch.min_article_chars)
    return None, decode_text_file(data)


def decode_text_file(data: bytes) -> str:
    """Decode an uploaded text file by its byte-order mark when it has one, else as UTF-8.

    Notepad's and Word's "Unicode" is UTF-16 with a mark: full of NUL bytes, yet text. Without a mark the
    strict UTF-8 rules apply, which refuse binary files and other encodings.
    """
    marked = bom_codec(data)
    if marked is None:
        return decode(data)
    codec, start = marked
    name = codec.upper().removesuffix("-LE").removesuffix("-BE")
    try:
        text = data[start:].decode(codec)
    except UnicodeDecodeError:
        raise InputError(f"That file is marked as {name} text but isn't valid {name}; it may be binary.") from None
    if "\x00" in text:
        raise InputError("That file looks binary (it contains NUL characters), not like text.")
    return text


async def analyse_input(bot: BylineBot, guild_id: int, picked: MessageInput, **meta: Any) -> StoredAnalysis:
    """Analyse whatever ``picked`` holds (link, text or upload) through the one pipeline."""
    meta["forget_generation"] = begin_request(bot, guild_id, meta.get("author_id"), meta.get("forget_generation"))
    if picked.url is not None:
        return await analyse_url(bot, guild_id, picked.url, **meta)
    if picked.attachment is None:
        return await analyse_and_store(bot, guild_id, picked.text or "", **meta)
    check_attachment(bot, picked.attachment)
    with guild_request(bot, guild_id) as request:
        # Any upload takes a place in the server's share before its download, kept into its analysis (an uploaded
        # page is extracted in a worker on the way): members asking for one file share that place and one download.
        private_for = meta.get("author_id") if meta.get("private") else None
        request.take(("upload", picked.attachment.id, private_for))
        title, text = await _read_shared(bot, request, picked.attachment)
        return await analyse_and_store(bot, guild_id, text, title=title, request=request, **meta)


_READS: PerBot[dict[Hashable, asyncio.Future[tuple[str | None, str]]]] = PerBot(dict)


async def _read_shared(bot: BylineBot, request: GuildRequest, attachment: discord.Attachment) -> tuple[str | None, str]:
    """Download (and, for a page, extract) an upload once for every request holding the same place (members using
    the message menu on one message): they share the one place, so they share the one download and worker job too.

    The first request starts it, held in the server's share until it ends (``held_until_done``), even if that request
    gives up; the others await the same result, or error. A request that gives up never cancels it for the others.
    """
    reads = _READS.of(bot)
    key = (request.guild_id, request.slot)
    shared = reads.get(key)
    if shared is None:
        shared = reads[key] = asyncio.ensure_future(read_attachment(bot, attachment))
        shared.add_done_callback(functools.partial(_read_done, reads, key))
        return await held_until_done(request, shared)
    return await asyncio.shield(shared)


def _read_done(reads: dict[Hashable, asyncio.Future[Any]], key: Hashable, done: asyncio.Future[Any]) -> None:
    if reads.get(key) is done:
        del reads[key]
    if not done.cancelled():
        done.exception()  # retrieved here too: every request may have gone, and asyncio would log it as lost
