"""Who is the source of a cue, and what kind of source is it?

The source is the subject of the cue verb, the agent of a passive ("by X"), the object of
"according to", a possessive ("Trump's claim"), or, for a verb with no subject of its own
("..., saying ...", "and added ..."), the source of the verb it hangs from. Its span is the whole
noun phrase ("Sources familiar with the conversation"), cut before a comma-led aside.

The kind follows the conventions of the evaluation labels: a proper name, a definite role
("the mayor") or an institution speaking as itself is ``named``; insiders, indefinite people
and unnamed documents are ``anonymous``; masses, weasel words and polls without a pollster are
``vague``; a bare pronoun is ``pronoun``.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from collections.abc import Set as AbstractSet

from spacy.tokens import Doc, Token
from spacy.tokens import Span as Tokens

from bot.analysis import nouns
from bot.analysis.cues import (
    bare_raising_passive,
    contracted_has,
    received_reaction,
    surfaced_talk,
    verb_read_as_participle,
)
from bot.analysis.doctext import doc_text, entities_in, name_words, per_sentence, quote_index, sentence_of
from bot.analysis.lexicon import phrases, words
from bot.analysis.segment import sentences, title_line

RAISING = {"seem", "appear", "look", "sound"}
# "is looking for a win", "looks to cut taxes": seeking, not seeming, so the subject is the source.
SEEKING_PARTICLES = {"for", "to", "forward", "ahead", "into", "toward", "towards"}
# "He appeared to suggest ...", "Rubio seemed to urge ...": the hedge is the writer's, the saying the subject's.
HEDGED_SAYING = {"recognise", "recognize", "feel", "believe", "think", "hope", "fear", "offer", "betray",
                 "contradict", "show", "concede", "admit", "want"}
COPULAS = {"be", "become", "remain"}
CLIMB = {"xcomp", "conj", "advcl", "ccomp", "pcomp", "acl"}
CUT_RIGHT = {"relcl", "appos", "advcl", "parataxis", "acl"}
PLACES = {"GPE", "LOC", "NORP", "FAC"}
# Experts on an organisation's staff, whose findings are the organisation's.
STAFF = {"analyst", "economist", "researcher", "scientist", "expert", "strategist", "engineer", "doctor", "nurse",
         "surgeon", "physician", "clinician", "forecaster", "meteorologist", "epidemiologist", "statistician"}
_NAMES_EARLIER_KEY = "byline_names_earlier"
_LEMMA_INDEX_KEY = "byline_lemma_index"
_NAME_USES_KEY = "byline_name_uses"
_HEADLINE_KEY = "byline_headline"
# The sides of a contest, which "each" and "either" point back to: "each candidate", "either party".
PARTY_NOUNS = {"candidate", "side", "party", "campaign", "camp", "team", "country", "nation", "government",
               "nominee", "faction", "state", "company", "club", "player"}
# Nouns of trying: "in an effort to ...", "in a bid to ..." is what the verb's subject tries.
EFFORTS = {"effort", "bid", "attempt", "push", "drive", "quest", "move"}
# Working groups a body sends or sets up: "an IMF mission", "a UN delegation", "a team from the WHO" speak for it.
UNITS = {"mission", "delegation", "team", "panel", "committee", "taskforce", "inquiry", "envoy"}
# Bodies whose records are public and identifiable: "court documents", "police records", "trial testimony".
# Who keeps a record a reader can ask for; "public" and "regulatory" say the record is open ("public filings").
RECORD_KEEPERS = {"court", "trial", "police", "congressional", "parliamentary", "coroner", "inquest", "senate",
                  "public", "regulatory", "securities", "city", "county", "municipal", "federal", "government",
                  "council", "property", "land", "census", "election", "inspection"}
# Singular words for a body's people, which a sentence's opening capital can make look like a name ("Staff said").
COLLECTIVE_STAFF = {"staff", "personnel", "crew", "management"}
# "senior government figures", "leading party figures": people, whom "figures" also names.
PEOPLE_FIGURES = {"senior", "leading", "key", "top", "prominent", "influential", "powerful", "respected",
                  "high-profile", "veteran", "establishment", "opposition", "founding"}
# Counts of a vote, published as they come in ("unofficial returns", "early results"), when the sentence is about one.
VOTE_COUNTS = {"return", "result", "tally", "count"}
VOTE_WORDS = {"vote", "voter", "election", "primary", "caucus", "precinct", "ballot", "delegate", "district",
              "referendum", "runoff", "electorate"}
NOT_VOTE_COUNTS = {"tax", "test", "internal", "preliminary", "lab"}
# Things one takes or makes "of doing": the doing is the taker's ("took the step of announcing").
MOVES = {"step", "point", "liberty", "trouble", "decision", "move", "opportunity", "chance", "habit", "mistake",
         "precaution", "effort", "time", "care", "pains", "risk", "job", "task", "business", "honor", "honour"}
CLAUSE_OPENERS = {"as", "while", "when", "after", "before", "during"}  # words that open a clause after a name
RECORD_NOUNS = {"paper", "record", "filing", "document", "testimony", "transcript", "affidavit"}
INTERVIEW_MARKERS = {"q", "a"}  # "Q: ...", "A: ..."
# Common nouns that say a name after them is an organisation's ("the charity Parentkind", "pollster Ipsos").
ORGANISATION_KINDS = {"charity", "firm", "company", "group", "pollster", "consultancy", "organisation", "organization",
                      "agency", "institute", "thinktank", "foundation", "campaign", "network", "lobby"}
# Groups whose work a named institution puts out ("researchers at the University of X ... the researchers").
STUDY_TEAMS = {"researcher", "scientist", "author", "analyst", "economist", "investigator", "academic", "expert"}
# Views a group holds, whose "among X" says who holds them ("fears among Tory moderates", "concern among donors").
HELD_VIEWS = {"fear", "concern", "worry", "anger", "frustration", "unease", "doubt", "hope", "belief", "feeling",
              "suspicion", "speculation", "talk", "expectation", "sense", "optimism", "pessimism", "anxiety"}
RESEARCHERS = {"researcher", "scientist", "investigator", "academic"}  # what a research team is made of
FIRM_ROLES = {"analyst", "economist", "strategist"}  # "CEA analysts" work at the CEA; "cancer researchers" do not
# Verbs and nouns of addressing people, after which a "saying" is the addresser's (see ``_addressing_subject``).
ADDRESSING = {"email", "e-mail", "text", "message", "tweet", "write", "address", "urge", "thank", "remind", "rally"}
DELIVERING = {"make", "give", "deliver", "send", "issue", "post"}  # "made a pitch to voters saying ..."
SAYING = {"say", "state", "declare", "tell", "argue", "vow", "warn", "insist", "promise", "claim", "write",
          "urge", "implore", "beg", "ask", "press", "plead", "appeal", "demand"}  # "wrote to the PM urging him to ..."
ADDRESSES = {"pitch", "appeal", "speech", "plea", "message", "letter", "email", "note", "address", "call"}
NAMED_ENTS = {"PERSON", "ORG", "GPE", "FAC", "PRODUCT", "WORK_OF_ART", "LAW", "EVENT"}
NOUN_SOURCE_VERBS = {"express", "voice", "raise", "make", "issue", "offer", "release", "level", "lodge", "file"}
PRONOUN_DEPS = {"nsubj", "nsubjpass", "poss", "pobj"}
INDEFINITE = {"a", "an", "one", "another", "some", "any", "several", "certain"}
FIRST_SECOND_PERSON = {"my", "our", "your"}
DEFINITE = {"the", "this", "that", "these", "those"}
MAX_ACCORDING_WORDS = 12
DOCUMENT_LOOKBACK = 500  # tokens, several paragraphs: "the statement" may point back that far
# Documents that put out what a verb announced, and how near before them the announcing must be (a paragraph).
ANNOUNCING = {"release": {"announce", "release", "issue"}, "statement": {"announce", "issue", "state"},
              "announcement": {"announce"}}
ANNOUNCED_LOOKBACK = 80
# Papers only a court or its officers make: public records whatever the phrase adds.
COURT_RECORDS = {"indictment", "affidavit", "subpoena", "deposition", "verdict"}
PUBLIC_TEXTS = {"law", "bill", "statute", "constitution", "ordinance", "treaty", "charter", "legislation"}
LEGAL_PAPERS = {"lawsuit", "complaint", "suit", "filing"}  # one court paper, named by any of these words
ROLE_LOOKBACK = 1000  # tokens: "the prosecutor" may point back to the story's named prosecutor many paragraphs on
PARTIES = {"conservatives", "democrats", "republicans", "tories", "liberals", "greens", "socialists"}
NAMING_PARTICIPLES = {"identify", "post", "know", "name", "list", "describe", "sign", "go", "write"}
COUNSEL = {"attorney", "attorneys", "lawyer", "lawyers", "counsel", "solicitor", "solicitors", "barrister",
           "barristers"}
# Words that name a part of a group ("one of the diplomats").
PARTS = {"one", "each", "either", "neither", "any", "none"}
# What people "in the know" are called by ("people familiar with the talks", "those briefed on the plan").
INSIDER_WORDS = {"familiar", "close", "brief", "briefed", "knowledgeable", "privy", "involved"}
SPOKESPEOPLE = {"spokesman", "spokeswoman", "spokesperson", "spokesmen", "spokeswomen", "spokespeople",
                "representative"}
# One person described by a role; "the expert" after "an independent expert" is the same unnamed person.
PERSON_ROLES = {"expert", "doctor", "lawyer", "attorney", "analyst", "aide", "adviser", "advisor", "witness",
                "spokesman", "spokeswoman", "spokesperson", "official", "officer", "source", "economist",
                "researcher", "scientist", "diplomat", "insider", "executive", "employee", "resident", "teacher"}
# Roles written as capitals, in the plural: members of a parliament, doctors, company heads. A group, not a name
# ("whose CEO" keeps the singular's older reading, where the capital stands for one known person).
ROLE_ACRONYMS = {"mps", "meps", "msps", "mlas", "tds", "gps", "ceos", "cfos", "ctos",
                 "mp", "mep", "msp", "mla", "td", "gp", "ceo", "cfo", "cto"}  # "One Labour MP said": a role, unnamed
CLOCK = re.compile(r"^\d{1,2}[:.]\d{2}(?:[ap]\.?m\.?)?$", re.IGNORECASE)
POLLING = {"poll", "survey", "question", "canvass", "interview", "ask", "sample"}
PHRASE_ENDS = {",", ";", ":", ".", "!", "?", "—", "–"}
# A subject's aside: how near the verb its closing comma must be ("..., on Tuesday called"), and how deep the noun
# the parser hangs the verb on may sit inside it ("Stevens, who served as Romney's strategist during the campaign").
ASIDE_CLOSE = 3
MAX_ASIDE_DEPTH = 8


def source_of(cue: Token) -> Token | None:
    """Return the head token of the source NP of the cue headed by ``cue``, or None."""
    lemma = cue.lemma_.lower()
    quoted_as = _quoted_as(cue)
    if quoted_as is not None:
        return quoted_as
    if cue.pos_ == "ADV" or (lemma in RAISING and not _seeking(cue) and not _hedged_saying(cue)):
        return None
    if lemma == "accord":
        return _pobj(cue, {"to"})
    if cue.pos_ in ("NOUN", "PROPN"):
        return _noun_source(cue)
    if surfaced_talk(cue):
        return None  # "Allegations have emerged that ...": the allegations are the claim, and nobody makes them
    if _participle_hedge(cue) or bare_raising_passive(cue):
        return None  # "two gunmen, believed to have been helped by ...", "City, said to be furious": nobody says it
    if _feared_dead(cue):
        return None  # "2,000 people feared dead": the people are what is feared, and nobody says who fears it
    if _asked(cue):
        return None  # "Asked whether ..., Mr. Daley said": he was asked; who asked is not said
    reaction = received_reaction(cue)
    if reaction is not None:
        return _pobj(reaction, {"from", "by"}) or _pobj(cue, {"from", "by"})
    misread = _main_verb_read_as_participle(cue)
    if misread is not None:
        return misread
    node: Token = _parallel_main_verb(cue) or cue
    for _ in range(6):
        found = _own_source(node)
        if found is not None and found.lower_ in ("i", "we") and node is not cue and _contact_clause(node):
            return node.head  # "A head teacher I spoke to said ...": the teacher said it, not the writer
        if found is not None:
            return None if found.dep_ == "expl" or _dummy_it(found, node) else found
        if _passive(node) and node.dep_ == "conj" and _passive(node.head) and not _has_subject(node):
            shared = next((c for c in node.head.children if c.dep_ == "agent"), None)
            return _pobj(shared, None) if shared is not None else None  # "arrested by the army and accused of ..."
        if _passive(node) or node.dep_ not in CLIMB or node.head.i == node.i:
            return None
        if node is cue and _reduced_relative(cue):
            return left_neighbour(cue)
        addresser = _addressing_subject(node) if node is cue else None
        if addresser is not None:
            return addresser  # "The senator emailed supporters saying ...": she says it, not the supporters
        effort = _effort_of(node)
        if effort is not None:
            node = effort  # "He will try ... in an effort to paint her as ...": the effort is his, not a speaker
            continue
        if node.dep_ == "acl" and node.head.pos_ in ("NOUN", "PROPN") and not _framing_document(node.head) and (
            node.tag_ != "VBN"  # "2,000 people feared dead": a past participle's noun is what is feared
        ):
            # "a man calling himself ...", "rabbis denouncing the plan": the noun speaks. Not in a
            # prepositional phrase: "In a statement announcing X, the union ..." is the union's.
            return _who_became(node.head) or node.head
        node = node.head
        if node.dep_ == "prep" and node.head.pos_ in ("VERB", "AUX"):
            obj = next((c for c in node.head.children if c.dep_ == "dobj"), None)
            if obj is not None and node.lower_ in ("for", "of") and _someone(obj):
                return obj  # "resented Roy for criticising religion", "accused him of lying": the object did it
            node = node.head  # "responded by saying": the gerund's source is the verb's
    return None


def _parallel_main_verb(cue: Token) -> Token | None:
    """ "Orban has met Putin since the war began and has repeatedly said that ...": the parser joins "has said" to the
    nearest verb, in the "since" clause, but its "has" matches the main verb's, so it shares the main verb's subject
    (Orban), not the clause's (the war)."""
    clause = cue.head
    if cue.dep_ != "conj" or _has_subject(cue) or clause.dep_ != "advcl" or clause.i == clause.head.i:
        return None
    if not any(c.dep_ == "mark" for c in clause.children):
        return None
    main = clause.head
    mine = {c.lower_ for c in cue.children if c.dep_ == "aux"}
    theirs = {c.lower_ for c in clause.children if c.dep_ == "aux"}
    return main if mine and not theirs and mine & {c.lower_ for c in main.children if c.dep_ == "aux"} else None


