"""The one runner: chains the stages over a batch of documents, in memory.

The CLI, `evaluate`, the benchmark, pool workers and Dask tasks all call `run_documents` (through `run_task`).
`run()` computes only the documents that are new or changed since the published snapshot (its manifest,
`pipeline/manifest.py`), as batches in this process, over a pool of worker processes or on a Dask cluster;
each batch writes its part files into the staging snapshot, the driver reduces `entities`, checks and
publishes every table at once (`io.Snapshot`).
"""
from __future__ import annotations

import functools
import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import config, integrity, io, manifest
from .link import compact_parts, reduce_entities
from .schemas import TABLES
from .stages import BY_NAME, STAGES, check_stages, run_stages

check_stages()  # once, when the pipeline is assembled: a broken graph fails at import, naming what is missing
ANALYSIS_STAGES = STAGES[1:]  # segment, tag, link: documents in, every table out
# Parts rows held before they are summed down (`compact_parts`): bounds memory on any corpus.
COMPACT_EVERY = 50_000
# Allocations between two collections of young objects in a process of ours (`warm_up(freeze=True)`); Python's
# default, 700, collects about 2,000 times per 640 articles.
YOUNG_COLLECTION_EVERY = 10_000


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


def process_documents(documents: pd.DataFrame) -> tuple[dict[str, pd.DataFrame], list[dict]]:
    """Documents → (every table for them, failures). Safe to run in any process.

    If a stage fails on the batch, each document is retried alone, and the ones that still fail are returned
    as failures ({doc_id, source, sha256, reason}), so one bad document never costs the others.
    """
    if not len(documents):
        return _empty_tables(), []
    try:
        return run_documents(documents), []
    except Exception:
        parts, failures = [], []
        for i in range(len(documents)):
            one = documents.iloc[[i]]
            try:
                parts.append(run_documents(one))
            except Exception as error:  # a bug, reported as data rather than lost
                failures.append({"doc_id": one.doc_id.iloc[0], "source": one.source.iloc[0],
                                 "sha256": one.sha256.iloc[0], "reason": f"pipeline error: {type(error).__name__}: {error}"})
        tables = {name: pd.concat([p[name] for p in parts], ignore_index=True) for name in parts[0]} \
            if parts else _empty_tables()
        return tables, failures


