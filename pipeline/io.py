"""The only module (with the CLI) that touches the disk: read raw inputs, read, write and publish tables.

An output folder holds whole snapshots; readers see one run's tables or the next run's, never a mix:

    <out>/snapshots/<id>/<table>.parquet   one folder per run (being written, current or previous)
    <out>/current  -> snapshots/<id>       the published snapshot, switched with one os.replace
    <out>/previous -> snapshots/<id>       the snapshot before it, kept until the next publish
    <out>/<table>.parquet -> current/<table>.parquet
    <out>/.lock                            held by the one run writing the folder (its pid inside)
"""
from __future__ import annotations

import datetime as dt
import errno
import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from . import config, integrity
from .schemas import TABLES

SNAPSHOTS, CURRENT, PREVIOUS, LOCK = "snapshots", "current", "previous", ".lock"


class UserError(Exception):
    """A problem the user can fix (bad path, missing table). The CLI prints it in one line and exits 2."""


class IntegrityError(UserError):
    """The tables of a run contradict each other: nothing is published and the previous snapshot stays."""


@dataclass
class RawListing:
    """Every entry of a raw folder: the files to read, and a `rejected` row for each other entry."""
    files: list[Path]
    skipped: pd.DataFrame

    @property
    def entries(self) -> int:
        return len(self.files) + len(self.skipped)


def list_raw(raw_dir: Path, recursive: bool = False) -> RawListing:
    """The raw folder's entries in a stable order, so the same folder always gives the same tables.

    Hidden entries, folders (unless `recursive`), links to folders, dangling links and other non-files
    become rejections; a link to a file that is read anyway is a rejection too, so it counts once.
    """
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise UserError(f"raw folder not found: {raw_dir}")
    candidates, skipped = [], []

    def visit(folder: Path) -> None:
        for entry in sorted(folder.iterdir()):
            if entry.name.startswith("."):
                skipped.append(_skipped(entry, "hidden", "hidden entry (its name starts with a dot)"))
            elif entry.is_symlink() and not entry.exists():
                skipped.append(_skipped(entry, "broken_link", f"link to {os.readlink(entry)}, which does not exist"))
            elif entry.is_symlink() and entry.is_dir():
                skipped.append(_skipped(entry, "not_a_file", "link to a folder (links to folders are not followed)"))
            elif entry.is_dir() and recursive:
                visit(entry)
            elif entry.is_dir():
                skipped.append(_skipped(entry, "not_a_file", "folder (pass --recursive to read subfolders)"))
            elif entry.is_file():
                candidates.append(entry)
            else:
                skipped.append(_skipped(entry, "not_a_file", "not a regular file (a pipe, socket or device)"))

    visit(raw_dir)
    files, read = [], {}
    for entry in sorted(candidates, key=lambda p: (p.is_symlink(), p)):  # a real file wins over its links
        target = entry.resolve()
        if target in read:
            skipped.append(_skipped(entry, "duplicate_file", f"link to {read[target]}, which is read itself"))
        else:
            read[target] = entry
            files.append(entry)
    return RawListing(sorted(files), pd.DataFrame(skipped, columns=TABLES["rejected"].names))


def _skipped(entry: Path, code: str, reason: str) -> dict:
    return {"source": source_name(entry), "record": None, "reason": reason, "reason_code": code, "sha256": None}


def source_name(path: Path) -> str:
    """The path as text; bytes of a file name that are not UTF-8 become U+FFFD, as Parquet needs valid UTF-8."""
    return os.fsencode(path).decode("utf-8", errors="replace")


def read_raw(paths: Iterable[Path]) -> pd.DataFrame:
    """Raw files as bytes, one row per file: `source`, `format` (the suffix), `payload` (None if unreadable)."""
    rows = [
        {"source": source_name(p), "format": p.suffix.lower().lstrip("."), "payload": _read_bytes(p)}
        for p in paths
    ]
    return pd.DataFrame(rows, columns=["source", "format", "payload"])


