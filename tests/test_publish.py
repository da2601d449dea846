"""Snapshot publishing, the output lock, the integrity check and disk errors, without the NLP models."""
import errno
import os
import signal
import stat
import subprocess
import sys
import time

import pandas as pd
import pytest

from conftest import ROOT
from pipeline import cli, integrity, io, load
from pipeline.schemas import TABLES


def _documents(*texts: str, prefix: str = "d") -> pd.DataFrame:
    return pd.DataFrame({"doc_id": [f"{prefix}{i}" for i in range(len(texts))], "source": "a.txt", "format": "txt",
                         "flags": [[] for _ in texts], "date": None, "text": list(texts), "sha256": "0" * 64,
                         "n_chars": [len(t) for t in texts], "n_paragraphs": 0, "n_sentences": 0, "n_tokens": 0,
                         "n_mentions": 0})


def _rejected() -> pd.DataFrame:
    return pd.DataFrame(columns=TABLES["rejected"].names)


def _publish(out, *texts, prefix="d", **extra):
    with io.output_lock(out) as folder:
        io.publish(folder, {"documents": _documents(*texts, prefix=prefix), "rejected": _rejected(), **extra})


def _snapshots(out) -> set[str]:
    return {p.name for p in (out / io.SNAPSHOTS).iterdir()}


def test_tables_are_read_through_one_pointer_and_the_previous_snapshot_is_kept(tmp_path):
    _publish(tmp_path, "Hà Nội", prefix="a")
    first = os.readlink(tmp_path / "current")
    _publish(tmp_path, "Lào", "Huế", prefix="b")
    assert os.readlink(tmp_path / "previous") == first
    assert os.readlink(tmp_path / "documents") == "current/documents"
    assert load("documents", tmp_path).doc_id.tolist() == ["b0", "b1"]
    _publish(tmp_path, "Đà Nẵng", prefix="c")
    assert len(_snapshots(tmp_path)) == 2, "only current and previous are kept"
    assert first.split("/")[-1] not in _snapshots(tmp_path)


def test_duckdb_pandas_and_pyarrow_read_the_stable_paths(tmp_path):
    import pyarrow.dataset as pads

    duckdb = pytest.importorskip("duckdb")
    _publish(tmp_path, "Hà Nội", "Lào")
    assert duckdb.sql(f"SELECT count(*) FROM '{tmp_path / 'documents' / '**' / '*.parquet'}'").fetchall() == [(2,)]
    assert duckdb.sql(f"SELECT count(*) FROM read_parquet('{tmp_path / 'rejected' / '*.parquet'}')").fetchall() == [(0,)]
    assert sorted(pd.read_parquet(tmp_path / "documents").doc_id) == ["d0", "d1"]
    assert pads.dataset(tmp_path / "documents", partitioning="hive").count_rows() == 2
    assert sorted(p.name for p in (tmp_path / "documents").iterdir()) == ["year=0"], "undated documents: year=0"


def test_tables_follow_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        _publish(tmp_path, "Hà Nội")
    finally:
        os.umask(old)
    for part in (tmp_path / "documents").rglob("*.parquet"):
        mode = stat.S_IMODE(os.stat(part).st_mode)
        assert mode == 0o644, oct(mode)


def test_a_failing_integrity_check_publishes_nothing_and_names_the_row(tmp_path):
    _publish(tmp_path, "Hà Nội")
    before = os.readlink(tmp_path / "current")
    stray = pd.DataFrame({"doc_id": ["nope"], "sent_id": [0], "paragraph_id": [0], "start": [0], "end": [3],
                          "text": ["Lào"]})
    with pytest.raises(io.IntegrityError, match="sentences: 1 rows whose doc_id is not in documents.*'nope'"):
        _publish(tmp_path, "Huế", sentences=stray)
    assert os.readlink(tmp_path / "current") == before
    assert load("documents", tmp_path).text.tolist() == ["Hà Nội"]
    assert _snapshots(tmp_path) == {before.split("/")[-1]}, "the refused staging is removed"