def _main_verb_read_as_participle(cue: Token) -> Token | None:
    """ "Roy Cooper (D), McCrory's opponent in the election, called Friday for ...", "De Blasio, speaking on the
    radio, called Trump a blowhard": after a subject and an aside set off by two commas, the parser hangs the verb
    on a noun as a participle and leaves the subject with no verb or with a later one. That subject is the verb's.
    One comma is not enough: "The Front, known as the DHKP-C, is ..." is a participle hung rightly on its noun."""
    doc = cue.doc
    if cue.dep_ not in ("acl", "relcl") or cue.tag_ not in ("VBD", "VBN"):
        return None
    if any(c.dep_ in ("agent", "nsubj", "nsubjpass") for c in cue.children):
        return None
    if verb_read_as_participle(cue):
        return cue.head  # "An insider revealed to Us Weekly that ...": the sentence's only verb, read as a participle
    if not any(t.text == "," for t in doc[max(0, cue.i - ASIDE_CLOSE) : cue.i]):
        return None  # the aside closes just before the verb: "..., on Tuesday called"
    node = cue.head
    for _ in range(MAX_ASIDE_DEPTH):
        if node.dep_ in ("ROOT", "nsubj") or node.head.i == node.i:
            break
        node = node.head
    if node.pos_ not in ("PROPN", "NOUN") or node.i > cue.i:
        return None
    if sum(t.text == "," for t in doc[node.i + 1 : cue.i]) < 2:
        return None
    verbless = node.dep_ == "ROOT" or (node.dep_ == "nsubj" and node.head.i > cue.i)
    return node if verbless else None


def _addressing_subject(cue: Token) -> Token | None:
    """The subject of a verb that addresses people, when the parser hangs the "saying" on those people:
    "emailed supporters saying ...", "made a pitch to voters saying ...", "attacked the plans for pensioners
    saying ...". Not "arrested a man calling himself a prophet": arresting is not addressing anyone."""
    if cue.dep_ != "acl" or cue.tag_ != "VBG" or cue.head.dep_ not in ("dobj", "pobj", "dative"):
        return None
    if cue.lemma_.lower() not in SAYING:
        return None  # "a super PAC supporting Clinton": the noun does it
    verb = cue.head.head
    if cue.head.dep_ == "pobj" and verb.dep_ == "prep":
        if verb.lower_ == "with":
            return None  # "with commentators saying ...": the commentators say it
        verb = verb.head
        if verb.dep_ == "pobj" and verb.head.dep_ == "prep":  # "the plans for pensioners"
            verb = verb.head.head
    if verb.pos_ not in ("VERB", "NOUN"):
        return None
    if verb.pos_ == "NOUN":  # "the plans for pensioners": up to the verb that has them
        verb = verb.head
    lemma = verb.lemma_.lower()
    addressing = lemma in ADDRESSING or lemma in ("attack", "criticize", "criticise")
    pitched = lemma in DELIVERING and any(c.dep_ == "dobj" and c.lemma_.lower() in ADDRESSES for c in verb.children)
    if not (addressing or pitched):
        return None
    return next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)


def _who_became(noun: Token) -> Token | None:
    """ "She became an early voice warning that ...", "He was the first economist predicting ...": the noun only
    describes the subject, who is the one speaking."""
    if noun.dep_ != "attr" or noun.head.lemma_.lower() not in ("be", "become", "remain"):
        return None
    subject = next((c for c in noun.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or not (subject.lower_ in ("he", "she", "they", "i", "we", "you")
                               or subject.ent_type_ == "PERSON"):
        return None  # "Some priorities at risk are precedents restricting ...": the precedents restrict, not a person
    return subject


def _contact_clause(verb: Token) -> bool:
    """ "a head teacher I spoke to", "one parent we interviewed": the writer's relative clause on a noun."""
    noun = verb.head
    if verb.dep_ != "relcl" or noun.pos_ not in ("NOUN", "PROPN") or noun.i > verb.i:
        return False  # not "the day I became the first member to endorse him"
    lemma = noun.lemma_.lower()
    return lemma in PERSON_ROLES or lemma in words("common_roles.txt") or lemma in words("anonymous_nouns.txt") or (
        noun.lower_ in words("vague_nouns.txt")
    )


# Claims a story sets beside their denial: ", a charge Southern Crown denies", ", an allegation the firm rejects".
ANSWERED_CLAIMS = {"charge", "claim", "allegation", "accusation", "suggestion", "assertion", "characterisation",
                   "characterization", "criticism"}
PLACE_WORDS = {"court", "parliament", "hospital", "church", "home", "school", "station", "camp", "town", "office"}
PLACE_MARKS = {"outside", "inside"}  # "Outside court, a former trustee said": where, read by the parser as the subject
THE_PRESS = {"reporter", "journalist", "correspondent", "press", "media", "newsman"}


def told_unnamed(cue: Token) -> bool:
    """ "We are told that ...", "I was told the deal is off", "Reporters were told that ...": the writer (or the press)
    was told by someone left unnamed."""
    if cue.lemma_.lower() != "tell" or not _passive(cue) or any(c.dep_ == "agent" for c in cue.children):
        return False
    subject = next((c for c in cue.children if c.dep_ == "nsubjpass"), None)
    clause = next((c for c in cue.children if c.dep_ == "ccomp"), None)
    if subject is not None and clause is not None and subject.lemma_.lower() in THE_PRESS and any(
            c.dep_ == "mark" and c.lower_ == "that" for c in clause.children):
        return True  # "Reporters were told that ...": a briefing from someone the story does not name
    if subject is None or clause is None or subject.lower_ not in ("i", "we"):
        return False
    # "We are told that ...", "I was told that ...", and the reporter's "I'm told the PM will ..."; a bare "I was
    # told the mass was benign" in a memoir is usually the doctor just mentioned
    return (subject.lower_ == "we" or any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children)
            or any(c.dep_ == "auxpass" and c.lower_ in ("am", "'m", "’m") for c in cue.children))


def _quoted_as(cue: Token) -> Token | None:
    """ "An official was quoted as saying ...": the passive's subject is who said it, not whoever quoted them."""
    verb = cue
    if cue.dep_ == "pcomp" and cue.head.lower_ == "as" and cue.head.dep_ == "prep":
        verb = cue.head.head
    if verb.lemma_.lower() != "quote" or not _passive(verb) or not any(c.lower_ == "as" for c in verb.children):
        return None
    return next((c for c in verb.children if c.dep_ == "nsubjpass"), None)


def _has_subject(verb: Token) -> bool:
    """ "Backed by the unions, and it is widely believed that ...": a conjunct with a subject of its own is a
    clause of its own, so it does not share the first verb's agent."""
    return any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in verb.children)


def _participle_hedge(verb: Token) -> bool:
    """ ", believed to have ...", ", thought to be ...": a reporting participle after a comma, with no subject of
    its own, is an agentless passive even when the tagger reads it as a past tense."""
    return (
        verb.dep_ in ("advcl", "acl")
        and verb.lemma_.lower() in words("reporting_passives.txt")
        and verb.i > 0
        and verb.doc[verb.i - 1].text == ","
        and not _has_subject(verb)
        and any(c.dep_ == "xcomp" and any(a.lower_ == "to" for a in c.children) for c in verb.children)
    )


def _feared_dead(verb: Token) -> bool:
    """ "Feared dead", "feared missing": a passive the parser reads as the people themselves fearing."""
    return verb.lemma_.lower() == "fear" and any(
        c.dep_ in ("oprd", "acomp", "xcomp") and c.lemma_.lower() in ("dead", "missing", "lost", "kill", "drown")
        for c in verb.children
    )


