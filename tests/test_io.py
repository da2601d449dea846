import os
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipeline import io
from pipeline.schemas import TABLES


def _sentences():
    return pd.DataFrame({"doc_id": ["d", "d"], "sent_id": [0, 1], "paragraph_id": [0, 1], "start": [0, 5],
                         "end": [4, 9], "text": ["Lào.", "Việt"]})


def test_a_table_written_then_read_is_identical(tmp_path):
    frame = _sentences()
    io.write_table("sentences", frame, tmp_path)
    back = io.read_table("sentences", tmp_path)
    pd.testing.assert_frame_equal(back, frame, check_dtype=False)
    (part,) = (tmp_path / "sentences").glob("*.parquet")  # a dataset folder of part files
    assert pq.read_schema(part).equals(TABLES["sentences"], check_metadata=False)


def test_missing_or_extra_columns_are_refused(tmp_path):
    with pytest.raises(ValueError, match="missing columns"):
        io.write_table("sentences", _sentences().drop(columns=["text"]), tmp_path)
    with pytest.raises(ValueError, match="extra columns"):
        io.write_table("sentences", _sentences().assign(extra=1), tmp_path)
    assert not list(tmp_path.iterdir()), "a refused write leaves nothing behind"


def test_aborted_stream_leaves_no_partial_table(tmp_path):
    writer = io.TableWriter("sentences", tmp_path)
    writer.write(_sentences())
    writer.abort()
    assert not list(tmp_path.iterdir())


def test_reading_a_missing_table_is_a_user_error(tmp_path):
    with pytest.raises(io.UserError, match="run the stage"):
        io.read_table("mentions", tmp_path)


def test_raw_files_are_listed_in_a_stable_order(tmp_path):
    for name in ["b.txt", "a.txt"]:
        (tmp_path / name).write_text("x")
    assert [p.name for p in io.list_raw(tmp_path).files] == ["a.txt", "b.txt"]
    with pytest.raises(io.UserError):
        io.list_raw(tmp_path / "nope")


def _every_kind_of_entry(raw):
    raw.mkdir()
    (raw / "a.txt").write_text("Hà Nội")
    (raw / ".hidden.txt").write_text("Huế")
    (raw / ".DS_Store").write_bytes(b"\x00\x01")
    (raw / "sub").mkdir()
    (raw / "sub" / "c.txt").write_text("Lào")
    (raw / "sub" / ".git").mkdir()
    (raw / "dangling.txt").symlink_to(raw / "gone.txt")
    (raw / "to_folder").symlink_to(raw / "sub")
    (raw / "same_as_a.txt").symlink_to(raw / "a.txt")
    outside = raw.parent / "outside.txt"
    outside.write_text("Đà Nẵng")
    (raw / "outside.txt").symlink_to(outside)
    os.mkfifo(raw / "pipe.txt")
    return raw


def test_every_entry_is_read_or_rejected_once(tmp_path):
    raw = _every_kind_of_entry(tmp_path / "raw")
    listing = io.list_raw(raw)
    assert [p.name for p in listing.files] == ["a.txt", "outside.txt"]
    codes = dict(zip(listing.skipped.source.map(lambda s: Path(s).name), listing.skipped.reason_code))
    assert codes == {".hidden.txt": "hidden", ".DS_Store": "hidden", "sub": "not_a_file",
                     "dangling.txt": "broken_link", "to_folder": "not_a_file", "same_as_a.txt": "duplicate_file",
                     "pipe.txt": "not_a_file"}
    assert listing.entries == len(list(raw.iterdir()))
    reasons = dict(zip(listing.skipped.source.map(lambda s: Path(s).name), listing.skipped.reason))
    assert reasons["sub"] == "folder (pass --recursive to read subfolders)"


def test_recursive_listing_walks_subfolders_but_not_hidden_ones(tmp_path):
    listing = io.list_raw(_every_kind_of_entry(tmp_path / "raw"), recursive=True)
    assert [p.relative_to(tmp_path / "raw").as_posix() for p in listing.files] == ["a.txt", "outside.txt", "sub/c.txt"]
    assert "sub/.git" in {Path(s).relative_to(tmp_path / "raw").as_posix()
                          for s in listing.skipped.source[listing.skipped.reason_code == "hidden"]}


def test_a_file_name_that_is_not_utf8_is_read_with_a_readable_source(tmp_path):
    from pipeline.ingest import ingest

    (tmp_path / os.fsdecode(b"H\xe0 N\xf4i.txt")).write_text("Hà Nội")  # a Latin-1 file name
    documents, rejected = ingest(io.read_raw(io.list_raw(tmp_path).files))
    assert rejected.empty and documents.doc_id.tolist() == ["H\ufffd N\ufffdi"]
    io.write_table("documents", documents.assign(n_paragraphs=0, n_sentences=0, n_tokens=0, n_mentions=0), tmp_path)


def test_a_file_that_cannot_be_read_is_rejected_not_fatal(tmp_path):
    from pipeline.ingest import ingest

    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("Hà Nội")
    listing = io.list_raw(tmp_path)
    (tmp_path / "b.txt").unlink()  # removed between the listing and the reading
    documents, rejected = ingest(io.read_raw(listing.files))
    assert documents.doc_id.tolist() == ["a"]
    assert rejected.reason_code.tolist() == ["unreadable"]


def test_a_built_model_is_kept_for_the_next_process_and_built_again_when_the_code_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("PIPELINE_CACHE_DIR", str(tmp_path))
    builds = []

    def build():
        builds.append(1)
        return {"Hà Nội": frozenset({"PLACE"})}

    assert io.cached("places", build) == io.cached("places", build) == {"Hà Nội": frozenset({"PLACE"})}
    assert len(builds) == 1
    (entry,) = tmp_path.glob("places-*.pickle")
    entry.write_bytes(b"truncated")
    assert io.cached("places", build) == {"Hà Nội": frozenset({"PLACE"})} and len(builds) == 2, "rebuilt"
    monkeypatch.setattr(io, "_cache_key", lambda: "other-code")
    io.cached("places", build)
    assert len(builds) == 3 and [p.name for p in tmp_path.iterdir()] == ["places-other-code.pickle"], \
        "the entry of the earlier code is gone, and no temporary file is left"


def test_without_a_writable_cache_folder_a_model_is_only_built(tmp_path, monkeypatch):
    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setenv("PIPELINE_CACHE_DIR", str(tmp_path / "file" / "cache"))
    assert io.cached("places", lambda: 7) == 7
    monkeypatch.setenv("PIPELINE_CACHE_DIR", "off")
    assert io.cached("places", lambda: 8) == 8 and io.config.cache_dir() is None


def test_the_cache_folder_follows_xdg_unless_chosen(tmp_path, monkeypatch):
    monkeypatch.delenv("PIPELINE_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert io.config.cache_dir() == tmp_path / "vnews"
