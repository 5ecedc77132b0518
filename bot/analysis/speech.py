"""Which found claims are speech, belief or a stance, rather than an action the cue model also caught.

The attribution finder is tuned for recall on the evaluation corpus, whose annotators marked many verbs
("plans", "banned", "starts to") as attribution cues. That is right for the JSON result and its scores, but
a flag is a charge against the article and the who-said-what table is read as "who said what", so both use
only the claims this module calls speech (``Attribution.speech``).
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from bot.analysis.content import CLOSING_MARKS
from bot.analysis.cues import (
    BARE_RAISING,
    bare_raising_passive,
    existential_claim,
    received_reaction,
    surfaced_talk,
    that_clause,
)
from bot.analysis.doctext import tokens_of
from bot.analysis.lexicon import words
from bot.analysis.non_reports import as_right_after
from bot.analysis.quotes import title_like
from bot.analysis.result import Attribution

# "known as HFCs", "a bill called X": a participle that names something, not a claim about it.
NAMING_VERBS = {"know", "call", "name", "dub", "label", "title", "term", "brand", "refer"}  # "referred to as"
# "Rescuers named the turtle Yawkey": verbs that give a name, never a claim.
STRICT_NAMING = {"name", "title", "term", "christen", "rename"}  # and "known as"
# The writer's own reading: "seems", "appears", "looks", "sounds" (and "seemingly") with nobody behind them.
HEDGE_VERBS = {"seem", "appear", "look", "sound"}
NOT_EVIDENTIAL = {"seemingly", "ostensibly"}
# The words inside one pair of double quote marks.
QUOTED_PART = re.compile(r"[“\"]([^“”\"]+)[”\"]")
# An earlier sentence end, or a nested quotation opening, inside a claim that ends with a question mark.
MORE_THAN_A_QUESTION = re.compile(r"[.!?][\"'”’]*\s+\S|[\s,:;(][‘“'\"]\S")
ADVICE_MODALS = {"should", "must", "ought"}
PERCEIVING = {"see", "watch", "notice", "witness", "feel"}  # verbs of living through an event ("saw prices rise")
SENSING = {"see", "hear", "watch", "notice", "spot", "witness", "smell"}  # what a bystander took in
EYEWITNESSES = {"witness", "neighbour", "neighbor", "resident", "bystander", "onlooker", "passer-by", "passerby",
                "passenger", "driver", "motorist", "shopper", "diner", "guest", "customer"}
# Nouns of a claim or a worry that a verb can voice with its clause: "raised concerns that ...".
VOICED_NOUNS = {"concern", "fear", "worry", "doubt", "claim", "suggestion", "allegation", "warning", "question"}
MAYBE_MODALS = {"can", "could", "may", "might"}
# "was deemed too brutal for MI6", "have been deemed classified": a ruling, on record; "is listed as the chairman":
# what a record says.
PASSIVE_NAMING = {"call", "dub", "name", "know", "label", "title", "term", "nickname", "declare", "pronounce",
                  "deem", "list"}
PERSONAL_SUBJECTS = {"he", "she", "i", "you", "we", "they"}  # who can lose a post or be announced at an event
# Bodies whose verbs are rulings ("the court found", "judges dismissed"), unless they report a clause.
COURT_NOUNS = {"court", "judge", "jury", "tribunal", "magistrate", "panel", "justice"}
ACCUSING_VERBS = {"accuse", "blame", "suspect", "allege", "criticise", "criticize", "condemn", "fault", "implicate"}
# Nouns that are claims in themselves when nobody is named ("allegations of fraud", "rumours").
CLAIM_NOUNS = {"allegation", "accusation", "claim", "rumor", "rumour", "speculation", "suspicion", "charge",
               "report", "assessment", "estimate"}
# Verbs of saying that are also actions on a thing: "found the bag", "announced the measure", "released
# a video". With a plain object and no clause they report an act, not a claim.
FINDING_VERBS = {"find", "announce", "reveal", "report", "disclose", "release", "post", "write", "issue", "cite",
                 "discover"}

# Participles that say a thing was made public; before a noun they pick the thing out, not a claim about it.
MADE_PUBLIC = {"announce", "release", "publish", "issue", "unveil", "launch", "post", "disclose"}

EASE = {"hard", "difficult", "easy", "impossible", "tough", "tricky", "simple", "hard-pressed", "harder", "easier"}
# A crowd's protest, which is an event in public rather than a claim: "protesters demanding he resign".
PROTESTING = {"demand", "protest", "chant", "shout", "decry", "rally", "march", "campaign", "yell", "jeer", "boo",
              "heckle"}
CHANTING = {"chant", "shout", "yell", "jeer", "boo", "heckle", "scream", "roar"}  # what a crowd does with a slogan
CROWDS = {"protester", "protestor", "demonstrator", "crowd", "marcher", "fan", "activist", "campaigner", "mob",
          "thousand", "hundred", "rioter", "picket"}

# Subjects that cannot be the source of a claim: stretches of time and pictures of events.
PICTURES = {"video", "footage", "photo", "photograph", "picture", "image", "recording", "clip", "camera", "cctv",
            "dashcam", "banner", "placard", "poster", "scene", "replay"}  # not "sign": "all signs point to"
BROADCASTS = {"television", "tv", "broadcaster", "channel", "broadcast", "livestream"}  # what is shown on air
# Things put up to be read, whose words are the point, not a hidden source's claim: 'A sign at the entrance said "No
# phones"', "A notice on the door said the shop had closed", "A card among the flowers read ...". Only as the one
# saying or reading, so "all signs point to" is untouched.
NOTICES = {"sign", "notice", "card", "plaque", "inscription", "billboard", "signpost", "label", "sticker", "graffiti"}
NOTICE_VERBS = {"say", "read", "warn", "declare", "announce", "state", "proclaim", "tell", "urge", "ask"}
# What a timetable says someone will do: "is expected to attend the summit", "to address staff on Friday" is the
# writer's note of an arranged event, not a forecast somebody made. "to face questions" too, but not "to face charges".
SCHEDULED = {"attend", "address", "appear", "arrive", "meet", "visit", "speak", "testify", "travel", "return",
             "chair", "host", "deliver", "present", "tour", "land", "depart", "sit", "question", "resume"}
# "is expected to give evidence", "to give a statement": an appearance, as "to testify" is.
APPEARANCES = {"evidence", "testimony", "statement", "speech", "address", "briefing", "update"}
QUESTIONING = {"question", "questioning", "scrutiny", "grilling"}
# Verbs of what a picture shows, whose passive "in a photograph" is the picture's, not a hidden source's.
SHOWING = {"show", "see", "picture", "depict", "film", "photograph", "capture", "portray"}
# The writer's own looking around: "A Google search shows ...", "A walk through their offices hints at ...".
LOOKING = {"search", "walk", "look", "glance", "visit", "tour", "scan", "stroll", "peek", "skim", "browse",
           "perusal"}
SPEECHLESS = {"half", "year", "week", "month", "day", "season", "decade", "century", "period", "night", "morning",
              "weekend", "history"} | PICTURES  # "History has shown ...": the writer's lesson, nobody's word
# Verbs whose "as" says what a thing was made to do, not how anyone judged it: "used a bakery as a front".
USING = {"use", "employ", "serve", "act", "work", "double", "pose", "dress", "disguise", "join", "enlist", "register",
         "hire", "rent", "repurpose", "operate", "run", "deploy"}
# What "according to" may cite that is a rule or a plan, not anyone's word.
NORMS = {"protocol", "procedure", "rule", "regulation", "guideline", "custom", "tradition", "plan", "schedule",
         "timetable", "script", "practice", "convention", "etiquette"}
# Putting someone in a post: "was formally nominated as the party's standard-bearer" is an act on record.
APPOINTING = {"nominate", "appoint", "elect", "reelect", "re-elect", "install", "designate", "ordain", "crown",
              "inaugurate", "swear", "choose", "select", "pick", "tap"}
# Taking a side, said of a group to say which one it is: "a super PAC backing Mr. Cruz".
SIDING = {"back", "support", "oppose", "endorse", "favor", "favour", "fund", "finance"}
# Verbs that can instruct: "tickets telling them when to join the queue" ("described how to hide it" still claims).
INSTRUCTING = {"tell", "instruct", "advise", "remind", "show", "teach", "direct", "explain"}
# "knowing what to expect", "unsure how to respond": an infinitive after a question word asks, it does not claim.
QUESTION_WORDS = {"what", "how", "whether", "where", "when", "who", "whom", "which", "why"}
# Verbs that let or make someone do something: what follows is an ability, not a claim.
CAUSATIVES = {"let", "allow", "enable", "help", "make", "permit"}
# Stance verbs that are also assaults when their object is a place: "attacked the embassy", "stormed the base".
ASSAULTS = {"attack", "storm", "raid", "burn", "bomb", "besiege", "shell"}
PLACES_ATTACKED = {"plant", "facility", "facilities", "embassy", "consulate", "base", "building", "village", "town",
                   "city", "convoy", "compound", "station", "office", "camp", "checkpoint", "hotel", "school",
                   "church", "mosque", "market", "border", "post", "headquarters", "prison", "field", "port"}
# Verbs that commit to or refuse an act when they take "to": "agreed to talks", "declined to comment".
UNDERTAKING = {"agree", "decline", "refuse"}
# Wanting, liking and knowing: what the writer says a group wants or knows is the writer's claim, not theirs.
WANTING_KNOWING = {"want", "need", "wish", "like", "love", "hate", "prefer", "care", "enjoy", "dislike", "resent",
                   "know", "understand", "realise", "realize", "learn", "remember", "recall"}
# Remembering out loud: "colleagues recalled that she refused" tells what they said happened.
RECOLLECTING = {"recall", "remember"}
# Verbs of knowing and thinking that report a clause but are not in the saying and stance lists.
THINKING_VERBS = {"think", "believe", "feel", "hope", "fear", "suspect", "assume", "guess", "reckon", "hear",
                  "expect", "worry", "wonder", "conclude", "determine", "decide", "estimate", "predict", "forecast",
                  "calculate", "agree", "acknowledge", "concede", "admit", "doubt", "imagine", "suggest", "show",
                  "indicate", "mean"}

CLAUSE_ONLY_PASSIVES = {"learn"}  # "it is learnt that ..." reports; "he's learned to cook" does not
# Nouns of grasping a subject, which hold a belief only with a "that" clause ("the understanding that ...").
GRASPING = {"understanding", "knowledge", "awareness", "grasp", "appreciation", "comprehension"}
# Verbs of making a paper, whose passive says who made it ("was written by officials"), not what anyone claims.
AUTHORING = {"write", "draft", "author", "compose", "pen", "prepare", "sign", "co-write", "cowrite"}


def is_speech(a: Attribution, doc: Doc) -> bool:
    """Whether the claim is speech, belief or a stance, which a reader can ask "says who?" about.

    A direct quote, a reported clause, an "as" judgement ("see X as Y"), an evidential word and a verb of
    saying, believing or taking a stance are; an action ("a judge banned the firm", "officers found the
    bag"), a name ("a gas known as HFC") or a comparison ("rose faster than expected") is not.
    """
    span = tokens_of(doc, a.cue)
    if span is None:
        return True
    tok = span.root
    lemma = tok.lemma_.lower()
    deps = {c.dep_ for c in tok.children}
    source = tokens_of(doc, a.source)
    if surfaced_talk(tok):
        return True  # "Allegations have emerged that ...": talk that came up is a claim, whoever started it
    if lemma == "charge" and "dobj" in deps and _has_prep(tok, "with"):
        return False  # 'police charged him with "breach of the peace"': a legal act on the record, as "was charged" is
    if lemma == "remember" and "auxpass" in deps and any(
            c.dep_ == "aux" and c.lower_ in ("will", "would", "may", "might", "could") for c in tok.children):
        return False  # "She will be remembered as a champion of the poor": the writer's forecast, nobody's claim
    if lemma in AUTHORING and "auxpass" in deps and not deps & {"ccomp", "xcomp", "oprd"} and not _as_predicate(tok):
        return False  # "The memo was written by officials in the unit": who wrote a paper, not what it says
    if tok.dep_ == "xcomp" and tok.head.lower_ == "worth":
        return False  # "it's worth pointing out that ...": the writer's own aside to the reader
    if lemma == "explain" and doc[tok.i + 1 : tok.i + 3].text.lower() == "to do":
        return False  # "had some explaining to do": an idiom, nobody explained anything
    if lemma in SIDING and tok.tag_ == "VBG" and "ccomp" not in deps and (
        tok.dep_ == "acl" or (tok.dep_ == "ccomp" and "nsubj" in deps and not deps & {"aux", "auxpass"})
    ):
        # "an independent group backing Gov. Kasich", "he would need 159 delegates now supporting Clinton" (which
        # the parser reads as a clause of its own): which group it is, not a claim
        return False
    if lemma == "charge" and any(t.ent_type_ == "MONEY" for t in tok.subtree):
        return False  # "a company he owns has charged the campaign $3.7 million": a bill, not an accusation
    if lemma in APPOINTING and tok.pos_ == "VERB" and "ccomp" not in deps:
        # "was formally nominated as running mate", "elected him chairman": a post given, not a claim, even when
        # the parser hangs a quotation beside it on the verb
        return False
    if a.content is not None and _only_a_question(a.content.text):
        return False  # 'posed the question: "Should it be legal?"': a question asserts nothing
    that_clause = any(c.dep_ == "ccomp" and any(m.lower_ == "that" for m in c.children) for c in tok.children)
    recollection = lemma in RECOLLECTING and that_clause and a.source is not None  # "Colleagues recalled that ..."
    if lemma in GRASPING and tok.pos_ == "NOUN" and not that_clause and not a.direct_quote:
        return False  # "transformed scientists' understanding of how the oceans store heat": a field, not a claim
    passive = "auxpass" in deps or bare_raising_passive(tok)  # "with the club understood to have ..."
    if lemma in WANTING_KNOWING and not recollection and not passive:
        # "Big businesses know ...", "voters want change": the writer's account of them, not a claim ("it is
        # understood that ..." is the passive of reporting, and stays one)
        return False
    if lemma in CAUSATIVES and not that_clause:
        return False  # "items left at the scene allowed detectives to identify him": letting is not saying
    if tok.dep_ in ("ccomp", "xcomp") and tok.head.lemma_.lower() in CAUSATIVES and "ccomp" not in deps:
        return False  # "allowed detectives to identify him 'as the killer'", "lets people share songs"
    if tok.tag_ == "VBN" and tok.i > 0 and doc[tok.i - 1].lower_ in ("as", "than") and not deps & {"xcomp", "ccomp"}:
        return False  # 'if "no artificial" sales grow as expected', however the parser hangs the "as"
    # 'edX is launching a course called "Introduction to Data Science"': a quoted title does not make the verb
    # speech; the checks below decide, as for any verb ('users compared it to "An Inconvenient Truth"' is a stance)
    if lemma == "dismiss" and "auxpass" in deps and _let_go(tok):
        return False  # "Lewandowski was dismissed on Monday as campaign manager": sacked, not waved away
    if lemma == "announce" and "auxpass" in deps and not deps & {"ccomp", "xcomp"} and _person_subject(tok):
        return False  # "when the Rogans' turn came and they were announced": called out at an event
    if lemma == "report" and "auxpass" in deps and any(c.lower_ == "missing" for c in tok.children):
        return False  # "He was reported missing": a missing-person report was filed, an event
    if lemma in SHOWING and "auxpass" in deps and _in_a_picture(tok):
        return False  # "she is famously shown in a photograph using her phone": what a picture shows, its own source
    if lemma == "find" and any(_it_is_hard(c) for c in tok.children):
        return False  # "People with tremors find it hard to use a mouse": what they go through, not a claim
    reduced = tok.tag_ == "VBN" and tok.dep_ in ("acl", "conj") and not deps & {"ccomp", "xcomp", "auxpass"}
    if lemma in MADE_PUBLIC and (tok.dep_ == "amod" or reduced):
        return False  # "the recently-announced spinoff", "the newly released figures": which thing, not a claim
    if lemma in MADE_PUBLIC and a.source is None and _only_a_date(tok):
        return False  # "Sen. Ted Cruz - Announced March 23, 2015": a caption's date, not a claim
    if lemma in NAMING_VERBS and _a_quoted_name(tok):
        return False  # 'Academics call it the "Flutie Effect"': a name given, like "known as", not a judgement
    pictured = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if pictured is None and source is not None and source.root.lemma_.lower() in PICTURES:
        pictured = source.root  # 'the video exploded the myth, showing ... "child soldiers"'
    if pictured is not None and pictured.lemma_.lower() in NOTICES and lemma in NOTICE_VERBS:
        return False  # 'A sign at the entrance said "No phones"': a notice's words, put up by whoever runs the place
    if tok.lower_ in NOT_EVIDENTIAL or (lemma in HEDGE_VERBS and a.source is None):
        return False  # the writer's own reading ("seems", "seemingly"), not a claim with a hidden source
    if lemma == "ask" and a.source is None and tok.tag_ in ("VBN", "VBD"):  # "Trump, asked about ..." read as VBD
        return False  # "When asked why, Sembler responded: '...'": the question put; the answer is the speaker's
    if lemma in ("instruct", "order", "direct") and "auxpass" in deps and "ccomp" not in deps and "xcomp" in deps:
        return False  # "the band was instructed to begin playing": an order given, not a claim
    if a.direct_quote and pictured is not None and pictured.lemma_.lower() in SPEECHLESS:
        return False  # 'Another photo showed valves marked "open"': the quote is what the picture shows
    if lemma in CHANTING and a.direct_quote and _a_crowd(source.root if source is not None else tok):
        return False  # '"Rahm's got to go!" some protesters chanted': a crowd's slogan, heard in public
    if a.direct_quote and not _names_in_quotes(tok) and (
        lemma in PASSIVE_NAMING or a.content is None or not title_like(_quoted_words(a.content.text))
    ):
        return True
    if tok.pos_ in ("NOUN", "PROPN") and a.source is None:
        # "allegations of fraud", "there are fears that ...", not "criticism" in a list or "the outlook"
        return lemma in CLAIM_NOUNS or existential_claim(tok)
    reaction = received_reaction(tok)
    if reaction is not None:
        # "facing accusations of favoritism", "drew criticism from critics": judged as the noun would be alone
        return a.source is not None or reaction.lemma_.lower() in CLAIM_NOUNS
    if tok.pos_ == "NOUN" and source is not None and source.root.lemma_.lower() in COURT_NOUNS:
        return False  # "a judge's order to release the video", "the court's ruling": a ruling, on the record
    if lemma == "accord" and _depending_on(tok):
        return False  # "gains weight according to how long he spends in the gym": "depending on", no source
    if lemma == "plead" and any(c.lower_ in ("guilty", "innocent") for c in tok.subtree):
        return False  # "pleaded not guilty": a plea entered in court, on the record
    if lemma == "accord" and _a_norm(a, doc):
        return False  # "According to protocol, the controller should have called": a rule, nobody's word
    if not tok.is_alpha or tok.pos_ != "VERB" or lemma == "accord":
        return True  # a colon, a dash, "according to", an adverb ("reportedly") or a noun ("allegations")
    if tok.i >= 2 and doc[tok.i - 1].lower_ == "to" and doc[tok.i - 2].lower_ in QUESTION_WORDS:
        return False  # "a sense of what to expect", "how to respond": no one claims anything
    if lemma in STRICT_NAMING or (lemma == "know" and _as_predicate(tok)) or (lemma == "ask" and a.source is None):
        return False  # "rescuers named it Yawkey"; "when asked about it": a question put, not a claim
    if any(c.dep_ in ("aux", "auxpass") and c.lower_ in ADVICE_MODALS for c in tok.children):
        return False  # "people should not expect ...": advice, not a report
    subject = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in tok.children):
        return False  # "If progressives want to ...", "Unless the authorities agree ...": a supposition
    if subject is not None and not _can_speak(subject):
        return False  # "The first half saw ...", "Video of the incident shows ...": nobody speaks
    if source is not None and not _can_speak(source.root):
        return False  # "Video shot from a helicopter showed ...", the verb joined to another
    if source is not None and _a_doing(source.root):
        return False  # "Holding rates near zero has encouraged borrowing": a doing, not a speaker
    if (tok.dep_ == "relcl" and subject is not None and subject.lower_ in ("who", "that") and _defining(tok)
            and "auxpass" not in deps):
        # "candidates who tell them the truth": a relative clause that says which ones ("results that were hailed as
        # a milestone" still reports a judgement nobody is named for)
        return False
    if lemma == "expect" and "auxpass" in deps and "neg" not in deps and _scheduled(tok) and not _counted(subject):
        return False  # "is expected to address staff": an arranged event ("isn't expected to attend" is a snub)
    forecast = lemma in words("reporting_passives.txt") and "auxpass" in deps  # "is not expected to attend"
    if not forecast and any(c.dep_ == "neg" for c in tok.children) and not any(
        c.dep_ == "ccomp" and not any(m.lower_ in ("whether", "if") for m in c.children) for c in tok.children
    ):
        # "authorities haven't said whether ...": no claim was made ("would not disclose how ..." is a refusal,
        # which stays a claim of its own)
        return False
    if lemma in INSTRUCTING and any(
        c.dep_ in ("ccomp", "xcomp") and any(m.dep_ == "aux" and m.lower_ == "to" for m in c.children)
        and _an_open_question(c, tok)
        for c in tok.children
    ):
        return False  # "tickets telling them when to join the queue": an instruction, not a claim
    if lemma == "call" and _call_not_a_claim(tok, deps):
        return False  # a name given, a telephone call or a summons
    bare = not any(c.dep_ in ("aux", "auxpass") for c in tok.children)
    imperative = tok.tag_ == "VB" or (tok.tag_ == "VBP" and a.source is None)  # "Once again, expect ..." read as VBP
    if subject is None and imperative and tok.dep_ == "ROOT" and bare:
        return False  # "But think about it this way", "Think 'Barton Fink' meets ...": the writer to the reader
    if subject is not None and subject.lemma_.lower() == "time" and lemma == "tell":
        return False  # "Only time will tell": an idiom, nobody's claim
    if subject is not None and _nobody(subject):
        return False  # "No group claimed responsibility": a claim nobody made is a fact about the claims
    if lemma in ASSAULTS and any(c.dep_ == "dobj" and _a_place(c) for c in tok.children):
        return False  # "militants attacked the gas plant": an assault, not a stance
    if lemma in UNDERTAKING and "ccomp" not in deps and (
        "xcomp" in deps or _has_prep(tok, "to") or (lemma != "agree" and "dobj" not in deps)
    ):
        # "agreed to a Palestinian state", "declined to issue a permit", "many declined": a decision, an act
        return False
    protest = lemma in PROTESTING or (lemma == "call" and _calls_for(tok))  # not "called the plan a disaster"
    if protest and "ccomp" not in deps and _a_crowd(subject or (source.root if source is not None else tok)):
        return False  # "protesters packed the streets, demanding ...", "fans were chanting for his head": a protest
    if lemma == "respond" and "ccomp" not in deps and _has_prep(tok, "to"):
        return False  # "deputies responded to a robbery": they went there
    if lemma == "back" and "prt" in deps and "dobj" not in deps:
        return False  # "water backed up in the suit"
    if "ccomp" not in deps and any(c.dep_ == "aux" and c.lower_ in MAYBE_MODALS for c in tok.children):
        return False  # "passengers can demand compensation": what someone could do, not what they said
    if a.source_kind in ("anonymous", "vague") and _foreseen(tok):
        return False  # "Supporters would argue that ...", "voters might consider it": the writer's guess at them
    if lemma == "describe" and any(c.dep_ == "advmod" and c.lower_ in ("best", "deceptively") for c in tok.children):
        return False  # "is best described as ...": the writer's own description
    if "auxpass" in deps and lemma in PASSIVE_NAMING and not (lemma == "list" and "agent" in deps):
        return False  # "was dubbed Jihadi John", "are called 'free'": a name, not a claim
    before = {t.lower_ for t in doc[max(0, tok.i - 4) : tok.i]}
    if lemma == "see" and before & {"yet", "remain", "remains", "remained"}:
        return False  # "it remains to be seen", "is yet to be seen": nothing is claimed
    agent = next((g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)
    bench = [t for t in (subject, agent) if t is not None and t.lemma_.lower() in COURT_NOUNS]
    if bench and lemma not in ("say", "tell", "write", "state"):
        return False  # "a court found the doctor liable", "were ordered by judges to ...": a ruling, an act
    if lemma == "condemn" and _has_prep(tok, "to"):
        return False  # "a late goal condemned them to defeat": a consequence, not a condemnation
    if tok.dep_ == "acl" and tok.tag_ == "VBN" and not deps & {"ccomp", "xcomp", "csubj", "oprd"}:
        # "the method favored by scientists", "a plan backed by unions": describes a thing; but "widely
        # regarded as the best" is a judgement with nobody behind it
        return _as_predicate(tok)
    if "auxpass" in deps and not deps & {"ccomp", "xcomp", "csubj", "oprd"} and not _as_predicate(tok) and not (
            _raised_to(tok)):
        # "is now known", "has not been charged", "was declared insolvent": a fact, not a claim; but "has been
        # accused of fraud" is an accusation whoever makes it
        return lemma in ACCUSING_VERBS
    named_by = lemma == "refer" and "agent" in deps  # "referred to by one insider as bribes": the insider's word
    if lemma in NAMING_VERBS and not named_by and (tok.dep_ == "acl" or (tok.tag_ == "VBN" and "nsubj" not in deps)):
        return False  # "a gas known as HFC", "Called aurora borealis in the north, the lights ...": a name
    if any(c.dep_ == "mark" and c.lower_ in ("than", "as") for c in tok.children):
        return False  # "rose faster than expected", "as predicted": a comparison, not a claim
    if lemma in PERCEIVING and _perceived_event(tok):
        return False  # "Landlords have seen their costs rise": what happened to them, not what they claim
    if (lemma in SENSING and subject is not None and subject.lemma_.lower() in EYEWITNESSES and not that_clause
            and not _as_predicate(tok)):
        return False  # "Witnesses saw a white car leave the scene": what they saw, not a claim ("saw that ..." is)
    if lemma in SHOWING and subject is not None and subject.lemma_.lower() in BROADCASTS and not that_clause:
        return False  # "State television showed him embracing survivors": pictures on air ("showed that ..." claims)
    if lemma == "put" and _puts_a_figure(tok):
        return True  # "One person familiar with the review put the figure at $11 million": an estimate, a claim
    speech = lemma in words("reporting_verbs.txt") or lemma in words("stance_verbs.txt")
    if deps & {"ccomp", "csubj"}:
        # a reported clause makes a verb of saying or thinking a claim; "tensions sparked again when ... and
        # Turkey didn't intervene" is a parse that hangs a clause on a verb that says nothing
        return speech or lemma in words("reporting_passives.txt") or lemma in THINKING_VERBS
    if lemma == "tip" and passive and ("xcomp" in deps or any(c.dep_ == "prep" and c.lower_ == "as"
                                                               for c in tok.children)):
        return True  # "is widely tipped to win": whose tip, the story does not say
    if speech or (lemma in words("reporting_passives.txt") and passive and lemma not in CLAUSE_ONLY_PASSIVES):
        return not (lemma in FINDING_VERBS and "dobj" in deps and "xcomp" not in deps)
    if lemma in USING:
        return _voices_a_claim(tok)  # "used a bakery as a front": an act, whatever its "as"
    return _as_predicate(tok) or _voices_a_claim(tok)


ESTIMATED = {"figure", "estimate", "cost", "toll", "number", "total", "damage", "bill", "value", "loss", "losses",
             "price", "amount", "count", "tally", "risk", "chance", "odds", "probability"}


def _puts_a_figure(verb: Token) -> bool:
    """ "put the figure at $11 million", "put early estimates of the damage at £200m": an estimate given."""
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    return obj is not None and obj.lemma_.lower() in ESTIMATED and _has_prep(verb, "at")


def _raised_to(verb: Token) -> bool:
    """ "Vane is understood to favour ending the freeze": after a passive of believing, "to" opens an infinitive even
    when the parser takes the verb for a noun ("to favour" read as a preposition and its object); not "was reported to
    police", "is known to police"."""
    doc = verb.doc
    if verb.lemma_.lower() not in BARE_RAISING - {"report", "know"} or verb.i + 2 >= len(doc):
        return False
    to, word = doc[verb.i + 1], doc[verb.i + 2]
    return to.lower_ == "to" and to.dep_ == "prep" and word.dep_ == "pobj" and not word.n_lefts


def _perceived_event(verb: Token) -> bool:
    """ "have seen their costs rise", "saw his house burn": the clause is a bare verb or an "-ing" form whose subject
    is the subject's own thing, with no "that" or modal: something that happened to them. "Strategists have seen
    the Tories seizing an advantage" is their reading of others, and "see that the plan will fail" a claim."""
    clauses = [c for c in verb.children if c.dep_ == "ccomp"]
    return bool(clauses) and all(
        c.tag_ in ("VB", "VBG") and not any(g.dep_ in ("mark", "aux") for g in c.children)
        and any(g.dep_ == "nsubj" and any(p.dep_ == "poss" and p.pos_ == "PRON" for p in g.children)
                for g in c.children)
        for c in clauses
    )


def _voices_a_claim(verb: Token) -> bool:
    """ "Have raised concerns that health systems will struggle", "voiced fears that ...": the object is a claim
    or a worry whose clause is spelled out, so the subject puts that clause forward."""
    return any(c.dep_ == "dobj" and c.lemma_.lower() in VOICED_NOUNS and that_clause(c) for c in verb.children)


def _in_a_picture(verb: Token) -> bool:
    """ "shown in a photograph", "seen on the video": the verb has "in" or "on" a picture."""
    return any(
        p.dep_ == "prep" and p.lower_ in ("in", "on") and any(g.lemma_.lower() in PICTURES for g in p.children)
        for p in verb.children
    )


def _a_norm(a: Attribution, doc: Doc) -> bool:
    """ "according to protocol", "according to the rules", "according to plan": what should happen, not a claim; and
    "according to video footage" (pictures, which say nothing) or "according to a reverse image search" (the writer's
    own check, unless someone named ran it)."""
    source = tokens_of(doc, a.source)
    return source is not None and (source.root.lemma_.lower() in NORMS or source.root.lower_ in SPEECHLESS
                                   or (source.root.lemma_.lower() in LOOKING and not _someone_behind(source.root)))


def _depending_on(according: Token) -> bool:
    """ "according to how long ...", "according to whether ...": the phrase means "depending on"."""
    to = next((c for c in according.children if c.lower_ == "to"), None)
    if to is None or to.i + 1 >= len(according.doc):
        return False
    return according.doc[to.i + 1].lower_ in ("how", "whether", "what", "when", "where", "which", "who")


def _names_in_quotes(tok: Token) -> bool:
    """ 'it is called "Amazon Mom"', '"Bloody Sunday," as the day became known': a name in quote marks."""
    deps = {c.dep_ for c in tok.children}
    passive = "auxpass" in deps or (tok.dep_ == "acl" and tok.tag_ == "VBN")  # "a course called "Intro to X""
    if tok.lemma_.lower() not in PASSIVE_NAMING or not passive or deps & {"ccomp", "agent"}:
        return False  # 'was called "reckless" by critics' is a judgement someone made
    named = [c for c in tok.children if c.dep_ in ("oprd", "attr", "xcomp")]
    # a proper name ('a book called "The Sound of Money"'); 'is called "a disaster"' and 'has been called the
    # "Trump of the East"' (an article outside the quote marks) are judgements
    return all(c.text[:1].isupper() and not any(_article_outside_quotes(d) for d in c.children) for c in named)


def _article_outside_quotes(tok: Token) -> bool:
    return tok.dep_ == "det" and tok.i + 1 < len(tok.doc) and tok.nbor(1).is_quote


def _call_not_a_claim(call: Token, deps: set[str]) -> bool:
    """ "Friends called him Tony" (a name), "Folks called after they heard a shot" (a telephone call),
    "Prosecutors called them to the stand" (a summons); "called for a ban" and "called it a disaster" are claims."""
    if any(c.dep_ == "oprd" and c.pos_ == "PROPN" for c in call.children):
        return True
    if not deps & {"ccomp", "oprd", "xcomp", "attr", "dobj"} and not _calls_for(call):
        return True
    return _has_prep(call, "to") and not deps & {"ccomp", "oprd", "xcomp"}


def _calls_for(call: Token) -> bool:
    """ "called for a ban", "called for the mayor to resign", "called on the council to act": a demand."""
    if any(c.dep_ in ("prep", "mark", "prt") and c.lower_ in ("for", "on") for c in call.children):
        return True
    clauses = (c for c in call.children if c.dep_ == "advcl")
    return any(any(m.dep_ == "mark" and m.lower_ == "for" for m in c.children) for c in clauses)


def _defining(relcl: Token) -> bool:
    """A relative clause glued to its noun ("people who think ..."), which picks out a kind of people; set off by
    a comma ("Critics, who say the plan is flawed, ...") it reports what they say."""
    noun = relcl.head
    doc = relcl.doc
    between = doc[noun.i + 1 : relcl.left_edge.i]
    definite = any(c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "those") for c in noun.children)
    return noun.pos_ in ("NOUN", "PRON") and not definite and not any(t.text in (",", "(", "—", "–") for t in between)


