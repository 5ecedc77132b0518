"""User-safe errors: each carries a message a member or CLI user can read as it is.

Anything that is not a ``BylineError`` is a bug: it is logged in full and the user sees only a short
error id.
"""

from __future__ import annotations


class BylineError(Exception):
    """Base for errors whose message is safe to show to a user."""

    user_message: str = "Something went wrong."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.user_message)
        self.user_message = message or self.user_message


class ConfigError(BylineError):
    """A setting is missing, unknown or out of range; the message names the key."""


class InputError(BylineError):
    """The input cannot be analysed: empty, binary, undecodable or too large."""


class InputTooLarge(InputError):
    """The input is over ``analysis.max_chars``."""


class BusyError(BylineError):
    """The analysis queue is full; the user should try again shortly."""

    user_message = "Byline is busy right now. Please try again in a minute."


class RateLimited(BylineError):
    """A user or channel asked too often."""

    def __init__(self, retry_after: float) -> None:
        self.retry_after = retry_after
        super().__init__(f"You're going a bit fast. Try again in {max(1, round(retry_after))} s.")


class NotModerator(BylineError):
    """A member without moderator rights tried a moderator action."""

    user_message = "Only moderators can do that."


class AlreadyReviewed(BylineError):
    """Another moderator reviewed the flag first."""

    def __init__(self, reviewer: str, status: str) -> None:
        self.reviewer = reviewer
        self.status = status
        super().__init__(f"Already reviewed by {reviewer} ({status}).")


class NotFoundError(BylineError):
    """A looked-up id does not exist in this server."""

    user_message = "Nothing with that id in this server."


class StoreError(BylineError):
    """The database cannot be used (for example a schema newer than this code)."""


class FetchError(BylineError):
    """A link could not be fetched or read; subclasses say why."""

    user_message = "That link could not be read."


class NotServerManager(BylineError):
    """A member without Manage Server tried to change Byline's settings for the server."""

    user_message = "Only members with Manage Server can change Byline's settings."
