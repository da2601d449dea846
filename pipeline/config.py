"""Every path and default of the project, in one place."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAW_DIR = ROOT / "data" / "raw"
PROCESSED_DIR = ROOT / "data" / "processed"
SHARED_DIR = ROOT.parent / "shared"
GOLD_FILES = tuple(SHARED_DIR / "gold" / name for name in ("dev.jsonl", "dev2.jsonl", "seeds.jsonl"))
# VLSP-2018 NER train split (licence: measurement only, never committed): `evaluate --format vlsp2018`.
VLSP_DIR = Path(os.environ.get("VLSP_DIR") or ROOT.parent / "vlsp2018" / "VLSP2018-NER-train-Jan14")

RAW_SUFFIXES = (".txt", ".jsonl", ".csv")
# documents per batch: bounds memory, and the unit of work for a worker or Dask task (32 ran 6% slower: each
# batch has fixed costs, such as one Viterbi step per token position and the part files)
BATCH_SIZE = 64
MAX_DOC_CHARS = 2_000_000  # a "document" larger than this is almost surely not one article

# --- storage layout (issue 11): each table is a Parquet dataset inside the run's snapshot ------------------
PACKAGE_DIR = Path(__file__).resolve().parent   # the code fingerprint covers its *.py (recursively) and resources/*
FINGERPRINT_PACKAGES = ("underthesea", "spacy", "english-words")  # installed versions that change the tables too
# Tables split into `year=YYYY/` folders by the year of their document's date (hive partitioning), so readers
# that filter on `year` read only those folders. `year=0` holds the rows of documents without a date.
PARTITIONED = ("documents", "mentions", "amounts", "times")
PARTITION_KEY = "year"
UNDATED_YEAR = 0
STATE_DIR = "_state"      # inside a snapshot: the manifest of the run (files, documents, per-document entity parts)
STAMPS_DIR = ".stages"    # inside --out: the Makefile's stage stamps and the raw folder's listing
LOCAL_SCHEDULER = "local"  # `--scheduler local`: a dask.distributed LocalCluster on this machine
# seconds to reach a Dask scheduler before giving up (a user error)
SCHEDULER_TIMEOUT = float(os.environ.get("PIPELINE_SCHEDULER_TIMEOUT") or 10)


def underthesea_dir() -> Path:
    """underthesea's installed folder (its models and word lists), found without importing the package."""
    import importlib.util

    return Path(importlib.util.find_spec("underthesea").origin).parent


def cache_dir() -> Path | None:
    """Where built lexicon indexes and CRF tables are kept between processes (`io.cached`): $PIPELINE_CACHE_DIR,
    else $XDG_CACHE_HOME/vnews or ~/.cache/vnews; PIPELINE_CACHE_DIR=off keeps none."""
    chosen = os.environ.get("PIPELINE_CACHE_DIR")
    if chosen == "off":
        return None
    if chosen:
        return Path(chosen)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "vnews"
