"""The promises between the tables of one run, checked before a snapshot is published.

Pure: tables in, the first broken promise out (naming its first offending rows), or None.
"""
from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

# The columns that identify one row of each table.
PRIMARY_KEYS = {
    "documents": ["doc_id"],
    "sentences": ["doc_id", "sent_id"],
    "tokens": ["doc_id", "token_id"],
    "mentions": ["mention_id"],
    "entities": ["entity_id"],
    "amounts": ["mention_id"],
    "times": ["mention_id"],
}
# documents column → (table it counts, how)
COUNTS = {
    "n_paragraphs": ("sentences", lambda t: t.groupby("doc_id").paragraph_id.nunique()),
    "n_sentences": ("sentences", lambda t: t.groupby("doc_id").size()),
    "n_tokens": ("tokens", lambda t: t.groupby("doc_id").size()),
    "n_mentions": ("mentions", lambda t: t.groupby("doc_id").size()),
}
SHOWN = 3  # offending rows named in a message


def first_violation(tables: dict[str, pd.DataFrame]) -> str | None:
    """The first inconsistency among `tables` (any subset of the run's tables), or None.

    >>> documents = pd.DataFrame({"doc_id": ["a"], "text": ["Hà Nội"], "n_chars": [6]})
    >>> mentions = pd.DataFrame({"mention_id": ["b:0-6"], "doc_id": ["b"], "start": [0], "end": [6],
    ...                          "text": ["Hà Nội"], "entity_id": [None]})
    >>> first_violation({"documents": documents, "mentions": mentions})
    "mentions: 1 rows whose doc_id is not in documents, first rows: 0 (doc_id 'b', mention_id 'b:0-6')"
    """
    for check in (_unique_keys, _known_references, _derived_ids, _offsets, _counts):
        problem = check(tables)
        if problem:
            return problem
    return None


def _unique_keys(tables) -> str | None:
    for name, key in PRIMARY_KEYS.items():
        if name in tables:
            frame = tables[name]
            repeated = frame[frame.duplicated(key, keep=False)]
            if len(repeated):
                return _rows(name, repeated, f"repeat the key ({', '.join(key)})", key)
    return None


def _derived_ids(tables) -> str | None:
    """Each mention_id is its doc_id and span, so mention_ids stay unique wherever doc_ids are."""
    if "mentions" not in tables:
        return None
    mentions = tables["mentions"]
    spans = zip(mentions.mention_id.tolist(), mentions.doc_id.tolist(), mentions.start.tolist(), mentions.end.tolist())
    bad = [i for i, (mention_id, doc_id, start, end) in enumerate(spans) if mention_id != f"{doc_id}:{start}-{end}"]
    if bad:
        return _rows("mentions", mentions.iloc[bad], "whose mention_id is not doc_id:start-end",
                     ["mention_id", "doc_id", "start", "end"])
    return None


def _known_references(tables) -> str | None:
    documents = tables.get("documents")
    for name, frame in tables.items():
        if name not in ("documents", "rejected", "entities") and documents is not None and "doc_id" in frame:
            unknown = _outside(frame.doc_id, documents.doc_id)
            if unknown:
                row_key = PRIMARY_KEYS.get(name, [])[-1:]
                return _rows(name, frame.iloc[unknown], "whose doc_id is not in documents", ["doc_id", *row_key])
    for entities in ("entities", "entity_parts"):  # a part's links are among its own entity parts
        if "mentions" in tables and entities in tables:
            mentions = tables["mentions"]
            unknown = _outside(mentions.entity_id, tables[entities].entity_id)
            if unknown:
                return _rows("mentions", mentions.iloc[unknown], f"whose entity_id is not in {entities}",
                             ["mention_id", "entity_id"])
    for name in ("amounts", "times"):
        if name in tables and "mentions" in tables:
            unknown = _outside(tables[name].mention_id, tables["mentions"].mention_id)
            if unknown:
                return _rows(name, tables[name].iloc[unknown], "whose mention_id is not in mentions", ["mention_id"])
    return None