def _nobody(subject: Token) -> bool:
    """ "no group", "nobody", "none of the officials", "neither candidate": the subject denies that anyone spoke."""
    if subject.lower_ in ("nobody", "none"):
        return True
    if subject.lower_ == "one" and subject.i > 0 and subject.nbor(-1).lower_ == "no":
        return True  # "no one"
    return any(c.dep_ in ("det", "preconj") and c.lower_ in ("no", "neither") for c in subject.children)


def _a_place(tok: Token) -> bool:
    """A building, a site or a named place, which one attacks with force, not with words."""
    return tok.ent_type_ in ("FAC", "GPE", "LOC") or tok.lemma_.lower() in PLACES_ATTACKED


def _person_subject(verb: Token) -> bool:
    """Whether the passive verb's subject is a person: a name, or "he", "she", "they" ..."""
    subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    return subject is not None and (
        subject.ent_type_ == "PERSON"
        or (subject.pos_ == "PROPN" and not subject.ent_type_)
        or subject.lower_ in PERSONAL_SUBJECTS
    )


def _let_go(verb: Token) -> bool:
    """Whether a passive "dismissed" means someone lost a post: its subject is a person and it has no "as a ..."
    judgement ("he was dismissed as a crank" stays a claim; "dismissed as the team's coach" is a sacking)."""
    if not _person_subject(verb):
        return False
    for as_ in (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "as"):
        if any(d.dep_ == "det" and d.lower_ in ("a", "an") for g in as_.children for d in g.children):
            return False
    return True


