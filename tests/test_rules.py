"""The general recognition mechanisms of ANNOTATION.md, pinned with new sentences, end to end.

Each case is one short document: (surface, label[, attrs]) pairs that must be present among its
mentions, and surfaces that must not be tagged at all (under any label). All cases run through the
pipeline in one `run_documents` call. Cases the pipeline gets wrong today are strict xfails whose
reason names the bug.
"""
from __future__ import annotations

import json

import pandas as pd
import pytest

from conftest import run_dated_texts

DOC_DATE = "2026-02-05"


def case(case_id: str, sentence: str, present=(), absent=(), bug: str | None = None):
    marks = [pytest.mark.xfail(reason=bug, strict=True)] if bug else []
    return pytest.param(case_id, sentence, tuple(present), tuple(absent), id=case_id, marks=marks)


LEADER_CASES = [
    case("office_title_ministry_name",
         "Hôm qua, Bộ trưởng Bộ Y tế Đào Hồng Lan đã kiểm tra công tác phòng dịch.",
         [("Đào Hồng Lan", "LEADER", {"title": "Bộ trưởng"}), ("Bộ Y tế", "ORG")],
         ["Bộ trưởng Bộ Y tế Đào Hồng Lan", "Bộ Y tế Đào Hồng Lan", "Bộ trưởng"]),
    case("office_title_name",
         "Phó Thủ tướng Trần Hồng Hà chủ trì cuộc họp về phòng chống thiên tai.",
         [("Trần Hồng Hà", "LEADER", {"title": "Phó Thủ tướng"})],
         ["Phó Thủ tướng Trần Hồng Hà", "Thủ tướng"]),
    case("honorific_ong",
         "Tại buổi làm việc, ông Nguyễn Văn Nam cho biết kết quả rất khả quan.",
         [("Nguyễn Văn Nam", "LEADER", {"title": "ông"})],
         ["ông Nguyễn Văn Nam"]),
    case("honorific_ba",
         "Phát biểu tại hội thảo, bà Lê Thị Hoa nhấn mạnh vai trò của giáo dục.",
         [("Lê Thị Hoa", "LEADER", {"title": "bà"})],
         ["bà Lê Thị Hoa"]),
    case("honorific_two_people",
         "Ông Lý Văn Khoa và bà Hà Thị Nga trao quà cho học sinh.",
         [("Lý Văn Khoa", "LEADER", {"title": "Ông"}), ("Hà Thị Nga", "LEADER", {"title": "bà"})],
         ["Lý Văn Khoa và bà Hà Thị Nga"]),
    case("title_body_name",
         "Thủ tướng Chính phủ Phạm Minh Chính chủ trì phiên họp thường kỳ.",
         [("Phạm Minh Chính", "LEADER"), ("Chính phủ", "ORG")],
         ["Chính phủ Phạm Minh Chính", "Thủ tướng Chính phủ"]),
    case("title_body_name_assembly",
         "Chủ tịch Quốc hội Trần Thanh Mẫn tiếp đoàn đại biểu cử tri.",
         [("Trần Thanh Mẫn", "LEADER"), ("Quốc hội", "ORG")],
         ["Quốc hội Trần Thanh Mẫn"]),
    case("shared_title_two_names_and",
         "Các Phó Thủ tướng Trần Hồng Hà và Lê Thành Long đã dự phiên họp.",
         [("Trần Hồng Hà", "LEADER", {"title": "Phó Thủ tướng"}), ("Lê Thành Long", "LEADER")],
         ["Trần Hồng Hà và Lê Thành Long"]),
    case("shared_title_two_names_comma",
         "Các Phó Thủ tướng Trần Hồng Hà, Lê Thành Long đã dự phiên họp.",
         [("Trần Hồng Hà", "LEADER"), ("Lê Thành Long", "LEADER")],
         ["Trần Hồng Hà, Lê Thành Long"]),
    case("shared_title_reported_for_second_name",
         "Các Phó Thủ tướng Trần Hồng Hà và Lê Thành Long đã dự phiên họp.",
         [("Lê Thành Long", "LEADER", {"title": "Phó Thủ tướng"})]),
    case("title_country_foreign_name",
         "Chiều 3/2, Tổng thống Pháp Emmanuel Macron đã điện đàm với lãnh đạo Việt Nam.",
         [("Pháp", "PLACE"), ("Emmanuel Macron", "LEADER", {"title": "Tổng thống"}), ("Việt Nam", "PLACE")],
         ["Pháp Emmanuel Macron", "Tổng thống Pháp"]),
    case("title_country_foreign_name_ambassador",
         "Đại sứ Nhật Bản Ito Naoki đã trình quốc thư lên Chủ tịch nước.",
         [("Nhật Bản", "PLACE"), ("Ito Naoki", "LEADER", {"title": "Đại sứ"})],
         ["Nhật Bản Ito Naoki"]),
    case("title_country_khmer_name",
         "Thủ tướng Campuchia Hun Manet tiếp ông Trump tại Phnôm Pênh.",
         [("Campuchia", "PLACE"), ("Hun Manet", "LEADER"), ("Trump", "LEADER", {"title": "ông"}),
          ("Phnôm Pênh", "PLACE")],
         ["Campuchia Hun Manet"]),
    case("surname_only_foreign",
         "Trong cuộc gặp, ông Putin khẳng định quan hệ hai nước rất tốt đẹp.",
         [("Putin", "LEADER", {"title": "ông"})],
         ["ông Putin"]),
    case("bare_vietnamese_name",
         "Đoàn công tác do Nguyễn Văn Hùng dẫn đầu đã đến thăm nhà máy.",
         [("Nguyễn Văn Hùng", "LEADER")]),
    case("bare_vietnamese_name_after_preposition",
         "Theo đánh giá của Phạm Quốc Khánh, thị trường đang phục hồi.",
         [("Phạm Quốc Khánh", "LEADER")]),
    case("bare_vietnamese_name_containing_place_name",
         "Đoàn công tác do Nguyễn Thanh Bình dẫn đầu đã đến thăm nhà máy.",
         [("Nguyễn Thanh Bình", "LEADER")],
         ["Thanh Bình"]),
    case("photo_credit",
         "Ảnh: Trần Hải",
         [("Trần Hải", "LEADER")]),
    case("photo_credit_slash_agency",
         "Ảnh: Trần Hải/TTXVN",
         [("Trần Hải", "LEADER"), ("TTXVN", "ORG")],
         ["Trần Hải/TTXVN"]),
    case("photo_credit_dash_agency",
         "Ảnh: Lê Minh Sơn - TTXVN",
         [("Lê Minh Sơn", "LEADER"), ("TTXVN", "ORG")],
         ["Lê Minh Sơn - TTXVN"]),
    case("caps_name_in_byline_inside_text",
         "Cuối buổi, phóng viên NGUYỄN MINH TUẤN gửi bài từ hiện trường.",
         [("NGUYỄN MINH TUẤN", "LEADER")]),
    case("caps_name_after_credit",
         "Theo phóng viên VŨ THỊ MAI, người dân rất phấn khởi.",
         [("VŨ THỊ MAI", "LEADER")]),
    case("foreign_name_glued_to_verb",
         "Thủ tướng Thái Lan Paetongtarn Shinawatra tiếp Bộ trưởng Ngoại giao Bùi Thanh Sơn.",
         [("Paetongtarn Shinawatra", "LEADER", {"title": "Thủ tướng"}), ("Thái Lan", "PLACE"),
          ("Bùi Thanh Sơn", "LEADER")],
         ["Paetongtarn"]),
    case("foreign_name_with_particles",
         "Chủ tịch Ủy ban châu Âu Ursula von der Leyen thăm Việt Nam.",
         [("Ursula von der Leyen", "LEADER"), ("Ủy ban châu Âu", "ORG")],
         ["Ursula"]),
    case("ambassador_posted_abroad",
         "Đại sứ Việt Nam tại Lào Nguyễn Bá Hùng dự lễ.",
         [("Nguyễn Bá Hùng", "LEADER", {"title": "Đại sứ"}), ("Việt Nam", "PLACE"), ("Lào", "PLACE")]),
    case("person_cut_keeps_the_province_whole",
         "Bí thư Tỉnh ủy Quảng Ninh Vũ Đại Thắng phát biểu.",
         [("Vũ Đại Thắng", "LEADER"), ("Tỉnh ủy Quảng Ninh", "ORG")],
         ["Tỉnh ủy Quảng", "Ninh Vũ Đại Thắng"]),
    case("title_after_the_name",
         "Thượng tướng Phan Văn Giang, Bộ trưởng Bộ Quốc phòng, tiếp đoàn.",
         [("Phan Văn Giang", "LEADER", {"title": "Thượng tướng", "appositive": "Bộ trưởng"}),
          ("Bộ Quốc phòng", "ORG")]),
    case("photo_credit_name_without_known_surname",
         "Lễ khởi công dự án. Ảnh: Gia Chính",
         [("Gia Chính", "LEADER")],
         ["Ảnh: Gia", "Ảnh"]),
    case("photo_credit_after_agency",
         "Các đại biểu tại lễ đón. Ảnh: VGP/Nhật Bắc",
         [("VGP", "ORG"), ("Nhật Bắc", "LEADER")]),
    case("photo_credit_name_that_reads_like_a_place",
         "Cảng Lạch Huyện nhìn từ trên cao. Ảnh: Hoàng Hà",
         [("Hoàng Hà", "LEADER")]),
    case("country_before_bare_foreign_name",
         "Bộ trưởng đã điện đàm với Đại diện Thương mại Hoa Kỳ Jamieson Greer về thuế quan.",
         [("Hoa Kỳ", "PLACE"), ("Jamieson Greer", "LEADER")],
         ["Hoa Kỳ Jamieson Greer"]),
    case("title_prefix_alone_is_no_title",
         "Hai bên thông quan tại cặp cửa khẩu Tân Thanh – Pò Chài từ đầu tháng.",
         [("Tân Thanh", "PLACE"), ("Pò Chài", "PLACE")],
         ["Thanh"]),
    case("title_shared_by_two_names_after_a_body",
         "Tham dự hội đàm có các Ủy viên Bộ Chính trị Thái Kỳ, Vương Nghị.",
         [("Bộ Chính trị", "ORG"), ("Thái Kỳ", "LEADER"), ("Vương Nghị", "LEADER")],
         ["Bộ Chính trị Thái Kỳ"]),
    case("honorific_before_a_given_name_spelled_like_a_country",
         "Ông Đức đề nghị nhà đầu tư đẩy nhanh tiến độ.",
         [("Đức", "LEADER", {"title": "Ông"})],
         ["Ông Đức"]),
    case("name_suffix_keeps_its_dot",
         "Ông hội kiến Tổng thống Philippines Ferdinand Marcos Jr., trao đổi về hợp tác.",
         [("Ferdinand Marcos Jr.", "LEADER", {"title": "Tổng thống"}), ("Philippines", "PLACE")]),
    case("honorific_inside_a_word_is_no_title",
         "Anh khai được một người đàn ông Lào thuê vận chuyển hàng.",
         [("Lào", "PLACE")]),
]

