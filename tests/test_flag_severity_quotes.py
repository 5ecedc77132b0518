"""How much a quote weighs in a flag's severity: a whole quoted utterance or a quote of five words or more does; a
quoted word or two inside a reported claim does not. Sentences written for these tests."""

from __future__ import annotations


def _flags(engine, text: str) -> list[tuple[str, str, str]]:
    flags = engine.analyze(text).flags
    return [(f.evidence.text, f.severity, f.reason) for f in flags if f.category.endswith("_source")]


def test_a_quoted_phrase_inside_a_reported_claim_weighs_as_the_claim(engine):
    [(evidence, severity, reason)] = _flags(engine, 'One official said there had been "no breakthrough" in the talks.')
    assert (evidence, severity) == ("One official", "medium")
    assert "direct quote" not in reason
    [(evidence, severity, reason)] = _flags(engine, 'Critics said the plan was "a disaster" for the town.')
    assert (evidence, severity) == ("Critics", "low")


def test_a_short_whole_quote_still_rests_on_the_source(engine):
    [(evidence, severity, reason)] = _flags(engine, '"Every millimetre counts," one engineer said.')
    assert (evidence, severity) == ("one engineer", "high")
    assert reason.endswith("A direct quote rests on it.")


def test_a_long_quote_inside_a_reported_claim_rests_on_the_source(engine):
    text = 'One official said the minister had been "told again and again that the money was gone" by March.'
    [(evidence, severity, reason)] = _flags(engine, text)
    assert (evidence, severity) == ("One official", "high")
    assert "direct quote" in reason


def test_an_illness_is_no_crime_and_a_gang_is(engine):
    [(_, severity, _)] = _flags(engine, "A weekly injection cut the risk of a second heart attack, one doctor said.")
    assert severity == "medium"
    [(_, severity, reason)] = _flags(engine, "Sources said the consignment was smuggled in by a gang.")
    assert severity == "high" and "strong" in reason
