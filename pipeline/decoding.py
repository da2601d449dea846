"""Raw bytes → Unicode text, decided by evidence rather than by which decoder happens not to fail.

- UTF-8 (with or without a byte order mark) when it decodes; UTF-16 only with a byte order mark or the
  NUL-byte pattern of UTF-16 text.
- Otherwise the legacy Vietnamese encodings, Windows-1258, VNI and TCVN3 (ABC), each tried and kept
  only when the result reads as Vietnamese: a high share of its words are valid Vietnamese syllables
  (`pipeline/resources/syllables.tsv`). VNI and TCVN3 are tables in `pipeline/resources/`.
- UTF-8 with a few invalid bytes, when the rest is clean Vietnamese: the bytes become U+FFFD.
- Anything else is `Undecodable`, naming what was tried.

HTML saved as text is reduced to its text by `strip_html` (the standard library's parser).
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from html.parser import HTMLParser

from .lexicons import table

VIETNAMESE = 0.7         # share of valid syllables above which a decoding reads as Vietnamese
NOT_VIETNAMESE = 0.5     # below this (with enough words) a kept document is flagged `not_vietnamese`
MIN_WORDS = 5            # fewer words than this say nothing about the language
STRAY_BYTES = 0.01       # at most this share of a UTF-8 text's characters may be invalid bytes (at least 3)

_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")  # huyền, sắc, ngã, hỏi, nặng
_WORD = re.compile(r"[^\W\d_]+")
# C0 controls other than tab and line breaks never occur in articles; they mean binary or corrupt input.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class Undecodable(ValueError):
    """Bytes that are not text in any encoding tried; the message says what was tried."""


@dataclass(frozen=True)
class Decoded:
    text: str
    flags: tuple[str, ...] = ()


def decode(payload: bytes) -> Decoded:
    """Bytes → NFC text and the flags saying how it was obtained.

    >>> decode("Thủ tướng".encode("utf-8")).text
    'Thủ tướng'
    >>> decode("Saùng 6/1, Thuû töôùng thaêm Haø Noäi".encode("cp1252"))
    Decoded(text='Sáng 6/1, Thủ tướng thăm Hà Nội', flags=('legacy_encoding',))
    >>> decode("Thủ tướng Phạm Minh Chính thăm Hà Nội.".encode() + b"\\xff").flags
    ('replaced_bytes',)
    """
    decoded = _decode(payload)
    if _CONTROL.search(decoded.text):
        raise Undecodable("not text: control characters after decoding")
    return Decoded(unicodedata.normalize("NFC", decoded.text), decoded.flags)


def _decode(payload: bytes) -> Decoded:
    if payload.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Decoded(_strict(payload, "utf-16", "a UTF-16 byte order mark"))
    if b"\x00" in payload:
        encoding = _utf16_by_nul_bytes(payload)
        if not encoding:
            raise Undecodable("binary file (NUL bytes)")
        return Decoded(_strict(payload, encoding, "the NUL bytes of UTF-16"))
    try:
        text = payload.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return _not_utf8(payload, error)
    return _legacy_written_as_unicode(text) or Decoded(text)


def _strict(payload: bytes, encoding: str, evidence: str) -> str:
    try:
        return payload.decode(encoding)
    except UnicodeDecodeError:
        raise Undecodable(f"{evidence}, but not valid {encoding.upper()}") from None


def _utf16_by_nul_bytes(payload: bytes) -> str | None:
    """UTF-16 text of Latin letters has a NUL in (nearly) every other byte, on one side only."""
    head = payload[:4096]
    if len(payload) % 2 or len(head) < 4:
        return None
    even, odd = head[0::2].count(0) / (len(head) / 2), head[1::2].count(0) / (len(head) / 2)
    if odd >= 0.3 and even < 0.05:
        return "utf-16-le"
    if even >= 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


def _not_utf8(payload: bytes, error: UnicodeDecodeError) -> Decoded:
    readings = _legacy_readings(payload)
    share, text = max(((share, text) for share, text in readings.values() if text is not None), default=(0, None))
    if share >= VIETNAMESE:
        return Decoded(text, ("legacy_encoding",))
    replaced = unicodedata.normalize("NFC", payload.decode("utf-8-sig", errors="replace"))
    stray = replaced.count("\ufffd")
    if stray <= max(3, STRAY_BYTES * len(replaced)) and (vietnamese_share(replaced) or 0) >= VIETNAMESE:
        return Decoded(replaced, ("replaced_bytes",))
    tried = ", ".join(f"{name} {'does not decode' if text is None else f'{share:.0%} valid syllables'}"
                      for name, (share, text) in readings.items())
    raise Undecodable(f"not UTF-8 (invalid byte at {error.start}) and not Vietnamese in a legacy encoding: {tried}")


def _legacy_readings(payload: bytes) -> dict[str, tuple[float, str | None]]:
    """{encoding: (share of valid Vietnamese syllables, text, or None when the bytes do not decode)}."""
    readings = {}
    for name, reader in (("Windows-1258", _read_cp1258), ("VNI", read_vni), ("TCVN3", read_tcvn3)):
        try:
            text = reader(payload)
        except UnicodeDecodeError:
            readings[name] = (0.0, None)
            continue
        readings[name] = (vietnamese_share(text) or 0.0, text)
    return readings


def _legacy_written_as_unicode(text: str) -> Decoded | None:
    """VNI or TCVN3 bytes once read as Windows-1252 and saved as UTF-8 ("Saùng" for "Sáng"), converted back."""
    share = vietnamese_share(text)
    if share is None or share >= VIETNAMESE:
        return None
    try:
        payload = text.encode("cp1252")
    except UnicodeEncodeError:  # it holds characters no Windows-1252 reading produces
        return None
    for reader in (read_vni, read_tcvn3):
        try:
            converted = reader(payload)
        except UnicodeDecodeError:
            continue
        if (vietnamese_share(converted) or 0) >= VIETNAMESE:
            return Decoded(converted, ("legacy_encoding",))
    return None


def _read_cp1258(payload: bytes) -> str:
    return unicodedata.normalize("NFC", payload.decode("cp1258"))


def read_vni(payload: bytes) -> str:
    """VNI Windows bytes → NFC text: each mark byte after its base letter becomes combining marks.

    >>> read_vni("Ñaø Naüng, Vieät Nam".encode("cp1252"))
    'Đà Nẵng, Việt Nam'
    """
    return unicodedata.normalize("NFC", payload.decode("cp1252").translate(_vni_table()))


def read_tcvn3(payload: bytes) -> str:
    """TCVN3 (ABC) bytes → text; a byte the table lacks is a decoding error.

    >>> read_tcvn3(b"H\\xb5 N\\xe9i")
    'Hà Nội'
    """
    characters = _tcvn3_table()
    out = []
    for i, byte in enumerate(payload):
        if byte < 0x80:
            out.append(chr(byte))
        elif byte in characters:
            out.append(characters[byte])
        else:
            raise UnicodeDecodeError("tcvn3", payload, i, i + 1, "not a TCVN3 code")
    return "".join(out)


@cache
def _vni_table() -> dict[int, str]:
    return {ord(row["cp1252"]): "".join(chr(int(cp[2:], 16)) for cp in row["becomes"].split())
            for row in table("vni.tsv")}


@cache
def _tcvn3_table() -> dict[int, str]:
    return {int(row["byte"], 16): row["char"] for row in table("tcvn3.tsv")}


def vietnamese_share(text: str) -> float | None:
    """The share of the words of an NFC text that are valid Vietnamese syllables (None without words).

    >>> vietnamese_share("Thủ tướng thăm Hà Nội")
    1.0
    >>> vietnamese_share("Thủ tướng Phạm Minh Chính thăm Hà Nội".encode().decode("cp1258")) < 0.5  # mojibake
    True
    """
    words = _WORD.findall(text.lower())
    if not words:
        return None
    return sum(map(is_syllable, words)) / len(words)


def not_vietnamese(text: str) -> bool:
    """Enough words to tell, and too few of them Vietnamese syllables.

    >>> not_vietnamese("The Prime Minister met the President of Laos."), not_vietnamese("Thủ tướng thăm Lào.")
    (True, False)
    """
    return len(_WORD.findall(text)) >= MIN_WORDS and vietnamese_share(text) < NOT_VIETNAMESE


@lru_cache(maxsize=1 << 16)  # bounded: a corpus's vocabulary grows with it
def is_syllable(word: str) -> bool:
    """A lowercase word spelt as one Vietnamese syllable, with at most one tone mark ("nghiêng", "quốc")."""
    decomposed = unicodedata.normalize("NFD", word)
    tones = sum(c in _TONE_MARKS for c in decomposed)
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
    return tones <= 1 and _syllable_pattern().fullmatch(bare) is not None


@cache
def _syllable_pattern() -> re.Pattern:
    parts = {row["part"]: row["spellings"].split() for row in table("syllables.tsv")}

    def either(spellings):
        return "|".join(sorted(map(re.escape, spellings), key=len, reverse=True))

    return re.compile(f"(?:{either(parts['onset'])})?"
                      f"(?:{either(parts['open_rime'])}|(?:{either(parts['closed_nucleus'])})(?:{either(parts['coda'])}))")


def looks_like_html(text: str) -> bool:
    """Markup rather than an article: an HTML start, or closing tags of HTML elements.

    >>> looks_like_html("<!DOCTYPE html><html><body><p>Hà Nội</p></body></html>"), looks_like_html("a < b > c")
    (True, False)
    """
    return bool(_HTML.search(text))


_HTML = re.compile(r"\A\s*<(?:!doctype\s+html|html[\s>])|</(?:html|body|p|div|span|article|section|h[1-6]|li|td|"
                   r"script|style|a)\s*>", re.IGNORECASE)


def strip_html(markup: str) -> str:
    """The text of an HTML page: one line per block, without scripts, styles, navigation or the head.

    >>> strip_html("<html><head><title>x</title><script>var a;</script></head><body><nav>Trang chủ</nav>"
    ...            "<h1>Thủ tướng thăm Lào</h1><p>Sáng 5/2, Thủ tướng&nbsp;đến <b>Viêng Chăn</b>.</p></body></html>")
    'Thủ tướng thăm Lào\\nSáng 5/2, Thủ tướng đến Viêng Chăn.'
    """
    parser = _TextOfHtml()
    parser.feed(markup)
    parser.close()
    lines = (re.sub(r"\s+", " ", line).strip() for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


class _TextOfHtml(HTMLParser):
    SKIPPED = frozenset({"head", "script", "style", "nav", "noscript", "template", "svg"})
    BLOCKS = frozenset({"address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
                        "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "ol",
                        "p", "pre", "section", "table", "td", "th", "tr", "ul"})

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self._skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)