def process_batch(raw: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Raw files of one batch → all tables, including `rejected`, in memory (no manifest, no part files)."""
    documents, rejected = BY_NAME["ingest"](raw=raw).values()
    tables, failures = process_documents(documents)
    extra = [manifest.failure_rejection(f["source"], f["doc_id"], f["sha256"], f["reason"]) for f in failures]
    tables["rejected"] = pd.concat([rejected, pd.DataFrame(extra, columns=TABLES["rejected"].names)], ignore_index=True)
    return tables


def _empty_tables() -> dict[str, pd.DataFrame]:
    from .link import PART_COLUMNS

    return {name: pd.DataFrame(columns=TABLES[name].names) for name in TABLES} | \
        {"entity_parts": pd.DataFrame(columns=PART_COLUMNS)}


def warm_up(freeze: bool = False) -> None:
    """Load the models (underthesea, spaCy, the lexicons) in this process, once: a worker does it when it starts,
    while the driver is still reading the input and the previous snapshot; the driver before its first batch.

    The garbage collector pauses meanwhile: loading makes hundreds of thousands of objects that live as long as
    the process (0.2 s of collections). With `freeze`, for a process of ours (a pool or Dask worker, the CLI), they
    then leave the collector's reach (`gc.freeze`) and young objects are collected less often, so collections
    stop walking the models: they took about 6% of a batch's time. A notebook keeps its collector as it was.
    """
    import gc

    from .ingest import ingest

    enabled = gc.isenabled()
    gc.disable()
    try:
        documents, _ = ingest(pd.DataFrame([{"source": "warm-up.txt", "format": "txt",
                                             "payload": "Thủ tướng Phạm Minh Chính thăm Hà Nội năm 2025.".encode()}]))
        run_documents(documents)
    finally:
        if enabled:
            gc.enable()
    if freeze:  # no collection first: loading leaves about 3,000 unreachable objects, and a full one takes 0.1 s
        gc.freeze()
        gc.set_threshold(YOUNG_COLLECTION_EVERY, *gc.get_threshold()[1:])


# --- one batch as a task: any process, or a Dask worker -------------------------------------------------------

# Tables written part by part (every table but `rejected` and `entities`, which the driver writes whole), and the
# per-document entity parts of the manifest.
PART_TABLES = ("documents", "sentences", "tokens", "mentions", "amounts", "times", "relations")


@dataclass
class Task:
    """One batch of raw files for a worker: their bytes, the part name to write, the staging snapshot to write it
    into, and `known`: doc_id → key of the documents these files held in the previous snapshot, whose rows are
    reused instead of computed again."""
    part: str
    staging: str
    raw: pd.DataFrame
    known: dict[str, str] = field(default_factory=dict)


def run_task(task: Task) -> dict:
    """Ingest a batch, compute its new documents, check and write their part files; return a small summary:
    every document as a `manifest.DOCS` frame (doc_id, source, key, sha256, status, part, reason), the ingest
    rejections, the files written.

    Each file is ingested so that no duplicate between two files is decided here but in `manifest.reconcile`,
    for the whole corpus at once; a doc_id repeated inside the batch is computed once (`shadowed` after that).
    """
    from . import manifest as mf

    documents, rejected = [], []
    for group in mf.ingest_groups(task.raw):
        docs, rej = BY_NAME["ingest"](raw=group).values()
        documents.append(docs)
        rejected.append(rej)
    documents = pd.concat(documents, ignore_index=True) if documents else pd.DataFrame(columns=["doc_id"])
    rejected = pd.concat(rejected, ignore_index=True) if rejected else pd.DataFrame(columns=TABLES["rejected"].names)
    keys = mf.doc_keys(documents) if len(documents) else []
    status, part, seen, todo = [], [], set(), []
    for i, (doc_id, key) in enumerate(zip(documents.doc_id, keys)):
        if doc_id in seen:
            status.append("shadowed")
        elif task.known.get(doc_id) == key:
            status.append("reused")
        else:
            status.append("processed")
            todo.append(i)
        part.append(task.part if status[-1] == "processed" else None)
        seen.add(doc_id)
    tables, failures = process_documents(documents.iloc[todo].reset_index(drop=True)) if todo else (None, [])
    reason = [None] * len(status)
    if failures:
        failed = {f["doc_id"]: f["reason"] for f in failures}
        for i, doc_id in enumerate(documents.doc_id):
            if status[i] == "processed" and doc_id in failed:
                status[i], part[i], reason[i] = "failed", None, failed[doc_id]
    docs = pd.DataFrame({"doc_id": documents.doc_id.tolist(), "source": documents.source.tolist(), "key": keys,
                         "sha256": documents.sha256.tolist(), "status": status, "part": part, "reason": reason},
                        columns=list(mf.DOCS.names))
    summary = {"part": task.part, "docs": docs, "rejected": rejected.to_dict("records"), "files": [],
               "violation": None, "fingerprint": _fingerprint()}
    if tables is not None and len(tables["documents"]):
        part = {name: _for_table(name, tables[name]) for name in PART_TABLES} | \
            {"entity_parts": tables["entity_parts"]}
        summary["violation"] = integrity.first_violation(part)
        if summary["violation"] is None:
            summary["files"] = io.write_part(Path(task.staging), task.part, part)
    return summary


def release_free_memory() -> None:
    """Hand the allocator's free pages back to the system, in the driver after each batch (glibc's `malloc_trim`,
    0.6 ms; nothing where there is none). glibc raises its mmap threshold each time a large block is freed, so a
    batch's large buffers (a Dask task's raw files, pickled) then come from the heap, whose free holes it keeps:
    a Dask driver grew 0.6 MB a batch, 170 MB over 20k articles, and stays flat with this."""
    trim = getattr(_libc(), "malloc_trim", None)
    if trim is not None:
        trim(0)


@functools.cache
def _libc():
    import ctypes
    import ctypes.util

    try:
        return ctypes.CDLL(ctypes.util.find_library("c"))
    except OSError:
        return None


@functools.cache
def _fingerprint() -> str:
    return io.code_fingerprint()


# --- a run ------------------------------------------------------------------------------------------------------

@dataclass
class RunSummary:
    out_dir: Path
    entries: int = 0  # every entry of the raw folder, each counted once
    documents: int = 0
    rejected: int = 0
    computed: int = 0   # documents run through the stages by this run
    reused: int = 0     # documents whose rows came from the previous snapshot
    removed: int = 0    # raw files of the previous snapshot that are gone
    up_to_date: bool = False
    note: str = ""
    rows: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        if self.up_to_date:
            return (f"{self.entries} entries → up to date: no input file, code or lexicon changed since the published "
                    f"snapshot of {self.out_dir}; nothing to do (--full re-runs everything)")
        tables = ", ".join(f"{name} {n}" for name, n in self.rows.items())
        removed = f", {self.removed} files removed" if self.removed else ""
        return (f"{self.entries} entries → {self.documents} documents, {self.rejected} rejected; "
                f"{self.computed} computed, {self.reused} reused{removed}; published {tables} to {self.out_dir}"
                f"{self.note}")


def run(raw_dir: Path = config.RAW_DIR, out_dir: Path = config.PROCESSED_DIR, *,
        batch_size: int = config.BATCH_SIZE, workers: int | None = None, progress: bool = True,
        recursive: bool = False, allow_empty: bool = False, wait: bool = False, full: bool = False,
        scheduler: str | None = None, freeze: bool = False) -> RunSummary:
    """Raw folder → one new snapshot of every table in `out_dir`, streaming batches so memory stays bounded.

    Incremental: only new or changed documents go through the stages; the rows of the others are carried over
    from the previous snapshot (its manifest says which), removed files disappear, `entities` is reduced again
    over the whole corpus. A change of code or lexicons, or `full`, re-runs everything; the tables are the same
    either way. Batches run in this process (`workers=1`), a pool of worker processes, or as tasks on a Dask
    cluster (`scheduler`: an address, or "local" for a LocalCluster on this machine).

    Holds the folder's lock (`wait` for a running run, else a user error); the new snapshot becomes
    visible only once complete and consistent. A run without documents keeps the existing tables
    unless `allow_empty`. `freeze`: this process is the run's own (the CLI's), see `warm_up`.
    """
    from . import manifest as mf

    listing = io.list_raw(raw_dir, recursive=recursive)
    fingerprint = _fingerprint()
    summary = RunSummary(Path(out_dir), entries=listing.entries)
    skipped, listed = listing.skipped, _listing_digest(listing)
    with io.output_lock(out_dir, wait=wait) as out:
        previous = None if full else io.read_state(out)
        if previous is not None and previous["fingerprint"] != fingerprint:
            previous, summary.note = None, "; the code or lexicons changed: every document was computed again"
        files = _survey(listing.files, previous)
        del listing  # its Path objects: the run keeps the files as a frame, a few times smaller
        gone = set(previous["files"].source) - set(files.source) if previous is not None else set()
        summary.removed = len(gone)
        if previous is not None and not gone and files.clean.all() and previous.get("listing") == listed:
            summary.up_to_date = True
            return summary
        dirty = np.flatnonzero(~files.clean.to_numpy(dtype=bool))
        if not scheduler:  # a few new files: one small batch per worker rather than one batch for one of them
            batch_size = min(batch_size, -(-len(dirty) // clamp_workers(workers, len(dirty))) or 1)
        batches = list(io.iter_batches(dirty, batch_size))  # positions in `files`
        prev_docs = previous["docs"] if previous is not None else mf.frame("docs", [])
        prev_processed = prev_docs[prev_docs.status == "processed"]
        with io.Snapshot(out) as snapshot:
            computed: list[pd.DataFrame] = []  # each batch's documents (`manifest.DOCS`)
            rejected_by_file: dict[str, list[dict]] = {}
            new_parts: dict[str, dict] = {}  # part → its files and how many documents it holds
            # The workers stop before the driver assembles, so their memory and the driver's never add up.
            with _executor(workers, scheduler if batches else None, len(batches), freeze) as map_tasks:
                tasks = (_task(files, batch, snapshot.path, prev_processed, fingerprint) for batch in batches)
                bar = _progress(len(dirty), progress)
                for batch, result in zip(batches, map_tasks(run_task, tasks)):
                    release_free_memory()
                    _check_worker(result, fingerprint)
                    computed.append(result["docs"])
                    for row in result["rejected"]:
                        rejected_by_file.setdefault(row["source"], []).append(row)
                    if result["files"]:
                        new_parts[result["part"]] = {"files": result["files"],
                                                     "n": int((result["docs"].status == "processed").sum())}
                    bar.update(len(batch))
                bar.close()
            tables_rows, state = _assemble(snapshot, skipped, files, previous, computed, rejected_by_file,
                                           new_parts, summary)
            summary.rows = tables_rows
            summary.documents, summary.rejected = tables_rows["documents"], tables_rows["rejected"]
            if not summary.documents and not allow_empty:
                raise io.UserError(f"no documents in {raw_dir} ({summary.entries} entries, {summary.rejected} rejected); "
                                   f"the tables in {out} are kept (pass --allow-empty to publish empty tables)")
            io.write_state(snapshot.path, {"fingerprint": fingerprint, "listing": listed}, *state)
            snapshot.publish(check="global")
    return summary


@dataclass
class Status:
    text: str      # for people: what a run would do
    listing: str   # for make: the listing (fingerprint, each file's hash, each rejected entry), one line each


def status(raw_dir: Path = config.RAW_DIR, out_dir: Path = config.PROCESSED_DIR, recursive: bool = False) -> Status:
    """What `run` would do now, from the published snapshot's manifest (read only; no lock needed)."""
    listing = io.list_raw(raw_dir, recursive=recursive)
    fingerprint = _fingerprint()
    previous = io.read_state(out_dir)
    files = _survey(listing.files, previous)
    lines = [f"code {fingerprint}"] + [f"file {sha} {source}" for sha, source in zip(files.sha256, files.source)] + \
        [f"entry {r.reason_code} {r.source}" for r in listing.skipped.itertuples(index=False)]
    if previous is None:
        text = f"{len(files)} files; no manifest in {out_dir}: a run computes every document"
    elif previous["fingerprint"] != fingerprint:
        text = f"{len(files)} files; the code or lexicons changed: a run computes every document again"
    else:
        known = files.source.isin(previous["files"].source)
        new = int((~known).sum())
        changed = int((known & ~files.clean).sum())
        removed = int((~previous["files"].source.isin(files.source)).sum())
        same = previous.get("listing") == _listing_digest(listing)
        text = (f"{len(files)} files: {new} new, {changed} changed, {removed} removed"
                + ("" if same else ", other entries changed")
                + ("; up to date" if not (new or changed or removed) and same else ""))
    return Status(text, "\n".join(lines) + "\n")