def _scheduled(expect: Token) -> bool:
    """ "is expected to attend the summit", "to face further questions": the infinitive after "is expected" is an
    arranged event (``SCHEDULED``)."""
    for c in expect.children:
        if c.dep_ != "xcomp" or not any(m.dep_ == "aux" and m.lower_ == "to" for m in c.children):
            continue
        verb = c.lemma_.lower()
        if verb in SCHEDULED:
            return True
        if verb == "face" and any(o.dep_ == "dobj" and o.lemma_.lower() in QUESTIONING for o in c.children):
            return True
        if verb == "give" and any(o.dep_ == "dobj" and o.lemma_.lower() in APPEARANCES for o in c.children):
            return True
    return False


def _counted(subject: Token | None) -> bool:
    """ "About 120,000 people are expected to attend": a head count is somebody's estimate, not a timetable."""
    return subject is not None and any(t.like_num or t.ent_type_ in ("CARDINAL", "QUANTITY") for t in subject.subtree)


def _can_speak(subject: Token) -> bool:
    """A time ("the first half", "2015"), a picture ("video of the incident") or a look round ("a Google search")
    says nothing itself."""
    if subject.ent_type_ in ("DATE", "TIME"):
        return False
    if subject.pos_ == "VERB" and any(c.dep_ == "nsubj" and c.lemma_.lower() in SPEECHLESS for c in subject.children):
        return False  # "Video shot from a helicopter showed ...", with "shot" parsed as the subject
    lemma = subject.lemma_.lower()
    if lemma in LOOKING and subject.pos_ == "NOUN":  # not "officers searching"
        return _someone_behind(subject)  # "A look at the figures by one analyst" is the analyst's
    return lemma not in SPEECHLESS


