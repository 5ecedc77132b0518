"""Resolve a pronoun source ("he said") to the nearest fitting named person, when that is clear.

One linear pass collects the named mentions (people, and organisations for "it"/"they"/"we");
each pronoun then looks back, with a binary search, a few sentences at most. The look-back is
short on purpose: past three sentences a wrong guess is likelier than a right one, and an
unresolved pronoun is honest.
"""

from __future__ import annotations

from bisect import insort
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter

from spacy.tokens import Doc, Span, Token

from bot.analysis.doctext import quote_index
from bot.analysis.lexicon import phrases, words

PERSON_PRONOUNS = {"he", "she", "him", "her", "his", "hers", "i", "me", "my", "himself", "herself"}
GROUP_PRONOUNS = {"it", "its", "they", "them", "their", "we", "us", "our", "itself", "themselves"}
THIRD_PERSON = {"he", "she", "him", "her", "his", "hers"}
THEY = {"they", "them", "their"}
RELATIVE = {"who", "whom", "whose", "which", "that"}
ITS = {"it", "its", "itself"}
FIRST_PERSON = {"i", "me", "my", "we", "us", "our"}
LOOKBACK_SENTENCES = 3
MALE_NOUNS = {"man", "men", "boy", "father", "son", "brother", "husband", "uncle", "nephew", "king", "gentleman"}
FEMALE_NOUNS = {"woman", "women", "girl", "mother", "daughter", "sister", "wife", "aunt", "niece", "queen", "lady"}
# What a story calls a person beside the name, and the titles before it, that say which of "he" and "she" fits.
MALE_WORDS = MALE_NOUNS | {"spokesman", "chairman", "congressman", "businessman", "councilman", "grandfather", "mr",
                           "sir", "lord", "widower", "actor", "headmaster"}
FEMALE_WORDS = FEMALE_NOUNS | {"spokeswoman", "chairwoman", "congresswoman", "businesswoman", "councilwoman",
                               "grandmother", "ms", "mrs", "miss", "dame", "widow", "actress", "headmistress"}
# Offices only a person holds, beside which a name is a person's ("the head of the mission, Thabo Nkosi").
OFFICE_ROLES = {"head", "chief", "leader", "director", "president", "minister", "chairman", "chairwoman", "chair",
                "spokesman", "spokeswoman", "spokesperson", "secretary", "governor", "mayor", "ambassador", "envoy",
                "founder", "owner", "manager", "coach", "captain", "commander", "general", "officer", "judge"}
HE = {"he", "him", "his", "himself"}
SHE = {"she", "her", "hers", "herself"}
# Lexicons of words that make a capitalised name a body's, not a person's ("Borough Council", "Health Trust").
BODY_WORD_LISTS = ("organisation_nouns.txt", "institution_nouns.txt", "body_nouns.txt")


@dataclass(frozen=True, slots=True)
class Mention:
    """A named mention: first token index, sentence index and the name."""

    token: int
    sentence: int
    name: str
    person: bool | None = None  # True for a person, False for a body or place, None when unknown


by_token = attrgetter("token")  # mentions are kept in text order


