"""The static report: every page, link and anchor resolves offline; article text is escaped; pages are split."""
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import ROOT
from pipeline import load, report

LINK = re.compile(r'(?:href|src)="([^"]*)"')
IDS = re.compile(r'\bid="([^"]+)"')


@pytest.fixture(scope="module")
def site(small_site) -> Path:
    return small_site


def _pages(site: Path) -> dict[Path, str]:
    return {path: path.read_text(encoding="utf-8") for path in site.rglob("*.html")}


def test_the_report_has_an_overview_entities_articles_and_rejections(site):
    assert (site / "index.html").exists() and (site / "rejected.html").exists()
    assert {p.name for p in (site / "charts").iterdir()} >= {"labels.svg", "cooccurrence.svg", "timeline.svg"}
    overview = (site / "index.html").read_text(encoding="utf-8")
    for heading in ("Mentions per label", "Top entities", "Leaders and places named together", "Timeline", "US dollars"):
        assert heading in overview
    assert "<table" in overview and 'src="charts/top_entities.svg"' in overview
    rejected = (site / "rejected.html").read_text(encoding="utf-8")
    assert "empty.txt" in rejected and "Rejected inputs (1)" in rejected
    assert len(list((site / "articles").glob("*.html"))) == 3 + 1
    umask = os.umask(0)
    os.umask(umask)
    assert site.stat().st_mode & 0o777 == 0o777 & ~umask, "the report folder follows the umask, not mkdtemp's 0700"


def test_every_local_link_and_anchor_resolves_and_nothing_is_fetched_from_the_network(site):
    pages = _pages(site)
    checked = 0
    for path, text in pages.items():
        for link in LINK.findall(text):
            assert not re.match(r"^(https?:)?//", link), (path, link)
            if link.startswith(("data:", "#")):
                continue
            target, _, anchor = link.partition("#")
            resolved = (path.parent / target).resolve()
            assert resolved.exists(), (path, link)
            if anchor:
                assert anchor in IDS.findall(pages[resolved]), (path, link)
            checked += 1
    assert checked > 100


def test_entity_pages_show_facts_and_every_mention_in_context_linking_to_the_article(site, small_run):
    entities = load("entities", small_run)
    to_lam = entities[entities.canonical == "Tô Lâm"].iloc[0]
    text = (site / "entities" / f"{to_lam.entity_id}.html").read_text(encoding="utf-8")
    assert "Tổng Bí thư" in text and f"Mentions in context ({to_lam.n_mentions})" in text
    links = re.findall(r'class="mention-link" href="([^"]+)"', text)
    assert len(links) == to_lam.n_mentions
    article, anchor = links[0].split("#")
    page = (site / "entities" / article).resolve().read_text(encoding="utf-8")
    mark = re.search(rf'<mark class="entity" id="{anchor}" data-label="LEADER".*?</mark>', page, re.S).group(0)
    assert "Tô Lâm" in mark and f"{to_lam.entity_id}.html" in mark
    listing = (site / "entities" / "index.html").read_text(encoding="utf-8")
    assert 'class="filterable"' in listing and "Viêng - chăn" in listing  # aliases are listed


def test_article_text_is_escaped_everywhere(site):
    hostile = (site / "articles" / "hostile.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in hostile
    assert "&lt;img src=x onerror=alert(1)&gt;" in hostile
    for path, text in _pages(site).items():
        assert "<script>alert" not in text and "<img src=x" not in text, path
        assert re.findall(r"<script\b[^>]*>", text) == ['<script src="' + ("../" if path.parent != site else "")
                                                        + 'assets/report.js" defer>'], path


def _synthetic_tables(n_docs: int) -> dict[str, pd.DataFrame]:
    """`n_docs` copies of one short article naming Tô Lâm and Lào: every list and entity grows with n_docs."""
    text = "Tổng Bí thư Tô Lâm thăm Lào."
    tables = report._example_tables()
    ids = [f"d{i:05d}" for i in range(n_docs)]
    tables["documents"] = pd.DataFrame({"doc_id": ids, "source": [f"{i}.txt" for i in ids],
                                        "date": pd.Timestamp("2026-02-05"), "text": text, "n_mentions": 2})
    tables["sentences"] = pd.DataFrame({"doc_id": ids, "sent_id": 0, "start": 0, "text": text})
    tables["mentions"] = pd.DataFrame({
        "mention_id": [f"{i}:{s}" for i in ids for s in (12, 24)], "doc_id": [i for i in ids for _ in (1, 2)],
        "sent_id": 0, "start": [12, 24] * n_docs, "end": [18, 27] * n_docs, "text": ["Tô Lâm", "Lào"] * n_docs,
        "label": ["LEADER", "PLACE"] * n_docs, "entity_id": ["lea_1", "pla_1"] * n_docs})
    tables["entities"] = tables["entities"].assign(n_mentions=n_docs, n_docs=n_docs)
    return tables


def test_pages_are_split_so_no_file_grows_with_the_corpus(monkeypatch):
    monkeypatch.setattr(report, "ROWS_PER_PAGE", 10)
    monkeypatch.setattr(report, "MENTIONS_PER_PAGE", 10)
    monkeypatch.setattr(report, "_svg", lambda figure: b"<svg/>")  # charts are bounded already (top N)

    def build(n_docs):
        files = dict(report.build_report(_synthetic_tables(n_docs)))
        return files, max(len(c if isinstance(c, bytes) else c.encode("utf-8")) for c in files.values())

    _, biggest = build(150)
    files, biggest_of_twice_as_many = build(300)
    assert biggest_of_twice_as_many <= biggest * 1.02, "the biggest page grew with the corpus (beyond a digit or two)"
    assert len([p for p in files if p.startswith("entities/lea_1")]) == 300 // 10
    assert len([p for p in files if p.startswith("articles/index")]) == 30
    assert files["articles/index-30.html"].count('class="article-link"') == 10
    assert 'href="index-30.html"' in files["articles/index.html"] and "index-29.html" not in files["articles/index.html"]


def test_make_help_lists_the_analysis_targets():
    result = subprocess.run(["make", "help"], cwd=ROOT, capture_output=True, text=True)
    for target in ("sql", "show", "report", "report-screenshot"):
        assert re.search(rf"make {target}\s", result.stdout), target
