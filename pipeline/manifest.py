"""The manifest of a run: which raw files and documents its tables were made from, and with which code.

Pure (frames in, frames out; `io` reads and writes it inside each snapshot's `_state/` folder):

- `files`: one row per raw file read: its path, `os.stat` signature and the SHA-256 of its bytes. A file whose
  signature is unchanged is not read again; one whose bytes are unchanged (`touch`) is not ingested again. A
  file copied in with an old mtime (`cp -p`) has a new inode and ctime, so it is hashed.
- `docs`: one row per document ingested: its `key` (the SHA-256 of its `documents` row without the counts:
  id, source, format, flags, date, text), its status and the part that holds its rows.
- `entity_parts`: what each document says about each entity (`link.entity_parts`), part by part, so that
  `entities` is reduced again over the whole corpus without re-running the stages.
- the fingerprint of the code, the lexicons and the installed underthesea and spaCy: a change re-runs everything.

Nothing crosses documents except `entities` (tag and link work per document; see `reconcile`), so the rows of an
unchanged document can be reused from the previous snapshot as they are.
"""
from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa

FORMAT = 1  # of the manifest itself; another value re-runs everything

_str, _i64 = pa.string(), pa.int64()
FILES = pa.schema([("source", _str), ("size", _i64), ("mtime_ns", _i64), ("ctime_ns", _i64), ("inode", _i64),
                   ("sha256", _str)])
# status: processed (its rows are in `part`), failed (a `pipeline_error` rejection), shadowed (its doc_id was
# taken by an earlier file: a `duplicate_id` rejection).
DOCS = pa.schema([("doc_id", _str), ("source", _str), ("key", _str), ("sha256", _str), ("status", _str),
                  ("part", _str), ("reason", _str)])
ENTITY_PARTS = pa.schema([("doc_id", _str), ("entity_id", _str), ("label", _str), ("field", _str), ("value", _str),
                          ("n", _i64)])
STATE_TABLES = {"files": FILES, "docs": DOCS, "entity_parts": ENTITY_PARTS}
SIGNATURE = ("size", "mtime_ns", "ctime_ns", "inode")


def doc_keys(documents: pd.DataFrame) -> list[str]:
    """The key of each document: what its rows depend on (id, source, format, flags, date, text), hashed.

    >>> docs = pd.DataFrame({"doc_id": ["a"], "source": ["a.txt"], "format": ["txt"], "flags": [[]],
    ...                      "date": [None], "text": ["Hà Nội"]})
    >>> doc_keys(docs) == doc_keys(docs.assign(n_tokens=[3])) != doc_keys(docs.assign(text=["Huế"]))
    True
    """
    keys = []
    for row in documents[["doc_id", "source", "format", "flags", "date", "text"]].itertuples(index=False):
        date = None if row.date is None or pd.isna(row.date) else str(row.date)[:10]
        payload = json.dumps([row.doc_id, row.source, row.format, list(row.flags), date, row.text],
                             ensure_ascii=False)
        keys.append(hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest())
    return keys


def part_name(*parts: Iterable[str] | str) -> str:
    """A part's file name from what it was made of: the same inputs give the same name (a retried task rewrites
    its own files), different inputs never share one.

    >>> part_name("fp", ["a.txt", "0f"]) == part_name("fp", ["a.txt", "0f"]) != part_name("fp", ["b.txt"])
    True
    """
    digest = hashlib.sha256()
    for item in parts:
        for text in ([item] if isinstance(item, str) else item):
            digest.update(text.encode("utf-8", "surrogatepass") + b"\0")
    return f"part-{digest.hexdigest()[:20]}"


def txt_doc_id(source: str) -> str:
    """The doc_id ingest gives a `.txt` file: its stem, NFC, stripped."""
    return unicodedata.normalize("NFC", Path(source).stem).strip()


