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
    assert pq.read_schema(tmp_path / "sentences.parquet").equals(TABLES["sentences"], check_metadata=False)


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
    for name in ["b.txt", "a.txt", ".hidden"]:
        (tmp_path / name).write_text("x")
    assert [p.name for p in io.list_raw_files(tmp_path)] == ["a.txt", "b.txt"]
    with pytest.raises(io.UserError):
        io.list_raw_files(tmp_path / "nope")
