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
BATCH_SIZE = 32          # documents per batch: bounds memory, and the unit of work for a worker or Dask task
MAX_DOC_CHARS = 2_000_000  # a "document" larger than this is almost surely not one article