LEADER_CASES += [
    case("country_right_after_a_title_is_the_place",
         "Tổng thống Hàn Quốc đã tới Hà Nội, lãnh đạo Ấn Độ và Pakistan cũng có mặt.",
         [("Hàn Quốc", "PLACE"), ("Ấn Độ", "PLACE"), ("Pakistan", "PLACE")]),
    case("country_after_a_title_then_dash_and_honorific",
         "Thủ tướng Australia - ông Anthony Albanese phát biểu khai mạc.",
         [("Australia", "PLACE"), ("Anthony Albanese", "LEADER", {"title": "ông"})]),
    case("middle_initials_and_name_suffix",
         "Cựu Tổng thống George W. Bush gặp ông Martin L. King, Jr. tại Texas.",
         [("George W. Bush", "LEADER"), ("Martin L. King, Jr.", "LEADER")],
         ["George W", "Jr."]),
    case("body_ending_in_a_tail_word_then_a_person",
         "Cố vấn Hội đồng An ninh quốc gia Kurt Campbell đã tới sân bay.",
         [("Hội đồng An ninh quốc gia", "ORG"), ("Kurt Campbell", "LEADER")]),
    case("body_then_person_then_a_delegation",
         "Thủ tướng Chính phủ Phan Văn Tài và Đoàn đại biểu cấp cao đã tới New Delhi.",
         [("Chính phủ", "ORG"), ("Phan Văn Tài", "LEADER")],
         ["Chính phủ Phan Văn Tài và Đoàn"]),
    case("romanized_korean_name_after_a_body",
         "Bộ trưởng Bộ Chiến lược và Tài chính Choo Min Ho phát biểu.",
         [("Bộ Chiến lược và Tài chính", "ORG"), ("Choo Min Ho", "LEADER")]),
]