def _survey(paths: list[Path], previous: dict | None) -> pd.DataFrame:
    """Every listed file, in listing order, as a frame: path, source, its signature (`manifest.SIGNATURE`), hash,
    and whether it is clean. A file whose signature is unchanged keeps its hash without being read; it is clean
    when its bytes are the ones the previous snapshot was made from (and none of its documents lost its doc_id to
    another file, which may be gone now)."""
    from . import manifest as mf

    signature = list(mf.SIGNATURE)
    signatures = [io.file_signature(p) or (None,) * 4 for p in paths]
    files = pd.DataFrame({
        # object, not Arrow strings: a file name that is not UTF-8 keeps its surrogate escapes, which Arrow refuses
        "path": pd.Series([str(p) for p in paths], dtype=object),
        "source": pd.Series([io.source_name(p) for p in paths], dtype=str),
        **{column: pd.array([s[i] for s in signatures], dtype="Int64") for i, column in enumerate(signature)}})
    old, shadowed = mf.frame("files", []), []
    if previous is not None:
        old, docs = previous["files"], previous["docs"]
        shadowed = docs.source[docs.status == "shadowed"]
    known = files[["source"]].merge(old.astype({c: "Int64" for c in signature}), on="source", how="left",
                                    validate="one_to_one")
    same = np.ones(len(files), dtype=bool)
    for column in signature:  # a file that cannot be read, or is new, has NA here, which is not the same
        same &= (files[column] == known[column]).fillna(False).to_numpy(dtype=bool)
    files["sha256"] = [sha if unchanged else io.hash_file(Path(path))
                       for path, sha, unchanged in zip(files.path, known.sha256.tolist(), same)]
    files["clean"] = (files.sha256.notna() & (files.sha256 == known.sha256).fillna(False)
                      & ~files.source.isin(shadowed)).to_numpy(dtype=bool)
    return files