def _asked(verb: Token) -> bool:
    """ "Asked about it, Rubio said ...", "..., he said when asked whether ...": a bare participle of "ask" is a
    passive whose subject is the one asked, so the main clause's speaker did not ask anything."""
    return (
        verb.lemma_.lower() == "ask"
        and verb.tag_ in ("VBN", "VBD")
        and verb.dep_ in ("advcl", "acl", "ccomp")
        and not any(c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass", "agent") for c in verb.children)
    )


def _dummy_it(subject: Token, verb: Token) -> bool:
    """ "it was unclear whether ...", "it is apparent that ...": the "it" stands for the clause, not a speaker.

    The parser labels such an "it" a plain subject; a copula with an adjective and a following clause
    gives it away.
    """
    if subject.lower_ != "it" or verb.lemma_.lower() not in COPULAS:
        return False
    deps = {c.dep_ for c in verb.children if c.i > subject.i}
    return "acomp" in deps and "ccomp" in deps


def _reduced_relative(verb: Token) -> bool:
    """ "the $5 million experts say it takes": a finite clause hung on a noun without "that" or "which"."""
    if verb.dep_ not in ("advcl", "relcl") or any(c.dep_ in ("mark", "advmod") for c in verb.children):
        return False
    return left_neighbour(verb) is not None


def speaker_after(cue: Token) -> Token | None:
    """The speaker of an inverted reporting clause: '“Come back!” yells his grandmother', '..., observed Tom Hill'.

    The verb has no subject of its own before it, and a noun phrase right after it ends the sentence or meets a
    comma; the parser calls that phrase an object, but a verb of saying does not take a person as its object
    there.
    """
    if cue.pos_ != "VERB" or cue.tag_ not in ("VBD", "VBZ", "VBP") or cue.i + 1 >= len(cue.doc):
        return None
    doc = cue.doc
    before = doc[cue.i - 1] if cue.i > 0 else None
    if before is None or not (before.is_quote or before.text == ","):
        return None
    # A subject before the comma ("The deeper the mine, the hotter it gets, said Lee") is the claim's own noun.
    has_subject = any(c.dep_ in ("nsubj", "nsubjpass") and c.i < cue.i for c in cue.children)
    nxt = doc[cue.i + 1]
    head = next((c for c in cue.children if c.dep_ in ("dobj", "nsubj", "attr") and c.left_edge.i == nxt.i), None)
    if head is None and _name_read_as_adverb(nxt, cue):
        return nxt
    if head is None or head.pos_ not in ("PROPN", "NOUN"):
        return None
    if has_subject and not (head.pos_ == "PROPN" or head.ent_type_ == "PERSON"):
        return None  # "Officials, citing the report, told reporters": the object is only the audience
    if head.pos_ == "NOUN" and not _could_speak(head):
        return None  # "..., promises all-day battery": a bare thing is what is promised, not who promises
    end = np_bounds(head)[1]
    closed = end >= len(doc) or doc[end].text in (",", ".", ";", "!", "?") or doc[end].is_space
    # '"...?" asked Cecilia Cruz as she sat in a cafe': a clause after the name ends it too
    return head if closed or doc[end].lower_ in CLAUSE_OPENERS else None


def past_dateline(head: Token) -> Token:
    """ "NAIROBI, June 20 (Wire) - Kenya's finance minister, Samuel Otieno, defended ...": the parser takes the
    dateline's city as the subject, and the real one as a second subject or as its apposition. Return that."""
    doc = head.doc
    if head.i + 1 >= len(doc) or per_sentence(doc, head.i, "capitals_end", _capitals_end) <= head.i:
        return head  # not every word up to the head is in capitals
    if doc[head.i + 1].text not in (",", "(", "-", "—", "–"):
        return head
    later = [c for c in head.head.children if c.dep_ in ("nsubj", "nsubjpass") and c.i > head.i]
    if later:
        return later[0]  # "SAN JOSE — A senior executive said": two subjects, and the dateline is not one
    # an apposition, but not the agency in brackets: "NAIROBI (Reuters) -"
    beside = [c for c in head.children
              if c.dep_ == "appos" and c.pos_ in ("NOUN", "PROPN") and doc[c.i - 1].text != "("]
    return beside[0] if beside else head


def _capitals_end(sent: Tokens) -> int:
    """The index of the first token of ``sent`` that is not a word in capitals ("NAIROBI"), or its end."""
    return next((t.i for t in sent if not (t.is_alpha and t.is_upper and len(t) > 1)), sent.end)


def _could_speak(head: Token) -> bool:
    """A common noun after an inverted verb of saying is its speaker when it comes with a determiner or an owner
    ("his grandmother", "a senior official") or is a word for people or bodies ("said police", "say experts")."""
    if any(c.dep_ in ("det", "poss", "nummod") for c in head.children):
        return True
    i, j = np_bounds(head)
    if any(t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG") for t in head.doc[i:j]):
        return True  # "warns former programmer and inventor Florian Mueller"
    lemma, lower = head.lemma_.lower(), head.lower_
    return (lemma in words("anonymous_nouns.txt") or lower in words("vague_nouns.txt")
            or lower in words("institution_nouns.txt") or lemma in words("common_roles.txt")
            or lemma in SPOKESPEOPLE or lower in COUNSEL)


def _surname_read_as_adverb_before(verb: Token) -> Token | None:
    """ 'And Skelly called Braynard "a real smart guy."': the tagger reads a surname ending in -ly as an adverb and
    leaves the verb without a subject. Capitalised mid-sentence, right before the verb, it can only be a name."""
    if verb.i == 0:
        return None
    tok = verb.doc[verb.i - 1]
    if tok.pos_ != "ADV" or tok.head != verb or not tok.is_title or tok.is_sent_start:
        return None
    if tok.lower_ in words("evidential_adverbs.txt") or in_title_case_line(tok):
        return None  # "... And Allegedly Told Aides": an adverb in a title-case line
    before = tok.doc[tok.i - 1]
    return None if before.is_punct and before.text not in (",", "(") else tok


def _name_read_as_adverb(tok: Token, cue: Token) -> bool:
    """ '"...," admitted Kiely.': the tagger reads an unfamiliar surname ending in -ly as an adverb. Capitalised,
    mid-sentence, right after the verb and closing the clause, it can only be a name."""
    if tok.pos_ != "ADV" or tok.head != cue or not tok.is_title or tok.i + 1 >= len(tok.doc):
        return False
    return tok.doc[tok.i + 1].text in (",", ".", ";", "!", "?")


def relative_speaker(cue: Token) -> Token | None:
    """ '"...," a lawyer, who was present, said': a subjectless verb right after a relative clause on a noun.

    The parser often hangs the noun on the quote's verb; the noun the clause describes is the speaker.
    """
    doc = cue.doc
    if cue.pos_ != "VERB" or cue.i < 3 or doc[cue.i - 1].text != ",":
        return None
    if any(c.dep_ in ("nsubj", "nsubjpass", "csubj") for c in cue.children):
        return None
    clause = next((t for t in doc[max(0, cue.i - 12) : cue.i - 1] if t.dep_ == "relcl" and t.right_edge.i == cue.i - 2),
                  None)
    if clause is None or clause.head.pos_ not in ("NOUN", "PROPN"):
        return None
    return clause.head


def according_object(cue: Token) -> tuple[Token, int, int] | None:
    """The source of an "according to" whose object the parser hung elsewhere.

    "According to the minister's office in Dhaka, the envoy has left": the parser sometimes makes "office"
    the main clause's subject, leaving "to" without an object. English puts the source right after "to",
    up to the comma, so take that phrase. Returns its head and token range, or None.
    """
    doc = cue.doc
    start = cue.i + 2
    if start >= len(doc) or doc[cue.i + 1].lower_ != "to":
        return None
    end = start
    while end < len(doc) and end - start < MAX_ACCORDING_WORDS and not (
        doc[end].is_space or doc[end].text in PHRASE_ENDS
    ):
        end += 1
    if end == start or end - start >= MAX_ACCORDING_WORDS:
        return None
    phrase = doc[start:end]
    if not any(t.pos_ in ("NOUN", "PROPN") for t in phrase):
        return None
    return phrase.root, start, end


def _seeking(cue: Token) -> bool:
    """True for "look" followed by for/to/forward/ahead: an aim its subject holds, not an appearance."""
    return cue.lemma_.lower() == "look" and any(
        c.dep_ in ("prep", "prt", "advmod") and c.lower_ in SEEKING_PARTICLES and c.i > cue.i for c in cue.children
    )


def _hedged_saying(cue: Token) -> bool:
    """True for "seemed to confirm", "appeared to imply": a raising verb over a verb of saying or thinking."""
    for c in cue.children:
        if c.dep_ == "xcomp" and c.pos_ == "VERB":
            verb = c.lemma_.lower()
            return verb in HEDGED_SAYING or verb in words("reporting_verbs.txt") or (
                verb in words("stance_verbs.txt") and verb not in RAISING
            )
    return False


def left_neighbour(cue: Token) -> Token | None:
    """The noun right before a finite cue verb that the parser left without a subject.

    "About 4 in 10 say ...", "after half said so", "the $20 million experts say it costs": the
    parser hangs the noun elsewhere, but English puts the subject right before a finite verb.
    """
    if cue.pos_ != "VERB" or cue.tag_ not in ("VBD", "VBP", "VBZ") or _passive(cue) or cue.lemma_.lower() in RAISING:
        return None
    doc = cue.doc
    k = cue.i - 1
    while k >= 0 and doc[k].pos_ == "ADV":
        k -= 1
    if k < 0:
        return None
    prev = doc[k]
    if prev.pos_ not in ("NOUN", "PROPN", "PRON", "NUM") or prev.dep_ in ("nsubj", "nsubjpass", "dobj", "expl"):
        return None
    return prev


def speaker_before_aside(cue: Token) -> Token | None:
    """The name before an aside that the parser cut off from its verb: '"...," Bill Eastland, wearing a cowboy
    hat and campaign pins, said as confetti fell'. The aside opens with a participle and sits between commas."""
    if cue.pos_ != "VERB" or cue.tag_ not in ("VBD", "VBP", "VBZ") or _passive(cue) or _has_subject(cue):
        return None
    doc = cue.doc
    if cue.i < 4 or doc[cue.i - 1].text != ",":
        return None
    for k in range(cue.i - 2, max(0, cue.i - 16), -1):
        if doc[k].text == ",":
            if doc[k + 1].tag_ not in ("VBG", "VBN") or k == 0:
                return None
            prev = doc[k - 1]
            named = prev.pos_ == "PROPN" or prev.ent_type_ == "PERSON"
            return prev if named and prev.dep_ not in ("nsubj", "nsubjpass", "dobj") else None
        if doc[k].is_sent_start or (doc[k].pos_ == "VERB" and doc[k].tag_ in ("VBD", "VBZ", "VBP")):
            return None
    return None


def _framing_document(noun: Token) -> bool:
    """ "In a statement announcing X, the union ...": the document frames a claim that is the subject's."""
    return noun.dep_ == "pobj" and noun.lemma_.lower() in words("document_nouns.txt")


def _someone(tok: Token) -> bool:
    """A person, a body or a word for them: who can be "accused of lying". Not "took the official last step of
    announcing" (an adjective the parser made the object) or "made the point of saying" (a thing)."""
    if tok.pos_ in ("PRON", "PROPN") or tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return True
    return tok.pos_ == "NOUN" and _could_speak(tok) and tok.lemma_.lower() not in MOVES


def _effort_of(node: Token) -> Token | None:
    """The verb whose subject makes an effort: "He will try ... in an effort to paint her as ...", "she spoke in a
    bid to calm fears". An infinitive on a noun of trying, inside a phrase on a verb; None otherwise."""
    if node.dep_ != "acl" or not any(c.dep_ == "aux" and c.lower_ == "to" for c in node.children):
        return None
    noun = node.head
    if noun.lemma_.lower() not in EFFORTS or noun.dep_ != "pobj" or noun.head.dep_ != "prep":
        return None
    verb = noun.head.head
    return verb if verb.pos_ in ("VERB", "AUX") else None


def _line_label(tok: Token) -> bool:
    """ "Q: Your landlord says ...": an interviewer's marker before a colon, which the parser may give as a second
    subject; the other subject speaks. (A page label such as "Correction:" is left to the rules for page notes.)"""
    doc = tok.doc
    return tok.i + 1 < len(doc) and doc[tok.i + 1].text == ":" and tok.lower_ in INTERVIEW_MARKERS


# Things that move someone, which a by-phrase after "is said to be concerned" names: not who said it.
CAUSES_OF_FEELING = {"report", "claim", "news", "allegation", "revelation", "finding", "decision", "development",
                     "result", "event", "situation", "comment", "remark", "attack", "death", "loss", "move", "row"}


def _cause_of_a_feeling(verb: Token, agent: Token) -> bool:
    """ "The King is said to be 'deeply concerned' by the reports": the parser may hang the by-phrase of the feeling
    on "said"; a thing that happened (``CAUSES_OF_FEELING``), after an infinitive, is what the feeling is about."""
    return agent.lemma_.lower() in CAUSES_OF_FEELING and any(
        c.dep_ == "xcomp" and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children) for c in verb.children)


def _own_source(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":
            agent = _pobj(child, None)
            if agent is not None and _cause_of_a_feeling(verb, agent):
                return None  # 'is said to be "deeply concerned" by the reports': what concerns him, not who says so
            return None if agent is not None and _a_time(agent) else agent  # "is expected by the end of June"
    as_who = _as_someone_put_it(verb)
    if as_who is not None:
        return as_who
    if _passive(verb):
        # "was described as a liar by Ann Cole", "has been called “strategic ambiguity” by Joshua Hendrick": the
        # parser hangs the by-phrase on the "as" noun or on the name given
        complements = [g for as_ in verb.children if as_.dep_ == "prep" and as_.lower_ == "as"
                       for g in as_.children if g.dep_ in ("pobj", "amod", "acomp")]
        for noun in complements + [c for c in verb.children if c.dep_ == "oprd"]:
            if any(c.dep_ == "acl" and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)
                   for c in noun.children):
                continue  # "seen as an attempt by Nimbus to cut costs": Nimbus makes the attempt, not the judgement
            by = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "by"), None)
            agent = _pobj(by, None) if by is not None else None
            if agent is not None and (agent.ent_type_ in ("PERSON", "ORG") or agent.pos_ == "PROPN"):
                return agent  # only a name: "portrayed as violence by an angry mob" is the mob's violence
            if agent is not None and (noun.pos_ == "ADJ" or noun.dep_ == "oprd") and not _a_time(agent):
                # "was considered alarmist by some colleagues", "seen as reckless by critics": a quality given
                # straight after the verb has no doer of its own, so the by-phrase says who judges
                return agent
    feeling = verb.lemma_.lower() in words("feeling_passives.txt")
    # A noun subject before a clausal one: "Answering questions on Facebook, Watson said" is Watson's, and one
    # outside a quotation before one inside it: the parser gives '"A pilot called me," a doctor told me' both.
    children = sorted(verb.children, key=lambda c: c.dep_ == "csubj")
    if sum(1 for c in children if c.dep_ == "nsubj") > 1:
        children.sort(key=lambda c: (_line_label(c), c.dep_ == "csubj", _quoted_away(c, verb), _commas_away(c, verb)))
    if not any(c.dep_ in ("nsubj", "nsubjpass", "csubj", "expl") for c in children):
        name = _surname_read_as_adverb_before(verb)
        if name is not None:
            return name
    for child in children:
        if child.is_punct or child.is_space:
            continue  # a dash or a stray mark is sometimes parsed as a subject
        if child.dep_ in ("csubj", "advcl") and child.tag_ == "VBG" and child.i < verb.i and not any(
                c.dep_ in ("nsubj", "nsubjpass") for c in children):
            speaker = _speaker_after_participle(child)
            if speaker is not None:
                return speaker
        if child.dep_ in ("nsubj", "csubj", "expl") or (feeling and child.dep_ == "nsubjpass"):
            return _name_after_role(_noun_under_verb(child))  # "she is convinced that ...": who is convinced holds it
        if child.dep_ == "nsubjpass" and contracted_has(verb):
            return child
    return None


TIME_NOUNS = {"end", "start", "beginning", "middle", "close", "time", "deadline", "weekend", "morning", "evening",
              "afternoon", "night", "noon", "midnight"}


def _a_time(tok: Token) -> bool:
    """ "by the end of June", "by Friday", "by 5pm": when, not who."""
    return tok.ent_type_ in ("DATE", "TIME") or tok.lemma_.lower() in TIME_NOUNS or _clock_time(tok)


def _speaker_after_participle(participle: Token) -> Token | None:
    """ "Speaking to reporters in Hollins Mill, the agency's area manager, Tom Raikes, said": the parser can take
    the fronted participle for the subject and hang the speaker on its last noun as an aside; the speaker is the
    first person so hung after the comma."""
    for tok in participle.subtree:
        person = tok.ent_type_ == "PERSON" or _a_person(tok)
        if tok.dep_ == "appos" and tok.i > participle.i and person and any(
                t.is_punct for t in tok.doc[tok.head.i + 1 : tok.left_edge.i]):
            return tok
    return None


def _as_someone_put_it(verb: Token) -> Token | None:
    """ "As Akhil Amar, professor of law at Yale, put it, '...'": the parser can read "As" as a preposition with the
    speaker as its object, leaving the verb no subject; the speaker is that object."""
    if any(c.dep_ in ("nsubj", "nsubjpass", "csubj") or (c.dep_ == "aux" and c.lower_ == "to") for c in verb.children):
        return None  # not "her record as the nation's top diplomat to call into question ...": an infinitive
    after = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else None
    if after is not None and not (after.lower_ == "it" or after.is_punct):
        return None  # "as X put it," / "as X wrote,": not "as the co-chairman, Liam Fox, called him ..."
    mark = as_mark(verb)
    found = next((g for g in mark.children if g.dep_ == "pobj"), None) if mark is not None else None
    return found if found is not None and found.pos_ in ("PROPN", "NOUN", "PRON") else None


def as_mark(verb: Token) -> Token | None:
    """The "as" that opens "As X put it" / "as X wrote", before the verb; None when there is none."""
    return next((c for c in verb.children if c.dep_ == "mark" and c.lower_ == "as" and c.i < verb.i), None)


def _commas_away(subject: Token, verb: Token) -> int:
    """How many commas part a subject before the verb from it: in "Voters, Clinton suggested, don't ..." the parser
    gives "suggested" both nouns, and the one beside the verb is who suggests."""
    doc = subject.doc
    if verb.dep_ != "parataxis" or subject.i > verb.i:
        return 0  # "The family, protesters and civic leaders have been demanding": a list, not an aside
    return sum(1 for t in doc[subject.right_edge.i + 1 : verb.i] if t.text == ",")


def _quoted_away(subject: Token, verb: Token) -> bool:
    """Whether the subject stands inside a quotation that the verb is outside of: it is then the quote's own."""
    quotes = quote_index(subject.doc)
    inside = quotes.at(subject.idx)
    return inside is not None and quotes.at(verb.idx) is not inside


def _noun_under_verb(subject: Token) -> Token:
    """ "Mrs. Clinton, the nominee and favorite to win the election come November, proposed ...", "he’s said": the
    parser can take a verb inside the subject's own words (or a contracted "’s") for the subject and hang the person
    under it ("Many Republicans clamoring for less ... support the bill" too, with a clausal subject); and in "Of
    Carson, Levine said" it takes the preposition. The person is the source."""
    if subject.dep_ not in ("nsubj", "csubj"):
        return subject
    if subject.pos_ == "ADP":
        return next((c for c in subject.children if c.dep_ == "pobj" and c.pos_ == "PROPN"), subject)
    if subject.pos_ not in ("VERB", "AUX"):
        return subject
    noun = next((c for c in subject.children if c.dep_ == "nsubj" and c.i < subject.i), None)
    if noun is None or noun.pos_ not in ("NOUN", "PROPN", "PRON"):
        return subject
    return noun


