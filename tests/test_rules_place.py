"""PLACE recognizers on hand-made underthesea words (no underthesea call)."""
from __future__ import annotations

import pytest

from pipeline.nlp.rules import Sentence, candidates, resolve, run_rule
from pipeline.text import DASHES


def spans(s: Sentence, found) -> list[tuple[str, str]]:
    return [(s.text[s.units[c.start].start:s.units[c.end - 1].end], c.label) for c in found]


def test_place_lexicon_with_canonical_and_type():
    s = Sentence.of("Đoàn rời Vientiane.", "Đoàn/N rời/V Vientiane/Np ./CH")
    found = run_rule(s, "place_lexicon")
    assert spans(s, found) == [("Vientiane", "PLACE")]
    assert found[0].attrs == {"canonical": "Viêng Chăn", "type": "capital", "country": "Lào", "source": "place_lexicon"}


@pytest.mark.parametrize("text, spec", [
    ("Học tiếng Lào.", "Học/V tiếng/N Lào/Np ./CH"),                       # the language
    ("Họ là anh hùng.", "Họ/P là/V anh_hùng/N ./CH"),                      # "Anh" is also a common word
    ("Người Việt ở đây.", "Người/N Việt/Np ở/E đây/P ./CH"),                # "Việt" only in a pair
])
def test_place_lexicon_vetoes(text, spec):
    assert run_rule(Sentence.of(text, spec), "place_lexicon") == []


@pytest.mark.parametrize("dash", sorted(DASHES - {"-"}))
def test_short_form_counts_in_a_pair_with_any_dash(dash):
    text = f"Quan hệ Việt {dash} Lào phát triển."
    s = Sentence.of(text, f"Quan_hệ/N Việt/Np {dash}/CH Lào/Np phát_triển/V ./CH")
    assert spans(s, run_rule(s, "place_lexicon")) == [("Việt", "PLACE"), ("Lào", "PLACE")]


def test_place_trigger_names_after_a_type_word():
    s = Sentence.of("Về xã Bình Hiệp và Bình Thanh, tỉnh Quảng Ngãi.",
                    "Về/V xã/N Bình_Hiệp/Np và/Cc Bình_Thanh/Np ,/CH tỉnh/N Quảng_Ngãi/Np ./CH")
    assert spans(s, run_rule(s, "place_trigger")) == [("Bình Hiệp", "PLACE"), ("Bình Thanh", "PLACE"),
                                                      ("Quảng Ngãi", "PLACE")]
    s = Sentence.of("Qua đèo Hải Vân.", "Qua/V đèo/N Hải_Vân/Np ./CH")
    assert run_rule(s, "place_trigger")[0].attrs["canonical"] == "đèo Hải Vân"


def test_located_place_after_a_preposition_but_not_a_body():
    s = Sentence.of("Giao tranh tại Deir Ezzor.", "Giao_tranh/V tại/E Deir_Ezzor/Np ./CH")
    assert spans(s, run_rule(s, "located_place")) == [("Deir Ezzor", "PLACE")]
    s = Sentence.of("Họp tại Bộ Ngoại giao.", "Họp/V tại/E Bộ/N Ngoại_giao/N ./CH")
    assert run_rule(s, "located_place") == []


def test_the_type_word_stays_outside_the_place():
    s = Sentence.of("Đến TP Đà Nẵng.", "Đến/V TP/Ny Đà_Nẵng/Np ./CH")
    assert [(s.text[m.start:m.end], m.label) for m in resolve(s, candidates(s))] == [("Đà Nẵng", "PLACE")]


def test_a_place_inside_a_longer_name_loses_to_it():
    s = Sentence.of("Đọc báo Hà Nội Times.", "Đọc/V báo/N Hà_Nội_Times/Np ./CH")
    assert [(s.text[m.start:m.end], m.label) for m in resolve(s, candidates(s))] == [("báo Hà Nội Times", "ORG")]