def _an_open_question(clause: Token, verb: Token) -> bool:
    """A clause that asks instead of stating: "whether ...", "if ...", "how the votes fell", "when to join".
    The question word comes after the verb of saying ("which officials said will ..." is a relative clause)."""
    return any(m.lower_ in ("whether", "if") or (m.tag_ in ("WRB", "WP", "WDT") and verb.i < m.i < clause.i)
               for m in clause.children)


def _someone_behind(noun: Token) -> bool:
    """Whether a look or a doing says whose it is: "a look at the books by officials", "testing by labs"."""
    return any(c.dep_ in ("prep", "agent") and c.lower_ == "by" for c in noun.children)


def _a_doing(tok: Token) -> bool:
    """A gerund with no noun before it ("Holding rates near zero"); not "A GoFundMe page collecting donations", where
    the parser made the gerund the head and the page speaks."""
    if tok.tag_ != "VBG" or tok.pos_ != "VERB" or _someone_behind(tok):
        return False  # "Testing by independent labs found ...": the labs are the source
    return not any(c.i < tok.i and c.pos_ in ("NOUN", "PROPN", "PRON") for c in tok.children)


def _it_is_hard(tok: Token) -> bool:
    """ "find [it hard] to ...", "find [it difficult]": the ease or difficulty of something, as experienced."""
    if tok.dep_ not in ("ccomp", "oprd", "xcomp", "acomp") or tok.lemma_.lower() not in EASE:
        return False
    if any(c.dep_ in ("xcomp", "advcl") and (c.lemma_.lower() in THINKING_VERBS or c.lemma_.lower() in ("accept",))
           for c in tok.children):
        return False  # "Critics find it hard to believe the plan will work": a stance
    return any(c.lower_ == "it" for c in tok.children) or any(
        c.lower_ == "it" and c.dep_ == "dobj" for c in tok.head.children
    )