def _name_after_role(subject: Token) -> Token:
    """ "labour office chief Frank-Juergen Weise said": the parser splits a role and the name after it into two
    subjects; the name is the source. "Outside court, a former trustee ... said": a place read as the subject, with
    the speaker hung on it as an aside; the speaker is the source."""
    if subject.lemma_.lower() in ANSWERED_CLAIMS and any(
            c.dep_ == "det" and c.lower_ in ("a", "an") for c in subject.children):
        named = next((c for c in subject.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
        if named is not None:
            return named  # "..., a charge Southern Crown denies": the parser reads the firm as the charge's aside
    if subject.lower_ in PLACE_WORDS and any(c.dep_ in ("amod", "compound") and c.lower_ in PLACE_MARKS
                                             for c in subject.children):
        aside = next((c for c in subject.children if c.dep_ == "appos" and c.pos_ in ("NOUN", "PROPN")), None)
        if aside is not None:
            return aside
    nxt = next((c for c in subject.head.children if c.i > subject.i and c.dep_ == "nsubj"), None)
    if nxt is not None and nxt.left_edge.i == subject.right_edge.i + 1 and (
        nxt.pos_ == "PROPN" or nxt.ent_type_ == "PERSON"
    ):
        return nxt
    return subject


def _passive(verb: Token) -> bool:
    if contracted_has(verb):
        return False
    deps = {c.dep_ for c in verb.children}
    return "auxpass" in deps or "nsubjpass" in deps or (verb.tag_ == "VBN" and not deps & {"aux", "nsubj"})


def _pobj(tok: Token, preps: set[str] | None) -> Token | None:
    for child in tok.children:
        if child.dep_ == "pobj":
            return child
        if child.dep_ == "prep" and (preps is None or child.lower_ in preps):
            found = _pobj(child, None)
            if found is not None:
                return found
    return None


def _noun_source(noun: Token) -> Token | None:
    if any(c.dep_ == "ccomp" for c in noun.children):
        # "But Trump claims that ...": a verb tagged as a noun, its subject parsed as a compound
        compound = [c for c in noun.children if c.dep_ == "compound" and c.i < noun.i]
        if compound:
            return compound[-1]
    for child in noun.children:
        if child.dep_ == "nsubj":
            return child  # a verb tagged as a noun ("Trump predicts that ..."): its subject
        if child.dep_ == "poss":
            return child
        if child.dep_ == "prep" and child.lower_ in ("by", "from"):
            return _pobj(child, None)
        if child.dep_ == "prep" and child.lower_ == "among" and noun.lemma_.lower() in HELD_VIEWS:
            return _pobj(child, None)  # "There are growing fears among Tory moderates that ...": they hold them
    head = noun.head
    if noun.dep_ == "dobj" and head.lemma_.lower() in NOUN_SOURCE_VERBS:
        return _own_source(head)
    return None


def np_bounds(head: Token) -> tuple[int, int]:
    """Return the token range ``[i, j)`` of the noun phrase headed by ``head``, cut before comma asides."""
    left, right = head.left_edge.i, head.right_edge.i + 1
    for child in head.rights:
        # an agent "hailed by allies as the best budget in years" ends at "allies"; "media such as Fox News" does not
        judged_as = child.lower_ == "as" and head.head.dep_ == "agent" and head.doc[child.i - 1].lower_ != "such"
        # "Veteran [royal biographer Margaret Hume]": an aside with no comma before it is part of the phrase ("Mr.
        # Rubio himself", "Rep. Israel (D-N.Y.)" are not)
        close = (child.dep_ == "appos" and child.left_edge.i == head.i + 1 and child.pos_ in ("NOUN", "PROPN")
                 and not child.left_edge.is_punct)
        if (child.dep_ in CUT_RIGHT and not close) or judged_as or (child.dep_ == "punct" and child.text in ",;—–(("):
            right = min(right, child.left_edge.i)
            break
    doc = head.doc
    while right > head.i + 1 and (doc[right - 1].is_punct or doc[right - 1].is_space or doc[right - 1].dep_ == "cc"):
        right -= 1  # and a dangling "and" whose conjunct the parser hung elsewhere: "outlets and [leftwing ...]"
    opened = [t.i for t in doc[left:right] if t.text == "("]
    if opened and not any(t.text == ")" for t in doc[opened[-1] : right]):
        if right < len(doc) and doc[right].text == ")":
            right += 1  # "the Office for National Statistics (ONS)": keep the bracket whole
        elif opened[-1] > head.i:
            right = opened[-1]
    dash = next((t.i for t in doc[left : head.i]
                 if t.text in ("-", "—", "–") and t.whitespace_ and t.i > 0 and doc[t.i - 1].whitespace_), None)
    if dash is not None and dash > left and all(t.is_upper or t.is_punct for t in doc[left:dash]):
        left = dash + 1  # "SACRAMENTO - Governor Elena Marsh said": the dateline is not part of the source
    while left < head.i and (doc[left].is_punct or doc[left].is_space or _clock_time(doc[left])):
        left += 1  # a live blog's "09:48 A Treasury source": the time stamps the entry, it is not the source
    if (head.tag_ in ("NNS", "NNP") and left + 1 < head.i and doc[left].lower_ in ("a", "an")
            and doc[left].head.i == head.i and doc[left + 1].dep_ == "compound" and doc[left + 1].tag_ == "NN"):
        # "..., a charge church leaders deny", "a fact sheet lawmakers released", "a charge Southern Crown denies":
        # "a" cannot go with a plural or a name, so the nouns after it belong to the aside, up to the speakers (with
        # their name words: "Labour MPs")
        left = head.i
        while doc[left - 1].dep_ == "compound" and doc[left - 1].pos_ == "PROPN" and doc[left - 1].head.i == head.i:
            left -= 1
    if head.tag_ == "POS" or head.lower_ in ("'s", "’s"):
        right = max(right, head.i + 1)
    return left, max(right, head.i + 1)


def _clock_time(tok: Token) -> bool:
    """ "09:48", "9.15am", "14:05": a time of day written as digits."""
    return bool(CLOCK.match(tok.text))


def classify(head: Token, i: int, j: int) -> str:
    """Return the source kind of the NP ``doc[i:j]`` headed by ``head``."""
    doc = head.doc
    group = _partitive_whole(head)
    if group is not None and any(c.dep_ == "appos" and _is_named_token(c) for c in head.children):
        return "named"  # "One of the released Americans, Siamak Namazi, said": the one is named beside it
    if group is not None and _one_of_a_bodys_people(head, group):
        return "anonymous"  # "One of its volunteers said": a body's member, whom the story leaves unnamed
    if group is not None:
        return classify(group, i, j)  # "one of the diplomats" is as named as "the diplomats"
    if head.lower_ == "another" and not any(c.dep_ in ("appos", "conj") for c in head.children):
        return "pronoun"  # '"Never again," one user wrote. Another posted': one more of a group, even as PROPN
    if head.lower_ == "those" and in_the_know(head):
        return "anonymous"  # "Those familiar with the talks said", "those close to the striker": insiders, unnamed
    if head.lower_ == "those" and any(c.dep_ == "relcl" for c in head.children):
        return "vague"  # "Those who know her say ...": whoever that is, nobody in particular
    if head.pos_ == "PRON" or head.lower_ in words("pronouns.txt"):
        return _pronoun_or_quantifier(head)
    if _member_of_a_people(head):
        return "anonymous"  # "One House Republican", "a Senate Democrat", "two Labour MPs": members, unnamed
    if head.lower_ in ROLE_ACRONYMS and head.lower_.endswith("s") and not _definite(head) and not any(
            c.dep_ == "nummod" for c in head.children):
        return "vague"  # "Labour MPs said": some of a party's members, whom the party name does not name
    if head.lemma_.lower() == "figure" and not _definite(head) and any(
            c.dep_ == "amod" and c.lower_ in PEOPLE_FIGURES for c in head.children):
        return _by_determiner(head, False)  # "a senior Labour figure": a person, whom the party name does not name
    named_parts = [head, *head.conjuncts, *(c for c in head.children if c.dep_ == "appos")]
    if any(_is_named_token(c) for c in named_parts) or _surname_of_earlier_person(head) or _given_a_name(head):
        return "named"
    if any(_is_named_token(c) or _surname_of_earlier_person(c) for c in _named_before_others(head)):
        # "Trump and other Republicans said": someone named speaks, with others; the parser may make the name a
        # modifier of the group
        return "named"
    owner = _whose_owner(head)
    if owner is not None and classify(owner, *np_bounds(owner)) == "named":
        return "named"  # "Lufthansa, whose CEO said ...": the named company's chief executive, as "its CEO" is
    lemma = head.lemma_.lower()
    if leaked_paper(head):
        return "anonymous"  # "a leaked Treasury memo": whoever leaked it is unnamed, and the body has not put it out
    if _acting_bodys_own_inquiry(head):
        return "named"  # "Ofcom fined the broadcaster after an investigation found ...": Ofcom's investigation
    if head.lower_ in words("institution_nouns.txt") and not _indefinite(head):
        return "named"
    span = doc[i:j]
    if _title_case_name(head):
        return "named"  # "Doctors Without Borders", "Mothers Against Drunk Driving": a name, whatever its nouns
    has_name = any(t.ent_type_ in NAMED_ENTS or t.pos_ == "PROPN" for t in span if t.i != head.i)
    if head.lower_ in PARTIES and head.is_title and any(c.lower_ == "the" for c in head.children if c.dep_ == "det"):
        return "named"  # "The Conservatives said": the party speaking as itself ("Republicans said" stays vague)
    if public_record(head):
        return "named"  # "court papers", "police records": a record anyone can ask for
    if in_the_know(head):
        return "anonymous"  # "people familiar with the matter", "people close to the player": insiders, unnamed
    if _back_to_unnamed(head):
        return "anonymous"  # "An engineer said ... the engineer said", "people familiar ... the people said"
    if head.like_num and head.pos_ == "NUM" and _definite(head) and not any(c.dep_ == "prep" for c in head.children):
        return "named"  # "Clinton and Sanders met. The two said ...": the ones the story just named
    if head.lower_ == "opinion" and _ruled_by_named(head):
        return "named"  # "The Eighth Circuit's opinion, written by Judge Mbeki, concluded": a court's ruling
    if head.lower_ in words("vague_nouns.txt") or head.like_num:
        if _led_by_name(head) or _polled_by_name(head) or (lemma in STAFF and _of_named_body(head)) or (
            _officials_of_named_body(head) or _group_named_earlier(head)
        ):
            return "named"
        # "a Gallup poll", "a CNN survey" name who asked; "poll after poll in Israel" only says where
        others = [t for t in head.subtree if t.i != head.i]  # "a survey for the consultancy Capgemini"
        pollster = any(
            (t.ent_type_ in NAMED_ENTS or t.pos_ == "PROPN" or camel_case(t)) and not _place(t) for t in others
        )
        if lemma in words("document_nouns.txt") and _maker_before(head):
            return "named"  # "A 1996 FEC advisory opinion": the body that wrote it is named
        return "named" if (lemma in words("poll_nouns.txt") and pollster) else "vague"
    if lemma in SPOKESPEOPLE and _speaks_for_named_body(head):
        return "named"
    if head.lower_ in COUNSEL and _speaks_for_named_body(head) and not _some_of_many(head):
        return "named"  # "Attorneys for Clinton said": a named party's lawyers speak for it on the record
    if lemma in words("anonymous_nouns.txt"):
        named = (_role_named_earlier(head) or _officials_of_named_body(head) or _led_by_name(head)
                 or _one_authority(head))
        return "named" if named else "anonymous"  # "The aides, led by campaign manager Terry Sullivan, told ..."
    if lemma == "interview" and _interviewed_named(head):
        return "named"  # "according to an interview with The New York Times": the outlet or person on record
    if lemma in words("document_nouns.txt"):
        if _only_where(head):
            return _by_determiner(head, False)  # "reports in Spain": where they ran, not whose they are
        # "a complaint filed by the SEC", "a slide from a presentation that Mr. X carries": author named
        whole = doc[head.left_edge.i : head.right_edge.i + 1]
        named_author = any(t.ent_type_ in ("PERSON", "ORG") for t in whole)
        if has_name or named_author or _has_possessive(head) or _names_earlier(head) or _made_by_name(head):
            return "named"
        if _from_named_maker(head):
            return "named"  # "a statement from the mayor's office": the office is named, so is what it put out
        return "named" if _issued_by_named(head) else "anonymous"
    counted = any(c.dep_ == "nummod" and c.like_num for c in head.children)
    if head.tag_ == "NNS" and counted and not _definite(head):
        return "anonymous"  # "two Houthi commanders", "three Democratic aides": counted, not named (unlike "the two")
    if _capitalised_mid_sentence(head):
        return "named"  # "with RealClearPolitics showing ...": English capitalises names
    modifier_name = any(
        _is_named_token(c) and c.ent_type_ != "NORP"  # "two Houthi commanders", "a Saudi official": still unnamed
        and not _capitalised_opener(c, head)
        for c in head.children
        if c.dep_ in ("compound", "poss", "nmod")
    )
    if _identified_body(head) or (lemma in UNITS and _unit_of_named_body(head)):
        return "named"
    if _indefinite(head) and not _a_person(head) and (_made_by_name(head) or _maker_before(head)):
        # "an update on Monday from the NTSB", "a CNN tally": a thing a named body put out (not "a doctor from X",
        # "a CNN producer")
        return "named"
    if head.tag_ == "NNS" and lemma in STAFF and _of_named_body(head):
        return "named"  # "Doctors at Great Ormond Street Hospital said": the hospital's staff, speaking for it
    return _by_determiner(head, modifier_name or _led_by_name(head) or _made_by_name(head))


# Things a body compiles or publishes besides the documents of the lexicon: "a CNN tally", "a BBC story".
COMPILED = {"tally", "count", "story", "database", "readout", "average", "chart", "estimate", "projection",
            "forecast", "tracker", "data", "figure", "analysis", "model", "survey", "poll", "investigation"}


def _some_of_many(head: Token) -> bool:
    """ "Many immigration lawyers", "some attorneys": a share of a profession, not the lawyers of a named party."""
    return any(c.dep_ in ("amod", "det") and c.lower_ in ("many", "some", "several", "most", "few", "numerous")
               for c in head.children)


def _interviewed_named(head: Token) -> bool:
    """ "an interview with The New York Times", "an interview with Smith": who gave or ran it is named (not
    "interviews with a dozen of Cruz's friends", whose people stay unnamed)."""
    for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ in ("with", "by")):
        for pobj in (g for g in prep.children if g.dep_ == "pobj"):
            if pobj.ent_type_ == "NORP" or pobj.tag_ == "NNPS":
                continue  # "interviews with Democrats in three states", "with Americans": people, not one named
            if pobj.pos_ == "PROPN" or pobj.ent_type_ in ("PERSON", "ORG"):
                return True
    return False


def _only_where(head: Token) -> bool:
    """ "According to reports in Spain", "local reports in Italy": the only name in the phrase is the country the
    reports ran in, which says nothing of who wrote them ("reports in Marca" names a paper)."""
    preps = [c for c in head.children if c.dep_ == "prep"]
    if len(preps) != 1 or preps[0].lower_ != "in":
        return False
    where = {t.i for t in preps[0].subtree}
    rest = [t for t in head.subtree if t.i not in where and t.i != head.i]
    if len(rest) > 3 or any(t.pos_ == "PROPN" or t.ent_type_ for t in rest):
        return False  # "Burger King ads in Japan": the maker is named before the noun
    place = next((c for c in preps[0].children if c.dep_ == "pobj"), None)
    if place is None or any(c.dep_ == "prep" for c in place.children):
        return False
    name = " ".join(t.lower_ for t in place.subtree if t.dep_ != "det")
    return name in phrases("country_names.txt")


COURT_WORDS = {"court", "judge", "justice", "tribunal", "panel", "circuit", "bench"}


def _ruled_by_named(head: Token) -> bool:
    """ "The Eighth Circuit's opinion", "the court's opinion", "an opinion written by Justice Kagan": a written
    ruling whose court or judge the phrase names (an "opinion" alone is a poll's word, and vague)."""
    owner = next((c for c in head.children if c.dep_ == "poss"), None)
    if owner is not None and (owner.pos_ == "PROPN" or owner.lemma_.lower() in COURT_WORDS):
        return True
    return _made_by_name(head)


def _maker_before(head: Token) -> bool:
    """A named organisation or person in front of a common noun for a thing ("a CNN tally", "a BBC story")."""
    lemma = head.lemma_.lower()
    if head.pos_ != "NOUN" or not (lemma in COMPILED or lemma in words("document_nouns.txt")):
        return False
    return any(
        c.dep_ in ("compound", "nmod") and c.ent_type_ not in ("NORP", "DATE", "TIME") and is_maker(c)
        for c in head.children
    )


def _a_person(head: Token) -> bool:
    """Whether a common noun names a person or people ("a doctor", "an aide"), who stay unnamed beside a body."""
    lemma, lower = head.lemma_.lower(), head.lower_
    return (lemma in PERSON_ROLES or lower in words("common_roles.txt") or lemma in words("anonymous_nouns.txt")
            or lower in words("vague_nouns.txt") or head.ent_type_ in ("PERSON", "NORP")
            or lower in ROLE_ACRONYMS or lemma in ("councillor", "councilor"))  # "One MP from Kisumu"


# Words that say a paper reached the reporter without its maker putting it out.
UNRELEASED = {"leaked", "confidential", "secret", "unpublished", "classified"}
PASSED_ON = {"see", "obtain"}  # "a draft seen by Reuters", "a memo obtained by CNN"
FIRM_THINGS = {"store", "stores", "shop", "shops", "factory", "brand", "product", "products", "staff", "chief", "boss",
               "executive", "worker", "workers", "branch", "branches"}  # what a firm's name goes before
ANSWERING = {"apologise", "apologize", "respond", "reply", "decline", "refuse"}  # a body answering, on record


def leaked_paper(head: Token) -> bool:
    """ "A leaked Treasury memo warned", "a confidential Home Office document says": a paper that names its maker
    but reached the reporter through someone unnamed; the reader cannot ask the body for it ("a Treasury memo" can
    be asked for, and stays named)."""
    if head.lemma_.lower() not in words("document_nouns.txt") or public_record(head):
        return False  # "court documents obtained by CNN": a court's record, whoever fetched it
    if any(c.dep_ == "amod" and c.lower_ in UNRELEASED for c in head.children):
        return True
    # "a draft seen by Reuters", "documents obtained by the BBC": the wire's words for a paper passed on by someone
    # "a draft of one review, seen by the BBC": the parser may hang the participle on the paper's own "of" noun
    owned = [g for c in head.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
    return any(c.dep_ == "acl" and c.lemma_.lower() in PASSED_ON and any(g.dep_ == "agent" for g in c.children)
               for n in (head, *owned) for c in n.children)


# Inquiries a body runs before it acts on them.
INQUIRIES = {"investigation", "inquiry", "enquiry", "review", "probe", "audit"}
AFTER_WORDS = {"after", "following", "when", "once"}


def _acting_bodys_own_inquiry(head: Token) -> bool:
    """ "The European Commission imposed duties after an anti-subsidy investigation found ...", "Ofcom fined the
    broadcaster after an investigation found ...": an inquiry that a named body acted on in the main clause is that
    body's own (not "Enron collapsed after an investigation found fraud", where the body acts on nothing)."""
    if head.lemma_.lower() not in INQUIRIES:
        return False
    frame = head.head  # "after an investigation found" read as a clause, or as "after" and its object
    as_clause = head.dep_ == "nsubj" and frame.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ in AFTER_WORDS for c in frame.children)
    as_object = head.dep_ == "pobj" and frame.dep_ == "prep" and frame.lower_ in AFTER_WORDS
    if not (as_clause or as_object):
        return False
    main = frame.head
    actor = next((c for c in main.children if c.dep_ == "nsubj"), None)
    acted_on = any(c.dep_ == "dobj" for c in main.children)
    return actor is not None and actor.ent_type_ in ("ORG", "GPE") and acted_on


def _member_of_a_people(head: Token) -> bool:
    """ "One House Republican said", "a Senate Democrat", "two Democrats": the tagger reads a party's or a
    people's member as a capitalised name, but "a" or a count in front makes it one or a few unnamed members (a
    bare "Democrats said" stays the vague group it is, and "the two Democrats" points back to named ones)."""
    if head.ent_type_ != "NORP" or head.pos_ != "PROPN" or head.conjuncts or head.dep_ == "appos":
        return False  # "Rep. Xavier Becerra, a California Democrat,": the name is beside it
    if any(c.dep_ == "appos" for c in head.children):
        return False  # "a Democrat, Jane Roe,": named beside it
    few = any(c.dep_ == "nummod" and _few(c) for c in head.children)  # not "6 in 10 Republicans", "43,000 Floridians"
    if head.tag_ == "NNPS":
        return few and not _definite(head)
    return _indefinite(head) or few


FEW = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"}


def _few(number: Token) -> bool:
    """A bare small count ("two", "3"): a handful of people one could name, not a share or a crowd."""
    if number.n_lefts or number.n_rights:
        return False  # "more than 6", "6 in 10", "almost 43,000"
    text = number.lower_
    return text in FEW or (text.isdigit() and int(text) <= len(FEW))


def _back_to_unnamed(head: Token) -> bool:
    """ "An independent expert said ... 'Volunteers are no random sample,' the expert said": "the" + a noun points
    back to the last mention of that noun, and when that was an unnamed "an expert", "one cabinet minister" or
    "people familiar with the talks", so is this one. Any noun: the role words a story uses are too many to list,
    and the earlier mention's own reading decides."""
    lemma = head.lemma_.lower()
    if not _common_noun(head) or not _definite(head):
        return False
    doc = head.doc
    if any(t.pos_ == "PROPN" or t.ent_type_ for t in doc[np_bounds(head)[0] : head.i]):
        return False  # "the former HP executive", "the Commons science committee": the phrase itself says whose
    lemmas = {lemma, "people"} if lemma == "person" else {lemma}  # "people familiar with ... the person said"
    for k in range(head.i - 1, max(-1, head.i - ROLE_LOOKBACK), -1):
        earlier = doc[k]
        if earlier.lemma_.lower() not in lemmas and earlier.lower_ not in lemmas:
            continue
        if not _common_noun(earlier):
            return False  # "California Highway Patrol Spokesman Don Clotworthy": the role as a name's title
        if _in_headline(earlier):
            return False  # "..., company admits" over a story that names the company: a headline's shorthand
        if _plural(earlier) != _plural(head) and earlier.lemma_.lower() == lemma:
            part = earlier.head.head if earlier.dep_ == "pobj" and earlier.head.lower_ == "of" else None
            if part is not None and _spoke(part):
                # "One of its volunteers said ... the volunteer said": the one who spoke, again
                return classify(part, *np_bounds(part)) == "anonymous"
            continue  # "One minister said ... Ministers met ... the minister said": one of them, not the group
        if earlier.dep_ == "appos" and not _is_named_token(earlier.head) and earlier.head.pos_ != "PROPN":
            # "One of them, a former quality manager, said ... the former quality manager said": a role beside an
            # unnamed speaker, so the same unnamed speaker again
            return _spoke(earlier.head) and classify(earlier, *np_bounds(earlier)) == "anonymous"
        if earlier.dep_ == "appos" or any(c.dep_ == "appos" for c in earlier.children):
            return False  # "Roffman, a securities analyst, ...": that role had a name beside it
        if _definite(earlier):
            # "the people said ... the person said": a chain of the same speaker, back to its first mention
            return _spoke(earlier) and _back_to_unnamed(earlier)
        if _has_possessive(earlier) or not _spoke(earlier):
            return False  # "a president must answer to voters ... the president said": someone else than the speaker
        return classify(earlier, *np_bounds(earlier)) == "anonymous"
    return False


def _plural(tok: Token) -> bool:
    """Number, not tag: "minister" tagged NN and NNP is the same one minister."""
    return tok.tag_ in ("NNS", "NNPS")


def _in_headline(tok: Token) -> bool:
    """Whether a token is in the text's headline (``segment.title_line``), found once per document."""
    doc = tok.doc
    if _HEADLINE_KEY not in doc.user_data:
        doc.user_data[_HEADLINE_KEY] = title_line(doc_text(doc), sentences(doc))
    line = doc.user_data[_HEADLINE_KEY]
    return line is not None and line[0] <= tok.idx < line[1]


def _common_noun(tok: Token) -> bool:
    """A common noun, counting a role written in capitals ("the MP", "one senior Labor MP"), and a lower-case word the
    tagger took for a name (after a curly quote it reads '” the minister said' as NNP): names are capitalised."""
    return tok.pos_ == "NOUN" or tok.lower_ in ROLE_ACRONYMS or _lower_case_role(tok)


def _lower_case_role(tok: Token) -> bool:
    """A lower-case word with an article that the tagger took for a name ("the minister" after a curly quote): names
    are capitalised. Not a handle or a site ("@nycsouthpaw", "ouest-france.fr"), which are written in lower case."""
    return (tok.pos_ == "PROPN" and tok.is_alpha and tok.text.islower() and not tok.ent_type_
            and any(c.dep_ == "det" for c in tok.children))


def _spoke(noun: Token) -> bool:
    """Whether a noun is the one speaking in its clause ("an engineer said", "according to a person familiar"), so a
    later "the engineer" is that speaker again, not some other of its kind ("a president must ... the president")."""
    verb = noun.head
    if noun.dep_ == "nsubj" and verb.lemma_.lower() in words("reporting_verbs.txt"):
        return not any(c.dep_ == "aux" and c.tag_ == "MD" for c in verb.children)  # "a president must answer"
    return noun.dep_ == "pobj" and verb.lower_ == "to" and verb.head.lower_ == "according"


def _partitive_whole(head: Token) -> Token | None:
    """The group in "one of the diplomats", "each of the sources", "two of them": one member is sourced as the
    group is. "Many of", "most of" keep their vagueness unless the group is a personal pronoun ("many of them"):
    "many of those questioned" is still a vague many."""
    single = head.lower_ in PARTS or head.like_num
    if not single and head.lower_ not in words("vague_nouns.txt"):
        return None
    for c in head.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            whole = next((g for g in c.children if g.dep_ == "pobj"), None)
            if whole is not None and (single or whole.lower_ in ("them", "us", "you")):
                return whole
    return None


def _one_of_a_bodys_people(part: Token, group: Token) -> bool:
    """ "One of its volunteers", "two of their staff": a count of a body's people, by a possessive pronoun; the body is
    named, its members are not ("one of its spokesmen" speaks for it, and "the diplomats" point back)."""
    counted = (part.lower_ in ("one", "two", "three", "another") or part.like_num) and not any(
        c.dep_ in ("cc", "conj", "quantmod", "advmod") for c in part.children)  # not "one or more of"
    owned = any(c.dep_ == "poss" and c.lower_ in ("its", "their") for c in group.children)
    return counted and owned and group.tag_ == "NNS" and group.lemma_.lower() not in SPOKESPEOPLE


def in_the_know(head: Token) -> bool:
    """People described by what they know, not by who they are: "familiar with", "close to", "briefed on", "with
    knowledge of". Journalism's standard phrase for specific unnamed sources, whatever the noun."""
    for c in head.children:
        if c.dep_ in ("amod", "acl") and c.lemma_.lower() in INSIDER_WORDS:
            return True
        if c.dep_ == "prep" and c.lower_ == "with" and any(
            g.lemma_.lower() in ("knowledge", "access")
            or (g.lemma_.lower() in ("tie", "link", "connection") and any(p.lower_ == "to" for p in g.children))
            for g in c.children if g.dep_ == "pobj"
        ):
            return True  # "with knowledge of the talks", "two people with ties to the ministry"
    return False


def _one_authority(head: Token) -> bool:
    """ "The port authority", "the housing authority": one body, named by what it runs, unlike "authorities" or
    "a local authority"."""
    return (head.lower_ == "authority" and _definite(head)
            and any(c.dep_ == "compound" and c.pos_ == "NOUN" for c in head.children))


def _identified_body(head: Token) -> bool:
    """ "the airline's media office", "the prosecutor's office in Dusseldorf": an office whose owner or place
    the phrase gives is a body a reader can check with; "a clinic in Leeds" stays unnamed."""
    if head.lemma_.lower() not in words("body_nouns.txt") or _indefinite(head):
        return False
    for c in head.children:
        if c.dep_ == "poss" and any(d.lower_ in DEFINITE for d in c.children if d.dep_ == "det"):
            return True  # "the airline's": the airline the story is about
        located = c.dep_ == "prep" and c.lower_ in ("in", "of", "for", "at")
        if located and any(g.ent_type_ in ("GPE", "ORG", "FAC") for g in c.children if g.dep_ == "pobj"):
            return True  # "the prosecutor's office in Lyon"
    return False


PLACE_ENTS = {"GPE", "LOC", "FAC"}


def _inside_a_description(tok: Token, head: Token) -> bool:
    """Whether ``tok`` sits in a clause that describes the body rather than names it: "a spokesman for one of the
    carriers calling at Savannah" names a port, not the carrier. Asked only of a place after the head."""
    node = tok
    while node.i != head.i and node.head.i != node.i:
        if node.dep_ in ("acl", "relcl"):
            return True
        node = node.head
    return False


# The Prime Minister's office by its address, as British papers write it.
NUMBER_TEN = re.compile(r"\b(?:No\.?\s?10|Number\s+(?:10|Ten))\b")


def _speaks_for_named_body(head: Token) -> bool:
    """ "A spokesman for Acme Corp", "an Acme spokeswoman", "a representative for the BBC": an on-record
    statement of a named body, which a reader can check with that body; a bare "a spokesman" stays unnamed."""
    if NUMBER_TEN.search(head.doc[head.left_edge.i : head.i].text):
        return True  # "a No 10 spokesman": Downing Street's, on the record
    for tok in head.subtree:
        if tok.i == head.i or (tok.i > head.i and tok.ent_type_ in PLACE_ENTS and _inside_a_description(tok, head)):
            continue
        if tok.ent_type_ in ("ORG", "GPE", "PERSON", "NORP") or (tok.pos_ == "PROPN" and tok.is_title):
            return True
        definite = any(c.lower_ in DEFINITE for c in tok.children)
        if definite and tok.lower_ in words("institution_nouns.txt"):
            return True  # "a spokesman for the government": the body the article is about
        if definite and tok.lemma_.lower() in words("organisation_nouns.txt") and _organisation_before(head):
            return True  # "Rank ... A spokesman for the firm": the firm the story named
    return _body_named_before(head)


def _organisation_before(head: Token) -> bool:
    """Whether the story named an organisation before ``head`` (so "the firm" can only be one it named)."""
    return any(ent.label_ == "ORG" for ent in entities_in(head.doc, 0, head.i))


def _body_named_before(head: Token) -> bool:
    """ "The county sheriff's office is handling it, but a spokeswoman said": a body named earlier in the sentence
    is the one speaking; "TF Cornerstone ... Cornerstone representatives", "Chelsea Football Club ... a club
    spokesperson": a modifier taken from a body the story named earlier is that body."""
    modifiers = {c.lower_ for c in head.children if c.dep_ == "compound"}
    sentence_start = sentence_of(head.doc, head.i).start
    if per_sentence(head.doc, head.i, "first_body_noun", _first_body_noun) < head.i:
        return True  # "The Harlow County Sheriff's Office ..., but a spokeswoman said": NER often misses such names
    for ent in entities_in(head.doc, 0, head.i):
        if ent.label_ == "ORG" and (ent.start >= sentence_start or modifiers & {t.lower_ for t in ent}):
            return True
    if _body_spoke_just_before(head):
        return True
    kinds = {c.lemma_.lower() for c in head.children if c.dep_ == "compound" and c.pos_ == "NOUN"}
    # "Unison said 31 jobs would go. A union spokesman said ...": the kind of body the story named, as "the union"
    return bool(kinds & words("organisation_nouns.txt")) and _organisation_before(head)


def _body_spoke_just_before(head: Token) -> bool:
    """ "Leeds City Council said the road would reopen. A spokeswoman said ...", "The hospital trust apologised. A
    spokesperson said ...": a bare spokesperson right after a named body spoke or answered is that body's."""
    sentence = sentence_of(head.doc, head.i)
    if sentence.start == 0 or any(c.dep_ == "prep" for c in head.children):
        return False  # "a spokesman for one bank" says whose, for better or worse
    before = sentence_of(head.doc, sentence.start - 1)
    # "Halcyon Forge disputed that account. ... a company spokesperson said": the kind names the body whatever the
    # entity tagger made of its name
    kind_given = any(c.dep_ == "compound" and c.lemma_.lower() in words("organisation_nouns.txt")
                     for c in head.children)
    return any(
        t.dep_ == "nsubj" and (_a_named_body(t) or (kind_given and t.pos_ == "PROPN"))
        and (t.head.lemma_.lower() in words("reporting_verbs.txt")
                                                   or t.head.lemma_.lower() in words("stance_verbs.txt")
                                                   or t.head.lemma_.lower() in ANSWERING)
        for t in before
    )


def _a_named_body(tok: Token) -> bool:
    """A named organisation or public body: tagged as one, or a capitalised body noun ("Leeds City Council") or a
    body the story calls by its kind with "the" ("the hospital trust")."""
    if tok.ent_type_ in ("ORG", "GPE") or any(c.ent_type_ == "ORG" for c in tok.children if c.dep_ == "compound"):
        return True
    lemma = tok.lemma_.lower()
    bodies = lemma in words("body_nouns.txt") or lemma in words("organisation_nouns.txt")
    # "The Harbour zoo denies ...": a place or firm the story calls by its name and what it is
    branded = _definite(tok) and any(c.dep_ == "compound" and c.pos_ == "PROPN" and c.is_title for c in tok.children)
    return (bodies and (tok.is_title or _definite(tok))) or branded or _name_of_a_thing(tok)


def _name_of_a_thing(tok: Token) -> bool:
    """ "Corvane, which runs 146 homes, denied ...": a bare capitalised word the tagger did not know, described by a
    "which" clause, is the name of a firm or a body."""
    return tok.is_title and tok.tag_ in ("NN", "NNP") and not any(c.dep_ == "det" for c in tok.children) and any(
        c.dep_ == "relcl" and any(g.dep_ == "nsubj" and g.lower_ == "which" for g in c.children) for c in tok.children)


def _first_body_noun(sent: Tokens) -> int:
    """The index of the first capitalised body noun ("Office") after the first word of ``sent``, or its end."""
    return next(
        (t.i for t in sent[1:] if t.is_title and t.lemma_.lower() in words("body_nouns.txt")), sent.end
    )


def _names_earlier(head: Token) -> bool:
    """ "Mayor Reed issued a statement. ... the statement said": a definite document refers back to one whose
    author was named, or to what a named source reported ("the Daily Post reported ... the report added").

    The answer for each head is kept on the doc: an earlier mention's author may itself be "the report", whose
    answer looks further back again, and without the memo a text repeating "the report said" took exponential time.
    """
    memo: dict[int, bool] = head.doc.user_data.setdefault(_NAMES_EARLIER_KEY, {})
    if head.i not in memo:
        memo[head.i] = False  # while it is being worked out, a mention that leads back to it counts as unnamed
        memo[head.i] = _names_earlier_uncached(head)
    return memo[head.i]


def _earlier_with_lemma(doc: Doc, lemmas: AbstractSet[str], before: int) -> list[int]:
    """The tokens with one of ``lemmas`` in the ``DOCUMENT_LOOKBACK`` tokens before ``before``, nearest first.

    Read from a per-doc index of where each lemma occurs, so each look-back costs a binary search per lemma.
    """
    index: dict[str, list[int]] | None = doc.user_data.get(_LEMMA_INDEX_KEY)
    if index is None:
        index = {}
        for t in doc:
            index.setdefault(t.lemma_.lower(), []).append(t.i)
        doc.user_data[_LEMMA_INDEX_KEY] = index
    low = max(0, before - DOCUMENT_LOOKBACK + 1)
    found: list[int] = []
    for lemma in lemmas:
        places = index.get(lemma)
        if places:
            found.extend(places[bisect_left(places, low) : bisect_left(places, before)])
    return sorted(found, reverse=True)


def _names_earlier_uncached(head: Token) -> bool:
    if not _definite(head):
        return False
    doc = head.doc
    lemma = head.lemma_.lower()
    same: AbstractSet[str] = LEGAL_PAPERS if lemma in LEGAL_PAPERS else {lemma}  # "a lawsuit ... The complaint said"
    if lemma in ("document", "paper"):
        same = words("document_nouns.txt") | RECORD_NOUNS  # "an affidavit signed by Agent Garriola ... The document"
    earlier_mentions = _earlier_with_lemma(doc, same, head.i)
    for k in earlier_mentions:
        earlier = doc[k]
        verb = earlier if earlier.pos_ == "VERB" else earlier.head if earlier.dep_ in ("dobj", "nsubjpass") else None
        if earlier.pos_ == "NOUN" and any(t.ent_type_ in ("PERSON", "ORG") for t in earlier.subtree):
            return True  # "a report by the Tax Foundation", "Reed's statement"
        if verb is None and earlier.dep_ == "pobj" and earlier.head.lower_ == "in" and earlier.head.head.pos_ == "VERB":
            verb = earlier.head.head  # "the ministry said in a statement", "In a statement, the minister said"
        if _made_by_name(earlier) or public_record(earlier):
            # "an affidavit signed by Agent Garriola ... the document said", "a complaint filed by X", "The
            # complaint, filed in federal court, ... The filing says"
            return True
        owner = next((c for c in earlier.children if c.dep_ == "poss" and c.pos_ in ("NOUN", "PROPN")), None)
        if owner is not None and classify(owner, *np_bounds(owner)) == "named":
            return True  # "According to the diocese's annual report ... The report warned"
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None) if verb is not None else None
        if subject is None and verb is not None and verb.tag_ == "VBG" and verb.dep_ in ("advcl", "conj", "xcomp"):
            # "the solicitor's office announced that ..., saying in a statement": the participle is the speaker's,
            # however high up the parser hung it
            subject = _named_speaker_above(verb)
        if subject is None and verb is not None:
            agent = next((c for c in verb.children if c.dep_ == "agent"), None)  # "the report was signed by Ann Cole"
            subject = _pobj(agent, None) if agent is not None else None
        if subject is not None and (
            subject.ent_type_ in ("PERSON", "ORG")
            or subject.pos_ == "PROPN"
            or classify(subject, *np_bounds(subject)) == "named"
        ):
            return True  # "Reed issued a statement", "the Daily Post reported", "the ministry said in a statement"
    # "Police announced an arrest. An anonymous group issued a statement. The statement said": the statement is the
    # one mentioned, not the announcement
    return not earlier_mentions and _announced_just_before(head)


