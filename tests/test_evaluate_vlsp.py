"""The VLSP-2018 (.muc) and CoNLL gold readers, the tune/check split and the per-domain report.

Every text here is an invented sentence in the formats' shape: no VLSP text is ever copied.
"""
from __future__ import annotations

import subprocess
import sys
import unicodedata
from collections import Counter

import pandas as pd
import pytest

from conftest import ROOT
from pipeline.evaluate import (
    VLSP_SCORED_LABELS,
    evaluate,
    format_report,
    load_conll,
    load_vlsp2018,
    parse_conll,
    parse_muc,
    sample_documents,
    score_spans,
    select_split,
    split_of,
)


def tag(kind: str, inner: str) -> str:
    return f'<ENAMEX TYPE="{kind}">{inner}</ENAMEX>'


def spans(doc: dict) -> list[tuple[str, str]]:
    return [(e["text"], e["label"]) for e in doc["entities"]]


# ------------------------------------------------------------------------------------- .muc reader

def test_muc_tags_stripped_and_outermost_span_wins():
    raw = (f"Sáng nay, {tag('PERSON', 'bà Đỗ Thị Hạnh')} thăm "
           f"{tag('ORGANIZATION', 'Trường Đại học ' + tag('LOCATION', 'Tây Bắc'))} ở "
           f"{tag('LOCATION', 'Sơn La')}.")
    doc = parse_muc(raw, "Giao duc/bai01", domain="Giao duc", file="bai01.muc")
    assert doc["text"] == "Sáng nay, bà Đỗ Thị Hạnh thăm Trường Đại học Tây Bắc ở Sơn La."
    # The nested LOCATION "Tây Bắc" is gone: only the ORG around it is gold.
    assert spans(doc) == [("bà Đỗ Thị Hạnh", "LEADER"), ("Trường Đại học Tây Bắc", "ORG"),
                          ("Sơn La", "PLACE")]
    assert all(doc["text"][e["start"]:e["end"]] == e["text"] for e in doc["entities"])
    assert (doc["domain"], doc["file"], doc["date"]) == ("Giao duc", "bai01.muc", None)


def test_muc_doubly_nested_tags_and_spaces_inside_tags():
    inner = tag("ORGANIZATION", "Sông " + tag("LOCATION", "Lam"))
    raw = f"Đội {tag('ORGANIZATION', ' CLB ' + inner + ' ')} thắng."
    doc = parse_muc(raw, "d")
    assert doc["text"] == "Đội  CLB Sông Lam  thắng."
    assert spans(doc) == [("CLB Sông Lam", "ORG")]  # trimmed of the spaces written inside the tag


@pytest.mark.parametrize("written, gold", [
    ("tỉnh Hà Giang", "Hà Giang"),
    ("thành phố Cẩm Phả", "Cẩm Phả"),
    ("thị xã Sơn Tây", "Sơn Tây"),
    ("xã Tân Lập", "Tân Lập"),
    ("thủ đô Viêng Chăn", "Viêng Chăn"),
    ("TP. Đà Lạt", "Đà Lạt"),
    ("TP.Vinh", "Vinh"),
    ("TP Hạ Long", "Hạ Long"),
    ("huyện  Mê Linh", "Mê Linh"),         # two spaces after the word
    ("Thủ đô Hà Nội", "Hà Nội"),             # capitalized (sentence start, or style): still a type word
    ("Tỉnh Lạng Sơn", "Lạng Sơn"),
    ("Tp. Buôn Ma Thuột", "Buôn Ma Thuột"),
    ("tỉnh TT- Huế", "TT- Huế"),             # an acronym after a full type word: the word goes
    ("xã đảo", "xã đảo"),                    # no capitalized name follows: kept whole
    ("TPHCM", "TPHCM"),                      # an acronym, not "TP" + a name
    ("TP.HCM", "TP.HCM"),                    # the acronym stands for the whole name
    ("TP HCM", "TP HCM"),
    ("miền Trung", "miền Trung"),            # a region: a whole name in both specs
    ("Bangkok", "Bangkok"),                  # "bang" as the start of a word
])
def test_muc_location_loses_its_type_word(written, gold):
    doc = parse_muc(f"Mưa lớn ở {tag('LOCATION', written)} hôm qua.", "d")
    [entity] = doc["entities"]
    assert (entity["text"], entity["label"]) == (gold, "PLACE")
    assert doc["text"][entity["start"]:entity["end"]] == gold