LEADER_CASES += [
    case("given_name_alone_after_a_verb_or_a_comma",
         "Phút 70, Văn Hậu chuyền bóng, nếu Quang Hải, Tiến Linh và Công Phượng phối hợp tốt hơn.",
         [("Quang Hải", "LEADER"), ("Tiến Linh", "LEADER"), ("Công Phượng", "LEADER")]),
    case("given_name_after_a_place_word_is_the_place",
         "Người dân thôn Hòa Lộc và ấp Tân Hòa đã về nhà.",
         [("Hòa Lộc", "PLACE"), ("Tân Hòa", "PLACE")]),
    case("initial_keeps_its_dot",
         "Sức khỏe của chị Dương Thị T. đã có tiến triển, bà H. cho biết.",
         [("Dương Thị T.", "LEADER"), ("H.", "LEADER")]),
    case("prefix_before_a_name_is_no_title",
         "Tiền đạo Nguyên Hoàng đã có pha phá bẫy việt vị.",
         [("Nguyên Hoàng", "LEADER", {"title": "Tiền đạo"})]),
]

PLACE_CASES = [
    case("countries",
         "Đoàn đã sang Campuchia và Thái Lan để khảo sát thị trường.",
         [("Campuchia", "PLACE"), ("Thái Lan", "PLACE")]),
    case("country_as_modifier",
         "Doanh nghiệp Lào và nhân dân Lào đánh giá cao sự hỗ trợ.",
         [("Lào", "PLACE")]),
    case("province_after_tinh",
         "Mưa lớn kéo dài tại tỉnh Quảng Trị và tỉnh Hà Tĩnh.",
         [("Quảng Trị", "PLACE"), ("Hà Tĩnh", "PLACE")],
         ["tỉnh Quảng Trị", "tỉnh Hà Tĩnh"]),
    case("capital_after_thu_do",
         "Đoàn công tác đã tới thủ đô Phnôm Pênh vào cuối tuần.",
         [("Phnôm Pênh", "PLACE")],
         ["thủ đô Phnôm Pênh"]),
    case("district_and_commune",
         "Người dân huyện Mường Lát và xã Tam Chung đã được hỗ trợ.",
         [("Mường Lát", "PLACE"), ("Tam Chung", "PLACE")],
         ["huyện Mường Lát", "xã Tam Chung"]),
    case("commune_coordination",
         "Bão đổ bộ vào xã Bình Hiệp và Bình Thanh gây thiệt hại lớn.",
         [("Bình Hiệp", "PLACE"), ("Bình Thanh", "PLACE")],
         ["Bình Hiệp và Bình Thanh", "xã Bình Hiệp"]),
    case("foreign_cities_from_lexicon",
         "Doanh nghiệp đã mở văn phòng tại Bangkok và Tokyo.",
         [("Bangkok", "PLACE"), ("Tokyo", "PLACE")]),
    case("region_southeast_asia",
         "Nhiều nước Đông Nam Á tăng cường hợp tác về năng lượng.",
         [("Đông Nam Á", "PLACE")],
         ["Nam Á"]),
    case("region_capitalized_direction",
         "Mưa lớn gây lũ quét ở Bắc Lào trong nhiều ngày.",
         [("Bắc Lào", "PLACE")],
         ["Lào"]),
    case("region_mien_trung",
         "Nắng nóng kéo dài ở miền Trung trong nhiều ngày.",
         [("miền Trung", "PLACE")],
         ["Trung"]),
    case("lowercase_direction_outside_region",
         "Hạn hán kéo dài ở đông bắc Thái Lan trong mùa khô.",
         [("Thái Lan", "PLACE")],
         ["đông bắc Thái Lan"]),
    case("country_pair_two_places",
         "Hợp tác Việt Nam – Lào ngày càng bền chặt.",
         [("Việt Nam", "PLACE"), ("Lào", "PLACE")],
         ["Việt Nam – Lào"]),
    case("short_form_pair",
         "Quan hệ hữu nghị Việt – Lào được các thế hệ vun đắp.",
         [("Việt", "PLACE", {"canonical": "Việt Nam"}), ("Lào", "PLACE")],
         ["Việt – Lào"]),
    case("language_not_place",
         "Các cán bộ đang học tiếng Lào và tiếng Thái.",
         absent=["Lào", "Thái", "tiếng Lào", "tiếng Thái"]),
    case("anh_hung_not_place",
         "Ông được phong tặng danh hiệu Anh hùng Lao động.",
         absent=["Anh", "Anh hùng", "Anh hùng Lao động", "Lao"]),
    case("border_gate_name_only",
         "Hàng hóa được thông quan qua cửa khẩu Lao Bảo mỗi ngày.",
         [("Lao Bảo", "PLACE")],
         ["cửa khẩu Lao Bảo"]),
    case("border_gate_named_like_bridge",
         "Xe tải xếp hàng dài tại cửa khẩu Cầu Treo.",
         [("Cầu Treo", "PLACE")]),
    case("city_type_word_capitalized_before_a_surname_like_name",
         "Thành phố Hồ Chí Minh và tỉnh Đồng Nai phối hợp triển khai dự án.",
         [("Hồ Chí Minh", "PLACE", {"canonical": "Thành phố Hồ Chí Minh"}), ("Đồng Nai", "PLACE")]),
    case("capitalized_word_before_a_place_is_no_name",
         "Phía Svay Rieng mong muốn học hỏi kinh nghiệm quản lý cửa khẩu.",
         [("Svay Rieng", "PLACE")],
         ["Phía Svay Rieng"]),
    case("type_word_inside_a_word_is_no_trigger",
         "Hai Phó Thủ tướng đã ký Biên bản Kỳ họp lần thứ 48.",
         [],
         ["Kỳ"]),
    case("province_starting_with_an_honorific",
         "Tỉnh Bà Rịa - Vũng Tàu và huyện Cô Tô đón nhiều du khách.",
         [("Bà Rịa - Vũng Tàu", "PLACE"), ("Cô Tô", "PLACE")],
         ["Rịa", "Tô"]),
]