def _listing_digest(listing: io.RawListing) -> str:
    """What the listing says beyond the files read: the rejected entries (hidden, folders, links…)."""
    import hashlib
    import json

    rows = sorted(json.dumps(r, ensure_ascii=False, default=str) for r in listing.skipped.to_dict("records"))
    return hashlib.sha256("\n".join(rows).encode("utf-8", "surrogatepass")).hexdigest()


def _task(files: pd.DataFrame, rows: np.ndarray, staging: Path, prev_processed: pd.DataFrame,
          fingerprint: str) -> Task:
    """The task of the files at `rows` of `files`, whose hashes become the ones of the bytes read now."""
    from . import manifest as mf

    batch = files.iloc[rows]
    raw = io.read_raw(map(Path, batch.path))
    known = {}
    if len(prev_processed):
        held = prev_processed[prev_processed.source.isin(batch.source)]
        known = dict(zip(held.doc_id, held.key))
    hashes = [_sha(p) for p in raw.payload]
    files.iloc[rows, files.columns.get_loc("sha256")] = hashes  # what this run read and computed from
    name = mf.part_name(fingerprint, [x for source, sha in zip(batch.source, hashes) for x in (source, sha or "")],
                        [x for item in sorted(known.items()) for x in item])
    return Task(part=name, staging=str(staging), raw=raw, known=known)


