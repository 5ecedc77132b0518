"""Byline: summarise news and flag claims with anonymous, vague or missing sources."""

__version__ = "0.4.4"
