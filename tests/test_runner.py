"""End to end: the two articles of data/raw through every stage into a temporary folder."""
import shutil

import pyarrow.parquet as pq
import pytest

from conftest import ROOT, assert_same_tables, fresh_python
from pipeline import load
from pipeline.runner import run
from pipeline.schemas import TABLES


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    raw = tmp_path_factory.mktemp("raw")
    for path in (ROOT / "data" / "raw").iterdir():
        if path.suffix == ".txt":
            shutil.copy(path, raw)
    (raw / "broken.jsonl").write_text('{"id": "ok-1", "text": "Thủ tướng Phạm Minh Chính thăm Lào."}\nnot json\n')
    out = tmp_path_factory.mktemp("processed")
    summary = run(raw, out, batch_size=2, workers=1, progress=False)
    assert summary.entries == 3
    return out


def test_every_table_is_a_dataset_of_parts_with_its_schema(out):
    for name, schema in TABLES.items():
        parts = list((out / name).rglob("*.parquet"))
        assert parts, name
        for part in parts:
            assert pq.read_schema(part).equals(schema, check_metadata=False), part


def test_offsets_round_trip_for_every_row(out):
    texts = dict(zip(load("documents", out).doc_id, load("documents", out).text))
    for table in ("sentences", "tokens", "mentions"):
        frame = load(table, out)
        assert len(frame)
        bad = [r for r in frame.itertuples() if texts[r.doc_id][r.start:r.end] != r.text]
        assert not bad, (table, bad[:3])


def test_every_input_is_a_document_or_a_rejection(out):
    docs, rejected = load("documents", out), load("rejected", out)
    assert sorted(docs.doc_id) == ["000_dbd9b23d20324659", "001_de4c961395d943bd", "ok-1"]
    assert rejected.reason.str.contains("invalid JSON").any()
    assert (docs.n_tokens > 0).all() and (docs.n_mentions > 0).all()


def test_known_facts_appear(out):
    mentions, amounts, times, entities = (load(t, out) for t in ("mentions", "amounts", "times", "entities"))
    usd = amounts.merge(mentions, on=["mention_id", "doc_id"])
    assert ((usd.text == "10 tỷ USD") & (usd.value == 1e10) & (usd.currency == "USD")).any()
    assert ((times.label == "YEAR") & (times.year_start == 2045)).any()
    to_lam = entities[(entities.label == "LEADER") & (entities.canonical == "Tô Lâm")]
    assert len(to_lam) == 1 and "Tổng Bí thư" in list(to_lam.titles.iloc[0])
    assert (entities.canonical == "đường sắt Viêng Chăn – Vũng Áng").any()
    vientiane = entities[(entities.label == "PLACE") & (entities.canonical == "Viêng Chăn")]
    assert {"Viêng Chăn", "Viêng - chăn"} <= set(vientiane.aliases.iloc[0])


def test_mentions_point_at_entities(out):
    mentions, entities = load("mentions", out), load("entities", out)
    named = mentions[mentions.label.isin(["LEADER", "PLACE", "ORG", "PROJECT"])]
    assert set(named.entity_id) <= set(entities.entity_id)
    counts = named.groupby("entity_id").size()
    assert (entities.set_index("entity_id").n_mentions.loc[counts.index] == counts).all()


def test_output_is_deterministic_across_batching_and_workers(tmp_path):
    raw = ROOT / "data" / "raw"
    run(raw, tmp_path / "a", batch_size=2, workers=1, progress=False)
    run(raw, tmp_path / "b", batch_size=1, workers=2, progress=False)
    assert_same_tables(tmp_path / "a", tmp_path / "b")


def test_a_document_that_breaks_a_stage_is_rejected_not_lost(monkeypatch):
    import pandas as pd

    import pipeline.tag

    from pipeline import runner

    real = pipeline.tag.tag

    def flaky_tag(documents, sentences, tokens):
        if (documents.doc_id == "bad").any():
            raise RuntimeError("boom")
        return real(documents, sentences, tokens)

    monkeypatch.setattr(pipeline.tag, "tag", flaky_tag)
    raw = pd.DataFrame([{"source": f"{name}.txt", "format": "txt", "payload": text.encode()}
                        for name, text in (("good", "Thủ tướng Phạm Minh Chính thăm Lào."), ("bad", "Lào."))])
    tables = runner.process_batch(raw)
    assert tables["documents"].doc_id.tolist() == ["good"]
    assert tables["rejected"].reason.tolist() == ["pipeline error: RuntimeError: boom"]
    assert (tables["mentions"].doc_id == "good").all()


