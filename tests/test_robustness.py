"""One article written in several surface variants must give the same entities.

Variants: Unicode normalization form, old/new tone-mark placement, hyphen/en dash/em dash, spacing
around dashes, a photo caption line, an ALL-CAPS heading. Every variant is one document of a single
`run_documents` call; entities are compared as sets of (label, entity_id) and (label, canonical), and
every mention's offsets must round-trip into `documents.text`.
"""
from __future__ import annotations

import unicodedata

import pandas as pd
import pytest

from conftest import mentions_of, run_dated_texts

NAMED = ("LEADER", "PLACE", "ORG", "PROJECT")
HEADING = "HỢP TÁC VIỆT NAM – LÀO: PHÓ THỦ TƯỚNG TRẦN HỒNG HÀ LÀM VIỆC TẠI THỦ ĐÔ VIÊNG CHĂN"

ARTICLE = (
    "Sáng 12/3, tại thủ đô Viêng Chăn, Phó Thủ tướng Trần Hồng Hà hội kiến Thủ tướng Lào Sonexay Siphandone.\n"
    "Hai bên nhất trí đẩy nhanh Dự án xây dựng tuyến đường sắt Viêng Chăn – Vũng Áng và tuyến cao tốc "
    "Hà Nội – Viêng Chăn.\n"
    "Ảnh: TTXVN\n"
    "Bộ trưởng Bộ Xây dựng Trần Hồng Minh cho biết tổng vốn khoảng 5 tỷ USD. "
    "Quan hệ Việt Nam – Lào ngày càng gắn bó.\n"
    "Bà Nguyễn Thị Thủy, Giám đốc Sở Xây dựng, báo cáo tiến độ tại tỉnh Hòa Bình và tỉnh Khánh Hòa."
)

VARIANTS = {
    "clean": ARTICLE,
    "nfd": unicodedata.normalize("NFD", ARTICLE),
    "old_tones": ARTICLE.replace("Hòa", "Hoà").replace("Thủy", "Thuỷ"),
    "hyphen": ARTICLE.replace("–", "-"),
    "em_dash": ARTICLE.replace("–", "—"),
    "hyphen_unspaced": ARTICLE.replace(" – ", "-"),
    "en_dash_unspaced": ARTICLE.replace(" – ", "–"),
    "spaced_place": ARTICLE.replace("thủ đô Viêng Chăn", "thủ đô Viêng - chăn"),
    "spaced_everywhere": ARTICLE.replace("Viêng Chăn", "Viêng - chăn"),
    "heading": f"{HEADING}\n{ARTICLE}",
    "no_caption": ARTICLE.replace("Ảnh: TTXVN\n", ""),
    # both tone styles of one name in the same document
    "mixed_tones": ARTICLE + "\nBà Nguyễn Thị Thuỷ cũng làm việc với tỉnh Hoà Bình và tỉnh Khánh Hoà.",
}
SAME_AS_CLEAN = ["nfd", "old_tones", "hyphen", "em_dash", "hyphen_unspaced", "en_dash_unspaced", "spaced_place",
                 "spaced_everywhere"]
DASH_VARIANTS = ["clean", "hyphen", "em_dash", "hyphen_unspaced", "en_dash_unspaced"]


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return run_dated_texts(VARIANTS, "2026-03-12")


def _entities(tables, name: str, labels=NAMED) -> set[tuple[str, str]]:
    m = mentions_of(tables, name)
    return set(zip(m.label[m.label.isin(labels)], m.entity_id[m.label.isin(labels)]))


def _canonicals(tables, name: str, labels=NAMED) -> set[tuple[str, str]]:
    canonical = dict(zip(tables["entities"].entity_id, tables["entities"].canonical))
    return {(label, canonical[eid]) for label, eid in _entities(tables, name, labels)}


def _id_of(tables, name: str, label: str, surface: str) -> str:
    m = mentions_of(tables, name)
    ids = set(m.entity_id[(m.label == label) & (m.text == surface)])
    assert len(ids) == 1, (name, label, surface, m[["text", "label"]].values.tolist())
    return ids.pop()


@pytest.mark.parametrize("name", list(VARIANTS))
def test_offsets_round_trip(tables, name):
    text = dict(zip(tables["documents"].doc_id, tables["documents"].text))[name]
    m = mentions_of(tables, name)
    assert len(m)
    assert [text[s:e] for s, e in zip(m.start, m.end)] == m.text.tolist()
    assert unicodedata.is_normalized("NFC", text)


