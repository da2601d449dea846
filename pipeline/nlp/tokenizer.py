"""A spaCy tokenizer that produces underthesea's word segmentation, losslessly (`doc.text == text`)."""
from __future__ import annotations

import re
from collections.abc import Sequence

from . import import_spacy

spacy = import_spacy()
from spacy.tokens import Doc  # noqa: E402  (spaCy first, without its command line)
from spacy.vocab import Vocab  # noqa: E402

TOKENIZER_NAME = "vi_underthesea_tokenizer.v1"

# What `doc_from_spans` knew when it built the Doc, kept so that the components and the document rules read
# plain Python values: spaCy rebuilds `doc.text` and a Token object per token on every access. The pipeline
# never retokenizes a Doc, so they stay true; `doc_text` and `doc_words` read the Doc itself when they are unset.
for _name in ("text", "words"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)

_GAP_PIECES = re.compile(r"\s+|\S+")

# underthesea (VLSP) POS tags → Universal POS, so spaCy's `token.pos_` is meaningful too.
UPOS = {
    "N": "NOUN", "Nc": "NOUN", "Nu": "NOUN", "Ny": "NOUN", "Nb": "NOUN", "Np": "PROPN",
    "V": "VERB", "Vb": "VERB", "Vy": "VERB", "A": "ADJ", "Ab": "ADJ", "P": "PRON", "R": "ADV",
    "L": "DET", "M": "NUM", "E": "ADP", "C": "CCONJ", "Cc": "CCONJ", "I": "INTJ", "T": "PART",
    "B": "X", "Y": "X", "S": "X", "X": "X", "Z": "X", "CH": "PUNCT",
}


def doc_from_spans(vocab: Vocab, text: str, spans: Sequence[tuple[int, int]],
                   tags: Sequence[str] | None = None, token_tags: bool = True) -> Doc:
    """A lossless Doc whose tokens are the given character spans of `text`.

    Characters between spans become whitespace (`token.whitespace_`) or tokens of their own, so
    `doc.text == text` always holds. The tags are in `doc._.words` (what the components read) and, with
    `token_tags`, in `token.tag_` and `token.pos_` too; the tag stage leaves those out, as spaCy takes
    longer to set them than our components take to run on some sentences.

    >>> from spacy.vocab import Vocab
    >>> doc_from_spans(Vocab(), "Tô Lâm  đến Lào", [(0, 6), (8, 11), (12, 15)]).text
    'Tô Lâm  đến Lào'
    """
    words: list[str] = []
    spaces: list[bool] = []
    word_tags: list[str] = []
    cursor = 0

    def add_gap(gap: str) -> None:
        # A single space after a word is its trailing whitespace; anything else is a token.
        if gap.startswith(" ") and words and not spaces[-1]:
            spaces[-1] = True
            gap = gap[1:]
        if not gap:
            return  # most words are separated by one space, or nothing
        for piece in _GAP_PIECES.findall(gap):
            if piece == " " and words and not spaces[-1]:
                spaces[-1] = True
                continue
            words.append(piece)
            spaces.append(False)
            word_tags.append("_SP" if piece.isspace() else "CH")

    for i, (start, end) in enumerate(spans):
        if start < cursor or end <= start:
            continue
        add_gap(text[cursor:start])
        words.append(text[start:end])
        spaces.append(False)
        word_tags.append(tags[i] if tags is not None else "")
        cursor = end
    add_gap(text[cursor:])
    if tags is None or not token_tags:
        doc = Doc(vocab, words=words, spaces=spaces)
    else:  # set in Cython by the constructor: token by token from Python costs more than the rules
        doc = Doc(vocab, words=words, spaces=spaces, tags=word_tags,
                  pos=["SPACE" if tag == "_SP" else UPOS.get(tag, "X") for tag in word_tags])
    kept, idx = [], 0  # (start, end, text, tag) of every non-space token, as `doc_words` reads them from a Doc
    for word, space, tag in zip(words, spaces, word_tags if tags is not None else [""] * len(words)):
        if not word.isspace():
            kept.append((idx, idx + len(word), word, tag))
        idx += len(word) + space
    assert "".join(map(str.__add__, words, map(" ".__mul__, spaces))) == text, "tokenizer must be lossless"
    doc._.text, doc._.words = text, kept
    return doc


def doc_text(doc: Doc) -> str:
    """`doc.text`, without rebuilding it from the tokens when `doc_from_spans` made the Doc."""
    text = doc._.text
    return text if text is not None else doc.text


def doc_words(doc: Doc) -> list[tuple[int, int, str, str]]:
    """The non-space tokens of a Doc as (start, end, text, tag), in order.

    >>> from spacy.vocab import Vocab
    >>> doc_words(doc_from_spans(Vocab(), "Tô Lâm  đến", [(0, 6), (8, 11)], ["Np", "V"]))
    [(0, 6, 'Tô Lâm', 'Np'), (8, 11, 'đến', 'V')]
    """
    words = doc._.words
    if words is None:
        words = doc._.words = [(t.idx, t.idx + len(t.text), t.text, t.tag_) for t in doc if not t.is_space]
    return words


class UnderTheSeaTokenizer:
    """Calls underthesea once per text and keeps its segmentation, mapped to the original characters."""

    def __init__(self, vocab: Vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        from ..segment import tag_words

        tagged = tag_words(text)
        return doc_from_spans(self.vocab, text, [span for span, _ in tagged], [tag for _, tag in tagged])

    # spaCy serializes tokenizers with the pipeline; this one has no state of its own.
    def to_bytes(self, **_):
        return b""

    def from_bytes(self, _data, **_):
        return self

    def to_disk(self, _path, **_):
        return None

    def from_disk(self, _path, **_):
        return self


@spacy.registry.tokenizers(TOKENIZER_NAME)
def create_tokenizer():
    def make(nlp):
        return UnderTheSeaTokenizer(nlp.vocab)

    return make
