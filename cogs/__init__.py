"""Discord cogs, one per feature; loaded in this order by ``BylineBot.setup_hook``."""

EXTENSIONS: tuple[str, ...] = (
    "cogs.analyse",
    "cogs.links",
    "cogs.library",
    "cogs.review",
    "cogs.settings",
    "cogs.retention",
)
