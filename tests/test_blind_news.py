"""A second held-out set (10 articles: diplomacy, infrastructure, trade, provinces), written blind to the
code and to the other gold sets. Use its aggregate score only: reading its errors to tune rules would
turn it into one more development set.
"""
from pathlib import Path

import pytest

from pipeline import evaluate

GOLD = Path(__file__).parent / "fixtures" / "blind_news.jsonl"


@pytest.fixture(scope="module")
def report():
    gold = evaluate.load_gold(GOLD.read_text(encoding="utf-8").splitlines())
    return evaluate.evaluate(gold)


def test_blind_set_micro_f1(report):
    micro = report["pipeline"]["spans"]["micro"]
    assert micro["f1"] >= 0.88, micro


def test_blind_set_values_are_exact(report):
    assert report["pipeline"]["values"]["overall"]["accuracy"] >= 0.98
