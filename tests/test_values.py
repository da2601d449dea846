"""Tests for pipeline.values: number, money, year and date parsing, and span finding in Vietnamese text."""
from __future__ import annotations

import calendar
import datetime
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.values import Amount, ValueSpan, find_values, parse_amount, parse_date, parse_number, parse_year

# ------------------------------------------------------------------------------------------- numbers


@pytest.mark.parametrize("text, expected", [
    ("1.500", 1500.0),                 # dot groups thousands
    ("1,5", 1.5),                      # comma is the decimal mark
    ("1.250,75", 1250.75),
    ("596,90", 596.9),
    ("1100", 1100.0),
    ("300.000", 300000.0),
    ("2.045", 2045.0),
    ("6.1", 6.1),                      # a dot before 1-2 digits can only be a decimal
    ("1,500,000", 1500000.0),          # English grouping, unambiguous with two commas
    ("năm", 5.0),
    ("mười hai", 12.0),
    ("một trăm", 100.0),
    ("hai mươi lăm", 25.0),
    ("hai mươi mốt", 21.0),
    ("một trăm linh năm", 105.0),
    ("hai nghìn không trăm hai mươi tư", 2024.0),
    ("một triệu rưỡi", 1500000.0),
    ("1,5 nghìn tỷ", 1.5e12),
    ("5 tỷ 300 triệu", 5.3e9),
    ("3 trăm triệu", 3e8),
    ("500k", 500000.0),
])
def test_parse_number(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "2020 5", "1.2.3,4,5", "5%", "hai ba", "tỷ lệ", "triệu", "5-7"])
def test_parse_number_rejects(text):
    assert parse_number(text) is None


# ------------------------------------------------------------------------------------------- amounts


@pytest.mark.parametrize("text, value, currency, value_max", [
    ("5 tỷ USD", 5e9, "USD", None),
    ("1.250 tỷ đồng", 1.25e12, "VND", None),
    ("2,5 tỉ USD", 2.5e9, "USD", None),
    ("5,47 tỉ USD", 5.47e9, "USD", None),
    ("300.000 tỷ đồng", 3e14, "VND", None),
    ("1,5 nghìn tỷ đồng", 1.5e12, "VND", None),
    ("năm tỷ đồng", 5e9, "VND", None),
    ("8.868 kip Lào", 8868.0, "LAK", None),
    ("596,90 kip", 596.9, "LAK", None),
    ("1 baht Thái", 1.0, "THB", None),
    ("27.000-32.000 USD", 27000.0, "USD", 32000.0),
    ("5-7 triệu USD", 5e6, "USD", 7e6),
    ("20 triệu đô la", 2e7, "USD", None),
    ("100 triệu nhân dân tệ", 1e8, "CNY", None),
    ("3 triệu euro", 3e6, "EUR", None),
    ("1100 tỷ đồng", 1.1e12, "VND", None),
    ("500.000đ", 5e5, "VND", None),
    ("2 triệu đô la Singapore", 2e6, "SGD", None),
    ("$5 triệu", 5e6, "USD", None),
    ("một triệu rưỡi đồng", 1.5e6, "VND", None),
])
def test_parse_amount(text, value, currency, value_max):
    assert parse_amount(text) == Amount(value, currency, value_max)


def test_parse_amount_qualifier():
    assert parse_amount("hơn 1,5 tỉ USD").qualifier == "hơn"
    assert parse_amount("5 tỷ USD", qualifier="khoảng") == Amount(5e9, "USD", None, "khoảng")


@pytest.mark.parametrize("text", ["30%", "5.000 tấn", "120 km", "500 ha", "2030 MW", "3 đồng chí",
                                  "5 triệu đồng bào", "10 đô thị", "bão số 3", "hai đồng", "5 tỷ"])
def test_parse_amount_rejects(text):
    assert parse_amount(text) is None


# --------------------------------------------------------------------------------------------- years


@pytest.mark.parametrize("text, expected", [
    ("năm 2045", (2045, 2045)),
    ("2026-2030", (2026, 2030)),
    ("2022–2027", (2022, 2027)),
    ("2015 - 2020", (2015, 2020)),
    ("giai đoạn 2026 – 2030", (2026, 2030)),
    ("năm 2021-2025", (2021, 2025)),
    ("2024—2025", (2024, 2025)),
    ("2021-25", (2021, 2025)),
    ("2055", (2055, 2055)),
])
def test_parse_year(text, expected):
    assert parse_year(text) == expected


