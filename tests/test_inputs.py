"""What ``pick_input`` chooses in a message (📰, the message menu): spec'd messages, real link parsing."""

from __future__ import annotations

import discord
import pytest

from bot.errors import InputError
from cogs._inputs import pick_input
from cogs.links import article_links
from tests.helpers import make_message


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
