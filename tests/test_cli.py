import subprocess
import sys

from conftest import ROOT, SENTENCE, tcvn3_writable, to_cp1258, to_tcvn3, to_vni


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
    assert f"{tmp_path / 'documents'} not found" in result.stderr


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
    from conftest import assert_same_tables

    assert_same_tables(staged, streamed, ["documents", "sentences", "tokens", "mentions", "entities", "amounts",
                                          "times", "relations"])


def test_a_folder_holding_every_case_runs_and_counts_each_entry_once(tmp_path):
    from pipeline import load

    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    article = (ROOT / "data" / "raw" / "000_dbd9b23d20324659.txt").read_text(encoding="utf-8")
    files = {
        "article.txt": article.encode(), "stray.txt": SENTENCE.encode() + b"\xff\n",
        "cp1258.txt": to_cp1258(SENTENCE), "vni.txt": to_vni(SENTENCE), "tcvn3.txt": to_tcvn3(tcvn3_writable(SENTENCE)),
        "utf16.txt": SENTENCE.encode("utf-16"), "page.txt": f"<html><body><p>{SENTENCE}</p></body></html>".encode(),
        "english.txt": b"The Prime Minister met the President of Laos in Vientiane on Monday.",
        "garbage.txt": bytes(range(0x80, 0x100)) * 2, "binary.txt": b"\x00\x01\x02\x03", "empty.txt": b" \n",
        "notes.md": b"# notes", "records.jsonl": f'{{"id": "r1", "text": "{SENTENCE}"}}\nnot json\n'.encode(),
        ".hidden.txt": SENTENCE.encode(),
    }
    for name, payload in files.items():
        (raw / name).write_bytes(payload)
    (raw / "sub").mkdir()
    (raw / "sub" / "inner.txt").write_text(SENTENCE)
    (raw / "dangling.txt").symlink_to(raw / "gone.txt")
    (raw / "to_sub").symlink_to(raw / "sub")
    (raw / "same_as_article.txt").symlink_to(raw / "article.txt")
    entries = len(list(raw.iterdir()))
    result = _cli("run", "--raw", str(raw), "--out", str(out), "--no-progress")
    assert result.returncode == 0, result.stderr
    documents, rejected = load("documents", out), load("rejected", out)
    assert result.stdout.startswith(f"{entries} entries → {len(documents)} documents, {len(rejected)} rejected;")
    assert sorted(documents.doc_id) == ["article", "cp1258", "english", "page", "r1", "stray", "tcvn3", "utf16", "vni"]
    assert set(documents.text[documents.doc_id.isin(["cp1258", "vni", "tcvn3", "utf16", "page", "r1"])]) == {SENTENCE}
    per_file = rejected[rejected.record.isna()].set_index(rejected.source[rejected.record.isna()].map(
        lambda s: s.rsplit("/", 1)[-1])).reason_code.to_dict()
    assert per_file == {".hidden.txt": "hidden", "binary.txt": "undecodable", "dangling.txt": "broken_link",
                        "empty.txt": "empty", "garbage.txt": "undecodable", "notes.md": "unknown_type",
                        "same_as_article.txt": "duplicate_file", "sub": "not_a_file", "to_sub": "not_a_file"}
    assert rejected[rejected.record.notna()].reason_code.tolist() == ["bad_record"]


def test_importing_pipeline_loads_no_model():
    probe = "import sys, pipeline; print(sorted({'spacy', 'underthesea', 'pandas'} & set(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stderr