def ingest_groups(raw: pd.DataFrame) -> list[pd.DataFrame]:
    """Raw files cut into runs that `ingest` can read in one call without ever deciding a duplicate between two
    files: consecutive `.txt` files with different stems; every other file alone. Duplicates across files are
    then decided by `reconcile`, the same way whatever the batches.

    >>> raw = pd.DataFrame({"source": ["a.txt", "b.txt", "c.jsonl", "d.txt", "sub/d.txt"], "format": "txt",
    ...                     "payload": b""}).assign(format=["txt", "txt", "jsonl", "txt", "txt"])
    >>> [g.source.tolist() for g in ingest_groups(raw)]
    [['a.txt', 'b.txt'], ['c.jsonl'], ['d.txt'], ['sub/d.txt']]
    """
    groups, current, stems = [], [], set()
    for i, (source, fmt) in enumerate(zip(raw.source, raw.format)):
        stem = txt_doc_id(source) if fmt == "txt" else None
        if current and (stem is None or stem in stems):
            groups.append(current)
            current, stems = [], set()
        current.append(i)
        if stem is None:
            groups.append(current)
            current, stems = [], set()
        else:
            stems.add(stem)
    if current:
        groups.append(current)
    return [raw.iloc[g] for g in groups]


def duplicate_rejection(source: str, doc_id: str, sha256: str) -> dict:
    return {"source": source, "record": None, "reason": f"duplicate doc_id {doc_id!r}", "reason_code": "duplicate_id",
            "sha256": sha256}


def failure_rejection(source: str, doc_id: str, sha256: str, reason: str) -> dict:
    return {"source": source, "record": doc_id, "reason": reason, "reason_code": "pipeline_error", "sha256": sha256}


@dataclass
class Outcome:
    """What the next snapshot holds, decided from every file's documents in listing order."""
    docs: pd.DataFrame                            # the new manifest's `docs`
    rejected: list[dict] = field(default_factory=list)  # duplicate and failure rows, in document order
    keep: dict[str, int] = field(default_factory=dict)  # part → how many of its documents' rows stay

    def kept(self, part: str) -> set[str]:
        """The doc_ids whose rows stay in `part`."""
        docs = self.docs
        return set(docs.doc_id[(docs.status == "processed") & (docs.part == part)])


def reconcile(docs: pd.DataFrame) -> Outcome:
    """Decide every document in one order: files in listing order, documents in file order (the rows of `docs`,
    a `DOCS` frame). The first document to claim a doc_id keeps it (a document that a stage failed on keeps its
    claim, as a rejection); any later one is a `duplicate_id` rejection and contributes nothing, wherever its rows
    were computed. Columnar, so the driver holds a few hundred bytes per document of the corpus, not a dict.

    Each document's status is "processed" (with its `part`), "failed" (with its `reason`) or "shadowed"
    (computed nowhere: an earlier document of its batch has its doc_id).

    >>> docs = frame("docs", [{"doc_id": "x", "source": "a.txt", "key": "k1", "sha256": "s1", "status": "processed",
    ...                        "part": "p1"},
    ...                       {"doc_id": "x", "source": "b.jsonl", "key": "k2", "sha256": "s2", "status": "processed",
    ...                        "part": "p2"}])
    >>> outcome = reconcile(docs)
    >>> outcome.keep, [r["reason"] for r in outcome.rejected], outcome.docs.status.tolist()
    ({'p1': 1}, ["duplicate doc_id 'x'"], ['processed', 'shadowed'])
    """
    docs = docs[list(DOCS.names)].reset_index(drop=True)
    duplicate = docs.doc_id.duplicated(keep="first")
    failed = ~duplicate & (docs.status == "failed")
    never = ~duplicate & ~failed & (docs.status != "processed")
    if never.any():
        first = docs[never].iloc[0]
        raise ValueError(f"document {first.doc_id!r} of {first.source} was never computed")
    decided = duplicate | failed
    rejected = [duplicate_rejection(row.source, row.doc_id, row.sha256) if is_duplicate
                else failure_rejection(row.source, row.doc_id, row.sha256, row.reason)
                for row, is_duplicate in zip(docs[decided].itertuples(index=False), duplicate[decided])]
    docs["status"] = docs.status.where(~duplicate, "shadowed")
    docs["part"] = docs.part.where(~(duplicate | failed), None)
    docs["reason"] = docs.reason.where(~duplicate, None)
    kept = docs.part[docs.status == "processed"]
    return Outcome(docs, rejected, {part: int(n) for part, n in kept.value_counts(sort=False).items()})


def frame(name: str, rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=STATE_TABLES[name].names)
