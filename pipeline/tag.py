"""Stage 3 — tag: sentences + tokens → mentions.

Builds one spaCy Doc per sentence from the tokens already computed by `segment` (no second
tokenization), runs the entity components, then makes labels consistent across the document
(`pipeline.nlp.rules.document`): a name recognized once ("Tô Lâm" after a title) is recognized at its
other occurrences too.
"""
from __future__ import annotations

import json

import pandas as pd

# Strings spaCy's vocabulary may hold before the pipeline is built again: bounds a worker's memory on a long
# corpus (a spaCy memory zone per batch would rebuild the common words' lexemes every batch, 4% of the stage).
VOCABULARY_LIMIT = 200_000
MENTION_COLUMNS = ["mention_id", "doc_id", "sent_id", "start", "end", "text", "label", "entity_id",
                   "title", "source", "attrs"]


def tag(documents: pd.DataFrame, sentences: pd.DataFrame, tokens: pd.DataFrame) -> pd.DataFrame:
    """Mentions with exact document offsets; `attrs` (JSON) holds the normalized fields for `link`.

    >>> from pipeline.ingest import ingest
    >>> from pipeline.segment import segment
    >>> docs, _ = ingest(pd.DataFrame([{"source": "a.txt", "format": "txt",
    ...                                 "payload": "Tổng Bí thư Tô Lâm thăm Lào.".encode()}]))
    >>> tag(docs, *segment(docs))[["text", "label"]].values.tolist()
    [['Tô Lâm', 'LEADER'], ['Lào', 'PLACE']]
    """
    from .stages import require_columns

    require_columns("tag", documents=documents, sentences=sentences, tokens=tokens)
    from .nlp import make_nlp

    nlp = make_nlp()
    if len(nlp.vocab.strings) > VOCABULARY_LIMIT:  # every word seen stays in spaCy's vocabulary: start a new one
        make_nlp.cache_clear()
        nlp = make_nlp()
    dates = {d: (None if pd.isna(v) else str(v)) for d, v in zip(documents.doc_id, documents.date)}
    words = _sentence_words(tokens)
    by_doc: dict[str, list] = {}  # doc_id → [(sent_id, start, text)], in order of appearance
    for doc_id, *sentence in zip(sentences.doc_id.tolist(), sentences.sent_id.tolist(), sentences.start.tolist(),
                                 sentences.text.tolist()):
        by_doc.setdefault(doc_id, []).append(sentence)
    rows = []
    with nlp.select_pipes(disable=["vi_ents"]):  # doc.ents is for displaCy; the table reads doc._.mentions
        for doc_id, doc_sentences in by_doc.items():
            rows += _document_rows(nlp, doc_id, doc_sentences, words, dates.get(doc_id))
    return pd.DataFrame(rows, columns=MENTION_COLUMNS)


def _document_rows(nlp, doc_id: str, doc_sentences: list, words: dict, date: str | None) -> list[tuple]:
    """The mention rows of one document: its sentence Docs through the pipeline, then the document rules."""
    from .nlp.rules import resolve_document
    from .nlp.tokenizer import doc_from_spans

    docs, texts = [], [text for _, _, text in doc_sentences]
    for sent_id, offset, text in doc_sentences:
        starts, ends, tags = words.get((doc_id, sent_id), ((), (), ()))
        doc = doc_from_spans(nlp.vocab, text, [(s - offset, e - offset) for s, e in zip(starts, ends)],
                             tags, token_tags=False)  # the tags go to doc._.words
        ext = doc._  # spaCy makes a new `doc._` on each access
        ext.doc_id, ext.sent_id, ext.offset, ext.doc_date = doc_id, sent_id, offset, date
        docs.append(doc)
    docs = list(nlp.pipe(docs))
    resolve_document(docs, texts)  # document-level evidence: propagation, match reports
    rows = []
    for doc, text in zip(docs, texts):
        ext = doc._
        for m in ext.mentions:
            start, end = ext.offset + m.start, ext.offset + m.end
            attrs = dict(m.attrs)
            rows.append((f"{doc_id}:{start}-{end}", doc_id, ext.sent_id, start, end, text[m.start:m.end],
                         m.label, None, attrs.get("title"), attrs.pop("source"),
                         json.dumps(attrs, ensure_ascii=False, sort_keys=True)))
    return rows


def _sentence_words(tokens: pd.DataFrame) -> dict[tuple, tuple[list, list, list]]:
    """(doc_id, sent_id) → the starts, ends and POS tags of its tokens, cut where the key changes (segment writes
    a sentence's tokens together, so this is a few slices per sentence, not a step per token).

    >>> t = pd.DataFrame({"doc_id": ["d", "d", "d"], "sent_id": [0, 0, 1], "start": [0, 3, 7], "end": [2, 6, 9],
    ...                   "pos": ["Np", "V", "N"]})
    >>> _sentence_words(t)[("d", 0)]
    ([0, 3], [2, 6], ['Np', 'V'])
    """
    import numpy as np

    if not len(tokens):
        return {}
    doc_ids, sent_ids = tokens.doc_id.tolist(), tokens.sent_id.tolist()
    starts, ends, tags = tokens.start.tolist(), tokens.end.tolist(), tokens.pos.tolist()
    codes, sent = pd.factorize(tokens.doc_id)[0], tokens.sent_id.to_numpy()
    bounds = [0, *(np.flatnonzero((np.diff(codes) != 0) | (np.diff(sent) != 0)) + 1).tolist(), len(tokens)]
    words: dict[tuple, tuple[list, list, list]] = {}
    for b, e in zip(bounds, bounds[1:]):
        key = (doc_ids[b], sent_ids[b])
        if key in words:  # tokens not in sentence order: join the pieces
            words[key] = tuple(old + new for old, new in zip(words[key], (starts[b:e], ends[b:e], tags[b:e])))
        else:
            words[key] = (starts[b:e], ends[b:e], tags[b:e])
    return words
