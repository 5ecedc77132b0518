"""Sentences that belong to the page rather than the story: greetings, notes to the reader, contacts.

A live blog opens with "Good morning and welcome to our live coverage", an interview carries "edited for length and
clarity" and its interviewer's "Q:" lines, a press release ends "About Acme: ..." and "For media enquiries, contact
...", and a live blog's entries start with their time ("10:42 GMT"). These share words with the rest of the article,
so centrality alone can pick them for a summary. The default summary discounts them (it does not ban them: a text
made only of them still gets a summary). Patterns are hand-written for Byline.
"""

from __future__ import annotations

import re

_OPENINGS = re.compile(
    r"""^[\W_]*(?:
        (?:good\s+(?:morning|afternoon|evening)|hello|hi)(?=[\s,!.])
      | welcome\s+(?:back|to\s+(?:our|this|my))\b
      | thanks?\s+(?:you\s+)?for\s+(?:joining|reading|following)\b
      | (?:q|question)\s*[:.]\s
      | (?:editor'?s?\s+note|notes?\s+to\s+editors|media\s+contact|press\s+contact)\b
      | for\s+(?:media|press)\s+(?:enquiries|inquiries)\b
      | (?:read\s+more|see\s+also|click\s+here|sign\s+up|subscribe)\b
      | (?:image|photo|picture)\s+(?:caption|credit)\b
      | (?:photo(?:graph)?|picture|image)\s*:\s
      | (?:additional\s+)?reporting\s+by\s.*\b(?:editing|writing)\s+by\s
      | related\s+(?:topics|stories|articles|content|coverage|links)\b
      | more\s+on\s+this\s+(?:story|topic)\b
      | key\s+events\W*$
      | (?:unsubscribe|manage\s+(?:your\s+)?preferences|view\s+(?:this\s+email\s+)?in\s+(?:your\s+)?browser)\b
      | here(?:'|’|\s+i)?s\s+what\s+you\s+need\s+to\s+know\b
      | that(?:'|’|\s+i)?s\s+(?:it|all)\s+for\s+(?:today|now|this\s+week)\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# A byline on its own line: "By Jane Moss", "Interview by Sofia Brandt", "By Rachel Oduya, Courts Reporter".
_BYLINE = re.compile(r"^(?i:(?:interview|reporting|words|written|story|text)\s+)?(?i:by)\s+[A-Z][\w.'\-]*"
                     r"(?:\s+(?:and\s+)?[A-Z][\w.'\-]*){0,5}(?:,(?:\s+[A-Z][\w.'\-]*){1,4})?[.,]?$")
# "About Solvane: Solvane is a European battery company ...": the press release's standard closing note.
_ABOUT_NOTE = re.compile(r"^About\s+[A-Z][\w&.'\- ]{0,60}:\s")
# The same note as a heading on its own line ("About Solvane Energy"), with its paragraph under it.
_ABOUT_HEADING = re.compile(r"^About\s+[A-Z][\w&.'’\- ]{0,60}$")
# A picture credit on its own line: "Getty Images", "(AFP via Getty Images)", "Photograph: Jo Roe/Reuters".
_CREDIT = re.compile(
    r"^[(\[]?(?:[^.]{0,80}(?:/|\bvia\b|\||:|,)\s*)?"
    r"(?:getty\s+images|reuters|afp|ap(?:\s+photo)?|pa(?:\s+(?:media|wire))?|epa|shutterstock|alamy)"
    r"(?:/[\w .'’-]{1,40})?[)\]]?\.?$",
    re.IGNORECASE,
)
# An e-mail address is looked for only from the start of a run of address characters: tried from every position
# of a long run (a pasted text with no spaces), the search was quadratic in the run's length; a match from inside
# a run implies one from its start, so what the search finds is the same.
_ANYWHERE = re.compile(
    r"""(?:
        \bedited\s+for\s+(?:length|clarity)\b
      | \blive\s+(?:coverage|updates|blog)\b
      | \bwe(?:'ll|\s+will)\s+(?:be\s+)?bring(?:ing)?\s+you\b
      | \bthis\s+(?:story|article|post)\s+(?:has\s+been|was)\s+(?:updated|corrected|amended)\b
      | \ball\s+rights\s+reserved\b
      | (?<![\w.+-])[\w.+-]+@[\w-]+\.[a-z]{2,}\b
    )""",
    re.IGNORECASE | re.VERBOSE,
)


# A live blog's time stamps ("10:42 GMT", "Updated 3 March 2025, 10:42"), or what is left of one after the parser
# split it ("GMT"): a line of times, dates, zones and weekdays, and nothing else.
_STAMP_WORD = (r"(?:a\.?m\.?|p\.?m\.?|gmt|bst|utc|cet|cest|[ecmp][sd]?t|jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?"
               r"|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
               r"|mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:rs(?:day)?)?|fri(?:day)?|sat(?:urday)?"
               r"|sun(?:day)?|today|yesterday|updated|posted|published|last|ago|an?|hours?|hrs?|minutes?|mins?|days?|weeks?)")
_STAMP = re.compile(rf"^(?:[\d:.,/()\s-]|{_STAMP_WORD}\b)+$", re.IGNORECASE)  # one character or word a step: no
# nested repeat, which made "1,234.5 2,345.6 3,456.7 in millions" take seconds and a longer run minutes


# A fact check's or a review's conclusion, labelled as one: "Verdict: Mostly false.", "Our ruling: ...", "The bottom
# line: ...". The reader's first question, so the summary should carry it.
_VERDICT = re.compile(r"^[\W_]*(?:(?:the|our)\s+)?(?:verdict|ruling|rating|bottom\s+line)\s*:\s*\S", re.IGNORECASE)


def is_verdict(sentence: str) -> bool:
    """Whether a sentence is a labelled conclusion ("Verdict: Mostly false."), which a summary should hold."""
    return bool(_VERDICT.match(sentence.strip()))


def is_boilerplate(sentence: str) -> bool:
    """Whether a sentence is a note about the page (a greeting, an editing note, a contact, a time stamp, a picture
    credit), not the story."""
    text = sentence.strip()
    return bool(_OPENINGS.match(text) or _ABOUT_NOTE.match(text) or _ABOUT_HEADING.match(text)
                or is_masthead(text) or _ANYWHERE.search(text))


def is_masthead(line: str) -> bool:
    """Whether a line is one a page sets around its headline rather than a headline itself: a byline, a time stamp
    ("Updated 3 hours ago"), a picture credit."""
    text = line.strip()
    return bool(_BYLINE.match(text) or _STAMP.match(text) or _CREDIT.match(text))


def is_about_heading(sentence: str) -> bool:
    """Whether a sentence is a press release's closing heading ("About Solvane Energy"): what follows it is the
    company's standard note, not the news."""
    return bool(_ABOUT_HEADING.match(sentence.strip()))