PLACE_CASES += [
    case("street_named_after_a_person",
         "Nước ngập sâu trên đường Lê Văn Lương và phố Hàng Bài.",
         [("Lê Văn Lương", "PLACE"), ("Hàng Bài", "PLACE")]),
    case("short_country_forms_in_a_list",
         "Hàng hóa từ TQ tràn vào VN, cạnh tranh với hàng Mỹ, Nhật và Hàn.",
         [("TQ", "PLACE"), ("Nhật", "PLACE"), ("Hàn", "PLACE"), ("VN", "PLACE")]),
    case("historical_country",
         "Ông từng học tập tại Liên Xô và Tiệp Khắc.",
         [("Liên Xô", "PLACE"), ("Tiệp Khắc", "PLACE")]),
    case("district_named_like_a_bridge",
         "Cư dân quận Cầu Giấy và Cầu Giấy mở rộng.",
         [("Cầu Giấy", "PLACE")], ["quận Cầu Giấy"]),
]

ORG_CASES = [
    case("ministry_full_extent",
         "Bộ Tài nguyên và Môi trường vừa ban hành hướng dẫn mới.",
         [("Bộ Tài nguyên và Môi trường", "ORG")],
         ["Bộ Tài nguyên", "Môi trường"]),
    case("company_with_acronym_in_parentheses",
         "Tập đoàn Điện lực Việt Nam (EVN) cam kết bảo đảm cung ứng điện.",
         [("Tập đoàn Điện lực Việt Nam", "ORG"), ("EVN", "ORG")],
         ["Việt Nam", "Tập đoàn Điện lực Việt Nam (EVN)", "(EVN)"]),
    case("acronym_asean",
         "Việt Nam sẽ đăng cai cuộc họp của ASEAN vào năm tới.",
         [("ASEAN", "ORG"), ("Việt Nam", "PLACE")]),
    case("acronym_wb",
         "Dự án nhận được khoản vay ưu đãi từ WB.",
         [("WB", "ORG")]),
    case("outermost_party_name",
         "Đó là chủ trương lớn của Đảng Cộng sản Việt Nam.",
         [("Đảng Cộng sản Việt Nam", "ORG")],
         ["Việt Nam", "Đảng"]),
    case("outermost_party_organ",
         "Ban Chấp hành Trung ương Đảng Cộng sản Việt Nam đã họp phiên bế mạc.",
         [("Ban Chấp hành Trung ương Đảng Cộng sản Việt Nam", "ORG")],
         ["Việt Nam", "Đảng Cộng sản Việt Nam"]),
    case("party_name_before_lowercase_predicate",
         "Đại hội lần thứ XIV của Đảng Cộng sản Việt Nam thành công tốt đẹp.",
         [("Đảng Cộng sản Việt Nam", "ORG")],
         ["Việt Nam"]),
    case("hai_chinh_phu_not_org",
         "Lãnh đạo hai Chính phủ đã ký kết nhiều văn kiện.",
         absent=["Chính phủ", "hai Chính phủ"]),
    case("moi_chinh_phu_not_org",
         "Mỗi Chính phủ đều có trách nhiệm riêng trong việc thực thi.",
         absent=["Chính phủ", "Mỗi Chính phủ"]),
    case("hai_dang_not_org",
         "Hai Đảng đã trao đổi kinh nghiệm xây dựng tổ chức.",
         absent=["Đảng", "Hai Đảng"]),
    case("event_only_inner_org",
         "Thủ tướng dự Hội nghị Cấp cao ASEAN lần thứ 47 tại Kuala Lumpur.",
         [("ASEAN", "ORG"), ("Kuala Lumpur", "PLACE")],
         ["Hội nghị Cấp cao ASEAN", "Hội nghị Cấp cao", "Hội nghị"]),
    case("foreign_ministry_with_country",
         "Bộ trưởng Bộ Ngoại giao Lào Thongsavanh Phomvihane hội đàm với đoàn.",
         [("Bộ Ngoại giao Lào", "ORG"), ("Thongsavanh Phomvihane", "LEADER", {"title": "Bộ trưởng"})],
         ["Lào"]),
    case("news_agency_expanded",
         "Thông tấn xã Việt Nam (TTXVN) đưa tin về sự kiện.",
         [("Thông tấn xã Việt Nam", "ORG"), ("TTXVN", "ORG")],
         ["Việt Nam"]),
    case("name_glued_to_a_verb_ends_the_org",
         "Tập đoàn Hòa Phát đạt lợi nhuận sau thuế 12.000 tỷ đồng.",
         [("Tập đoàn Hòa Phát", "ORG"), ("12.000 tỷ đồng", "AMOUNT")],
         ["Tập đoàn Hòa Phát đạt"]),
    case("jurisdiction_closes_the_org_before_a_comma",
         "Theo Cục Thống kê tỉnh Thanh Hóa, GRDP 6 tháng tăng 8,5%.",
         [("Cục Thống kê tỉnh Thanh Hóa", "ORG")],
         ["GRDP", "Cục Thống kê tỉnh Thanh Hóa, GRDP 6"]),
    case("listed_full_name_stands_alone",
         "Tổng cục Thuế đề nghị các doanh nghiệp nộp thuế đúng hạn.",
         [("Tổng cục Thuế", "ORG")]),
    case("agency_named_by_its_head_alone",
         "Theo số liệu của Cục Hải quan, xuất khẩu tăng 16%.",
         [("Cục Hải quan", "ORG")]),
    case("regional_party_committee",
         "Đoàn đã hội kiến Bí thư Khu ủy Quảng Tây Trần Cương.",
         [("Khu ủy Quảng Tây", "ORG"), ("Trần Cương", "LEADER", {"title": "Bí thư"})],
         ["Khu", "Quảng Tây"]),
    case("coordinated_ministry_name_with_country",
         "Tỉnh phối hợp với Bộ Kinh tế và Tài chính Campuchia hoàn thiện hạ tầng.",
         [("Bộ Kinh tế và Tài chính Campuchia", "ORG")],
         ["Campuchia"]),
    case("mission_named_with_its_host",
         "Đoàn đã đến thăm Tổng Lãnh sự quán Việt Nam tại Savannakhet và gặp gỡ kiều bào.",
         [("Tổng Lãnh sự quán Việt Nam tại Savannakhet", "ORG")],
         ["Việt Nam", "Savannakhet"]),
    case("outlet_named_by_its_web_address",
         "(Chinhphu.vn) - Sáng 19/12, tại Lào Cai, lễ khởi công đã diễn ra.",
         [("Chinhphu.vn", "ORG"), ("Lào Cai", "PLACE")]),
    case("numbered_units",
         "Tổng công ty 319 và Ban Quản lý dự án 7 thi công gói thầu; công ty 2 năm qua có lãi.",
         [("Tổng công ty 319", "ORG"), ("Ban Quản lý dự án 7", "ORG")]),
    case("hyphenated_company_name",
         "Dự án của Tập đoàn Luxshare-ICT tại khu công nghiệp đã đi vào hoạt động.",
         [("Tập đoàn Luxshare-ICT", "ORG")]),
    case("described_foreign_body_before_its_acronym",
         "Quỹ Hợp tác phát triển kinh tế Hàn Quốc (EDCF) cam kết 300 triệu USD.",
         [("Quỹ Hợp tác phát triển kinh tế Hàn Quốc", "ORG"), ("EDCF", "ORG")],
         ["Hàn Quốc"]),
    case("proper_case_acronym_after_a_body",
         "Chủ tịch Hiệp hội Cà phê Việt Nam (Vicofa) cho biết giá tăng.",
         [("Hiệp hội Cà phê Việt Nam", "ORG"), ("Vicofa", "ORG")]),
    case("country_pair_names_a_body_but_a_forum_is_an_event",
         "Hội Hữu nghị Việt Nam – Lào dự Diễn đàn Doanh nghiệp Việt Nam – Thái Lan.",
         [("Hội Hữu nghị Việt Nam – Lào", "ORG"), ("Thái Lan", "PLACE")],
         ["Diễn đàn Doanh nghiệp Việt Nam – Thái Lan", "Diễn đàn Doanh nghiệp Việt Nam"]),
    case("known_body_after_a_title_keeps_its_name",
         "PGS.TS Đào Xuân Cơ, Giám đốc Bệnh viện Bạch Mai, cho biết bệnh nhân đã ổn định.",
         [("Đào Xuân Cơ", "LEADER"), ("Bệnh viện Bạch Mai", "ORG")],
         ["Bạch Mai"]),
    case("score_after_a_club_is_no_unit_number",
         "Chung cuộc Hà Nội FC 1-0 Thể Công, còn Tổng công ty 319 vẫn thi công.",
         [("Hà Nội FC", "ORG"), ("Tổng công ty 319", "ORG")],
         ["FC 1"]),
    case("known_name_longer_than_the_head_rule",
         "Dự án sẽ được giao cho Tổng Công ty Quản lý bay Việt Nam làm chủ đầu tư.",
         [("Tổng Công ty Quản lý bay Việt Nam", "ORG")],
         ["Việt Nam", "Tổng Công ty Quản lý"]),
]

