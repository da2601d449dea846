"""Incremental runs: only new or changed documents go through the stages, the others' rows are carried over, and
the tables equal those of a full run, row for row. The Makefile's stage targets follow the raw folder's listing."""
import json
import os
import shutil
import subprocess
import sys
import time

import duckdb
import pandas as pd
import pytest

from conftest import ROOT, assert_same_tables
from pipeline import config, io, load, runner
from pipeline.runner import run
from pipeline.schemas import TABLES

TEXTS = {
    "a.txt": "date 2026-02-05\nThủ tướng Phạm Minh Chính thăm Lào.",
    "b.txt": "Tổng Bí thư Tô Lâm đến Hà Nội năm 2025.",
    "c.txt": "date 2024-03-01\nDự án nhà máy nhiệt điện LNG Thái Bình được khởi công, vốn 2 tỷ USD.",
}
RECORDS = [{"id": "r1", "date": "2025-01-02", "text": "Nhà máy Nhiệt điện LNG Thái Bình đã vận hành."},
           {"id": "r2", "text": "Chủ tịch nước thăm Viêng Chăn ngày 3/4."}]


def _corpus(folder, texts=TEXTS, records=RECORDS):
    folder.mkdir(exist_ok=True)
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "x.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return folder


def _run(raw, out, **options):
    return run(raw, out, batch_size=2, workers=1, progress=False, **options)


def _full_run_equals(raw, out, tmp_path):
    """The tables of `out` are those of a full run on `raw` into a fresh folder."""
    fresh = tmp_path / f"full-{time.monotonic_ns()}"
    _run(raw, fresh)
    assert_same_tables(out, fresh)


def _doc_ids(out) -> dict[str, set]:
    return {name: set(load(name, out).doc_id) for name in TABLES if name not in ("rejected", "entities")}


def test_a_rerun_without_change_computes_and_publishes_nothing(tmp_path):
    raw, out = _corpus(tmp_path / "raw"), tmp_path / "out"
    first = _run(raw, out)
    assert first.computed == 5 and not first.up_to_date
    current = os.readlink(out / "current")
    os.utime(raw / "a.txt")  # touched: same bytes
    again = _run(raw, out)
    assert again.up_to_date and again.computed == 0
    assert "up to date" in str(again)
    assert os.readlink(out / "current") == current, "nothing was published"
    (raw / ".hidden").write_text("x")  # a new entry that is not a document: a new `rejected` row, nothing computed
    hidden = _run(raw, out)
    assert not hidden.up_to_date and hidden.computed == 0 and hidden.reused == 5
    assert "hidden" in set(load("rejected", out).reason_code)


def test_adding_changing_and_removing_files_gives_the_tables_of_a_full_run(tmp_path):
    raw, out = _corpus(tmp_path / "raw"), tmp_path / "out"
    _run(raw, out)
    (raw / "d.txt").write_text("date 2026-04-01\nBộ trưởng Bộ Quốc phòng Phan Văn Giang thăm Campuchia.", encoding="utf-8")
    (raw / "b.txt").write_text("Tổng Bí thư Tô Lâm đến Huế năm 2026.", encoding="utf-8")
    (raw / "c.txt").unlink()
    with open(raw / "x.jsonl", "a", encoding="utf-8") as jsonl:  # a record appended: r1 and r2 are reused
        jsonl.write(json.dumps({"id": "r3", "text": "Tập đoàn Điện lực Việt Nam (EVN) tăng giá điện."}, ensure_ascii=False) + "\n")
    summary = _run(raw, out)
    assert (summary.computed, summary.reused, summary.removed) == (3, 3, 1)
    assert all("c" not in ids for ids in _doc_ids(out).values()), "a removed file leaves every table"
    assert "Thái Bình" in " ".join(load("entities", out).canonical), "r1 still names the LNG plant"
    texts = dict(zip(load("documents", out).doc_id, load("documents", out).text))
    assert texts["b"] == "Tổng Bí thư Tô Lâm đến Huế năm 2026." and "r3" in texts
    _full_run_equals(raw, out, tmp_path)


