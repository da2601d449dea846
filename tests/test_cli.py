import subprocess
import sys

from conftest import ROOT


def _cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=cwd, capture_output=True, text=True)


def test_missing_raw_folder_is_one_line_and_exit_2(tmp_path):
    result = _cli("run", "--raw", str(tmp_path / "nope"), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr.strip().startswith("error: raw folder not found")
    assert "Traceback" not in result.stderr


def test_stage_without_its_input_names_what_to_run(tmp_path):
    result = _cli("segment", "--out", str(tmp_path))
    assert result.returncode == 2
    assert "documents.parquet not found" in result.stderr


def test_stages_one_by_one_match_the_streaming_run(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("date 2026-02-05 Sáng 5/2, Tổng Bí thư Tô Lâm đến thủ đô Viêng Chăn.\n")
    staged, streamed = tmp_path / "staged", tmp_path / "streamed"
    for stage in ("ingest", "segment", "tag", "link"):
        extra = ["--raw", str(raw)] if stage == "ingest" else []
        result = _cli(stage, *extra, "--out", str(staged))
        assert result.returncode == 0, result.stderr
    assert _cli("run", "--raw", str(raw), "--out", str(streamed), "--no-progress").returncode == 0
    import pyarrow.parquet as pq

    for name in ("documents", "mentions", "entities", "times"):
        assert pq.read_table(staged / f"{name}.parquet").equals(pq.read_table(streamed / f"{name}.parquet")), name