def _announced_just_before(head: Token) -> bool:
    """ "On Thursday, the Republican Party of Wyoming announced she wasn't coming. '...,' the release said": a
    release or statement just after a named subject announced something is that announcement."""
    verbs = ANNOUNCING.get(head.lemma_.lower())
    if verbs is None:
        return False
    doc = head.doc
    for k in _earlier_with_lemma(doc, verbs, head.i):
        if head.i - k > ANNOUNCED_LOOKBACK:
            break
        if doc[k].pos_ == "VERB" and _named_subject(doc[k]) is not None:
            return True
    return False


def _named_subject(verb: Token) -> Token | None:
    """The verb's subject, when it classifies as named."""
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    return subject if subject is not None and classify(subject, *np_bounds(subject)) == "named" else None


def _named_speaker_above(verb: Token) -> Token | None:
    """The first named subject of the verbs above a subjectless participle, a few levels up at most."""
    node = verb
    for _ in range(3):
        if node.head.i == node.i:
            return None
        node = node.head
        subject = _named_subject(node)
        if subject is not None:
            return subject
    return None


def _officials_of_named_body(head: Token) -> bool:
    """ "Officials with the regional authority said", "officials at Cedars-Sinai said", "leaders of the
    organization" after it was named: the body speaks through its officials and leaders, and a reader can check
    with it; one "official at the ministry" stays an anonymous person, and "leaders" alone a vague group."""
    if head.tag_ != "NNS" or head.lemma_.lower() not in ("official", "leader") or _indefinite(head):
        return False
    if any(c.dep_ == "nummod" or c.lower_ in ("other", "many", "most", "few") for c in head.children):
        return False  # "two officials at the ministry", "other leaders of the party": some people, not the body
    for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ in ("with", "at", "of", "from", "for")):
        for pobj in (g for g in prep.children if g.dep_ == "pobj"):
            if _named_institution(pobj) or any(is_maker(t) for t in pobj.subtree):
                return True
            body_again = _definite(pobj) and pobj.lemma_.lower() in words("organisation_nouns.txt")
            if body_again and _organisation_before(head):
                return True  # "AIPAC ... Leaders of the organization have said": the body the story named
    return False


