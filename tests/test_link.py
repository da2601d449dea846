"""Linking rules: canonical forms, entity ids, value tables, batch merging and relations.

Two kinds of tests: `link()` on small hand-made mention frames (no models), and end-to-end mini
documents, all run in one `run_documents` call.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pandas as pd
import pytest

from conftest import mentions_of, run_dated_texts
from pipeline.text import DASHES
from pipeline.link import ENTITY_COLUMNS, compact_parts, entity_id, link, project_canonical, reduce_entities

# ---------------------------------------------------------------- hand-made frames


def linked(docs: dict[str, str], rows: list[tuple]) -> dict[str, pd.DataFrame]:
    """link() over mentions given as (doc_id, surface, label, attrs[, occurrence]) against `docs` texts."""
    records = []
    for row in rows:
        doc_id, surface, label, attrs = row[:4]
        occurrence = row[4] if len(row) > 4 else 0
        text, start = docs[doc_id], -1
        for _ in range(occurrence + 1):
            start = text.index(surface, start + 1)
        records.append({"mention_id": f"{doc_id}:{start}-{start + len(surface)}", "doc_id": doc_id, "sent_id": 0,
                        "start": start, "end": start + len(surface), "text": surface, "label": label,
                        "title": attrs.get("title"), "attrs": json.dumps(attrs, ensure_ascii=False)})
    documents = pd.DataFrame({"doc_id": list(docs), "text": list(docs.values())})
    sentences = pd.DataFrame({"doc_id": list(docs), "sent_id": 0, "text": list(docs.values())})
    return link(documents, sentences, pd.DataFrame(records))


def ids_of(tables, surface: str, label: str) -> set[str]:
    m = tables["mentions"]
    return set(m.entity_id[(m.text == surface) & (m.label == label)])


def entity_row(tables, eid: str) -> dict:
    entities = tables["entities"]
    rows = entities[entities.entity_id == eid]
    assert len(rows) == 1, eid
    return rows.iloc[0].to_dict()


def test_entity_id_is_stable_across_processes():
    code = "from pipeline.link import entity_id; print(entity_id('PLACE', 'Viêng Chăn'), entity_id('LEADER', 'Tô Lâm'))"
    outputs = set()
    for seed in ("1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        outputs.add(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                                   check=True).stdout.strip())
    assert outputs == {f"{entity_id('PLACE', 'Viêng Chăn')} {entity_id('LEADER', 'Tô Lâm')}"}


def test_entity_id_depends_on_label_and_name():
    assert entity_id("PLACE", "Lào") != entity_id("ORG", "Lào")
    assert entity_id("PLACE", "Lào") != entity_id("PLACE", "Thái Lan")
    assert entity_id("PLACE", "Viêng Chăn") == entity_id("PLACE", "Viêng - chăn") == entity_id("PLACE", "VIÊNG CHĂN")




def test_place_spellings_share_one_entity_by_canonical():
    docs = {"a": "Vientiane, Viêng Chăn, Viêng - chăn.", "b": "Mỹ và Hoa Kỳ."}
    tables = linked(docs, [
        ("a", "Vientiane", "PLACE", {"canonical": "Viêng Chăn"}),
        ("a", "Viêng Chăn", "PLACE", {"canonical": "Viêng Chăn"}),
        ("a", "Viêng - chăn", "PLACE", {}),  # no lexicon canonical: the loose key still matches
        ("b", "Mỹ", "PLACE", {"canonical": "Mỹ"}),
        ("b", "Hoa Kỳ", "PLACE", {"canonical": "Mỹ"}),
    ])
    vientiane = ids_of(tables, "Vientiane", "PLACE") | ids_of(tables, "Viêng Chăn", "PLACE") \
        | ids_of(tables, "Viêng - chăn", "PLACE")
    assert vientiane == {entity_id("PLACE", "Viêng Chăn")}
    assert ids_of(tables, "Mỹ", "PLACE") == ids_of(tables, "Hoa Kỳ", "PLACE") == {entity_id("PLACE", "Mỹ")}
    row = entity_row(tables, entity_id("PLACE", "Viêng Chăn"))
    assert row["n_mentions"] == 3
    assert set(row["aliases"]) == {"Vientiane", "Viêng Chăn", "Viêng - chăn"}


def test_acronym_in_parentheses_links_to_the_full_name():
    text = "Công ty Cổ phần Sông Lam Xanh (SLX) mở rộng sản xuất. Năm nay SLX tuyển thêm lao động."
    tables = linked({"a": text}, [
        ("a", "Công ty Cổ phần Sông Lam Xanh", "ORG", {"type": "company"}),
        ("a", "SLX", "ORG", {}, 0),
        ("a", "SLX", "ORG", {}, 1),
    ])
    full = ids_of(tables, "Công ty Cổ phần Sông Lam Xanh", "ORG")
    assert len(full) == 1 and ids_of(tables, "SLX", "ORG") == full
    row = entity_row(tables, full.pop())
    assert row["canonical"] == "Công ty Cổ phần Sông Lam Xanh" and row["n_mentions"] == 3
    assert "SLX" in row["aliases"]


def test_acronym_expansion_stays_in_its_document():
    docs = {"a": "Công ty Cổ phần Sông Lam Xanh (SLX) mở rộng sản xuất.", "b": "SLX là tên viết tắt khác."}
    tables = linked(docs, [("a", "Công ty Cổ phần Sông Lam Xanh", "ORG", {"type": "company"}),
                           ("a", "SLX", "ORG", {}), ("b", "SLX", "ORG", {})])
    m = tables["mentions"]
    assert m.entity_id[(m.doc_id == "a") & (m.text == "SLX")].iloc[0] \
        != m.entity_id[(m.doc_id == "b") & (m.text == "SLX")].iloc[0]


def test_shorter_person_mention_takes_the_fullest_name():
    text = "Tổng thống Vladimir Putin tiếp đoàn. Ông Putin nói. Bà Nguyễn Thị Lan và bà Lan cùng dự."
    tables = linked({"a": text}, [
        ("a", "Vladimir Putin", "LEADER", {"title": "Tổng thống"}),
        ("a", "Putin", "LEADER", {"title": "Ông"}, 1),
        ("a", "Nguyễn Thị Lan", "LEADER", {"title": "Bà"}),
        ("a", "Lan", "LEADER", {"title": "bà"}, 1),
    ])
    putin = ids_of(tables, "Putin", "LEADER")
    assert putin == ids_of(tables, "Vladimir Putin", "LEADER") == {entity_id("LEADER", "Vladimir Putin")}
    assert entity_row(tables, putin.pop())["canonical"] == "Vladimir Putin"
    assert ids_of(tables, "Lan", "LEADER") == ids_of(tables, "Nguyễn Thị Lan", "LEADER")


def test_caps_person_name_links_to_title_case():
    tables = linked({"a": "Phóng viên HỒ QUỐC DŨNG và Hồ Quốc Dũng."},
                    [("a", "HỒ QUỐC DŨNG", "LEADER", {}), ("a", "Hồ Quốc Dũng", "LEADER", {})])
    assert ids_of(tables, "HỒ QUỐC DŨNG", "LEADER") == ids_of(tables, "Hồ Quốc Dũng", "LEADER")


def test_vietnamese_state_body_keeps_its_bare_name():
    text = "Chính phủ Việt Nam ủng hộ. Chính phủ giao Bộ Công an chủ trì."
    tables = linked({"a": text}, [
        ("a", "Chính phủ Việt Nam", "ORG", {"type": "government"}),
        ("a", "Chính phủ", "ORG", {"type": "government"}, 1),
        ("a", "Bộ Công an", "ORG", {"type": "ministry"}),
    ])
    gov = ids_of(tables, "Chính phủ Việt Nam", "ORG")
    assert gov == ids_of(tables, "Chính phủ", "ORG") == {entity_id("ORG", "Chính phủ")}
    assert entity_row(tables, gov.pop())["canonical"] == "Chính phủ"
    assert entity_row(tables, ids_of(tables, "Bộ Công an", "ORG").pop())["canonical"] == "Bộ Công an"


@pytest.mark.parametrize("surface, canonical", [
    ("tuyến đường sắt Hà Nội-Lạng Sơn", "đường sắt Hà Nội – Lạng Sơn"),
    ("đường sắt Hà Nội — Lạng Sơn", "đường sắt Hà Nội – Lạng Sơn"),
    ("tuyến cao tốc Cam Lộ - La Sơn", "cao tốc Cam Lộ – La Sơn"),
    ("Hiệp định hợp tác Việt Nam-Campuchia 2021-2025", "Hiệp định hợp tác Việt Nam – Campuchia 2021-2025"),
    ("Cao tốc Vân Phong – Nha Trang", "cao tốc Vân Phong – Nha Trang"),           # sentence start
    ("TUYẾN ĐƯỜNG SẮT LÀO CAI – HÀ NỘI", "đường sắt Lào Cai – Hà Nội"),          # heading
    ("SÂN BAY LONG THÀNH", "sân bay Long Thành"),
    ("Khu công nghiệp Việt Nam – Lào", "Khu công nghiệp Việt Nam – Lào"),        # a named zone, not a line
])
def test_project_canonical_function(surface, canonical):
    assert project_canonical(surface) == canonical


@pytest.mark.parametrize("surface, kind, canonical", [
    ("tuyến đường sắt Hà Nội-Lạng Sơn", "railway", "đường sắt Hà Nội – Lạng Sơn"),
    ("đường sắt Hà Nội – Lạng Sơn", "railway", "đường sắt Hà Nội – Lạng Sơn"),
    ("tuyến cao tốc Cam Lộ - La Sơn", "expressway", "cao tốc Cam Lộ – La Sơn"),
    ("tuyến Cam Lộ – La Sơn", "expressway", "cao tốc Cam Lộ – La Sơn"),
    ("Hiệp định hợp tác Việt Nam-Campuchia 2021-2025", "agreement", "Hiệp định hợp tác Việt Nam – Campuchia 2021-2025"),
])
def test_project_canonical_in_entities(surface, kind, canonical):
    tables = linked({"a": f"Hai bên đẩy nhanh {surface}."}, [("a", surface, "PROJECT", {"kind": kind})])
    (eid,) = ids_of(tables, surface, "PROJECT")
    row = entity_row(tables, eid)
    assert row["canonical"] == canonical and row["kind"] == kind


def test_project_dash_variants_share_one_entity():
    docs = {"a": "đường sắt Hà Nội-Lạng Sơn", "b": "đường sắt Hà Nội – Lạng Sơn", "c": "đường sắt Hà Nội — Lạng Sơn"}
    tables = linked(docs, [(d, t, "PROJECT", {"kind": "railway"}) for d, t in docs.items()])
    assert tables["mentions"].entity_id.nunique() == 1


def test_amounts_and_times_carry_the_normalized_values():
    text = "Vốn 2,5 tỷ USD, gần 300.000 tỷ đồng; khởi công ngày 10/3/2026, xong tháng 12/2027, giai đoạn 2026-2030."
    tables = linked({"a": text}, [
        ("a", "2,5 tỷ USD", "AMOUNT", {"value": 2.5e9, "currency": "USD"}),
        ("a", "300.000 tỷ đồng", "AMOUNT", {"value": 3e17, "currency": "VND", "qualifier": "gần"}),
        ("a", "ngày 10/3/2026", "DATE", {"date": "2026-03-10"}),
        ("a", "tháng 12/2027", "DATE", {"date": "2027-12"}),
        ("a", "2026-2030", "YEAR", {"year_start": 2026, "year_end": 2030}),
    ])
    amounts = tables["amounts"].merge(tables["mentions"][["mention_id", "text"]], on="mention_id")
    got = {r.text: (r.value, r.currency) for r in amounts.itertuples()}
    assert got == {"2,5 tỷ USD": (2.5e9, "USD"), "300.000 tỷ đồng": (3e17, "VND")}
    assert amounts.qualifier[amounts.text == "300.000 tỷ đồng"].tolist() == ["gần"]
    times = tables["times"].merge(tables["mentions"][["mention_id", "text"]], on="mention_id").set_index("text")
    assert times.loc["ngày 10/3/2026", ["date", "granularity", "year_start"]].tolist() == ["2026-03-10", "day", 2026]
    assert times.loc["tháng 12/2027", ["date", "granularity", "year_end"]].tolist() == ["2027-12", "month", 2027]
    assert times.loc["2026-2030", ["label", "year_start", "year_end", "granularity"]].tolist() == \
        ["YEAR", 2026, 2030, "year"]
    assert tables["mentions"].entity_id[tables["mentions"].label.isin(["AMOUNT", "DATE", "YEAR"])].isna().all()


def test_reduced_parts_add_counts_and_union_aliases():
    batch1 = linked({"a": "Lào và Lào, Vientiane.", "b": "Ông Putin."}, [
        ("a", "Lào", "PLACE", {"canonical": "Lào"}, 0), ("a", "Lào", "PLACE", {"canonical": "Lào"}, 1),
        ("a", "Vientiane", "PLACE", {"canonical": "Viêng Chăn"}),
        ("b", "Putin", "LEADER", {"title": "Ông"})])["entity_parts"]
    batch2 = linked({"c": "CHDCND Lào và Viêng Chăn.", "d": "Tổng thống Putin."}, [
        ("c", "CHDCND Lào", "PLACE", {"canonical": "Lào"}), ("c", "Viêng Chăn", "PLACE", {"canonical": "Viêng Chăn"}),
        ("d", "Putin", "LEADER", {"title": "Tổng thống"})])["entity_parts"]
    merged = reduce_entities(pd.concat([compact_parts(batch1), compact_parts(batch2)]))
    assert list(merged.columns) == ENTITY_COLUMNS
    assert merged.entity_id.is_unique and set(merged.entity_id) == set(batch1.entity_id) | set(batch2.entity_id)
    laos = merged[merged.entity_id == entity_id("PLACE", "Lào")].iloc[0]
    assert (laos.n_mentions, laos.n_docs, laos.canonical) == (3, 2, "Lào")
    assert list(laos.aliases) == ["CHDCND Lào", "Lào"]
    vientiane = merged[merged.entity_id == entity_id("PLACE", "Viêng Chăn")].iloc[0]
    assert (vientiane.n_mentions, vientiane.canonical) == (2, "Viêng Chăn")
    assert list(vientiane.aliases) == ["Vientiane", "Viêng Chăn"]
    putin = merged[merged.entity_id == entity_id("LEADER", "Putin")].iloc[0]
    assert (putin.n_mentions, putin.n_docs) == (2, 2) and list(putin.titles) == ["Tổng thống"]  # "Ông" is a form of address, not an office
    assert reduce_entities(pd.DataFrame()).columns.tolist() == ENTITY_COLUMNS


def test_canonical_is_chosen_over_all_batches_not_by_merge_order():
    """Two forms of one entity tie on letters; the more frequent one wins however the parts are cut."""
    docs = {"a": "Nhà máy Nhiệt điện X.", "b": "nhà máy nhiệt điện X.", "c": "nhà máy nhiệt điện X."}
    rows = [(d, t[:-1], "PROJECT", {"kind": "energy"}) for d, t in docs.items()]
    whole = link(*_frames(docs), _records(docs, rows))
    parts = [link(*_frames({d: t}), _records({d: t}, [r for r in rows if r[0] == d]))["entity_parts"]
             for d, t in docs.items()]
    for order in (parts, parts[::-1]):
        merged = reduce_entities(pd.concat([compact_parts(p) for p in order]))
        pd.testing.assert_frame_equal(merged, whole["entities"], check_dtype=False)
    assert whole["entities"].canonical.tolist() == ["nhà máy nhiệt điện X"]


def _frames(docs):
    return (pd.DataFrame({"doc_id": list(docs), "text": list(docs.values())}),
            pd.DataFrame({"doc_id": list(docs), "sent_id": 0, "text": list(docs.values())}))


def _records(docs, rows):
    return pd.DataFrame([{"mention_id": f"{d}:0-{len(t)}", "doc_id": d, "sent_id": 0, "start": 0, "end": len(t),
                          "text": t, "label": label, "attrs": json.dumps(attrs, ensure_ascii=False)}
                         for d, t, label, attrs in rows])


def test_link_requires_sentences():
    docs = {"a": "Lào."}
    with pytest.raises(TypeError):
        link(_frames(docs)[0], _records(docs, [("a", "Lào", "PLACE", {})]))
    with pytest.raises(ValueError, match="link requires sentences columns"):
        link(_frames(docs)[0], pd.DataFrame({"doc_id": ["a"]}), _records(docs, [("a", "Lào", "PLACE", {})]))


def test_leader_title_gives_holds_relation():
    tables = linked({"a": "Tổng thống Pháp Emmanuel Macron và ông Nam."}, [
        ("a", "Pháp", "PLACE", {"canonical": "Pháp"}),
        ("a", "Emmanuel Macron", "LEADER", {"title": "Tổng thống", "country": "Pháp"}),
        ("a", "Nam", "LEADER", {})])
    rel = tables["relations"]
    macron = entity_id("LEADER", "Emmanuel Macron")
    holds = rel[(rel.subject_id == macron) & (rel.relation == "holds")]
    assert holds.object_text.tolist() == ["Tổng thống"]
    of = rel[(rel.subject_id == macron) & (rel.relation == "of")]
    assert of.object_id.tolist() == [entity_id("PLACE", "Pháp")]
    assert rel[rel.subject_id == entity_id("LEADER", "Nam")].empty


@pytest.mark.parametrize("dash", sorted(DASHES))
def test_project_connects_each_endpoint_whatever_the_dash(dash):
    """ "tuyến đường sắt Hà Nội − Lạng Sơn" (U+2212 or any other dash) connects two places, not one
    bogus "Hà Nội − Lạng Sơn"."""
    for surface in (f"tuyến đường sắt Hà Nội {dash} Lạng Sơn", f"tuyến đường sắt Hà Nội{dash}Lạng Sơn"):
        tables = linked({"a": f"Khởi công {surface}."}, [("a", surface, "PROJECT", {"kind": "railway"})])
        rel = tables["relations"]
        connects = rel[rel.relation == "connects"]
        assert connects.object_text.tolist() == ["Hà Nội", "Lạng Sơn"], surface
        assert connects.object_id.tolist() == [entity_id("PLACE", "Hà Nội"), entity_id("PLACE", "Lạng Sơn")]
        assert tables["entities"].query("label == 'PROJECT'").canonical.tolist() == ["đường sắt Hà Nội – Lạng Sơn"]


def test_project_connects_canonical_places_and_not_a_document_title():
    tables = linked({"a": "Cao tốc Vientiane - Hà Nội và Thỏa thuận hợp tác Việt Nam – Lào 2024."},
                    [("a", "Cao tốc Vientiane - Hà Nội", "PROJECT", {"kind": "expressway"}),
                     ("a", "Thỏa thuận hợp tác Việt Nam – Lào 2024", "PROJECT", {"kind": "agreement"})])
    connects = tables["relations"].query("relation == 'connects'")
    canonical = dict(zip(tables["entities"].entity_id, tables["entities"].canonical))
    by_project = connects.groupby(connects.subject_id.map(canonical)).object_text.apply(list).to_dict()
    assert by_project["cao tốc Viêng Chăn – Hà Nội"] == ["Viêng Chăn", "Hà Nội"]
    # "Việt Nam – Lào 2024" is part of a title, kept as written: not two places
    assert by_project["Thỏa thuận hợp tác Việt Nam – Lào 2024"] == ["Việt Nam – Lào 2024"]


def test_amount_is_target_of_the_flows_its_sentence_names():
    text = "Kim ngạch thương mại đạt 2 tỷ USD, vốn đầu tư FDI 1 tỷ USD."
    tables = linked({"a": text, "b": "Dự án dài 20 km, rộng 2 tỷ USD."},
                    [("a", "2 tỷ USD", "AMOUNT", {"value": 2e9, "currency": "USD"}),
                     ("a", "1 tỷ USD", "AMOUNT", {"value": 1e9, "currency": "USD"}),
                     ("b", "2 tỷ USD", "AMOUNT", {"value": 2e9, "currency": "USD"})])
    rel = tables["relations"].query("relation == 'target_of'")
    first, second = f"a:{text.index('2 tỷ')}-{text.index('2 tỷ') + 8}", f"a:{text.index('1 tỷ')}-{text.index('1 tỷ') + 8}"
    assert sorted(zip(rel.subject_id, rel.object_text)) == [
        (first, "investment"), (first, "trade"), (second, "investment"), (second, "trade")]
    assert not rel.subject_id.str.startswith("b:").any()  # no cue word in that sentence


# ---------------------------------------------------------------- end to end

MINI_DOCS = {
    "vientiane": "Nhiều du khách tới thủ đô Viêng Chăn. Đoàn rời Vientiane vào buổi chiều. "
                 "Hai bên ký kết tại thủ đô Viêng - chăn.",
    "usa": "Quan hệ giữa Việt Nam và Hoa Kỳ phát triển. Doanh nghiệp Mỹ và Pháp đầu tư mạnh vào Việt Nam.",
    "evn": "Tập đoàn Điện lực Việt Nam (EVN) khởi công công trình mới. Theo EVN, công trình sẽ hoàn thành sớm.",
    "putin": "Tổng thống Nga Vladimir Putin tiếp đoàn. Ông Putin nhấn mạnh hợp tác năng lượng.",
    "government": "Chính phủ Việt Nam luôn ủng hộ sáng kiến này. Chính phủ giao Bộ Công an chủ trì.",
    "railway": "Hai bên thống nhất đẩy nhanh tuyến đường sắt Hà Nội-Lạng Sơn.",
    "values": "Dự án có tổng vốn 2,5 tỷ USD, tương đương 1.250 tỷ đồng. Sáng 5/2, dự án khởi công; "
              "dự kiến hoàn thành trong tháng 12/2027 và vận hành giai đoạn 2028-2030.",
    "leader": "Bộ trưởng Bộ Y tế Đào Hồng Lan làm việc với Tổng thống Pháp Emmanuel Macron.",
}


@pytest.fixture(scope="module")
def e2e() -> dict[str, pd.DataFrame]:
    return run_dated_texts(MINI_DOCS, "2026-02-05")


def test_e2e_place_spellings_share_one_entity(e2e):
    m = mentions_of(e2e, "vientiane").query("label == 'PLACE'")
    assert sorted(m.text) == ["Vientiane", "Viêng - chăn", "Viêng Chăn"]
    assert set(m.entity_id) == {entity_id("PLACE", "Viêng Chăn")}
    assert entity_row(e2e, m.entity_id.iloc[0])["canonical"] == "Viêng Chăn"
    usa = mentions_of(e2e, "usa").query("label == 'PLACE' and text in ['Mỹ', 'Hoa Kỳ']")
    assert len(usa) == 2 and set(usa.entity_id) == {entity_id("PLACE", "Mỹ")}
    # the same place in two documents is the same entity
    everywhere = e2e["mentions"].query("text == 'Pháp' and label == 'PLACE'")
    assert everywhere.doc_id.nunique() == 2 and set(everywhere.entity_id) == {entity_id("PLACE", "Pháp")}


def test_e2e_acronym_links_to_full_name(e2e):
    m = mentions_of(e2e, "evn").query("label == 'ORG'")
    assert sorted(m.text) == ["EVN", "EVN", "Tập đoàn Điện lực Việt Nam"]
    assert m.entity_id.nunique() == 1
    assert entity_row(e2e, m.entity_id.iloc[0])["canonical"] == "Tập đoàn Điện lực Việt Nam"


def test_e2e_surname_takes_full_name(e2e):
    m = mentions_of(e2e, "putin").query("label == 'LEADER'")
    assert sorted(m.text) == ["Putin", "Vladimir Putin"] and m.entity_id.nunique() == 1
    assert entity_row(e2e, m.entity_id.iloc[0])["canonical"] == "Vladimir Putin"


def test_e2e_state_body_canonical(e2e):
    m = mentions_of(e2e, "government").query("label == 'ORG'")
    gov = m[m.text.isin(["Chính phủ Việt Nam", "Chính phủ"])]
    assert len(gov) == 2 and set(gov.entity_id) == {entity_id("ORG", "Chính phủ")}
    assert entity_row(e2e, gov.entity_id.iloc[0])["canonical"] == "Chính phủ"
    assert "Bộ Công an" in set(m.text)


def test_e2e_project_canonical(e2e):
    m = mentions_of(e2e, "railway").query("label == 'PROJECT'")
    assert m.text.tolist() == ["tuyến đường sắt Hà Nội-Lạng Sơn"]
    row = entity_row(e2e, m.entity_id.iloc[0])
    assert (row["canonical"], row["kind"]) == ("đường sắt Hà Nội – Lạng Sơn", "railway")


def test_e2e_amounts_and_times(e2e):
    m = mentions_of(e2e, "values")
    amounts = e2e["amounts"].merge(m[["mention_id", "text"]], on="mention_id")
    assert {r.text: (r.value, r.currency) for r in amounts.itertuples()} == {
        "2,5 tỷ USD": (2.5e9, "USD"), "1.250 tỷ đồng": (1.25e12, "VND")}
    times = e2e["times"].merge(m[["mention_id", "text"]], on="mention_id").set_index("text")
    assert times.loc["5/2", ["label", "date", "granularity"]].tolist() == ["DATE", "2026-02-05", "day"]
    assert times.loc["tháng 12/2027", ["date", "granularity"]].tolist() == ["2027-12", "month"]
    assert times.loc["2028-2030", ["label", "year_start", "year_end"]].tolist() == ["YEAR", 2028, 2030]


def test_e2e_titled_leader_relations(e2e):
    m = mentions_of(e2e, "leader")
    rel = e2e["relations"].query("doc_id == 'leader'")
    lan = m.entity_id[m.text == "Đào Hồng Lan"].iloc[0]
    macron = m.entity_id[m.text == "Emmanuel Macron"].iloc[0]
    holds = rel[rel.relation == "holds"]
    assert set(zip(holds.subject_id, holds.object_text)) == {(lan, "Bộ trưởng"), (macron, "Tổng thống")}
    of = rel[(rel.relation == "of") & (rel.subject_id == macron)]
    assert of.object_id.tolist() == [m.entity_id[m.text == "Pháp"].iloc[0]]
    titles = entity_row(e2e, lan)["titles"]
    assert list(titles) == ["Bộ trưởng"]