def test_a_file_copied_in_with_an_old_mtime_is_ingested(tmp_path):
    raw, out = _corpus(tmp_path / "raw"), tmp_path / "out"
    _run(raw, out)
    old = raw / "a.txt"
    stat = old.stat()
    outside = tmp_path / "e.txt"
    outside.write_text("Thủ tướng Phạm Minh Chính thăm Nhật Bản.", encoding="utf-8")
    os.utime(outside, ns=(stat.st_atime_ns, stat.st_mtime_ns - 10**12))
    shutil.copy2(outside, raw / "e.txt")  # cp -p: an mtime older than the last run
    old.write_text(TEXTS["a.txt"].replace("Lào", "Mỹ"), encoding="utf-8")  # same size, old mtime put back
    os.utime(old, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert old.stat().st_size == stat.st_size and old.stat().st_mtime_ns == stat.st_mtime_ns
    summary = _run(raw, out)
    assert summary.computed == 2 and summary.reused == 4
    assert "Mỹ" in set(load("mentions", out).text)
    _full_run_equals(raw, out, tmp_path)


def test_a_change_of_code_or_lexicons_or_full_computes_everything(tmp_path, monkeypatch):
    raw, out = _corpus(tmp_path / "raw"), tmp_path / "out"
    _run(raw, out)
    package = tmp_path / "package"
    shutil.copytree(config.PACKAGE_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(config, "PACKAGE_DIR", package)
    try:
        runner._fingerprint.cache_clear()
        assert _run(raw, out).up_to_date, "the same code, wherever it is"
        with open(package / "resources" / "places.tsv", "a", encoding="utf-8") as lexicon:
            lexicon.write("# a lexicon edit\n")
        runner._fingerprint.cache_clear()
        changed = _run(raw, out)
        assert changed.computed == 5 and changed.reused == 0 and "code or lexicons changed" in str(changed)
        assert _run(raw, out).up_to_date
        before = io.code_fingerprint()
        with open(package / "nlp" / "rules.py", "a", encoding="utf-8") as code:
            code.write("# a code edit\n")
        assert io.code_fingerprint() != before, "every module counts, in subfolders too"
    finally:
        monkeypatch.undo()
        runner._fingerprint.cache_clear()
    forced = _run(raw, out, full=True)
    assert forced.computed == 5 and forced.reused == 0
    _full_run_equals(raw, out, tmp_path)


def test_a_doc_id_passes_to_the_next_file_when_its_first_file_goes(tmp_path):
    raw, out = _corpus(tmp_path / "raw", records=[{"id": "a", "text": "Tổng Bí thư Tô Lâm đến Hà Nội."}]), tmp_path / "out"
    _run(raw, out)
    rejected = load("rejected", out)
    assert rejected.reason_code.tolist() == ["duplicate_id"] and rejected.source.str.endswith("x.jsonl").all()
    (raw / "a.txt").unlink()
    summary = _run(raw, out)
    assert load("documents", out).set_index("doc_id").text["a"] == "Tổng Bí thư Tô Lâm đến Hà Nội."
    assert load("rejected", out).empty and summary.computed == 1
    _full_run_equals(raw, out, tmp_path)
    (raw / "a.txt").write_text(TEXTS["a.txt"], encoding="utf-8")
    _run(raw, out)
    assert load("rejected", out).reason_code.tolist() == ["duplicate_id"]
    _full_run_equals(raw, out, tmp_path)


def test_tables_are_datasets_partitioned_by_the_year_of_the_document(tmp_path):
    raw, out = _corpus(tmp_path / "raw"), tmp_path / "out"
    _run(raw, out)
    assert sorted(p.name for p in (out / "mentions").iterdir()) == ["year=0", "year=2024", "year=2025", "year=2026"]
    assert {p.parent.name for p in (out / "sentences").rglob("*.parquet")} == {"sentences"}, "not partitioned"
    of_2026 = pd.read_parquet(out / "mentions", filters=[("year", "=", 2026)])
    assert set(of_2026.doc_id) == {"a"} and (of_2026.year == 2026).all()
    assert set(load("mentions", out, filters=[("year", "=", 2024)]).doc_id) == {"c"}
    count = duckdb.sql(f"SELECT count(*) FROM read_parquet('{out}/mentions/**/*.parquet') WHERE year = 0").fetchall()[0][0]
    assert count == len(load("mentions", out, filters=[("year", "=", 0)])) > 0, "b and r2 have no date"


def test_make_stage_targets_see_removed_added_and_cp_p_files(tmp_path):
    raw, out = _corpus(tmp_path / "raw"), tmp_path / "out"
    make = ["make", "--no-print-directory", "-o", ".venv/.installed", f"PY={sys.executable}", f"RAW={raw}", f"OUT={out}"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def up_to_date() -> bool:
        result = subprocess.run([*make, "-q", "link"], cwd=ROOT, capture_output=True, text=True, env=env)
        assert result.returncode in (0, 1), result.stderr
        return result.returncode == 0

    def stages_done():  # as a finished `make link` leaves them: every stamp newer than the listing
        stamps = out / config.STAMPS_DIR
        now = time.time()
        os.utime(stamps / "raw.listing", (now - 100, now - 100))
        for i, stage in enumerate(("ingest", "segment", "tag", "link")):
            (stamps / stage).touch()
            os.utime(stamps / stage, (now - 50 + i, now - 50 + i))

    assert not up_to_date()  # writes the listing
    stages_done()
    assert up_to_date()
    (raw / "c.txt").unlink()
    assert not up_to_date(), "a removed file re-runs the stages"
    stages_done()
    old = (raw / "b.txt").stat()
    copied = tmp_path / "f.txt"
    copied.write_text("Chủ tịch nước thăm Lào.", encoding="utf-8")
    os.utime(copied, ns=(old.st_atime_ns, old.st_mtime_ns - 10**12))
    shutil.copy2(copied, raw / "f.txt")
    assert not up_to_date(), "a file copied with cp -p re-runs the stages"
    stages_done()
    assert up_to_date()


def test_a_file_name_that_is_not_utf8_runs_and_reruns(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / os.fsdecode(b"H\xe0 N\xf4i.txt")).write_text("Thủ tướng thăm Hà Nội.", encoding="utf-8")  # Latin-1 name
    assert _run(raw, out).computed == 1
    assert load("documents", out).doc_id.tolist() == ["H\ufffd N\ufffdi"]
    assert _run(raw, out).up_to_date
