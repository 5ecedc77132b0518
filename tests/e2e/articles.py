"""Small made-up news articles for the end-to-end tests (written for these tests; no evaluation data).

``article(n)`` varies names and numbers so each call gives a different text: the bot caches analyses by text, and
review flags are posted only for a fresh analysis.
"""

from __future__ import annotations

TOWNS = ("Harbourside", "Millbrook", "Eastwick", "Corrin Bay", "Ashford Vale", "Pellow", "Greystone", "Lindell")

_TEMPLATE = """{town} council approves later ferry crossings

The {town} district council voted on Tuesday to add {n} evening ferry crossings from next month, after a year of \
complaints about the last boat leaving before nine.
"We listened to commuters who asked for later boats," said Mayor Alice Brennan after the vote.
A senior official familiar with the budget said the extra crossings would cost far more than the council expects.
Critics say the plan ignores the weekend service that many families rely on.
The ferry operator has reportedly struggled to hire enough crew for the {n} new sailings this year.
Council member Tom Okafor said the timetable would be reviewed again in the spring, once passenger numbers are known.
"""

CLEAN = """Library extends opening hours in {town}

The central library in {town} will open until eight in the evening on weekdays from {n} March, the city's head \
librarian, Priya Natarajan, announced on Monday.
Natarajan said the change follows a survey in which most of the 2,300 respondents asked for later hours.
The library will hire four part-time assistants to staff the extra hours, according to a statement from the city's \
culture department.
"""

LINK_PAGE = """<!doctype html>
<html><head><title>{title}</title><meta charset="utf-8"></head>
<body><header><nav>Home | News | Sport</nav></header>
<article><h1>{title}</h1>
<p>The {town} water board will raise prices by {n} percent in July, its chair, Helen Marsh, said on Wednesday.</p>
<p>Marsh said the increase would pay for replacing pipes laid more than eighty years ago.</p>
<p>People close to the board said two members had argued for a smaller rise and were outvoted.</p>
<p>Some residents say the board has wasted money on consultants for years.</p>
<p>The board is expected to publish its full accounts in the autumn, officials said.</p>
</article><footer>Contact us</footer></body></html>
"""


def article(n: int) -> str:
    """An article with an anonymous source, a vague source, a 'reportedly' claim and a named quote."""
    return _TEMPLATE.format(town=TOWNS[n % len(TOWNS)], n=n + 3)


def clean_article(n: int) -> str:
    """An article whose claims are all attributed to named people or bodies."""
    return CLEAN.format(town=TOWNS[n % len(TOWNS)], n=n + 1)


def link_page(n: int) -> tuple[str, str]:
    """(title, html) of a page the link tests publish on the local page server."""
    title = f"{TOWNS[n % len(TOWNS)]} water prices to rise by {n + 4} percent"
    return title, LINK_PAGE.format(title=title, town=TOWNS[n % len(TOWNS)], n=n + 4)
