"""Scenario 5: flags reach the review channel with buttons; only moderators act; one of two racing clicks wins."""

from __future__ import annotations

import re

import pytest

from tests.e2e import builders
from tests.e2e.articles import article
from tests.e2e.fake_discord import FakeDiscord
from tests.e2e.flows import EPHEMERAL, followups, invoke, wait_answer
from tests.e2e.harness import Harness, analysis_id_from
from tests.e2e.payloads import find_custom_ids

pytestmark = pytest.mark.e2e
REVIEW_ID = re.compile(r"byline:review:(confirm|dismiss|note):(\d+)")


def enable_review(byline: Harness) -> str:
    """An admin points reviews at #review and names the Reviewers role as moderators (idempotent)."""
    fake = byline.fake
    admin = fake.world.people["admin"]
    for command, option in (("settings set review-channel", {"channel": "review"}),
                            ("settings set mod-role", {"role": "reviewers"})):
        answer = invoke(fake, builders.slash(fake, admin, "general", command, **option))
        assert answer.ephemeral, answer.message
    settings = byline.store("get_settings", int(fake.world.guild_id))
    assert settings.review_channel_id == fake.world.channel_id("review")
    return fake.world.channels["review"]["id"]


def post_flagged_analysis(byline: Harness, n: int) -> tuple[dict, list[int], str]:
    """Analyse a fresh article; return the review message, the flag ids it holds and the analysis id."""
    fake = byline.fake
    review_channel = enable_review(byline)
    inter = builders.slash(fake, fake.world.add_member(f"rev-author-{n}"), "general", "analyse", text=article(n))
    sent = fake.interact(inter)
    aid = analysis_id_from(wait_answer(fake, inter["token"], sent).message)
    stored = byline.store("get_analysis", int(fake.world.guild_id), aid)
    severities = [f.severity for f in stored.result.flags]
    assert {"medium", "high"} & set(severities), f"article {n} produced no flag to review: {severities}"
    posted = fake.wait_call("POST", f"/channels/{review_channel}/messages", after=sent, timeout=60)
    assert posted.status == 200
    message = fake.messages[posted.response["id"]]
    ids = sorted({int(m.group(2)) for c in find_custom_ids(message) if (m := REVIEW_ID.fullmatch(c))})
    assert ids, f"no review buttons in {message['components']!r}"
    return message, ids, aid


def flag(byline: Harness, flag_id: int):
    return byline.store("get_flag", int(byline.fake.world.guild_id), flag_id)


def edits_of(fake: FakeDiscord, message_id: str) -> list:
    """Edits of one message, through the channel route or an interaction's @original."""
    out = []
    for c in fake.snapshot():
        if c.method == "PATCH" and c.status == 200 and c.response and c.response.get("id") == message_id:
            out.append(c)
    return out


@pytest.fixture(scope="module")
def review_post(byline: Harness) -> tuple[dict, list[int], str]:
    return post_flagged_analysis(byline, 200)


def test_flags_reach_review_channel_with_buttons(byline: Harness, review_post) -> None:
    """Each posted flag has Confirm, Dismiss and Add note buttons and knows its review message."""
    message, ids, aid = review_post
    custom_ids = set(find_custom_ids(message))
    stored = byline.store("get_analysis", int(byline.fake.world.guild_id), aid)
    assert set(ids) <= set(stored.flag_ids)
    for flag_id in ids:
        assert {f"byline:review:{a}:{flag_id}" for a in ("confirm", "dismiss", "note")} <= custom_ids
        row = byline.fake.wait_for(lambda f=flag_id: (r := flag(byline, f)).review_message_id and r, 10,
                                   "the flag to record its review message")
        assert row.status == "pending" and str(row.review_message_id) == message["id"]
        assert row.severity in ("medium", "high")  # the default threshold is medium
    assert message["embeds"] and message["allowed_mentions"]["parse"] == []


