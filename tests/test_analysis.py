"""pipeline.analysis on a small real run (the two data/raw articles, a hostile one, an empty file)."""
from importlib import resources

import pandas as pd
import pytest

from pipeline import analysis, load


@pytest.fixture(scope="module")
def tables(small_run):
    return load(out_dir=small_run)


def test_label_counts_cover_every_label_and_sum_to_the_mentions(tables):
    counts = analysis.label_counts(tables.mentions)
    assert list(counts.index) == ["LEADER", "PLACE", "ORG", "PROJECT", "AMOUNT", "YEAR", "DATE"]
    assert counts.n_mentions.sum() == len(tables.mentions)
    assert counts.loc["LEADER", "n_docs"] == 3


def test_top_entities_rank_per_label(tables):
    top = analysis.top_entities(tables.entities, n=2)
    leaders = top[top.label == "LEADER"]
    assert leaders.canonical.tolist() == ["Tô Lâm", "Thongloun Sisoulith"]
    assert top[top.label == "PLACE"].canonical.iloc[0] == "Lào"
    assert top.groupby("label").size().max() == 2
    assert analysis.top_entities(tables.entities, "ORG", n=1).canonical.tolist() == ["Đảng Cộng sản Việt Nam"]


def test_leaders_have_titles_and_countries(tables):
    leaders = analysis.leaders(tables.entities).set_index("leader")
    assert leaders.loc["Thongloun Sisoulith", "country"] == "Lào"
    assert "Tổng Bí thư" in leaders.loc["Thongloun Sisoulith", "titles"].split("; ")
    assert leaders.loc["Phạm Minh Chính", "n_docs"] == 2  # data/raw and the hostile article


def test_cooccurrence_counts_sentences_or_documents(tables):
    by_sentence = analysis.cooccurrence(tables.mentions, tables.entities, "LEADER", "PLACE")
    first = by_sentence.iloc[0]
    assert (first.left, first.right) == ("Tô Lâm", "Lào") and first.n == 12
    by_document = analysis.cooccurrence(tables.mentions, tables.entities, "LEADER", "PLACE", within="document")
    pair = by_document[(by_document.left == "Tô Lâm") & (by_document.right == "Lào")]
    assert pair.n.item() == 2
    places = analysis.cooccurrence(tables.mentions, tables.entities, "PLACE", "PLACE", within="document")
    assert (places.entity_id_left < places.entity_id_right).all()
    with pytest.raises(ValueError):
        analysis.cooccurrence(tables.mentions, tables.entities, within="paragraph")


def test_money_is_converted_to_usd_with_the_article_year(tables):
    money = analysis.money_in_usd(tables.amounts, tables.mentions, tables.documents, tables.relations)
    assert set(money.text) >= {"5 tỷ USD", "10 tỷ USD", "8 tỷ USD"}
    five = money[money.text == "5 tỷ USD"].iloc[0]
    assert (five.year, five.value_usd, five.target_of) == (2025, 5e9, "trade")
    by_year = analysis.money_by_year(money).set_index("year")
    assert by_year.loc[2026, "n_amounts"] == 3 and by_year.loc[2026, "total_usd"] == 28e9


def test_money_in_another_currency_uses_the_nearest_years_rate():
    amounts = pd.DataFrame({"mention_id": ["d:0-9", "e:0-9"], "doc_id": ["d", "e"], "value": [2.49e13, 1e6],
                            "value_max": [None, None], "currency": ["VND", "XXX"]})
    mentions = pd.DataFrame({"mention_id": ["d:0-9", "e:0-9"], "text": ["24.900 tỷ đồng", "1 triệu XXX"]})
    documents = pd.DataFrame({"doc_id": ["d", "e"], "date": pd.to_datetime(["2031-01-01", "2024-01-01"])})
    money = analysis.money_in_usd(amounts, mentions, documents)
    assert money.rate_year.tolist()[0] == analysis.usd_rates().year.max()
    assert money.value_usd.iloc[0] == pytest.approx(2.49e13 / money.per_usd.iloc[0])
    assert pd.isna(money.value_usd.iloc[1]), "an unknown currency is not converted"


def test_rates_file_states_its_source_and_is_complete():
    text = resources.files("pipeline.resources").joinpath("usd_rates.tsv").read_text(encoding="utf-8")
    assert text.startswith("# source:") and "approximate" in text.lower()
    rates = analysis.usd_rates()
    assert (rates.per_usd > 0).all() and not rates.duplicated(["currency", "year"]).any()
    assert rates.groupby("currency").year.nunique().min() == rates.year.nunique()


def test_goals_name_what_they_are_goals_for(tables):
    goals = analysis.goals(tables.mentions, tables.times, tables.sentences)
    by_year = dict(zip(goals.year_start, goals.goal))
    assert by_year[2045] == "Việt Nam trở thành nước phát triển"
    assert "Lào trở thành nước có thu nhập trung bình cao" in set(goals.goal)
    period = goals[goals.year_end == 2030].iloc[0]
    assert period.year_start == 2026 and period.goal.startswith("kế hoạch phát triển")
    assert 2026 not in set(goals[goals.year_end == 2026].year_start), "a start date ('từ đầu năm 2026') is no goal"


def test_projects_have_kind_places_and_amounts(tables):
    projects = analysis.projects(tables.entities, tables.mentions, tables.relations, tables.amounts).set_index("project")
    railway = projects.loc["đường sắt Viêng Chăn – Vũng Áng"]
    assert railway.kind == "railway" and railway.places == "Viêng Chăn; Vũng Áng"
    assert projects.loc["Khu công nghiệp Việt Nam – Lào", "amounts"] == "5 tỷ USD"
    assert (projects.kind.notna()).all()


def test_timeline_counts_years_and_dates(tables):
    timeline = analysis.timeline(tables.times).set_index("year")
    assert timeline.loc[2055, "YEAR"] == 2 and timeline.loc[2025, "DATE"] == 1