def _sha(payload: bytes | None) -> str | None:
    import hashlib

    return None if payload is None else hashlib.sha256(payload).hexdigest()


def _check_worker(result: dict, fingerprint: str) -> None:
    if result["fingerprint"] != fingerprint:
        raise io.UserError("a worker runs other code than this run (its code or lexicons differ): install the same "
                           "version of the package on every worker")
    if result["violation"]:
        raise io.IntegrityError(f"integrity check failed, nothing published: {result['violation']}")


def _assemble(snapshot: io.Snapshot, skipped: pd.DataFrame, files: pd.DataFrame, previous: dict | None,
              computed: list[pd.DataFrame], rejected_by_file: dict[str, list[dict]], new_parts: dict[str, dict],
              summary: RunSummary) -> tuple[dict[str, int], tuple[pd.DataFrame, pd.DataFrame]]:
    """Decide every document in listing order, carry over or rewrite the parts, reduce `entities`, write
    `rejected`; returns the rows of each table and the new manifest (files, docs)."""
    from . import manifest as mf

    staging = snapshot.path
    prev_root = previous["path"] if previous is not None else None
    prev_docs = previous["docs"] if previous is not None else mf.frame("docs", [])
    clean = files.source[files.clean]
    prev_rejected = _previous_rejections(prev_root, clean)

    outcome = mf.reconcile(_in_listing_order(files.source, prev_docs[prev_docs.source.isin(clean)], computed,
                                             prev_docs))
    prev_counts = prev_docs.part[prev_docs.status == "processed"].value_counts().to_dict()
    prev_index = io.part_index(prev_root) if prev_root is not None else {}
    renamed: dict[str, str] = {}
    for part, n in outcome.keep.items():
        if part in new_parts:
            if n != new_parts[part]["n"]:
                renamed[part] = _rewrite(staging, staging, part, new_parts[part]["files"], outcome.kept(part),
                                         remove=True)
        elif n == prev_counts.get(part):  # every document of the previous part stays: its files are linked
            io.link_files(prev_root, staging, prev_index.get(part, []))
        else:
            renamed[part] = _rewrite(prev_root, staging, part, prev_index.get(part, []), outcome.kept(part),
                                     remove=False)
    for part, info in new_parts.items():
        if part not in outcome.keep:
            io.remove_files(staging, info["files"])
    final_parts = sorted({renamed.get(p, p) for p in outcome.keep})
    docs = outcome.docs
    if renamed:
        docs["part"] = docs.part.replace(renamed)

    entities = _reduce(staging, final_parts)
    by_file_failures: dict[str, list[dict]] = {}
    for row in outcome.rejected:
        by_file_failures.setdefault(row["source"], []).append(row)
    rejected = [skipped]
    for source, is_clean in zip(files.source, files.clean):
        rows = prev_rejected.get(source, []) if is_clean else rejected_by_file.get(source, [])
        rows = rows + by_file_failures.get(source, [])
        if rows:
            rejected.append(pd.DataFrame(rows, columns=TABLES["rejected"].names))
    rejected = pd.concat(rejected, ignore_index=True)
    io.write_part(staging, mf.part_name("rejected", rejected.source.astype(str)), {"rejected": rejected})
    io.write_part(staging, mf.part_name("entities", final_parts), {"entities": entities})
    io.ensure_files(staging)

    summary.computed = sum(info["n"] for info in new_parts.values())
    summary.reused = sum(n for part, n in outcome.keep.items() if part not in new_parts)
    readable = files[list(mf.SIGNATURE)].notna().all(axis=1) & files.sha256.notna()
    state_files = files.loc[readable, list(mf.FILES.names)].reset_index(drop=True)
    return io.table_rows(staging), (state_files, docs)


