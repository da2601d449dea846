"""LEADER recognizers on hand-made underthesea words (no underthesea call): each rule alone, its
vetoes, and what the resolver keeps."""
from __future__ import annotations

import pytest

from pipeline.nlp.rules import Sentence, candidates, resolve, run_rule


def spans(s: Sentence, found) -> list[tuple[str, str]]:
    return [(s.text[s.units[c.start].start:s.units[c.end - 1].end], c.label) for c in found]


def mentions(s: Sentence) -> list[tuple[str, str, str]]:
    return [(s.text[m.start:m.end], m.label, m.attrs["source"]) for m in resolve(s, candidates(s))]


def test_titled_person_skips_the_body_and_keeps_the_title():
    s = Sentence.of("Bộ trưởng Bộ Ngoại giao Bùi Thanh Sơn phát biểu.",
                    "Bộ_trưởng/N Bộ/N Ngoại_giao/N Bùi_Thanh_Sơn/Np phát_biểu/V ./CH")
    found = run_rule(s, "titled_person")
    assert spans(s, found) == [("Bùi Thanh Sơn", "LEADER")]
    assert found[0].attrs["title"] == "Bộ trưởng" and found[0].rule_id == "titled_person"
    assert mentions(s) == [("Bộ Ngoại giao", "ORG", "org_head"), ("Bùi Thanh Sơn", "LEADER", "titled_person")]


def test_titled_person_country_and_shared_title():
    s = Sentence.of("Các Phó Thủ tướng Trần Hồng Hà và Lê Thành Long dự họp.",
                    "Các/L Phó_Thủ_tướng/N Trần_Hồng_Hà/Np và/Cc Lê_Thành_Long/Np dự/V họp/V ./CH")
    assert spans(s, run_rule(s, "titled_person")) == [("Trần Hồng Hà", "LEADER"), ("Lê Thành Long", "LEADER")]
    s = Sentence.of("Tổng thống Pháp Emmanuel Macron đến Hà Nội.",
                    "Tổng_thống/N Pháp/Np Emmanuel_Macron/Np đến/V Hà_Nội/Np ./CH")
    found = run_rule(s, "titled_person")
    assert spans(s, found) == [("Emmanuel Macron", "LEADER"), ("Pháp", "PLACE")] and found[0].attrs["country"] == "Pháp"


@pytest.mark.parametrize("text, spec", [
    ("Cửa hàng ở phố Bà Triệu đông khách.", "Cửa_hàng/N ở/E phố/N Bà_Triệu/Np đông/A khách/N ./CH"),  # a street
    ("Thủ tướng Lào phát biểu.", "Thủ_tướng/N Lào/Np phát_biểu/V ./CH"),  # the office's country
    ("Hiệu trưởng Trường Lương Thế Vinh phát biểu.", "Hiệu_trưởng/N Trường/N Lương_Thế_Vinh/Np phát_biểu/V ./CH"),
    ("Bài của phóng viên Thanh Niên đăng sáng nay.", "Bài/N của/E phóng_viên/N Thanh_Niên/N đăng/V sáng/N nay/P ./CH"),
    ("Sản phẩm của nghệ nhân Mông được bày bán.", "Sản_phẩm/N của/E nghệ_nhân/N Mông/Np được/V bày/V bán/V ./CH"),
    ("Cô dự thi Hoa hậu Hoàn vũ 2024 tại Mexico.", "Cô/N dự_thi/V Hoa_hậu/N Hoàn_vũ/N 2024/M tại/E Mexico/Np ./CH"),
    ("Bản hit của ca sĩ Phía sau một cô gái.", "Bản/N hit/N của/E ca_sĩ/N Phía_sau/N một/M cô_gái/N ./CH"),  # a work
    ("Câu nói của MC Ai là triệu phú gây sốt.", "Câu/N nói/V của/E MC/Ny Ai/P là/V triệu_phú/N gây/V sốt/V ./CH"),
])
def test_titled_person_vetoes(text, spec):
    assert run_rule(Sentence.of(text, spec), "titled_person") == []


def test_bare_person_vietnamese_and_foreign_names():
    s = Sentence.of("Hôm qua Đinh Thanh Bình và Vladimir Putin gặp nhau.",
                    "Hôm_qua/N Đinh_Thanh_Bình/Np và/Cc Vladimir_Putin/Np gặp/V nhau/P ./CH")
    assert spans(s, run_rule(s, "bare_person")) == [("Đinh Thanh Bình", "LEADER"), ("Vladimir Putin", "LEADER")]