def test_member_without_rights_is_refused_and_nothing_changes(byline: Harness) -> None:
    """A plain member's click gets an ephemeral refusal; it decides nothing and does not edit the card."""
    fake = byline.fake
    message, ids, _aid = post_flagged_analysis(byline, 210)  # its own card: a moderator decides its flag below
    before = len(edits_of(fake, message["id"]))
    click = builders.component(fake, fake.world.people["member"], message, f"byline:review:confirm:{ids[0]}")
    answer = invoke(fake, click)
    assert answer.ack.json["type"] == 4 and answer.ack.json["data"]["flags"] & EPHEMERAL
    assert "moderator" in answer.ack.json["data"]["content"].lower()
    # A moderator's later click on the same flag is answered after it (events arrive in order): once that answer is
    # out, the member's click has had its turn, so "nothing changed" needs no clock. Had it decided the flag, the
    # moderator would be told it was already reviewed; had it re-drawn the card, there would be two edits.
    mod = fake.world.people["mod"]
    decide = builders.component(fake, mod, message, f"byline:review:dismiss:{ids[0]}")
    invoke(fake, decide)
    note = fake.wait_for(lambda: followups(fake, decide["token"]), 10, "the moderator's confirmation")
    assert note[0]["content"] == f"Flag #{ids[0]} dismissed. Thanks!"
    row = flag(byline, ids[0])
    assert (row.status, row.reviewer_id) == ("dismissed", mod.id)
    events = byline.store("review_events", int(fake.world.guild_id), ids[0])
    assert [(e.action, e.actor_id) for e in events if e.action != "posted"] == [("dismissed", mod.id)]
    edits = edits_of(fake, message["id"])[before:]
    assert [decide["token"] in c.path for c in edits] == [True]  # the moderator's re-draw, and no other


def test_moderator_confirms_and_message_shows_it(byline: Harness, review_post) -> None:
    """Manage Messages confirms the flag: the row changes atomically and the review message is edited."""
    fake = byline.fake
    message, ids, _aid = review_post
    mod = fake.world.people["mod"]
    click = builders.component(fake, mod, message, f"byline:review:confirm:{ids[0]}")
    sent = fake.interact(click)
    answer = wait_answer(fake, click["token"], sent)
    assert answer.ack.json["type"] in (6, 7)
    row = flag(byline, ids[0])
    assert row.status == "confirmed" and row.reviewer_id == mod.id
    fake.wait_for(lambda: edits_of(fake, message["id"]), 10, "the review message edit")
    note = fake.wait_for(lambda: followups(fake, click["token"]), 10, "the moderator's confirmation")
    assert note[0]["flags"] & EPHEMERAL and "confirmed" in note[0]["content"]


def test_configured_mod_role_may_review(byline: Harness, review_post) -> None:
    """A member whose only right is the configured moderator role can dismiss a flag."""
    fake = byline.fake
    message, ids, _aid = review_post
    if len(ids) < 2:
        message, ids, _aid = post_flagged_analysis(byline, 201)
    reviewer = fake.world.people["reviewer"]
    invoke(fake, builders.component(fake, reviewer, message, f"byline:review:dismiss:{ids[-1]}"))
    row = fake.wait_for(lambda: (r := flag(byline, ids[-1])).status != "pending" and r, 10, "the dismissal")
    assert row.status == "dismissed" and row.reviewer_id == reviewer.id


