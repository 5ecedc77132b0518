"""Scenario 7: faults on Discord's side or in the input never crash the bot, and the next command still works."""

from __future__ import annotations

from unittest import mock

import pytest

from tests.e2e import builders
from tests.e2e.articles import clean_article, link_page
from tests.e2e.flows import invoke, wait_ack
from tests.e2e.harness import Harness, analysis_id_from, embed_text

pytestmark = pytest.mark.e2e


def next_command_works(byline: Harness, n: int) -> None:
    """A fresh member's /analyse gets its report: the bot is alive and serving."""
    fake = byline.fake
    assert byline.runner is not None and byline.runner.alive()
    answer = invoke(fake, builders.slash(fake, fake.world.add_member(f"after-fault-{n}"), "general", "analyse",
                                         text=clean_article(n)))
    assert answer.ack.json["type"] == 5 and analysis_id_from(answer.message)


def test_expired_interaction_token(byline: Harness) -> None:
    """Discord answers 404 Unknown interaction (10062) to everything: the bot logs it and carries on."""
    fake = byline.fake
    inter = builders.slash(fake, fake.world.add_member("late"), "general", "analyse", text=clean_article(400))
    fake.expire(inter["token"])
    sent = fake.interact(inter)
    ack = wait_ack(fake, inter["token"], sent)
    assert ack.status == 404 and ack.response["code"] == 10062
    # The next member's command is answered after it (events arrive in order): once it is, the expired one has had its
    # turn, so "nothing more was tried" needs no clock. Every call with that token gets a 404, so a second attempt
    # (an error message, a follow-up after analysing anyway) shows as a second call, not as a success.
    next_command_works(byline, 401)
    assert [(c.method, c.path) for c in fake.calls_for_token(inter["token"])] == [("POST", ack.path)]


def test_server_error_on_followup_is_retried(byline: Harness) -> None:
    """A 500 on the follow-up is retried: the member still gets the report."""
    fake = byline.fake
    inter = builders.slash(fake, fake.world.add_member("retry"), "general", "analyse", text=clean_article(402))
    fake.fail("POST", rf"^/webhooks/{fake.world.app_id}/{inter['token']}$", 500, times=1)
    answer = invoke(fake, inter)
    statuses = [c.status for c in fake.calls_for_token(inter["token"]) if c.method == "POST"
                and c.path.startswith("/webhooks/")]
    assert statuses[:2] == [500, 200] and analysis_id_from(answer.message)


def test_server_error_on_link_reply_is_survived(byline: Harness) -> None:
    """A 503 on the auto-reply (not retried by discord.py) is logged; the next link gets its reply."""
    fake = byline.fake
    news = fake.world.channels["news"]["id"]
    byline.store("update_settings", int(fake.world.guild_id), autoreply_channel_ids=frozenset({int(news)}))
    fake.fail("POST", rf"^/channels/{news}/messages$", 503, times=1)
    _t, html = link_page(40)
    first_url = byline.pages.add("/faults/first", html)
    sent = fake.inject("MESSAGE_CREATE", fake.world.user_message(fake.world.add_member("lnk1"), "news", first_url))
    failed = fake.wait_call("POST", f"/channels/{news}/messages", after=sent, timeout=60)
    assert failed.status == 503
    _t, html = link_page(41)
    second_url = byline.pages.add("/faults/second", html)
    sent = fake.inject("MESSAGE_CREATE", fake.world.user_message(fake.world.add_member("lnk2"), "news", second_url))
    ok = fake.wait_call("POST", f"/channels/{news}/messages", after=sent, timeout=60)
    assert ok.status == 200 and analysis_id_from(ok.response)
    next_command_works(byline, 403)


def test_gateway_drop_is_resumed(byline: Harness) -> None:
    """The fake closes the socket (4000): the bot RESUMEs the session and keeps answering."""
    fake = byline.fake
    resumes, identifies = fake.gateway.resumes, fake.gateway.identifies
    fake.drop_gateway(4000)
    fake.wait_for(lambda: fake.gateway.resumes == resumes + 1 and fake.is_connected(), 60, "RESUME")
    assert fake.gateway.identifies == identifies
    next_command_works(byline, 404)


def test_invalid_session_identifies_again(byline: Harness) -> None:
    """Op 9 (session not resumable): the bot IDENTIFYs again, gets a fresh READY and keeps answering.

    discord.py's own hook waits 5 s before every IDENTIFY after the first (Discord's one-per-5-s limit); here it is
    a spec'd stand-in that returns at once, and is checked to have been asked for exactly that non-initial wait.
    """
    fake = byline.fake
    identifies = fake.gateway.identifies
    with mock.patch.object(byline.bot, "before_identify_hook", autospec=True) as pause:
        fake.invalidate_session()
        fake.wait_for(lambda: fake.gateway.identifies == identifies + 1 and fake.is_connected(), 60, "re-IDENTIFY")
    pause.assert_awaited_once_with(None, initial=False)
    next_command_works(byline, 405)


@pytest.mark.parametrize(("filename", "content", "words"), [
    ("huge.txt", ("A long sentence about the harbour. " * 8000).encode(), ("too", "long", "large", "characters")),
    ("photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, ("text", "read", "binary", "decode")),
    ("report.pdf", b"%PDF-1.4 not really", (".txt", ".md", ".html", "type", "support")),
])
def test_bad_or_oversized_files_get_a_clear_private_error(byline: Harness, filename: str, content: bytes,
                                                          words: tuple[str, ...]) -> None:
    """Oversized, binary or unsupported uploads are refused privately; nothing is stored; the bot carries on."""
    fake = byline.fake
    person = fake.world.add_member(f"upload-{filename}")
    answer = invoke(fake, builders.slash(fake, person, "general", "analyse", file=(filename, content)))
    assert answer.ephemeral, answer.message
    text = embed_text(answer.message).lower()
    assert any(w.lower() in text for w in words), text
    recent = byline.store("recent", int(fake.world.guild_id), limit=50)
    assert all(a.author_id != person.id for a in recent)
    next_command_works(byline, 406 + len(filename))
