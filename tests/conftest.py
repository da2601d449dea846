from __future__ import annotations

import json
import os
import shutil
import tempfile
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SENTENCE = "Thủ tướng Phạm Minh Chính thăm Hà Nội ngày 5/2."
TONES = "\u0301\u0300\u0309\u0303\u0323"  # sắc, huyền, hỏi, ngã, nặng
# The session's own model cache (`io.cached`), shared with the processes the tests start: never the user's.
SESSION_CACHE = None if "PIPELINE_CACHE_DIR" in os.environ else tempfile.mkdtemp(prefix="vnews-test-cache-")
if SESSION_CACHE:
    os.environ["PIPELINE_CACHE_DIR"] = SESSION_CACHE


def pytest_sessionfinish(session, exitstatus):
    if SESSION_CACHE:
        shutil.rmtree(SESSION_CACHE, ignore_errors=True)


def fresh_python(code: str) -> list[str]:
    """The lines `code` prints in a new interpreter: for what a process starts with (imports, the collector)."""
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.splitlines()


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


# Legacy encoders, to make test files as Vietnamese software of the 1990s-2000s wrote them.
def to_cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows software writes it: a letter without its tone, then the tone mark."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        nfd = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in TONES))
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            out += (base + "".join(c for c in nfd if c in TONES)).encode("cp1258")
    return bytes(out)


# VNI, written from the VNI keyboard's rules (base letter, then the mark keys), not from pipeline/resources.
_VNI_TONE = dict(zip(TONES, "ùøûõï"))
_VNI_CIRCUMFLEX = dict(zip(TONES, "áàåãä"))
_VNI_BREVE = dict(zip(TONES, "éèúüë"))
_VNI_I = dict(zip(TONES, "íìæóò"))


def to_vni(text: str) -> bytes:
    out = []
    for ch in unicodedata.normalize("NFC", text):
        base, *marks = unicodedata.normalize("NFD", ch)
        if ch.isascii() or (not marks and ch not in "đĐ"):  # punctuation such as "–" is Windows-1252 itself
            out.append(ch)
            continue
        tone = next((m for m in marks if m in TONES), None)
        upper = base.isupper()
        case = str.upper if upper else str
        if ch in "đĐ":
            out.append(case("ñ"))
        elif base in "iI" and tone:
            out.append(case(_VNI_I[tone]))
        elif base in "yY" and tone == "\u0323":
            out.append(case("î"))
        elif "\u031b" in marks:  # horn: ơ, ư are letters of their own
            out.append(case({"o": "ô", "u": "ö"}[base.lower()]) + (case(_VNI_TONE[tone]) if tone else ""))
        elif "\u0302" in marks:
            out.append(base + case(_VNI_CIRCUMFLEX[tone] if tone else "â"))
        elif "\u0306" in marks:
            out.append(base + case(_VNI_BREVE[tone] if tone else "ê"))
        else:
            out.append(base + case(_VNI_TONE[tone]))
    return "".join(out).encode("cp1252")


def to_tcvn3(text: str) -> bytes:
    codes = {char: byte for byte, char in _tcvn3_codes().items()}
    return bytes(ord(c) if c.isascii() else codes[c] for c in unicodedata.normalize("NFC", text))


def tcvn3_writable(text: str) -> str:
    """The text as a TCVN3 typist writes it: no code for some toned capitals, nor for dashes and curly quotes."""
    letters = set(_tcvn3_codes().values())
    return "".join(c if c.isascii() or c in letters else c.lower() if c.lower() in letters else "-" for c in text)


def _tcvn3_codes() -> dict[int, str]:
    from pipeline import decoding

    return decoding._tcvn3_table()


# An article that tries to inject markup: the report, `show --html` and the notebook must show it as text.
# It is a JSONL record: a .txt file with markup is read as HTML and its scripts dropped by ingest.
HOSTILE_TEXT = ("Thủ tướng Phạm Minh Chính thăm Hà Nội <script>alert('x')</script> và "
                "<img src=x onerror=alert(1)> cùng dự án đường sắt Lào Cai – Hà Nội trị giá 8 tỷ USD.")


@pytest.fixture(scope="session")
def small_run(tmp_path_factory) -> Path:
    """Tables of a small run, made once per session: the two data/raw articles, a hostile article
    (`hostile.jsonl`, HOSTILE_TEXT) and an empty file (a rejection)."""
    import shutil

    from pipeline.runner import run

    raw = tmp_path_factory.mktemp("small_raw")
    for path in (ROOT / "data" / "raw").glob("*.txt"):
        shutil.copy(path, raw)
    record = {"id": "hostile", "date": "2026-03-01", "text": HOSTILE_TEXT}
    (raw / "hostile.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
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


def sorted_table(out: Path, name: str) -> pd.DataFrame:
    """One table of an output folder, rows sorted by its primary key (every column when it has none), list cells as
    tuples: two runs' tables are equal row for row when these frames are equal, whatever their part files."""
    import numpy as np

    from pipeline import io
    from pipeline.integrity import PRIMARY_KEYS

    frame = io.read_table(name, out)
    for column in frame.columns:
        frame[column] = [tuple(v) if isinstance(v, (list, np.ndarray)) else v for v in frame[column]]
    key = PRIMARY_KEYS.get(name) or list(frame.columns)
    return frame.sort_values(key, key=lambda s: s.astype(str)).reset_index(drop=True)


def assert_same_tables(a: Path, b: Path, names=None) -> None:
    from pipeline.schemas import TABLES

    for name in names or TABLES:
        pd.testing.assert_frame_equal(sorted_table(a, name), sorted_table(b, name), obj=name)