def _a_crowd(tok: Token) -> bool:
    """Protesters, a crowd, fans: people who act together in public, so what they chant is an event."""
    return tok.lemma_.lower() in CROWDS or (tok.lower_ == "thousands" and tok.head.lower_ in ("of", "thousands"))


def _foreseen(verb: Token) -> bool:
    """A modal on the verb makes the saying a guess or a forecast, not a report: "would argue", "will hope",
    "might decide"; "would not disclose", a refusal, is still something a source did."""
    modals = [c for c in verb.children if c.dep_ == "aux" and c.tag_ == "MD" and c.lower_ not in ADVICE_MODALS]
    if not modals:
        return False
    refused = any(c.dep_ == "neg" for c in verb.children) and modals[0].lower_ in ("would", "will", "wo")
    return not refused


def _only_a_date(verb: Token) -> bool:
    """Whether the verb's only words are a date: "Announced March 23, 2015", with no subject, object or clause."""
    kids = [c for c in verb.children if not (c.is_punct or c.is_space)]
    return bool(kids) and all(c.ent_type_ in ("DATE", "TIME") for c in kids)


def _a_quoted_name(verb: Token) -> bool:
    """ 'call it the "Flutie Effect"', 'dubbed them the "Gang of Eight"': the word given is a name in quote marks,
    every word capitalised ('call it "a disaster"' is a judgement)."""
    for given in (c for c in verb.children if c.dep_ in ("oprd", "xcomp", "attr")):
        words_ = [t for t in given.subtree if t.is_alpha and t.dep_ != "det"]
        quoted = any(t.is_quote for t in given.subtree) or (given.i > 0 and verb.doc[given.left_edge.i - 1].is_quote)
        if quoted and words_ and all(t.is_title for t in words_):
            return True
    return False