def test_bare_person_vetoes_a_storm_and_a_lone_foreign_word():
    s = Sentence.of("Cơn bão Trà Mi đổ bộ.", "Cơn/Nc bão/N Trà_Mi/Np đổ_bộ/V ./CH")
    assert run_rule(s, "bare_person") == []
    s = Sentence.of("Ông nói Putin đến.", "Ông/N nói/V Putin/Np đến/V ./CH")
    assert run_rule(s, "bare_person") == []


def test_tagged_name_needs_np_after_a_verb_or_conjunction():
    s = Sentence.of("Huấn luyện viên chọn Phi Sơn và Xuân Mạnh.",
                    "Huấn_luyện_viên/N chọn/V Phi_Sơn/Np và/Cc Xuân_Mạnh/Np ./CH")
    assert spans(s, run_rule(s, "tagged_name")) == [("Phi Sơn", "LEADER"), ("Xuân Mạnh", "LEADER")]
    s = Sentence.of("Về thôn Lệ Sơn.", "Về/V thôn/N Lệ_Sơn/Np ./CH")  # after a noun: a place's name
    assert run_rule(s, "tagged_name") == []


def test_credit_byline_and_caps_names():
    s = Sentence.of("Ảnh: VGP/Nhật Bắc", "Ảnh/N :/CH VGP/Ny //CH Nhật_Bắc/Np")
    assert spans(s, run_rule(s, "credit")) == [("Nhật Bắc", "LEADER")]
    s = Sentence.of("Thúy Quỳnh", "Thúy_Quỳnh/Np")
    assert spans(s, run_rule(s, "byline")) == [("Thúy Quỳnh", "LEADER")]
    s = Sentence.of("HỒ QUỐC DŨNG", "HỒ_QUỐC_DŨNG/Np")
    found = run_rule(s, "caps_line_person")
    assert spans(s, found) == [("HỒ QUỐC DŨNG", "LEADER")] and found[0].attrs["canonical"] == "Hồ Quốc Dũng"


@pytest.mark.parametrize("text, spec", [
    ("Đồn BP Trà Cổ bắt giữ tàu.", "Đồn/N BP/Ny Trà_Cổ/Np bắt_giữ/V tàu/N ./CH"),  # the body's name
    ("Bà Hoa (16 Trần Quang Khải, Q.1) góp.", "Bà/N Hoa/Np (/CH 16/M Trần_Quang_Khải/Np ,/CH Q.1/Ny )/CH góp/V ./CH"),
    ("Bão Maria đổ bộ.", "Bão/N Maria/Np đổ_bộ/V ./CH"),  # the storm's name
    ("Họ dùng Recovery Mode.", "Họ/P dùng/V Recovery_Mode/Np ./CH"),  # English common words: a product
])
def test_bare_person_vetoes_streets_bodies_storms_and_products(text, spec):
    s = Sentence.of(text, spec)
    assert [x for x in spans(s, run_rule(s, "bare_person")) if x[1] == "LEADER"] == []


def test_a_korean_surname_is_not_a_place_word():
    s = Sentence.of("HLV Park Hang-seo nói.", "HLV/N Park_Hang-seo/Np nói/V ./CH")
    assert spans(s, run_rule(s, "bare_person")) == [("Park Hang-seo", "LEADER")]


@pytest.mark.parametrize("text, spec, expected", [
    ("CAO NGUYÊN - BẢO THẮNG", "CAO_NGUYÊN/Np -/CH BẢO/V THẮNG/Np", [("CAO NGUYÊN", "LEADER"), ("BẢO THẮNG", "LEADER")]),  # pen names in capitals
    ("Thu Dung – Văn Thiệp", "Thu_Dung/Np –/CH Văn_Thiệp/Np", [("Thu Dung", "LEADER"), ("Văn Thiệp", "LEADER")]),
    ("NGỌC CHÁNH", "NGỌC_CHÁNH/Np", [("NGỌC CHÁNH", "LEADER")]),  # a pen name needs no family name
    ("N.T.Vũ", "N.T.Vũ/Np", [("N.T.Vũ", "LEADER")]),
    ("Theo Tuấn Anh/Vnexpress.net", "Theo/E Tuấn_Anh/Np //CH Vnexpress.net/Np", [("Tuấn Anh", "LEADER")]),
    ("Huyền Anh - Tuấn Linh (Khám phá)", "Huyền_Anh/Np -/CH Tuấn_Linh/Np (/CH Khám_phá/V )/CH",
     [("Huyền Anh", "LEADER"), ("Tuấn Linh", "LEADER")]),
    ("Theo Dân Trí", "Theo/E Dân_Trí/Np", [("Dân Trí", "ORG")]),  # the outlet
    ("Hà Nội - Hải Phòng", "Hà_Nội/Np -/CH Hải_Phòng/Np", []),  # places
    ("CÁC NƯỚC KHÁC", "CÁC/L NƯỚC/N KHÁC/A", []),
    ("Thu Dung nói rằng", "Thu_Dung/Np nói/V rằng/C", []),  # more than names
])
def test_byline_lines_of_names(text, spec, expected):
    s = Sentence.of(text, spec)
    assert spans(s, run_rule(s, "byline")) == expected


