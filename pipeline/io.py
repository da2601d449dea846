"""The only module (with the CLI) that touches the disk: read raw inputs, read, write and publish tables.

An output folder holds whole snapshots; readers see one run's tables or the next run's, never a mix:

    <out>/snapshots/<id>/<table>/<part>.parquet           one folder per run (being written, current or previous);
    <out>/snapshots/<id>/<table>/year=YYYY/<part>.parquet  each table a Parquet dataset, one part per batch
    <out>/snapshots/<id>/_state/                           the run's manifest (`pipeline/manifest.py`)
    <out>/current  -> snapshots/<id>       the published snapshot, switched with one os.replace
    <out>/previous -> snapshots/<id>       the snapshot before it, kept until the next publish
    <out>/<table>  -> current/<table>
    <out>/.lock                            held by the one run writing the folder (its pid inside)
"""
from __future__ import annotations

import datetime as dt
import errno
import fcntl
import functools
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from . import config, integrity
from .schemas import TABLES

T = TypeVar("T")

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


def file_signature(path: Path) -> tuple[int, int, int, int] | None:
    """(size, mtime_ns, ctime_ns, inode) of a file (through links), or None when it cannot be read.

    `cp -p` keeps the mtime but not the inode nor the ctime, which no user can set: a changed signature
    means the bytes are hashed again."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


def hash_file(path: Path) -> str | None:
    """SHA-256 of a file's bytes, or None when it cannot be read."""
    import hashlib

    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def code_fingerprint() -> str:
    """SHA-256 of the code and the lexicons (`pipeline/**/*.py`, `pipeline/resources/*`) and of the installed
    underthesea and spaCy versions: what the tables depend on besides the input."""
    import hashlib
    from importlib import metadata

    digest = hashlib.sha256()
    root = config.PACKAGE_DIR
    files = sorted({*root.rglob("*.py"), *(p for p in (root / "resources").glob("*") if p.is_file())})
    for path in files:
        if "__pycache__" in path.parts:
            continue
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for package in config.FINGERPRINT_PACKAGES:
        try:
            version = metadata.version(package)
        except metadata.PackageNotFoundError:
            version = "absent"
        digest.update(f"{package}=={version}\0".encode())
    return digest.hexdigest()


def cached(name: str, build: Callable[[], T]) -> T:
    """`build()`, kept pickled in `config.cache_dir()` for the next process: the lexicon indexes and the CRF tables
    take 0.5 s to build and 0.2 s to load, in every process a run starts. The entry's key is the code fingerprint
    (code, lexicons, underthesea's and spaCy's versions) and Python's version, so any change builds it again; an
    unreadable entry is built again and replaced, and a folder that cannot be written only means no cache."""
    import pickle

    folder = config.cache_dir()
    if folder is None:
        return build()
    path = folder / f"{name}-{_cache_key()}.pickle"
    try:
        with open(path, "rb") as file:
            return pickle.load(file)
    except Exception:  # noqa: BLE001 -- missing, truncated, or of other code: built again below
        pass
    value = build()
    with suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=f".{name}-", delete=False) as tmp:
            try:
                pickle.dump(value, tmp, protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:
                os.unlink(tmp.name)
                raise
        os.replace(tmp.name, path)  # whole or not at all: a concurrent process reads either entry
        for stale in folder.glob(f"{name}-*.pickle"):  # entries of earlier code
            if stale != path:
                stale.unlink(missing_ok=True)
    return value


@functools.cache
def _cache_key() -> str:
    import hashlib
    import sys

    return hashlib.sha256(f"{code_fingerprint()} {sys.version}".encode()).hexdigest()[:20]


def _schema_of(name: str) -> pa.Schema:
    from .manifest import STATE_TABLES

    return TABLES[name] if name in TABLES else STATE_TABLES[name]


def _read_file(path: Path, schema: pa.Schema | None = None, columns: list[str] | None = None) -> pa.Table:
    """One Parquet file, read on this thread: the dataset reader's read-ahead and thread pools hold tens of MB
    more, which the driver's many small reads at the end of a run do not need."""
    table = pq.ParquetFile(path).read(columns=columns, use_threads=False)
    return table.cast(schema) if schema is not None else table


def to_arrow(name: str, frame: pd.DataFrame) -> pa.Table:
    """Cast a frame to its table's schema; refuse missing or extra columns."""
    schema = _schema_of(name)
    missing = set(schema.names) - set(frame.columns)
    extra = set(frame.columns) - set(schema.names)
    if missing or extra:
        raise ValueError(f"table {name}: missing columns {sorted(missing)}, extra columns {sorted(extra)}")
    return pa.Table.from_pandas(frame[schema.names], schema=schema, preserve_index=False)


# --- part files ---------------------------------------------------------------------------------------------
# A table is a folder of part files, one per batch of documents (`<table>/<part>.parquet`, or
# `<table>/year=YYYY/<part>.parquet` for config.PARTITIONED); the per-document state of the manifest is kept the
# same way under `_state/`. Every part file is written to a hidden temporary name and renamed when complete, so a
# reader never meets half a file (pyarrow and DuckDB skip names starting with a dot).

def _folder(root: Path, name: str) -> Path:
    return root / (name if name in TABLES else f"{config.STATE_DIR}/{name}")


def _year_of(date) -> int:
    if date is None or pd.isna(date):
        return config.UNDATED_YEAR
    return int(str(date)[:4])


def document_years(documents: pd.DataFrame) -> dict[str, int]:
    """doc_id → the partition of its rows: the year of its date, or `config.UNDATED_YEAR`."""
    return {d: _year_of(v) for d, v in zip(documents.doc_id, documents.date)}


def _write_file(path: Path, table: pa.Table) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    writer = pq.ParquetWriter(tmp, table.schema)
    try:
        writer.write_table(table)
        writer.close()
    except BaseException:
        with suppress(Exception):
            writer.close()
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, path)


