"""/search finds a word whatever Unicode form the stored text was written in.

The query is put in composed form (NFC) by ``bot.search_query.parse_query``, and the pairs index for CJK text is
written in NFC too (migration 0013: "text stored decomposed (NFD, as some Mac tools save it) was indexed as pairs no
query could ever spell"). The word index, analyses_fts, is not: its trigger indexes the stored text as it is. For
Latin letters that does not matter (``remove_diacritics 2`` folds é and e + U+0301 alike), but it does not fold
precomposed Cyrillic or Greek letters, only strips the loose combining marks of decomposed text. So a decomposed
Russian or Greek text is indexed as "новыи", "κυβερνηση", and the typed (composed) "новый", "κυβέρνηση" never match.
"""

from __future__ import annotations

import unicodedata

import pytest

from tests.store_factory import ENGINE, make_result

TEXTS = {
    "ru": "Новый мэр Йошкар-Олы объявил о реформе транспорта.",
    "el": "Η κυβέρνηση ενέκρινε τον προϋπολογισμό για το νέο έτος.",
    "uk": "Уряд України схвалив новий бюджет, заявив їхній міністр.",
}
WORDS = [("ru", "Новый"), ("ru", "Йошкар"), ("el", "κυβέρνηση"), ("el", "προϋπολογισμό"), ("uk", "їхній")]


@pytest.mark.parametrize("form", ["NFC", "NFD"])
@pytest.mark.parametrize(("lang", "word"), WORDS)
async def test_a_word_is_found_in_composed_and_decomposed_text(store, form, lang, word):
    text = unicodedata.normalize(form, TEXTS[lang])
    stored = await store.save_analysis(1, text, make_result(text), engine_version=ENGINE, title=lang)
    hits = await store.search(1, word)
    assert [h.analysis_id for h in hits] == [stored.id], f"{word!r} not found in {form} text"
    assert await store.count_search(1, word) == 1
