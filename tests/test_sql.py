"""`python -m pipeline sql`, `pipeline.sql()` and the README's example queries, on a small real run."""
import json
import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT
from pipeline import io, sql
from pipeline.schemas import TABLES


def _cli(*args, cwd=ROOT):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # this checkout's package, whatever the working directory
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=cwd, env=env, capture_output=True, text=True)


def _readme_queries() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Using the tables"):]
    section = section[:section.index("\n## ", 3)]
    return re.findall(r"```sql\n(.*?)```", section, flags=re.S)


def test_every_table_is_a_view(small_run):
    for name in TABLES:
        count = sql(f"SELECT count(*) AS n FROM {name}", small_run).n.item()
        assert count == len(io.read_table(name, small_run)), name


def test_the_readme_has_example_queries_and_each_answers(small_run):
    queries = _readme_queries()
    assert len(queries) >= 4
    results = [sql(query, small_run) for query in queries]
    assert all(len(result) for result in results), [len(r) for r in results]
    leaders, pairs, figures, projects, years = results
    assert leaders.canonical.iloc[0] == "Tô Lâm"
    assert (pairs.leader.iloc[0], pairs.place.iloc[0]) == ("Tô Lâm", "Lào")
    assert set(figures.figure_of) == {"trade", "investment"}
    assert "railway" in set(projects.kind) and set(years.year_start) >= {2045, 2055}


def test_cli_prints_a_table_from_any_directory(small_run, tmp_path):
    query = "SELECT canonical, n_mentions FROM entities WHERE label = 'LEADER' ORDER BY n_mentions DESC LIMIT 2"
    result = _cli("sql", "--out", str(small_run), query, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["canonical", "n_mentions"]
    assert lines[1].split() == ["Tô", "Lâm", "16"]


def test_cli_writes_csv_and_json(small_run, tmp_path):
    query = "SELECT label, count(*) AS n FROM mentions GROUP BY label ORDER BY label"
    result = _cli("sql", "--out", str(small_run), query, "--csv", str(tmp_path / "r.csv"), "--json")
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert {"label": "LEADER", "n": sql("SELECT count(*) AS n FROM mentions WHERE label='LEADER'", small_run).n.item()} in records
    csv = (tmp_path / "r.csv").read_text(encoding="utf-8").splitlines()
    assert csv[0] == "label,n" and len(csv) == len(records) + 1


def test_a_bad_query_or_a_missing_folder_is_one_line_and_exit_2(small_run, tmp_path):
    result = _cli("sql", "--out", str(small_run), "SELEC 1")
    assert result.returncode == 2 and result.stderr.startswith("error: SQL:") and len(result.stderr.splitlines()) == 1
    result = _cli("sql", "--out", str(tmp_path), "SELECT 1")
    assert result.returncode == 2 and "no tables" in result.stderr
    with pytest.raises(io.UserError, match="does not exist"):
        sql("SELECT * FROM nope", small_run)


def test_make_sql_runs_the_query_and_needs_one(small_run):
    make = ["make", "--no-print-directory", "-o", ".venv/.installed", f"PY={sys.executable}", f"OUT={small_run}"]
    result = subprocess.run([*make, "sql", "Q=SELECT count(*) AS n_articles FROM documents"], cwd=ROOT,
                            capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    assert [line.split() for line in result.stdout.splitlines()[-2:]] == [["n_articles"], ["3"]]
    result = subprocess.run([*make, "sql"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode != 0 and "usage: make sql Q=" in result.stdout
