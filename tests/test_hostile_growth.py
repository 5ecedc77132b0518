"""Hostile pastes must cost the engine work in proportion to their length.

A member may paste any text up to ``analysis.max_chars``; a text whose analysis grows with the square of its
length holds a worker far longer than spaCy's own parse. These tests never time anything: they count the Python
lines the engine runs in one module (``lines_run``) for a text of n and of 2n units and expect that count to
roughly double, not quadruple.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from bot.analysis import attribution, boilerplate, content, flags, headlines, quotes, segment, sources
from bot.analysis.quotes import Quote, QuoteIndex
from bot.analysis.result import Attribution, Span

GROWTH = 2.5  # a linear cost doubles with the text; a quadratic one quadruples


def lines_run(modules: tuple[object, ...], run: Callable[[], object]) -> int:
    """How many lines of ``modules`` run while ``run()`` does (generator and comprehension bodies included)."""
    files = {str(Path(m.__file__).resolve()) for m in modules}  # type: ignore[attr-defined]
    count = 0

    def local(frame, event, arg):  # type: ignore[no-untyped-def]
        nonlocal count
        if event == "line":
            count += 1
        return local

    def tracer(frame, event, arg):  # type: ignore[no-untyped-def]
        return local if frame.f_code.co_filename in files else None

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        run()
    finally:
        sys.settrace(previous)
    return count


def _find(nlp, text: str) -> Callable[[], object]:
    doc = nlp(text)
    return lambda: attribution.find_attributions(doc, segment.sentences(doc))


def test_a_long_line_of_colons_reads_a_few_words_before_each(nlp):
    """ "Lee: we will win Moss: we will win ..." on one line: each colon used to read every word back to the start of
    the sentence, and every word after it, to decide whether a speaker's label stands before it."""
    def count(units: int) -> int:
        return lines_run((attribution,), _find(nlp, "Lee: we will win Moss: we will win " * units))

    small, large = count(30), count(60)
    assert large <= GROWTH * small


def test_nested_asides_are_stepped_over_not_walked(nlp):
    """ "(he said (she said (they said ...": the claim of each aside-like cue ends before the aside, and walking back
    over the aside token by token made every cue read the rest of the sentence."""
    def count(units: int) -> int:
        return lines_run((content,), _find(nlp, "(he said (she said (they said " * units + ")" * 10))

    small, large = count(30), count(60)
    assert large <= GROWTH * small


def test_whole_sentence_questions_are_answered_once_per_sentence(nlp):
    """Is the sentence a Title Case headline, where does its first word stand, how far do its opening capitals
    run, does it name a body before a word: asked for every word of one long sentence, each answer read the whole
    sentence again."""
    def count(units: int) -> int:
        doc = nlp("- - NAIROBI TODAY " + "Moss, Office, Lee, Slams, " * units)
        assert len(list(doc.sents)) == 1

        def ask() -> None:
            for tok in doc:
                sources.in_title_case_line(tok)
                headlines._line_start(tok)
                sources.past_dateline(tok)
                sources._body_named_before(tok)

        return lines_run((sources, headlines), ask)

    small, large = count(15), count(30)
    assert large <= GROWTH * small


def test_an_address_is_looked_for_only_from_the_start_of_a_run():
    """A text of letters with no space or stop is one sentence of one long run; trying an e-mail address from every
    position of it was quadratic (200,000 letters took minutes). A match is now tried only where a run of address
    characters starts, which finds the same addresses."""
    pattern = boilerplate._ANYWHERE
    assert pattern.search("Write to jo.smith+news@acme.com today") is not None
    assert pattern.match("jo.smith@acme.com", 0) is not None
    assert pattern.match("jo.smith@acme.com", 3) is None  # from inside the run: not tried
    assert boilerplate.is_boilerplate("x" * 50 + "@acme.com")
    assert not boilerplate.is_boilerplate("x" * 5000)


def test_a_name_before_an_apostrophe_is_looked_up_not_searched_for(nlp):
    """ "Sanders’ campaign said ..." opening sentence after sentence: whether "Sanders" is used as a name elsewhere
    was a scan of the whole text for each of them."""
    def count(units: int) -> int:
        return lines_run((sources,), _find(nlp, "Sanders’ campaign said the plan failed. " * units))

    small, large = count(20), count(40)
    assert large <= GROWTH * small


def test_a_pronoun_cue_inside_a_claim_is_found_without_reading_every_claim(nlp):
    """A long sentence of "he said ..., he said ...": whether each pronoun's cue lies inside another claim of the
    sentence was a pass over all of that sentence's claims."""
    def count(units: int) -> int:
        text = "he said it and " * units
        doc = nlp(text)
        found = [
            Attribution(Span.of(text, 15 * k + 3, 15 * k + 7), Span.of(text, 15 * k, 15 * k + 2),
                        Span.of(text, 15 * k + 8, 15 * k + 10), "pronoun", False, 0)
            for k in range(units)
        ]
        found.append(Attribution(Span.of(text, 3, 7), None, Span.of(text, 0, 10), "none", False, 0))  # sourceless
        found.append(replace(found[0], content=Span.of(text, 0, len(text))))  # holds every cue but its own
        sourced = {0: [a for a in found if a.source is not None]}
        inside = [flags._inside_a_claim(a, sourced) for a in found]
        assert inside == [True] * units + [True, False]  # the sourceless one holds nothing for the others
        return lines_run((flags,), lambda: flags.make_flags(found, doc, segment.sentences(doc)))

    small, large = count(100), count(200)
    assert large <= GROWTH * small


