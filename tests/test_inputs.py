"""What ``pick_input`` chooses in a message (📰, the message menu): spec'd messages, real link parsing."""

from __future__ import annotations

from typing import Any
from unittest import mock

import discord
import pytest
from discord.http import HTTPClient
from discord.state import ConnectionState

from bot.errors import ForgottenMeanwhile, InputError
from bot.store import STAFF
from bot.urls import article_links
from cogs._inputs import MessageInput, analyse_input, message_text, pick_input, read_attachment
from tests.botkit import ARTICLE, running_bot
from tests.helpers import http_error, make_attachment, make_guild, make_message
from tests.pageserver import PAGES, serve


def forwarded(content: str = "", attachments: list[dict[str, Any]] | None = None) -> discord.MessageSnapshot:
    """A real snapshot, as discord.py builds it from a forward's ``message_snapshots`` payload."""
    data: Any = {"type": 0, "content": content, "embeds": [], "attachments": attachments or [], "flags": 0,
                 "timestamp": "2025-01-01T00:00:00+00:00", "edited_timestamp": None}
    state = mock.create_autospec(ConnectionState, instance=True)
    state.http = mock.create_autospec(HTTPClient, instance=True)  # an instance attribute, so not in the spec
    return discord.MessageSnapshot(state, data)


@pytest.mark.parametrize("content", [
    "clip of the speech https://youtu.be/dQw4w9WgXcQ and the story https://news.example/a",
    "https://tenor.com/view/cat-123 lol https://news.example/a",
])
def test_a_video_or_gif_link_first_does_not_hide_the_article_link(content):
    """📰 and the menu analyse the link the auto-reply would, not the video or GIF before it."""
    assert pick_input(make_message(content=content)).url == article_links(content)[0] == "https://news.example/a"


@pytest.mark.parametrize("content", ["https://youtu.be/dQw4w9WgXcQ", "look at this https://tenor.com/view/cat-123"])
def test_only_video_or_gif_links_are_refused_not_fetched_or_analysed_as_prose(content):
    """Nothing to fetch and no article to read: a clear refusal that says why."""
    with pytest.raises(InputError, match="not video, GIF or Discord links"):
        pick_input(make_message(content=content))


def test_the_preview_discord_adds_to_a_video_link_is_not_analysed():
    """Discord's embed of a YouTube link carries the video's blurb: neither it nor the link is an article."""
    message = make_message(content="https://youtu.be/dQw4w9WgXcQ")
    message.embeds = [discord.Embed(url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                                    description="The official video, remastered in 4K for the anniversary.")]
    with pytest.raises(InputError, match="not video, GIF or Discord links"):
        pick_input(message)


@pytest.mark.parametrize("caption", ["Thoughts on this?", "Pasted from https://news.example/a, the site is down"])
def test_a_file_wins_over_a_short_caption_beside_it(caption):
    """Discord turns a long paste into message.txt while the member types a comment: the file is the article."""
    article = make_attachment(filename="message.txt", data=ARTICLE.encode())
    picked = pick_input(make_message(content=caption, attachments=[make_attachment(filename="photo.png"), article]))
    assert picked.attachment is article and picked.text is None and picked.url is None


def test_text_of_article_length_wins_over_a_file():
    """A message that is itself an article is what the member meant, whatever file rides along."""
    text = " ".join(["word"] * 60)
    picked = pick_input(make_message(content=text, attachments=[make_attachment(filename="notes.md")]))
    assert picked.text == text


def test_a_short_caption_beside_an_unsupported_file_is_still_read():
    """A photo is not something Byline reads, so the text is all there is."""
    picked = pick_input(make_message(content="Short note", attachments=[make_attachment(filename="photo.png")]))
    assert picked.text == "Short note"


@pytest.mark.parametrize(("content", "field", "expected"), [
    (ARTICLE, "text", ARTICLE),
    ("https://news.example/story", "url", "https://news.example/story"),
])
def test_a_forward_is_read_through_the_message_it_carries(content, field, expected):
    """A forward's own content is empty; its snapshot holds the text or link."""
    message = make_message(content="")
    message.message_snapshots = [forwarded(content)]
    assert getattr(pick_input(message), field) == expected


def test_a_forwarded_file_is_read():
    file = {"id": "1", "filename": "article.txt", "size": 900, "url": "https://cdn.example.invalid/a.txt",
            "proxy_url": "https://media.example.invalid/a.txt"}
    message = make_message(content="")
    message.message_snapshots = [forwarded("Thoughts?", attachments=[file])]
    attachment = pick_input(message).attachment
    assert isinstance(attachment, discord.Attachment) and attachment.filename == "article.txt"


def test_message_text_is_the_messages_own_or_else_its_forwards():
    """The auto-reply reads a forward's text through the same helper the menu and 📰 use."""
    message = make_message(content="")
    assert message_text(message) == ""
    message.message_snapshots = [forwarded("see https://news.example/a")]
    assert message_text(message) == "see https://news.example/a"
    message.content = "my own words"
    assert message_text(message) == "my own words"


# --- a forget-me while the input is still being read voids the request --------------------------------------


@pytest.mark.parametrize(("filename", "data"), [
    ("article.txt", ARTICLE.encode()),
    ("page.html", (PAGES / "article.html").read_bytes()),  # then extracted in a worker, after the download
], ids=["text", "html"])
async def test_a_forget_me_while_the_file_downloads_stores_nothing(tmp_path, filename, data):
    """The request began before the download: a /forget landing during it must void the save, as privacy.md says."""
    async with running_bot(tmp_path) as bot:
        guild, author = make_guild(), 4242
        att = make_attachment(filename=filename, data=data)

        async def read_while_the_member_forgets() -> bytes:
            await bot.store.forget_user(guild.id, author)
            return data

        att.read.side_effect = read_while_the_member_forgets
        with pytest.raises(ForgottenMeanwhile):
            await analyse_input(bot, guild.id, MessageInput(attachment=att), author_id=author, channel_id=1,
                                message_link=None, private=False)
        assert await bot.store.recent(guild.id, viewer_id=STAFF) == []
        again = make_attachment(filename=filename, data=data)  # a request begun after the forget-me is served
        stored = await analyse_input(bot, guild.id, MessageInput(attachment=again), author_id=author, channel_id=1)
        assert stored.author_id == author


async def test_a_link_keeps_the_generation_its_request_began_with(tmp_path):
    """A caller that began the request earlier passes its generation on; the fetch must not take a newer one."""
    async with serve() as pages, running_bot(tmp_path) as bot:
        began = bot.store.forget_generation(9, 4242)
        await bot.store.forget_user(9, 4242)
        with pytest.raises(ForgottenMeanwhile):
            await analyse_input(bot, 9, MessageInput(url=pages.url("/article")), author_id=4242,
                                forget_generation=began)
        assert await bot.store.recent(9, viewer_id=STAFF) == []


@pytest.mark.parametrize("failure", [
    http_error(discord.HTTPException, 503, 0, "upstream"),
    discord.DiscordException("connection dropped"),
])
async def test_a_file_discord_did_not_hand_over_is_a_passing_failure(tmp_path, failure):
    """"Try again" is meant: the error is transient, so a 📰 told so is not taken as answered."""
    upload = make_attachment(filename="story.md", data=ARTICLE.encode())
    upload.read.side_effect = failure
    async with running_bot(tmp_path) as bot:
        with pytest.raises(InputError) as caught:
            await read_attachment(bot, upload)
    assert caught.value.transient and "try again" in caught.value.user_message
