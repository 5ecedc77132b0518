"""Summary methods: no NLTK data, whole sentences in order, length, bounded cost (own example texts)."""

from __future__ import annotations

import itertools
import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest

from bot.analysis import boilerplate, centrality, segment, summary, sumy_adapter
from bot.config import SUMMARY_METHODS
from bot.errors import ConfigError

ARTICLE = """Harbour town votes to rebuild storm-hit pier

The town council of Port Ellery voted on Tuesday to rebuild the pier that a winter storm destroyed in January.
The new pier will cost 4.2 million pounds and should open to walkers by the end of next summer.
Councillors approved the plan by nine votes to two after a three-hour debate.
The old pier, built in 1887, lost most of its deck when waves of six metres struck the coast.
Fishing crews have used a temporary pontoon since the storm, which they say is unsafe in high winds.
"We cannot run a harbour without a proper pier," said harbour master Elin Carter.
The two councillors who voted against the plan said the money should go to flood defences first.
A government grant will cover half of the cost, and the council will borrow the rest.
Work on the pier is due to start in April, once the design has been approved by engineers.
Local businesses said the decision would bring visitors back to the seafront.
The council will publish the full plans on its website next week.
"""


@pytest.fixture(scope="module")
def article(nlp):
    doc = nlp(ARTICLE)
    return doc, segment.sentences(doc)


def test_every_config_method_is_implemented():
    assert set(summary.METHODS) == set(SUMMARY_METHODS)
    assert set(SUMMARY_METHODS) == {"byline", "lead", *sumy_adapter.SUMMARIZERS}
    assert {"lexrank", "textrank", "lsa", "luhn"} <= set(sumy_adapter.SUMMARIZERS)


@pytest.mark.parametrize("method", SUMMARY_METHODS)
def test_methods_return_whole_sentences_in_document_order(article, method):
    doc, sents = article
    chosen = summary.summarize(doc, sents, method, 3)
    assert len(chosen) == 3
    assert chosen == sorted(set(chosen))
    assert all(0 < i < len(sents) for i in chosen)  # index 0 is the headline: never chosen
    for i in chosen:
        text = ARTICLE[sents[i].start : sents[i].end]
        assert text.endswith((".", '"')) and (text[0].isupper() or text[0] == '"')


@pytest.mark.parametrize("method", SUMMARY_METHODS)
@pytest.mark.parametrize("n", [0, 1, 2, 5, 50])
def test_methods_respect_n(article, method, n):
    doc, sents = article
    assert len(summary.summarize(doc, sents, method, n)) == min(n, len(sents) - 1)


def test_lead_skips_the_headline(article):
    doc, sents = article
    assert summary.summarize(doc, sents, "lead", 2) == [1, 2]


def test_headline_only_text_still_gets_a_summary(nlp):
    text = "Pier reopens\n"
    doc = nlp(text)
    sents = segment.sentences(doc)
    assert summary.summarize(doc, sents, "byline", 3) == [0]


def test_unknown_method_is_a_clear_error(article):
    doc, sents = article
    with pytest.raises(ConfigError, match=r"unknown summary method 'bogus'.*byline"):
        summary.summarize(doc, sents, "bogus", 3)


def test_default_length_grows_with_article_length():
    lengths = [summary.default_length(n) for n in range(0, 400)]
    assert lengths[0] == 0
    assert all(a <= b for a, b in itertools.pairwise(lengths))
    assert summary.default_length(3) == 1
    assert summary.default_length(12) < summary.default_length(40) < summary.default_length(120)
    assert max(lengths) <= summary.MAX_LENGTH


def test_engine_uses_default_length_and_sentences_override(engine):
    result = engine.analyze(ARTICLE)
    assert len(result.summary) == summary.default_length(result.sentences)
    assert len(engine.analyze(ARTICLE, sentences=1).summary) == 1
    for item in engine.analyze(ARTICLE, sentences=4, method="lexrank").summary:
        assert ARTICLE[item.start : item.end] == item.text