@pytest.mark.parametrize("text", ["50 năm", "năm nay", "2030 MW", "2.045 tỷ", "81/2023/QH15", "2030-2020"])
def test_parse_year_rejects(text):
    assert parse_year(text) is None


# --------------------------------------------------------------------------------------------- dates


@pytest.mark.parametrize("text, doc_date, expected", [
    ("5/2", "2026-02-05", "2026-02-05"),
    ("ngày 5/2/2026", None, "2026-02-05"),
    ("tháng 12/2025", None, "2025-12"),
    ("28/07/2024", None, "2024-07-28"),
    ("ngày 22-06-2023", None, "2023-06-22"),
    ("ngày 5 tháng 2 năm 2026", None, "2026-02-05"),
    ("tháng 3 năm 2024", None, "2024-03"),
    ("Ngày 14/1", "2026-01-14", "2026-01-14"),
    ("tháng 8", "2024-07-09", "2024-08"),
    ("29/2/2024", None, "2024-02-29"),
    ("5/2", None, None),               # no year anywhere
    ("31/2", "2026-01-01", None),
    ("29/2/2023", None, None),
    ("13/13", "2026-01-01", None),
    ("ngày 8", "2026-01-01", None),    # a bare day has no month
])
def test_parse_date(text, doc_date, expected):
    assert parse_date(text, doc_date) == expected


# ---------------------------------------------------------------------------------------- find_values


def spans(text, doc_date="2026-02-05"):
    return [(text[v.start:v.end], v.label) for v in find_values(text, doc_date)]


@pytest.mark.parametrize("text, expected", [
    ("Tổng kim ngạch dự kiến đạt hơn 1,5 tỉ USD.", [("1,5 tỉ USD", "AMOUNT")]),
    ("tổng mức đầu tư gần 300.000 tỷ đồng", [("300.000 tỷ đồng", "AMOUNT")]),
    ("ở mức 8.868 kip Lào đổi 1 USD và 300 kip đổi 1 baht",
     [("8.868 kip Lào", "AMOUNT"), ("1 USD", "AMOUNT"), ("300 kip", "AMOUNT"), ("1 baht", "AMOUNT")]),
    ("GDP bình quân đạt khoảng 27.000-32.000 USD, tỷ lệ đô thị hóa đạt 70-75%",
     [("27.000-32.000 USD", "AMOUNT")]),
    ("tăng 30%, sản lượng 5.000 tấn, dài 120 km, rộng 500 ha, công suất 600MW, tàu 50.000 DWT", []),
    ("bị tác động trực tiếp bão số 3", []),
    ("có 3 đồng chí lãnh đạo", []),
    ("nhà thầu thi công 3 ca, 4 kíp để kịp tiến độ", []),
    ("Nghị quyết số 81/2023/QH15 về Quy hoạch", []),
    ("Quyết định số 26/QĐ-BXD ngày 9/1/2026", [("ngày 9/1/2026", "DATE")]),
    ("sau 40 năm đổi mới và 50 năm Quốc khánh", []),
    ("nhiệm kỳ Đại hội XIV, khóa XII", []),
    ("đầu năm nay và năm ngoái", []),
    ("tầm nhìn đến năm 2045", [("năm 2045", "YEAR")]),
    ("giai đoạn 2026 – 2030", [("2026 – 2030", "YEAR")]),
    ("Giai đoạn 2015 - 2020, kinh tế tăng", [("2015 - 2020", "YEAR")]),
    ("kế hoạch 5 năm 2021-2025", [("2021-2025", "YEAR")]),
    ("Chủ tịch ASEAN 2024 Sonexay Siphandone", [("2024", "YEAR")]),
    ("hoàn thành trước Tết Nguyên đán 2026.", [("2026", "YEAR")]),
    ("Hơn 2000 doanh nghiệp, trong 1990 ngày", []),
    ("các năm 2021, 2022 và 2023", [("năm 2021", "YEAR"), ("2022", "YEAR"), ("2023", "YEAR")]),
    ("nhà máy 2030 MW và 2.045 tỷ đồng", [("2.045 tỷ đồng", "AMOUNT")]),
    ("Mỗi năm 2000 người đến đây", []),
    ("sáng 5/2, tại Thủ đô", [("5/2", "DATE")]),
    ("Chiều nay (12/12), Thủ tướng", [("12/12", "DATE")]),
    ("28/07/2024 07:30", [("28/07/2024", "DATE")]),
    ("10:00, 24/01/2025", [("24/01/2025", "DATE")]),
    ("15:39, ngày 22-06-2023", [("ngày 22-06-2023", "DATE")]),
    ("trong tháng 12/2025, cũng như", [("tháng 12/2025", "DATE")]),
    ("GRDP 6 tháng đầu năm 2024 tăng 2,7%", [("năm 2024", "YEAR")]),
    ("từ ngày 8 đến ngày 11/10/2024 theo lời mời", [("ngày 8", "DATE"), ("ngày 11/10/2024", "DATE")]),
    ("từ ngày 11- 12/12 theo lời mời", [("ngày 11", "DATE"), ("12/12", "DATE")]),
    ("chiếm 1/3 dân số và 3/4 số hộ", []),
    ("hoạt động 24/7, ở số 12/3 đường Lê Lợi", []),
    ("Thứ 2, 5/2", [("5/2", "DATE")]),
    ("mỗi tháng 2 lần, 6 tháng 1 lần", []),
    ("ngày 31/2 và 13/13", []),
    ("(TTXVN) - Ngày 10-9, Tổng thống", [("Ngày 10-9", "DATE")]),
    ("vào lúc 22h40, ngày 30-7, giờ địa phương", [("ngày 30-7", "DATE")]),
    ("Sáng 3.11, Chủ tịch nước", [("3.11", "DATE")]),
    ("diễn ra từ 14.5 đến 16.5 tại Hà Nội", [("14.5", "DATE"), ("16.5", "DATE")]),
    ("lễ kỷ niệm Quốc khánh 2-9 và đường 4-6 làn xe", []),
    ("lãi suất tăng từ 4.5 đến 5.5 triệu", []),
])
def test_find_values_spans(text, expected):
    assert spans(text) == expected