def test_muc_numbered_unit_is_kept_whole_as_ambiguous_gold():
    doc = parse_muc(f"Cháy nhà ở {tag('LOCATION', 'quận 3')} và {tag('LOCATION', 'Thôn 6')}.", "d")
    assert [(e["text"], e.get("ambiguous")) for e in doc["entities"]] == [("quận 3", True), ("Thôn 6", True)]
    doc = parse_muc(f"Bà Hoa (16 Lê Lợi, {tag('LOCATION', 'P.12')}, {tag('LOCATION', 'Q.Bình Thạnh')}).", "d")
    assert [(e["text"], e.get("ambiguous")) for e in doc["entities"]] == [("P.12", True), ("Bình Thạnh", None)]


def test_muc_type_word_kept_in_person_and_org():
    doc = parse_muc(f"{tag('ORGANIZATION', 'UBND tỉnh Hà Giang')} và {tag('PERSON', 'Xã Xệ')}", "d")
    assert spans(doc) == [("UBND tỉnh Hà Giang", "ORG"), ("Xã Xệ", "LEADER")]


def test_muc_bare_generic_bodies_and_web_addresses_are_ambiguous_and_body_takes_its_country():
    raw = (f"Chính phủ {tag('LOCATION', 'Pê-ru')} họp; Quốc hội và Đảng đồng ý, "
           f"{tag('ORGANIZATION', 'Quốc hội ' + tag('LOCATION', 'Chi-lê'))} phản đối (theo Baomoi.com.vn).")
    doc = parse_muc(raw, "d")
    assert [(e["text"], e["label"], e.get("ambiguous", False)) for e in doc["entities"]] == [
        ("Chính phủ Pê-ru", "ORG", False), ("Quốc hội", "ORG", True), ("Đảng", "ORG", True),
        ("Quốc hội Chi-lê", "ORG", False), ("Baomoi.com.vn", "ORG", True)]
    bare = doc["text"].index("Đảng")
    s = score_spans([doc], {"d": [(0, 15, "ORG"), (bare, bare + 4, "ORG")]}, labels=VLSP_SCORED_LABELS)
    assert (s["tp"], s["fp"], s["fn"], s["n_predictions_dropped"]) == (1, 0, 1, 1)


def test_muc_misc_is_ambiguous_gold_that_drops_overlapping_predictions():
    raw = f"Các {tag('MISCELLANEOUS', 'người ' + tag('LOCATION', 'Mông'))} ở {tag('LOCATION', 'Hà Giang')}."
    [doc] = [parse_muc(raw, "d")]
    [misc, place] = doc["entities"]
    assert (misc["text"], misc["label"], misc.get("ambiguous")) == ("người Mông", "MISC", True)
    mong = doc["text"].index("Mông")
    predicted = {"d": [(mong, mong + 4, "PLACE"), (place["start"], place["end"], "PLACE")]}
    s = score_spans([doc], predicted, labels=VLSP_SCORED_LABELS)
    # "Mông" overlaps the MISC span: neither a FP nor a hit; "Hà Giang" is the only gold counted.
    assert (s["tp"], s["fp"], s["fn"]) == (1, 0, 0)
    assert s["n_predictions_dropped"] == 1 and s["n_ambiguous_gold_dropped"] == 1
    assert "MISC" not in s["per_label"]


