from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def raw_frame(*files: tuple[str, str | bytes]) -> pd.DataFrame:
    """A raw-files frame as `io.read_raw` gives it, from (name, content) pairs."""
    rows = [{"source": name, "format": Path(name).suffix.lstrip("."),
             "payload": content if isinstance(content, bytes) else content.encode("utf-8")}
            for name, content in files]
    return pd.DataFrame(rows, columns=["source", "format", "payload"])


def run_dated_texts(texts: dict[str, str], date: str) -> dict[str, pd.DataFrame]:
    """All pipeline tables for {doc_id: text}, each document a .txt file dated `date`; none rejected."""
    from pipeline.ingest import ingest
    from pipeline.runner import run_documents

    documents, rejected = ingest(raw_frame(*((f"{doc_id}.txt", f"date {date}\n{text}") for doc_id, text in texts.items())))
    assert rejected.empty and len(documents) == len(texts)
    return run_documents(documents)


def mentions_of(tables: dict[str, pd.DataFrame], doc_id: str) -> pd.DataFrame:
    mentions = tables["mentions"]
    return mentions[mentions.doc_id == doc_id]


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not (SHARED / "gold" / "dev.jsonl").exists():
        pytest.skip("../shared is not present")
    return SHARED