def test_two_clicks_at_once_exactly_one_wins(byline: Harness) -> None:
    """Two moderators click Confirm and Dismiss together: one wins, the other learns who did."""
    fake = byline.fake
    message, ids, _aid = post_flagged_analysis(byline, 202)
    target = ids[0]
    mod, admin = fake.world.people["mod"], fake.world.people["admin"]
    a = builders.component(fake, mod, message, f"byline:review:confirm:{target}")
    b = builders.component(fake, admin, message, f"byline:review:dismiss:{target}")
    fake.interact(a)
    fake.interact(b)
    notes = {}
    for click in (a, b):
        notes[click["token"]] = fake.wait_for(lambda c=click: followups(fake, c["token"]), 20, "both answers")[0]
    texts = [n["content"] for n in notes.values()]
    assert all(n["flags"] & EPHEMERAL for n in notes.values())
    winners = [t for t in texts if "Thanks" in t]
    losers = [t for t in texts if "Already reviewed" in t]
    assert len(winners) == 1 and len(losers) == 1, texts
    row = flag(byline, target)
    winner_is_mod = "confirmed" in winners[0]
    assert row.status == ("confirmed" if winner_is_mod else "dismissed")
    assert row.reviewer_id == (mod.id if winner_is_mod else admin.id)
    events = byline.store("review_events", int(fake.world.guild_id), target)
    assert [e.action for e in events].count(row.status) == 1
    assert not any(e.action == ("dismissed" if winner_is_mod else "confirmed") for e in events)


def _button(message: dict, label: str) -> str:
    """The custom_id of the button with this label (ConfirmView's ids are generated, its labels are not)."""
    for row in message.get("components", []):
        for item in row.get("components", []):
            if item.get("type") == 2 and item.get("label") == label:
                return str(item["custom_id"])
    raise AssertionError(f"no {label!r} button in {message.get('components')!r}")


def test_forget_me_empties_the_review_card_of_the_members_article(byline: Harness) -> None:
    """After /forget, the posted card that quoted the member's article keeps none of it and has no buttons, and
    Byline's public reply showing the article is deleted."""
    fake = byline.fake
    message, ids, aid = post_flagged_analysis(byline, 203)
    author = fake.world.people["rev-author-203"]
    flags = byline.store("get_analysis", int(fake.world.guild_id), aid).result.flags
    flagged_words = [f.evidence.text for f in flags if f.evidence is not None]
    general = fake.world.channels["general"]["id"]
    (reply_id,) = [mid for mid, m in fake.messages.items() if m["channel_id"] == general and aid in str(m["embeds"])]
    prompt = invoke(fake, builders.slash(fake, author, "general", "forget"))
    assert prompt.ephemeral and prompt.message is not None
    done = invoke(fake, builders.component(fake, author, prompt.message, _button(prompt.message, "Delete my data")))
    assert done.ack.status == 200
    edit = fake.wait_for(lambda: [c for c in edits_of(fake, message["id"]) if "forget" in str(c.json)], 30,
                         "the review card to be emptied")[-1]
    card = fake.messages[message["id"]]
    shown = str(card.get("embeds"))
    assert "Removed at the member's request" in shown and not find_custom_ids(card), edit.json
    assert flagged_words and not any(w in shown for w in flagged_words)
    assert str(author.id) not in shown
    assert all(flag(byline, i) is None for i in ids)
    fake.wait_for(lambda: fake.messages[reply_id].get("deleted"), 30, "Byline's public reply to be deleted")


def _repost_until_carded(byline: Harness, flag_ids: list[int], runs: int = 20) -> list[str]:
    """A moderator runs /review repost until these flags have cards (each run posts a capped number)."""
    fake = byline.fake
    answers = []
    for _ in range(runs):
        answer = invoke(fake, builders.slash(fake, fake.world.people["mod"], "general", "review repost"))
        assert answer.ephemeral and answer.message is not None
        answers.append(answer.message["content"])
        if all(flag(byline, i).review_message_id for i in flag_ids):
            return answers
    raise AssertionError(f"flags {flag_ids} still have no card after {runs} runs: {answers}")


def _waiting_flags(byline: Harness, aid: str) -> list[int]:
    rows = byline.store("flags_for_analysis", int(byline.fake.world.guild_id), aid)
    waiting = [f.id for f in rows if f.severity in ("medium", "high")]
    assert waiting and all(flag(byline, i).review_message_id is None for i in waiting)
    return waiting


def _analyse(byline: Harness, n: int) -> tuple[str, float]:
    fake = byline.fake
    inter = builders.slash(fake, fake.world.add_member(f"rev-author-{n}"), "general", "analyse", text=article(n))
    sent = fake.interact(inter)
    return analysis_id_from(wait_answer(fake, inter["token"], sent).message), sent


