"""Limits of the eleventh session's hold-back rules: unnamed-source claims written close to each rule that must
still be flagged (the heading, documents a sender put out, the writer looking round, posts given and records,
leaders of a body, 'each'/'either', 'like' members, interviews, -ly adverbs, gerund and clausal subjects)."""

from __future__ import annotations

import pytest

from tests.test_flags import flags_of


def evidence(engine, text: str) -> list[str]:
    return [f.evidence.text for f in flags_of(engine, text)]


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        # a claim in the body under a title line is still flagged
        ("Town hall news\n\nThe mayor spoke on Monday.\n\n"
         "A senior official said the mayor took bribes from the builder.", ["A senior official"]),
        # a first paragraph longer than a heading is a lede
        ("The governor reportedly ordered the files destroyed after learning that auditors were about to examine "
         "the state's pension accounts.\n\nHis lawyer denied the claim.", ["reportedly"]),
        # the headline's claim goes, the body's stays
        ("Mayor took bribes, sources say\n\n"
         "The mayor took bribes from a builder, two officials told reporters on Monday.", ["two officials"]),
        ("Critics slam stadium plan\n\nCritics say the new stadium is too expensive for the town.", ["Critics"]),
    ],
)
def test_the_heading_rule_keeps_the_body(engine, text, flagged):
    assert evidence(engine, text) == flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        # nobody named put the document out, or it was someone else's
        ("On Monday, someone sent out an email stressing that the mayor had taken bribes.", ["an email"]),
        ("One donor obtained an email saying the senator had taken bribes.", ["an email"]),
        ("On Monday, a fundraising email stressed that the mayor had taken bribes.", ["a fundraising email"]),
    ],
)
def test_a_document_nobody_named_put_out_is_still_flagged(engine, text, flagged):
    assert evidence(engine, text) == flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        # not the writer looking round: a review or an analysis by unnamed people
        ("A review by people familiar with the accounts shows the firm hid its losses.",
         ["A review by people familiar with the accounts"]),
        ("An analysis by some economists shows the tax cut will not pay for itself.",
         ["An analysis by some economists"]),
        # a post given, 'what to expect', 'is listed as', an idiom: the unnamed speaker beside them stays
        ("Officials said Jones was nominated as ambassador because he donated millions.", ["Officials"]),
        ("Sources say he was elected chairman only because he paid the voters.", ["Sources"]),
        ("The group installed a new leader, who one insider said was chosen by the army.", ["one insider"]),
        ("Sources say the company does not know what to expect from regulators.", ["Sources"]),
        ("Insiders say the board has no idea what to do about the fraud.", ["Insiders"]),
        ("He is listed as the owner of the company, according to people familiar with the records.",
         ["people familiar with the records"]),
        ("The minister had some explaining to do after officials said she had lied to parliament.", ["officials"]),
        # 'swear' is a verb of appointing ("sworn in") but a witness swearing to a fact is a claim
        ('"I saw him take the cash," one witness swore.', ["one witness"]),
        ("A witness swore the money had been stolen from the church.", ["A witness"]),
    ],
)
def test_not_a_claim_rules_leave_real_claims(engine, text, flagged):
    assert evidence(engine, text) == flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        # no organisation named before 'the group'
        ("Protesters marched through the city on Sunday.\n\n"
         "Leaders of the group said police had beaten several marchers.", ["Leaders of the group"]),
        ("The march was organised on Facebook.\n\n"
         "Leaders of the group said police had beaten several marchers.", ["Leaders of the group"]),
        # 'each' when nobody was named
        ("Either witness could have seen the shooter, but each witness said the gunman was tall.", ["each witness"]),
        # 'like' that names no member, or compares
        ("Critics like many on the left say the bill is a giveaway to banks.", ["Critics like many on the left"]),
        ("Some investors, like the central bank, expect rates to fall next year.", ["Some investors"]),
        # interviews with unnamed people
        ("The plan was abandoned, according to interviews with a dozen of his friends.",
         ["interviews with a dozen of his friends"]),
        # 'according to' an unnamed person: that person is flagged
        ("Some residents have said they saw the soldiers fire first, according to a local activist.",
         ["a local activist"]),
    ],
)
def test_named_now_rules_leave_unnamed_groups(engine, text, flagged):
    assert evidence(engine, text) == flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        # a capitalised -ly adverb is still the adverb, not a surname
        ("Mayor Quits After Audit\n\nCity Officials Met Late On Monday And Reportedly Agreed To Sell The Land\n\n"
         "The sale was approved by the council later that week.", ["Reportedly"]),
        ("Board members met in secret and Allegedly approved the payments to the contractor.", ["Allegedly"]),
        ("The vote was delayed. The minister resigned and, Supposedly, told aides the audit was rigged.",
         ["Supposedly"]),
        ("Residents complained for years, and the city, Finally Admitted the pipes were unsafe.", ["Residents"]),
        ("The council met on Monday.\n\nSome Residents Only Said The Water Tasted Strange\n\n"
         "The city says the water is safe.", ["Some Residents"]),
        # people under a participle or gerund in the subject still speak
        ("Experts studying the virus say it is spreading faster than officials admit.", ["Experts"]),
        ("Some working on the project say the budget was cut in secret.", ["Some"]),
        ("Many involved in the talks say the deal collapsed over money.", ["Many"]),
        ("A woman claiming to know Smith said he had taken the money.", ["A woman"]),
        ("Polling shows most voters oppose the plan.", ["Polling"]),
        ("Leaked briefing notes say the minister was warned about the fraud.", ["Leaked briefing notes"]),
        # the preposition taken for the subject, and an effort's maker, when the speaker is unnamed
        ("Of Carson, one aide said he had never read the briefing.", ["one aide"]),
        ("Of Porter, sources said she had hidden the payments.", ["sources"]),
        ("The senator's allies, in an effort to discredit her, said she had taken bribes.",
         ["The senator's allies"]),
        ("Sources said the mayor lied in an effort to convince voters that the audit was rigged.", ["Sources"]),
    ],
)
def test_found_now_rules_leave_unnamed_speakers(engine, text, flagged):
    assert evidence(engine, text) == flagged


