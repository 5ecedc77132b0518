"""What a member does and sees, in a few steps: invoke something, get the acknowledgement, get the answer.

An interaction is *answered* when Discord would show the member something: a type-4/7 callback, a modal (9), or,
after a deferral (5/6), a follow-up or an edit of the original response.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from tests.e2e.fake_discord import Call, FakeDiscord

ACK_DEADLINE_S = 3.0  # Discord's protocol deadline for the first response
EPHEMERAL = 1 << 6


@dataclass
class Answer:
    """One interaction's acknowledgement and the message the member finally saw."""

    token: str
    sent_at: float
    ack: Call
    message: dict[str, Any] | None
    via: Call

    @property
    def ack_seconds(self) -> float:
        return self.ack.at - self.sent_at

    @property
    def ephemeral(self) -> bool:
        flags = int((self.message or {}).get("flags") or 0)
        return bool(flags & EPHEMERAL)


def _final_call(fake: FakeDiscord, token: str, ack: Call) -> Call | None:
    for c in fake.calls_for_token(token):
        if c.at < ack.at or c is ack or c.status != 200:
            continue
        if c.method == "POST" and c.path.startswith("/webhooks/"):
            return c
        if c.method == "PATCH" and c.path.startswith("/webhooks/") and _has_body(c.json):
            return c
    return None


def _has_body(body: Any) -> bool:
    return bool(body) and any(body.get(k) for k in ("content", "embeds", "components", "attachments"))


def wait_ack(fake: FakeDiscord, token: str, sent_at: float, timeout: float = 15.0) -> Call:
    """The first callback for this interaction, successful or not."""
    return fake.wait_call("POST", f"/{token}/callback", after=sent_at - 0.001, timeout=timeout)


def wait_answer(fake: FakeDiscord, token: str, sent_at: float, timeout: float = 90.0) -> Answer:
    """Wait until the member has seen something for this interaction, and return it."""
    ack = wait_ack(fake, token, sent_at)
    kind = int((ack.json or {}).get("type", 0))
    if ack.status != 200:
        return Answer(token, sent_at, ack, None, ack)
    if kind in (4, 7):
        message = (ack.response.get("resource") or {}).get("message") or ack.json.get("data")
        return Answer(token, sent_at, ack, message, ack)
    if kind == 9:
        return Answer(token, sent_at, ack, ack.json.get("data"), ack)
    final = fake.wait_for(lambda: _final_call(fake, token, ack), timeout, f"an answer to {token}")
    return Answer(token, sent_at, ack, final.response, final)


def invoke(fake: FakeDiscord, payload: dict[str, Any], timeout: float = 90.0) -> Answer:
    """Inject an interaction and wait for what the member sees."""
    sent = fake.interact(payload)
    return wait_answer(fake, payload["token"], sent, timeout)


def followups(fake: FakeDiscord, token: str) -> list[dict[str, Any]]:
    """Every follow-up message sent for one interaction (e.g. an ephemeral note after an edit)."""
    return [c.response for c in fake.calls_for_token(token)
            if c.method == "POST" and c.path.startswith("/webhooks/") and c.status == 200]


def quiet_for(fake: FakeDiscord, seconds: float, predicate: Any) -> bool:
    """True when ``predicate()`` stays false for ``seconds`` (to prove that nothing happens)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return False
        time.sleep(0.05)
    return True
