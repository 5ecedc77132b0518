"""What the store reports about posted messages: review cards and replies to clean up after deletions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class CardRef:
    """Where a review card was posted, so the bot can edit it after the flags behind it change."""

    channel_id: int
    message_id: int


CardReason = Literal["forget", "retention", "redraw", "reply"]  # "reply": delete an analysis reply


@dataclass(frozen=True)
class StaleCard:
    """A posted review card that still shows data a forget-me or retention changed, until the bot cleans it."""

    guild_id: int
    channel_id: int
    message_id: int
    reason: CardReason
    attempts: int = 0  # clean-ups Discord refused so far; the bot gives the card up after a few


@dataclass(frozen=True)
class ForgetReport:
    """What a forget-me erased, and the posted review cards that still show the member until re-drawn.

    ``removed_cards`` showed the member's own articles, whose flags are now gone; ``anonymised_cards`` show a
    verdict or note the member gave, now recorded under the placeholder name.
    """

    documents: int
    removed_cards: tuple[CardRef, ...] = ()
    anonymised_cards: tuple[CardRef, ...] = ()
    replies: tuple[CardRef, ...] = ()  # Byline's public replies showing the member's articles, to delete


@dataclass(frozen=True)
class PruneReport:
    """What retention deleted, and per guild the posted review cards of the deleted flags, to empty.

    ``documents`` counts the articles that went with their last analysis; ``analyses`` every analysis deleted.
    """

    documents: int
    removed_cards: dict[int, tuple[CardRef, ...]] = field(default_factory=dict)
    analyses: int = 0
