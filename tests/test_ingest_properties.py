"""Property tests: ingest over arbitrary bytes and arbitrary Unicode never fails, loses or garbles an input."""
import hashlib
import json
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import raw_frame
from pipeline.ingest import ingest
from pipeline.segment import segment

FLAGS = {"replaced_bytes", "legacy_encoding", "html_stripped", "not_vietnamese"}
CODES = {"empty", "undecodable", "too_long", "duplicate_id", "bad_record", "unknown_type"}

# Vietnamese letters (composed and as NFD marks), zero-width characters, controls, other scripts, surrogates.
TRICKY = st.one_of(
    st.sampled_from("aăâeêioôơuưyđAĂÂĐ ạảãáàềểễếệ \n\t\r"),
    st.sampled_from("\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b"),
    st.sampled_from("\u200b\u200c\u200d\ufeff\u00ad\u2028\u0085\x00\x07\x1b\x7f"),
    st.sampled_from("漢字日本한국어кириллицаالعربيةעברית"),
    st.characters(),
    st.characters(categories=["Cs"]),
)
texts = st.one_of(
    st.text(TRICKY, max_size=200),
    # a lone surrogate, as a JSON escape ("\ud800") gives it, somewhere inside ordinary text
    st.builds(lambda before, surrogate, after: before + surrogate + after,
              st.text(TRICKY, max_size=50), st.characters(categories=["Cs"]), st.text(TRICKY, max_size=50)),
)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(raw, documents, rejected):
    """Each file (or record) once, in documents or rejected; kept documents are NFC and self-consistent."""
    assert set(rejected.reason_code) <= CODES
    for doc in documents.itertuples():
        assert unicodedata.is_normalized("NFC", doc.text) and doc.text == doc.text.strip() and doc.text
        assert doc.n_chars == len(doc.text)
        assert doc.sha256 == hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
        assert set(doc.flags) <= FLAGS
        assert doc.format in ("txt", "html", "jsonl", "csv")
    assert documents.doc_id.is_unique


@SETTINGS
@given(payload=st.binary(max_size=300), suffix=st.sampled_from(["txt", "jsonl", "csv", "md"]))
def test_any_bytes_become_documents_or_rejections(payload, suffix):
    raw = raw_frame((f"f.{suffix}", payload))
    documents, rejected = ingest(raw)
    _check(raw, documents, rejected)
    if suffix in ("txt", "md"):
        assert len(documents) + len(rejected) == 1


@SETTINGS
@given(text=texts)
def test_any_unicode_text_file_is_one_document_or_one_rejection(text):
    raw = raw_frame(("f.txt", text.encode("utf-8", "surrogatepass")))
    documents, rejected = ingest(raw)
    _check(raw, documents, rejected)
    assert len(documents) + len(rejected) == 1


@SETTINGS
@given(records=st.lists(st.tuples(st.text(TRICKY, max_size=8), texts), max_size=5))
def test_any_unicode_records_each_become_a_document_or_a_rejection(records):
    lines = [json.dumps({"id": doc_id, "text": text}) for doc_id, text in records]
    raw = raw_frame(("f.jsonl", "\n".join(lines).encode("utf-8")))
    documents, rejected = ingest(raw)
    _check(raw, documents, rejected)
    assert len(documents) + len(rejected) == len(records)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts)
def test_kept_documents_segment_with_offsets_that_round_trip(text):
    documents, _ = ingest(raw_frame(("f.txt", text.encode("utf-8", "surrogatepass"))))
    sentences, tokens = segment(documents)
    for table in (sentences, tokens):
        for row in table.itertuples():
            assert documents.text.iloc[0][row.start:row.end] == row.text