def _read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:  # removed or made unreadable since it was listed: ingest rejects it
        return None


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
    so a crash or kill never leaves a half-written table. The file is created with the umask's mode.
    """

    def __init__(self, name: str, out_dir: Path):
        self.name, self.path = name, Path(out_dir) / f"{name}.parquet"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._tmp = self.path.with_name(f".{name}.{os.getpid()}.tmp")
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


@contextmanager
def output_lock(out_dir: Path, wait: bool = False) -> Iterator[Path]:
    """Hold the output folder for one writer; yields the folder, cleared of what dead runs left.

    A kernel record lock (`lockf`) is released when its process dies, however it dies, so a lock left
    by a killed run never blocks; the pid in the file only names the holder. Forked workers do not
    inherit it.
    """
    out_dir = Path(out_dir)
    with _disk_errors(out_dir):
        if out_dir.exists() and not out_dir.is_dir():
            raise UserError(f"--out {out_dir} is a file, not a folder")
        out_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(out_dir / LOCK, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as err:
            if err.errno not in (errno.EACCES, errno.EAGAIN):
                raise
            raise UserError(f"{out_dir} is being written by another run (pid {_lock_holder(fd)}); "
                            "wait for it to finish or pass --wait") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        with _disk_errors(out_dir):
            _remove_stale(out_dir)
        yield out_dir
    finally:
        os.close(fd)  # closing releases the lock


def _lock_holder(fd: int) -> str:
    for _ in range(20):  # the holder writes its pid just after taking the lock
        pid = os.pread(fd, 32, 0).decode(errors="replace").strip()
        if pid:
            return pid
        time.sleep(0.05)
    return "unknown"


def _remove_stale(out_dir: Path) -> None:
    """Remove snapshots that are neither current nor previous (the staging of dead runs), and temp files."""
    keep = {_snapshot_name(out_dir / CURRENT), _snapshot_name(out_dir / PREVIOUS)}
    for folder in (out_dir / SNAPSHOTS).glob("*"):
        if folder.name not in keep:
            shutil.rmtree(folder, ignore_errors=True)
    for tmp in out_dir.glob(".*.tmp"):
        tmp.unlink(missing_ok=True)


def _snapshot_name(pointer: Path) -> str | None:
    return Path(os.readlink(pointer)).name if pointer.is_symlink() else None


@contextmanager
def _disk_errors(out_dir: Path) -> Iterator[None]:
    """A failing disk (full, read-only, no permission) is reported in one line, like a user error."""
    try:
        yield
    except OSError as err:
        raise _disk_error(out_dir, err) from err


def _disk_error(out_dir: Path, err: OSError) -> UserError:
    return UserError(f"cannot write to {out_dir}: {err.strerror or err}; the previous tables are kept")


class Snapshot:
    """A run's tables, staged in `<out>/snapshots/<id>/`, made visible all at once by `publish()`.

    Use it under `output_lock`, as a context manager: leaving without `publish()` (an error, Ctrl-C,
    SIGTERM) removes the staging folder, so the previous snapshot stays the visible one.
    """

    def __init__(self, out_dir: Path):
        self.out_dir = Path(out_dir)
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        self.path = self.out_dir / SNAPSHOTS / f"{stamp}-{os.getpid()}"
        self._writers: list[TableWriter] = []
        self._published = False

    def __enter__(self) -> Snapshot:
        with _disk_errors(self.out_dir):
            self.path.mkdir(parents=True)
        return self

    def __exit__(self, kind, error, traceback) -> None:
        if not self._published:
            for writer in self._writers:
                with suppress(OSError):  # a full disk can fail the close too; the folder goes anyway
                    writer.abort()
            shutil.rmtree(self.path, ignore_errors=True)
        if isinstance(error, OSError):
            raise _disk_error(self.out_dir, error) from error

    def writer(self, name: str) -> TableWriter:
        self._writers.append(TableWriter(name, self.path))
        return self._writers[-1]

    def write(self, name: str, frame: pd.DataFrame) -> None:
        write_table(name, frame, self.path)

    def keep(self, name: str) -> None:
        """Carry a table over unchanged from the current snapshot (snapshots are never modified)."""
        source, target = self.out_dir / CURRENT / f"{name}.parquet", self.path / f"{name}.parquet"
        if not source.exists():
            return
        try:
            os.link(source, target)
        except OSError:  # a file system without hard links
            shutil.copyfile(source, target)

    def publish(self) -> None:
        """Check the staged tables agree, then switch `current` to them in one atomic rename."""
        tables = {name: pq.read_table(path, schema=TABLES[name]).to_pandas()
                  for name in TABLES if (path := self.path / f"{name}.parquet").exists()}
        problem = integrity.first_violation(tables)
        if problem:
            raise IntegrityError(f"integrity check failed, nothing published: {problem}")
        for name in TABLES:  # stable paths through `current`; already in place after the first publish
            _point(self.out_dir / f"{name}.parquet", f"{CURRENT}/{name}.parquet")
        previous = _snapshot_name(self.out_dir / CURRENT)
        if previous:
            _point(self.out_dir / PREVIOUS, f"{SNAPSHOTS}/{previous}")
        _point(self.out_dir / CURRENT, f"{SNAPSHOTS}/{self.path.name}")  # the one step readers see
        self._published = True
        _remove_stale(self.out_dir)


def _point(link: Path, target: str) -> None:
    """Make `link` a symlink to `target`, atomically replacing whatever was there."""
    if link.is_symlink() and os.readlink(link) == target:
        return
    tmp = link.with_name(f".{link.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    os.symlink(target, tmp)
    os.replace(tmp, link)


def publish(out_dir: Path, tables: dict[str, pd.DataFrame], keep: Iterable[str] = ()) -> None:
    """Publish a snapshot of `tables`, plus the `keep` tables carried over from the current one.

    Call it under `output_lock`. Tables of the current snapshot that are neither written nor kept are
    left out of the new one.
    """
    with Snapshot(out_dir) as snapshot:
        for name in keep:
            snapshot.keep(name)
        for name, frame in tables.items():
            snapshot.write(name, frame)
        snapshot.publish()


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
