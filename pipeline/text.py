"""Text primitives shared by every module: the dash characters, the folding key, the acronym and
Vietnamese-syllable patterns. Defined once here; the rules, values, link, lexicons and evaluate
import them (a dash that one module knows and another does not splits a name in one place and not
in the other: "Hà Nội − Lạng Sơn" with U+2212 was one bogus endpoint of `connects`).

    >>> fold("Hoà Bình") == fold("Hòa Bình") == fold("HÒA BÌNH")
    True
    >>> fold("Hà Nội \u2212 Lạng Sơn") == fold("Hà Nội – Lạng Sơn") == "hà nội-lạng sơn"
    True
"""
from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["DASHES", "DASH_CHARS", "DASH_CLASS", "fold", "fold_all", "loose_key", "ACRONYM", "ACRONYM_DASHED",
           "PAREN_ACRONYM", "VIETNAMESE_SYLLABLE", "UNIT_RE"]

# Every dash-like character: hyphen-minus, hyphen, non-breaking hyphen, figure dash, en dash, em dash,
# horizontal bar, minus sign, small em dash, small hyphen-minus, full-width hyphen-minus.
DASH_CHARS = "\u002d\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
DASHES = frozenset(DASH_CHARS)
DASH_CLASS = "[" + re.escape(DASH_CHARS) + "]"  # for regular expressions

# Syllable units of a sentence: letter runs (joined by "&": "GD&ĐT") or one punctuation mark.
UNIT_RE = re.compile(r"[^\W_]+(?:&[^\W_]+)*|[^\w\s]")

# An acronym as written in "(EVFTA)", "(Vicofa)"; the link stage also accepts a dash inside ("(VN-EU)").
ACRONYM = r"[A-ZĐ][A-Za-zĐđ0-9&]{1,11}"
ACRONYM_DASHED = r"[A-ZĐ][A-Za-zĐđ0-9&-]{1,11}"
PAREN_ACRONYM = re.compile(rf"\s*\(({ACRONYM})\)")

# One Vietnamese syllable in lowercase: initial consonant(s), one to three vowels, a final.
VIETNAMESE_SYLLABLE = re.compile(
    r"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?"
    r"[aăâeêioôơuưyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]{1,3}"
    r"(?:ng|nh|ch|[cmnpt])?$"
)

_DASH_RE = re.compile(rf"\s*{DASH_CLASS}\s*")
_A_DASH = re.compile(DASH_CLASS)
_SPACE_RE = re.compile(r"\s+")
_NON_WORD_RE = re.compile(r"[\W_]+")

# Old ("hoà", "thuý") and new ("hòa", "thúy") tone placement in open syllables ending in oa, oe, uy:
# fold() moves the mark onto the first vowel. Syllables with a final consonant ("hoàn", "thuyền") are written
# the same in both styles; "quý" keeps its mark on y because the u belongs to "qu".
_TONES = {"\u0300": "àèỳòù", "\u0301": "áéýóú", "\u0303": "ãẽỹõũ", "\u0309": "ảẻỷỏủ", "\u0323": "ạẹỵọụ"}
_OLD_TO_NEW = {}
for _marks in _TONES.values():
    _a, _e, _y, _o, _u = _marks
    _OLD_TO_NEW["o" + _a] = _o + "a"
    _OLD_TO_NEW["o" + _e] = _o + "e"
    _OLD_TO_NEW["u" + _y] = _u + "y"
_OLD_TONE_RE = re.compile(
    r"(?<!q)(" + "|".join(sorted(_OLD_TO_NEW)) + r")(?!\w)"
)


def fold(text: str) -> str:
    """The matching key of a name: NFC, lowercase, one tone-mark style, one dash, single spaces.

    Any dash with the spaces around it becomes a single "-", so "Việt Nam – Lào" and "Việt Nam-Lào" match,
    but "Viêng - chăn" (dash) and "Viêng Chăn" (space) do not: use :func:`loose_key` for that.

    >>> fold("  Thuỵ   Sĩ ") == fold("Thụy Sĩ")
    True
    """
    return _fold_name(text) if len(text) <= 48 else _fold(text)


@functools.lru_cache(maxsize=1 << 16)
def _fold_name(text: str) -> str:
    """`fold` of a short text: names, words and titles recur from article to article."""
    return _fold(text)


def fold_all(texts: list[str]) -> list[str]:
    """`fold` of each text, for a whole lexicon at once: the character steps run once over the texts joined by
    line breaks, which none of them crosses, and the short-text cache stays for the articles' words.

    >>> fold_all(["Thuỵ  Sĩ", "Hà Nội – Lạng Sơn"])
    ['thụy sĩ', 'hà nội-lạng sơn']
    """
    if any("\n" in text for text in texts):
        return [_fold(text) for text in texts]
    return [_tidy(piece) for piece in _fold_characters("\n".join(texts)).split("\n")] if texts else []


def _fold(text: str) -> str:
    return _tidy(_fold_characters(text))


def _fold_characters(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\u00d0", "Đ").replace("\u00f0", "đ")
    text = text.lower().replace("\u2019", "'").replace("\u02bc", "'")
    return _OLD_TONE_RE.sub(lambda m: _OLD_TO_NEW[m.group(1)], text)


def _tidy(text: str) -> str:
    # Spaces first (str.split breaks on what \s matches): the dash rule then sees at most one space each side,
    # and runs only when a dash is there; the result is the one of dashes first.
    text = " ".join(text.split())
    return _DASH_RE.sub("-", text) if _A_DASH.search(text) else text


def loose_key(text: str) -> str:
    """:func:`fold` without any space, dash or punctuation: "Viêng - chăn", "Viêng Chăn", "Viêngchăn" match.

    >>> loose_key("Viêng - chăn") == loose_key("Viêngchăn") == loose_key("VIÊNG CHĂN")
    True
    >>> loose_key("TP. HCM") == loose_key("TPHCM")
    True
    """
    return _NON_WORD_RE.sub("", fold(text))
