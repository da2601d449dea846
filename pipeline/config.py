"""Every path and default of the project, in one place."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAW_DIR = ROOT / "data" / "raw"
PROCESSED_DIR = ROOT / "data" / "processed"
SHARED_DIR = ROOT.parent / "shared"
GOLD_FILES = (SHARED_DIR / "gold" / "dev.jsonl", SHARED_DIR / "gold" / "seeds.jsonl")

RAW_SUFFIXES = (".txt", ".jsonl", ".csv")
BATCH_SIZE = 32          # documents per batch: bounds memory, and the unit of work for a worker or Dask task
MAX_DOC_CHARS = 2_000_000  # a "document" larger than this is almost surely not one article