def _role_named_earlier(head: Token) -> bool:
    """ "U.S. prosecutor Bill Weinreb said ... The prosecutor told jurors": "the" and one person's role point back
    to the person (or named body, or named body's spokesperson) the story gave that role to ("a prosecutor", "the
    prosecutors" do not)."""
    if head.tag_ != "NN" or not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in head.children):
        return False
    lemma = head.lemma_.lower()
    doc = head.doc
    for k in range(head.i - 1, max(-1, head.i - ROLE_LOOKBACK), -1):
        earlier = doc[k]
        if earlier.lemma_.lower() != lemma:
            continue
        beside_name = earlier.dep_ in ("compound", "appos") and earlier.head.ent_type_ == "PERSON"
        if earlier.ent_type_ == "PERSON" or beside_name:
            return True  # "prosecutor Bill Weinreb", "Weinreb, the prosecutor"
        if any(c.dep_ == "appos" and c.ent_type_ == "PERSON" for c in earlier.children):
            return True  # "the prosecutor, Bill Weinreb,"
        if earlier.ent_type_ == "ORG" or (lemma in SPOKESPEOPLE and _speaks_for_named_body(earlier)):
            return True  # "the Valley Water Authority ... the authority", "a spokesperson for X ... the spokesperson"
    return False


def _group_named_earlier(head: Token) -> bool:
    """ "Researchers at the University of Lindmoor followed 11,000 pupils. The researchers found ...": "the" and the
    same plural point back to a group the story tied to a named body ("Oxford researchers", "analysts at Moody's");
    a bare "researchers" before does not."""
    lemma = head.lemma_.lower()
    if head.tag_ != "NNS" or lemma not in STUDY_TEAMS:
        return False  # "the GOP leaders", "the members": people of a body, still unnamed
    if not any(c.dep_ == "det" and c.lower_ in ("the", "these") for c in head.children):
        return False
    doc = head.doc
    kinds = (lemma, "team") if lemma in RESEARCHERS else (lemma,)
    for k in range(head.i - 1, max(-1, head.i - ROLE_LOOKBACK), -1):
        earlier = doc[k]
        if earlier.lemma_.lower() not in kinds or earlier.i == head.i:
            continue  # "a team at the University of New Mexico ... The researchers said": the team's members
        if earlier.lemma_.lower() == "team" and any(c.dep_ == "poss" and (c.ent_type_ == "PERSON" or c.pos_ == "PROPN")
                                                    for c in earlier.children):
            return True  # "Campen's team": the team a named person leads
        tied = [c for c in earlier.children if c.dep_ == "compound"] + [
            g for c in earlier.children if c.dep_ == "prep" and c.lower_ in ("at", "from", "of", "with")
            for g in c.subtree]
        if any(t.ent_type_ in ("ORG", "PERSON") for t in tied):
            return True
    return False


