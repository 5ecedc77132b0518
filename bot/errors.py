"""User-safe errors: each carries a message a member or CLI user can read as it is.

Anything that is not a ``BylineError`` is a bug: it is logged in full and the user sees only a short
error id.
"""

from __future__ import annotations


class BylineError(Exception):
    """Base for errors whose message is safe to show to a user."""

    user_message: str = "Something went wrong."
    # A passing failure (a busy queue, a failing or slow site, a locked database): the same request may well work
    # in a minute, so it is never taken as the final answer (a 📰 whose reply said "try again" can be retried).
    transient: bool = False

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.user_message)
        self.user_message = message or self.user_message

    @property
    def detail(self) -> str:
        """The whole message, for the command line and the log: ``user_message`` itself, unless a subclass keeps
        part of it from members (``StoreError``)."""
        return str(self)


class ConfigError(BylineError):
    """A setting is missing, unknown or out of range; the message names the key."""


class InputError(BylineError):
    """The input cannot be analysed: empty, binary, undecodable or too large."""


class InputTooLarge(InputError):
    """The input is over ``analysis.max_chars``."""


class BusyError(BylineError):
    """The analysis queue is full; the user should try again shortly."""

    user_message = "Byline is busy right now. Please try again in a minute."
    transient = True


class RateLimited(BylineError):
    """A user or channel asked too often."""

    transient = True

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


def no_such_flag(flag_id: int) -> NotFoundError:
    """The one refusal for a flag id that names no flag here: a store look-up's, or a forged id's before any."""
    return NotFoundError(f"No flag #{flag_id} in this server.")


class StoreError(BylineError):
    """The database cannot be used (for example a schema newer than this code, or locked for too long).

    Transient for a request: the bot only meets it once the database opened, when it is busy or failing for now.
    Its ``detail`` names the database file and quotes SQLite, which the operator needs (the command line prints it,
    the bot logs it) but a member must not see: the server's paths are none of their business, and a 📰's answer is
    public. So every StoreError shows members the one fixed ``user_message``.
    """

    transient = True
    user_message = "Byline's database is having trouble; try again shortly."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message)
        self.user_message = StoreError.user_message


class FetchError(BylineError):
    """A link could not be fetched or read; subclasses say why."""

    user_message = "That link could not be read."


class BadURL(FetchError):
    """The text is not a link Byline will fetch: wrong scheme, userinfo, odd port or a malformed host.

    ``reason`` is a short machine-readable tag (``syntax``, ``scheme``, ``userinfo``, ``host``, ``port``) so
    tests and logs can tell refusals apart without parsing the message.
    """

    user_message = "That doesn't look like a web link Byline can read."

    def __init__(self, message: str | None = None, *, reason: str = "syntax") -> None:
        self.reason = reason
        super().__init__(message)


class BlockedAddress(FetchError):
    """The link points at a private, local or otherwise non-public address (SSRF guard).

    ``reason`` names the address class (``loopback``, ``private``, ``link-local``, ``metadata``, ...).
    """

    user_message = "That link points to a private or local network address, which Byline does not fetch."

    def __init__(self, message: str | None = None, *, reason: str = "private", address: str = "") -> None:
        self.reason = reason
        self.address = address
        super().__init__(message)


class FetchTimeout(FetchError):
    """The site took longer than ``fetch.timeout_seconds`` in total."""

    user_message = "The site took too long to answer."
    transient = True


class TooLarge(FetchError):
    """The page is over ``fetch.max_bytes`` once decoded; the counters show how far reading got."""

    user_message = "That page is too large to read."

    def __init__(self, message: str | None = None, *, bytes_read: int = 0, bytes_decoded: int = 0) -> None:
        self.bytes_read = bytes_read
        self.bytes_decoded = bytes_decoded
        super().__init__(message)


class UnsupportedType(FetchError):
    """The link is not a web page (PDF, image, JSON, ...) or uses an encoding Byline does not decode."""

    user_message = "That link is not a web page Byline can read."


class HTTPStatusError(FetchError):
    """The site answered with an error status; ``status`` keeps the number.

    A timeout (408), a rate limit (429) or a server error (5xx) is the site's passing trouble: transient.
    """

    def __init__(self, status: int, message: str | None = None) -> None:
        self.status = status
        self.transient = status in (408, 429) or status >= 500
        super().__init__(message or f"The site answered with an error (HTTP {status}).")


class SiteUnreachable(FetchError):
    """No connection to the site could be made (refused, reset, no route): often a passing outage."""

    user_message = "Byline couldn't connect to that site."
    transient = True


class NotAnArticle(FetchError):
    """The page has too little article text: a paywall, a login wall or a script-only app shell."""

    user_message = "Byline found too little article text on that page (it may be behind a paywall)."


class NotEnglish(FetchError):
    """The page says it is in another language: the engine's model and word lists read English only."""

    user_message = "Byline reads English articles, and that page says it is in another language."


class TooManyRedirects(FetchError):
    """The link redirected more than ``fetch.max_redirects`` times."""

    user_message = "That link redirects too many times."


class NotServerManager(BylineError):
    """A member without Manage Server tried to change Byline's settings for the server."""

    user_message = "Only members with Manage Server can change Byline's settings."


class AnalysisFailed(BylineError):
    """An analysis worker crashed or could not start; the request can simply be retried."""

    user_message = "The analysis failed unexpectedly. Please try again."
    transient = True


class AnalysisTimedOut(AnalysisFailed):
    """A job ran past ``analysis.job_timeout_seconds`` in a worker; its pool was replaced so later jobs can run."""

    user_message = "That took Byline too long, so it stopped. Try again later, or try a shorter text."
    transient = False


class UnsupportedAttachment(InputError):
    """An attachment that is not a .txt, .md or .html file, or is too big to read."""


class AttachmentDownloadFailed(InputError):
    """Discord did not hand over an uploaded file (its CDN failing, a dropped connection): try again."""

    user_message = "Byline couldn't download that file from Discord; try again."
    transient = True


class FlagSuperseded(AlreadyReviewed):
    """The flag's text was analysed again, so the newer analysis's flags replaced it in the review queue."""

    def __init__(self, analysis_id: str | None) -> None:
        super().__init__("a newer analysis", "superseded")
        newer = f" (analysis `{analysis_id}`)" if analysis_id else ""
        self.user_message = f"This flag was replaced when the text was analysed again{newer}; it needs no review."
        self.args = (self.user_message,)


class ShuttingDown(BusyError):
    """Byline is stopping: new requests are refused while the ones already accepted finish and are answered."""

    user_message = "Byline is restarting. Please try again in a minute."


class CutShortByRestart(BylineError):
    """An accepted request did not finish within the shutdown grace period (``discord.shutdown_grace_seconds``)."""

    user_message = "Byline restarted before it could finish this request. Please try again in a minute."
    transient = True


class ForgottenMeanwhile(BylineError):
    """The author's /forget landed while their text was being analysed, so the result must not be stored."""

    user_message = ("The author of this text asked Byline to forget their data while it was being analysed, "
                    "so nothing was stored or shown.")


class OptedOutMeanwhile(ForgottenMeanwhile):
    """The author ran /optout while their text was being analysed, so the result must not be stored.

    A kind of ForgottenMeanwhile: whoever else asked for the same article at the same time is still answered.
    """

    user_message = ("The author of this text asked Byline to stop reading their messages while it was being "
                    "analysed, so nothing was stored or shown.")