def test_clean_article_finds_the_expected_entities(tables):
    """The reference the variants are compared with is itself right."""
    found = _canonicals(tables, "clean")
    for expected in [("PLACE", "Viêng Chăn"), ("PLACE", "Lào"), ("PLACE", "Việt Nam"), ("PLACE", "Hòa Bình"),
                     ("PLACE", "Khánh Hòa"), ("LEADER", "Trần Hồng Hà"), ("LEADER", "Sonexay Siphandone"),
                     ("LEADER", "Trần Hồng Minh"), ("LEADER", "Nguyễn Thị Thủy"), ("ORG", "Bộ Xây dựng"),
                     ("PROJECT", "đường sắt Viêng Chăn – Vũng Áng"), ("PROJECT", "cao tốc Hà Nội – Viêng Chăn")]:
        assert expected in found, (expected, sorted(found))


@pytest.mark.parametrize("name", SAME_AS_CLEAN)
def test_variant_gives_the_same_entities(tables, name):
    assert _entities(tables, name) == _entities(tables, "clean")
    assert _canonicals(tables, name) == _canonicals(tables, "clean")


def test_nfd_input_gives_identical_mentions(tables):
    columns = ["start", "end", "text", "label", "entity_id"]
    clean = mentions_of(tables, "clean")[columns].reset_index(drop=True)
    nfd = mentions_of(tables, "nfd")[columns].reset_index(drop=True)
    pd.testing.assert_frame_equal(clean, nfd)


@pytest.mark.parametrize("label, new, old", [
    ("PLACE", "Hòa Bình", "Hoà Bình"),
    ("PLACE", "Khánh Hòa", "Khánh Hoà"),
    ("LEADER", "Nguyễn Thị Thủy", "Nguyễn Thị Thuỷ"),
])
def test_old_and_new_tone_marks_share_the_entity(tables, label, new, old):
    assert _id_of(tables, "old_tones", label, old) == _id_of(tables, "clean", label, new)
    mixed = mentions_of(tables, "mixed_tones")
    both = mixed[(mixed.label == label) & mixed.text.isin([new, old])]
    assert set(both.text) == {new, old} and both.entity_id.nunique() == 1


def test_dash_variants_give_one_project_entity(tables):
    railway, expressway = set(), set()
    for name in DASH_VARIANTS:
        projects = mentions_of(tables, name).query("label == 'PROJECT'")
        assert len(projects) == 2, (name, projects.text.tolist())
        railway |= set(projects.entity_id[projects.text.str.contains("đường sắt")])
        expressway |= set(projects.entity_id[projects.text.str.contains("cao tốc")])
        assert projects.text.str.startswith("tuyến ").all(), projects.text.tolist()
    assert len(railway) == 1 and len(expressway) == 1


@pytest.mark.parametrize("name", DASH_VARIANTS)
def test_country_pair_is_two_places_with_any_dash(tables, name):
    m = mentions_of(tables, name)
    sentence = m[m.text == "Việt Nam"].sent_id
    assert len(sentence) == 1
    pair = m[m.sent_id == sentence.iloc[0]]
    assert sorted(zip(pair.label, pair.text)) == [("PLACE", "Lào"), ("PLACE", "Việt Nam")]


def test_spaced_dash_spelling_is_the_same_place(tables):
    assert _id_of(tables, "spaced_place", "PLACE", "Viêng - chăn") == _id_of(tables, "clean", "PLACE", "Viêng Chăn")


def test_caption_line_is_its_own_sentence(tables):
    sentences = tables["sentences"].query("doc_id == 'clean'")
    caption = sentences[sentences.text == "Ảnh: TTXVN"]
    assert len(caption) == 1
    neighbours = sentences[sentences.sent_id.isin([caption.sent_id.iloc[0] - 1, caption.sent_id.iloc[0] + 1])]
    assert len(neighbours) == 2 and not neighbours.text.str.contains("Ảnh").any()
    assert caption.paragraph_id.iloc[0] not in set(neighbours.paragraph_id)
    agency = mentions_of(tables, "clean").query("text == 'TTXVN'")
    assert agency.label.tolist() == ["ORG"] and agency.sent_id.tolist() == caption.sent_id.tolist()


def test_caption_adds_only_its_agency(tables):
    assert _entities(tables, "clean") - _entities(tables, "no_caption") == {("ORG", _id_of(tables, "clean", "ORG", "TTXVN"))}
    assert _entities(tables, "no_caption") <= _entities(tables, "clean")


def test_all_caps_heading_adds_no_leader_org_or_project(tables):
    m = mentions_of(tables, "heading")
    in_heading = m[m.end <= len(HEADING)]
    assert set(in_heading.label) <= {"PLACE"}, in_heading[["text", "label"]].values.tolist()
    others = ("LEADER", "ORG", "PROJECT")
    assert _entities(tables, "heading", others) == _entities(tables, "clean", others)
    assert _entities(tables, "heading") == _entities(tables, "clean")
    body = m[m.start > len(HEADING)]
    assert len(body) == len(mentions_of(tables, "clean"))