ORG_CASES += [
    case("head_that_is_a_whole_name_in_lowercase",
         "Cục Đường sắt cho biết, Văn phòng Tổng thống và Hải quan thành phố Bằng Tường đã trao đổi.",
         [("Cục Đường sắt", "ORG"), ("Văn phòng Tổng thống", "ORG"), ("Hải quan thành phố Bằng Tường", "ORG")]),
    case("company_with_a_dashed_acronym_and_english_words",
         "Cổ đông gồm Osaka Gas, Kansai International và Tập đoàn Thành Công Việt Nam - TCVN Group.",
         [("Osaka Gas", "ORG"), ("Kansai International", "ORG"), ("Tập đoàn Thành Công Việt Nam - TCVN Group", "ORG")]),
    case("body_of_a_country_after_nuoc",
         "Kỳ họp của Quốc hội nước Cộng hòa xã hội chủ nghĩa Việt Nam khai mạc tại Nhà Quốc hội, Thủ đô Hà Nội.",
         [("Quốc hội nước Cộng hòa xã hội chủ nghĩa Việt Nam", "ORG"), ("Hà Nội", "PLACE")],
         ["Quốc hội, Thủ đô Hà Nội"]),
    case("formulas_and_words_in_capitals_are_no_acronyms",
         "Nhà máy không phát thải SO2, CO2; TÌNH BẠN - GIA ĐÌNH là chủ đề. ẢNH: TTXVN",
         [("TTXVN", "ORG")], ["SO2", "CO2", "BẠN", "GIA", "ĐÌNH", "ẢNH"]),
    case("age_group_team",
         "U19 Việt Nam đánh bại U19 Mông Cổ với tỷ số 3-0.",
         [("U19 Việt Nam", "ORG"), ("U19 Mông Cổ", "ORG")]),
    case("lowercase_head_before_a_name",
         "Trao đổi với báo Nông Thôn, cô giáo trường Tiểu học Hòa Bình cho biết công ty Minh Phát đã tài trợ.",
         [("báo Nông Thôn", "ORG"), ("trường Tiểu học Hòa Bình", "ORG"), ("công ty Minh Phát", "ORG")]),
]

