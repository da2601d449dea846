"""Stage 1 — ingest: raw files → `documents` (+ `rejected`).

Decodes bytes, parses `.txt` / `.jsonl` / `.csv`, reads the optional `date YYYY-MM-DD` marker,
NFC-normalizes and strips the body. Every offset in every later table indexes into `documents.text`.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io as _io
import json
import re
import unicodedata
from pathlib import Path

import pandas as pd

from . import config

REQUIRES = ("source", "format", "payload")
PROVIDES = ("documents", "rejected")

# "date 2026-02-05" at the very start; the body may go on on the same line.
_DATE_MARKER = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})(?=\s|\Z)[ \t]*", re.IGNORECASE)


# C0 controls other than tab and line breaks never occur in articles; they mean binary or corrupt input.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class Rejected(ValueError):
    """A record that cannot become a document; its message is the `reason`."""


def ingest(raw: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Raw files → (documents, rejected).

    >>> raw = pd.DataFrame([{"source": "a.txt", "format": "txt", "payload": "date 2026-02-05 Sáng 5/2".encode()}])
    >>> documents, rejected = ingest(raw)
    >>> documents.loc[0, ["doc_id", "text"]].tolist(), str(documents.loc[0, "date"])
    (['a', 'Sáng 5/2'], '2026-02-05')
    """
    _require(raw, REQUIRES)
    documents, rejected, seen = [], [], set()
    for source, fmt, payload in raw[list(REQUIRES)].itertuples(index=False):
        try:
            records = list(_records(source, fmt, payload))
        except Rejected as why:
            rejected.append(_rejection(source, None, str(why), payload))
            continue
        for record_ref, doc_id, date, text in records:
            try:
                if isinstance(text, Rejected):
                    raise text
                doc = _document(source, fmt, doc_id, date, text)
                if doc["doc_id"] in seen:
                    raise Rejected(f"duplicate doc_id {doc['doc_id']!r}")
            except Rejected as why:
                rejected.append(_rejection(source, record_ref, str(why), text.encode() if isinstance(text, str) else b""))
                continue
            seen.add(doc["doc_id"])
            documents.append(doc)
    return _documents_frame(documents), pd.DataFrame(rejected, columns=["source", "record", "reason", "sha256"])


def _require(frame: pd.DataFrame, columns) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"ingest requires columns {missing}")


def _records(source: str, fmt: str, payload: bytes):
    """Yield (record_ref, doc_id, date, text) for each document in one file."""
    text = _decode(payload)
    stem = Path(source).stem
    if fmt == "txt":
        match = _DATE_MARKER.match(text)
        yield None, stem, match.group(1) if match else None, text[match.end():] if match else text
    elif fmt == "jsonl":
        for lineno, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as err:
                yield f"line {lineno}", None, None, Rejected(f"invalid JSON: {err.msg}")
                continue
            if not isinstance(obj, dict):
                yield f"line {lineno}", None, None, Rejected("JSON line is not an object")
                continue
            yield f"line {lineno}", _field(obj, "id", "doc_id") or f"{stem}-{lineno}", obj.get("date"), obj.get("text")
    elif fmt == "csv":
        reader = csv.DictReader(_io.StringIO(text))
        if not reader.fieldnames or "text" not in reader.fieldnames:
            raise Rejected("csv has no 'text' column")
        for rowno, row in enumerate(reader, 2):
            yield f"row {rowno}", _field(row, "id", "doc_id") or f"{stem}-{rowno}", row.get("date") or None, row.get("text")
    else:
        raise Rejected(f"unsupported file type .{fmt}; expected one of {', '.join(config.RAW_SUFFIXES)}")


def _field(record: dict, *names: str) -> str | None:
    for name in names:
        if record.get(name) not in (None, ""):
            return str(record[name])
    return None


def _decode(payload: bytes) -> str:
    if b"\x00" in payload[:1024] and not payload.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise Rejected("binary file (NUL bytes)")
    for encoding in config.TEXT_ENCODINGS:
        try:
            text = payload.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _CONTROL.search(text):
            raise Rejected(f"not text: control characters after decoding as {encoding}")
        return text
    raise Rejected("cannot decode as UTF-8, UTF-16 or Windows-1258")


def _document(source: str, fmt: str, doc_id, date, text) -> dict:
    if doc_id is None or not isinstance(text, str):
        raise Rejected("record is not an object with a 'text' string")
    body = unicodedata.normalize("NFC", text).strip()
    if not body:
        raise Rejected("empty text")
    if len(body) > config.MAX_DOC_CHARS:
        raise Rejected(f"text longer than {config.MAX_DOC_CHARS} characters")
    return {
        "doc_id": unicodedata.normalize("NFC", doc_id).strip(),
        "source": source,
        "format": fmt,
        "date": _parse_date(date),
        "text": body,
        "sha256": hashlib.sha256(body.encode("utf-8")).hexdigest(),
        "n_chars": len(body),
    }


def _parse_date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise Rejected(f"bad date {value!r}; expected YYYY-MM-DD") from None


def _rejection(source: str, record: str | None, reason: str, payload: bytes) -> dict:
    return {"source": source, "record": record, "reason": reason,
            "sha256": hashlib.sha256(payload).hexdigest() if payload else None}


def _documents_frame(rows: list[dict]) -> pd.DataFrame:
    columns = ["doc_id", "source", "format", "date", "text", "sha256", "n_chars"]
    return pd.DataFrame(rows, columns=columns)
