"""Document-level evidence (`pipeline.nlp.rules.document`) on hand-made sentence Docs: propagation of
names to their other occurrences, acronyms defined in parentheses, clubs in match reports, names
written bare and repeated."""
from __future__ import annotations

import pytest

from pipeline.nlp import make_nlp
from pipeline.nlp.rules import Mention, resolve_document
from pipeline.nlp.tokenizer import doc_from_spans


def docs_of(*sentences):
    """Sentence Docs from (text, [word surfaces], [(surface, label, attrs)]) with their mentions set by hand."""
    vocab = make_nlp().vocab
    docs, texts = [], []
    for text, words, mentions in sentences:
        spans, cursor = [], 0
        for w in words:
            start = text.index(w, cursor)
            spans.append((start, start + len(w)))
            cursor = start + len(w)
        doc = doc_from_spans(vocab, text, spans)
        doc._.mentions = [Mention(text.index(m), text.index(m) + len(m), label, attrs) for m, label, attrs in mentions]
        docs.append(doc)
        texts.append(text)
    return docs, texts


def found(docs, texts):
    return [[(t[m.start:m.end], m.label, m.attrs.get("source")) for m in d._.mentions] for d, t in zip(docs, texts)]


def test_a_name_is_propagated_to_its_other_occurrences_without_the_title():
    docs, texts = docs_of(
        ("Tổng Bí thư Tô Lâm thăm Lào.", ["Tổng Bí thư", "Tô Lâm", "thăm", "Lào", "."],
         [("Tô Lâm", "LEADER", {"title": "Tổng Bí thư", "source": "titled_person"})]),
        ("Tô Lâm nói.", ["Tô Lâm", "nói", "."], []))
    resolve_document(docs, texts)
    assert found(docs, texts)[1] == [("Tô Lâm", "LEADER", "propagated")]
    assert "title" not in docs[1]._.mentions[0].attrs


def test_given_name_alias_only_as_a_whole_word_apart_from_capitals():
    docs, texts = docs_of(
        ("Ông Phạm Minh Chính phát biểu.", ["Ông", "Phạm Minh Chính", "phát biểu", "."],
         [("Phạm Minh Chính", "LEADER", {"title": "Ông", "source": "titled_person"})]),
        ("Chính nói với Chính phủ.", ["Chính", "nói", "với", "Chính phủ", "."], []))
    resolve_document(docs, texts)
    assert found(docs, texts)[1] == [("Chính", "LEADER", "propagated")]  # not the "Chính" of "Chính phủ"


def test_single_words_are_not_propagated_but_acronyms_are():
    docs, texts = docs_of(
        ("Đảng và EVN họp.", ["Đảng", "và", "EVN", "họp", "."],
         [("Đảng", "ORG", {"source": "org_head"}), ("EVN", "ORG", {"source": "org_alias"})]),
        ("Đảng lãnh đạo, EVN thực hiện.", ["Đảng", "lãnh đạo", ",", "EVN", "thực hiện", "."], []))
    resolve_document(docs, texts)
    assert found(docs, texts)[1] == [("EVN", "ORG", "propagated")]


def test_an_acronym_keeps_the_label_it_was_defined_with():
    docs, texts = docs_of(
        ("Sân bay quốc tế Techo (TIA) khai trương.", ["Sân bay", "quốc tế", "Techo", "(", "TIA", ")", "khai trương", "."],
         [("Sân bay quốc tế Techo", "PROJECT", {"kind": "other", "source": "project"}),
          ("TIA", "PROJECT", {"kind": "other", "source": "paren_acronym"})]),
        ("TIA sẽ đón khách.", ["TIA", "sẽ", "đón", "khách", "."], [("TIA", "ORG", {"source": "org_alias"})]))
    resolve_document(docs, texts)
    assert found(docs, texts)[1] == [("TIA", "PROJECT", "propagated")]