def test_muc_places_inside_a_predicted_project_are_left_out():
    raw = (f"Cao tốc {tag('LOCATION', 'Pháp Vân')} - {tag('LOCATION', 'Cầu Giẽ')} qua "
           f"{tag('LOCATION', 'Hà Nội')}.")
    doc = parse_muc(raw, "d")
    road = doc["text"].index(" qua")
    hanoi = doc["text"].index("Hà Nội")
    s = score_spans([doc], {"d": [(0, road, "PROJECT"), (hanoi, hanoi + 6, "PLACE")]}, labels=VLSP_SCORED_LABELS)
    assert (s["tp"], s["fp"], s["fn"]) == (1, 0, 0)  # the endpoints are the project's, not misses
    s = score_spans([doc], {"d": [(hanoi, hanoi + 6, "PLACE")]}, labels=VLSP_SCORED_LABELS)
    assert (s["tp"], s["fp"], s["fn"]) == (1, 0, 2)  # without the project they are


def test_muc_text_is_nfc_and_offsets_index_it():
    # A decomposed "Nguyễn" and "Hà Nội" (NFD), a BOM and Windows line ends, as some files have.
    raw = "\ufeff" + unicodedata.normalize(
        "NFD", f"Ông {tag('PERSON', 'Nguyễn Văn Tú')}\r\nrời {tag('LOCATION', 'Hà Nội')}.")
    doc = parse_muc(raw, "d")
    assert doc["text"] == "Ông Nguyễn Văn Tú\nrời Hà Nội."
    assert unicodedata.is_normalized("NFC", doc["text"])
    assert spans(doc) == [("Nguyễn Văn Tú", "LEADER"), ("Hà Nội", "PLACE")]
    assert [doc["text"][e["start"]:e["end"]] for e in doc["entities"]] == ["Nguyễn Văn Tú", "Hà Nội"]


@pytest.mark.parametrize("raw, message", [
    (f"{tag('PERSON', 'An')}</ENAMEX>", "without an opening tag"),
    ('<ENAMEX TYPE="PERSON">An', "never closed"),
    (tag("DATE", "hôm qua"), "unknown entity type"),
])
def test_muc_malformed_tags_are_refused(raw, message):
    with pytest.raises(ValueError, match=message):
        parse_muc(raw, "Xa hoi/bai09")


def test_load_vlsp2018_domain_is_the_parent_folder():
    files = [("The thao/bai02.muc", f"{tag('ORGANIZATION', 'CLB Hà Tĩnh')} thắng."),
             ("Kinh te/bai01.muc", f"Giá vàng ở {tag('LOCATION', 'TP. Cần Thơ')} tăng.")]
    docs = load_vlsp2018(files)
    assert [(d["doc_id"], d["domain"], d["file"]) for d in docs] == [
        ("Kinh te/bai01", "Kinh te", "bai01.muc"), ("The thao/bai02", "The thao", "bai02.muc")]
    assert spans(docs[0]) == [("Cần Thơ", "PLACE")]


# ------------------------------------------------------------------------------------ CoNLL reader

CONLL = """\
-DOCSTART-
<s>
Ông\tNc\tB-NP\tO
Lò_Văn_Pá\tNp\tB-NP\tB-PER
về\tV\tB-VP\tO
tỉnh\tN\tB-NP\tB-LOC
Lai Châu\tNp\tI-NP\tI-LOC
.\tCH\tO\tO
</s>

Người\tN\tB-NP\tB-MISC
Thái\tNp\tI-NP\tI-MISC
đón\tV\tB-VP\tO
Sở\tN\tB-NP\tB-ORG\tO
Y_tế\tN\tI-NP\tI-ORG\tO
Lai_Châu\tNp\tI-NP\tI-ORG\tB-LOC

-DOCSTART-
Chị Hoa\tNp\tB-NP\tI-PER
"""


def test_conll_rebuilds_text_and_spans_from_bio_columns():
    first, second = parse_conll(CONLL.splitlines(), "Xa hoi/bai05", domain="Xa hoi", file="bai05.conll")
    assert first["text"] == "Ông Lò Văn Pá về tỉnh Lai Châu .\nNgười Thái đón Sở Y tế Lai Châu"
    # "tỉnh" leaves the LOCATION as in .muc; the fifth (nested) column is not read.
    assert spans(first) == [("Lò Văn Pá", "LEADER"), ("Lai Châu", "PLACE"), ("Người Thái", "MISC"),
                            ("Sở Y tế Lai Châu", "ORG")]
    assert first["entities"][2]["ambiguous"] is True
    assert all(first["text"][e["start"]:e["end"]] == e["text"] for e in first["entities"])
    # -DOCSTART- starts a second document; a stray I- starts an entity instead of being lost.
    assert (second["doc_id"], second["text"], spans(second)) == (
        "Xa hoi/bai05#2", "Chị Hoa", [("Chị Hoa", "LEADER")])
    assert first["domain"] == second["domain"] == "Xa hoi"