PROJECT_CASES = [
    case("railway_with_endpoints",
         "Hai bên thống nhất đẩy nhanh đường sắt Hà Nội – Lạng Sơn trong năm nay.",
         [("đường sắt Hà Nội – Lạng Sơn", "PROJECT", {"kind": "railway"})],
         ["Hà Nội", "Lạng Sơn"]),
    case("expressway_keeps_tuyen",
         "Nhà thầu đang thi công tuyến cao tốc Cam Lộ – La Sơn đúng tiến độ.",
         [("tuyến cao tốc Cam Lộ – La Sơn", "PROJECT", {"kind": "expressway"})],
         ["cao tốc Cam Lộ – La Sơn", "Cam Lộ", "La Sơn"]),
    case("du_an_xay_dung_railway_starts_at_tuyen",
         "Dự án xây dựng tuyến đường sắt Biên Hòa – Vũng Tàu được phê duyệt.",
         [("tuyến đường sắt Biên Hòa – Vũng Tàu", "PROJECT", {"kind": "railway"})],
         ["Dự án xây dựng tuyến đường sắt Biên Hòa – Vũng Tàu", "Biên Hòa", "Vũng Tàu"]),
    case("du_an_xay_dung_expressway_starts_at_tuyen",
         "Dự án xây dựng tuyến cao tốc Bắc Giang – Lạng Sơn đã hoàn thành.",
         [("tuyến cao tốc Bắc Giang – Lạng Sơn", "PROJECT", {"kind": "expressway"})],
         ["Dự án xây dựng tuyến cao tốc Bắc Giang – Lạng Sơn", "Bắc Giang"]),
    case("industrial_zone",
         "Nhà đầu tư Nhật Bản đã thuê đất tại khu công nghiệp Phú Mỹ 3.",
         [("khu công nghiệp Phú Mỹ 3", "PROJECT", {"kind": "industrial_zone"}), ("Nhật Bản", "PLACE")],
         ["Phú Mỹ"]),
    case("power_line_with_voltage",
         "Ngành điện đã đóng điện đường dây 500kV Quảng Trạch – Phố Nối.",
         [("đường dây 500kV Quảng Trạch – Phố Nối", "PROJECT", {"kind": "energy"})],
         ["Quảng Trạch", "Phố Nối"]),
    case("port",
         "Đoàn đến huyện Kỳ Anh và thăm cảng Vũng Áng.",
         [("cảng Vũng Áng", "PROJECT", {"kind": "port"}), ("Kỳ Anh", "PLACE")],
         ["Vũng Áng"]),
    case("numbered_legal_document",
         "Chính phủ ban hành Nghị quyết số 12/2024/NQ-CP về phát triển nhà ở.",
         [("Nghị quyết số 12/2024/NQ-CP", "PROJECT", {"kind": "other"}), ("Chính phủ", "ORG")],
         ["NQ-CP", "CP", "2024"]),
    case("named_agreement_with_period",
         "Hai bên ký Thỏa thuận hợp tác thương mại Việt Nam – Thái Lan giai đoạn 2025-2030.",
         [("Thỏa thuận hợp tác thương mại Việt Nam – Thái Lan giai đoạn 2025-2030", "PROJECT",
           {"kind": "agreement"})],
         ["Việt Nam", "Thái Lan", "2025-2030"]),
    case("named_programme_with_period",
         "Hai bên ký Chương trình hợp tác văn hóa 2024–2028 trong chuyến thăm.",
         [("Chương trình hợp tác văn hóa 2024–2028", "PROJECT", {"kind": "programme"})],
         ["2024–2028"]),
    case("named_agreement_with_endpoints_and_period",
         "Hai nước ký Hiệp định hợp tác kinh tế Việt Nam – Campuchia 2025–2030 tại Hà Nội.",
         [("Hiệp định hợp tác kinh tế Việt Nam – Campuchia 2025–2030", "PROJECT", {"kind": "agreement"}),
          ("Hà Nội", "PLACE")],
         ["Việt Nam", "Campuchia"]),
    case("generic_document_head_not_project",
         "Hai bên quán triệt Nghị quyết Đại hội XIV trong toàn ngành.",
         absent=["Nghị quyết Đại hội XIV", "Nghị quyết", "Đại hội XIV"]),
    case("anaphora_not_project",
         "Dự án tuyến đường sắt này sẽ khởi công vào năm sau.",
         absent=["tuyến đường sắt này", "Dự án tuyến đường sắt này", "Dự án"]),
    case("road_with_number_keeps_its_noun",
         "Hai địa phương phối hợp triển khai đường Vành đai 3.",
         [("đường Vành đai 3", "PROJECT", {"kind": "expressway"})]),
    case("agreement_name_with_capitalized_words_and_va",
         "Hiệp định Đối tác Toàn diện và Tiến bộ xuyên Thái Bình Dương (CPTPP) có hiệu lực từ năm 2019.",
         [("Hiệp định Đối tác Toàn diện và Tiến bộ xuyên Thái Bình Dương", "PROJECT", {"kind": "agreement"}),
          ("CPTPP", "PROJECT", {"kind": "agreement"})],
         ["Thái Bình Dương"]),
    case("acronym_after_a_company_named_like_a_project_stays_org",
         "Tổng công ty Cảng hàng không Việt Nam (ACV) cho biết dự án đạt 60%.",
         [("Tổng công ty Cảng hàng không Việt Nam", "ORG"), ("ACV", "ORG")]),
    case("economics_acronym_is_not_a_project_name",
         "Tỉnh thu hút thêm 3 dự án FDI với tổng vốn 2,5 tỷ USD.",
         [("2,5 tỷ USD", "AMOUNT")],
         ["dự án FDI"]),
    case("lowercase_airport_and_reservoir",
         "Theo Nghị quyết của Quốc hội, sân bay Long Thành và hồ chứa nước Ia Thul được đầu tư.",
         [("sân bay Long Thành", "PROJECT", {"kind": "other"}), ("hồ chứa nước Ia Thul", "PROJECT")],
         ["Long Thành", "Ia Thul"]),
    case("head_inside_a_word_is_no_head",
         "Nhu cầu Việt Nam về năng lượng tăng nhanh.",
         [("Việt Nam", "PLACE")],
         ["cầu Việt Nam"]),
    case("measure_is_not_a_project_number",
         "Tuyến cao tốc dài khoảng 128 km, còn 12 dự án Hàn Quốc đang chờ cấp phép.",
         [("Hàn Quốc", "PLACE")],
         ["Tuyến cao tốc dài khoảng 128", "dự án Hàn Quốc"]),
    case("plan_with_its_province_and_period",
         "Tỉnh triển khai Quy hoạch tỉnh Nghệ An thời kỳ 2021-2030, tầm nhìn đến năm 2050.",
         [("Quy hoạch tỉnh Nghệ An thời kỳ 2021-2030, tầm nhìn đến năm 2050", "PROJECT", {"kind": "programme"})],
         ["Nghệ An", "năm 2050"]),
    case("high_speed_railway_on_its_axis_and_side",
         "Nhật Bản hỗ trợ đường sắt tốc độ cao trên trục Bắc – Nam và cao tốc Bắc – Nam phía Đông.",
         [("đường sắt tốc độ cao trên trục Bắc – Nam", "PROJECT", {"kind": "railway"}),
          ("cao tốc Bắc – Nam phía Đông", "PROJECT", {"kind": "expressway"})]),
    case("agreement_acronym",
         "Hiệp định Thương mại tự do Việt Nam – EU (EVFTA) sau 5 năm thực thi.",
         [("EVFTA", "PROJECT", {"kind": "agreement"})]),
    case("port_area_is_no_port",
         "Hàng hóa đi từ Phnom Penh tới các cảng biển khu vực Đông Nam Bộ.",
         [("Đông Nam Bộ", "PLACE")],
         ["cảng biển khu vực Đông Nam Bộ"]),
    case("code_of_conduct_with_its_sea_and_acronym",
         "Các bên hướng tới sớm hoàn tất Bộ Quy tắc ứng xử ở Biển Đông (COC) theo luật pháp quốc tế.",
         [("Bộ Quy tắc ứng xử ở Biển Đông", "PROJECT", {"kind": "agreement"}), ("COC", "PROJECT")],
         ["Biển Đông", "Bộ Quy tắc"]),
    case("year_of_exchange_programme",
         "Hai bên phát động Năm Giao lưu nhân văn Việt Nam – Trung Quốc 2025 tại Hà Nội.",
         [("Năm Giao lưu nhân văn Việt Nam – Trung Quốc 2025", "PROJECT", {"kind": "programme"})],
         ["2025", "Trung Quốc"]),
]

