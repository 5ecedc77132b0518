"""Legacy charset labels are read as browsers read them (the WHATWG Encoding Standard), not as Python's strict codecs.

Pages label themselves gb2312, Shift_JIS, euc-kr, iso-8859-9, tis-620 or big5 and are then written in the superset
Windows code page every browser decodes those labels with (GBK, windows-31j, windows-949, windows-1254, windows-874,
Big5-HKSCS). ``bot.extract`` already does this for latin-1 (read as windows-1252); the others go to Python's strict
codecs, so the superset's characters come out as U+FFFD, or (Shift_JIS) knock the decoder out of step and garble the
rest of the line. ``windows-31j`` is a label Python does not know at all, and detection then guesses wrong.
"""

from __future__ import annotations

import pytest

from bot.extract import decode_body

CASES = [
    # label, text, the codec browsers actually use for that label
    ("gb2312", "朱镕基总理表示，项目将于明年完工。", "gbk"),           # 镕 is GBK, not GB2312: a premier's name
    ("Shift_JIS", "髙橋さんは①番目に到着した。", "cp932"),            # 髙 and ① are windows-31j (NEC/IBM) characters
    ("euc-kr", "똠방각하가 말했다.", "cp949"),                        # 똠 is in windows-949, not in EUC-KR
    ("iso-8859-9", "“Söz verdik,” dedi Başkan.", "cp1254"),          # curly quotes: C1 controls in ISO-8859-9
    ("tis-620", "รัฐบาลอนุมัติ “ข่าว”", "cp874"),                     # the same for Thai
    ("big5", "香港特區政府表示，㗎嘢好多。", "big5hkscs"),           # HKSCS characters of Hong Kong papers
    ("windows-31j", "髙橋さんは①番目に到着した。", "cp932"),         # a label Python does not know
]


@pytest.mark.parametrize(("label", "text", "codec"), CASES, ids=[c[0] for c in CASES])
def test_a_legacy_label_is_decoded_as_a_browser_decodes_it(label, text, codec):
    body = f"<p>{text}</p>".encode(codec)
    assert decode_body(body, label) == f"<p>{text}</p>"


@pytest.mark.parametrize(("label", "text", "codec"), CASES[:3], ids=[c[0] for c in CASES[:3]])
def test_the_same_label_in_a_meta_tag(label, text, codec):
    body = f'<meta charset="{label}"><p>{text}</p>'.encode(codec)
    assert text in decode_body(body, None)