def _mkdirs(root: Path, relative: Path) -> Path:
    """Create the folders of `relative` below `root`, but never `root` itself: a worker left running by a killed
    driver cannot bring back a staging folder the next run removed."""
    if not root.is_dir():
        raise FileNotFoundError(errno.ENOENT, "staging snapshot removed", str(root))
    path = root
    for part in relative.parts:
        path = path / part
        with suppress(FileExistsError):
            path.mkdir()
    return path


def write_part(root: Path, part: str, tables: dict[str, pd.DataFrame], years: dict[str, int] | None = None) -> list[str]:
    """Write one part of each table (and state table) into the snapshot folder `root`; returns the files written,
    relative to `root`. Partitioned tables go to `year=` folders by `years` (doc_id → year; from
    `tables["documents"]` when not given). Every frame is cast to its schema first, so nothing is written when one
    has a missing or extra column."""
    arrow = {name: to_arrow(name, frame) for name, frame in tables.items()}
    if years is None and "documents" in tables:
        years = document_years(tables["documents"])
    written = []
    for name, table in arrow.items():
        if name in config.PARTITIONED:
            doc_years = pd.Series(tables[name].doc_id.map(years or {}).fillna(config.UNDATED_YEAR).astype(int).values)
            for year in sorted(set(doc_years)):
                rows = table.filter(pa.array((doc_years == year).values))
                relative = Path(name, f"{config.PARTITION_KEY}={year}", f"{part}.parquet")
                _write_file(_mkdirs(root, relative.parent) / relative.name, rows)
                written.append(relative.as_posix())
        else:
            relative = _folder(Path(), name) / f"{part}.parquet"
            _write_file(_mkdirs(root, relative.parent) / relative.name, table)
            written.append(relative.as_posix())
    return written


def ensure_files(root: Path, names: Iterable[str] = tuple(TABLES)) -> None:
    """Give every table of the snapshot at least one (empty) part file: readers then see an empty table with its
    columns rather than no table."""
    for name in names:
        schema, folder = TABLES[name], root / name
        if not (folder.is_dir() and any(folder.rglob("*.parquet"))):
            sub = Path(name, f"{config.PARTITION_KEY}={config.UNDATED_YEAR}") if name in config.PARTITIONED else Path(name)
            _write_file(_mkdirs(root, sub) / "part-empty.parquet", schema.empty_table())


def part_index(root: Path) -> dict[str, list[str]]:
    """part → its files in the snapshot folder `root` (relative paths), over every table and state table."""
    index: dict[str, list[str]] = {}
    if not root.is_dir():
        return index
    for path in root.rglob("*.parquet"):
        if not path.name.startswith("."):
            index.setdefault(path.stem, []).append(path.relative_to(root).as_posix())
    return index