def test_nltk_data_is_never_looked_up(article, monkeypatch):
    """sumy's own tokenizer would look up punkt; ours must not touch NLTK data at all."""
    import nltk

    def refuse(*args, **kwargs):
        raise AssertionError(f"NLTK data lookup: {args!r}")

    monkeypatch.setattr(nltk.data, "find", refuse)
    monkeypatch.setattr(nltk.data, "load", refuse)
    monkeypatch.setattr(nltk, "download", refuse)
    doc, sents = article
    for method in SUMMARY_METHODS:
        assert len(summary.summarize(doc, sents, method, 2)) == 2


def test_all_methods_run_with_an_empty_nltk_data_dir(tmp_path):
    """A fresh process whose NLTK_DATA holds nothing (and no home dir data) runs every method."""
    script = (
        "from bot.analysis.engine import Engine\n"
        "from bot.config import AnalysisSettings, SUMMARY_METHODS\n"
        "import sys\n"
        "e = Engine(AnalysisSettings())\n"
        "text = sys.stdin.read()\n"
        "print(' '.join(str(len(e.analyze(text, sentences=2, method=m).summary)) for m in SUMMARY_METHODS))\n"
    )
    env = {**os.environ, "NLTK_DATA": str(tmp_path), "HOME": str(tmp_path)}
    repo = pathlib.Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", script], input=ARTICLE, capture_output=True, text=True,
                          env=env, cwd=repo, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["2"] * len(SUMMARY_METHODS)


def test_default_method_does_not_import_nltk():
    """The default summary must not pay for importing NLTK (sumy's summarisers import it)."""
    script = (
        "import sys\n"
        "from bot.analysis import summary, centrality\n"
        "assert 'nltk' not in sys.modules, 'nltk imported'\n"
    )
    repo = pathlib.Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=repo,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr[-2000:]


def test_doc_tokenizer_answers_from_the_parse(article):
    doc, sents = article
    tok = sumy_adapter.DocTokenizer(doc, sents)
    first = ARTICLE[sents[1].start : sents[1].end]
    assert tok.language == "english"
    assert tok.to_sentences(ARTICLE)[1] == first
    words = tok.to_words(first)
    assert words[:4] == ("The", "town", "council", "of")
    assert "." not in words
    assert tok.stem("voted") == "vote"
    assert tok.to_sentences("One thing. Another thing!\nA third") == ("One thing.", "Another thing!", "A third")
    assert tok.to_words("Unseen words, here.") == ("Unseen", "words", "here.")


def long_text(n: int) -> str:
    topics = ["pier", "harbour", "council", "storm", "grant", "boat", "engineer", "flood"]
    return " ".join(
        f"The {topics[i % 8]} report number {i} mentions the {topics[(i * 3) % 8]} and the {topics[(i * 5) % 8]}."
        for i in range(n)
    )


def test_long_input_is_capped_for_byline(nlp, monkeypatch):
    seen: list[int] = []
    real = centrality.term_counts
    monkeypatch.setattr(centrality, "term_counts", lambda doc, sents: seen.append(len(sents)) or real(doc, sents))
    doc = nlp(long_text(400))
    sents = segment.sentences(doc)
    assert len(sents) == 400
    chosen = summary.summarize(doc, sents, "byline", 5)
    assert len(chosen) == 5 and chosen == sorted(chosen)
    assert seen == [centrality.MAX_CANDIDATES]


@pytest.fixture(scope="module")
def long_article(nlp):
    """``long_text(300)`` parsed once for every sumy method (the parse is most of each test's time)."""
    doc = nlp(long_text(300))
    return doc, segment.sentences(doc)


@pytest.mark.parametrize("method", sorted(sumy_adapter.SUMMARIZERS))
def test_long_input_is_capped_for_sumy(long_article, monkeypatch, method):
    seen: list[int] = []
    cls = sumy_adapter.summarizer_class(method)

    class Spy(cls):
        def __call__(self, document, count):
            seen.append(len(document.sentences))
            return super().__call__(document, count)

    monkeypatch.setattr(sumy_adapter, "summarizer_class", lambda name: Spy)
    doc, sents = long_article
    chosen = summary.summarize(doc, sents, method, 3)
    assert len(chosen) == 3 and max(chosen) < sumy_adapter.MAX_SUMY_SENTENCES
    assert seen == [sumy_adapter.MAX_SUMY_SENTENCES]


