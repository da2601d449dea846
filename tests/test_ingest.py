import datetime as dt
import unicodedata

from conftest import raw_frame
from pipeline.ingest import ingest


def test_txt_date_marker_on_the_same_line_as_the_body():
    docs, rejected = ingest(raw_frame(("data/raw/a.txt", " date 2026-02-05 (TBTCO) - Bộ Ngoại giao cho biết\n")))
    assert rejected.empty
    row = docs.iloc[0]
    assert row.doc_id == "a"
    assert row.date == dt.date(2026, 2, 5)
    assert row.text == "(TBTCO) - Bộ Ngoại giao cho biết"
    assert row.n_chars == len(row.text)


def test_txt_without_marker_keeps_the_whole_body_and_no_date():
    docs, _ = ingest(raw_frame(("b.txt", "Hà Nội, ngày 5/2\n\nĐoạn hai.")))
    assert docs.iloc[0].text == "Hà Nội, ngày 5/2\n\nĐoạn hai."
    assert docs.iloc[0].date is None


def test_nfd_input_is_normalized_to_nfc():
    nfd = unicodedata.normalize("NFD", "Hoà Bình")
    docs, _ = ingest(raw_frame(("c.txt", nfd)))
    assert docs.iloc[0].text == unicodedata.normalize("NFC", nfd)


def test_jsonl_and_csv_records_become_documents():
    jsonl = '{"id": "x1", "date": "2024-01-06", "text": "Sáng 6/1"}\n{"id": "x2", "text": "Lào"}\n'
    csv = "id,date,text\ny1,2025-01-24,\"Quảng Nam, Việt Nam\"\n"
    docs, rejected = ingest(raw_frame(("n.jsonl", jsonl), ("m.csv", csv)))
    assert rejected.empty
    assert docs.doc_id.tolist() == ["x1", "x2", "y1"]
    assert docs.text.tolist()[-1] == "Quảng Nam, Việt Nam"


def test_bad_inputs_are_rejected_with_a_reason():
    docs, rejected = ingest(raw_frame(
        ("empty.txt", "   \n"),
        ("bin.txt", b"\x00\x01\x02binary"),
        ("bom-garbage.txt", b"\xff\xfe\x00"),
        ("bad.jsonl", '{"id": "ok", "text": "Lào"}\nnot json\n'),
        ("bad-date.txt", "date 2025-13-45 Lào"),
        ("dup.jsonl", '{"id": "ok", "text": "again"}\n'),
        ("notes.md", "# hi"),
    ))
    assert docs.doc_id.tolist() == ["ok"]
    reasons = dict(zip(rejected.source + ":" + rejected.record.fillna(""), rejected.reason))
    assert reasons["empty.txt:"] == "empty text"
    assert "binary" in reasons["bin.txt:"]
    assert reasons["bom-garbage.txt:"] == "a UTF-16 byte order mark, but not valid UTF-16"
    assert "invalid JSON" in reasons["bad.jsonl:line 2"]
    assert "bad date" in reasons["bad-date.txt:"]
    assert "duplicate doc_id" in reasons["dup.jsonl:line 1"]
    assert "unsupported file type" in reasons["notes.md:"]
    codes = dict(zip(rejected.source + ":" + rejected.record.fillna(""), rejected.reason_code))
    assert codes == {"empty.txt:": "empty", "bin.txt:": "undecodable", "bom-garbage.txt:": "undecodable",
                     "bad.jsonl:line 2": "bad_record", "bad-date.txt:": "bad_record", "dup.jsonl:line 1": "duplicate_id",
                     "notes.md:": "unknown_type"}


def test_ingest_does_not_mutate_its_input():
    raw = raw_frame(("a.txt", "Lào"))
    before = raw.copy()
    ingest(raw)
    assert raw.equals(before)
