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


# An article that tries to inject markup: the report, `show --html` and the notebook must show it as text.
HOSTILE_TEXT = ("date 2026-03-01\nThủ tướng Phạm Minh Chính thăm Hà Nội <script>alert('x')</script> và "
                "<img src=x onerror=alert(1)> cùng dự án đường sắt Lào Cai – Hà Nội trị giá 8 tỷ USD.\n")


@pytest.fixture(scope="session")
def small_run(tmp_path_factory) -> Path:
    """Tables of a small run, made once per session: the two data/raw articles, a hostile article
    (`hostile.txt`, HOSTILE_TEXT) and an empty file (a rejection)."""
    import shutil

    from pipeline.runner import run

    raw = tmp_path_factory.mktemp("small_raw")
    for path in (ROOT / "data" / "raw").glob("*.txt"):
        shutil.copy(path, raw)
    (raw / "hostile.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    (raw / "empty.txt").write_text("", encoding="utf-8")
    out = tmp_path_factory.mktemp("small_processed")
    run(raw, out, batch_size=2, workers=1, progress=False)
    return out


@pytest.fixture(scope="session")
def small_site(small_run, tmp_path_factory) -> Path:
    """The report of `small_run`, written by `python -m pipeline report` (once per session)."""
    import subprocess
    import sys

    target = tmp_path_factory.mktemp("small_site") / "report"
    result = subprocess.run([sys.executable, "-m", "pipeline", "report", "--out", str(small_run), "--report", str(target)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert f"open {target / 'index.html'}" in result.stdout
    return target
