"""Stage 2 — segment: documents → sentences, tokens.

Paragraphs first (line breaks), then underthesea sentences inside each paragraph, then underthesea
words and POS tags. underthesea rewrites some tokens ("Hoà"→"Hòa", "6.071km2"→"6.071 km2"), so its
output is aligned back to the original characters: every row satisfies `text[start:end] == row.text`.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from types import ModuleType

import pandas as pd

from . import config

_LINE = re.compile(r"[^\n\r]+")
_CHUNK = re.compile(r"\S+")
_SENT_COLUMNS = ["doc_id", "sent_id", "paragraph_id", "start", "end", "text"]
_TOKEN_COLUMNS = ["doc_id", "sent_id", "token_id", "start", "end", "text", "pos"]


def segment(documents: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Documents → (sentences, tokens), with offsets into `documents.text`.

    >>> docs = pd.DataFrame([{"doc_id": "d", "text": "Tổng Bí thư Tô Lâm đến Lào.\\nẢnh: TTXVN"}])
    >>> sentences, tokens = segment(docs)
    >>> sentences.text.tolist()
    ['Tổng Bí thư Tô Lâm đến Lào.', 'Ảnh: TTXVN']
    """
    from .stages import require_columns

    require_columns("segment", documents=documents)
    sentences = []
    for doc_id, text in documents[["doc_id", "text"]].itertuples(index=False):
        sent_id = 0
        for paragraph_id, (p_start, p_end) in enumerate(paragraph_spans(text)):
            for s_start, s_end in sentence_spans(text, p_start, p_end):
                sentences.append((doc_id, sent_id, paragraph_id, s_start, s_end, text[s_start:s_end]))
                sent_id += 1
    tokens, token_id, last_doc = [], 0, None
    for (doc_id, sent_id, _, s_start, _, sentence), words in zip(sentences, tag_sentences([s[5] for s in sentences])):
        if doc_id != last_doc:
            token_id, last_doc = 0, doc_id
        for (t_start, t_end), pos in words:
            tokens.append((doc_id, sent_id, token_id, s_start + t_start, s_start + t_end, sentence[t_start:t_end], pos))
            token_id += 1
    return pd.DataFrame(sentences, columns=_SENT_COLUMNS), pd.DataFrame(tokens, columns=_TOKEN_COLUMNS)


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Each non-blank line is a paragraph, so captions and headings never glue to the next sentence."""
    spans = []
    for match in _LINE.finditer(text):
        line = match.group()
        start = match.start() + (len(line) - len(line.lstrip()))
        end = match.end() - (len(line) - len(line.rstrip()))
        if end > start:
            spans.append((start, end))
    return spans


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """underthesea sentences inside text[start:end], as absolute offsets."""
    sent_tokenize = _underthesea("pipeline.sent_tokenize").sent_tokenize
    paragraph = text[start:end]
    spans: list[tuple[int, int]] = []
    for s, e in align(paragraph, sent_tokenize(paragraph)):
        if spans and s == spans[-1][1]:
            spans[-1] = (spans[-1][0], e)  # "Chinhphu.|vn": no space, no sentence break
        else:
            spans.append((s, e))
    return [(start + s, start + e) for s, e in spans]


def tag_words(sentence: str) -> list[tuple[tuple[int, int], str]]:
    """underthesea words of one sentence with their POS tags, as character spans of the sentence.

    >>> tag_words("Tô Lâm đến Hà Nội")
    [((0, 6), 'N'), ((7, 10), 'V'), ((11, 17), 'Np')]
    """
    return tag_sentences([sentence])[0]


def tag_sentences(sentences: list[str], batch: int = 1000) -> list[list[tuple[tuple[int, int], str]]]:
    """`tag_words` of many sentences: the CRFs weigh and decode a thousand sentences at a time.

    The words are `underthesea.word_tokenize`'s and the tags `pos_tag`'s, computed from the same models
    (pipeline/crf.py), with each sentence tokenized once.
    """
    tagged = []
    for first in range(0, len(sentences), batch):
        chunk = sentences[first:first + batch]
        syllables = [syllables_of(s) for s in chunk]
        words = [_join_words(s, tags) for s, tags in zip(syllables, _word_segmenter().tag_many(syllables))]
        for sentence, sentence_words, tags in zip(chunk, words, _pos_tagger().tag_many(words)):
            tagged.append([(span, tag[2:]) for span, tag in zip(align(sentence, sentence_words), tags)
                           if span[1] > span[0]])
    return tagged


def syllables_of(sentence: str) -> list[str]:
    """The syllables `word_tokenize` feeds its CRF: underthesea's `regex_tokenize.tokenize(sentence)`,
    with the per-token normalization cached, since news reuses a small vocabulary.

    >>> syllables_of("Hoà Bình, 6.071km2")
    ['Hòa', 'Bình', ',', '6.071', 'km2']
    """
    text = _underthesea("pipeline.text_normalize.character_normalize").normalize_characters_in_text(sentence)
    patterns, out = _underthesea("pipeline.word_tokenize.regex_tokenize").patterns, []
    # No token holds a space, so the text can be read chunk by chunk. A chunk of letters only is one token, the
    # pattern's `word`: no earlier alternative matches letters alone except "Th.S" (its dot is any character).
    for chunk in _CHUNK.finditer(text):
        word = chunk.group()
        if word.isalpha() and not word.startswith("Th"):
            out.append(_normalize_syllable(word))
            continue
        end = chunk.end()
        for token in patterns.finditer(text, chunk.start()):  # lookbehinds still see the text before
            if token.start() >= end:
                break
            out.append(_normalize_syllable(token.group()))
    return out


@functools.lru_cache(maxsize=1 << 16)
def _normalize_syllable(token: str) -> str:
    return _underthesea("pipeline.text_normalize.token_normalize").token_normalize(token)


def _join_words(syllables: list[str], tags: list[str]) -> list[str]:
    """Syllables tagged B-W/I-W → words, as `word_tokenize` joins them."""
    words: list[str] = []
    for syllable, tag in zip(syllables, tags):
        if tag == "I-W" and words:
            words[-1] += " " + syllable
        else:
            words.append(syllable)
    return words


@functools.cache
def _word_segmenter():
    """underthesea's word segmentation CRF (VLSP 2013), the model `word_tokenize` loads."""
    from . import io
    from .crf import CRFTagger

    model = config.underthesea_dir() / "pipeline" / "word_tokenize" / "models" / "ws_crf_vlsp2013_20230727"
    return io.cached("word-crf", lambda: CRFTagger(model))


