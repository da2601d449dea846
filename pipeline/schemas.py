"""One pyarrow schema per output table. The writer casts to these and refuses missing or extra columns."""
from __future__ import annotations

import pyarrow as pa

_i32, _i64, _str, _f64 = pa.int32(), pa.int64(), pa.string(), pa.float64()


def _schema(*fields: tuple[str, pa.DataType, bool]) -> pa.Schema:
    return pa.schema([pa.field(name, dtype, nullable=nullable) for name, dtype, nullable in fields])


DOCUMENTS = _schema(
    ("doc_id", _str, False),
    ("source", _str, False),
    ("format", _str, False),
    ("flags", pa.list_(_str), False),
    ("date", pa.date32(), True),
    ("text", _str, False),
    ("sha256", _str, False),
    ("n_chars", _i32, False),
    ("n_paragraphs", _i32, False),
    ("n_sentences", _i32, False),
    ("n_tokens", _i32, False),
    ("n_mentions", _i32, False),
)
REJECTED = _schema(
    ("source", _str, False),
    ("record", _str, True),
    ("reason", _str, False),
    ("reason_code", _str, False),
    ("sha256", _str, True),
)
SENTENCES = _schema(
    ("doc_id", _str, False),
    ("sent_id", _i32, False),
    ("paragraph_id", _i32, False),
    ("start", _i32, False),
    ("end", _i32, False),
    ("text", _str, False),
)
TOKENS = _schema(
    ("doc_id", _str, False),
    ("sent_id", _i32, False),
    ("token_id", _i32, False),
    ("start", _i32, False),
    ("end", _i32, False),
    ("text", _str, False),
    ("pos", _str, False),
)
MENTIONS = _schema(
    ("mention_id", _str, False),
    ("doc_id", _str, False),
    ("sent_id", _i32, False),
    ("start", _i32, False),
    ("end", _i32, False),
    ("text", _str, False),
    ("label", _str, False),
    ("entity_id", _str, True),
    ("title", _str, True),
    ("source", _str, False),
    ("attrs", _str, False),
)
ENTITIES = _schema(
    ("entity_id", _str, False),
    ("label", _str, False),
    ("canonical", _str, False),
    ("aliases", pa.list_(_str), False),
    ("n_mentions", _i32, False),
    ("n_docs", _i32, False),
    ("titles", pa.list_(_str), False),
    ("country", _str, True),
    ("kind", _str, True),
)
AMOUNTS = _schema(
    ("mention_id", _str, False),
    ("doc_id", _str, False),
    ("value", _f64, True),
    ("value_max", _f64, True),
    ("currency", _str, True),
    ("qualifier", _str, True),
)
TIMES = _schema(
    ("mention_id", _str, False),
    ("doc_id", _str, False),
    ("label", _str, False),
    ("year_start", _i32, True),
    ("year_end", _i32, True),
    ("date", _str, True),
    ("granularity", _str, True),
)
RELATIONS = _schema(
    ("doc_id", _str, False),
    ("sent_id", _i32, False),
    ("subject_id", _str, False),
    ("relation", _str, False),
    ("object_id", _str, True),
    ("object_text", _str, False),
)

TABLES: dict[str, pa.Schema] = {
    "documents": DOCUMENTS,
    "rejected": REJECTED,
    "sentences": SENTENCES,
    "tokens": TOKENS,
    "mentions": MENTIONS,
    "entities": ENTITIES,
    "amounts": AMOUNTS,
    "times": TIMES,
    "relations": RELATIONS,
}

# The seven mention labels, in the order tables, charts and legends show them.
LABELS = ("LEADER", "PLACE", "ORG", "PROJECT", "AMOUNT", "YEAR", "DATE")
# Columns with few distinct values become pandas categoricals in `load()`: smaller and faster to group by.
# A fixed category list keeps the same order (and colours) in every run; None means the values found.
CATEGORICALS: dict[str, tuple[str, ...] | None] = {
    "label": LABELS, "currency": None, "relation": None, "granularity": ("day", "month", "year"),
}


def to_analysis_types(name: str, table: pa.Table):
    """A table as pandas with nullable dtypes (`string`, `Int32`, `Float64`, `datetime64` for dates) and
    categoricals for `CATEGORICALS`, as `pipeline.load()` returns it.

    >>> frame = to_analysis_types("times", pa.table({"label": ["YEAR"], "year_start": [2030]}, schema=pa.schema(
    ...     [("label", pa.string()), ("year_start", pa.int32())])))
    >>> frame.dtypes.astype(str).to_dict()
    {'label': 'category', 'year_start': 'Int32'}
    """
    import pandas as pd

    nullable = {pa.string(): pd.StringDtype(), pa.int32(): pd.Int32Dtype(), pa.int64(): pd.Int64Dtype(),
                pa.float64(): pd.Float64Dtype()}
    frame = table.to_pandas(types_mapper=nullable.get, date_as_object=False)
    for column, categories in CATEGORICALS.items():
        if column in frame.columns:
            found = sorted(frame[column].dropna().unique())
            frame[column] = pd.Categorical(frame[column], categories=list(categories or found))
    return frame