def test_redundancy_penalty_skips_a_near_duplicate():
    score = np.array([1.0, 0.95, 0.6])
    cosine = np.array([[0, 0.98, 0.1], [0.98, 0, 0.1], [0.1, 0.1, 0]])
    assert centrality.select(score, cosine, 2, redundancy=0.7) == [0, 2]
    assert centrality.select(score, cosine, 2, redundancy=0.0) == [0, 1]


def test_lead_prior_is_stronger_in_a_long_article():
    """The same position weighs less in a long article than in a short one."""
    counts = np.ones((10, 3))
    lengths = np.full(10, 12.0)
    short = centrality.sentence_scores(counts, lengths, 10, centrality.WEIGHTS)
    long_ = centrality.sentence_scores(counts, lengths, 100, centrality.WEIGHTS)
    assert short[0] == pytest.approx(long_[0])
    assert long_[5] / long_[0] < short[5] / short[0] < 1


def test_byline_prefers_central_sentences_over_asides(nlp):
    text = (
        "The council approved the new pier budget on Tuesday. "
        "My cousin once caught a very large fish. "
        "The pier budget includes repairs to the pier deck and the pier lights. "
        "The weather was mild. "
        "Critics of the pier budget said the council spent too much."
    )
    doc = nlp(text)
    sents = segment.sentences(doc)
    for n in (1, 2, 3):
        assert not {1, 3} & set(summary.summarize(doc, sents, "byline", n))


def test_opens_quote_sees_straight_and_curly_marks(nlp):
    text = '"The pier will reopen," she said. \u201cWe are ready,\u201d he said. The pier reopens in May.'
    doc = nlp(text)
    sents = segment.sentences(doc)
    assert len(sents) == 3
    assert centrality.opens_quote(doc, sents).tolist() == [True, True, False]


def test_quote_discount_scales_only_the_quoted_sentence():
    counts = np.array([[1, 1, 0], [1, 1, 1], [0, 1, 1]], dtype=float)
    lengths = np.full(3, 10.0)
    plain = centrality.sentence_scores(counts, lengths, 3, centrality.WEIGHTS)
    quoted = centrality.sentence_scores(counts, lengths, 3, centrality.WEIGHTS, np.array([False, True, False]))
    assert quoted[1] == pytest.approx(plain[1] * centrality.WEIGHTS.quote)
    assert quoted[[0, 2]] == pytest.approx(plain[[0, 2]])
    assert 0 < centrality.WEIGHTS.quote < 1


def test_byline_prefers_the_reported_fact_over_the_same_words_in_a_quote(nlp):
    text = (
        '"The council will rebuild the harbour pier with a government grant next spring," said Ann Lee. '
        "The council will rebuild the harbour pier with a government grant next spring, officials confirmed. "
        "The harbour pier was damaged by a storm. "
        "A government grant covers the pier costs."
    )
    doc = nlp(text)
    sents = segment.sentences(doc)
    assert len(sents) == 4
    assert summary.summarize(doc, sents, "byline", 1) == [1]


def test_entity_salience_counts_the_most_mentioned_names(nlp):
    text = (
        "Maria Lopez opened the new harbour in Valletta on Monday. "
        "Lopez said the harbour would bring jobs to Valletta. "
        "The weather was mild. "
        "Critics in Brussels and Paris said Lopez spent too much on the Valletta harbour."
    )
    doc = nlp(text)
    sents = segment.sentences(doc)
    share = centrality.entity_salience(doc, sents)
    assert share.shape == (4,)
    assert share[2] == 0.0  # names nobody
    assert share[0] > 0 and share[3] >= share[1] > 0
    assert np.all(share <= 1.0)


def test_salience_lifts_a_sentence_about_the_story_subject(nlp):
    text = (
        "Maria Lopez opened the new harbour on Monday. "
        "Maria Lopez said the harbour would bring jobs and ferries. "
        "A spokesman for the old port authority said the harbour would bring jobs and ferries."
    )
    doc = nlp(text)
    sents = segment.sentences(doc)
    eligible = list(range(len(sents)))
    assert centrality.entity_salience(doc, sents)[2] == 0.0
    flat = centrality.Weights(salience=0.0, lead=1e9)
    lifted = centrality.Weights(salience=3.0, lead=1e9)
    assert 2 in centrality.rank(doc, sents, eligible, 2, flat)  # long and central, but names nobody
    assert centrality.rank(doc, sents, eligible, 2, lifted) == [0, 1]


