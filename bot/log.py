"""One logging set-up for the CLI and the bot: stderr plus an optional rotating file.

Log ids (guild, message, flag), never tokens or article text.
"""

from __future__ import annotations

import logging
import logging.handlers

from bot.config import LoggingSettings
from bot.errors import ConfigError

FORMAT = "%(asctime)s %(levelname)-8s %(name)s: %(message)s"
NOISY = (
    "discord", "discord.http", "discord.gateway", "aiohttp.access", "trafilatura", "htmldate", "charset_normalizer",
    "aiosqlite",  # at DEBUG it logs every statement with its parameters: article text
)


def setup(settings: LoggingSettings) -> None:
    """Install handlers on the root logger once; safe to call again (it replaces ours)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_byline", False):
            root.removeHandler(handler)
    handlers: list[logging.Handler] = [logging.StreamHandler()]
    if settings.file:
        try:
            handlers.append(logging.handlers.RotatingFileHandler(settings.file, maxBytes=5_000_000, backupCount=3))
        except OSError as exc:
            raise ConfigError(f"config: logging.file: cannot write {settings.file}: {exc.strerror}") from None
    for handler in handlers:
        handler.setFormatter(logging.Formatter(FORMAT))
        handler._byline = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.setLevel(settings.level.upper())
    for name in NOISY:
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))


def get_logger(name: str) -> logging.Logger:
    """Return the module's logger (a thin alias so every module logs the same way)."""
    return logging.getLogger(name)
