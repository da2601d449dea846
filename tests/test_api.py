"""`pipeline.load()`: every table with analysis dtypes, one table with columns and filter pushdown."""
import os
import subprocess
import sys

import pandas as pd
import pytest

from conftest import ROOT
from pipeline import io, load
from pipeline.schemas import LABELS, TABLES


def test_load_without_a_name_gives_every_table_by_key_and_attribute(small_run):
    tables = load(out_dir=small_run)
    assert set(tables) == set(TABLES)
    assert tables.mentions is tables["mentions"]
    assert len(tables.documents) == 3 and len(tables.rejected) == 1
    with pytest.raises(AttributeError):
        tables.nope


def test_loaded_dtypes_are_nullable_and_categorical(small_run):
    tables = load(out_dir=small_run)
    mentions, amounts, entities = tables.mentions, tables.amounts, tables.entities
    assert isinstance(mentions.label.dtype, pd.CategoricalDtype)
    assert list(mentions.label.cat.categories) == list(LABELS)
    assert isinstance(amounts.currency.dtype, pd.CategoricalDtype) and "USD" in amounts.currency.cat.categories
    assert str(mentions.sent_id.dtype) == "Int32" and str(amounts.value.dtype) == "Float64"
    assert str(mentions.title.dtype) == "string" and mentions.title.isna().any()
    assert str(tables.documents.date.dtype).startswith("datetime64")
    assert entities.country.isna().any() and entities.country.notna().any()


def test_columns_and_filters_are_pushed_down(small_run):
    leaders = load("mentions", small_run, columns=["text", "title", "label"], filters=[("label", "=", "LEADER")])
    assert list(leaders.columns) == ["text", "title", "label"]
    assert set(leaders.label) == {"LEADER"} and "Tô Lâm" in set(leaders.text)
    everything = load("mentions", small_run)
    assert len(leaders) == (everything.label == "LEADER").sum() < len(everything)
    late = load("times", small_run, filters=[("year_start", ">=", 2045)])
    assert set(late.year_start) == {2045, 2055}


def test_unknown_column_table_or_bad_filter_is_a_user_error(small_run):
    with pytest.raises(io.UserError, match="no column nope"):
        load("mentions", small_run, columns=["nope"])
    with pytest.raises(io.UserError, match="unknown table"):
        load("nope", small_run)
    with pytest.raises(io.UserError, match="bad filter"):
        load("mentions", small_run, filters=[("nope", "=", 1)])


def test_out_dir_comes_from_the_environment_or_an_absolute_default(small_run, tmp_path):
    code = "from pipeline import io, load; print(io.default_out_dir()); print(len(load('documents')))"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PIPELINE_OUT": str(small_run)}
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(small_run.resolve()), "3"]
    env.pop("PIPELINE_OUT")
    result = subprocess.run([sys.executable, "-c", "from pipeline import io; print(io.default_out_dir())"],
                            cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.stdout.strip() == str(ROOT / "data" / "processed")