LEADER_CASES += [
    case("known_place_or_school_after_a_title_is_no_person",
         "Hiệu trưởng Trường Lương Thế Vinh, giáo viên Trường THCS Chu Văn An, một nông dân New York và "
         "Chủ tịch UBND xã Thái Sơn cùng dự; Chủ tịch Hồ Chí Minh và Chủ tịch UBND tỉnh Hồ Quang Bửu được nhắc tới.",
         [("Trường Lương Thế Vinh", "ORG"), ("Trường THCS Chu Văn An", "ORG"), ("New York", "PLACE"),
          ("UBND xã Thái Sơn", "ORG"), ("Hồ Chí Minh", "LEADER"), ("Hồ Quang Bửu", "LEADER")],
         ["Lương Thế Vinh", "Chu Văn An", "Thái Sơn"]),
    case("country_then_a_name_of_no_known_shape",
         "Ngoại trưởng Triều Tiên Ri Yong Ho phát biểu.",
         [("Ri Yong Ho", "LEADER", {"country": "Triều Tiên"})]),
    case("capitalized_form_of_address_mid_sentence_starts_a_name",
         "Đội hình xuất phát có Tấn Tài, Hoài Nam, Anh Đức và Tiến Linh.",
         [("Anh Đức", "LEADER"), ("Tiến Linh", "LEADER")], ["Đức"]),
    case("english_titles_and_credits_are_no_persons",
         "Cô từng thi The Face và xem Gossip Girl. (Nguồn Internet)",
         [], ["The Face", "Nguồn Internet"]),
    case("unaccented_vietnamese_name",
         "Bạn đọc Nguyen Van Tin ủng hộ 500.000 đồng.",
         [("Nguyen Van Tin", "LEADER")]),
]
PLACE_CASES += [
    case("village_named_like_a_known_place",
         "Lễ hội Xăng Khan diễn ra ở thôn Viên Khê, trò Xuân Phả rất vui.",
         [("Viên Khê", "PLACE")], ["Xăng Khan", "Xuân Phả", "Viên"]),
    case("abbreviated_units_in_an_address",
         "Hồ sơ nộp tại UBND H.Phú Vang; bà ngụ P.Tân Định, Q.Bình Thạnh; Công an TP.HCM cho biết.",
         [("UBND H.Phú Vang", "ORG"), ("Tân Định", "PLACE"), ("Bình Thạnh", "PLACE"), ("Công an TP.HCM", "ORG")],
         ["Q", "UBND H"]),
    case("pronoun_anh_opening_a_clause_is_no_country",
         "Anh có một gia đình hạnh phúc. Anh và Pháp đã đồng ý, còn cô sống tại Anh.",
         [("Pháp", "PLACE")]),
    case("bare_name_after_a_preposition_of_place",
         "Quân đội rút khỏi Khe Sanh, lễ hội diễn ra tại Sunset Bar.",
         [("Khe Sanh", "PLACE"), ("Sunset Bar", "PLACE")]),
    case("commune_named_by_its_officer_title",
         "Ông Tiến, Chủ tịch xã Xuân Ninh, cho biết.",
         [("Xuân Ninh", "PLACE"), ("Tiến", "LEADER")]),
]
ORG_CASES += [
    case("camel_case_brand_is_a_company",
         "Đại án OceanBank liên quan DongA Bank, còn iPhone có FaceID.",
         [("OceanBank", "ORG"), ("DongA Bank", "ORG")], ["FaceID"]),
    case("city_named_as_a_side_in_a_match_report",
         "Chủ nhà Bình Dương thắng Quảng Nam 2-0 ở vòng đấu V.League. Tiền đạo Anh Đức ghi bàn ở hiệp hai, "
         "HLV rất hài lòng; cầu thủ này sinh ra ở tỉnh Bình Dương.",
         [("Bình Dương", "ORG"), ("Quảng Nam", "ORG"), ("Bình Dương", "PLACE"), ("Anh Đức", "LEADER")]),
    case("acronym_named_by_its_country_or_province",
         "LĐBĐ Việt Nam và LĐLĐ tỉnh Quảng Nam thông báo; HĐXX tuyên án.",
         [("LĐBĐ Việt Nam", "ORG"), ("LĐLĐ tỉnh Quảng Nam", "ORG")], ["HĐXX"]),
]