def test_conll_space_separated_columns_and_bad_tags():
    [doc] = parse_conll(["Hội_An N B-NP B-LOC", "đẹp A B-AP O"], "d")
    assert (doc["text"], spans(doc)) == ("Hội An đẹp", [("Hội An", "PLACE")])
    with pytest.raises(ValueError, match="line 1"):
        parse_conll(["Hội_An N B-NP LOC"], "d")


def test_load_conll_one_document_per_file():
    docs = load_conll([("The thao/b.conll", "Hà_Nội\tNp\tB-NP\tB-LOC\n"),
                       ("The thao/a.conll", "Huế\tNp\tB-NP\tB-LOC\n")])
    assert [(d["doc_id"], d["text"]) for d in docs] == [("The thao/a", "Huế"), ("The thao/b", "Hà Nội")]


# ------------------------------------------------------------------------------ split and sampling

def test_split_is_a_stable_hash_of_the_file_name():
    # Pinned: sha1 of the name, so every machine and every run puts the same article on the same side.
    assert [split_of({"file": f"bai0{i}.muc"}) for i in range(1, 5)] == ["tune", "check", "tune", "tune"]
    # The name alone counts, not the folder or the doc id.
    assert split_of({"doc_id": "The thao/bai02", "file": "bai02.muc"}) == split_of({"doc_id": "bai02.muc"})
    shares = Counter(split_of({"file": f"{23350000 + i}.muc"}) for i in range(900))
    assert 250 < shares["check"] < 350  # about one third


def test_select_split_partitions_the_documents():
    docs = [{"doc_id": f"d{i}", "file": f"bai0{i}.muc"} for i in range(1, 10)]
    tune, check = select_split(docs, "tune"), select_split(docs, "check")
    assert sorted(d["doc_id"] for d in tune + check) == sorted(d["doc_id"] for d in docs)
    assert [d["doc_id"] for d in check] == ["d2"] and select_split(docs, "all") == docs
    with pytest.raises(ValueError):
        select_split(docs, "dev")


def test_sample_is_deterministic_and_independent_of_listing_order():
    docs = [{"doc_id": f"Van hoa/{i}"} for i in range(40)]
    first = [d["doc_id"] for d in sample_documents(docs, 5, seed=3)]
    assert len(first) == 5 and len(set(first)) == 5
    assert sorted(first) == sorted(d["doc_id"] for d in sample_documents(docs[::-1], 5, seed=3))
    assert first != [d["doc_id"] for d in sample_documents(docs, 5, seed=4)]
    assert first == sorted(first, key=lambda d: int(d.split("/")[1]))  # kept in input order
    assert sample_documents(docs, 100, seed=3) == docs


# ------------------------------------------------------------------------------- per-domain report

def vlsp_docs() -> list[dict]:
    """Four invented articles in two domains; bai02 is the only one in the check split."""
    return load_vlsp2018([
        ("The thao/bai01.muc", f"{tag('PERSON', 'Lê Công Vinh')} ghi bàn ở {tag('LOCATION', 'Thái Lan')}."),
        ("The thao/bai02.muc", f"{tag('ORGANIZATION', 'CLB Nam Định')} hòa {tag('LOCATION', 'Hải Phòng')}."),
        ("Kinh te/bai03.muc", f"{tag('ORGANIZATION', 'Ngân hàng Á Châu')} tăng lãi suất."),
        ("Kinh te/bai04.muc", f"Giá lúa ở {tag('LOCATION', 'tỉnh An Giang')} giảm."),
    ])