def link_files(source_root: Path, target_root: Path, files: Iterable[str]) -> None:
    """Carry part files over from one snapshot to another unchanged: hard links (snapshots are never modified),
    or copies on a file system without them."""
    for relative in files:
        target = _mkdirs(target_root, Path(relative).parent) / Path(relative).name
        try:
            os.link(source_root / relative, target)
        except FileExistsError:
            pass
        except OSError:
            shutil.copyfile(source_root / relative, target)


def read_part(root: Path, files: Iterable[str]) -> dict[str, pd.DataFrame]:
    """The rows of one part (its files, as `part_index` lists them), by table name."""
    from .manifest import STATE_TABLES

    found: dict[str, list[pa.Table]] = {}
    for relative in files:
        parts = Path(relative).parts
        name = parts[1] if parts[0] == config.STATE_DIR else parts[0]
        found.setdefault(name, []).append(_read_file(root / relative, _schema_of(name)))
    out = {name: pa.concat_tables(tables).to_pandas() for name, tables in found.items()}
    for name in (*TABLES, *STATE_TABLES):
        out.setdefault(name, _schema_of(name).empty_table().to_pandas())
    return out


def write_if_changed(path: Path, text: str) -> bool:
    """Write `text` to `path` only when it differs from what is there (so its mtime says when it last changed)."""
    path = Path(path)
    with suppress(OSError):
        if path.read_text(encoding="utf-8") == text:
            return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return True


def table_rows(root: Path) -> dict[str, int]:
    """Rows of each table of a snapshot folder, from the part files' footers (no data is read)."""
    return {name: sum(pq.ParquetFile(path).metadata.num_rows for path in (root / name).rglob("*.parquet")
                      if not path.name.startswith("."))
            for name in TABLES}


def remove_files(root: Path, files: Iterable[str]) -> None:
    for relative in files:
        (root / relative).unlink(missing_ok=True)


# --- the manifest of a snapshot -------------------------------------------------------------------------------

def read_state(out_dir: Path) -> dict | None:
    """The manifest of the published snapshot: {"fingerprint", "listing", "files", "docs", "path"}, or None when
    there is none (no run yet, a snapshot written stage by stage, an older layout or format)."""
    import json

    from . import manifest

    current = Path(out_dir) / CURRENT
    state = current / config.STATE_DIR
    try:
        meta = json.loads((state / "state.json").read_text(encoding="utf-8"))
        if meta.get("format") != manifest.FORMAT:
            return None
        meta["files"] = _read_file(state / "files.parquet", manifest.FILES).to_pandas()
        meta["docs"] = _read_file(state / "docs.parquet", manifest.DOCS).to_pandas()
    except (OSError, ValueError, KeyError, pa.ArrowException):
        return None
    meta["path"] = current.resolve()
    return meta


def write_state(root: Path, meta: dict, files: pd.DataFrame, docs: pd.DataFrame) -> None:
    import json

    from . import manifest

    folder = _mkdirs(root, Path(config.STATE_DIR))
    _write_file(folder / "files.parquet", pa.Table.from_pandas(files, schema=manifest.FILES, preserve_index=False))
    _write_file(folder / "docs.parquet", pa.Table.from_pandas(docs, schema=manifest.DOCS, preserve_index=False))
    tmp = folder / f".state.json.{os.getpid()}.tmp"
    tmp.write_text(json.dumps({**meta, "format": manifest.FORMAT}, indent=1), encoding="utf-8")
    os.replace(tmp, folder / "state.json")


def read_entity_parts(root: Path, parts: Iterable[str]) -> Iterator[pd.DataFrame]:
    """The per-document entity parts of the given parts of a snapshot, one frame per part."""
    from .manifest import ENTITY_PARTS

    folder = root / config.STATE_DIR / "entity_parts"
    for part in parts:
        path = folder / f"{part}.parquet"
        if path.exists():
            yield _read_file(path, ENTITY_PARTS).to_pandas()


