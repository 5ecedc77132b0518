"""The fake Discord proves itself against a plain discord.py bot before it is trusted to judge Byline."""

from __future__ import annotations

import discord
import pytest
from discord import app_commands
from discord.ext import commands

from tests.e2e import builders
from tests.e2e.fake_discord import FakeDiscord
from tests.e2e.payloads import find_custom_ids
from tests.e2e.runner import BotThread

pytestmark = pytest.mark.e2e


class EchoModal(discord.ui.Modal, title="Paste"):
    body: discord.ui.TextInput = discord.ui.TextInput(label="Text", custom_id="selftest:body",
                                                      style=discord.TextStyle.paragraph)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"got {len(self.body.value)} chars", ephemeral=True)


class PingButton(discord.ui.DynamicItem[discord.ui.Button], template=r"selftest:ping:(?P<n>[0-9]+)"):
    def __init__(self, n: int) -> None:
        super().__init__(discord.ui.Button(label="Ping", custom_id=f"selftest:ping:{n}"))
        self.n = n

    @classmethod
    async def from_custom_id(cls, interaction, item, match):  # type: ignore[override]
        return cls(int(match["n"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"pong {self.n}", ephemeral=True)


class SelfTestBot(commands.Bot):
    """The smallest bot that exercises every route the fake claims to model."""

    def __init__(self, guild_id: int) -> None:
        intents = discord.Intents.none()
        intents.guilds = intents.guild_messages = intents.message_content = True
        super().__init__(command_prefix="!", intents=intents, allowed_mentions=discord.AllowedMentions.none())
        self.guild_id = guild_id
        self.seen_messages: list[str] = []

    async def setup_hook(self) -> None:
        self._connection.guild_ready_timeout = 0.1
        self.add_dynamic_items(PingButton)
        tree = self.tree

        @tree.command(description="Echo text after deferring")
        @app_commands.describe(text="what to echo")
        async def echo(interaction: discord.Interaction, text: str, times: int = 1) -> None:
            await interaction.response.defer(thinking=True)
            view = discord.ui.View(timeout=None)
            view.add_item(PingButton(7))
            await interaction.followup.send(text * times, view=view, file=discord.File(_bytes(b"report"), "r.txt"))

        @tree.command(description="Open a modal")
        async def paste(interaction: discord.Interaction) -> None:
            await interaction.response.send_modal(EchoModal())

        @tree.context_menu(name="Count words")
        async def count(interaction: discord.Interaction, message: discord.Message) -> None:
            await interaction.response.send_message(f"{len(message.content.split())} words")

        tree.copy_global_to(guild=discord.Object(self.guild_id))
        await tree.sync(guild=discord.Object(self.guild_id))

    async def on_message(self, message: discord.Message) -> None:
        if not message.author.bot:
            self.seen_messages.append(message.content)
            await message.reply("seen", mention_author=False)


def _bytes(data: bytes):
    import io

    return io.BytesIO(data)


@pytest.fixture
def selftest(fake: FakeDiscord):
    runner = BotThread(lambda: SelfTestBot(int(fake.world.guild_id)), name="selftest")
    runner.start()
    try:
        yield runner
    finally:
        runner.stop()
    assert runner.error is None


def test_startup_order_and_sync(fake: FakeDiscord, selftest: BotThread) -> None:
    """Login, application info and the guild sync happen before the gateway, as with the real Discord."""
    paths = [(c.method, c.path) for c in fake.snapshot()]
    assert paths[:3] == [("GET", "/users/@me"), ("GET", "/oauth2/applications/@me"),
                         ("PUT", f"/applications/{fake.world.app_id}/guilds/{fake.world.guild_id}/commands")]
    names = {c["name"] for c in fake.commands[fake.world.guild_id]}
    assert names == {"echo", "paste", "Count words"}
    echo = fake.find_command("echo")
    assert [(o["name"], o["type"], o.get("required", False)) for o in echo["options"]] == [
        ("text", 3, True), ("times", 4, False)]
    assert fake.gateway.identifies == 1
    assert selftest.client is not None and selftest.client.get_guild(int(fake.world.guild_id)) is not None


def test_defer_then_followup_with_file_and_button(fake: FakeDiscord, selftest: BotThread) -> None:
    """A deferred command's follow-up carries its file (multipart) and a button that can be clicked."""
    inter = builders.slash(fake, fake.world.people["member"], "general", "echo", text="ab", times=2)
    sent = fake.interact(inter)
    ack = fake.wait_call("POST", f"/{inter['token']}/callback", after=sent)
    assert ack.json["type"] == 5 and ack.at - sent < 3
    follow = fake.wait_call("POST", f"/webhooks/{fake.world.app_id}/{inter['token']}")
    assert follow.json["content"] == "abab"
    assert follow.files == [("r.txt", b"report")]
    message = fake.messages[follow.response["id"]]
    assert find_custom_ids(message) == ["selftest:ping:7"]
    click = builders.component(fake, fake.world.people["member2"], message, "selftest:ping:7")
    fake.interact(click)
    answer = fake.wait_call("POST", f"/{click['token']}/callback")
    assert answer.json["type"] == 4 and answer.json["data"]["content"] == "pong 7"
    assert answer.json["data"]["flags"] & 64


def test_modal_and_context_menu(fake: FakeDiscord, selftest: BotThread) -> None:
    """A modal opened by the bot can be submitted back; a message context menu gets its resolved message."""
    person = fake.world.people["member"]
    opener = builders.slash(fake, person, "general", "paste")
    fake.interact(opener)
    modal = fake.wait_call("POST", f"/{opener['token']}/callback").json
    assert modal["type"] == 9
    submit = builders.modal_submit(fake, person, "general", modal["data"], "x" * 120)
    fake.interact(submit)
    assert fake.wait_call("POST", f"/{submit['token']}/callback").json["data"]["content"] == "got 120 chars"
    target = fake.world.user_message(person, "general", "three little words")
    menu = builders.context_menu(fake, fake.world.people["mod"], "general", "Count words", target)
    fake.interact(menu)
    assert fake.wait_call("POST", f"/{menu['token']}/callback").json["data"]["content"] == "3 words"


def test_message_create_reply_and_unknown_option(fake: FakeDiscord, selftest: BotThread) -> None:
    """MESSAGE_CREATE reaches on_message and the reply is recorded; a wrong option name fails in the builder."""
    sent = fake.inject("MESSAGE_CREATE", fake.world.user_message(fake.world.people["member"], "news", "hello"))
    reply = fake.wait_call("POST", f"/channels/{fake.world.channels['news']['id']}/messages", after=sent)
    assert reply.json["content"] == "seen" and reply.json["message_reference"]["message_id"]
    assert reply.json["allowed_mentions"]["parse"] == []
    with pytest.raises(KeyError, match="no option 'txt'"):
        builders.slash(fake, fake.world.people["member"], "general", "echo", txt="x")


def test_expired_token_and_gateway_resume(fake: FakeDiscord, selftest: BotThread) -> None:
    """An expired token answers 10062 to the client; a dropped socket is RESUMEd and events flow again."""
    inter = builders.slash(fake, fake.world.people["member"], "general", "echo", text="late")
    fake.expire(inter["token"])
    fake.interact(inter)
    refused = fake.wait_call("POST", f"/{inter['token']}/callback")
    assert refused.status == 404 and refused.response["code"] == 10062
    fake.drop_gateway(4000)
    fake.wait_for(lambda: fake.gateway.resumes == 1 and fake.is_connected(), what="RESUME")
    again = builders.slash(fake, fake.world.people["member"], "general", "echo", text="ok")
    fake.interact(again)
    assert fake.wait_call("POST", f"/webhooks/{fake.world.app_id}/{again['token']}").json["content"] == "ok"
    assert selftest.alive() and fake.gateway.identifies == 1
    assert fake.unknown_routes == []


def test_content_type_is_exactly_json(fake: FakeDiscord, selftest: BotThread) -> None:
    """discord.py parses replies only when Content-Type is exactly application/json."""
    import urllib.request

    with urllib.request.urlopen(f"{fake.api_base}/users/@me", timeout=5) as resp:
        assert resp.headers["Content-Type"] == "application/json"


def test_server_error_once_is_retried(fake: FakeDiscord, selftest: BotThread) -> None:
    """A one-off 500 on a follow-up is recorded and the client's retry succeeds."""
    fake.fail("POST", r"^/webhooks/", 500, times=1)
    inter = builders.slash(fake, fake.world.people["member"], "general", "echo", text="retry")
    sent = fake.interact(inter)
    ok = fake.wait_call("POST", f"/webhooks/{fake.world.app_id}/{inter['token']}", after=sent,
                        where=lambda c: c.status == 200)
    attempts = [c.status for c in fake.calls_for_token(inter["token"]) if c.path.startswith("/webhooks/")]
    assert attempts == [500, 200] and ok.json["content"] == "retry"
