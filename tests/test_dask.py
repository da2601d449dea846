"""The batches as tasks on a real Dask cluster: a scheduler and 2 worker processes on loopback."""
import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, assert_same_tables
from pipeline import load
from pipeline.runner import run

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    # Worker processes import this checkout's package, like the test process.
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as local:
        yield local


def _raw(folder):
    folder.mkdir()
    for path in sorted((ROOT / "data" / "raw").glob("*.txt")):
        shutil.copy(path, folder)
    (folder / "c.txt").write_text("date 2024-03-01\nDự án nhà máy nhiệt điện LNG Thái Bình được khởi công.",
                                  encoding="utf-8")
    (folder / "d.jsonl").write_text('{"id": "r1", "text": "Tổng Bí thư Tô Lâm đến Hà Nội."}\n'
                                    '{"id": "c", "text": "a duplicate id"}\nnot json\n', encoding="utf-8")
    (folder / "empty.txt").write_text("")
    return folder


def test_a_dask_run_gives_the_tables_of_a_local_run(cluster, tmp_path):
    raw = _raw(tmp_path / "raw")
    run(raw, tmp_path / "local", batch_size=2, workers=1, progress=False)
    summary = run(raw, tmp_path / "dask", batch_size=1, progress=False, scheduler=cluster.scheduler_address)
    assert summary.computed == 5 and summary.documents == 4, "d.jsonl's c, computed in its own batch, is dropped"
    assert_same_tables(tmp_path / "local", tmp_path / "dask")
    assert set(load("rejected", tmp_path / "dask").reason_code) == {"duplicate_id", "bad_record", "empty"}
    # the workers wrote the part files: one per batch holding a document
    assert len(list((tmp_path / "dask" / "sentences").glob("part-*.parquet"))) == 4
    (raw / "c.txt").unlink()
    again = run(raw, tmp_path / "dask", batch_size=1, progress=False, scheduler=cluster.scheduler_address)
    assert again.computed == 1 and again.reused == 3, "c's doc_id passes to d.jsonl's record"
    run(raw, tmp_path / "local", batch_size=2, workers=1, progress=False)
    assert_same_tables(tmp_path / "local", tmp_path / "dask")


def test_an_unreachable_scheduler_is_one_line_and_exit_2(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("Hà Nội", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PIPELINE_SCHEDULER_TIMEOUT": "2"}
    result = subprocess.run([sys.executable, "-m", "pipeline", "run", "--raw", str(raw), "--out", str(tmp_path / "out"),
                             "--scheduler", "tcp://127.0.0.1:9", "--no-progress"],
                            cwd=ROOT, capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("error: cannot reach the Dask scheduler at tcp://127.0.0.1:9")
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "current").exists(), "nothing published"
