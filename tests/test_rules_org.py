"""ORG recognizers on hand-made underthesea words (no underthesea call)."""
from __future__ import annotations

import pytest

from pipeline.nlp.rules import Sentence, candidates, resolve, run_rule


def spans(s: Sentence, found) -> list[tuple[str, str]]:
    return [(s.text[s.units[c.start].start:s.units[c.end - 1].end], c.label) for c in found]


def test_org_head_extends_over_the_name_and_its_jurisdiction():
    s = Sentence.of("UBND tỉnh Quảng Ngãi và Bộ Ngoại giao Lào họp.",
                    "UBND/Ny tỉnh/N Quảng_Ngãi/Np và/Cc Bộ/N Ngoại_giao/N Lào/Np họp/V ./CH")
    assert spans(s, run_rule(s, "org_head")) == [("UBND tỉnh Quảng Ngãi", "ORG"), ("Bộ Ngoại giao Lào", "ORG")]
    s = Sentence.of("UBND tỉnh Quảng Ngãi và Bộ Lao động, Thương binh và Xã hội họp.",
                    "UBND/Ny tỉnh/N Quảng_Ngãi/Np và/Cc Bộ/N Lao_động/N ,/CH Thương_binh/N và/Cc Xã_hội/N họp/V ./CH")
    assert ("Bộ Lao động, Thương binh và Xã hội", "ORG", "org_alias") in [
        (s.text[m.start:m.end], m.label, m.attrs["source"]) for m in resolve(s, candidates(s))]  # the lexicon knows it


def test_org_head_vetoes_a_generic_head_and_a_common_noun():
    s = Sentence.of("Hội đồng xét xử tuyên án.", "Hội_đồng/N xét_xử/V tuyên_án/V ./CH")
    assert run_rule(s, "org_head") == []
    s = Sentence.of("Các Bộ đã họp.", "Các/L Bộ/N đã/R họp/V ./CH")
    assert run_rule(s, "org_head") == []


def test_org_head_cuts_the_person_after_a_title():
    s = Sentence.of("Tổng Bí thư Ban Chấp hành Trung ương Đảng Tô Lâm phát biểu.",
                    "Tổng_Bí_thư/N Ban/N Chấp_hành/V Trung_ương/N Đảng/N Tô_Lâm/Np phát_biểu/V ./CH")
    assert [(s.text[m.start:m.end], m.label) for m in resolve(s, candidates(s))] == [
        ("Ban Chấp hành Trung ương Đảng", "ORG"), ("Tô Lâm", "LEADER")]


def test_alias_brand_team_outlet_and_placed_acronym():
    s = Sentence.of("Theo TTXVN, SongHanBank và U23 Việt Nam trên Dantri.com.vn.",
                    "Theo/E TTXVN/Ny ,/CH SongHanBank/Np và/Cc U23/Ny Việt_Nam/Np trên/E Dantri.com.vn/Ny ./CH")
    assert spans(s, run_rule(s, "org_alias")) == [("TTXVN", "ORG"), ("Dantri.com.vn", "ORG")]
    assert run_rule(s, "org_alias")[0].attrs["canonical"] is None  # an acronym as written is no canonical
    assert spans(s, run_rule(s, "camel_brand")) == [("SongHanBank", "ORG")]
    assert spans(s, run_rule(s, "youth_team")) == [("U23 Việt Nam", "ORG")]
    assert spans(s, run_rule(s, "outlet_domain")) == [("Dantri.com.vn", "ORG")]
    s = Sentence.of("LĐLĐ tỉnh Quảng Nam họp.", "LĐLĐ/N tỉnh/N Quảng_Nam/Np họp/V ./CH")  # tagged Ny it reads as a common noun
    assert spans(s, run_rule(s, "placed_acronym")) == [("LĐLĐ tỉnh Quảng Nam", "ORG")]


def test_acronym_in_a_document_number_is_no_body():
    s = Sentence.of("Quyết định 26/QĐ-BXD đã ban hành.", "Quyết_định/N 26/QĐ-BXD/M đã/R ban_hành/V ./CH")
    assert run_rule(s, "org_alias") == [] and run_rule(s, "placed_acronym") == []


def test_paren_acronym_takes_the_label_of_its_body():
    s = Sentence.of("Tập đoàn Điện lực Việt Nam (EVN) khởi công.",
                    "Tập_đoàn/N Điện_lực/N Việt_Nam/Np (/CH EVN/Ny )/CH khởi_công/V ./CH")
    assert [(s.text[m.start:m.end], m.label, m.attrs["source"]) for m in resolve(s, candidates(s))] == [
        ("Tập đoàn Điện lực Việt Nam", "ORG", "org_head"), ("EVN", "ORG", "paren_acronym")]


@pytest.mark.parametrize("text, spec, expected", [
    ("Theo phóng viên Tiền Phong, vụ việc xảy ra hôm qua.",
     "Theo/E phóng_viên/N Tiền_Phong/Np ,/CH vụ_việc/N xảy_ra/V hôm_qua/N ./CH", [("Tiền Phong", "ORG")]),
    ("Ông trao đổi với PV Thanh Niên sáng nay.", "Ông/N trao_đổi/V với/E PV/Ny Thanh_Niên/N sáng/N nay/P ./CH",
     [("Thanh Niên", "ORG")]),
    ("Anh Tiền Phong là phóng viên.", "Anh/N Tiền_Phong/Np là/V phóng_viên/N ./CH", []),  # no outlet word before it
])
def test_outlet_named_after_a_reporter(text, spec, expected):
    s = Sentence.of(text, spec)
    assert spans(s, run_rule(s, "outlet_name")) == expected


@pytest.mark.parametrize("text, spec, expected", [
    ("Chính quyền Trump áp thuế mới.", "Chính_quyền/N Trump/Np áp/V thuế/N mới/A ./CH", []),  # the person's administration
    ("Chính quyền Kim Jong Un tuyên bố.", "Chính_quyền/N Kim_Jong/Np Un/Np tuyên_bố/V ./CH", []),
    ("Chính phủ Canada hỗ trợ thêm.", "Chính_phủ/N Canada/Np hỗ_trợ/V thêm/V ./CH", [("Chính phủ Canada", "ORG")]),
])
def test_an_administration_named_by_its_leader_is_no_body(text, spec, expected):
    s = Sentence.of(text, spec)
    assert spans(s, run_rule(s, "org_head")) == expected


def test_a_short_acronym_alias_matches_only_in_capitals():
    s = Sentence.of("Ông Kim Jong Un phát biểu.", "Ông/N Kim_Jong/Np Un/Np phát_biểu/V ./CH")
    assert run_rule(s, "org_alias") == []