def _in_listing_order(sources: pd.Series, carried: pd.DataFrame, computed: list[pd.DataFrame],
                      prev_docs: pd.DataFrame) -> pd.DataFrame:
    """Every document of the run in one frame, files in listing order, documents in file order: the clean files'
    rows of the previous manifest, and the others' as this run's batches found them, a reused document with the
    part of the previous snapshot that holds its rows."""
    from . import manifest as mf

    new = pd.concat(computed, ignore_index=True) if computed else mf.frame("docs", [])
    reused = (new.status == "reused").to_numpy()
    if reused.any():
        held = prev_docs.loc[prev_docs.status == "processed", ["doc_id", "key", "part"]]
        found = new.loc[reused, ["doc_id", "key"]].merge(held, on=["doc_id", "key"], how="left",
                                                         validate="many_to_one")
        if found.part.isna().any():  # a worker judged a document unchanged that the manifest does not hold
            raise io.IntegrityError("integrity check failed, nothing published: a reused document has no part")
        new.loc[reused, "part"] = found.part.to_numpy()
        new.loc[reused, "status"] = "processed"
    docs = pd.concat([carried, new], ignore_index=True) if len(carried) else new
    position = pd.Index(sources).get_indexer(docs.source)
    return docs.iloc[np.argsort(position, kind="stable")].reset_index(drop=True)


def _previous_rejections(prev_root: Path | None, sources: pd.Series) -> dict[str, list[dict]]:
    """The previous snapshot's ingest rejections of the given (unchanged) files; the rejections that depend on
    other files (duplicates) or on the stages (failures) are decided again."""
    if prev_root is None or not len(sources):
        return {}
    rejected = io.read_table("rejected", prev_root)
    runner_made = (rejected.reason_code == "pipeline_error") | \
                  ((rejected.reason_code == "duplicate_id") & rejected.record.isna())
    rejected = rejected[rejected.source.isin(sources) & ~runner_made]
    rejected = rejected.astype(object).where(rejected.notna(), None)
    out: dict[str, list[dict]] = {}
    for row in rejected.to_dict("records"):
        out.setdefault(row["source"], []).append(row)
    return out