class TableWriter:
    """Streams batches of one table into one part file of its dataset folder, in place on `close()`.

    Rows go to a temporary file; only a complete file is renamed into place, so a crash or kill never leaves a
    half-written table. The file is created with the umask's mode. Nothing is created before the first write.
    """

    def __init__(self, name: str, out_dir: Path, part: str = "part-000000"):
        self.name, self.out_dir, self.part = name, Path(out_dir), part
        self.path = self.out_dir / name / f"{part}.parquet"
        self._tmp = self.path.with_name(f".{part}.parquet.{os.getpid()}.tmp")
        self._writer = None
        self._created: list[Path] = []

    def write(self, frame: pd.DataFrame) -> None:
        if not len(frame):
            return
        table = to_arrow(self.name, frame)
        if self._writer is None:
            for folder in (self.out_dir, self.out_dir / self.name):
                if not folder.exists():
                    folder.mkdir()
                    self._created.append(folder)
            self._writer = pq.ParquetWriter(self._tmp, TABLES[self.name])
        self._writer.write_table(table)

    def close(self) -> Path:
        if self._writer is None:
            self.write_empty()
        self._writer.close()
        os.replace(self._tmp, self.path)
        return self.path

    def write_empty(self) -> None:
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._writer = pq.ParquetWriter(self._tmp, TABLES[self.name])

    def abort(self) -> None:
        if self._writer is not None:
            with suppress(Exception):
                self._writer.close()
        self._tmp.unlink(missing_ok=True)
        for folder in reversed(self._created):
            with suppress(OSError):
                folder.rmdir()


def write_table(name: str, frame: pd.DataFrame, out_dir: Path) -> Path:
    """Write one whole table as a dataset folder of one part file, `out_dir/<name>/`; returns the folder."""
    to_arrow(name, frame)  # refuse missing or extra columns before anything is created
    root = Path(out_dir)
    root.mkdir(parents=True, exist_ok=True)
    write_part(root, "part-000000", {name: frame})
    return root / name


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
    SIGTERM) removes the staging folder, so the previous snapshot stays the visible one. Workers (processes
    or Dask tasks) may write part files into `path` with `write_part` while the driver holds the lock.
    """

    def __init__(self, out_dir: Path):
        self.out_dir = Path(out_dir)
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        self.path = self.out_dir / SNAPSHOTS / f"{stamp}-{os.getpid()}"
        self._writers: list[TableWriter] = []
        self._published = False
        self._years: dict[str, int] | None = None

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
        """Write a whole table as one part (partitioned by the years of the documents written or kept)."""
        if name == "documents":
            self._years = document_years(frame)
        elif name in config.PARTITIONED and self._years is None:
            self._years = document_years(read_table("documents", self.path, columns=["doc_id", "date"])) \
                if (self.path / "documents").exists() else {}
        write_part(self.path, "part-000000", {name: frame}, years=self._years)
        ensure_files(self.path, [name])

    def _column(self, folder: Path, column: str, pattern: str = "*.parquet") -> Iterator[list]:
        """The values of one column of each part file in a folder of the staging snapshot, a file at a time."""
        for path in sorted(folder.glob(pattern)):
            yield _read_file(path, columns=[column]).column(0).to_pylist()

    def _parts_without_entity_parts(self) -> set[str]:
        """Parts holding mentions but no entity parts (from the file names and footers only)."""
        with_parts = {p.stem for p in (self.path / config.STATE_DIR / "entity_parts").glob("*.parquet")}
        return {p.stem for p in (self.path / "mentions").rglob("*.parquet")
                if p.stem not in with_parts and pq.ParquetFile(p).metadata.num_rows}

    def keep(self, name: str) -> None:
        """Carry a table over unchanged from the current snapshot (snapshots are never modified)."""
        source = (self.out_dir / CURRENT).resolve()
        folder = source / name
        if folder.is_dir():
            link_files(source, self.path, [p.relative_to(source).as_posix() for p in folder.rglob("*.parquet")])

    def publish(self, check: str = "full") -> None:
        """Check the staged tables agree, then switch `current` to them in one atomic rename.

        `check="full"` reads every table whole (small runs, stage commands); `"global"` checks only what spans
        parts (unique doc_ids, every entity_id in entities): the runner's parts were each checked when written.
        """
        if check == "full":
            tables = {name: read_table(name, self.path) for name in TABLES if (self.path / name).is_dir()}
            problem = integrity.first_violation(tables)
        else:
            problem = integrity.global_violation(
                self._column(self.path / "documents", "doc_id", "**/*.parquet"),
                [e for ids in self._column(self.path / "entities", "entity_id") for e in ids],
                self._column(self.path / config.STATE_DIR / "entity_parts", "entity_id"),
                self._parts_without_entity_parts())
        if problem:
            raise IntegrityError(f"integrity check failed, nothing published: {problem}")
        for name in TABLES:  # stable paths through `current`; already in place after the first publish
            _point(self.out_dir / name, f"{CURRENT}/{name}")
        previous = _snapshot_name(self.out_dir / CURRENT)
        if previous:
            _point(self.out_dir / PREVIOUS, f"{SNAPSHOTS}/{previous}")
        _point(self.out_dir / CURRENT, f"{SNAPSHOTS}/{self.path.name}")  # the one step readers see
        self._published = True
        for name in TABLES:  # the one-file layout before datasets: its links would point at nothing now
            legacy = self.out_dir / f"{name}.parquet"
            if legacy.is_symlink() or legacy.is_file():
                legacy.unlink()
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
        if "documents" in tables:  # first: its years partition the other tables
            snapshot.write("documents", tables["documents"])
        for name, frame in tables.items():
            if name != "documents":
                snapshot.write(name, frame)
        snapshot.publish()


def table_path(name: str, out_dir: Path | str = config.PROCESSED_DIR) -> Path:
    """The folder of one output table (a Parquet dataset): the single place that maps a table name to a path.

    >>> table_path("mentions", "/tmp/out").as_posix()
    '/tmp/out/mentions'
    """
    if name not in TABLES:
        raise UserError(f"unknown table {name!r}; tables are: {', '.join(TABLES)}")
    return Path(out_dir) / name


def snapshot_dir(out_dir: Path | str) -> Path:
    """The folder to read tables from: the published snapshot, resolved once so that several tables read from it
    all come from the same run; a folder of datasets without snapshots is read as it is."""
    current = Path(out_dir) / CURRENT
    return current.resolve() if current.is_symlink() else Path(out_dir)


def default_out_dir() -> Path:
    """Where analysis reads tables: `$PIPELINE_OUT` when set (a notebook run on another folder), else the
    repository's absolute `data/processed`, so it works from any working directory."""
    return Path(os.environ.get("PIPELINE_OUT") or config.PROCESSED_DIR).resolve()


