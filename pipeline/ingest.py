"""Stage 1 — ingest: raw files → `documents` (+ `rejected`).

Decodes bytes by evidence (`pipeline/decoding.py`), reduces HTML saved as `.txt` to its text, parses
`.txt` / `.jsonl` / `.csv`, reads the optional `date YYYY-MM-DD` marker, NFC-normalizes and strips the
body. Every offset in every later table indexes into `documents.text`.
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

from . import config, decoding

REJECTED_COLUMNS = ["source", "record", "reason", "reason_code", "sha256"]

# Lone surrogates come only from JSON escapes such as "\ud800"; they cannot be written as UTF-8.
_SURROGATE = re.compile("[\ud800-\udfff]")
# "date 2026-02-05" at the very start; the body may go on on the same line.
_DATE_MARKER = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})(?=\s|\Z)[ \t]*", re.IGNORECASE)


class Rejected(ValueError):
    """A record that cannot become a document: `code` is its `reason_code`, the message its `reason`."""

    def __init__(self, code: str, reason: str):
        super().__init__(reason)
        self.code = code


def ingest(raw: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Raw files → (documents, rejected).

    >>> raw = pd.DataFrame([{"source": "a.txt", "format": "txt", "payload": "date 2026-02-05 Sáng 5/2".encode()}])
    >>> documents, rejected = ingest(raw)
    >>> documents.loc[0, ["doc_id", "text"]].tolist(), str(documents.loc[0, "date"])
    (['a', 'Sáng 5/2'], '2026-02-05')
    """
    from .stages import require_columns

    require_columns("ingest", raw=raw)
    documents, rejected, seen = [], [], set()
    for source, fmt, payload in raw[["source", "format", "payload"]].itertuples(index=False):
        try:
            fmt, text, flags = _text_of(fmt, payload)
            records = list(_records(source, fmt, text))
        except Rejected as why:
            rejected.append(_rejection(source, None, why, payload))
            continue
        for record_ref, doc_id, date, text in records:
            try:
                if isinstance(text, Rejected):
                    raise text
                doc = _document(source, fmt, doc_id, date, text, flags)
                if doc["doc_id"] in seen:
                    raise Rejected("duplicate_id", f"duplicate doc_id {doc['doc_id']!r}")
            except Rejected as why:
                payload = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else b""
                rejected.append(_rejection(source, record_ref, why, payload))
                continue
            seen.add(doc["doc_id"])
            documents.append(doc)
    return _documents_frame(documents), pd.DataFrame(rejected, columns=REJECTED_COLUMNS)


def _text_of(fmt: str, payload: bytes | None) -> tuple[str, str, list[str]]:
    """A file's (format, text, flags): decoded by evidence; an HTML page saved as .txt becomes its text."""
    if payload is None:
        raise Rejected("unreadable", "the file could not be read")
    if f".{fmt}" not in config.RAW_SUFFIXES:
        raise Rejected("unknown_type", f"unsupported file type .{fmt}; expected one of {', '.join(config.RAW_SUFFIXES)}")
    try:
        decoded = decoding.decode(payload)
    except decoding.Undecodable as why:
        raise Rejected("undecodable", str(why)) from None
    if fmt == "txt" and decoding.looks_like_html(decoded.text):
        return "html", decoding.strip_html(decoded.text), [*decoded.flags, "html_stripped"]
    return fmt, decoded.text, list(decoded.flags)


def _records(source: str, fmt: str, text: str):
    """Yield (record_ref, doc_id, date, text) for each document in one file."""
    stem = Path(source).stem
    if fmt in ("txt", "html"):
        match = _DATE_MARKER.match(text)
        yield None, stem, match.group(1) if match else None, text[match.end():] if match else text
    elif fmt == "jsonl":
        for lineno, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as err:
                yield f"line {lineno}", None, None, Rejected("bad_record", f"invalid JSON: {err.msg}")
                continue
            except RecursionError:
                yield f"line {lineno}", None, None, Rejected("bad_record", "invalid JSON: nested too deeply")
                continue
            if not isinstance(obj, dict):
                yield f"line {lineno}", None, None, Rejected("bad_record", "JSON line is not an object")
                continue
            yield f"line {lineno}", _field(obj, "id", "doc_id") or f"{stem}-{lineno}", obj.get("date"), obj.get("text")
    elif fmt == "csv":
        reader = csv.DictReader(_io.StringIO(text))
        try:
            if not reader.fieldnames or "text" not in reader.fieldnames:
                raise Rejected("bad_record", "csv has no 'text' column")
            rows = list(enumerate(reader, 2))
        except csv.Error as err:
            raise Rejected("bad_record", f"invalid CSV: {err}") from None
        for rowno, row in rows:
            yield f"row {rowno}", _field(row, "id", "doc_id") or f"{stem}-{rowno}", row.get("date") or None, row.get("text")


def _field(record: dict, *names: str) -> str | None:
    for name in names:
        if record.get(name) not in (None, ""):
            return str(record[name])
    return None


def _document(source: str, fmt: str, doc_id, date, text, flags: list[str]) -> dict:
    if doc_id is None or not isinstance(text, str):
        raise Rejected("bad_record", "record is not an object with a 'text' string")
    doc_id = unicodedata.normalize("NFC", doc_id).strip()
    if not doc_id:
        raise Rejected("bad_record", "empty id")
    if _SURROGATE.search(text) or _SURROGATE.search(doc_id):
        raise Rejected("undecodable", "lone surrogate code points (not valid Unicode)")
    body = unicodedata.normalize("NFC", text).strip()
    if not body:
        raise Rejected("empty", "empty text")
    if len(body) > config.MAX_DOC_CHARS:
        raise Rejected("too_long", f"text longer than {config.MAX_DOC_CHARS} characters")
    return {
        "doc_id": doc_id,
        "source": source,
        "format": fmt,
        "flags": flags + (["not_vietnamese"] if decoding.not_vietnamese(body) else []),
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
        raise Rejected("bad_record", f"bad date {value!r}; expected YYYY-MM-DD") from None


def _rejection(source: str, record: str | None, why: Rejected, payload: bytes) -> dict:
    return {"source": source, "record": record, "reason": str(why), "reason_code": why.code,
            "sha256": hashlib.sha256(payload).hexdigest() if payload else None}


def _documents_frame(rows: list[dict]) -> pd.DataFrame:
    columns = ["doc_id", "source", "format", "flags", "date", "text", "sha256", "n_chars"]
    return pd.DataFrame(rows, columns=columns)