def test_bare_cities_are_clubs_in_a_match_report_only():
    sentence = ("Bình Dương thắng, HLV nói đội bóng ghi bàn phút 90 trên sân, tiền đạo ghi bàn.",
                ["Bình Dương", "thắng", ",", "HLV", "nói", "đội bóng", "ghi bàn", "phút", "90", "trên", "sân", ",",
                 "tiền đạo", "ghi bàn", "."],
                [("Bình Dương", "PLACE", {"type": "province", "source": "place_lexicon"})])
    docs, texts = docs_of(sentence)
    resolve_document(docs, texts)
    assert found(docs, texts)[0] == [("Bình Dương", "ORG", "match_report")]
    docs, texts = docs_of(("Bình Dương phát triển.", ["Bình Dương", "phát triển", "."],
                           [("Bình Dương", "PLACE", {"type": "province", "source": "place_lexicon"})]))
    resolve_document(docs, texts)
    assert found(docs, texts)[0] == [("Bình Dương", "PLACE", "place_lexicon")]


def test_an_acronym_defined_in_parentheses_is_found_again_with_any_label():
    docs, texts = docs_of(
        ("Sân bay Long Thành (LTIA) mở cửa.", ["Sân bay", "Long Thành", "(", "LTIA", ")", "mở cửa", "."],
         [("Sân bay Long Thành", "PROJECT", {"source": "project"}), ("LTIA", "PROJECT", {"source": "paren_acronym"})]),
        ("LTIA đón khách.", ["LTIA", "đón", "khách", "."], []))
    resolve_document(docs, texts)
    assert found(docs, texts)[1] == [("LTIA", "PROJECT", "propagated")]


def tagged_docs(*sentences):
    """Sentence Docs from "word/TAG word_word/TAG" specs (underscores join a word's syllables), no mentions."""
    vocab = make_nlp().vocab
    docs, texts = [], []
    for spec in sentences:
        words = [w.rsplit("/", 1) for w in spec.split()]
        text, spans = "", []
        for surface, _ in words:
            surface = surface.replace("_", " ")
            if text and surface not in ",.:;)" and not text.endswith("("):
                text += " "
            spans.append((len(text), len(text) + len(surface)))
            text += surface
        doc = doc_from_spans(vocab, text, spans, [tag for _, tag in words])
        doc._.mentions = []
        docs.append(doc)
        texts.append(text)
    return docs, texts


def test_a_given_name_repeated_bare_is_a_person_even_glued_to_its_verb():
    docs, texts = tagged_docs("Rồi/C Ngọc_mở/V cửa/N ./CH", "Anh/P hiểu/V Ngọc/Np đang/R buồn/A ./CH",
                              "Câu/N nói/V của/E Ngọc/Np ./CH")
    resolve_document(docs, texts)
    assert [f for f in found(docs, texts) if f] == [[("Ngọc", "LEADER", "bare_name")]] * 3


@pytest.mark.parametrize("sentences", [
    ("Anh/P gặp/V Ngọc/Np ./CH",),  # seen once: not enough
    ("Người/N Dao/Np sống/V ở/E núi/N ./CH", "Nhà/N người/N Dao/Np ,/CH Dao/Np đẹp/A ./CH"),  # after a noun: a kind
    ("Trúng/V Jackpot/Np 2/M ,/CH rồi/R Jackpot/Np tăng/V ./CH", "Giải/N có/V Jackpot/Np 1/M ./CH"),  # numbered
    ("Ông/N dự/V Lễ/Np động_thổ/V ,/CH rồi/R Lễ/Np kết_thúc/V ./CH", "Buổi/N lễ/N vui/A ./CH"),  # written lowercase too
    ("Dùng/V Messenger/Np ,/CH rồi/R Messenger/Np chạy/V ./CH",),  # an English common word
    ("Tôi/P gặp/V Lào/Np ,/CH và/C Lào/Np nói/V ./CH",),  # a place
])
def test_what_is_not_a_bare_name(sentences):
    docs, texts = tagged_docs(*sentences)
    resolve_document(docs, texts)
    assert not [m for d in docs for m in d._.mentions if m.attrs.get("source") == "bare_name"]


def test_a_foreign_name_repeated_bare_is_a_person_or_what_its_list_neighbours_are():
    docs, texts = tagged_docs("Khi/N đó/P ,/CH Paulinho/Np ghi_bàn/V ./CH", "Báo/N khen/V Paulinho/Np ./CH")
    resolve_document(docs, texts)
    assert [m.label for d in docs for m in d._.mentions] == ["LEADER", "LEADER"]