def _dataset(name: str, folder: Path):
    import pyarrow.dataset as pads

    schema = TABLES[name]
    partitioning = None
    if name in config.PARTITIONED:
        key = pa.schema([(config.PARTITION_KEY, pa.int32())])
        partitioning = pads.partitioning(key, flavor="hive")
        schema = schema.append(key.field(0))
    return pads.dataset(str(folder), format="parquet", schema=schema, partitioning=partitioning)


def read_table(name: str, out_dir: Path = config.PROCESSED_DIR, columns: list[str] | None = None,
               filters=None, analysis_types: bool = False) -> pd.DataFrame:
    """Read one output table (its dataset folder); a missing table is a user error naming the stage to run first.

    `columns` and `filters` (pyarrow's DNF, e.g. `[("label", "=", "LEADER")]`) are pushed down to the
    Parquet reader; partitioned tables also filter on `year` (the year of the document's date, 0 when it has
    none), which reads only those folders. `analysis_types` gives nullable pandas dtypes and categoricals
    (`schemas.pandas_dtypes`).
    """
    path = table_path(name, out_dir)
    if not path.exists():
        raise UserError(f"{path} not found: run the stage that writes it first (see `make help`)")
    schema = TABLES[name]
    known = [*schema.names, *([config.PARTITION_KEY] if name in config.PARTITIONED else [])]
    unknown = sorted(set(columns or []) - set(known))
    if unknown:
        raise UserError(f"table {name} has no column {', '.join(unknown)}; columns are: {', '.join(schema.names)}")
    try:
        expression = pq.filters_to_expression(filters) if filters else None
        table = _dataset(name, path.resolve()).to_table(columns=columns or list(schema.names), filter=expression)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, ValueError, TypeError, KeyError) as err:
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
    so `SELECT * FROM mentions` works from any working directory. All views read the same snapshot; partitioned
    tables have the `year` column of their folders."""
    import duckdb

    connection = duckdb.connect()
    registered = []
    base = snapshot_dir(out_dir)
    for name in TABLES:
        path = table_path(name, base)
        if path.is_dir():
            pattern = str(path.resolve() / "**" / "*.parquet").replace("'", "''")
            hive = ", hive_partitioning = true, hive_types = {'year': INTEGER}" if name in config.PARTITIONED \
                else ", hive_partitioning = false"
            connection.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{pattern}'{hive})")
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