def test_a_headline_the_parser_splits_is_one_title_and_no_part_of_it_is_summarised(engine):
    text = "Dockworkers Walk Out As Talks Collapse\nOfficials said the port would close on Tuesday.\n"
    result = engine.analyze(text, sentences=3)
    assert result.title == "Dockworkers Walk Out As Talks Collapse"
    assert [s.text for s in result.summary] == ["Officials said the port would close on Tuesday."]


def test_lines_of_invisible_characters_are_not_sentences(engine):
    text = "Port Strike Ends\n\u200b\nOfficials said the port would close.\n\u200e\nCritics said the union had lied.\n"
    result = engine.analyze(text, sentences=5, method="lead")
    assert result.sentences == 3
    assert [s.text for s in result.summary] == ["Officials said the port would close.",
                                                "Critics said the union had lied."]


def test_a_title_case_headline_ending_in_a_full_stop_is_still_the_title(engine):
    text = "Man Spotted Directly Behind Senator At Rally Wearing Shirt.\n\nThe rally drew a crowd of 2,000.\n"
    assert engine.analyze(text).title == "Man Spotted Directly Behind Senator At Rally Wearing Shirt."


LIVE_BLOG = """Live: Harbour council votes on the pier

Good morning and welcome to our live coverage of the harbour council's vote on the pier.
We'll be bringing you all the latest from the council chamber in Port Ellery.
09:10 The council voted by nine votes to two to rebuild the pier that a winter storm destroyed.
09:25 The new pier will cost 4.2 million pounds and should open to walkers next summer.
09:40 Harbour master Elin Carter said the council had made the right call on the pier.
This post has been updated.
For media enquiries, contact press@portellery.example.
"""


def test_notes_about_the_page_are_not_summarised(nlp):
    doc = nlp(LIVE_BLOG)
    sents = segment.sentences(doc)
    picked = [doc.text[sents[i].start : sents[i].end] for i in summary.summarize(doc, sents, "byline", 3)]
    assert len(picked) == 3
    assert not any(p.startswith(("Good morning", "We'll", "This post", "For media")) for p in picked), picked


def test_a_live_blogs_time_stamps_are_not_summarised(engine):
    text = ("Storm Arwen: live updates\n\n10:42 GMT\nPower has been cut to 20,000 homes, the energy company Northgrid "
            "said. Engineers are working to restore supply.\n\n10:55 GMT\nTwo roads near Alnwick are closed after "
            "trees fell, police said. Drivers are asked to avoid the A1.\n")
    picked = [s.text for s in engine.analyze(text, sentences=3).summary]
    assert len(picked) == 3 and not any("GMT" in p for p in picked), picked


def test_a_text_of_page_notes_alone_still_gets_a_summary(nlp):
    doc = nlp("Good morning and welcome to our live coverage.\nFor media enquiries, contact press@acme.example.\n")
    sents = segment.sentences(doc)
    assert summary.summarize(doc, sents, "byline", 1) != []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Good morning and welcome to our live coverage of budget day.", True),
        ("We'll be bringing you all the latest as the chancellor speaks.", True),
        ("The interview has been edited for length and clarity.", True),
        ("Q: When did you realise this summer was going to be different?", True),
        ("About Solvane: Solvane is a European battery company.", True),
        ("Interview by Sofia Brandt", True),
        ("By Rachel Oduya, Courts Reporter", True),
        ("By Monday, Officials had left", False),
        ("For media enquiries, contact press@solvane.example.", True),
        ("Hi-tech posters guide commuters", False),
        ("Welcome to Nigeria's free readers associations, where young men read the headlines.", False),
        ("By the end of the year prices had doubled.", False),
        ("About 40 percent of the crop was lost: the worst year since 1976.", False),
        # a live blog's time stamps, whole or as the parser split them
        ("10:42 GMT", True), ("GMT", True), ("Updated 3 March 2025, 10:42 BST", True), ("Last updated: 14:05 ET", True),
        ("The council met on Monday.", False), ("It is 10:42.", False), ("In May.", False),
    ],
)
def test_page_notes(sentence, expected):
    assert boilerplate.is_boilerplate(sentence) is expected