def public_record(head: Token) -> bool:
    """ "court documents", "court papers", "police records", "trial testimony", "public filings": a record a court,
    the police, a legislature or a regulator keeps, which a reader can ask for."""
    lemma = head.lemma_.lower()
    if lemma in COURT_RECORDS:
        return True  # "The indictment against him says": a court's paper, whatever the phrase adds
    if lemma in PUBLIC_TEXTS and _definite(head):
        return True  # "the law states", "the proposed law says": a text anyone can read
    if lemma in LEGAL_PAPERS and _filed_in_court(head):
        return True  # "The complaint, filed in federal court in Boston, alleges": on the court's docket
    if lemma in VOTE_COUNTS and _about_a_vote(head):
        return True  # "according to unofficial returns" from a primary: the count itself, published as it comes in
    if lemma not in RECORD_NOUNS and lemma not in words("document_nouns.txt"):
        return False
    if lemma == "figure" and any(c.dep_ == "amod" and c.lower_ in PEOPLE_FIGURES for c in head.children):
        return False  # "several senior government figures": people, not statistics
    if any(c.dep_ in ("compound", "amod") and c.lemma_.lower() in RECORD_KEEPERS for c in head.children):
        return True
    # "..., federal data show": the small parser may read "show" as a noun and hang "federal" on it
    before = head.doc[head.i - 1] if head.i > 0 else None
    return before is not None and before.pos_ == "ADJ" and before.lemma_.lower() in RECORD_KEEPERS


def _filed_in_court(head: Token) -> bool:
    """ "a complaint filed in federal court", "the lawsuit, lodged with the High Court": a paper on a court's file."""
    for acl in (c for c in head.children if c.dep_ == "acl" and c.lemma_.lower() in ("file", "lodge", "submit")):
        for prep in (c for c in acl.children if c.dep_ == "prep" and c.lower_ in ("in", "with", "at", "before")):
            if any(t.lemma_.lower() in ("court", "tribunal") for t in prep.subtree):
                return True
    return False


def _about_a_vote(head: Token) -> bool:
    """Whether the sentence of ``head`` is about a vote (a primary, ballots, delegates), and nothing marks the
    count as a tax return, a test's result or a poll's."""
    sent = head.sent
    if any(c.lemma_.lower() in NOT_VOTE_COUNTS for c in head.children):
        return False
    if any(t.lemma_.lower() in words("poll_nouns.txt") for t in head.subtree):
        return False  # "early results of exit polls": a survey's findings, which the poll rules judge
    return any(t.lemma_.lower() in VOTE_WORDS for t in sent if t.i != head.i)


def _place(tok: Token) -> bool:
    """A place or nationality, as the NER tags it, unless the text says otherwise (see ``_described``)."""
    return tok.ent_type_ in PLACES and not _described(tok)


def _described(tok: Token) -> bool:
    """A name beside a common noun that says what it is ("the consultancy firm Capgemini", "consultancy group
    Capgemini"): an organisation, whatever the NER called it."""
    if tok.dep_ == "appos" and tok.head.pos_ == "NOUN":
        return True
    if tok.i > 0 and tok.doc[tok.i - 1].lemma_.lower() in ORGANISATION_KINDS:
        return True  # "by the charity Parentkind", which the parser may cut from its noun
    return any(c.dep_ == "compound" and c.pos_ == "NOUN" for c in tok.children)


def _made_by_name(head: Token) -> bool:
    """ "research by Jupiter", "a chart from the VA", "a letter sent by the Indian government": whoever made it is
    named in the phrase."""
    preps = [c for c in head.children if c.dep_ == "prep" and c.lower_ in ("by", "from")]
    for acl in (c for c in head.children if c.dep_ == "acl" and c.tag_ == "VBN"):
        preps += [c for c in acl.children if c.dep_ == "agent"]  # "a statement released by the hospital"
        if acl.lemma_.lower() in ("publish", "print"):  # "a study published in the journal Nature"
            preps += [c for c in acl.children if c.dep_ == "prep" and c.lower_ == "in"]
    for prep in preps:
        # a place makes nothing, so after "by" a name the NER took for a place is a maker ("research by Jupiter");
        # after "from" it is where something comes from ("a witness from Leeds"); a participle's agent may also be
        # an institution in view ("a statement released by the hospital")
        agent = prep.dep_ == "agent"
        if any(
            is_maker(t) or (prep.lower_ == "by" and (t.pos_ == "PROPN" or _public_office(t)))
            or (agent and (_named_institution(t) or _named_body_earlier(t)))
            for t in prep.subtree
        ):
            return True
    return False


# Offices held by one person or one body, whose reports are public: "a review by the state auditor".
PUBLIC_OFFICES = {"auditor", "comptroller", "ombudsman", "ombudsperson", "regulator", "watchdog", "coroner",
                  "inspectorate", "treasurer", "auditor-general", "controller"}


def _public_office(tok: Token) -> bool:
    """ "the state auditor", "the federal watchdog", "the coroner": one office, whose report a reader can ask for."""
    return tok.pos_ == "NOUN" and tok.lemma_.lower() in PUBLIC_OFFICES and _definite(tok)


def _from_named_maker(head: Token) -> bool:
    """ "a statement from the mayor's office", "a letter from the police department": a document's maker after
    "from" or "by" is itself a named source (read as a source would be), and not a place ("a statement from
    Washington" says where, not who)."""
    for prep in (c for c in head.children if c.dep_ in ("prep", "agent") and c.lower_ in ("from", "by")):
        for maker in (g for g in prep.children if g.dep_ == "pobj"):
            if _a_body_or_person(maker) and classify(maker, *np_bounds(maker)) == "named":
                return True
    return False


def _a_body_or_person(tok: Token) -> bool:
    """Whether a noun can put a document out: a person or organisation, or an office, body or role ("the mayor's
    office", "the staff association", "the governor"), not an event or a place ("reports from the convention")."""
    if is_maker(tok):
        return True
    lemma = tok.lemma_.lower()
    return tok.pos_ == "NOUN" and any(
        lemma in words(name) or tok.lower_ in words(name)
        for name in ("body_nouns.txt", "organisation_nouns.txt", "institution_nouns.txt", "common_roles.txt")
    )


def _named_body_earlier(tok: Token) -> bool:
    """ "St Columba's Hospital Trust ... a complaint filed by the trust": "the" and the last word of a body the
    story named earlier point back to it."""
    if tok.pos_ != "NOUN" or not _definite(tok):
        return False
    lemma = tok.lemma_.lower()
    return any(ent.label_ == "ORG" and ent.end <= tok.i and ent[-1].lemma_.lower() == lemma
               for ent in entities_in(tok.doc, tok.i - ROLE_LOOKBACK, tok.i))


def _named_institution(tok: Token) -> bool:
    """ "the hospital", "the Indian government": an institution the story has in view, or a named one."""
    definite = _definite(tok) or any(c.dep_ == "poss" and _definite(c) for c in tok.children)  # "the agency's"
    return definite and (tok.lower_ in words("institution_nouns.txt") or tok.lemma_.lower() in words("body_nouns.txt"))


def is_maker(tok: Token) -> bool:
    """An organisation or person, or a name the NER did not type; not a place ("a poll in Israel", "a witness
    from Leeds"), unless the name stands beside a common noun that says what it is (``_described``)."""
    return tok.ent_type_ in ("ORG", "PERSON") or (tok.pos_ == "PROPN" and not _place(tok))


def _unit_of_named_body(head: Token) -> bool:
    """ "An IMF mission", "a team from the WHO": a working group of a named organisation, which a reader can
    check with it ("a Saudi delegation", a nationality, is not one)."""
    if any(c.dep_ in ("compound", "poss") and c.ent_type_ == "ORG" for c in head.children):
        return True
    of = (c for c in head.children if c.dep_ == "prep" and c.lower_ in ("of", "from", "at"))
    return any(g.ent_type_ == "ORG" for p in of for g in p.subtree if g.i != p.i)


def _of_named_body(head: Token) -> bool:
    """ "CEA analysts", "Goldman Sachs economists", "Herschel's scientists", "researchers with the New England
    Journal of Medicine": the staff of a named organisation speak for it, as its spokespeople do ("Saudi officials"
    and "Labour supporters" are not this)."""
    deps = ("compound", "poss") if head.lemma_.lower() in FIRM_ROLES else ("poss",)  # "ISIS experts" study ISIS
    if any(c.dep_ in deps and c.ent_type_ in ("ORG", "FAC", "PRODUCT") for c in head.children):
        return True
    if any(c.dep_ == "poss" and c.ent_type_ == "PERSON" for c in head.children):
        return True  # "Allen's researchers": the team a named person runs
    staff_of = [c for c in head.children if c.dep_ == "prep" and c.lower_ in ("with", "at", "from", "for")]
    if any(g.ent_type_ == "ORG" for p in staff_of for g in p.subtree if g.i != p.i):
        return True
    # "analysts at Berenberg", "analysts at Peel Hunt": one works at a firm, so a name after "at" is one, whatever
    # the small tagger calls it (it often calls an unfamiliar firm a person); a place is not ("experts at Oxford")
    return any(g.dep_ == "pobj" and g.pos_ == "PROPN" and g.ent_type_ not in ("GPE", "LOC", "NORP", "DATE", "TIME")
               for p in staff_of if p.lower_ == "at" for g in p.children)


def _given_a_name(head: Token) -> bool:
    """ "One user, identified as Sas Vijay,", "his best friend at Lehigh, Bruce Turry,": the phrase gives the
    person's name, though the parser hangs it on the last noun (a name cannot be renamed by another name)."""
    if head.pos_ != "NOUN":
        return False
    for acl in (c for c in head.children if c.dep_ == "acl" and c.lemma_.lower() in NAMING_PARTICIPLES):
        if any(g.pos_ == "PROPN" for p in acl.children if p.dep_ == "prep" and p.lower_ == "as" for g in p.children):
            return True
    for prep in (c for c in head.children if c.dep_ == "prep"):
        for pobj in (g for g in prep.children if g.dep_ == "pobj" and g.pos_ == "PROPN"):
            if any(a.dep_ == "appos" and a.pos_ == "PROPN" and a.ent_type_ not in PLACES for a in pobj.children):
                return True
    return False


def _title_case_name(head: Token) -> bool:
    """A capitalised noun with a capitalised preposition after it, mid-sentence ("Doctors Without Borders")."""
    if not head.is_title:
        return False
    return any(c.dep_ == "prep" and c.is_title and not c.is_sent_start and c.i == head.i + 1 for c in head.children)


def _led_by_name(head: Token) -> bool:
    """ "Scientists led by chemist Ann Lee": a group that names the person who leads it can be checked."""
    for acl in (c for c in head.children if c.dep_ == "acl" and c.lemma_.lower() in ("lead", "head", "chair")):
        if any(t.ent_type_ == "PERSON" for t in acl.subtree):
            return True
    return False


def _polled_by_name(head: Token) -> bool:
    """ "Analysts polled by FactSet", "economists surveyed by Reuters": the answers are a named body's published
    survey, which a reader can check."""
    for acl in (c for c in head.children if c.dep_ == "acl" and c.lemma_.lower() in POLLING):
        if any(is_maker(t) for c in acl.children if c.dep_ == "agent" for t in c.subtree):
            return True
    return False


def classify_label(tokens: list[Token]) -> str:
    """Kind of a bare label before a headline or transcript colon ("Politifact:", "Sanders:", "Poll:")."""
    words_ = [t for t in tokens if t.is_alpha]
    if not words_:
        return "anonymous"
    last = words_[-1].lower_
    if last in words("vague_nouns.txt") or last in words("poll_nouns.txt"):
        return "vague"
    if words_[-1].lemma_.lower() in words("anonymous_nouns.txt"):
        return "anonymous"
    if all(t.is_title or t.is_upper for t in words_) or any(t.ent_type_ in ("PERSON", "ORG") for t in words_):
        return "named"
    return "anonymous"


def _pronoun_or_quantifier(head: Token) -> str:
    if head.lower_ in words("vague_nouns.txt"):
        return "vague"
    return "pronoun"


CLERICAL_STYLES = {"rev", "revd", "reverend", "very", "right", "rt", "most", "venerable", "ven", "hon", "honourable",
                   "honorable"}  # "the Rev", "the Very Rev", "the Hon": styles written after "the"