class Resolver:
    """Find the antecedent of pronoun sources in one document."""

    def __init__(self, doc: Doc, sent_of: list[int]) -> None:
        self.sent_of = sent_of
        self.doc = doc
        self.people: list[Mention] = []
        self.groups: list[Mention] = []
        self.orgs: list[Mention] = []
        self.entity_at: dict[int, str] = {}  # token index -> cleaned text of the entity holding it
        self.unnamed: list[Mention] = []  # one unnamed person speaking ("Another parent said"), by the source's head
        self.unnamed_groups: list[Mention] = []  # unnamed people speaking ("people familiar with the matter")
        self.unnamed_things: list[Mention] = []  # an unnamed paper or body speaking ("a leaked memo shows")
        for ent in doc.ents:
            self.entity_at.update(dict.fromkeys(range(ent.start, ent.end), clean_name(ent.text)))
            person = ent.label_ == "PERSON" or _named_in_a_role(ent)
            mention = Mention(ent.start, sent_of[ent.start], clean_name(ent.text), person)
            if person:
                self.people.append(mention)
            elif ent.label_ in ("ORG", "GPE") and ent.root.dep_ != "pobj":
                # "signed the treaty in Geneva. It said ...": a place after a preposition is a setting, not a speaker
                self.groups.append(mention)
            if ent.label_ == "ORG":
                self.orgs.append(mention)
        self._surnames_again(doc)
        self.sex = _sexes(doc)
        self.name_subjects = _name_subjects(doc, sent_of, {m.token for m in self.people})

    def _surnames_again(self, doc: Doc) -> None:
        """Add "Pereira" after "Thiago Pereira" to the people a "he" may stand for, where the tagger did not mark
        the surname alone as a person ("Pereira has been coy. He said ..."). One pass over the tokens."""
        full: dict[str, tuple[str, int]] = {}  # surname -> (full name, where it was first given)
        for person in self.people:
            words = person.name.split()
            if len(words) > 1 and len(words[-1]) > 1 and words[-1][:1].isupper():  # not "Malcolm X"
                full.setdefault(words[-1], (person.name, person.token))
        if not full:
            return
        added = False
        people = {m.token for m in self.people}
        quotes = quote_index(doc)
        for tok in doc:
            found = full.get(tok.text)
            if found is None or tok.i < found[1] or tok.i in people or not _surname_alone(tok):
                continue  # unknown, before the full name was given, already a person, or part of a longer name
            if tok.ent_type_ and quotes.at(tok.idx) is not None:
                continue  # a name in someone's quote, tagged as something else: the quote's subject, not the story's
            self.people.append(Mention(tok.i, self.sent_of[tok.i], found[0], True))
            added = True
        if added:
            self.people.sort(key=by_token)

    def note_unnamed_group(self, head: Token, sentence: int) -> None:
        """Record unnamed people who speak ("according to people familiar with the matter"): a "they" after them is
        those people, not a company named before them."""
        insort(self.unnamed_groups, Mention(head.i, sentence, head.lemma_.lower(), True), key=by_token)

    def note_unnamed(self, head: Token, sentence: int) -> None:
        """Record one unnamed person who speaks ("Another parent said ...", "a witness told ..."): a "she" after
        it may be that person, so it must not skip back to a name given before."""
        insort(self.unnamed, Mention(head.i, sentence, head.lemma_.lower(), True), key=by_token)

    def note_unnamed_thing(self, head: Token, sentence: int) -> None:
        """Record an unnamed paper or body that speaks ("A leaked memo shows that Ashford Borough Council plans
        ..."): an "it" after it is the memo, not a body named in what the memo says."""
        insort(self.unnamed_things, Mention(head.i, sentence, head.lemma_.lower(), False), key=by_token)

    def resolve(
        self, pronoun: Token, named_sources: list[Mention], before: int | None = None, *, quoted: bool = True
    ) -> str | None:
        """Return the name a pronoun source stands for, or None when it is not clear.

        ``before`` bounds the look-back (a token index): '“I told Tom Reed his contract ends,” he said' must
        not find "Tom Reed" inside the speaker's own quote.
        """
        low = pronoun.lower_
        if low in RELATIVE:
            return self._relative(pronoun)
        if low in FIRST_PERSON and not quoted:
            return None  # "I urge every reader to go": outside quotes, "I" is the writer, whoever spoke last
        if low in PERSON_PRONOUNS:
            pool, wanted = self.people, True
        elif low in GROUP_PRONOUNS:
            pool, wanted = self.groups, False
        else:
            return None
        limit = pronoun.i if before is None else min(pronoun.i, before)
        here = self.sent_of[pronoun.i]
        clash = "f" if low in HE else "m" if low in SHE else ""  # "he" is not a person the story calls "she"

        def fits(m: Mention) -> bool:
            return not clash or (_titled_sex(m.name) or self.sex.get(_surname(m.name))) != clash

        best = _last_fitting(pool, limit, fits, here - LOOKBACK_SENTENCES)
        if low in THIRD_PERSON and best is not None:
            best = self._subject_of(best, fits, limit)
        if low in ITS and best is not None and not best.person:
            # "Hyundai plans a plant in India. It said ...": a company speaks more often than a country.
            org = _last_before(self.orgs, limit)
            if org is not None and best.sentence - org.sentence <= 1:
                best = org
        fitting = [m for m in named_sources
                   if (m.person == wanted or (m.person is None and _could_be(m.name, wanted))) and fits(m)]
        recent = _last_before(fitting, limit)
        if recent is not None and (best is None or recent.token >= best.token or low in PERSON_PRONOUNS):
            best = recent if best is None or recent.sentence >= best.sentence else best
        if low in ("he", "she"):
            best = self._name_subject(best, fits, limit, here)
        if best is None or here - best.sentence > LOOKBACK_SENTENCES:
            return None
        if low in THIRD_PERSON and (self._unnamed_since(best, limit, clash)
                                    or self._unnamed_subject(best.sentence, limit, clash)):
            return None  # "Ms Hollis said ... Another parent said ... '...,' she said": not clearly Ms Hollis
        if low in ITS and self._thing_over(best, limit):
            return None  # "A leaked memo shows that the council plans ... It says": the memo, which has no name
        people = _last_before(self.unnamed_groups, limit) if low in THEY else None
        if people is not None and people.token > best.token:
            return None  # "to buy Crisply, according to people familiar ... they cautioned": those people
        return best.name

    def _name_subject(
        self, best: Mention | None, fits: Callable[[Mention], bool], limit: int, here: int
    ) -> Mention | None:
        """``best``, or a name the tagger did not call a person that is the main subject of a later sentence in reach
        (see ``_name_subjects``): a bare surname ("Dr Ruth Fenwick said ... MacLeod is not sure ... '...,' she said"
        is MacLeod), or a longer name when no person is in reach ("Kirsty MacLeod said ...", tagged as a
        body). A longer name does not override a person, as it is as often a body ("Breitbart News has released")."""
        named = _last_before(self.name_subjects, limit)
        if named is None or here - named.sentence > LOOKBACK_SENTENCES or not fits(named):
            return best
        one_word = self.doc[named.token].dep_ in ("nsubj", "nsubjpass")  # its first word is the subject itself
        if best is None or here - best.sentence > LOOKBACK_SENTENCES or (named.sentence > best.sentence and one_word):
            return named
        return best

    def _thing_over(self, named: Mention, limit: int) -> bool:
        """Whether an unnamed paper or body that spoke before ``limit`` is likelier what "it" stands for than
        ``named``: it spoke after the name, or it is the main subject of the name's sentence and the name is not."""
        thing = _last_before(self.unnamed_things, limit)
        if thing is None or thing.sentence < named.sentence:
            return False
        if thing.token > named.token:
            return True
        return (thing.sentence == named.sentence and _subject_role(self.doc[thing.token]) == "main"
                and _subject_role(self.doc[named.token]) != "main")

    def _subject_of(self, last: Mention, fits: Callable[[Mention], bool], limit: int) -> Mention:
        """The person the sentence of ``last`` is about, else ``last``: the subject of its last main clause
        ("Blinken met Xi ... after talks with Wang Yi. Speaking afterwards, he said" is Blinken; "Clinton put Sanders
        on the defensive, but Sanders got in digs. He ..." is Sanders), or failing one, its first subject of any
        clause ("Mook acknowledged Clinton and Sanders had split ..., he said" is Mook). A story carries its subject
        on; the last name is often an object. Names inside a quote are the speaker's words, not the story's."""
        quotes = quote_index(self.doc)
        k = _bisect(self.people, limit)
        here: list[Mention] = []
        while k >= 0 and self.people[k].sentence == last.sentence:
            mention = self.people[k]
            if fits(mention) and quotes.at(self.doc[mention.token].idx) is None:
                here.append(mention)
            k -= 1
        here.reverse()
        roles = [(m, _subject_role(self.doc[m.token])) for m in here]
        main = [m for m, role in roles if role == "main"]
        if main:
            return main[-1]
        return next((m for m, role in roles if role == "clause"), last)

    def _unnamed_subject(self, sentence: int, limit: int, clash: str) -> bool:
        """Whether an unnamed person the pronoun can stand for is the main subject of ``sentence``: "A former player
        said Keane could be cold. '...,' she said" is the player's quote, not Keane's, whom the player spoke of."""
        k = _bisect(self.unnamed, limit)
        while k >= 0 and self.unnamed[k].sentence >= sentence:
            mention = self.unnamed[k]
            if (mention.sentence == sentence and (not clash or _word_sex(mention.name) != clash)
                    and _subject_role(self.doc[mention.token]) == "main"):
                return True
            k -= 1
        return False

    def _unnamed_since(self, named: Mention, limit: int, clash: str) -> bool:
        """Whether an unnamed person spoke after ``named`` and before ``limit`` whom the pronoun can stand for (one
        not of the sex ``clash`` rules out)."""
        k = _bisect(self.unnamed, limit)
        while k >= 0 and self.unnamed[k].token > named.token:
            if not clash or _word_sex(self.unnamed[k].name) != clash:
                return True
            k -= 1
        return False

    def _relative(self, pronoun: Token) -> str | None:
        clause = pronoun.head
        noun = clause.head if clause.dep_ == "relcl" else None
        if noun is not None and (noun.ent_type_ in ("PERSON", "ORG") or noun.pos_ == "PROPN"):
            return self.entity_at.get(noun.i, noun.text)
        return None