def predict_all_but(missed: set[str], extra_labels: bool = True):
    """A fake pipeline finding every gold span except `missed` texts, plus PROJECT/DATE mentions."""
    def predict(documents: pd.DataFrame) -> dict:
        rows = []
        for doc in vlsp_docs():
            for e in doc["entities"]:
                if e["text"] not in missed:
                    rows.append({"doc_id": doc["doc_id"], "start": e["start"], "end": e["end"],
                                 "label": e["label"], "text": e["text"]})
            if extra_labels:  # labels VLSP does not annotate: never a false positive
                rows.append({"doc_id": doc["doc_id"], "start": 0, "end": 3, "label": "PROJECT"})
                rows.append({"doc_id": doc["doc_id"], "start": 0, "end": 3, "label": "DATE"})
        return {"mentions": pd.DataFrame(rows)}
    return predict


def test_report_per_domain_and_split_with_unannotated_labels_ignored():
    report = evaluate(vlsp_docs(), predict=predict_all_but({"Hải Phòng", "An Giang"}),
                      labels=VLSP_SCORED_LABELS, splits=("tune", "check", "all"))
    spans_ = report["pipeline"]["spans"]
    assert list(spans_["per_label"]) == ["LEADER", "PLACE", "ORG"]
    assert (spans_["tp"], spans_["fp"], spans_["fn"]) == (4, 0, 2)
    assert spans_["other_labels"] == {"PROJECT": 4, "DATE": 4}
    assert report["pipeline"]["linking"] is None  # VLSP has no canonicals to link against
    tune, check = report["by_split"]["tune"], report["by_split"]["check"]
    assert (tune["n_docs"], check["n_docs"]) == (3, 1)
    assert check["pipeline"]["micro"]["recall"] == 0.5  # "CLB Nam Định" found, "Hải Phòng" missed
    by_domain = report["by_split"]["all"]["pipeline"]["by_domain"]
    assert by_domain["The thao"]["micro"]["recall"] == 0.75  # 3 of 4: "Hải Phòng" missed
    assert by_domain["Kinh te"]["micro"]["recall"] == 0.5
    assert by_domain["Kinh te"]["n_docs"] == 2
    assert tune["pipeline"]["by_domain"]["The thao"]["n_docs"] == 1

    text = format_report(report)
    table = text[text.index("by split and domain"):]
    assert "tune" in table and "check" in table
    kinh_te = next(line for line in table.splitlines() if line.startswith("Kinh te"))
    assert kinh_te.split()[2:4] == ["2", "0.667"]  # Kinh te, tune: 2 docs, F1 of P 1 R 0.5
    assert "Values" not in text and "Linking" not in text  # nothing of the kind is annotated
    assert "WARNING" in text  # check (F1 0.667) is more than 0.03 below tune (F1 0.857)


def test_no_drift_warning_when_check_keeps_up():
    report = evaluate(vlsp_docs(), predict=predict_all_but(set()), labels=VLSP_SCORED_LABELS,
                      splits=("tune", "check"))
    assert report["by_split"]["check"]["pipeline"]["micro"]["f1"] == 1.0
    assert "WARNING" not in format_report(report)


def test_check_split_errors_are_withheld_from_report_and_json():
    report = evaluate(vlsp_docs(), predict=predict_all_but({"Hải Phòng", "An Giang"}, extra_labels=False),
                      labels=VLSP_SCORED_LABELS, splits=("tune", "check"), withhold_check_errors=True)
    assert report["n_check_docs_errors_withheld"] == 1
    # Two misses: "Hải Phòng" (bai02, check) is withheld, "An Giang" (bai04, tune) is listed.
    assert [e["text"] for e in report["pipeline"]["spans"]["misses"]] == ["An Giang"]
    assert report["pipeline"]["spans"]["fn"] == 2  # the scores still count it
    text = format_report(report, errors=True)
    assert "An Giang" in text and "Hải Phòng" not in text and "withheld" in text


# ---------------------------------------------------------------------------------------------- CLI

def _cli(*args):
    return subprocess.run([sys.executable, "-m", "pipeline", "evaluate", *args], cwd=ROOT,
                          capture_output=True, text=True)


