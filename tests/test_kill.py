"""Real `python -m pipeline run` processes, killed, interrupted or overlapping on one output folder."""
import random
import shutil
import signal
import subprocess
import sys
import time

import pytest

from conftest import ROOT
from pipeline import integrity, io, load
from pipeline.schemas import TABLES

KILLS = 3  # each costs a model load; the publish itself is covered step by step in test_publish.py


def _raw(folder, prefix: str, copies: int):
    folder.mkdir()
    for i in range(copies):
        for path in sorted((ROOT / "data" / "raw").glob("*.txt")):
            shutil.copy(path, folder / f"{prefix}{i}_{path.name}")
    return folder


def _start(raw, out, *extra):
    return subprocess.Popen([sys.executable, "-m", "pipeline", "run", "--raw", str(raw), "--out", str(out),
                             "--batch-size", "1", "--workers", "1", "--no-progress", *extra],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline
        time.sleep(0.02)


def _visible_doc_ids(out) -> list[str]:
    """The doc_ids readers see, after checking every visible table belongs to the same run."""
    tables = {name: load(name, out) for name in TABLES if (out / name).exists()}
    assert len(tables) == len(TABLES)
    assert integrity.first_violation(tables) is None
    return sorted(tables["documents"].doc_id)


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    """Run A to its end while a second run on the same folder is refused; returns its folders and time."""
    tmp = tmp_path_factory.mktemp("kill")
    out = tmp / "out"
    started = time.monotonic()
    a = _start(_raw(tmp / "raw_a", "a", 1), out)
    _wait_for(lambda: (out / io.LOCK).exists() and (out / io.LOCK).read_text() == str(a.pid))
    second = subprocess.run([sys.executable, "-m", "pipeline", "run", "--raw", str(tmp / "raw_a"), "--out", str(out)],
                            cwd=ROOT, capture_output=True, text=True)
    assert a.wait(timeout=300) == 0, a.stderr
    return {"tmp": tmp, "out": out, "seconds": time.monotonic() - started, "second": second,
            "a_ids": _visible_doc_ids(out), "first_pid": a.pid}


def test_a_second_run_on_the_same_folder_exits_2_naming_the_first(first_run):
    second = first_run["second"]
    assert second.returncode == 2
    assert second.stderr.strip() == (f"error: {first_run['out']} is being written by another run "
                                     f"(pid {first_run['first_pid']}); wait for it to finish or pass --wait")


def test_killed_runs_never_leave_a_mixed_set(first_run):
    out, a_ids = first_run["out"], first_run["a_ids"]
    raw_b = _raw(first_run["tmp"] / "raw_b", "b", 1)
    rng = random.Random(7)
    for _ in range(KILLS):  # mostly after the models load, when batches are written and published
        run = _start(raw_b, out)
        time.sleep(rng.uniform(0.5, 1.05) * first_run["seconds"])
        run.send_signal(signal.SIGKILL)
        run.wait()
        ids = _visible_doc_ids(out)
        assert ids == a_ids or all(d.startswith("b") for d in ids)
    after = subprocess.run([sys.executable, "-m", "pipeline", "ingest", "--raw", str(raw_b), "--out", str(out)],
                           cwd=ROOT, capture_output=True, text=True)
    assert after.returncode == 0, after.stderr
    assert all(d.startswith("b") for d in load("documents", out).doc_id)
    assert {p.name for p in (out / io.SNAPSHOTS).iterdir()} == {
        (out / "current").resolve().name, (out / "previous").resolve().name}, "killed runs' staging is removed"


def test_sigterm_is_handled_like_ctrl_c(first_run, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(first_run["out"], out, symlinks=True)
    before, snapshots = load("documents", out), set((out / io.SNAPSHOTS).iterdir())
    run = _start(_raw(tmp_path / "raw", "c", 1), out)
    _wait_for(lambda: set((out / io.SNAPSHOTS).iterdir()) > snapshots)  # its staging exists
    run.send_signal(signal.SIGTERM)
    assert run.wait(timeout=120) == 130
    assert run.stderr.read().strip() == "interrupted: nothing published, the previous tables are kept"
    assert load("documents", out).equals(before)
    assert set((out / io.SNAPSHOTS).iterdir()) == snapshots, "no staging left behind"
