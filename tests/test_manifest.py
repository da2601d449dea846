import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline import manifest as mf


def _one_by_one(docs: list[dict]) -> tuple[list[dict], list[dict], dict[str, int]]:
    """The rule of `reconcile`, document by document: the first to claim a doc_id keeps it."""
    claimed, out, rejected, keep = set(), [], [], {}
    for doc in docs:
        row = dict(doc)
        if doc["doc_id"] in claimed:
            rejected.append(mf.duplicate_rejection(doc["source"], doc["doc_id"], doc["sha256"]))
            row.update(status="shadowed", part=None, reason=None)
        elif doc["status"] == "failed":
            rejected.append(mf.failure_rejection(doc["source"], doc["doc_id"], doc["sha256"], doc["reason"]))
            row.update(part=None)
        else:
            keep[doc["part"]] = keep.get(doc["part"], 0) + 1
        claimed.add(doc["doc_id"])
        out.append(row)
    return out, rejected, keep


@st.composite
def _documents(draw) -> list[dict]:
    docs = []
    for i in range(draw(st.integers(0, 12))):
        failed = draw(st.booleans())
        docs.append({"doc_id": draw(st.sampled_from("abcd")), "source": f"f{draw(st.integers(0, 4))}.jsonl",
                     "key": f"k{i}", "sha256": f"s{i}", "status": "failed" if failed else "processed",
                     "part": None if failed else draw(st.sampled_from(["p1", "p2"])),
                     "reason": "pipeline error: ValueError" if failed else None})
    return docs


@given(_documents())
def test_reconcile_decides_as_one_document_after_the_other(docs):
    outcome = mf.reconcile(mf.frame("docs", docs))
    rows, rejected, keep = _one_by_one(docs)
    got = outcome.docs.astype(object).where(outcome.docs.notna(), None).to_dict("records")
    assert got == rows
    assert outcome.rejected == rejected
    assert outcome.keep == keep
    for part, n in keep.items():
        assert len(outcome.kept(part)) == n


def test_a_document_computed_nowhere_is_an_error_not_a_silent_loss():
    docs = mf.frame("docs", [{"doc_id": "a", "source": "a.txt", "key": "k", "sha256": "s", "status": "shadowed"}])
    with pytest.raises(ValueError, match="'a' of a.txt was never computed"):
        mf.reconcile(docs)