def _quoted_words(content: str) -> str:
    """The words inside the quote marks of a claim that quotes only part of itself ('a bill called “The Fair Pay
    Act”' gives 'The Fair Pay Act'), else the whole claim: a title in quote marks is nobody's words."""
    found = QUOTED_PART.findall(content)
    return " ".join(found) if found else content


def _only_a_question(content: str) -> bool:
    """Whether the claim is one question and nothing else.

    "We talked about it. What can I do?" asserts its first sentence, and "we asked, ‘What can I do?’" reports
    that a question was put: both stay claims.
    """
    body = content.rstrip(" " + CLOSING_MARKS)
    if not body.endswith("?"):
        return False
    return not MORE_THAN_A_QUESTION.search(body[:-1])


def _has_prep(tok: Token, word: str) -> bool:
    """ "charged him with ...", "agreed to ...": the verb governs a prepositional phrase opened by ``word``."""
    return any(c.dep_ == "prep" and c.lower_ == word for c in tok.children)


def _as_predicate(tok: Token) -> bool:
    """ "see X as Y", "called him a liar": a judgement of something. The parser may hang the "as" on the
    object or the agent instead ("Some see [the decline of marriage as stemming from ...]")."""
    objects = [c for c in tok.children if c.dep_ == "dobj"]
    # or on the agent: "is being hailed [by allies as the best budget in years]"
    objects += [g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    return (any(c.dep_ == "oprd" or _as(c) for c in tok.children) or any(_as(c) for o in objects for c in o.children)
            or as_right_after(tok))  # or on the adjective: "is widely seen as precarious after she wrote ..."


def _as(tok: Token) -> bool:
    """An "as" phrase of judgement ("as a threat"), not an example list ("incentives, such as toys")."""
    return tok.dep_ == "prep" and tok.lower_ == "as" and (tok.i == 0 or tok.doc[tok.i - 1].lower_ != "such")