def test_cli_refuses_errors_on_the_check_split(tmp_path):
    result = _cli("--format", "vlsp2018", "--gold", str(tmp_path), "--split", "check", "--errors")
    assert result.returncode == 2
    assert result.stderr.startswith("error: --errors is refused on the check split")
    assert len(result.stderr.strip().splitlines()) == 1 and result.stdout == ""


def test_cli_missing_vlsp_folder_says_how_to_get_it(tmp_path):
    result = _cli("--format", "vlsp2018", "--gold", str(tmp_path / "VLSP2018-NER-train-Jan14"))
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert "VLSP-2018 folder not found" in line and "undertheseanlp/ner" in line and "aa1ebcb" in line


def test_cli_vlsp2018_end_to_end_reports_tune_check_and_domains(tmp_path):
    for path, content in [("The thao/bai01.muc", f"Tiền đạo {tag('PERSON', 'Lê Công Vinh')} ghi bàn."),
                          ("The thao/bai02.muc", f"{tag('PERSON', 'Nguyễn Quang Hải')} trở lại."),
                          ("Kinh te/bai03.muc", f"Bộ trưởng {tag('PERSON', 'Trần Văn Sơn')} đến "
                                                f"{tag('LOCATION', 'tỉnh Quảng Trị')}.")]:
        (tmp_path / path).parent.mkdir(exist_ok=True)
        (tmp_path / path).write_text(content, encoding="utf-8")
    result = _cli("--format", "vlsp2018", "--gold", str(tmp_path), "--errors")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "3 docs" in out and "LEADER" in out and "PROJECT" not in out.split("note:")[0]
    table = out[out.index("by split and domain"):]
    assert {"The thao", "Kinh te"} <= {line[:20].strip() for line in table.splitlines()}
    assert "withheld" in out  # bai02 is in check: its errors are never listed
    sampled = _cli("--format", "vlsp2018", "--gold", str(tmp_path), "--sample", "1", "--seed", "2",
                   "--split", "tune")
    assert sampled.returncode == 0, sampled.stderr
    assert "— 1 docs" in sampled.stdout


def test_muc_tag_splitting_a_character_is_refused():
    # "Ế" written as "E" + circumflex + acute, with a tag between the letter and its marks.
    raw = "Thành phố " + tag("LOCATION", "Hu" + "E") + "\u0302\u0301 mưa."
    with pytest.raises(ValueError, match="not NFC"):
        parse_muc(raw, "d")


def test_cli_conll_folder_scores_names_only(tmp_path):
    (tmp_path / "Xa hoi").mkdir()
    (tmp_path / "Xa hoi" / "bai07.conll").write_text(
        "Chủ_tịch\tN\tB-NP\tO\nPhạm_Văn_Đồng\tNp\tB-NP\tB-PER\nđến\tV\tB-VP\tO\n"
        "thủ_đô\tN\tB-NP\tO\nHà_Nội\tNp\tB-NP\tB-LOC\nnăm\tN\tB-NP\tO\n1955\tM\tB-NP\tO\n", encoding="utf-8")
    result = _cli("--format", "conll", "--gold", str(tmp_path))
    assert result.returncode == 0, result.stderr
    head = result.stdout.split("\n\n")[0]
    assert "— 1 docs" in head
    assert [line.split()[0] for line in head.splitlines()[3:6]] == ["LEADER", "PLACE", "ORG"]
    empty = _cli("--format", "conll", "--gold", str(tmp_path / "Xa hoi" / "missing"))
    assert empty.returncode == 2 and empty.stderr.startswith("error: gold folder not found")


def test_cli_default_vlsp_folder_comes_from_the_environment(tmp_path):
    import os

    missing = tmp_path / "elsewhere" / "VLSP2018-NER-train-Jan14"
    result = subprocess.run([sys.executable, "-m", "pipeline", "evaluate", "--format", "vlsp2018"], cwd=ROOT,
                            capture_output=True, text=True, env={**os.environ, "VLSP_DIR": str(missing)})
    assert result.returncode == 2 and str(missing) in result.stderr
    no_gold = _cli()  # JSONL has no default gold file
    assert no_gold.returncode == 2 and no_gold.stderr.startswith("error: --gold is required")
