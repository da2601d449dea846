"""The one runner: chains the stages over a batch of documents, in memory.

The CLI, `evaluate`, the benchmark and Dask tasks all call `run_documents` (or `process_batch`).
`run()` streams batches of raw files through it, over a pool of worker processes when asked, and
publishes every table at once as one snapshot (`io.Snapshot`).
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import config, io
from .link import compact_parts, reduce_entities
from .schemas import TABLES
from .stages import BY_NAME, STAGES, check_stages, run_stages

check_stages()  # once, when the pipeline is assembled: a broken graph fails at import, naming what is missing
ANALYSIS_STAGES = STAGES[1:]  # segment, tag, link: documents in, every table out
# Parts rows held before they are summed down (`compact_parts`): bounds memory on any corpus.
COMPACT_EVERY = 200_000

# Tables written batch by batch; `entities` is reduced over all batches at the end.
STREAMED = ("documents", "rejected", "sentences", "tokens", "mentions", "amounts", "times", "relations")


def run_documents(documents: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Documents → every output table for them (`entities` for this batch alone; `entity_parts` add up
    over batches, see `link.reduce_entities`).

    >>> from pipeline.ingest import ingest
    >>> docs, _ = ingest(pd.DataFrame([{"source": "a.txt", "format": "txt", "payload": "Hà Nội, 5/2.".encode()}]))
    >>> sorted(run_documents(docs))[:3]
    ['amounts', 'documents', 'entities']
    """
    tables = run_stages({"documents": documents}, ANALYSIS_STAGES)
    tables["documents"] = with_counts(documents, tables["sentences"], tables["tokens"], tables["mentions"])
    return tables


def with_counts(documents: pd.DataFrame, sentences: pd.DataFrame, tokens: pd.DataFrame,
                mentions: pd.DataFrame) -> pd.DataFrame:
    """Documents with their paragraph, sentence, token and mention counts (0 when none)."""
    counts = pd.DataFrame({
        "n_paragraphs": sentences.groupby("doc_id").paragraph_id.nunique(),
        "n_sentences": sentences.groupby("doc_id").size(),
        "n_tokens": tokens.groupby("doc_id").size(),
        "n_mentions": mentions.groupby("doc_id").size(),
    })
    out = documents.drop(columns=[c for c in counts.columns if c in documents.columns]).join(counts, on="doc_id")
    for column in counts.columns:
        out[column] = out[column].fillna(0).astype("int32")
    return out