# Over-reach a review found in the first versions of the session's rules, each now flagged again as at the start.
@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        # a one-line lede with a past-tense verb, or a dateline, is not a heading
        ("A senior official said the mayor took bribes from the builder.\n\nThe mayor denied it on Monday.",
         "A senior official"),
        ("LONDON (Wire) - The prime minister will resign next week, aides say.\n\nThe party met on Monday.", "aides"),
        # a look, a doing or a listing by someone unnamed is theirs
        ("A look at the figures by one analyst suggests the plan is failing.", "A look at the figures by one analyst"),
        ("Testing by independent labs found the water was contaminated.", "Testing by independent labs"),
        ("The payments, referred to by one insider as bribes, were made in cash.", "one insider"),
        ("He was listed by unnamed officials as a suspect in the fraud.", "unnamed officials"),
        # a nationality or a party is no named interviewee, "those at Harvard" no named member
        ("He is losing ground, according to interviews with Democrats in three states.",
         "interviews with Democrats in three states"),
        ("Critics like those at Harvard say the test is biased.", "Critics like those at Harvard"),
        # "each" names nobody the story has not named
        ("Each expert we spoke to said the bridge was unsafe.", "Each expert"),
        # the statement mentioned just before is the anonymous group's, not the police announcement
        ('Police announced an arrest on Friday. Hours later an anonymous group issued a statement online. "We will '
         'strike again," the statement said.', "the statement"),
        # an evidential adverb in a title-case line is no surname
        ("The Harbour Trust met on Monday.\n\nMinister Resigned Last Week And Allegedly Told Aides The Audit Was "
         "Rigged\n\nThe minister denied it.", "Allegedly"),
        # describing how to do something is a claim; only telling someone when or where to go is an instruction
        ("One aide described how to hide the money from the auditors.", "One aide"),
    ],
)
def test_over_reach_found_in_review_is_flagged_again(engine, text, evidence):
    assert evidence in [f.evidence.text for f in engine.analyze(text).flags]