def test_a_cue_finds_the_stretches_blocking_it_without_reading_them_all(nlp):
    """ "(he said (she said (they said ..." as one sentence: every cue taken blocks its complement, and each later
    cue read every stretch blocked so far to find those over it. They are now filed by the words they cover."""
    def count(units: int) -> int:
        return lines_run((attribution,), _find(nlp, "(he said (she said (they said " * units + ")" * 10))

    small, large = count(100), count(200)
    assert large <= GROWTH * small


def test_blocking_stretches_come_back_in_the_order_they_were_taken():
    """The first blocker lends its source to "said A and said B", so the index keeps the order of a plain list."""
    offsets = [0, 5, 10, 15, 20]
    blocked = attribution._Blocked(offsets)
    added: list[tuple[int, int, str]] = [(8, 21, "c"), (0, 12, "a"), (10, 11, "b"), (30, 40, "d"), (5, 5, "e")]
    for start, end, name in added:
        blocked.add(start, end, name, name)  # type: ignore[arg-type]
    for word, at in enumerate(offsets):
        assert [a for a, _ in blocked.covering(word)] == [n for s, e, n in added if s <= at < e]


def test_a_cue_looks_outward_for_its_quote_not_at_every_quote(nlp):
    """ "Lee said “...” and Moss said “...” and ..." as one sentence: each cue tried every quote of the sentence to
    keep the nearest. The quotes are now tried outward from the cue, and a run that another clause of the cue holds
    is jumped over in one go."""
    def count(units: int) -> int:
        unit = "Lee said “this is a long quote here” and Moss said “this is a long quote here” and "
        return lines_run((content,), _find(nlp, unit * units + "end."))

    small, large = count(25), count(50)
    assert large <= GROWTH * small


def test_the_nearest_quote_is_the_one_trying_them_all_keeps():
    """On a tie the earlier quote wins, as it did when every quote was tried in order; quotes inside another clause
    of the cue are skipped, and a quote that runs on past that clause's end is not."""
    quotes = [Quote(0, 20, True), Quote(40, 60, True), Quote(80, 100, True), Quote(110, 130, True),
              Quote(140, 175, True)]
    index = QuoteIndex(quotes)
    other = [Span(75, 170, "")]  # holds the third and fourth quotes, not the fifth

    def rejected(quote: Quote) -> bool:
        return any(c.start <= quote.start and quote.end <= c.end for c in other)

    assert content._nearest(index, (0, 200), 20, lambda q: False, None, [], []) == quotes[0]  # 20 back, 20 ahead
    assert content._nearest(index, (0, 200), 70, rejected, None, other, []) == quotes[1]
    assert content._nearest(index, (0, 200), 95, rejected, None, other, []) == quotes[4]  # 45 ahead, not 55 back
    assert content._nearest(index, (0, 40), 95, rejected, None, other, []) == quotes[0]  # the window ends at 40


def _claimed_chars(engine, text: str) -> int:
    result = engine.analyze(text)
    return sum(len(a.content.text) for a in result.attributions if a.content is not None)


def test_one_word_cue_repeated_claims_text_in_proportion_to_it(engine):
    """ "Reportedly Reportedly ..." (and "according to officials ..."): every adverb or "according to" in a
    sentence claimed the whole sentence, so the result held the text once per cue: 200 KB gave 2 GB of JSON."""
    for unit in ("Reportedly ", "according to officials ", "supposedly, "):
        small, large = _claimed_chars(engine, unit * 300), _claimed_chars(engine, unit * 600)
        assert 0 < large <= GROWTH * small, unit
        assert large <= (attribution.MAX_WHOLE_SENTENCE_CLAIMS + 1) * len(unit * 600)


def test_a_few_adverb_cues_in_a_sentence_still_claim_all_of_it(engine):
    text = "The minister reportedly, allegedly and supposedly resigned on Tuesday, according to two aides.\n"
    claims = [a.content.text for a in engine.analyze(text).attributions if a.content is not None]
    assert any("resigned on Tuesday" in c for c in claims)


def test_a_claim_cut_short_by_the_cap_keeps_words_or_is_none(engine):
    text = ("Reportedly the mayor resigned, allegedly the deputy fled, supposedly the clerk shredded files, and "
            "according to aides the treasurer hid, and the auditor quit, reportedly.\n")
    claims = [a.content.text if a.content else None for a in engine.analyze(text).attributions]
    assert all(c is None or (c[-1] not in ",;:" and any(ch.isalnum() for ch in c)) for c in claims), claims


def test_single_marks_cost_one_pass():
    """Apostrophes that might open a quote, quotes that a line break cuts and wait for the next paragraph, and
    double quotes nested in single ones: finding the quotes reads each character a bounded number of times."""
    for unit in ("'a.\n\n\n", "rock 'n' roll 'and ", "'We said \"no\", 'we said, ", "x 'a\n'b.\n"):
        small = lines_run((quotes,), lambda unit=unit: quotes.find_quotes(unit * 400))
        large = lines_run((quotes,), lambda unit=unit: quotes.find_quotes(unit * 800))
        assert 0 < large <= GROWTH * small, unit


def test_a_claim_ending_before_a_single_mark_is_read_back_a_bounded_stretch():
    """Every cue whose claim ends just before a single mark looks back for the mark that opened it; the claim may be
    a whole long sentence of "don't"s, and a sentence may hold many cues, so the look-back must not grow with it."""
    def count(words: int) -> int:
        text = "don't " * words + "'"
        span = Span(0, len(text) - 1, text[:-1])
        return lines_run((content,), lambda: content._with_closing_single_mark(text, span))

    assert count(400) == count(4000)