def _consistent_tables():
    documents = _documents("Hà Nội có mưa.")
    documents[["n_paragraphs", "n_sentences", "n_tokens", "n_mentions"]] = 1
    sentences = pd.DataFrame({"doc_id": ["d0"], "sent_id": [0], "paragraph_id": [0], "start": [0], "end": [14],
                              "text": ["Hà Nội có mưa."]})
    tokens = pd.DataFrame({"doc_id": ["d0"], "sent_id": [0], "token_id": [0], "start": [0], "end": [6],
                           "text": ["Hà Nội"], "pos": ["Np"]})
    mentions = pd.DataFrame({"mention_id": ["d0:0-6"], "doc_id": ["d0"], "sent_id": [0], "start": [0], "end": [6],
                             "text": ["Hà Nội"], "label": ["PLACE"], "entity_id": ["PLACE:ha noi"]})
    entities = pd.DataFrame({"entity_id": ["PLACE:ha noi"], "label": ["PLACE"]})
    entity_parts = pd.DataFrame({"doc_id": ["d0"], "entity_id": ["PLACE:ha noi"], "label": ["PLACE"],
                                 "field": ["mention"], "value": [""], "n": [1]})
    return {"documents": documents, "sentences": sentences, "tokens": tokens, "mentions": mentions,
            "entities": entities, "entity_parts": entity_parts}


@pytest.mark.parametrize("table, change, message", [
    ("documents", lambda f: pd.concat([f, f]), "documents: 2 rows repeat the key (doc_id)"),
    ("mentions", lambda f: f.assign(entity_id="PLACE:hue"), "whose entity_id is not in entities"),
    ("mentions", lambda f: f.assign(doc_id="d9"), "mentions: 1 rows whose doc_id is not in documents"),
    ("mentions", lambda f: f.assign(mention_id="d0:0-7"), "mentions: 1 rows whose mention_id is not doc_id:start-end"),
    ("entity_parts", lambda f: f.assign(entity_id="PLACE:hue"), "whose entity_id is not in entity_parts"),
    ("tokens", lambda f: f.assign(end=99), "tokens: 1 rows whose text is not documents.text"),
    ("sentences", lambda f: f.assign(start=-1), "sentences: 1 rows whose text is not documents.text"),
    ("mentions", lambda f: f.assign(text="Huế"), "mentions: 1 rows whose text is not documents.text"),
    ("documents", lambda f: f.assign(n_tokens=5), "whose n_tokens does not match tokens"),
    ("documents", lambda f: f.assign(n_chars=3), "whose n_chars is not the length of text"),
])
def test_integrity_check_finds_each_broken_promise(table, change, message):
    tables = _consistent_tables()
    assert integrity.first_violation(tables) is None
    tables[table] = change(tables[table])
    assert message in integrity.first_violation(tables)


def test_the_global_check_needs_every_part_s_entity_parts_within_entities(tmp_path):
    """What spans parts is checked from key columns; the rest was checked part by part when written."""
    tables = _consistent_tables()
    with io.output_lock(tmp_path), io.Snapshot(tmp_path) as snapshot:
        whole = {"documents": tables["documents"],
                 "mentions": tables["mentions"].assign(title=None, source="rule", attrs="{}"),
                 "entities": tables["entities"].assign(canonical="Hà Nội", aliases=[["Hà Nội"]], n_mentions=1,
                                                       n_docs=1, titles=[[]], country=None, kind=None)}
        io.write_part(snapshot.path, "part-a", {t: whole[t] for t in ("documents", "mentions")} |
                      {"entity_parts": tables["entity_parts"]})
        io.write_part(snapshot.path, "part-e", {"entities": whole["entities"].assign(entity_id="PLACE:hue")})
        io.ensure_files(snapshot.path)
        with pytest.raises(io.IntegrityError, match="1 entity_ids not in entities, first: 'PLACE:ha noi'"):
            snapshot.publish(check="global")
        io.remove_files(snapshot.path, ["_state/entity_parts/part-a.parquet"])
        with pytest.raises(io.IntegrityError, match="1 parts without their entity parts, first: part-a"):
            snapshot.publish(check="global")
        io.write_part(snapshot.path, "part-a", {"entity_parts": tables["entity_parts"]})
        io.write_part(snapshot.path, "part-e", {"entities": whole["entities"]})
        snapshot.publish(check="global")
    assert load("mentions", tmp_path).entity_id.tolist() == ["PLACE:ha noi"]