@functools.cache
def _pos_tagger():
    """underthesea's POS CRF (VLSP 2013, the `pos_tag(model="v2.0")` model), run on the words we already
    have: `pos_tag()` itself would tokenize the sentence again. Tags come as "B-Np"."""
    from . import io
    from .crf import CRFTagger

    model = config.underthesea_dir() / "pipeline" / "pos_tag" / "models" / "pos_crf_vlsp2013_20230303"
    return io.cached("pos-crf", lambda: CRFTagger(model))


# The underthesea modules segment calls: the token normalization, the syllable pattern and sentences, in the order
# underthesea's own __init__ reaches them (text_normalize and word_tokenize import each other).
_UNDERTHESEA_MODULES = ("pipeline.text_normalize.token_normalize", "pipeline.text_normalize.character_normalize",
                        "pipeline.word_tokenize.regex_tokenize", "pipeline.sent_tokenize")


def _underthesea(name: str) -> ModuleType:
    return _underthesea_modules()[name]


@functools.cache
def _underthesea_modules() -> dict[str, ModuleType]:
    """underthesea's modules that segment calls. Unless underthesea is imported already, they come without running
    the package's __init__, which imports ner, pos_tag and chunk, and with them three copies of a 74k-word
    dictionary that segment never reads: about 50 MB and 0.25 s per process. What this imports is removed from
    `sys.modules` again, so a later `import underthesea` gets the whole package, as usual."""
    import importlib
    import importlib.util
    import sys

    if "underthesea" in sys.modules:
        return {name: importlib.import_module(f"underthesea.{name}") for name in _UNDERTHESEA_MODULES}
    before = set(sys.modules)
    sys.modules["underthesea"] = importlib.util.module_from_spec(importlib.util.find_spec("underthesea"))
    try:
        return {name: importlib.import_module(f"underthesea.{name}") for name in _UNDERTHESEA_MODULES}
    finally:
        for module in set(sys.modules) - before:
            if module == "underthesea" or module.startswith("underthesea."):
                del sys.modules[module]


def _skippable(char: str) -> bool:
    """Whitespace and stray combining marks (NFD input) carry no base letter to match."""
    return char.isspace() or unicodedata.combining(char) > 0


@functools.lru_cache(maxsize=4096)
def _fold(char: str) -> str:
    """Base letter of a character: 'ò', 'ó' and NFD 'o'+'̀' all fold to 'o'; 'đ' to 'd'."""
    base = unicodedata.normalize("NFD", char)[:1].lower()
    return "d" if base == "đ" else base


def align(text: str, pieces: list[str]) -> list[tuple[int, int]]:
    """Character spans of `pieces` (tokenizer output, possibly rewritten) in `text`.

    Matches piece characters to text characters by base letter, skipping whitespace on both
    sides, so rewritten tone marks and inserted or removed spaces still land on the original.
    A piece that cannot be matched gets an empty span at the current position.

    >>> align("Hoà Bình 6.071km2", ["Hòa Bình", "6.071", "km2"])
    [(0, 8), (9, 14), (14, 17)]
    """
    keys: list[str] | None = None  # folded text, built only when a piece was rewritten
    spans, pos, n = [], 0, len(text)
    combining = unicodedata.combining
    for piece in pieces:
        while pos < n and (text[pos].isspace() or combining(text[pos])):  # _skippable, inlined in the hot loop
            pos += 1
        # Most pieces are the text itself: the slow match below would find exactly this span.
        if piece and text.startswith(piece, pos) and not _skippable(piece[0]) and not _skippable(piece[-1]):
            spans.append((pos, pos + len(piece)))
            pos += len(piece)
            continue
        if keys is None:
            keys = [_fold(c) for c in text]
        wanted = [_fold(c) for c in piece if not _skippable(c)]
        start = _find(keys, text, wanted, pos)
        if start is None:
            spans.append((pos, pos))
            continue
        cursor, end = start, start
        for key in wanted:
            while cursor < n and _skippable(text[cursor]):
                cursor += 1
            if cursor < n and keys[cursor] == key:
                cursor += 1
                end = cursor
        spans.append((start, end))
        pos = end
    return spans


def _find(keys: list[str], text: str, wanted: list[str], pos: int, window: int = 200) -> int | None:
    """First position at or after `pos` where `wanted` matches (whitespace-insensitive)."""
    if not wanted:
        return None
    for start in range(pos, min(len(keys), pos + window)):
        if keys[start] != wanted[0]:
            continue
        cursor, ok = start, True
        for key in wanted:
            while cursor < len(keys) and _skippable(text[cursor]):
                cursor += 1
            if cursor >= len(keys) or keys[cursor] != key:
                ok = False
                break
            cursor += 1
        if ok:
            return start
    return None
