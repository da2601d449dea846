"""pipeline/crf.py must tag exactly as underthesea_core does, on real news and on odd tokens."""
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import segment as seg
from pipeline.crf import is_digit, is_title, read_crfsuite

ROOT = Path(__file__).resolve().parent.parent


def _reference(model_dir: Path):
    """underthesea's own loader and tagger for the same model directory."""
    from underthesea.models.fast_crf_sequence_tagger import FastCRFSequenceTagger

    tagger = FastCRFSequenceTagger()
    tagger.load(str(model_dir))
    return lambda tokens: tagger.predict([[t] for t in tokens]) if tokens else []


def _model_dir(module_name: str, name: str) -> Path:
    import importlib

    return Path(importlib.import_module(module_name).__file__).parent / "models" / name


WS = ("underthesea.pipeline.word_tokenize", "ws_crf_vlsp2013_20230727", seg._word_segmenter)
POS = ("underthesea.pipeline.pos_tag", "pos_crf_vlsp2013_20230303", seg._pos_tagger)


def _raw_sentences() -> list[str]:
    """Sentences of data/raw and of the news fixtures (tests/fixtures/*.jsonl)."""
    import json

    from underthesea import sent_tokenize

    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "raw").glob("*.txt"))]
    for path in sorted((ROOT / "tests" / "fixtures").glob("*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [s for text in texts for line in text.splitlines() if line.strip() for s in sent_tokenize(line)]


@pytest.fixture(scope="module")
def sentences():
    found = _raw_sentences()
    assert len(found) > 100
    return found


def test_words_are_word_tokenize_words_on_real_news(sentences):
    from underthesea import word_tokenize

    ours = [[sentence[s:e] for (s, e), _ in words] for sentence, words in zip(sentences, seg.tag_sentences(sentences))]
    theirs = [[w for w in word_tokenize(s)] for s in sentences]
    aligned = [[sentence[s:e] for s, e in seg.align(sentence, words)] for sentence, words in zip(sentences, theirs)]
    assert ours == [[w for w in words if w] for words in aligned]


def test_syllables_are_regex_tokenizes_on_real_news(sentences):
    from underthesea.pipeline.word_tokenize.regex_tokenize import tokenize

    assert [seg.syllables_of(s) for s in sentences] == [tokenize(s) for s in sentences]


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet="HoàaÒò Đđ.,-/:@0123456789%kmTPVNĐhSs'’&\t\u00a0\u0300\u0301", max_size=30))
def test_syllables_are_regex_tokenizes_on_odd_text(text):
    from underthesea.pipeline.word_tokenize.regex_tokenize import tokenize

    assert seg.syllables_of(text) == tokenize(text)


@pytest.mark.parametrize("module_name, name, ours", [WS, POS])
def test_labels_equal_underthesea_core_on_real_news(sentences, module_name, name, ours):
    from underthesea import word_tokenize
    from underthesea.pipeline.word_tokenize.regex_tokenize import tokenize

    reference = _reference(_model_dir(module_name, name))
    split = tokenize if ours is seg._word_segmenter else word_tokenize
    token_lists = [split(s) for s in sentences]
    assert ours().tag_many(token_lists) == [reference(tokens) for tokens in token_lists]


# Tokens that exercise every feature rule: case, digits and signs, the BOS/EOS words themselves,
# dictionary words, letters whose case maps differ, and (for POS) words with spaces.
ODD = ["Hà", "Nội", "hà", "nội", "BOS", "EOS", "True", "2024", "-7", "+3", "007", "2147483648", "-2147483648",
       "12/12", "ß", "İ", "Σ", "ς", "ǅ", "ﬁ", "5G", "COVID-19", "TP.HCM", ",", "(", "=", "a=b", "nhà máy", "Hà Nội",
       "ủy ban", "Ủy Ban", "x\u0301", "đ", "Đ", "iPhone"]
token_lists = st.lists(st.sampled_from(ODD) | st.text(alphabet="aAđĐ1-=.Σß", min_size=1, max_size=4), max_size=12)


@pytest.mark.parametrize("module_name, name, ours", [WS, POS])
@settings(max_examples=150, deadline=None)
@given(batch=st.lists(token_lists, min_size=1, max_size=6))
def test_labels_equal_underthesea_core_on_odd_tokens(module_name, name, ours, batch):
    reference = _reference_cached(module_name, name)
    assert ours().tag_many(batch) == [reference(tokens) for tokens in batch]


_REFERENCES: dict = {}


def _reference_cached(module_name, name):
    if name not in _REFERENCES:
        _REFERENCES[name] = _reference(_model_dir(module_name, name))
    return _REFERENCES[name]


@pytest.mark.parametrize("text, expected", [("2024", "True"), ("-7", "True"), ("+3", "True"), ("007", "True"),
                                            ("2147483647", "True"), ("2147483648", "False"), ("-2147483648", "True"),
                                            ("", "False"), ("-", "False"), ("1.5", "False"), ("١٢", "False"),
                                            ("1 2", "False")])
def test_is_digit_is_rusts_i32_parse(text, expected):
    assert is_digit(text) == expected


@pytest.mark.parametrize("text, expected", [("Hà Nội", "True"), ("Hà nội", "False"), ("5G", "True"), (",", "True"),
                                            ("iPhone", "False"), ("ß", "False"), ("ǅ", "False"), ("Đà", "True")])
def test_is_title_looks_at_each_parts_first_character(text, expected):
    assert is_title(text) == expected


def test_a_file_that_is_no_crfsuite_model_is_refused(tmp_path):
    path = tmp_path / "models.bin"
    path.write_bytes(b"UTCF0000")
    with pytest.raises(ValueError, match="not a CRFsuite model"):
        read_crfsuite(path)


def test_an_empty_batch_and_empty_sentences_give_empty_labels():
    assert seg._word_segmenter().tag_many([[], []]) == [[], []]
    assert seg._word_segmenter().tag_many([["Hà"], []])[1] == []
