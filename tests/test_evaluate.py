"""Scoring against gold: hand-made gold/prediction pairs with known answers."""
from __future__ import annotations

import json

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.evaluate import (
    _bio_spans,
    baseline_underthesea,
    documents_frame,
    evaluate,
    format_report,
    load_gold,
    normalize_canonical,
    score_linking,
    score_spans,
    score_values,
)

TEXT = "Sáng 5/2, Tổng Bí thư Tô Lâm đến thủ đô Viêng Chăn của Lào, dự án 5 tỷ USD, năm 2045."


def ent(text: str, piece: str, label: str, nth: int = 0, **fields) -> dict:
    """A gold entity for the nth occurrence of `piece` (offsets computed, never typed by hand)."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(piece, start + 1)
    return {"start": start, "end": start + len(piece), "label": label, "text": piece, **fields}


GOLD = [{
    "doc_id": "d1", "date": "2026-02-05", "text": TEXT,
    "entities": [
        ent(TEXT, "5/2", "DATE", date="2026-02-05"),
        ent(TEXT, "Tô Lâm", "LEADER", canonical="Tô Lâm"),
        ent(TEXT, "Viêng Chăn", "PLACE", canonical="Viêng Chăn"),
        ent(TEXT, "Lào", "PLACE", canonical="Lào"),
        ent(TEXT, "5 tỷ USD", "AMOUNT", value=5e9, currency="USD"),
        ent(TEXT, "năm 2045", "YEAR", year_start=2045, year_end=2045),
    ],
}]


def mentions(gold: list[dict], drop: set[str] = frozenset(), **overrides) -> pd.DataFrame:
    """Predicted mentions equal to the gold spans (minus `drop` texts), with stable mention_ids."""
    rows = []
    for doc in gold:
        for i, e in enumerate(doc["entities"]):
            if e["text"] in drop:
                continue
            rows.append({"mention_id": f"{doc['doc_id']}:{i}", "doc_id": doc["doc_id"], "start": e["start"],
                         "end": e["end"], "text": e["text"], "label": overrides.get(e["text"], e["label"]),
                         "entity_id": None})
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------------------ spans

def test_perfect_prediction_scores_one():
    s = score_spans(GOLD, mentions(GOLD))
    assert s["micro"]["f1"] == 1.0 and s["micro"]["precision"] == 1.0 and s["micro"]["recall"] == 1.0
    assert (s["tp"], s["fp"], s["fn"]) == (6, 0, 0)
    assert s["per_label"]["PLACE"]["f1"] == 1.0 and s["per_label"]["PLACE"]["support"] == 2
    assert s["per_label"]["ORG"]["f1"] is None  # no gold, no prediction: undefined, not 0
    assert s["false_positives"] == [] and s["misses"] == [] and s["confusion"] == {}


def test_one_false_positive_and_one_miss():
    pred = mentions(GOLD, drop={"Lào"})
    spurious = ent(TEXT, "Sáng", "PLACE")
    pred = pd.concat([pred, pd.DataFrame([{"doc_id": "d1", **spurious}])], ignore_index=True)
    s = score_spans(GOLD, pred)
    assert (s["tp"], s["fp"], s["fn"]) == (5, 1, 1)
    assert s["micro"]["precision"] == pytest.approx(5 / 6)
    assert s["micro"]["recall"] == pytest.approx(5 / 6)
    assert s["per_label"]["PLACE"]["precision"] == 0.5 and s["per_label"]["PLACE"]["recall"] == 0.5
    assert s["per_label"]["LEADER"]["f1"] == 1.0
    [fp], [miss] = s["false_positives"], s["misses"]
    assert (fp["text"], fp["error"], fp["start"]) == ("Sáng", "spurious", 0)
    assert (miss["text"], miss["error"], miss["label"]) == ("Lào", "missed", "PLACE")
    assert "[Lào]" in miss["context"] and "Viêng Chăn của" in miss["context"]


def test_mapping_input_equals_frame_input():
    by_doc = {"d1": [(e["start"], e["end"], e["label"]) for e in GOLD[0]["entities"]]}
    assert score_spans(GOLD, by_doc)["micro"]["f1"] == 1.0


def test_ambiguous_gold_dropped_with_overlapping_predictions():
    gold = json.loads(json.dumps(GOLD))
    gold[0]["entities"][2]["ambiguous"] = True  # "Viêng Chăn"
    pred = mentions(gold, drop={"Viêng Chăn"})
    # "thủ đô Viêng Chăn" overlaps the ambiguous span: neither FP nor TP, just gone.
    pred = pd.concat([pred, pd.DataFrame([{"doc_id": "d1", **ent(TEXT, "thủ đô Viêng Chăn", "PLACE")}])])
    s = score_spans(gold, pred)
    assert (s["tp"], s["fp"], s["fn"]) == (5, 0, 0)
    assert s["n_ambiguous_gold_dropped"] == 1 and s["n_predictions_dropped"] == 1
    kept = score_spans(gold, pred, drop_ambiguous=False)
    assert (kept["tp"], kept["fp"], kept["fn"]) == (5, 1, 1)
    assert kept["boundary_errors"] == {"PLACE": 1}


def test_label_confusion_and_boundary_errors():
    pred = mentions(GOLD, drop={"5 tỷ USD"}, **{"Lào": "ORG", "Tô Lâm": "PLACE"})
    pred = pd.concat([pred, pd.DataFrame([{"doc_id": "d1", **ent(TEXT, "tỷ USD", "AMOUNT")}])])
    s = score_spans(GOLD, pred)
    assert s["confusion"] == {"LEADER": {"PLACE": 1}, "PLACE": {"ORG": 1}}
    assert s["boundary_errors"] == {"AMOUNT": 1}
    assert {(e["text"], e["error"]) for e in s["misses"]} == {
        ("Tô Lâm", "label"), ("Lào", "label"), ("5 tỷ USD", "boundary")}
    assert s["per_label"]["PLACE"]["tp"] == 1 and s["per_label"]["PLACE"]["fp"] == 1


def test_prediction_text_not_matching_offsets_is_flagged():
    pred = mentions(GOLD)
    pred.loc[0, "text"] = "5/3"
    assert score_spans(GOLD, pred)["n_text_mismatch"] == 1


@settings(max_examples=30, deadline=None)
@given(st.sets(st.integers(0, len(GOLD[0]["entities"]) - 1)))
def test_recall_is_fraction_of_gold_kept(kept):
    texts = {e["text"] for i, e in enumerate(GOLD[0]["entities"]) if i not in kept}
    s = score_spans(GOLD, mentions(GOLD, drop=texts))
    assert s["micro"]["recall"] == pytest.approx(len(kept) / 6)
    assert s["micro"]["precision"] == (1.0 if kept else None)


# ----------------------------------------------------------------------------------------- values

def value_tables(currency: str = "USD", year: int = 2045, date: str = "2026-02-05") -> dict:
    m = mentions(GOLD)
    ids = dict(zip(m["text"], m["mention_id"]))
    return {
        "mentions": m,
        "amounts": pd.DataFrame([{"mention_id": ids["5 tỷ USD"], "doc_id": "d1", "value": 5_000_000_000.0,
                                  "value_max": None, "currency": currency, "qualifier": None}]),
        "times": pd.DataFrame([
            {"mention_id": ids["năm 2045"], "doc_id": "d1", "label": "YEAR", "year_start": year,
             "year_end": year, "date": None, "granularity": "year"},
            {"mention_id": ids["5/2"], "doc_id": "d1", "label": "DATE", "year_start": None,
             "year_end": None, "date": date, "granularity": "day"}]),
    }


def test_values_all_right():
    v = score_values(GOLD, value_tables())
    assert v["overall"] == {"n": 3, "correct": 3, "accuracy": 1.0}
    assert v["wrong"] == []


def test_values_wrong_currency_detected():
    v = score_values(GOLD, value_tables(currency="VND"))
    assert v["per_label"]["AMOUNT"]["accuracy"] == 0.0
    assert v["per_label"]["YEAR"]["accuracy"] == 1.0 and v["per_label"]["DATE"]["accuracy"] == 1.0
    assert v["overall"]["accuracy"] == pytest.approx(2 / 3)
    [wrong] = v["wrong"]
    assert wrong["text"] == "5 tỷ USD"
    assert (wrong["gold"]["currency"], wrong["pred"]["currency"]) == ("USD", "VND")


def test_values_wrong_year_date_and_missing_row():
    tables = value_tables(year=2046, date="2025-02-05")
    tables["amounts"] = tables["amounts"].iloc[0:0]  # matched AMOUNT with no value row: wrong
    v = score_values(GOLD, tables)
    assert v["overall"] == {"n": 3, "correct": 0, "accuracy": 0.0}


def test_value_max_checked_only_when_gold_has_it():
    text = "khoảng 27.000-32.000 USD"
    gold = [{"doc_id": "r", "date": None, "text": text, "entities": [
        ent(text, "27.000-32.000 USD", "AMOUNT", value=27000.0, value_max=32000.0, currency="USD")]}]
    tables = {"mentions": mentions(gold), "amounts": pd.DataFrame([
        {"mention_id": "r:0", "value": 27000.0, "value_max": None, "currency": "USD"}])}
    assert score_values(gold, tables)["overall"]["accuracy"] == 0.0
    tables["amounts"].loc[0, "value_max"] = 32000.0 * (1 + 1e-12)  # within relative tolerance
    assert score_values(gold, tables)["overall"]["accuracy"] == 1.0


# ---------------------------------------------------------------------------------------- linking

LINK_TEXT = "Thủ đô Viêng Chăn (Vientiane) gần Viêng Chăn, đường sắt Viêng Chăn-Vũng Áng."
LINK_GOLD = [{"doc_id": "L", "date": None, "text": LINK_TEXT, "entities": [
    ent(LINK_TEXT, "Viêng Chăn", "PLACE", 0, canonical="Viêng Chăn"),
    ent(LINK_TEXT, "Vientiane", "PLACE", canonical="Viêng Chăn"),
    ent(LINK_TEXT, "Viêng Chăn", "PLACE", 1, canonical="Viêng Chăn"),
    ent(LINK_TEXT, "đường sắt Viêng Chăn-Vũng Áng", "PROJECT", canonical="đường sắt Viêng Chăn – Vũng Áng",
        kind="railway"),
]}]


def link_tables(entity_ids: list[str], canonicals: dict[str, str]) -> dict:
    m = mentions(LINK_GOLD)
    m["entity_id"] = entity_ids
    labels = dict(zip(m["entity_id"], m["label"]))
    return {"mentions": m, "entities": pd.DataFrame(
        [{"entity_id": k, "label": labels[k], "canonical": v} for k, v in canonicals.items()])}


def test_linking_perfect_with_dash_normalized_canonical():
    tables = link_tables(["p1", "p1", "p1", "r1"],
                         {"p1": "Viêng Chăn", "r1": "đường sắt Viêng Chăn - Vũng Áng"})
    link = score_linking(LINK_GOLD, tables)
    assert link["pairwise"]["precision"] == 1.0 and link["pairwise"]["recall"] == 1.0
    assert link["pairwise"]["gold_pairs"] == 3
    assert link["canonical"]["overall"]["accuracy"] == 1.0


def test_linking_split_variants_lower_recall():
    # "Vientiane" gets its own entity: of 3 gold pairs only ("Viêng Chăn", "Viêng Chăn") is found.
    tables = link_tables(["p1", "p2", "p1", "r1"],
                         {"p1": "Viêng Chăn", "p2": "Vientiane", "r1": "đường sắt Viêng Chăn – Vũng Áng"})
    link = score_linking(LINK_GOLD, tables)
    assert link["pairwise"]["recall"] == pytest.approx(1 / 3)
    assert link["pairwise"]["precision"] == 1.0
    assert link["pairwise_per_label"]["PLACE"]["recall"] == pytest.approx(1 / 3)
    assert link["canonical"]["overall"] == {"n": 4, "correct": 3, "accuracy": 0.75}
    [wrong] = link["canonical"]["wrong"]
    assert (wrong["text"], wrong["pred_canonical"]) == ("Vientiane", "Vientiane")


def test_linking_merged_entities_lower_precision_and_unlinked_mentions():
    tables = link_tables(["x", "x", "x", "x"], {"x": "Viêng Chăn"})
    link = score_linking(LINK_GOLD, tables)
    assert link["pairwise"]["precision"] == pytest.approx(3 / 6) and link["pairwise"]["recall"] == 1.0
    unlinked = link_tables(["p1", None, None, "r1"],
                           {"p1": "Viêng Chăn", "r1": "đường sắt Viêng Chăn – Vũng Áng"})
    assert score_linking(LINK_GOLD, unlinked)["pairwise"]["correct_pairs"] == 0


def test_normalize_canonical():
    assert normalize_canonical("Hà Nội – Viêng Chăn") == normalize_canonical("Hà Nội-Viêng  Chăn")
    assert normalize_canonical("Hà Nội") != normalize_canonical("Hà Nam")


# --------------------------------------------------------------------------------------- baseline

def test_bio_spans_realign_rewritten_tokens():
    sentence = "Ông Nguyễn Văn Hoà đến Hà Nội."
    tagged = [("Ông", "Nc", "B-NP", "O"), ("Nguyễn Văn Hòa", "Np", "B-NP", "B-PER"),
              ("đến", "V", "B-VP", "O"),
              ("Hà", "Np", "B-NP", "B-LOC"), ("Nội", "Np", "B-NP", "I-LOC"), (".", "CH", "O", "B-MISC")]
    assert [(sentence[s:e], label) for s, e, label in _bio_spans(sentence, tagged)] == [
        ("Nguyễn Văn Hoà", "LEADER"), ("Hà Nội", "PLACE")]


def test_baseline_underthesea_maps_per_to_leader():
    text = "Tổng Bí thư Tô Lâm đến Lào."
    gold = [{"doc_id": "b", "date": None, "text": text, "entities": [
        ent(text, "Tô Lâm", "LEADER", canonical="Tô Lâm"), ent(text, "Lào", "PLACE", canonical="Lào")]}]
    predicted = baseline_underthesea(gold)["mentions"]
    assert ("Tô Lâm", "LEADER") in set(zip(predicted["text"], predicted["label"]))
    assert all(text[s:e] == t for s, e, t in zip(predicted["start"], predicted["end"], predicted["text"]))
    assert score_spans(gold, {"mentions": predicted})["per_label"]["LEADER"]["recall"] == 1.0


# ---------------------------------------------------------------------------------- orchestration

def test_load_gold_checks_offsets():
    line = json.dumps(GOLD[0], ensure_ascii=False)
    assert load_gold([line, ""])[0]["entities"] == GOLD[0]["entities"]
    assert load_gold(line.encode() + b"\n")[0]["doc_id"] == "d1"
    bad = json.loads(line)
    bad["entities"][0]["start"] += 1
    with pytest.raises(ValueError, match="d1"):
        load_gold([json.dumps(bad)])


def test_documents_frame():
    frame = documents_frame(GOLD)
    assert frame.loc[0, "source"] == "gold:d1" and frame.loc[0, "n_chars"] == len(TEXT)
    assert str(frame.loc[0, "date"]) == "2026-02-05" and len(frame.loc[0, "sha256"]) == 64


def test_evaluate_and_format_report():
    seen = {}

    def predict(documents: pd.DataFrame) -> dict:
        seen["columns"] = list(documents.columns)
        tables = value_tables(currency="VND")
        tables["mentions"]["entity_id"] = tables["mentions"]["text"]
        tables["entities"] = pd.DataFrame({"entity_id": tables["mentions"]["text"],
                                           "canonical": tables["mentions"]["text"]})
        return tables

    report = evaluate(GOLD, predict=predict)
    assert set(seen["columns"]) >= {"doc_id", "text", "date", "source", "format", "sha256", "n_chars"}
    json.dumps(report, allow_nan=False)
    assert report["pipeline"]["spans"]["micro"]["f1"] == 1.0
    assert report["pipeline"]["values"]["overall"]["correct"] == 2
    assert report["baseline"] is None and report["pipeline"]["elapsed_s"] >= 0
    text = format_report(report, errors=True)
    assert "base P" not in text
    assert "micro P 1.000 R 1.000 F1 1.000" in text.splitlines()[-1]
    assert 'AMOUNT d1' in text and '"5 tỷ USD"' in text and "currency=VND" in text
    with pytest.raises(ValueError):
        evaluate(GOLD, predict=predict, baseline="spacy")
    with pytest.raises(ValueError, match="duplicate"):
        evaluate(GOLD + GOLD, predict=predict)


def test_format_report_with_baseline_columns():
    report = evaluate(GOLD, predict=lambda docs: {"mentions": mentions(GOLD, drop={"Lào"})})
    base = score_spans(GOLD, {"mentions": mentions(GOLD, drop={"Viêng Chăn"})})
    report["baseline"] = {"name": "fake", "labels": ["LEADER", "PLACE", "ORG"], "elapsed_s": 0.0,
                          "spans": base, "micro_shared": base["micro"]}
    report["pipeline"]["micro_shared"] = report["pipeline"]["spans"]["micro"]
    text = format_report(report)
    header = next(line for line in text.splitlines() if line.startswith("label"))
    assert "base P" in header and "base F1" in header
    place = next(line for line in text.splitlines() if line.startswith("PLACE"))
    assert "0.500" in place and "|" in place
    assert "baseline F1" in text.splitlines()[-1]


def test_runner_end_to_end():
    runner = pytest.importorskip("pipeline.runner")
    report = evaluate(GOLD, predict=runner.run_documents)
    json.dumps(report, allow_nan=False)
    assert 0.0 <= (report["pipeline"]["spans"]["micro"]["f1"] or 0.0) <= 1.0