def _subject_role(tok: Token) -> str:
    """ "main" when a name is (part of) the subject of its sentence's main verb or of a verb joined to it by "and"
    or "but"; "clause" when it is the subject of some other clause ("Hobbs said Lake had ..."); "" otherwise."""
    for _ in range(4):
        if tok.dep_ not in ("compound", "flat", "appos") or tok.head.i == tok.i:
            break  # not "poss": in "Mrs. Clinton's strategists say", the strategists are the subject
        tok = tok.head
    if tok.dep_ not in ("nsubj", "nsubjpass"):
        return ""
    verb = tok.head
    return "main" if verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT") else "clause"


def _name_subjects(doc: Doc, sent_of: list[int], people: set[int]) -> list[Mention]:
    """Names the tagger did not call a person that are the main subject of their sentence, in text order: "MacLeod
    is not sure", "Kirsty MacLeod said" (the small tagger often calls both a body). A story's next "she" is likelier
    its subject than a name given before, so such a name is a candidate whose sex is unknown. A bare surname stands
    for the full name given before it ("Kirsty MacLeod ... MacLeod"). Names in quotes, places, acronyms and names
    with a body's word ("Ashford Borough Council") are left out. One pass over the entities and the tokens."""
    quotes = quote_index(doc)
    full: dict[str, tuple[str, int]] = {}  # surname -> (full name, where it was first given)
    found: list[tuple[int, Span]] = []
    for ent in doc.ents:
        if ent.label_ not in ("PERSON", "ORG") or not 1 <= len(ent) <= 3 or not all(map(_name_word, ent)):
            continue
        written = ent
        title = doc[ent.start - 1] if ent.start > 0 else None
        if title is not None and title.is_title and _word_sex(title.lower_.rstrip(".")):
            written = doc[ent.start - 1 : ent.end]  # "Mr Iain MacLeod": the title says which pronoun fits
        if len(written) > 1:
            full.setdefault(written[-1].text, (clean_name(written.text), written.start))
        if ent.label_ == "ORG" and ent.start not in people:
            found.append((ent.root.i, written))
    found += [(t.i, t.doc[t.i : t.i + 1]) for t in doc
              if t.pos_ == "PROPN" and not t.ent_type_ and t.i not in people and _name_word(t)
              and not any(c.dep_ == "compound" for c in t.children)]
    out: list[Mention] = []
    for i, span in sorted(found, key=lambda f: f[0]):
        root = doc[i]
        verb = root.head
        plural = root.tag_ == "NNPS" or "VBP" in {verb.tag_, *(c.tag_ for c in verb.children if c.dep_ == "aux")}
        if (_subject_role(root) != "main" or root.dep_ not in ("nsubj", "nsubjpass") or plural
                or span.text.lower() in phrases("country_names.txt") or any(c.dep_ == "det" for c in root.children)
                or quotes.at(root.idx) is not None):
            # "States typically decentralize", "the Guardian reported": not one person's name
            continue
        name = clean_name(span.text)
        given = full.get(name) if len(span) == 1 else None
        out.append(Mention(span.start, sent_of[span.start], given[0] if given and given[1] < i else name, None))
    return out