def test_a_card_discord_refused_is_posted_by_review_repost(byline: Harness) -> None:
    """The review channel refuses Byline's post once (a 403): the flags stay pending without a card, and a
    moderator's /review repost gives them their card with working buttons."""
    fake = byline.fake
    review_channel = enable_review(byline)
    fake.fail("POST", rf"^/channels/{review_channel}/messages$", 403, code=50013, message="Missing Permissions")
    aid, sent = _analyse(byline, 204)
    refused = fake.wait_call("POST", f"/channels/{review_channel}/messages", after=sent, timeout=60)
    assert refused.status == 403
    waiting = _waiting_flags(byline, aid)

    answers = _repost_until_carded(byline, waiting)
    assert "Posted" in answers[0]
    card = fake.messages[str(flag(byline, waiting[0]).review_message_id)]
    assert {f"byline:review:confirm:{i}" for i in waiting} <= set(find_custom_ids(card))
    assert all(flag(byline, i).status == "pending" for i in waiting)


def test_flags_stored_while_review_was_off_are_posted_when_a_channel_is_set(byline: Harness) -> None:
    fake = byline.fake
    enable_review(byline)
    admin = fake.world.people["admin"]
    off = invoke(fake, builders.slash(fake, admin, "general", "settings set review-channel"))
    assert off.ephemeral and "off" in off.message["content"]
    aid, _sent = _analyse(byline, 205)
    waiting = _waiting_flags(byline, aid)

    on = invoke(fake, builders.slash(fake, admin, "general", "settings set review-channel", channel="review"))
    assert on.ephemeral and "Posted" in on.message["content"], on.message
    _repost_until_carded(byline, waiting)  # at once, unless older flags were waiting too


def test_lowering_the_flag_threshold_answers_first_then_posts_the_flags_it_admits(byline: Harness) -> None:
    """A low flag stored under the medium threshold has no card; lowering the threshold answers the manager with
    how many waiting flags will be posted, and only then do the cards reach the review channel."""
    from bot.analysis.result import Flag, Result, Span

    fake = byline.fake
    review_channel = enable_review(byline)
    admin = fake.world.people["admin"]
    guild = int(fake.world.guild_id)
    text = "The pier closed on Sunday. The repairs reportedly cost twice the estimate."
    at = text.index("reportedly")
    low = Flag("no_source", "low", text.index("The repairs"), len(text), Span.of(text, at, at + 10), "No source.")
    stored = byline.store("save_analysis", guild, text, Result(sentences=2, flags=[low], engine="e2e"),
                          engine_version="e2e-low-flag", title="Pier")
    (flag_id,) = stored.flag_ids
    assert flag(byline, flag_id).review_message_id is None and byline.store("count_waiting_for_card", guild) == 0
    try:
        inter = builders.slash(fake, admin, "general", "settings set flag-threshold", level="low")
        sent = fake.interact(inter)
        answer = wait_answer(fake, inter["token"], sent)
        assert answer.ephemeral and "waiting flag(s) will now be posted on" in answer.message["content"], answer.message
        first_card = fake.wait_call("POST", f"/channels/{review_channel}/messages", after=sent, timeout=60)
        assert first_card.at > answer.via.at  # the answer went out before the catch-up posted anything
        _repost_until_carded(byline, [flag_id])  # at once, unless more than one run's worth of flags waited
        card = fake.messages[str(flag(byline, flag_id).review_message_id)]
        assert f"byline:review:confirm:{flag_id}" in set(find_custom_ids(card))
    finally:
        raised = invoke(fake, builders.slash(fake, admin, "general", "settings set flag-threshold", level="medium"))
        assert "Cards already in the review channel stay" in raised.message["content"]
    assert flag(byline, flag_id).status == "pending" and fake.messages[str(flag(byline, flag_id).review_message_id)]
