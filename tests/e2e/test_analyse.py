"""Scenarios 2 and 3: /analyse (text, modal) and the "Analyse with Byline" context menu, end to end."""

from __future__ import annotations

import re

import pytest

from bot.store import STAFF
from tests.e2e import builders
from tests.e2e.articles import article, clean_article, link_page
from tests.e2e.flows import ACK_DEADLINE_S, invoke, wait_answer
from tests.e2e.harness import Harness, analysis_id_from, embed_text

pytestmark = pytest.mark.e2e

LABELS = {"anonymous_source": "Anonymous source", "vague_source": "Vague source", "no_source": "No source",
          "unattributed_quote": "Quote with no speaker"}


def _plain(text: str) -> str:
    """Undo markdown escaping and whitespace folding, to compare embed text with article text."""
    return " ".join(re.sub(r"\\(.)", r"\1", text).split())


def _stored(byline: Harness, analysis_id: str):
    stored = byline.store("get_analysis", int(byline.fake.world.guild_id), analysis_id)
    assert stored is not None, f"analysis {analysis_id} is not in the database"
    return stored


def test_analyse_text_defers_in_time_then_reports(byline: Harness) -> None:
    """/analyse text: type-5 ack < 3 s, then a follow-up embed with the summary and the article's flags."""
    fake = byline.fake
    person = fake.world.add_member("ana-text")
    inter = builders.slash(fake, person, "general", "analyse", text=article(100))
    sent = fake.interact(inter)
    answer = wait_answer(fake, inter["token"], sent)
    assert answer.ack.json["type"] == 5 and answer.ack_seconds < ACK_DEADLINE_S
    assert answer.message is not None and answer.message["embeds"], answer.message
    assert answer.via.json.get("allowed_mentions", {}).get("parse") == []
    stored = _stored(byline, analysis_id_from(answer.message))
    assert stored.author_id == person.id and stored.channel_id == fake.world.channel_id("general")
    categories = {f.category for f in stored.result.flags}
    assert {"anonymous_source", "vague_source", "no_source"} <= categories, categories
    shown = _plain(embed_text(answer.message))
    for sentence in stored.result.summary:
        assert _plain(sentence.text)[:60] in shown
    for category in categories:
        assert LABELS[category] in shown
    assert "familiar with the budget" in shown  # the anonymous source is quoted as evidence


def test_lookup_finds_the_stored_analysis(byline: Harness) -> None:
    """/lookup id returns the same analysis (same id, same title) from the database."""
    fake = byline.fake
    person = fake.world.add_member("ana-lookup")
    first = invoke(fake, builders.slash(fake, person, "general", "analyse", text=clean_article(101)))
    aid = analysis_id_from(first.message)
    found = invoke(fake, builders.slash(fake, fake.world.add_member("ana-lookup2"), "news", "lookup", id=aid))
    assert found.message is not None and analysis_id_from(found.message) == aid
    assert found.message["embeds"][0]["title"] == first.message["embeds"][0]["title"]
    missing = invoke(fake, builders.slash(fake, person, "news", "lookup", id="zzzzzz"))
    assert missing.ephemeral and "zzzzzz" in embed_text(missing.message)


def test_context_menu_analyses_the_target_message(byline: Harness) -> None:
    """The message context menu analyses the message it targets and records where it came from."""
    fake = byline.fake
    author, reader = fake.world.add_member("ana-author"), fake.world.add_member("ana-reader")
    target = fake.world.user_message(author, "news", article(102))
    menu = builders.context_menu(fake, reader, "news", "Analyse with Byline", target)
    sent = fake.interact(menu)
    answer = wait_answer(fake, menu["token"], sent)
    assert answer.ack.json["type"] == 5 and answer.ack_seconds < ACK_DEADLINE_S
    stored = _stored(byline, analysis_id_from(answer.message))
    assert stored.channel_id == fake.world.channel_id("news")
    assert stored.message_link and target["id"] in stored.message_link
    assert "anonymous_source" in {f.category for f in stored.result.flags}


def test_context_menu_on_a_spoiler_answers_only_the_member_who_asked(byline: Harness) -> None:
    """A story hidden behind ``||...||`` is answered ephemerally (the defer too), with a line saying why."""
    fake = byline.fake
    author, reader = fake.world.add_member("spoil-author"), fake.world.add_member("spoil-reader")
    target = fake.world.user_message(author, "news", f"||{article(106)}||")
    menu = builders.context_menu(fake, reader, "news", "Analyse with Byline", target)
    sent = fake.interact(menu)
    answer = wait_answer(fake, menu["token"], sent)
    assert answer.ack.json["type"] == 5 and answer.ack.json["data"]["flags"] & 64
    assert answer.ephemeral and "spoiler" in answer.message["content"]
    aid = analysis_id_from(answer.message)
    assert byline.store("get_analysis", int(fake.world.guild_id), aid, viewer_id=STAFF).private
    assert aid not in {stored.id for stored in byline.store("recent", int(fake.world.guild_id))}


def test_analyse_without_options_opens_a_modal_whose_submit_is_analysed(byline: Harness) -> None:
    """/analyse alone answers with a modal (type 9); submitting it produces a stored analysis."""
    fake = byline.fake
    person = fake.world.add_member("ana-modal")
    opener = builders.slash(fake, person, "general", "analyse")
    modal = invoke(fake, opener)
    assert modal.ack.json["type"] == 9 and modal.ack_seconds < ACK_DEADLINE_S
    inputs = [c for row in modal.message["components"] for c in row.get("components", [row.get("component", {})])]
    assert any(c.get("type") == 4 and c.get("max_length", 4000) <= 4000 for c in inputs)
    text = article(103)[:3900]
    submit = builders.modal_submit(fake, person, "general", modal.message, text)
    sent = fake.interact(submit)
    answer = wait_answer(fake, submit["token"], sent)
    assert answer.ack.json["type"] in (4, 5) and answer.ack_seconds < ACK_DEADLINE_S
    stored = _stored(byline, analysis_id_from(answer.message))
    assert stored.author_id == person.id
    assert byline.store("get_text", int(fake.world.guild_id), stored.id).strip() == text.strip()


def test_analyse_url_file_and_ephemeral(byline: Harness) -> None:
    """url: fetched from the local page server; file: read from the attachment; ephemeral: private defer + reply."""
    fake = byline.fake
    title, html = link_page(20)
    url = byline.pages.add("/analyse/by-url", html)
    by_url = invoke(fake, builders.slash(fake, fake.world.add_member("ana-url"), "general", "analyse", url=url))
    stored = _stored(byline, analysis_id_from(by_url.message))
    assert stored.url == url and title in embed_text(by_url.message)
    by_file = invoke(fake, builders.slash(fake, fake.world.add_member("ana-file"), "general", "analyse",
                                          file=("story.txt", clean_article(104).encode())))
    assert _stored(byline, analysis_id_from(by_file.message)).title
    private = invoke(fake, builders.slash(fake, fake.world.add_member("ana-eph"), "general", "analyse",
                                          text=clean_article(105), ephemeral=True))
    assert private.ack.json["type"] == 5 and private.ack.json["data"]["flags"] & 64
    assert private.ephemeral and analysis_id_from(private.message)