def _name_word(tok: Token) -> bool:
    """A word of a person's name: capitalised, not an acronym ("NATO") nor a body's word ("Council")."""
    return (tok.is_alpha and tok.text[:1].isupper() and not tok.is_upper
            and not any(tok.lower_ in words(name) for name in BODY_WORD_LISTS))


def _surname_alone(tok: Token) -> bool:
    """Whether a token stands alone as a name: not inside a longer entity, and not a place after a preposition. The
    small tagger often calls a surname given again a place or a body ("Hobbs said" as GPE, "Lake" as LOC)."""
    if tok.ent_type_ and (tok.ent_iob_ != "B" or (tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].ent_iob_ == "I")):
        return False
    return not (tok.ent_type_ and tok.dep_ == "pobj")


def _could_be(name: str, person: bool) -> bool:
    """A source of unknown kind may stand behind "he" only if it reads as a name ("Okafor"), not as a thing
    ("an indictment", "the report"); behind "it" or "they", anything may."""
    if not person:
        return True
    first = name.split()[0] if name.split() else ""
    return first[:1].isupper() and first.lower() not in ("a", "an", "the", "this", "that", "these", "those")


def _last_fitting(pool: list[Mention], token: int, fits: Callable[[Mention], bool], first: int) -> Mention | None:
    """The last mention before ``token`` that ``fits``, looking back no further than sentence ``first``."""
    k = _bisect(pool, token)
    while k >= 0 and pool[k].sentence >= first:
        if fits(pool[k]):
            return pool[k]
        k -= 1
    return pool[k] if k >= 0 else None  # past the look-back: the caller finds it too far