def test_stale_staging_and_temp_files_are_removed_by_the_next_run(tmp_path):
    _publish(tmp_path, "Hà Nội")
    dead = tmp_path / io.SNAPSHOTS / "20260101T000000000000Z-99999"  # a run killed while writing
    dead.mkdir()
    (dead / ".mentions.99999.tmp").write_bytes(b"half")
    (tmp_path / ".documents.99999.tmp").symlink_to("current/documents")
    (tmp_path / ".mentions.a1b2.tmp").write_bytes(b"left by an older version")
    with io.output_lock(tmp_path):
        assert not dead.exists()
        assert not list(tmp_path.glob(".*.tmp"))
    assert load("documents", tmp_path).text.tolist() == ["Hà Nội"]


def test_a_publish_killed_at_any_step_leaves_one_runs_tables(tmp_path):
    """Kill (SIGKILL, no clean-up) before each file operation of the publish; readers see A's or B's set."""
    step = 0
    while True:
        out = tmp_path / f"out{step}"
        _publish(out, "Hà Nội", prefix="a")
        pid = os.fork()
        if pid == 0:  # the child dies at its `step`-th rename or symlink
            try:
                calls = iter(range(step))

                def dying(real):
                    def op(*args, **kwargs):
                        if next(calls, None) is None:
                            os.kill(os.getpid(), signal.SIGKILL)
                        return real(*args, **kwargs)
                    return op

                os.replace, os.symlink = dying(os.replace), dying(os.symlink)
                _publish(out, "Lào", "Huế", prefix="b")
            finally:
                os._exit(0)
        status = _wait_for_child(pid)
        tables = {name: load(name, out) for name in TABLES if (out / name).exists()}
        assert integrity.first_violation(tables) is None
        assert tables["documents"].doc_id.tolist() in (["a0"], ["b0", "b1"]), step
        if os.WIFEXITED(status):  # the publish ran to its end
            assert tables["documents"].doc_id.tolist() == ["b0", "b1"]
            break
        step += 1
    assert step >= 4


def _wait_for_child(pid: int, timeout: float = 60) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        time.sleep(0.01)
    os.kill(pid, signal.SIGKILL)  # a forked child that hangs must not hang the suite
    os.waitpid(pid, 0)
    raise AssertionError("the forked publish did not finish")


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=ROOT, capture_output=True, text=True)


def _raw(tmp_path, **files):
    raw = tmp_path / "raw"
    raw.mkdir(exist_ok=True)
    for name, text in files.items():
        (raw / name).write_text(text)
    return raw


