"""Which words the model's lemmatizer knows as English nouns, to tell a plural common noun from a surname.

The tagger calls a sentence's first word a proper noun when it is capitalised only by its position ("Neighbours
described him as ..."); whether "neighbour" is a noun the lemmatizer knows, and "neighbours" is not, tells them
apart where the entity tagger has no opinion. The index comes from the loaded pipeline (``nlp.register_nouns``);
before one is loaded, nothing counts as a plural, which keeps the reading as a name.
"""

from __future__ import annotations

_known: frozenset[str] = frozenset()


def register(nouns: frozenset[str]) -> None:
    """Remember the lemmatizer's noun index (called once, when the pipeline loads)."""
    global _known
    _known = nouns


def plural_common_noun(word: str) -> bool:
    """ "Neighbours", "Residents", "Witnesses": the plural of a known noun, and not itself a known noun ("Jones")."""
    low = word.lower()
    if not low.endswith("s") or low in _known:
        return False
    stems = [low[:-1]]
    if low.endswith("es"):
        stems.append(low[:-2])
    if low.endswith("ies"):
        stems.append(low[:-3] + "y")
    return any(stem in _known for stem in stems)
