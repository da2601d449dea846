"""The only module (with the CLI) that touches the disk: read raw inputs, read and write tables."""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from . import config
from .schemas import TABLES


class UserError(Exception):
    """A problem the user can fix (bad path, missing table). The CLI prints it in one line and exits 2."""


def list_raw_files(raw_dir: Path) -> list[Path]:
    """Input files in a stable order, so the same folder always gives the same tables."""
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise UserError(f"raw folder not found: {raw_dir}")
    return sorted(p for p in raw_dir.iterdir() if p.is_file() and not p.name.startswith("."))


def read_raw(paths: Iterable[Path]) -> pd.DataFrame:
    """Raw files as bytes, one row per file: `source`, `format` (the suffix), `payload`."""
    rows = [
        {"source": str(p), "format": p.suffix.lower().lstrip("."), "payload": p.read_bytes()}
        for p in paths
    ]
    return pd.DataFrame(rows, columns=["source", "format", "payload"])


def to_arrow(name: str, frame: pd.DataFrame) -> pa.Table:
    """Cast a frame to its table's schema; refuse missing or extra columns."""
    schema = TABLES[name]
    missing = set(schema.names) - set(frame.columns)
    extra = set(frame.columns) - set(schema.names)
    if missing or extra:
        raise ValueError(f"table {name}: missing columns {sorted(missing)}, extra columns {sorted(extra)}")
    return pa.Table.from_pandas(frame[schema.names], schema=schema, preserve_index=False)


class TableWriter:
    """Streams batches of one table into Parquet, published atomically on `close()`.

    Rows go to a temporary file next to the target; only a complete file is renamed into place,
    so a crash or kill never leaves a half-written table.
    """

    def __init__(self, name: str, out_dir: Path):
        self.name, self.path = name, Path(out_dir) / f"{name}.parquet"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.path.parent)
        os.close(fd)
        self._tmp = Path(tmp)
        self._writer = pq.ParquetWriter(self._tmp, TABLES[name])

    def write(self, frame: pd.DataFrame) -> None:
        if len(frame):
            self._writer.write_table(to_arrow(self.name, frame))

    def close(self) -> Path:
        self._writer.close()
        os.replace(self._tmp, self.path)
        return self.path

    def abort(self) -> None:
        self._writer.close()
        self._tmp.unlink(missing_ok=True)


def write_table(name: str, frame: pd.DataFrame, out_dir: Path) -> Path:
    """Write one whole table atomically."""
    writer = TableWriter(name, out_dir)
    try:
        writer.write(frame)
    except BaseException:
        writer.abort()
        raise
    return writer.close()


def table_path(name: str, out_dir: Path | str = config.PROCESSED_DIR) -> Path:
    """The file of one output table: the single place that maps a table name to a path.

    >>> table_path("mentions", "/tmp/out").as_posix()
    '/tmp/out/mentions.parquet'
    """
    if name not in TABLES:
        raise UserError(f"unknown table {name!r}; tables are: {', '.join(TABLES)}")
    return Path(out_dir) / f"{name}.parquet"


def default_out_dir() -> Path:
    """Where analysis reads tables: `$PIPELINE_OUT` when set (a notebook run on another folder), else the
    repository's absolute `data/processed`, so it works from any working directory."""
    return Path(os.environ.get("PIPELINE_OUT") or config.PROCESSED_DIR).resolve()


def read_table(name: str, out_dir: Path = config.PROCESSED_DIR, columns: list[str] | None = None,
               filters=None, analysis_types: bool = False) -> pd.DataFrame:
    """Read one output table; a missing table is a user error naming the stage to run first.

    `columns` and `filters` (pyarrow's DNF, e.g. `[("label", "=", "LEADER")]`) are pushed down to the
    Parquet reader; `analysis_types` gives nullable pandas dtypes and categoricals (`schemas.pandas_dtypes`).
    """
    path = table_path(name, out_dir)
    if not path.exists():
        raise UserError(f"{path} not found: run the stage that writes it first (see `make help`)")
    schema = TABLES[name]
    unknown = sorted(set(columns or []) - set(schema.names))
    if unknown:
        raise UserError(f"table {name} has no column {', '.join(unknown)}; columns are: {', '.join(schema.names)}")
    try:
        table = pq.read_table(path, schema=schema, columns=columns, filters=filters)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, ValueError, TypeError) as err:
        raise UserError(f"bad filter for table {name}: {err}".splitlines()[0]) from err
    if not analysis_types:
        return table.to_pandas()
    from .schemas import to_analysis_types

    return to_analysis_types(name, table)


def iter_batches(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def sql_connection(out_dir: Path = config.PROCESSED_DIR):
    """An in-memory DuckDB connection with every table of `out_dir` registered as a view named after it,
    so `SELECT * FROM mentions` works from any working directory."""
    import duckdb

    connection = duckdb.connect()
    registered = []
    for name in TABLES:
        path = table_path(name, out_dir)
        if path.exists():
            quoted = str(path.resolve()).replace("'", "''")
            connection.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{quoted}')")
            registered.append(name)
    if not registered:
        connection.close()
        raise UserError(f"no tables in {out_dir}: run `make run` (or `python -m pipeline run`) first")
    return connection


def sql_query(query: str, out_dir: Path = config.PROCESSED_DIR) -> pd.DataFrame:
    """The result of one DuckDB query over the tables; a bad query is a user error (one line)."""
    import duckdb

    connection = sql_connection(out_dir)
    try:
        result = connection.sql(query)
        if result is None:
            raise UserError("the query returned no result: use SELECT (the tables are read-only views)")
        return result.df()
    except duckdb.Error as err:
        raise UserError(f"SQL: {str(err).splitlines()[0]}") from err
    finally:
        connection.close()


def write_site(files: Iterable[tuple[str, str | bytes]], target: Path) -> int:
    """Write a static site (`(relative path, text or bytes)` pairs) to `target`, replacing it whole:
    files go to a temporary folder that is swapped in at the end, so no stale or half-written page remains.
    Returns the number of files written."""
    import shutil

    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)  # mkdtemp makes it private (0700); a report is meant to be opened or published
    count = 0
    try:
        for relative, content in files:
            path = staging / relative
            if path.resolve().parent != staging.resolve() and staging.resolve() not in path.resolve().parents:
                raise ValueError(f"report file outside the report folder: {relative}")
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
            count += 1
        old = target.with_name(f".{target.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            os.replace(target, old)
        os.replace(staging, target)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return count
