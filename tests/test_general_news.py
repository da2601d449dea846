"""Check on ordinary Vietnamese general news (crime, courts, football, health, education,
weather, business, culture), far from the diplomacy/infrastructure texts the rules were written on.

The fixture `fixtures/general_news.jsonl` was written and annotated independently of the rules and
lexicons; its errors were read during development, so it is a development set now. The held-out
general-news check is `test_news_sets.py` with `heldout_general_news.jsonl`.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.evaluate import evaluate, load_gold

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "general_news.jsonl"
NAME_LABELS = ("LEADER", "PLACE", "ORG")
VALUE_LABELS = ("AMOUNT", "YEAR", "DATE")
MIN_NAME_F1 = 0.80
MIN_VALUE_F1 = 0.90


def _f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


@pytest.fixture(scope="module")
def gold_docs() -> list[dict]:
    return load_gold(FIXTURE.read_text(encoding="utf-8").splitlines())


@pytest.fixture(scope="module")
def spans(gold_docs) -> dict:
    """One real pipeline run over the whole fixture, shared by every test here."""
    return evaluate(gold_docs)["pipeline"]["spans"]


def _describe(spans: dict, labels) -> str:
    misses = [f"{e['label']} {e['error']}: {e['context']}" for e in spans["misses"] if e["label"] in labels]
    fps = [f"{e['label']} {e['error']}: {e['context']}" for e in spans["false_positives"]
           if e["label"] in labels]
    return "\nmisses:\n  " + "\n  ".join(misses) + "\nfalse positives:\n  " + "\n  ".join(fps)


def test_fixture_is_well_formed(gold_docs):
    assert len(gold_docs) == 8
    for doc in gold_docs:
        assert doc["doc_id"].startswith("g") and doc["date"]
        ents = doc["entities"]
        assert ents == sorted(ents, key=lambda e: e["start"])
        assert all(a["end"] <= b["start"] for a, b in zip(ents, ents[1:]))
        for e in ents:
            assert doc["text"][e["start"]:e["end"]] == e["text"]
            if e["label"] in ("LEADER", "PLACE", "ORG", "PROJECT"):
                assert e.get("canonical")


def test_names_micro_f1(spans):
    per = spans["per_label"]
    tp, fp, fn = (sum(per[label][k] for label in NAME_LABELS) for k in ("tp", "fp", "fn"))
    f1 = _f1(tp, fp, fn)
    assert f1 >= MIN_NAME_F1, (f"LEADER+PLACE+ORG micro F1 {f1:.3f} < {MIN_NAME_F1} "
                               f"(tp {tp}, fp {fp}, fn {fn})" + _describe(spans, NAME_LABELS))


@pytest.mark.parametrize("label", VALUE_LABELS)
def test_value_label_f1(spans, label):
    m = spans["per_label"][label]
    if m["support"] == 0:
        pytest.skip(f"no {label} in the fixture")
    f1 = _f1(m["tp"], m["fp"], m["fn"])
    assert f1 >= MIN_VALUE_F1, (f"{label} F1 {f1:.3f} < {MIN_VALUE_F1} (tp {m['tp']}, fp {m['fp']}, "
                                f"fn {m['fn']})" + _describe(spans, (label,)))