def appositive_name(head: Token) -> str | None:
    """The person a role source names in apposition: "Meridian's chief executive, Paul Okafor, denied ...".

    The source span stops at the comma (the role is what the sentence leans on); the name is what a reader
    looks for in the who-said-what table. None when the head is itself a person's name.
    """
    if head.ent_type_ == "PERSON":
        return None
    for child in head.rights:
        if child.dep_ != "appos":
            continue
        i, j = np_bounds(child)
        if child.ent_type_ == "PERSON":
            ent = [t for t in head.doc[i:j] if t.ent_type_ == "PERSON"]
            if ent:
                return head.doc[ent[0].i : ent[-1].i + 1].text
        words_ = head.doc[i:j]
        if len(words_) >= 2 and all(t.pos_ == "PROPN" and t.is_title for t in words_):
            return words_.text  # "chief negotiator, Ilya Baranov,": a full name the NER did not type, beside a role
        if words_[0].lower_ == "the" and _a_person(head):
            # "Its spokesman, the Rev Daniel Okafor,": a cleric's style, which the NER takes for a body's name
            rest = words_[1:]
            names = [t for t in rest if t.lower_.rstrip(".") not in CLERICAL_STYLES]
            if len(names) >= 2 and len(names) < len(rest) and all(t.pos_ == "PROPN" and t.is_title for t in rest):
                return rest.text
    return None


def _is_named_token(tok: Token) -> bool:
    if _capitalised_only_by_position(tok):
        return False  # "Insiders said ...": the tagger calls a sentence's first plural noun an organisation
    if tok.lower_ in ROLE_ACRONYMS:
        return False  # "several MPs", "two CEOs": people in a role, which the tagger may call an organisation
    if _lower_case_role(tok):
        return False  # '” the minister said': after a curly quote the tagger calls a lower-case role a name
    if (tok.pos_ == "PROPN" and not tok.ent_type_) and (
        in_title_case_line(tok) or tok.lower_ in words("common_roles.txt")
    ):
        return False  # "Judge rejects request": a capitalised common noun, not a name
    if tok.pos_ == "PROPN" or tok.ent_type_ in ("PERSON", "ORG", "GPE", "FAC") or camel_case(tok):
        if tok.lemma_.lower() in words("vague_nouns.txt"):
            return _ends_long_name(tok)  # "Senate Republicans" is a group; "the Iowa Electronic Markets" a name
        return not (tok.ent_type_ == "NORP" and tok.tag_ == "NNPS")
    return False


def _named_before_others(head: Token) -> list[Token]:
    """The "X" of "X and other Ys" when the parser hung X on the group noun instead of joining them."""
    return [
        c for c in head.children
        if c.i < head.i and c.dep_ in ("amod", "compound", "nmod") and any(g.lower_ == "other" for g in c.conjuncts)
    ]


def camel_case(tok: Token) -> bool:
    """ "RealClearPolitics", "YouGov", "FiveThirtyEight": a capital after a small letter inside one word marks a
    name, whatever the tagger calls it."""
    text = tok.text
    return (
        text[:1].isupper()
        and text.isalpha()
        and any(a.islower() and b.isupper() for a, b in itertools.pairwise(text))
    )


def _ends_long_name(tok: Token) -> bool:
    """The last word of an organisation's name of three or more capitalised words."""
    if tok.ent_type_ != "ORG" or tok.ent_iob_ != "I":
        return False
    start = tok.i
    while start > 0 and tok.doc[start].ent_iob_ == "I":
        start -= 1
    words_ = [t for t in tok.doc[start : tok.i + 1] if t.lower_ != "the"]
    return len(words_) >= 3 and all(t.is_title and t.pos_ == "PROPN" for t in words_)


def _capitalised_opener(modifier: Token, head: Token) -> bool:
    """ "Junior doctors say ...", "Estate agents report ...": a paragraph's first word, capitalised because it opens
    the sentence, that the tagger alone took for a name (no kind of entity) before a lower-case plural noun."""
    # "Library" as a PERSON noun, "Landlord" as a one-word PERSON name the story never writes capitalised again
    common = modifier.pos_ == "NOUN" or (modifier.pos_ == "PROPN" and (
        not modifier.ent_type_ or (modifier.ent_type_ == "PERSON" and modifier.ent_iob_ == "B"
                                   and not _capitalised_elsewhere(modifier))))
    return (bool(modifier.is_sent_start) and common and modifier.text[1:].islower() and head.tag_ == "NNS"
            and head.text.islower())


def _capitalised_only_by_position(tok: Token) -> bool:
    """A plural common noun that opens its sentence, which the entity tagger alone took for a name ("Insiders",
    "Neighbours", "Reviewers" said ...); a name the tagger knows is a proper noun ("Democrats", "Apple")."""
    opens = tok.is_sent_start or tok.i == 0 or tok.doc[tok.i - 1].is_quote or tok.doc[tok.i - 1].is_punct
    if opens and _a_firms_name_elsewhere(tok):
        return False  # "Grovers said ... made for Grovers": a name the story capitalises mid-sentence too
    nxt = tok.i + 1
    if tok.pos_ == "PROPN" and not tok.ent_type_ and tok.tag_ == "NNP" and nouns.plural_common_noun(tok.text):
        # "Neighbours described him as ...": the tagger alone calls it a proper noun, with no kind of name
        alone = nxt >= len(tok.doc) or tok.doc[nxt].pos_ != "PROPN"
        return opens and alone and tok.text[1:].islower()
    alone = nxt >= len(tok.doc) or tok.doc[nxt].ent_iob_ != "I"
    if opens and tok.pos_ == "PROPN" and tok.lower_ in COLLECTIVE_STAFF and tok.text[1:].islower():
        # "Staff said ...", not "Staff for the committee said", which says whose, nor "CREW", a name
        return alone and not any(c.dep_ == "prep" for c in tok.children)
    if tok.tag_ == "NNP" and tok.ent_type_ == "ORG" and nouns.plural_common_noun(tok.text) and tok.text[1:].islower():
        # "Neighbours said ...", which the tagger makes a one-word organisation; not "Sanders", a name elsewhere
        return opens and tok.ent_iob_ == "B" and alone and not _capitalised_elsewhere(tok)
    if tok.tag_ != "NNS" or not tok.ent_type_ or tok.ent_iob_ != "B":
        return False
    if nxt < len(tok.doc) and tok.doc[nxt].ent_iob_ == "I":
        return False  # part of a longer name
    return opens


def _a_firms_name_elsewhere(tok: Token) -> bool:
    """Whether the story uses this capitalised word elsewhere as the maker of a body's voice or goods ("A Grovers
    spokeswoman", "Grovers stores"), which only a firm's name is; a people or a generation ("Russians",
    "Millennials") never is."""
    doc = tok.doc
    if tok.ent_type_ == "NORP" or nouns.plural_common_noun(tok.text):
        return False  # "Airlines fear ..." beside "the European Low-fare Airlines Association": still airlines
    for i in _name_uses(doc).get(tok.lower_, ()):
        other = doc[i]
        if i == tok.i or other.text != tok.text or other.dep_ != "compound" or other.ent_type_ == "NORP":
            continue
        lemma = other.head.lemma_.lower()
        if lemma in SPOKESPEOPLE or lemma in words("organisation_nouns.txt") or lemma in FIRM_THINGS:
            return True
    return False


def _surname_of_earlier_person(tok: Token) -> bool:
    """ "Anthony Cordesman said ... Cordesman said", "mother Efe ... Efe says": a capitalised word that ends a
    name met earlier is that name, whatever the tagger makes of it the second time (a noun, a nationality),
    even at the start of a sentence, where capitals tell nothing. Lexicon nouns ("Officials said") are never
    read so, even after a Title Case headline that tagged them as names."""
    if not tok.is_title or (tok.pos_ == "PROPN" and tok.ent_type_ == "PERSON"):
        return False
    lower = tok.lower_
    if lower in words("vague_nouns.txt") or tok.lemma_.lower() in words("anonymous_nouns.txt"):
        return False
    return name_words(tok.doc).get(tok.text, len(tok.doc) + 1) <= tok.i  # "her mother, Efe Imafidon ... Efe says"


def _whose_owner(head: Token) -> Token | None:
    """The noun a "whose" points to: "Lufthansa" in "Lufthansa, whose CEO said ..."."""
    if not any(c.dep_ == "poss" and c.lower_ == "whose" for c in head.children):
        return None
    clause = head.head
    while clause.dep_ not in ("relcl", "ROOT") and clause.head.i != clause.i:
        clause = clause.head
    return clause.head if clause.dep_ == "relcl" and clause.head.i != head.i else None


def _has_possessive(head: Token) -> bool:
    """A possessor that points to someone identifiable: "Trump's campaign", "her account" (not "my father")."""
    for c in head.children:
        if c.dep_ == "poss":
            if c.pos_ == "NOUN" and any(d.lower_ in ("the", "this") for d in c.children if d.dep_ == "det"):
                return True  # "the firm's website": the firm the story is about
            named = c.pos_ in ("PROPN", "PRON") or bool(c.ent_type_) or _name_before_apostrophe(c)
            return c.lower_ not in FIRST_SECOND_PERSON and named
    return False


def _name_before_apostrophe(tok: Token) -> bool:
    """ "Sanders’ campaign": before a curly apostrophe the tagger may read a name as a plural noun. It is a name if
    it is capitalised mid-sentence, or if the story uses the same word as a name elsewhere."""
    if not tok.is_title or not any(d.dep_ == "case" for d in tok.children):
        return False
    if not tok.is_sent_start:
        return True
    return any(i != tok.i for i in _name_uses(tok.doc).get(tok.lower_, ()))


def _name_uses(doc: Doc) -> dict[str, list[int]]:
    """Where each word is used as a name (a proper noun, or inside a named entity), by lower-case form; built once
    per doc, so the question above costs a look-up, not a scan of the whole text for every sentence-opening name."""
    index: dict[str, list[int]] | None = doc.user_data.get(_NAME_USES_KEY)
    if index is None:
        index = {}
        for t in doc:
            if t.pos_ == "PROPN" or t.ent_type_ in NAMED_ENTS:
                index.setdefault(t.lower_, []).append(t.i)
        doc.user_data[_NAME_USES_KEY] = index
    return index


def _capitalised_elsewhere(tok: Token) -> bool:
    """Whether the story writes this word capitalised where no sentence starts ("Bernie Sanders", "said Sanders"): a
    name, though its lower-case form is a plural noun."""
    return any(i != tok.i and tok.doc[i].text[:1].isupper() and not tok.doc[i].is_sent_start
               for i in _name_uses(tok.doc).get(tok.lower_, ()))


def _capitalised_mid_sentence(tok: Token) -> bool:
    if not tok.text[:1].isupper() or tok.is_sent_start or tok.lower_ in words("common_roles.txt"):
        return False
    if tok.lower_ in ROLE_ACRONYMS:
        return False
    prev = tok.doc[tok.i - 1] if tok.i > 0 else None
    return prev is not None and not prev.is_punct and not prev.is_space and not in_title_case_line(tok)


def in_title_case_line(tok: Token) -> bool:
    """True when the token's sentence is a title-case headline (most words capitalised, no full stop)."""
    return per_sentence(tok.doc, tok.i, "title_case", _title_case_sentence)


def _title_case_sentence(sent: Tokens) -> bool:
    alpha = [t for t in sent if t.is_alpha and len(t.text) > 3]
    if len(alpha) < 3 or sent[-1].text in (".", "?", "!"):
        return False
    return sum(t.is_title or t.is_upper for t in alpha) >= 0.8 * len(alpha)


def _definite(head: Token) -> bool:
    """ "the report", "this statement", "those officials": a determiner that points to one the story has in view."""
    if any(c.dep_ == "det" and c.lower_ in DEFINITE for c in head.children):
        return True
    # '"...," the email read': the parser may take the verb for a noun and hang "the" and the noun on it
    outer = head.head
    return (head.dep_ == "compound" and outer.tag_ == "NN" and outer.i == head.i + 1
            and any(c.dep_ == "det" and c.lower_ in DEFINITE and c.i < head.i for c in outer.children))


# Verbs by which a subject puts out a document it made: "the campaign sent out an email", "the firm issued a
# statement" (not "obtained", "read" or "received", which take someone else's).
ISSUING = {"send", "release", "issue", "publish", "post", "circulate", "distribute", "air", "run", "launch",
           "file", "write", "sign", "unveil", "put", "tweet", "email", "broadcast"}


def _issued_by_named(head: Token) -> bool:
    """ "His campaign sent out a fundraising email stressing ...": the document is the object of a verb by which a
    named (or possessed) subject puts it out, so it speaks for that subject."""
    verb = head.head
    if head.dep_ != "dobj" or verb.pos_ != "VERB" or verb.lemma_.lower() not in ISSUING:
        return False
    return _named_subject(verb) is not None


def _indefinite(head: Token) -> bool:
    return any(c.dep_ in ("det", "nummod") and c.lower_ in INDEFINITE for c in head.children)


def _by_determiner(head: Token, has_name: bool) -> str:
    dets = [c.lower_ for c in head.children if c.dep_ in ("det", "poss", "nummod", "predet", "amod")]
    if any(d in INDEFINITE for d in dets):
        # "some farmers", "several lawmakers": an uncounted group is vague; "a farmer", "one lawmaker" is a person
        uncounted = head.tag_ == "NNS" and not any(d in ("a", "an", "one", "another") for d in dets)
        return "vague" if uncounted else "anonymous"
    if any(d in DEFINITE for d in dets) or _has_possessive(head) or has_name:
        return "named"
    if "both" in dets or ({"each", "either", "neither"} & set(dets) and head.lemma_.lower() in PARTY_NOUNS):
        # "both countries", "each candidate": every one of the parties the story has named ("each expert we spoke
        # to" is not)
        return "named"
    if head.text[:1].isupper() and not _indefinite(head) and _a_firms_name_elsewhere(head):
        return "named"  # "Grovers said ...", "Boots said ...": a firm the story names mid-sentence too
    if head.tag_ in ("NNS", "NNPS") or _capitalised_only_by_position(head):
        return "vague"  # "Critics said", and "Neighbours described ...", which the tagger took for a name
    return "anonymous"