def test_a_second_writer_exits_2_naming_the_first_or_waits(tmp_path):
    raw, out = _raw(tmp_path, **{"a.txt": "Hà Nội"}), tmp_path / "out"
    with io.output_lock(out):
        refused = _cli("ingest", "--raw", str(raw), "--out", str(out))
        assert refused.returncode == 2
        assert refused.stderr.strip() == (f"error: {out} is being written by another run (pid {os.getpid()}); "
                                          "wait for it to finish or pass --wait")
        waiting = subprocess.Popen([sys.executable, "-m", "pipeline", "ingest", "--wait", "--raw", str(raw),
                                    "--out", str(out)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        with pytest.raises(subprocess.TimeoutExpired):
            waiting.wait(timeout=3)
    assert waiting.wait(timeout=60) == 0
    assert load("documents", out).text.tolist() == ["Hà Nội"]


def test_a_lock_left_by_a_dead_process_does_not_block(tmp_path):
    raw, out = _raw(tmp_path, **{"a.txt": "Hà Nội"}), tmp_path / "out"
    out.mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (out / io.LOCK).write_text(str(dead.pid))
    assert _cli("ingest", "--raw", str(raw), "--out", str(out)).returncode == 0


def test_an_empty_input_never_replaces_the_tables(tmp_path):
    out = tmp_path / "out"
    _publish(out, "Hà Nội")
    empty = tmp_path / "empty"
    empty.mkdir()
    for command in ("run", "ingest"):
        result = _cli(command, "--raw", str(empty), "--out", str(out))
        assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert "pass --allow-empty" in result.stderr
        assert load("documents", out).text.tolist() == ["Hà Nội"]
    assert _cli("ingest", "--raw", str(empty), "--out", str(out), "--allow-empty").returncode == 0
    assert load("documents", out).empty


def test_out_that_is_a_file_is_one_line_and_exit_2(tmp_path):
    raw, out = _raw(tmp_path, **{"a.txt": "Hà Nội"}), tmp_path / "out.txt"
    out.write_text("not a folder")
    result = _cli("run", "--raw", str(raw), "--out", str(out))
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: --out {out} is a file, not a folder"


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # the writer's __del__ closes again
@pytest.mark.parametrize("code, failing_call", [
    (errno.ENOSPC, "write_table"), (errno.ENOSPC, "close"), (errno.EROFS, "write_table"), (errno.EACCES, "write_table"),
])
def test_a_failing_disk_is_one_line_exit_2_and_keeps_the_previous_snapshot(tmp_path, monkeypatch, capsys, code,
                                                                           failing_call):
    raw, out = _raw(tmp_path, **{"a.txt": "Huế"}), tmp_path / "out"
    _publish(out, "Hà Nội")
    before = _snapshots(out)

    def failing(*args):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(io.pq.ParquetWriter, failing_call, failing)  # the writer, where a full disk shows
    assert cli.main(["ingest", "--raw", str(raw), "--out", str(out)]) == 2
    assert capsys.readouterr().err == (f"error: cannot write to {out}: {os.strerror(code)}; "
                                       "the previous tables are kept\n")
    assert load("documents", out).text.tolist() == ["Hà Nội"]
    assert _snapshots(out) == before, "no staging left behind"


def test_bench_with_a_missing_gold_file_is_a_user_error(tmp_path):
    result = _cli("bench", "--raw", str(_raw(tmp_path, **{"a.txt": "Hà Nội"})), "--gold", "/nonexistent.jsonl")
    assert result.returncode == 2
    assert result.stderr.strip() == "error: gold file not found: /nonexistent.jsonl"


def test_workers_are_clamped_to_batches_and_cores(monkeypatch):
    from pipeline import runner

    started = []

    class RecordingPool:
        def __init__(self, max_workers, initializer=None, initargs=()):
            started.append(max_workers)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def submit(self, fn, *args):
            from concurrent.futures import Future

            done = Future()
            done.set_result(fn(*args))
            return done

    monkeypatch.setattr(runner, "ProcessPoolExecutor", RecordingPool)
    monkeypatch.setattr(runner, "warm_up", lambda freeze=False: None)  # no models here
    monkeypatch.setattr(runner.os, "cpu_count", lambda: 2)
    with runner._executor(64, None, 2) as map_tasks:
        assert list(map_tasks(len, [[], [1]])) == [0, 1]
    assert started == [1], "2 workers: the driver and one pool process"
    with runner._executor(64, None, 1) as map_tasks:
        assert list(map_tasks(len, [[]])) == [0] and started == [1], "one batch needs no pool"


def test_a_folder_written_by_the_older_layouts_is_taken_over(tmp_path):
    import pyarrow.parquet as pq

    plain, linked = tmp_path / "plain", tmp_path / "linked"
    plain.mkdir()
    pq.write_table(io.to_arrow("documents", _documents("Hà Nội", prefix="old")), plain / "documents.parquet")
    (plain / ".mentions.tmp1234.tmp").write_bytes(b"left by a killed older version")
    linked.mkdir()  # one file per table, through `current`
    (linked / "snapshots" / "1").mkdir(parents=True)
    pq.write_table(io.to_arrow("documents", _documents("Hà Nội", prefix="old")), linked / "snapshots/1/documents.parquet")
    (linked / "current").symlink_to("snapshots/1")
    (linked / "documents.parquet").symlink_to("current/documents.parquet")
    for out in (plain, linked):
        _publish(out, "Lào", prefix="new")
        assert os.readlink(out / "documents") == "current/documents"
        assert load("documents", out).doc_id.tolist() == ["new0"]
        assert not (out / "documents.parquet").exists() and not (out / "documents.parquet").is_symlink()
        assert not list(out.glob(".*.tmp"))
