import unicodedata

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import fresh_python
from pipeline.segment import align, paragraph_spans, segment

TEXT = ("Tổng Bí thư Tô Lâm hội đàm với Tổng Bí thư, Chủ tịch nước Lào Thongloun Sisoulith. "
        "Hai bên nhất trí.\nẢnh: TTXVN\n\nDiện tích 6.071km2, tỉnh Hoà Bình.")


def _segment(text):
    return segment(pd.DataFrame([{"doc_id": "d", "text": text}]))


def test_offsets_round_trip_for_every_sentence_and_token():
    sentences, tokens = _segment(TEXT)
    for row in sentences.itertuples():
        assert TEXT[row.start:row.end] == row.text
    for row in tokens.itertuples():
        assert TEXT[row.start:row.end] == row.text


def test_paragraph_breaks_split_captions_from_the_next_sentence():
    sentences, _ = _segment(TEXT)
    assert "Ảnh: TTXVN" in sentences.text.tolist()
    assert sentences.paragraph_id.tolist() == [0, 0, 1, 2]


def test_a_dot_inside_a_web_address_ends_no_sentence():
    sentences, _ = _segment("(Chinhphu.vn) - Sáng 19/12, lễ khởi công diễn ra. Hai bên nhất trí.")
    assert sentences.text.tolist() == ["(Chinhphu.vn) - Sáng 19/12, lễ khởi công diễn ra.", "Hai bên nhất trí."]


def test_rewritten_tokens_map_back_to_the_original_characters():
    _, tokens = _segment(TEXT)
    assert "Hoà Bình" in tokens.text.tolist()          # underthesea says "Hòa Bình"


def test_align_absorbs_inserted_spaces():
    assert align("6.071km2", ["6.071", "km2"]) == [(0, 5), (5, 8)]


def test_pos_tags_come_from_underthesea():
    _, tokens = _segment(TEXT)
    tags = dict(zip(tokens.text, tokens.pos))
    assert tags["Thongloun Sisoulith"] == "Np"
    assert tags["Tổng Bí thư"] == "N"


def test_token_ids_are_unique_and_ordered_within_a_document():
    _, tokens = _segment(TEXT)
    assert tokens.token_id.tolist() == list(range(len(tokens)))
    assert (tokens.start.diff().dropna() > 0).all()


def test_nfd_text_aligns():
    nfd = unicodedata.normalize("NFD", "Hoà Bình")
    assert align(nfd, ["Hòa Bình"]) == [(0, len(nfd))]


def test_paragraph_spans_skip_blank_lines_and_trim():
    assert paragraph_spans("  a b \n\n c\n") == [(2, 5), (9, 10)]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["Hòa", "Hoà", "Bình", "6.071km2", "-", "  ", "Lào", "\u00a0", "TP.HCM", "x"]),
                min_size=1, max_size=12))
def test_align_spans_are_monotonic_and_inside_the_text(parts):
    text = " ".join(parts)
    pieces = [p.replace("Hoà", "Hòa") for p in parts if p.strip()]
    spans = align(text, pieces)
    assert len(spans) == len(pieces)
    last = 0
    for s, e in spans:
        assert last <= s <= e <= len(text)
        last = e


def test_segment_runs_without_importing_the_whole_of_underthesea():
    """Its __init__ loads ner, pos_tag and chunk, with three copies of a word list segment never reads; a later
    `import underthesea` still gets the whole package."""
    probe = ("import sys; from pipeline.segment import segment; import pandas as pd; "
             "s, t = segment(pd.DataFrame([{'doc_id': 'd', 'text': 'Hoà Bình mưa. Huế nắng.'}])); "
             "print(len(s), len(t), 'underthesea' in sys.modules, 'underthesea.pipeline.ner' in sys.modules); "
             "from underthesea import ner, word_tokenize; print(word_tokenize('Hoà Bình, 6.071km2'))")
    assert fresh_python(probe) == ["2 6 False False", "['Hòa Bình', ',', '6.071', 'km2']"]
