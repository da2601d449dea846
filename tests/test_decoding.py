"""Decoding by evidence: no garbled text enters `documents`; legacy Vietnamese encodings are converted."""
import pytest

from conftest import ROOT, SENTENCE, raw_frame, tcvn3_writable, to_cp1258, to_tcvn3, to_vni
from pipeline import decoding
from pipeline.ingest import ingest

ARTICLES = sorted((ROOT / "data" / "raw").glob("*.txt"))


def _article(path) -> str:
    return path.read_text(encoding="utf-8")


def _one(name: str, payload: bytes):
    documents, rejected = ingest(raw_frame((name, payload)))
    return documents, rejected


def _kept(name: str, payload: bytes):
    documents, rejected = _one(name, payload)
    assert rejected.empty, rejected.reason.tolist()
    return documents.iloc[0]


def _clean_text(text: str) -> str:
    return _kept("clean.txt", text.encode("utf-8")).text


def test_a_stray_byte_in_utf8_is_replaced_and_flagged_not_read_as_utf16():
    doc = _kept("stray.txt", SENTENCE.encode("utf-8") + b"\xff\n")
    assert doc.text == SENTENCE + "\ufffd"
    assert list(doc["flags"]) == ["replaced_bytes"]


def test_a_stray_byte_after_a_utf8_bom_keeps_no_bom():
    doc = _kept("bom.txt", "\ufeff".encode() + SENTENCE.encode("utf-8") + b"\xff")
    assert doc.text == SENTENCE + "\ufffd"


def test_many_invalid_bytes_are_rejected_not_kept():
    documents, rejected = _one("noisy.txt", SENTENCE.encode("utf-8").replace(b" ", b"\xff"))
    assert documents.empty
    assert rejected.reason_code.tolist() == ["undecodable"]


def test_even_length_binary_garbage_is_rejected_naming_what_was_tried():
    documents, rejected = _one("garbage.txt", bytes(range(0x80, 0x100)) * 4)
    assert documents.empty
    assert rejected.reason_code.tolist() == ["undecodable"]
    assert "not UTF-8" in rejected.reason.iloc[0] and "Windows-1258" in rejected.reason.iloc[0]


def test_latin1_french_is_not_taken_for_vietnamese():
    documents, rejected = _one("fr.txt", "Le café était très bon à Paris, où nous étions hier.".encode("latin-1"))
    assert documents.empty and rejected.reason_code.tolist() == ["undecodable"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_is_read_with_a_bom_or_by_its_nul_bytes(encoding):
    doc = _kept("u16.txt", SENTENCE.encode(encoding))
    assert doc.text == SENTENCE and list(doc["flags"]) == []


def test_nul_bytes_without_the_utf16_pattern_are_binary():
    documents, rejected = _one("bin.txt", b"PK\x03\x04\x00\x00\x08\x00" + SENTENCE.encode())
    assert documents.empty and rejected.reason.tolist() == ["binary file (NUL bytes)"]


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_real_articles_in_windows_1258_are_read_back_exactly(path):
    doc = _kept(path.name, to_cp1258(_article(path)))
    assert doc.text == _clean_text(_article(path))
    assert list(doc["flags"]) == ["legacy_encoding"]


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_real_articles_in_vni_are_converted(path):
    doc = _kept(path.name, to_vni(_article(path)))
    assert doc.text == _clean_text(_article(path))
    assert list(doc["flags"]) == ["legacy_encoding"]


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_real_articles_in_tcvn3_are_converted(path):
    text = tcvn3_writable(_article(path))
    doc = _kept(path.name, to_tcvn3(text))
    assert doc.text == _clean_text(text)
    assert list(doc["flags"]) == ["legacy_encoding"]


def test_the_vni_and_tcvn3_tables_agree_with_known_spellings():
    assert decoding.read_vni("Saùng 6/1, Thuû töôùng".encode("cp1252")) == "Sáng 6/1, Thủ tướng"
    assert decoding.read_vni("Ñaïi hoäi Ñaûng laàn thöù XIV".encode("cp1252")) == "Đại hội Đảng lần thứ XIV"
    assert decoding.read_tcvn3(b"Vi\xd6t Nam, H\xb5 N\xe9i, \xae\xb8") == "Việt Nam, Hà Nội, đá"
    assert len(decoding._tcvn3_table()) == 127 and len(decoding._vni_table()) == 52


def test_vni_mojibake_saved_as_utf8_is_converted():
    doc = _kept("vni.txt", "Saùng 6/1, Thuû töôùng Phaïm Minh Chính ñeán Haø Noäi.".encode("utf-8"))
    assert doc.text == "Sáng 6/1, Thủ tướng Phạm Minh Chính đến Hà Nội."
    assert list(doc["flags"]) == ["legacy_encoding"]


def test_html_saved_as_txt_keeps_only_its_text():
    page = ("<!DOCTYPE html><html><head><title>Báo</title><style>p {color: red}</style>"
            "<script>var leader = 'Thủ tướng Phạm Minh Chính';</script></head><body>"
            "<nav><a href='/'>Trang chủ</a> | <a href='/tg'>Thế giới</a></nav>"
            "<h1>Tổng Bí thư thăm Lào</h1><p>Sáng 5/2, Tổng Bí thư Tô Lâm đến thủ đô Viêng Chăn.</p>"
            "<p>Hai bên ký 10 văn kiện&nbsp;hợp tác.</p></body></html>")
    doc = _kept("page.txt", page.encode("utf-8"))
    assert doc.text == ("Tổng Bí thư thăm Lào\nSáng 5/2, Tổng Bí thư Tô Lâm đến thủ đô Viêng Chăn.\n"
                        "Hai bên ký 10 văn kiện hợp tác.")
    assert doc.format == "html" and list(doc["flags"]) == ["html_stripped"]


def test_a_txt_mentioning_angle_brackets_is_not_html():
    doc = _kept("math.txt", "Tăng trưởng <5% nhưng lạm phát > 3%.".encode("utf-8"))
    assert doc.format == "txt" and list(doc["flags"]) == []


def test_text_in_another_language_is_kept_and_flagged():
    english = "The Prime Minister met the President of Laos in Vientiane on Monday to discuss the railway."
    doc = _kept("en.txt", english.encode("utf-8"))
    assert doc.text == english and list(doc["flags"]) == ["not_vietnamese"]
    assert list(_kept("vi.txt", _article(ARTICLES[0]).encode("utf-8"))["flags"]) == []


@pytest.mark.parametrize("word, valid", [
    ("nghiêng", True), ("quốc", True), ("giữa", True), ("người", True), ("khuya", True), ("thuở", True),
    ("hoà", True), ("hòa", True), ("tướng", True),
    ("saùng", False), ("thuû", False), ("töôùng", False), ("the", True), ("and", False), ("ặng", True), ("ằả", False),
])
def test_vietnamese_syllables(word, valid):
    assert decoding.is_syllable(word) is valid