def _outside(values: pd.Series, allowed: pd.Series) -> list[int]:
    """Positions of the non-null values that are not among `allowed`: a set of plain strings, since `isin` on
    Arrow-backed strings converts them one by one.

    >>> _outside(pd.Series(["a", "b", None, "a", "c"]), pd.Series(["a"]))
    [1, 4]
    """
    known = set(allowed.tolist())
    return [i for i, (value, present) in enumerate(zip(values.tolist(), values.notna().tolist()))
            if present and value not in known]


def _offsets(tables) -> str | None:
    if "documents" not in tables:
        return None
    texts = dict(zip(tables["documents"].doc_id, tables["documents"].text))
    for name in ("sentences", "tokens", "mentions"):
        if name in tables:
            frame = tables[name]
            # plain lists: iterating Arrow-backed columns row by row costs more than the check itself
            docs = [texts.get(d, "") for d in frame.doc_id.tolist()]
            rows = zip(docs, frame.start.tolist(), frame.end.tolist(), frame.text.tolist())
            bad = [i for i, (doc, start, end, text) in enumerate(rows)
                   if doc[start:end] != text or not 0 <= start <= end <= len(doc)]
            if bad:
                return _rows(name, frame.iloc[bad], "whose text is not documents.text[start:end]",
                             ["doc_id", "start", "end"])
    return None


def _counts(tables) -> str | None:
    if "documents" not in tables:
        return None
    documents = tables["documents"].set_index("doc_id")
    bad = documents[documents.n_chars != documents.text.str.len()]
    if len(bad):
        return _rows("documents", bad.reset_index(), "whose n_chars is not the length of text",
                     ["doc_id", "n_chars"])
    for column, (name, count) in COUNTS.items():
        if name in tables:
            expected = count(tables[name]).reindex(documents.index, fill_value=0)
            bad = documents[documents[column] != expected]
            if len(bad):
                return _rows("documents", bad.reset_index(), f"whose {column} does not match {name}",
                             ["doc_id", column])
    return None


def _rows(name: str, rows: pd.DataFrame, what: str, columns: list[str]) -> str:
    shown = "; ".join(f"{i} ({', '.join(f'{c} {row[c]!r}' for c in columns)})"
                      for i, row in zip(rows.index[:SHOWN], rows[columns].head(SHOWN).to_dict("records")))
    return f"{name}: {len(rows)} rows {what}, first rows: {shown}"


def global_violation(doc_ids: Iterable[list[str]], entity_ids: list[str], part_entity_ids: Iterable[list[str]],
                     parts_without_entity_parts: Iterable[str] = ()) -> str | None:
    """The promises that span part files, from key columns read a part at a time: each doc_id once over all
    parts of `documents`, each entity_id once in `entities`, and every entity_id of every part's entity parts in
    `entities`.

    The rest follows from what each part was checked for when it was written (a document's rows all live in its
    part): a mention_id is its doc_id and span, so unique doc_ids give unique mention_ids; a part's linked
    entity_ids are among its entity parts, so they are all in `entities` when every part with mentions has its
    entity parts (`parts_without_entity_parts` names those that do not).

    >>> global_violation([["a", "b"], ["a"]], [], [])
    "documents: 1 doc_ids in more than one row, first: 'a'"
    >>> global_violation([["a"]], ["pla_1"], [["pla_1", "org_2"]])
    "entity parts: 1 entity_ids not in entities, first: 'org_2'"
    """
    for table, column, values in (("documents", "doc_id", (v for chunk in doc_ids for v in chunk)),
                                  ("entities", "entity_id", entity_ids)):
        repeated = _repeated(values)
        if repeated:
            return f"{table}: {len(repeated)} {column}s in more than one row, first: {_first(repeated)}"
    missing = sorted(parts_without_entity_parts)
    if missing:
        return f"mentions: {len(missing)} parts without their entity parts, first: {', '.join(missing[:SHOWN])}"
    known = set(entity_ids)
    unknown = {e for ids in part_entity_ids for e in ids if e not in known}
    if unknown:
        return f"entity parts: {len(unknown)} entity_ids not in entities, first: {_first(unknown)}"
    return None


def _repeated(values: Iterable[str]) -> set[str]:
    seen, repeated = set(), set()
    for value in values:
        if value in seen:
            repeated.add(value)
        seen.add(value)
    return repeated


def _first(values: set[str]) -> str:
    return ", ".join(repr(v) for v in sorted(values)[:SHOWN])