LNG = {"a.txt": "Dự án nhà máy nhiệt điện LNG Thái Bình được khởi công.",
       "b.txt": "Nhà máy Nhiệt điện LNG Thái Bình đã vận hành.",
       "c.txt": "Tỉnh đang xây nhà máy nhiệt điện LNG Thái Bình."}


def test_entities_do_not_depend_on_batch_size_or_file_order(tmp_path):
    forward, reverse = tmp_path / "forward", tmp_path / "reverse"
    for folder, names in ((forward, sorted(LNG)), (reverse, sorted(LNG)[::-1])):
        folder.mkdir()
        # file order reversed: the names sort the other way, the texts are the same
        for i, name in enumerate(names):
            (folder / f"{i}_{name}").write_text(LNG[name], encoding="utf-8")
    results = []
    for raw in (forward, reverse):
        for batch_size in (1, 7, 100):
            out = tmp_path / f"{raw.name}-{batch_size}"
            run(raw, out, batch_size=batch_size, workers=1, progress=False)
            results.append(load("entities", out).drop(columns=[]))
    first = results[0]
    project = first[first.label == "PROJECT"]
    assert len(project) == 1 and project.n_mentions.iloc[0] == 3
    for other in results[1:]:
        assert other[["entity_id", "canonical", "n_mentions", "n_docs"]].equals(
            first[["entity_id", "canonical", "n_mentions", "n_docs"]])
        assert [list(a) for a in other.aliases] == [list(a) for a in first.aliases]


def test_same_input_gives_identical_tables_with_batch_size_1_or_3(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name, text in LNG.items():
        (raw / name).write_text(text, encoding="utf-8")
    run(raw, tmp_path / "one", batch_size=1, workers=1, progress=False)
    run(raw, tmp_path / "three", batch_size=3, workers=1, progress=False)
    assert_same_tables(tmp_path / "one", tmp_path / "three")


def test_a_doc_id_seen_in_two_batches_contributes_nothing_the_second_time(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("Thủ tướng Phạm Minh Chính thăm Lào.", encoding="utf-8")
    (raw / "b.jsonl").write_text('{"id": "a", "text": "Tổng Bí thư Tô Lâm đến Hà Nội."}\n', encoding="utf-8")
    for batch_size in (1, 2):
        out = tmp_path / f"out{batch_size}"
        run(raw, out, batch_size=batch_size, workers=1, progress=False)
        entities = load("entities", out)
        assert sorted(entities.canonical) == ["Lào", "Phạm Minh Chính"], batch_size
        rejected = load("rejected", out)
        assert rejected.reason_code.tolist() == ["duplicate_id"] and rejected.source.str.endswith("b.jsonl").all()
    assert_same_tables(tmp_path / "out1", tmp_path / "out2")  # `rejected` too: the same row whatever the batches


def test_the_driver_shares_the_batches_with_the_pool_and_keeps_their_order():
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from pipeline.runner import _shared

    def work(task):
        return {"task": task, "thread": threading.get_ident()}

    with ThreadPoolExecutor(max_workers=1) as pool:
        results = list(_shared(pool.submit, work, iter(range(40)), in_flight=2, n_tasks=40))
    assert [r["task"] for r in results] == list(range(40))
    here = threading.get_ident()
    assert 0 < sum(r["thread"] == here for r in results) < 40  # both sides computed some


def test_a_failed_batch_fails_the_shared_map():
    from concurrent.futures import ThreadPoolExecutor

    from pipeline.runner import _shared

    def work(task):
        if task == 3:
            raise ValueError("bad batch")
        return task

    with ThreadPoolExecutor(max_workers=1) as pool, pytest.raises(ValueError, match="bad batch"):
        list(_shared(pool.submit, work, iter(range(6)), in_flight=2, n_tasks=6))


def test_warm_up_leaves_a_notebook_s_collector_alone_and_freezes_the_models_in_our_own_processes():
    probe = ("import gc; from pipeline.runner import warm_up, YOUNG_COLLECTION_EVERY as Y; "
             "before = gc.get_threshold(); warm_up(); "
             "print(gc.isenabled(), gc.get_freeze_count() == 0, gc.get_threshold() == before); "
             "warm_up(freeze=True); print(gc.isenabled(), gc.get_freeze_count() > 100_000, gc.get_threshold()[0] == Y)")
    assert fresh_python(probe) == ["True True True", "True True True"]