def money(value, currency, value_max=None, qualifier=None):
    return {"value": value, "currency": currency, "value_max": value_max, "qualifier": qualifier}


@pytest.mark.parametrize("text, doc_date, norms", [
    ("từ ngày 8 đến ngày 11/10/2024", None, [{"date": "2024-10-08"}, {"date": "2024-10-11"}]),
    ("từ ngày 11- 12/12", "2023-12-12", [{"date": "2023-12-11"}, {"date": "2023-12-12"}]),
    ("từ 20/12 đến 5/1/2025", None, [{"date": "2024-12-20"}, {"date": "2025-01-05"}]),
    ("Sáng 6/1, Thủ tướng", "2024-01-06", [{"date": "2024-01-06"}]),
    ("sáng 5/2", None, [{"date": None}]),
    ("giai đoạn 2031-2050", None, [{"year_start": 2031, "year_end": 2050}]),
    ("đạt hơn 1,5 tỉ USD", None, [money(1.5e9, "USD", qualifier="hơn")]),
    ("lên tới trên 24.000 kip", None, [money(24000.0, "LAK", qualifier="trên")]),
    ("khoảng 5-7 triệu USD", None, [money(5e6, "USD", 7e6, "khoảng")]),
    ("tổng vốn 1100 tỷ đồng", None, [money(1.1e12, "VND")]),
])
def test_find_values_norms(text, doc_date, norms):
    assert [v.norm for v in find_values(text, doc_date)] == norms


def test_value_span_is_the_interface():
    span = find_values("năm 2045")[0]
    assert span == ValueSpan(0, 8, "YEAR", {"year_start": 2045, "year_end": 2045})


# ------------------------------------------------------------------------------------ property tests

_SCALES = [("nghìn", 1e3), ("ngàn", 1e3), ("triệu", 1e6), ("tỷ", 1e9), ("tỉ", 1e9), ("nghìn tỷ", 1e12)]
_CURRENCIES = [("USD", "USD"), ("đồng", "VND"), ("kip", "LAK"), ("baht", "THB"), ("euro", "EUR"),
               ("nhân dân tệ", "CNY"), ("yên", "JPY")]


def vn_thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@given(st.integers(min_value=0, max_value=10**15))
def test_dot_thousands_round_trip(n):
    assert parse_number(vn_thousands(n)) == n


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=99))
def test_comma_decimal_round_trip(whole, cents):
    assert parse_number(f"{vn_thousands(whole)},{cents:02d}") == pytest.approx(whole + cents / 100)