def test_a_run_of_figures_is_read_once_not_in_every_split(monkeypatch):
    """The stamp pattern once nested one repeat in another: "1,234.5 2,345.6 3,456.7 in millions" took seconds and
    thirty digits before a word minutes. The answer must come from one pass: the pattern may not nest repeats."""
    pattern = boilerplate._STAMP.pattern
    assert "]+|" not in pattern and "]*|" not in pattern
    assert boilerplate.is_boilerplate("1" * 5_000 + " x") is False
    assert boilerplate.is_boilerplate("1,234.5 2,345.6 3,456.7 4,567.8 5,678.9 in millions of pounds.") is False


def test_a_sentence_from_the_middle_of_a_quote_is_discounted(nlp):
    text = ("Mine closes after forty years\n\n"
            "The Ridgeway gold mine will close in March, its owner said, ending 40 years of mining in the town.\n\n"
            "Shire president Colin Bradshaw said the closure of the mine would test whether the town could survive.\n\n"
            "\"I'm not going to tell you it'll all be fine. They've got mortgages based on mining wages at the mine, "
            "and there's nothing in the town that pays like the mine.\n\n"
            "\"But the town has come back before.\"\n")
    doc = nlp(text)
    sents = segment.sentences(doc)
    inside = centrality.opens_quote(doc, sents)
    texts = [text[s.start : s.end] for s in sents]
    assert [t for t, q in zip(texts, inside, strict=True) if q] == [
        "\"I'm not going to tell you it'll all be fine.",
        "They've got mortgages based on mining wages at the mine, and there's nothing in the town that pays like "
        "the mine.",
        "\"But the town has come back before.\"",
    ]


@pytest.mark.parametrize("method", ["byline", "lead", "textrank"])
def test_a_sentence_without_a_word_is_never_summary(engine, method):
    """A lone "!" or a row of dashes says nothing: "lead" used to give "!" as the first line of a summary."""
    text = "!\nThe council voted to close the bridge on Monday.\n---\nRepairs would cost £4m, officials said.\n"
    got = [s.text for s in engine.analyze(text, sentences=2, method=method).summary]
    assert got == ["The council voted to close the bridge on Monday.", "Repairs would cost £4m, officials said."]


def test_a_list_number_or_a_headline_alone_with_marks_is_not_summary(engine):
    """"1." on its own line was a lead summary's first line; a headline followed only by marks fell back to every
    sentence, "!" included."""
    listed = ("Key points\n1. Fares will be frozen for a year, the council said.\n"
              "2. There will be no change to timetables.\n")
    got = [s.text for s in engine.analyze(listed, sentences=2, method="lead").summary]
    assert all(any(ch.isalpha() for ch in t) for t in got) and "1." not in got
    assert [s.text for s in engine.analyze("Council votes to shut bridge\n!\n---\n", sentences=2,
                                           method="lead").summary] == ["Council votes to shut bridge"]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [("Verdict: Mostly false.", True), ("Our ruling: The bridge did go over budget.", True),
     ("The bottom line: the claim is wrong.", True), ("Rating: 4/5", True),
     ("The verdict was delivered on Monday.", False), ("A ruling is expected in May.", False)],
)
def test_labelled_verdicts(sentence, expected):
    assert boilerplate.is_verdict(sentence) is expected


def test_a_fact_checks_labelled_verdict_is_in_its_summary(engine):
    """A fact check whose verdict line is short and shares few words with the rest: centrality alone leaves it out,
    and a reader of the summary could not tell what the check found."""
    text = ("Fact check: did the Marlow bridge cost twice its budget?\n\n"
            "A post shared 40,000 times claims the new Tessaly Street bridge in Marlow cost taxpayers double what "
            "they were promised.\n\nVerdict: Mostly false.\n\n"
            "The original business case, published by Marlow Borough Council in March 2019, put the cost of the "
            "bridge at £14.2 million.\n\nThe final account, approved by the council's audit committee last month, "
            "shows the bridge cost £18.9 million, including a new footpath added after the business case.\n\n"
            "That is an overrun of about 33 per cent, not 100 per cent, and the council blames steel prices.\n\n"
            "The post also says the bridge's engineers were paid a bonus for finishing late, which the council's "
            "contract register does not show.\n")
    picked = [s.text for s in engine.analyze(text, sentences=3).summary]
    assert "Verdict: Mostly false." in picked
