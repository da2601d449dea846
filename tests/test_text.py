"""`fold` collapses spaces before it unifies dashes, for speed; the result must be the one of dashes first."""
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.text import _DASH_RE, _OLD_TO_NEW, _OLD_TONE_RE, _SPACE_RE, DASH_CHARS, fold, fold_all


def fold_dashes_first(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\u00d0", "Đ").replace("\u00f0", "đ")
    text = text.lower().replace("\u2019", "'").replace("\u02bc", "'")
    text = _OLD_TONE_RE.sub(lambda m: _OLD_TO_NEW[m.group(1)], text)
    return _SPACE_RE.sub(" ", _DASH_RE.sub("-", text)).strip()


PIECES = st.sampled_from([*DASH_CHARS, " ", "  ", "\t", "\n", "\u00a0", "\u3000", "\x1c", "oà", "qoà", "uý", "Hà",
                          "Nội", "Ð", "’", "a", "Q", ","])


@settings(max_examples=2000)
@given(st.lists(PIECES, max_size=12).map("".join))
def test_fold_is_the_fold_with_dashes_first(text):
    assert fold(text) == fold_dashes_first(text)


# Texts that start or end with what the joined pass could read across a line break: a lone tone mark, "q" before
# "uý", an old-style "oà" at either end, Greek capitals whose lowercase depends on the next letter.
EDGES = st.sampled_from(["\u0301", "\u0300a", "q", "uý", "oà", "Σ", "ΑΣ", "İ", "\r", "\u2028", "\x85"])


@settings(max_examples=1000)
@given(st.lists(st.lists(PIECES | EDGES, max_size=6).map("".join), max_size=8))
def test_fold_all_is_fold_of_each_text(texts):
    assert fold_all(texts) == [fold(t) for t in texts]


def test_fold_of_real_names():
    assert fold("  Bà Rịa  –  Vũng Tàu ") == "bà rịa-vũng tàu"
    assert fold("Thuỵ Sĩ") == fold("Thụy  Sĩ")