def process_batch(raw: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Raw files of one batch → all tables, including `rejected`. Safe to run in any process.

    If a stage fails on the batch, each document is retried alone, and the ones that still fail
    become `rejected` rows naming the error, so one bad document never costs the others.
    """
    documents, rejected = BY_NAME["ingest"](raw=raw).values()
    try:
        tables = run_documents(documents) if len(documents) else _empty_tables()
    except Exception:
        parts, failures = [], []
        for i in range(len(documents)):
            one = documents.iloc[[i]]
            try:
                parts.append(run_documents(one))
            except Exception as error:  # a bug, reported as data rather than lost
                failures.append({"source": one.source.iloc[0], "record": one.doc_id.iloc[0],
                                 "reason": f"pipeline error: {type(error).__name__}: {error}",
                                 "reason_code": "pipeline_error", "sha256": one.sha256.iloc[0]})
        tables = {name: pd.concat([p[name] for p in parts], ignore_index=True) for name in parts[0]} \
            if parts else _empty_tables()
        rejected = pd.concat([rejected, pd.DataFrame(failures)], ignore_index=True)
    tables["rejected"] = rejected
    return tables


def _empty_tables() -> dict[str, pd.DataFrame]:
    from .link import PART_COLUMNS

    return {name: pd.DataFrame(columns=TABLES[name].names) for name in TABLES} | \
        {"entity_parts": pd.DataFrame(columns=PART_COLUMNS)}


@dataclass
class RunSummary:
    out_dir: Path
    entries: int = 0  # every entry of the raw folder, each counted once
    documents: int = 0
    rejected: int = 0
    rows: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        tables = ", ".join(f"{name} {n}" for name, n in self.rows.items())
        return (f"{self.entries} entries → {self.documents} documents, {self.rejected} rejected; "
                f"published {tables} to {self.out_dir}")


def run(raw_dir: Path = config.RAW_DIR, out_dir: Path = config.PROCESSED_DIR, *,
        batch_size: int = config.BATCH_SIZE, workers: int | None = None, progress: bool = True,
        recursive: bool = False, allow_empty: bool = False, wait: bool = False) -> RunSummary:
    """Raw folder → one new snapshot of every table in `out_dir`, streaming batches so memory stays bounded.

    Holds the folder's lock (`wait` for a running run, else a user error); the new snapshot becomes
    visible only once complete and consistent. A run without documents keeps the existing tables
    unless `allow_empty`.
    """
    listing = io.list_raw(raw_dir, recursive=recursive)
    summary = RunSummary(Path(out_dir), entries=listing.entries, rows=dict.fromkeys(STREAMED, 0))
    summary.rows["rejected"] = len(listing.skipped)
    batches = list(io.iter_batches(listing.files, batch_size))
    with io.output_lock(out_dir, wait=wait) as out, io.Snapshot(out) as snapshot:
        writers = {name: snapshot.writer(name) for name in (*STREAMED, "entities")}
        writers["rejected"].write(listing.skipped)
        parts, held, seen_ids = [], 0, set()
        bar = _progress(len(listing.files), progress)
        for paths, tables in zip(batches, _map_batches(batches, workers)):
            tables = _reject_duplicates(tables, seen_ids)
            for name in STREAMED:
                writers[name].write(_for_table(name, tables[name]))
                summary.rows[name] += len(tables[name])
            parts.append(compact_parts(tables["entity_parts"]))
            held += len(parts[-1])
            if held > COMPACT_EVERY:  # sums are order-free, so compacting early changes nothing
                parts = [compact_parts(pd.concat(parts, ignore_index=True))]
                held = len(parts[0])
            bar.update(len(paths))
        bar.close()
        # One reduction over every batch: canonicals never depend on how the corpus was cut.
        entities = reduce_entities(pd.concat(parts, ignore_index=True) if parts else pd.DataFrame())
        writers["entities"].write(entities)
        summary.rows["entities"] = len(entities)
        summary.documents, summary.rejected = summary.rows["documents"], summary.rows["rejected"]
        if not summary.documents and not allow_empty:
            raise io.UserError(f"no documents in {raw_dir} ({summary.entries} entries, {summary.rejected} rejected); "
                               f"the tables in {out} are kept (pass --allow-empty to publish empty tables)")
        for writer in writers.values():
            writer.close()
        snapshot.publish()
    return summary


def _map_batches(batches: list[list[Path]], workers: int | None) -> Iterator[dict[str, pd.DataFrame]]:
    """Process batches in order; with several workers, at most 2×workers batches are in flight."""
    workers = clamp_workers(workers, len(batches))
    if workers <= 1:
        for paths in batches:
            yield process_batch(io.read_raw(paths))
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending = []
        queue = iter(batches)
        for paths in queue:
            pending.append(pool.submit(process_batch, io.read_raw(paths)))
            if len(pending) >= 2 * workers:
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()


def clamp_workers(requested: int | None, n_batches: int) -> int:
    """Workers to start: as asked (default one per core), but never more than cores or batches."""
    cores = os.cpu_count() or 1
    return max(1, min(requested or cores, cores, n_batches))


def _reject_duplicates(tables: dict[str, pd.DataFrame], seen: set[str]) -> dict[str, pd.DataFrame]:
    """A doc_id already written by an earlier batch is rejected, with all its rows and entity contributions."""
    docs = tables["documents"]
    dup = docs.doc_id.isin(seen)
    seen.update(docs.doc_id[~dup])
    if not dup.any():
        return tables
    dup_ids = set(docs.doc_id[dup])
    extra = pd.DataFrame({"source": docs.source[dup], "record": None,
                          "reason": [f"duplicate doc_id {d!r}" for d in docs.doc_id[dup]], "reason_code": "duplicate_id",
                          "sha256": docs.sha256[dup]})
    # entity_parts too: a rejected document contributes nothing to `entities` (the per-batch `entities`
    # frame is not written; the run reduces the parts).
    out = {name: (frame[~frame.doc_id.isin(dup_ids)] if "doc_id" in frame.columns else frame)
           for name, frame in tables.items()}
    out["rejected"] = pd.concat([tables["rejected"], extra], ignore_index=True)
    return out


def _for_table(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    return frame[list(TABLES[name].names)]


class _NoBar:
    def update(self, _n: int) -> None: ...
    def close(self) -> None: ...


def _progress(total: int, enabled: bool):
    if not enabled:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, unit="file", desc="pipeline", disable=None)