@given(st.integers(min_value=1, max_value=999_999), st.sampled_from(_SCALES), st.sampled_from(_CURRENCIES))
def test_amount_is_number_times_scale(n, scale, currency):
    amount = parse_amount(f"{vn_thousands(n)} {scale[0]} {currency[0]}")
    assert amount.currency == currency[1]
    assert amount.value == pytest.approx(n * scale[1], rel=1e-12)


@given(st.integers(min_value=1900, max_value=2099), st.integers(min_value=1, max_value=100),
       st.sampled_from(["-", "–", "—", " - ", " – "]))
def test_year_range_round_trip(first, length, dash):
    last = min(first + length, 2100)
    assert parse_year(f"{first}{dash}{last}") == (first, last)


@given(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_date_round_trip(day):
    assert parse_date(f"ngày {day.day}/{day.month}/{day.year}", None) == day.isoformat()
    assert parse_date(f"{day.day:02d}/{day.month:02d}", f"{day.year}-06-01") == day.isoformat()


@given(st.integers(min_value=1900, max_value=2100), st.integers(min_value=1, max_value=12))
def test_day_past_month_end_is_no_date(year, month):
    assert parse_date(f"{calendar.monthrange(year, month)[1] + 1}/{month}/{year}", None) is None


_FRAGMENTS = ["theo", "hơn", "khoảng", "5 tỷ USD", "1.250 tỷ đồng", "27.000-32.000 USD", "năm 2045",
              "2026-2030", "giai đoạn", "ngày 5/2/2026", "sáng 5/2", "tháng 12/2025", "30%", "50 năm",
              "từ ngày 8 đến ngày 11/10/2024", "81/2023/QH15", "đến", "2030", "ASEAN", "Lào", "3 đồng chí",
              "1/3 dân số", ",", ".", "(", ")", "và", "–", "-", "8.868 kip Lào", "12", "tháng", "năm", "ngày",
              "đồng", "tỷ", "USD", "\n"]
_SENTENCES = st.lists(st.sampled_from(_FRAGMENTS), max_size=25).map(lambda parts: "theo " + " ".join(parts))


@settings(max_examples=150)
@given(_SENTENCES)
def test_spans_sorted_non_overlapping(text):
    found = find_values(text, "2026-02-05")
    for span in found:
        assert span.start < span.end and text[span.start:span.end].strip() == text[span.start:span.end]
        assert span.label in ("AMOUNT", "YEAR", "DATE")
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))


_ASCII_PROSE = st.text(alphabet=string.ascii_letters + string.digits + string.punctuation + " ", max_size=40)


@settings(max_examples=150)
@given(_SENTENCES, _ASCII_PROSE)
def test_offsets_shift_with_a_prefix(text, prose):
    prefix, doc_date = prose + " ", "2026-02-05"
    alone = [(v.start, v.end, v.label, v.norm) for v in find_values(text, doc_date)]
    shifted = [(v.start - len(prefix), v.end - len(prefix), v.label, v.norm)
               for v in find_values(prefix + text, doc_date) if v.start >= len(prefix)]
    assert shifted == alone


@settings(max_examples=200)
@given(st.text(alphabet=st.sampled_from("0123456789 ./-–,:%()năm tháng ngày tỷ triệu USD đồng"),
               max_size=60),
       st.sampled_from([None, "2026-02-05", "not a date"]))
def test_any_text_gives_valid_spans(text, doc_date):
    found = find_values(text, doc_date)
    assert all(0 <= a.start < a.end <= len(text) for a in found)
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))
    for span in found:
        if span.label == "DATE" and span.norm["date"]:
            iso = span.norm["date"]
            datetime.date.fromisoformat(iso if len(iso) == 10 else iso + "-01")  # raises if not a real date


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["ngày", "mùng", "tháng", "năm", "giai đoạn", "đến", "từ", "/", "-", ".", ",", " ",
                                 "sáng", "hai", "ba", "mười", "tỷ", "đồng", "USD", "Hà Nội", "IV", "–"]), max_size=14)
       .map("".join))
def test_text_without_digits_has_no_date_or_year(text):
    """`find_values` skips the date and year parsers when no digit is written: they must find nothing there."""
    from pipeline.values import _dates, _years

    assert _dates(text, 2025) == [] and _years(text, []) == []