def test_resolver_adds_the_appositive_title_and_the_name_suffix():
    s = Sentence.of("Ông Phan Văn Giang, Bộ trưởng Bộ Quốc phòng, phát biểu.",
                    "Ông/N Phan_Văn_Giang/Np ,/CH Bộ_trưởng/N Bộ/N Quốc_phòng/N ,/CH phát_biểu/V ./CH")
    leader = [m for m in resolve(s, candidates(s)) if m.label == "LEADER"]
    assert [(s.text[m.start:m.end], m.attrs.get("appositive")) for m in leader] == [("Phan Văn Giang", "Bộ trưởng")]
    s = Sentence.of("Tổng thống Joseph R. Biden, Jr. phát biểu.",
                    "Tổng_thống/N Joseph/Np R./Np Biden/Np ,/CH Jr./Np phát_biểu/V ./CH")
    assert ("Joseph R. Biden, Jr.", "LEADER", "titled_person") in mentions(s)


@pytest.mark.parametrize("text, spec, expected", [
    # a profession's name may be a dictionary word; an office's field is not a name ("Bộ trưởng Công Thương")
    ("Hôm qua, đạo diễn Quốc Tuấn ủng hộ việc này.", "Hôm_qua/N ,/CH đạo_diễn_Quốc_Tuấn/N ủng_hộ/V việc/N này/P ./CH",
     ["Quốc Tuấn"]),
    ("Giám khảo có Nam vương Tiến Đạt.", "Giám_khảo/N có/V Nam_vương_Tiến_Đạt/N ./CH", ["Tiến Đạt"]),
    ("Ngoại binh Pereira ghi bàn.", "Ngoại_binh_Pereira/N ghi/V bàn/N ./CH", ["Pereira"]),
    # a country then one given name is a two-syllable name; a country then a full name stays a country
    ("Tối qua, nữ ca sĩ Mỹ Tâm hát.", "Tối/N qua/V ,/CH nữ/N ca_sĩ/N Mỹ_Tâm/Np hát/V ./CH", ["Mỹ Tâm"]),
    ("Tổng thống Mỹ Joe Biden phát biểu.", "Tổng_thống/N Mỹ/Np Joe_Biden/Np phát_biểu/V ./CH", ["Joe Biden"]),
    # a capitalized field that ends the title, then a surname: the name starts at the surname
    ("Bộ trưởng Công Thương Nguyễn Hồng Diên làm việc.", "Bộ_trưởng/N Công_Thương/Np Nguyễn_Hồng_Diên/Np làm_việc/V ./CH",
     ["Nguyễn Hồng Diên"]),
    ("Có mặt HH Đại Dương Đặng Thu Thảo.", "Có/V mặt/N HH/Ny Đại_Dương/N Đặng_Thu_Thảo/Np ./CH", ["Đặng Thu Thảo"]),
])
def test_titled_person_names_after_professions_fields_and_countries(text, spec, expected):
    s = Sentence.of(text, spec)
    assert [t for t, label in spans(s, run_rule(s, "titled_person")) if label == "LEADER"] == expected


