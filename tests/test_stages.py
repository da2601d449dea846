"""The stage graph: declared once, checked once, read by the runner and the CLI."""
import subprocess
import sys
from dataclasses import replace

import pandas as pd
import pytest

from conftest import ROOT
from pipeline.stages import STAGES, check_stages, require_columns


def test_the_declared_graph_is_complete():
    check_stages()  # raises if any stage reads what no earlier stage provides
    assert [s.name for s in STAGES] == ["ingest", "segment", "tag", "link"]
    writers = [t for s in STAGES for t in s.provides if t == "documents"]
    assert writers == ["documents"]  # one stage writes documents


def test_a_stage_out_of_order_fails_naming_the_table():
    with pytest.raises(ValueError, match="stage tag requires table mentions|stage link requires table mentions"):
        check_stages((STAGES[0], STAGES[1], STAGES[3]))


def test_a_missing_column_fails_naming_it():
    broken = replace(STAGES[2], requires={**STAGES[2].requires, "tokens": ("doc_id", "lemma")})
    with pytest.raises(ValueError, match=r"stage tag requires columns \['lemma'\] of table tokens"):
        check_stages((*STAGES[:2], broken, STAGES[3]))


def test_require_columns_names_the_stage_table_and_columns():
    with pytest.raises(ValueError, match=r"tag requires tokens columns \['pos'\]"):
        require_columns("tag", documents=pd.DataFrame(columns=["doc_id", "date"]),
                        sentences=pd.DataFrame(columns=["doc_id", "sent_id", "start", "text"]),
                        tokens=pd.DataFrame(columns=["doc_id", "sent_id", "start", "end"]))


def test_cli_and_make_help_list_the_declared_stages():
    cli = subprocess.run([sys.executable, "-m", "pipeline", "--help"], cwd=ROOT, capture_output=True, text=True).stdout
    make = subprocess.run(["make", "help", f"PY={sys.executable}"], cwd=ROOT, capture_output=True, text=True).stdout
    for stage in STAGES:
        assert stage.name in cli
        assert f"make {stage.name:<18} {stage.help}" in make