PROJECT_CASES += [
    case("du_an_stays_outside_the_project",
         "Khi hoàn thiện, dự án Nhà máy điện gió Hòa Thắng sẽ phát điện.",
         [("Nhà máy điện gió Hòa Thắng", "PROJECT")], ["dự án Nhà máy điện gió Hòa Thắng"]),
    case("bridge_with_endpoints_and_ordinal",
         "Hai nước thúc đẩy xây dựng Cầu Hữu nghị Nong Khai-Vientiane thứ hai.",
         [("Cầu Hữu nghị Nong Khai-Vientiane thứ hai", "PROJECT")]),
    case("document_with_what_it_is_about",
         "Việt Nam ký Công ước Liên hợp quốc về chống tội phạm mạng (Công ước Hà Nội).",
         [("Công ước Liên hợp quốc về chống tội phạm mạng", "PROJECT")]),
    case("acronym_keeps_the_label_it_was_defined_with",
         "Sân bay quốc tế Long Hải (LHA) sẽ khánh thành. LHA có công suất 10 triệu khách.",
         [("LHA", "PROJECT")]),
]

HEADING_CASES = [
    pytest.param("heading_title_name_places",
                 "THỦ TƯỚNG PHẠM MINH CHÍNH THĂM CHÍNH THỨC LÀO VÀ CAMPUCHIA",
                 ["LÀO", "CAMPUCHIA"], id="heading_title_name_places"),
    pytest.param("heading_project_words",
                 "VIỆT NAM VÀ NHẬT BẢN KÝ HIỆP ĐỊNH HỢP TÁC ĐƯỜNG SẮT HÀ NỘI – HẢI PHÒNG",
                 ["VIỆT NAM", "NHẬT BẢN", "ĐƯỜNG SẮT HÀ NỘI – HẢI PHÒNG"], id="heading_project_words"),
    pytest.param("heading_project_and_regions",
                 "KHỞI CÔNG CAO TỐC GIA NGHĨA – CHƠN THÀNH NỐI TÂY NGUYÊN VỚI ĐÔNG NAM BỘ",
                 ["CAO TỐC GIA NGHĨA – CHƠN THÀNH", "TÂY NGUYÊN", "ĐÔNG NAM BỘ"], id="heading_project_and_regions"),
    pytest.param("heading_minister_province",
                 "BỘ TRƯỞNG NGUYỄN VĂN THẮNG LÀM VIỆC VỚI TỈNH HÀ TĨNH",
                 ["HÀ TĨNH"], id="heading_minister_province"),
]
HEADING_BODY = "Chuyến công tác diễn ra trong hai ngày."

ALL_CASES = LEADER_CASES + PLACE_CASES + ORG_CASES + PROJECT_CASES


@pytest.fixture(scope="module")
def mentions_by_doc() -> dict[str, pd.DataFrame]:
    texts = {p.values[0]: p.values[1] for p in ALL_CASES}
    texts |= {p.values[0]: f"{p.values[1]}\n{HEADING_BODY}" for p in HEADING_CASES}
    tables = run_dated_texts(texts, DOC_DATE)
    mentions = tables["mentions"]
    doc_text = dict(zip(tables["documents"].doc_id, tables["documents"].text))
    assert all(doc_text[r.doc_id][r.start:r.end] == r.text for r in mentions.itertuples())
    return {doc_id: mentions[mentions.doc_id == doc_id] for doc_id in texts}


def _attrs(row) -> dict:
    attrs = json.loads(row.attrs) if isinstance(row.attrs, str) else dict(row.attrs or {})
    if isinstance(row.title, str):
        attrs["title"] = row.title
    return attrs


def _check(mentions: pd.DataFrame, sentence: str, present, absent) -> None:
    found = [(r.text, r.label, _attrs(r)) for r in mentions.itertuples()]
    summary = [(t, lab) for t, lab, _ in found]
    for expected in present:
        surface, label = expected[:2]
        want = expected[2] if len(expected) > 2 else {}
        hits = [a for t, lab, a in found if t == surface and lab == label]
        assert hits, f"{label} {surface!r} missing in {sentence!r}; got {summary}"
        assert any(all(a.get(k) == v for k, v in want.items()) for a in hits), \
            f"{label} {surface!r} lacks {want} in {sentence!r}; got {[a for a in hits]}"
    for surface in absent:
        assert surface not in [t for t, _, _ in found], f"{surface!r} must not be tagged in {sentence!r}; got {summary}"


@pytest.mark.parametrize("case_id, sentence, present, absent", LEADER_CASES)
def test_leader(mentions_by_doc, case_id, sentence, present, absent):
    _check(mentions_by_doc[case_id], sentence, present, absent)


@pytest.mark.parametrize("case_id, sentence, present, absent", PLACE_CASES)
def test_place(mentions_by_doc, case_id, sentence, present, absent):
    _check(mentions_by_doc[case_id], sentence, present, absent)


@pytest.mark.parametrize("case_id, sentence, present, absent", ORG_CASES)
def test_org(mentions_by_doc, case_id, sentence, present, absent):
    _check(mentions_by_doc[case_id], sentence, present, absent)


@pytest.mark.parametrize("case_id, sentence, present, absent", PROJECT_CASES)
def test_project(mentions_by_doc, case_id, sentence, present, absent):
    _check(mentions_by_doc[case_id], sentence, present, absent)


@pytest.mark.parametrize("case_id, heading, places", HEADING_CASES)
def test_all_caps_heading_only_known_places(mentions_by_doc, case_id, heading, places):
    """Headings give only known places, and projects named by known places: no shape-based guesses."""
    in_heading = mentions_by_doc[case_id]
    in_heading = in_heading[in_heading.end <= len(heading)]
    assert set(in_heading.label) <= {"PLACE", "PROJECT"}, in_heading[["text", "label"]].values.tolist()
    assert sorted(in_heading.text) == sorted(places)


def test_given_name_after_a_form_of_address_is_found_again_bare():
    """ "anh Cường" … "Cường bảo": the bare given name later in the article is the same person."""
    text = "Anh Cường đã về quê. Cường bảo rằng chị Lụa vẫn khỏe, còn Lụa thì bận."
    mentions = run_dated_texts({"d": text}, DOC_DATE)["mentions"]
    leaders = mentions[mentions.label == "LEADER"]
    assert leaders.text.tolist() == ["Cường", "Cường", "Lụa", "Lụa"]
    assert leaders.source.tolist() == ["titled_person", "propagated", "titled_person", "propagated"]