@pytest.mark.parametrize("text, spec, expected", [
    ("Ở phút 89, Messi sút phạt thành bàn.", "Ở/E phút/N 89/M ,/CH Messi/Np sút/V phạt/V thành/V bàn/N ./CH", ["Messi"]),
    ("Trận đấu giữa Nadal và Federer rất căng.", "Trận/Nc đấu/V giữa/E Nadal/Np và/Cc Federer/Np rất/R căng/A ./CH",
     ["Nadal", "Federer"]),
    ("Tổng thống Bashar al-Assad phát biểu.", "Tổng_thống/N Bashar/Np al-Assad/Np phát_biểu/V ./CH", []),  # inside a name
    ("Ronaldo Nazario từng ghi bàn.", "Ronaldo_Nazario/Np từng/R ghi/V bàn/N ./CH", []),  # a longer name
])
def test_famous_person_named_alone(text, spec, expected):
    s = Sentence.of(text, spec)
    assert [t for t, _ in spans(s, run_rule(s, "famous_person"))] == expected


def test_an_unmarked_vietnamese_name_is_no_run_of_english_words():
    s = Sentence.of("Ủng hộ: Tran Thi My Dung: 500.000 đồng.", "Ủng_hộ/V :/CH Tran_Thi/Np My_Dung/Np :/CH 500.000/M đồng/Nu ./CH")
    assert spans(s, run_rule(s, "bare_person")) == [("Tran Thi My Dung", "LEADER")]


def test_a_short_country_name_inside_one_given_name_is_the_name():
    s = Sentence.of("Ghi bàn có Hoàng và Trung Hậu.", "Ghi/V bàn/N có/V Hoàng/Np và/Cc Trung_Hậu/Np ./CH")
    assert ("Trung Hậu", "LEADER") in spans(s, run_rule(s, "tagged_name"))
    s = Sentence.of("Ông về thăm Mỹ Khánh.", "Ông/N về/V thăm/V Mỹ_Khánh/Np ./CH")  # a commune's name stays a place
    assert spans(s, run_rule(s, "tagged_name")) == []


@pytest.mark.parametrize("text, spec", [
    ("Bệnh Alzheimer là một bệnh lý.", "Bệnh/N Alzheimer/Np là/V một/M bệnh_lý/N ./CH"),
    ("Chiếc Toyota Camry màu bạc đỗ ở đó.", "Chiếc/Nc Toyota_Camry/Np màu/N bạc/A đỗ/V ở/E đó/P ./CH"),
])
def test_a_capitalized_vietnamese_word_before_a_foreign_name_is_not_the_name(text, spec):
    assert run_rule(Sentence.of(text, spec), "bare_person") == []


def test_a_form_of_address_after_a_closing_quote_opens_a_clause():
    s = Sentence.of("“Ăn ít thôi” Bà Shapiro lưu ý.", "“/CH Ăn/V ít/A thôi/T ”/CH Bà/N Shapiro/Np lưu_ý/V ./CH")
    assert spans(s, run_rule(s, "titled_person")) == [("Shapiro", "LEADER")]


@pytest.mark.parametrize("text, spec, expected", [
    ("Bệnh nhân T.T.Đ (38 tuổi) tử vong.", "Bệnh_nhân/N T.T.Đ/Np (/CH 38/M tuổi/N )/CH tử_vong/V ./CH", ["T.T.Đ"]),
    ("Họ vận động cô Tr.Th.Th, giáo viên.", "Họ/P vận_động/V cô/N Tr.Th.Th/Np ,/CH giáo_viên/N ./CH", ["Tr.Th.Th"]),
    # the abbreviation's dot is the name's while the sentence goes on; a whole syllable keeps none ("cô Hà.")
    ("Mẹ em L. phát hiện.", "Mẹ/N em/N L./Np phát_hiện/V ./CH", ["L."]),
    ("Đoàn và em Trần Thị Trúc L. (SN 2002) quen nhau.",
     "Đoàn/Np và/Cc em/N Trần_Thị_Trúc_L./Np (/CH SN/Np 2002/M )/CH quen/V nhau/N ./CH", ["Trần Thị Trúc L."]),
    ("Họ giúp cô Hà. Ảnh: Tuấn.", "Họ/P giúp/V cô/N Hà/Np ./CH Ảnh/N :/CH Tuấn/Np ./CH", ["Hà"]),
    ("Ông dự, là Ủy viên T.Ư Đảng.", "Ông/N dự/V ,/CH là/V Ủy_viên/N T.Ư/Ny Đảng/N ./CH", []),  # an abbreviated body
])
def test_titled_person_names_in_initials(text, spec, expected):
    s = Sentence.of(text, spec)
    assert [t for t, label in spans(s, run_rule(s, "titled_person")) if label == "LEADER"] == expected
