"""Vietnamese news → leaders, places, organizations, projects, amounts, years and dates as tables.

`import pipeline` is cheap: models load on first use. In a notebook, after `make run`:

    from pipeline import analysis, load, sql
    tables = load()                                     # every table: tables.mentions, tables["entities"]…
    leaders = load("mentions", filters=[("label", "=", "LEADER")])
    analysis.top_entities(tables.entities, "LEADER")    # Tô Lâm, Thongloun Sisoulith…
    sql("SELECT canonical, n_mentions FROM entities WHERE label = 'PLACE' ORDER BY 2 DESC")
"""
from __future__ import annotations

from pathlib import Path

from . import config

__all__ = ["load", "run", "sql"]


class Tables(dict):
    """Every table by name, also as attributes: `tables.mentions is tables["mentions"]`."""

    def __getattr__(self, name: str):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __repr__(self) -> str:
        return "Tables(" + ", ".join(f"{name}: {len(frame)} rows" for name, frame in self.items()) + ")"


def load(table: str | None = None, out_dir: Path | str | None = None, columns: list[str] | None = None,
         filters=None):
    """Output tables as pandas, with nullable dtypes and categoricals (`label`, `currency`).

    `load()` gives every table (`Tables`: `tables.mentions` or `tables["mentions"]`); `load("mentions")`
    one table; `columns` and pyarrow `filters` are pushed down to the Parquet reader, e.g.
    `load("mentions", columns=["text", "title"], filters=[("label", "=", "LEADER")])` for "Tô Lâm",
    "Tổng Bí thư". `out_dir` defaults to `$PIPELINE_OUT`, else the repository's `data/processed`
    (an absolute path, so a notebook in `notebooks/` needs none).
    """
    from .io import default_out_dir, read_table
    from .schemas import TABLES

    out = Path(out_dir) if out_dir is not None else default_out_dir()
    if table is None:
        return Tables({name: read_table(name, out, analysis_types=True) for name in TABLES})
    return read_table(table, out, columns=columns, filters=filters, analysis_types=True)


def sql(query: str, out_dir: Path | str | None = None):
    """A DuckDB query over the tables (each a view named after it) as a DataFrame, e.g.
    `sql("SELECT canonical FROM entities WHERE label = 'LEADER'")` for "Tô Lâm"…; `out_dir` as in `load`."""
    from .io import default_out_dir, sql_query

    return sql_query(query, Path(out_dir) if out_dir is not None else default_out_dir())


def run(raw_dir: Path | str = config.RAW_DIR, out_dir: Path | str = config.PROCESSED_DIR, **options):
    """Run every stage on `raw_dir` and write the tables to `out_dir`; returns a summary."""
    from .runner import run as _run

    return _run(Path(raw_dir), Path(out_dir), **options)
