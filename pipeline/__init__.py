"""Vietnamese news → leaders, places, organizations, projects, amounts, years and dates as tables.

`import pipeline` is cheap: models load on first use. In a notebook, after `make run`:

    from pipeline import load
    mentions = load("mentions")
"""
from __future__ import annotations

from pathlib import Path

from . import config

__all__ = ["load", "run"]


def load(table: str, out_dir: Path | str = config.PROCESSED_DIR):
    """One output table as a pandas DataFrame, e.g. `load("entities")`."""
    from .io import read_table

    return read_table(table, Path(out_dir))


def run(raw_dir: Path | str = config.RAW_DIR, out_dir: Path | str = config.PROCESSED_DIR, **options):
    """Run every stage on `raw_dir` and write the tables to `out_dir`; returns a summary."""
    from .runner import run as _run

    return _run(Path(raw_dir), Path(out_dir), **options)
