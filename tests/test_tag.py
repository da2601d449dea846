"""Stage 3: the spaCy side is rebuilt when its vocabulary grows past the limit, with the same mentions."""
import pandas as pd

import pipeline.tag
from pipeline.ingest import ingest
from pipeline.nlp import make_nlp
from pipeline.segment import segment


def _docs(text):
    docs, _ = ingest(pd.DataFrame([{"source": "a.txt", "format": "txt", "payload": text.encode()}]))
    return docs


def test_a_vocabulary_past_the_limit_starts_a_new_one_with_the_same_mentions(monkeypatch):
    docs = _docs("Thủ tướng Phạm Minh Chính thăm Hà Nội ngày 5/2/2025.\nÔng Nguyễn Văn A đến Lào.")
    before = pipeline.tag.tag(docs, *segment(docs))
    old = make_nlp()
    monkeypatch.setattr(pipeline.tag, "VOCABULARY_LIMIT", 1)
    after = pipeline.tag.tag(docs, *segment(docs))
    assert make_nlp() is not old
    pd.testing.assert_frame_equal(before, after)