def _rewrite(source_root: Path, staging: Path, part: str, files: list[str], keep: set[str], remove: bool) -> str:
    """A part with only the `keep` documents' rows, written under a new name; checked before it is written."""
    from . import manifest as mf

    tables = io.read_part(source_root, files)
    name = mf.part_name(part, sorted(keep))
    filtered = {t: tables[t][tables[t].doc_id.isin(keep)] for t in (*PART_TABLES, "entity_parts")}
    problem = integrity.first_violation(filtered)
    if problem:
        raise io.IntegrityError(f"integrity check failed, nothing published: {problem}")
    io.write_part(staging, name, filtered)
    if remove:
        io.remove_files(staging, files)
    return name


def _reduce(staging: Path, parts: list[str]) -> pd.DataFrame:
    """`entities` over the whole corpus: every part's per-document entity parts, summed as they are read so memory
    follows the distinct entities, reduced once (canonicals never depend on how the corpus was cut)."""
    held, frames = 0, []
    for frame in io.read_entity_parts(staging, parts):
        frames.append(frame)
        held += len(frame)
        if held > COMPACT_EVERY:  # sums are order-free, so compacting early changes nothing
            frames = [compact_parts(pd.concat(frames, ignore_index=True))]
            held = len(frames[0])
    return reduce_entities(pd.concat(frames, ignore_index=True) if frames else pd.DataFrame())


@contextmanager
def _executor(workers: int | None, scheduler: str | None, n_tasks: int, freeze: bool = False):
    """A `map(fn, tasks)` that yields results in the tasks' order: in this process, on this process and a pool of
    `workers - 1` worker processes (each loading the models once, when it starts), or as tasks on a Dask cluster.

    The driver computes batches too, between handing them out: one process fewer holds the models, so the
    memory of `workers` workers is that of `workers` processes."""
    if scheduler:
        from .dask_runner import dask_map

        with dask_map(scheduler, workers) as map_tasks:
            yield map_tasks
        return
    workers = clamp_workers(workers, n_tasks)
    if workers <= 1:
        yield lambda fn, tasks: map(_warmed(fn, freeze), tasks)
        return
    with ProcessPoolExecutor(max_workers=workers - 1, initializer=warm_up, initargs=(True,)) as pool:
        yield lambda fn, tasks: _shared(pool.submit, fn, tasks, 2 * (workers - 1), n_tasks, _warmed(fn, freeze))


def _warmed(fn, freeze: bool):
    """`fn`, with the models loaded by `warm_up` before its first call in this process."""
    warm = False

    def call(task):
        nonlocal warm
        if not warm:
            warm_up(freeze)
            warm = True
        return fn(task)

    return call


def _shared(submit, fn, tasks, in_flight: int, n_tasks: int, local=None) -> Iterator:
    """Results in the tasks' order. A task goes to the pool while fewer than `in_flight` of its tasks are unfinished,
    so it never waits, else this process runs it (with `local`, default `fn`); near the end the pool's backlog stays
    below the tasks left, so neither side waits long for the other to finish."""
    local = local or fn
    pending: deque = deque()  # futures, and the results of the tasks run here, in task order
    for k, task in enumerate(tasks):
        busy = sum(isinstance(p, Future) and not p.done() for p in pending)
        pending.append(submit(fn, task) if busy < min(in_flight, n_tasks - k) else _Done(local(task)))
        while pending and pending[0].done():
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


@dataclass
class _Done:
    """A result computed in this process, read like a finished future."""
    value: dict

    def done(self) -> bool:
        return True

    def result(self) -> dict:
        return self.value


def clamp_workers(requested: int | None, n_batches: int) -> int:
    """Workers to start: as asked (default one per core), but never more than cores or batches."""
    cores = os.cpu_count() or 1
    return max(1, min(requested or cores, cores, n_batches))


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