def _named_in_a_role(ent: Span) -> bool:
    """ "The head of the observer mission, Thabo Nkosi, said": a name of two or three capitalised words set beside
    a person's role is a person's, whatever the small entity tagger called it (it often calls such names ORG)."""
    if ent.label_ not in ("ORG", "GPE", "NORP") or not 2 <= len(ent) <= 3 or not all(t.is_title for t in ent):
        return False
    root = ent.root
    roles = [c for c in root.children if c.dep_ == "appos"]
    if root.dep_ == "appos":
        roles.append(root.head)
        if root.head.dep_ == "pobj":  # "the head of the mission, Thabo Nkosi": the parser hangs it on "mission"
            roles.append(root.head.head.head)
    return any(r.pos_ == "NOUN" and r.lemma_.lower() in OFFICE_ROLES for r in roles)


def _surname(name: str) -> str:
    words = name.split()
    return words[-1] if words else name


def _sexes(doc: Doc) -> dict[str, str]:
    """Which people the story marks as a man or a woman ("m" or "f"), by surname: a title before the name ("Ms
    Obi") or a word beside it ("Rachel Obi, Labour's health spokeswoman"). Not the pronoun of what they said: "John
    Smith said she would be missed" is about someone else. A surname marked both ways is left out."""
    seen: dict[str, set[str]] = {}
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        near = [doc[ent.start - 1]] if ent.start > 0 else []
        near += [t for t in ent if t.dep_ == "compound" or t.i == ent.start]
        near += [c for c in ent.root.children if c.dep_ == "compound"]  # "Ms Priya [Nandra]", tagged short
        near += [c for c in ent.root.children if c.dep_ == "appos"]
        if ent.root.dep_ in ("appos", "compound"):
            near.append(ent.root.head)
        marks = seen.setdefault(_surname(clean_name(ent.text)), set())
        marks.update(_word_sex(t.lower_.rstrip(".")) for t in near)
        marks.discard("")
    return {name: next(iter(marks)) for name, marks in seen.items() if len(marks) == 1}


def _titled_sex(name: str) -> str:
    """The sex a title in the name itself gives ("Mr Price", "Ms Lee"), for a name the tagger did not mark as a
    person, so ``_sexes`` never saw it; "" when the name has no such title."""
    words = name.split()
    return _word_sex(words[0].lower().rstrip(".")) if len(words) > 1 else ""


def _word_sex(word: str) -> str:
    """ "m" for a word a story uses of a man ("spokesman", "Mr"), "f" for one of a woman, else ""."""
    return "m" if word in MALE_WORDS else "f" if word in FEMALE_WORDS else ""


def _last_before(pool: list[Mention], token: int) -> Mention | None:
    k = _bisect(pool, token)
    return pool[k] if k >= 0 else None


def _bisect(pool: list[Mention], token: int) -> int:
    """Index of the last mention before ``token`` (-1 if none); pools are in document order."""
    lo, hi = 0, len(pool)
    while lo < hi:
        mid = (lo + hi) // 2
        if pool[mid].token < token:
            lo = mid + 1
        else:
            hi = mid
    return lo - 1


def clean_name(name: str) -> str:
    """A name as a reader writes it: without a possessive ("Lowe's" is Lowe)."""
    name = name.strip()
    for suffix in ("'s", "’s"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    return name
