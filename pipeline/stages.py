"""The stage graph, declared once: each stage's function, the tables and columns it reads, the tables it writes.

The runner chains `STAGES` (`run_stages`), and `check_stages` verifies the graph once when the pipeline is
assembled: a stage that needs a table or a column no earlier stage provides fails at once, naming it
(as Stanza checks its processors), instead of deep inside a batch.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Stage:
    name: str
    function: str                                  # "module:function", imported when called (no model at import)
    requires: dict[str, tuple[str, ...]]           # table → the columns it reads; the function's parameters
    provides: tuple[str, ...]                      # tables it returns, in the order it returns them
    help: str

    def __call__(self, **tables: pd.DataFrame) -> dict[str, pd.DataFrame]:
        """Run the stage on its required tables; returns {table: frame} for every table it provides."""
        module, name = self.function.split(":")
        result = getattr(importlib.import_module(module), name)(**{t: tables[t] for t in self.requires})
        if isinstance(result, pd.DataFrame):
            result = (result,)
        if isinstance(result, tuple):
            result = dict(zip(self.provides, result))
        return result


RAW_COLUMNS = ("source", "format", "payload")
STAGES = (
    Stage("ingest", "pipeline.ingest:ingest", {"raw": RAW_COLUMNS}, ("documents", "rejected"),
          "stage 1: raw files → documents, rejected"),
    Stage("segment", "pipeline.segment:segment", {"documents": ("doc_id", "text")}, ("sentences", "tokens"),
          "stage 2: documents → sentences, tokens"),
    Stage("tag", "pipeline.tag:tag",
          {"documents": ("doc_id", "date"), "sentences": ("doc_id", "sent_id", "start", "text"),
           "tokens": ("doc_id", "sent_id", "start", "end", "pos")}, ("mentions",),
          "stage 3: sentences, tokens → mentions"),
    Stage("link", "pipeline.link:link",
          {"documents": ("doc_id", "text"), "sentences": ("doc_id", "sent_id", "text"),
           "mentions": ("mention_id", "doc_id", "sent_id", "start", "end", "text", "label", "attrs")},
          ("mentions", "entities", "entity_parts", "amounts", "times", "relations"),
          "stage 4: mentions → entities, amounts, times, relations (and counts)"),
)
BY_NAME = {stage.name: stage for stage in STAGES}


def provided_columns(table: str) -> tuple[str, ...]:
    """Columns a table has when a stage provides it: its Parquet schema, or the in-memory frames' own."""
    from .link import PART_COLUMNS
    from .schemas import TABLES

    if table in TABLES:
        return tuple(TABLES[table].names)
    return {"raw": RAW_COLUMNS, "entity_parts": tuple(PART_COLUMNS)}[table]


def check_stages(stages: tuple[Stage, ...] = STAGES, given: tuple[str, ...] = ("raw",)) -> None:
    """Fail fast when a stage reads a table or a column that neither `given` nor an earlier stage provides.

    >>> check_stages(STAGES[1:], given=("raw",))
    Traceback (most recent call last):
    ...
    ValueError: stage segment requires table documents, which no earlier stage provides (available: raw)
    """
    available = {table: set(provided_columns(table)) for table in given}
    for stage in stages:
        for table, columns in stage.requires.items():
            if table not in available:
                raise ValueError(f"stage {stage.name} requires table {table}, which no earlier stage provides "
                                 f"(available: {', '.join(available)})")
            missing = [c for c in columns if c not in available[table]]
            if missing:
                raise ValueError(f"stage {stage.name} requires columns {missing} of table {table}")
        for table in stage.provides:
            available[table] = set(provided_columns(table))


def require_columns(stage: str, **tables: pd.DataFrame) -> None:
    """Raise ValueError naming the first table that lacks a column the stage reads.

    >>> require_columns("segment", documents=pd.DataFrame({"doc_id": ["a"]}))
    Traceback (most recent call last):
    ...
    ValueError: segment requires documents columns ['text']
    """
    for table, frame in tables.items():
        missing = [c for c in BY_NAME[stage].requires[table] if c not in frame.columns]
        if missing:
            raise ValueError(f"{stage} requires {table} columns {missing}")


def run_stages(tables: dict[str, pd.DataFrame], stages: tuple[Stage, ...]) -> dict[str, pd.DataFrame]:
    """Run stages in order, each on the tables so far; later outputs replace earlier ones of the same name."""
    tables = dict(tables)
    for stage in stages:
        tables.update(stage(**tables))
    return tables
