"""Money amounts, years and dates in Vietnamese news: parse them, and find their spans in a sentence.

Pure functions: the only state is compiled regexes and the currency lexicon
(`resources/currencies.tsv`), loaded once. Span boundaries follow ANNOTATION.md: hedges ("hơn",
"khoảng") stay outside an AMOUNT, a written "năm" is inside a YEAR, a written "ngày"/"tháng" is inside
a DATE but "sáng"/"chiều" are not.

>>> text = "Sáng 5/2, hai bên đặt mục tiêu hơn 10 tỷ USD đến năm 2030."
>>> [(text[v.start:v.end], v.label) for v in find_values(text, "2026-02-05")]
[('5/2', 'DATE'), ('10 tỷ USD', 'AMOUNT'), ('năm 2030', 'YEAR')]
"""
from __future__ import annotations

import calendar
import functools
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources

from .text import DASH_CHARS, DASH_CLASS, DASHES

# ------------------------------------------------------------------------------------------- numbers

_DIGIT_WORDS = {"không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5,
                "nhăm": 5, "sáu": 6, "bảy": 7, "bẩy": 7, "tám": 8, "chín": 9}
_SCALES = {"nghìn": 10**3, "ngàn": 10**3, "k": 10**3, "triệu": 10**6, "tr": 10**6, "tỷ": 10**9, "tỉ": 10**9}
# Words a spelled-out number may start with ("tư", "lăm", "mốt" only follow "mươi"/"mười").
_WORD_STARTS = ("một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "bẩy", "tám", "chín", "mười")
_WORDS_INSIDE = (*_DIGIT_WORDS, "mười", "mươi", "chục", "trăm", "linh", "lẻ", "rưỡi", "nghìn", "ngàn",
                 "triệu", "tỷ", "tỉ")
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+")
_GROUPED = re.compile(r"\d{1,3}(?:[.,]\d{3})*")

_SP = r"[^\S\n]"  # horizontal whitespace: a value never spans a line break
_DASH = DASH_CLASS
_CLAUSE_MARKS = ".!?:;\"“(" + DASH_CHARS  # a capital after these starts a clause
_NUMBER = r"\d+(?:[.,]\d+)*"
_SCALE = r"(?:nghìn|ngàn|triệu|tỷ|tỉ|trăm|chục|rưỡi|tr|k)(?!\w)"
# "5 tỷ 300 triệu": only a number followed by a scale word may be followed by another number.
_DIGITAL = rf"(?:{_NUMBER}{_SP}*{_SCALE}(?:{_SP}*{_SCALE})*{_SP}+)*{_NUMBER}(?:{_SP}*{_SCALE})*"
_SPELLED = (rf"(?<!\w)(?:{'|'.join(_WORD_STARTS)})(?!\w)"
            rf"(?:{_SP}+(?:{'|'.join(sorted(_WORDS_INSIDE, key=len, reverse=True))})(?!\w))*")
_QUANTITY = rf"(?:{_DIGITAL}|{_SPELLED})"


def _digits(token: str) -> Decimal | None:
    """'1.500' → 1500, '1,5' → 1.5, '1.250,75' → 1250.75, '1,500,000' → 1500000 (English style)."""
    if "." in token and "," in token:
        decimal = "," if token.rfind(",") > token.rfind(".") else "."
        whole, _, fraction = token.rpartition(decimal)
        if decimal in whole or not _GROUPED.fullmatch(whole):
            return None
        return Decimal(re.sub(r"[.,]", "", whole) + "." + fraction)
    for sep in ".,":
        if sep in token:
            parts = token.split(sep)
            grouped = 1 <= len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:])
            # Vietnamese: "." groups thousands, "," is the decimal mark; "1,500,000" can only be grouping.
            if grouped and (sep == "." or len(parts) > 2):
                return Decimal("".join(parts))
            return Decimal(parts[0] + "." + parts[1]) if len(parts) == 2 else None
    return Decimal(token)


def _quantity(text: str) -> Decimal | None:
    """Digits, spelled-out words, scale words, or a mix: '1,5 nghìn tỷ', 'hai mươi lăm', '5 tỷ 300 triệu'."""
    tokens = _TOKEN.findall(text.lower())
    if not tokens or "".join(tokens) != re.sub(r"\s+", "", text.lower()):
        return None
    total, small, pending, last_unit, seen = Decimal(0), Decimal(0), None, None, False
    for tok in tokens:
        if tok[0].isdigit() or tok in _DIGIT_WORDS:
            if pending is not None:
                return None  # two numbers in a row: "2020 5"
            pending = _digits(tok) if tok[0].isdigit() else Decimal(_DIGIT_WORDS[tok])
            if pending is None:
                return None
            seen = True
        elif tok == "mười":
            if pending is not None:
                return None
            small += 10
            seen = True
        elif tok in ("mươi", "chục", "trăm"):
            factor = 100 if tok == "trăm" else 10
            small += (Decimal(1) if pending is None else pending) * factor
            pending, last_unit = None, factor
        elif tok in ("linh", "lẻ"):
            continue
        elif tok in _SCALES:
            scale = Decimal(_SCALES[tok])
            group = small + (pending or 0)
            # "nghìn tỷ": the part of the total below this scale is multiplied by it.
            low = total % scale + group
            total = total - total % scale + (low or 1) * scale
            small, pending, last_unit = Decimal(0), None, scale
        elif tok == "rưỡi" and last_unit is not None:
            small += (pending or 0)
            pending = Decimal(last_unit) / 2  # "một triệu rưỡi" = 1.5 million
        else:
            return None
    return total + small + (pending or 0) if seen else None  # a scale word alone is not a number


def parse_number(text: str) -> float | None:
    """A Vietnamese number, digits or words.

    >>> parse_number("1.250,75"), parse_number("hai mươi lăm"), parse_number("1,5 nghìn tỷ")
    (1250.75, 25.0, 1500000000000.0)
    """
    value = _quantity(text.strip())
    return None if value is None else float(value)


# ------------------------------------------------------------------------------------------- amounts

@dataclass(frozen=True)
class Amount:
    """A money amount: `value` (low end of a range) in units of `currency` (ISO 4217)."""
    value: float
    currency: str
    value_max: float | None = None
    qualifier: str | None = None


# Hedge words before an amount: outside the span, reported as its qualifier (longest first).
_HEDGES = ("gần như", "xấp xỉ", "tương đương với", "tương đương", "lên tới", "lên đến", "ước tính", "ước đạt",
           "khoảng", "chừng", "hơn", "gần", "trên", "dưới", "tới", "ít nhất", "tối thiểu", "tối đa", "ngót",
           "ước")
_HEDGE_BEFORE = re.compile(rf"(?<!\w)({'|'.join(_HEDGES)}){_SP}+$", re.I)
_HEDGE_AT_START = re.compile(rf"^({'|'.join(_HEDGES)}){_SP}+", re.I)


def _key(surface: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", surface).lower())


@functools.cache
def _currencies() -> dict[str, str]:
    """Surface form (lowercased) → ISO 4217, or '-' for look-alike compounds that are not money."""
    table = {}
    lines = resources.files("pipeline.resources").joinpath("currencies.tsv").read_text(encoding="utf-8")
    for line in lines.splitlines():
        if line.strip() and not line.startswith("#") and not line.startswith("surface\t"):
            surface, iso = line.split("\t")[:2]
            table[_key(surface)] = iso.strip()
    return table


@functools.cache
def _currency_pattern() -> str:
    surfaces = sorted(_currencies(), key=len, reverse=True)  # longest first: "kip Lào" before "kip"
    return "(?:" + "|".join(re.escape(s).replace(r"\ ", f"{_SP}+") for s in surfaces) + r")(?!\w)"


@functools.cache
def _amount_re() -> re.Pattern:
    return re.compile(
        rf"(?<![\w.,/])(?:(?P<lo>{_QUANTITY})(?:{_SP}*(?P<sep>{_DASH}|đến|tới){_SP}*(?P<hi>{_QUANTITY}))?"
        rf"{_SP}*(?P<cur>{_currency_pattern()})"
        rf"|(?P<sym>US\$|\$|€|£|¥){_SP}*(?P<slo>{_QUANTITY})(?:{_SP}*{_DASH}{_SP}*(?P<shi>{_QUANTITY}))?)",
        re.I)


def _amount(match: re.Match, qualifier: str | None) -> Amount | None:
    """Amount of a match of `_amount_re`, or None when the 'currency' is a look-alike or a number is bad."""
    if match["sym"]:
        iso, lo, hi = _currencies()[_key(match["sym"])], match["slo"], match["shi"]
    else:
        iso, lo, hi = _currencies()[_key(match["cur"])], match["lo"], match["hi"]
    if iso == "-" or not _spelled_ok(lo, iso):
        return None
    low, high = _quantity(lo), _quantity(hi) if hi else None
    if low is None or (hi and high is None):
        return None
    if iso == "LAK" and low < 10 and not _has_scale(lo):
        return None  # "3 ca, 4 kíp": a work shift; even exchange rates quote hundreds of kíp
    if high is not None and not _has_scale(lo):
        head = _quantity(_TOKEN.findall(hi)[0])  # "5-7 triệu": the scale of the high end applies to both
        if head:
            low *= high / head
    return Amount(float(low), iso, None if high is None else float(high),
                  qualifier.lower() if qualifier else None)


def _has_scale(quantity: str) -> bool:
    return any(tok in _SCALES or tok in ("trăm", "chục") for tok in _TOKEN.findall(quantity.lower()))


def _spelled_ok(quantity: str, iso: str) -> bool:
    """A lone spelled digit is too ambiguous with "đồng" and "năm" ("hai đồng", "năm USD")."""
    words = quantity.lower().split()
    if any(c.isdigit() for c in quantity) or len(words) > 1:
        return True
    return words[0] not in ("năm",) and iso != "VND"


def parse_amount(text: str, qualifier: str | None = None) -> Amount | None:
    """Parse a money span; a leading hedge is reported as the qualifier.

    >>> parse_amount("1.250 tỷ đồng")
    Amount(value=1250000000000.0, currency='VND', value_max=None, qualifier=None)
    >>> parse_amount("khoảng 5-7 triệu USD")
    Amount(value=5000000.0, currency='USD', value_max=7000000.0, qualifier='khoảng')
    """
    text = unicodedata.normalize("NFC", text.strip())
    hedge = _HEDGE_AT_START.match(text)
    if hedge and _amount_re().fullmatch(text) is None:
        text, qualifier = text[hedge.end():], qualifier or hedge[1]
    match = _amount_re().fullmatch(text)
    return _amount(match, qualifier) if match else None


# --------------------------------------------------------------------------------------------- years

_YEAR_RE = re.compile(
    rf"(?<![\w/.,:])(?:(?P<nam>năm){_SP}+)?(?P<y1>\d{{4}})"
    rf"(?:{_SP}*{_DASH}{_SP}*(?P<y2>\d{{4}}|\d{{2}}))?(?![\w/%]|[.,:]\d|{_SP}*{_DASH}{_SP}*\d)", re.I)
# A bare 4-digit number is a year after these words ("đến 2030", "giai đoạn 2026").
_YEAR_CUES = ("đến", "từ", "trong", "cuối", "đầu", "giữa", "trước", "sau", "tới", "vào", "hết", "giai đoạn",
              "thời kỳ", "nhiệm kỳ", "tầm nhìn", "niên khóa", "niên độ", "năm học", "năm tài chính", "mùa",
              "tết", "nguyên đán")
_YEAR_CUE_BEFORE = re.compile(rf"(?<!\w)(?:{'|'.join(_YEAR_CUES)}){_SP}+$", re.I)
_NOT_YEAR_NOUNS = ("Số", "Mã", "No", "Điều", "Khoản", "Phòng", "Lô", "Tổ", "Km", "QL")
# Counted nouns and units: "2030 MW", "2000 người" are quantities, not years.
_UNITS = ("%", "người", "tấn", "ha", "km", "km2", "m", "m2", "m3", "mét", "MW", "kW", "GW", "kV", "MWh",
          "kWh", "TEU", "DWT", "lượt", "lần", "hộ", "năm", "ngày", "tháng", "giờ", "phút", "xe", "chiếc",
          "căn", "con", "doanh nghiệp", "dự án", "công trình", "học sinh", "lao động", "cán bộ", "đại biểu")
# Counting words before "năm"/"tháng" make a duration ("5 năm", "ba tháng"); "tư" is left out ("đầu tư").
_COUNT_WORDS = ("một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "bẩy", "tám", "chín", "mười", "mươi", "lăm",
                "chục", "trăm", "nghìn", "ngàn", "triệu", "tỷ", "tỉ", "vài", "mấy", "nhiều")
_NUMBER_WORD = re.compile(rf"(?:{_NUMBER}|{'|'.join(_COUNT_WORDS)})$", re.I)
_LIST_LINK = re.compile(rf"{_SP}*(?:,|và|hoặc|đến|tới|{_DASH}){_SP}*", re.I)
_NAM_BEFORE = re.compile(rf"(?<!\w)năm{_SP}+$", re.I)


@functools.cache
def _unit_after() -> re.Pattern:
    units = "|".join(re.escape(u) for u in sorted((*_UNITS, *_SCALES, "trăm", "chục"), key=len, reverse=True))
    return re.compile(rf"{_SP}*(?:%|(?:{units})(?!\w)|{_currency_pattern()})", re.I)


def _year_range(match: re.Match, bare: bool) -> tuple[int, int] | None:
    y1 = int(match["y1"])
    low, high = (1900, 2100) if bare else (1000, 2199)
    if not low <= y1 <= high:
        return None
    if not match["y2"]:
        return y1, y1
    y2 = int(match["y2"]) if len(match["y2"]) == 4 else y1 // 100 * 100 + int(match["y2"])
    return (y1, y2) if y1 < y2 <= min(high, y1 + 100) else None


def _previous_word(text: str, pos: int) -> re.Match | None:
    return re.search(r"(\S+)" + _SP + r"+$", text[max(0, pos - 40):pos])


def _years(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int, tuple[int, int]]]:
    """YEAR spans (start, end, (first, last)) outside the `taken` spans."""
    found: list[tuple[int, int, tuple[int, int]]] = []
    for m in _YEAR_RE.finditer(text):
        start, end = m.start(), m.end()
        if m["nam"]:
            before = _previous_word(text, start)
            if before and _NUMBER_WORD.match(before[1]):
                start = m.start("y1")  # "kế hoạch 5 năm 2021-2025": "năm" belongs to the duration
        years = _year_range(m, bare=not m["nam"])
        if years is None or _overlaps(start, end, taken) or _unit_after().match(text, end):
            continue
        if start == m.start("y1") and not m["y2"] and not _year_context(text, start, found):
            continue
        found.append((start, end, years))
    return found


def _year_context(text: str, start: int, found: list) -> bool:
    """Is a bare single 4-digit number at `start` a year? After a cue word, a named thing or another year."""
    before = text[max(0, start - 30):start]
    if _YEAR_CUE_BEFORE.search(before) or _NAM_BEFORE.search(before):
        return True
    if found and _LIST_LINK.fullmatch(text, found[-1][1], start):
        return True  # "các năm 2021, 2022 và 2023"
    word = _previous_word(text, start)
    if not word or word[1] in _NOT_YEAR_NOUNS or not word[1][0].isupper() or not word[1].isalpha():
        return False
    # "Chủ tịch ASEAN 2024": a capitalized name that does not merely start the sentence.
    head = text[:start - len(word[0])].rstrip()
    return word[1].isupper() and len(word[1]) > 1 or bool(head) and head[-1] not in _CLAUSE_MARKS


def parse_year(text: str) -> tuple[int, int] | None:
    """(first, last) year of a year expression.

    >>> parse_year("năm 2045"), parse_year("giai đoạn 2026 – 2030"), parse_year("50 năm")
    ((2045, 2045), (2026, 2030), None)
    """
    text = unicodedata.normalize("NFC", text)
    for m in _YEAR_RE.finditer(text):
        years = _year_range(m, bare=False)
        if years and not _unit_after().match(text, m.end()):
            return years
    return None


# --------------------------------------------------------------------------------------------- dates

_NGAY = r"(?P<ngay>ngày|mồng|mùng)"
_D, _M, _Y4 = r"(?P<d>0?[1-9]|[12]\d|3[01])", r"(?P<m>0?[1-9]|1[0-2])", r"(?P<y>[12]\d{3})"
_YEAR_TAIL = rf"(?:{_SP}+năm{_SP}+(?P<y_word>[12]\d{{3}}))"  # "... năm 2026"
_DATE_FORMS = (
    # ngày 5 tháng 2 năm 2026, sáng 8 tháng 3
    re.compile(rf"(?<![\w/.,])(?:{_NGAY}{_SP}+)?{_D}{_SP}+tháng{_SP}+{_M}(?:{_YEAR_TAIL}|{_SP}*/{_SP}*{_Y4})?"
               r"(?![\w%]|[/.,]\d)", re.I),
    # 5/2, ngày 5/2/2026, 28/07/2024, ngày 22-06-2023, 5.2.2026 (a dash or a dot needs the year)
    re.compile(rf"(?<![\w/.,:])(?:{_NGAY}{_SP}+)?{_D}(?P<sep>[/.-]){_M}(?:(?P=sep){_Y4}|{_YEAR_TAIL})?"
               r"(?![\w%]|[/.,]\d)", re.I),
    # tháng 12/2025, tháng 3 năm 2024, tháng 8 (not "tháng 3-4/2024")
    re.compile(rf"(?<![\w/.,])(?P<thang>tháng){_SP}+{_M}(?:{_YEAR_TAIL}|{_SP}*[/.-]{_SP}*{_Y4})?"
               r"(?![\w%]|[/.,-]\d)", re.I),
    # 2024-05-07
    re.compile(r"(?<![\w/.,:-])(?P<y>[12]\d{3})-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])"
               r"(?!\w|[/.,-]\d)"),
)
# "ngày 8" in "từ ngày 8 đến ngày 11/10/2024": a bare day, kept only if a date follows to lend its month.
_DAY_ONLY = re.compile(rf"(?<![\w/.,:])(?:{_NGAY}{_SP}+)?{_D}(?!\w|[/.,]\d)", re.I)
_DATE_LINK = re.compile(rf"{_SP}*(?:{_DASH}|đến|tới|và|,){_SP}*", re.I)
_RANGE_LINK = re.compile(rf"{_SP}*(?:{_DASH}|đến|tới){_SP}*", re.I)
# "thứ 2, 5/2" is a Monday, "đợt 1 - 15/3" a phase: not bare days of a range.
_NOT_A_DAY_BEFORE = re.compile(rf"(?<!\w)(?:thứ|số|lần|khóa|kỳ|đợt|phần|điều|khoản|vòng){_SP}+$", re.I)
_TIME_OF_DAY = re.compile(rf"(?<!\w)(?:sáng|chiều|tối|trưa|đêm|hôm|khuya){_SP}+$", re.I)
_DATE_CUE = re.compile(rf"(?:(?<!\w)(?:sáng|chiều|tối|trưa|đêm|hôm|khuya|ngày|từ|đến|tới|trước|sau|vào|nay|"
                       rf"qua|lúc)|\(){_SP}*$", re.I)
# "chiếm 1/3 dân số", "số 12/3", "phục vụ 24/7": a bare d/m that is a fraction, an address or a slogan.
_FRACTION_BEFORE = re.compile(rf"(?<!\w)(?:chiếm|khoảng|gần|hơn|trên|dưới|bằng|còn|mất|đạt|có|số|tỷ số|tỉ số|"
                              rf"hẻm|ngõ|ngách|kiệt|lớp|phòng){_SP}+$", re.I)
_FRACTION_AFTER = re.compile(rf"{_SP}+(?:số|dân|diện|tổng|lượng|phần|khối|chỉ|đại|thành|các|những|trong)"
                             r"(?!\w)", re.I)
_MONTH_COUNT = re.compile(rf"(?:(?<!\w)(?:mỗi|hằng|hàng|từng|các|những|{'|'.join(_COUNT_WORDS)})|\d)"
                          rf"{_SP}+$", re.I)


# "từ 14.5 đến 16.5": a range of dotted or dashed day-months, both ends read as dates.
_DM = r"(?:0?[1-9]|[12]\d|3[01])(?P<{0}>[.-])(?:0?[1-9]|1[0-2])"
_DOTTED_RANGE = re.compile(rf"(?<!\w)từ{_SP}+(?:ngày{_SP}+)?{_DM.format('a')}{_SP}+(?:đến|tới){_SP}+"
                           rf"(?:ngày{_SP}+)?{_DM.format('b')}(?![\w%]|[/.,]\d|{_SP}*{_SCALE})", re.I)


def _in_span(m: re.Match, spans: list[tuple[int, int]]) -> bool:
    return any(s <= m.start() and m.end() <= e for s, e in spans)


@dataclass
class _Date:
    start: int
    end: int
    day: int | None
    month: int | None
    year: int | None
    bare: bool = False  # a day-only number without "ngày"


def _date_candidates(text: str) -> list[_Date]:
    """Every date form, the longest where they overlap; bare fractions and durations left out."""
    cands = []
    dotted_ranges = [r.span() for r in _DOTTED_RANGE.finditer(text)]
    for form in _DATE_FORMS:
        for m in form.finditer(text):
            groups = m.groupdict()
            year = groups["y"] or groups.get("y_word")
            before = text[max(0, m.start() - 30):m.start()]
            if "sep" in groups and not year and not groups["ngay"] and _not_a_date(text, m, before):
                continue
            if "sep" in groups and m["sep"] != "/" and not year and not (
                    groups["ngay"] or _TIME_OF_DAY.search(before) or _in_span(m, dotted_ranges)):
                continue  # "4-6 làn", "1.5"; but "ngày 2-9", "sáng 3.11", "từ 14.5 đến 16.5" are dates
            if "thang" in groups and not year and _MONTH_COUNT.search(before):
                continue  # "6 tháng 1 lần", "mỗi tháng 2"
            if "thang" not in groups and "sep" not in groups and groups.get("ngay") is None and not year \
                    and not _TIME_OF_DAY.search(before):
                continue  # "6 tháng 3 lần" reads as a duration unless "ngày"/"sáng" or a year is written
            day = int(groups["d"]) if groups.get("d") else None
            cands.append(_Date(m.start(), m.end(), day, int(m["m"]), int(year) if year else None))
    kept: list[_Date] = []
    for c in sorted(cands, key=lambda c: (-(c.end - c.start), c.start)):
        if not any(c.start < k.end and k.start < c.end for k in kept):
            kept.append(c)
    return sorted(kept, key=lambda c: c.start)


def _not_a_date(text: str, m: re.Match, before: str) -> bool:
    """A bare d/m after a strong date cue is a date; otherwise fraction/address contexts rule it out."""
    if _DATE_CUE.search(before):
        return False
    if m[0] == "24/7":
        return True
    return bool(_FRACTION_BEFORE.search(before) or _FRACTION_AFTER.match(text, m.end()))


def _dates(text: str, doc_year: int | None) -> list[tuple[int, int, str | None]]:
    """DATE spans (start, end, ISO date or None), with range ends borrowing month and year."""
    dates = _date_candidates(text)
    days = [_Date(m.start(), m.end(), int(m["d"]), None, None, bare=not m["ngay"])
            for m in _DAY_ONLY.finditer(text)
            if not any(m.start() < d.end and d.start < m.end() for d in dates)
            and not _NOT_A_DAY_BEFORE.search(text, max(0, m.start() - 10), m.start())]
    # Right to left, so "ngày 5, 6 và 7/10" lends 10 to 6 and then to 5.
    items = sorted(dates + days, key=lambda c: c.start)
    out: list[_Date] = []
    nxt: _Date | None = None
    for c in reversed(items):
        link = _RANGE_LINK if c.bare else _DATE_LINK  # a bare "11" only in a range: "từ 11-12/12"
        linked = nxt is not None and link.fullmatch(text, c.end, nxt.start) is not None
        if c.month is None:
            if not linked or nxt.month is None or nxt.day is None:
                continue
            c.month, c.year = nxt.month, nxt.year
        elif c.year is None and linked and nxt.year is not None:
            c.year = nxt.year - (c.month > nxt.month)  # "20/12 đến 5/1/2025": December of 2024
        out.append(c)
        nxt = c
    result = []
    for c in reversed(out):
        year = c.year if c.year is not None else doc_year
        if c.day is not None and c.day > calendar.monthrange(year or 2024, c.month)[1]:
            continue  # 31/2, 30/2 (29/2 is checked against the real year when known)
        iso = None if year is None else (f"{year:04d}-{c.month:02d}" if c.day is None
                                         else f"{year:04d}-{c.month:02d}-{c.day:02d}")
        result.append((c.start, c.end, iso))
    return result


def _doc_year(doc_date) -> int | None:
    """Year of an ISO date string (or a date object); None when missing or unreadable."""
    m = re.match(r"([12]\d{3})(?:-\d{2}){0,2}(?!\d)", str(doc_date).strip()) if doc_date is not None else None
    return int(m[1]) if m else None


def parse_date(text: str, doc_date: str | None) -> str | None:
    """ISO date (YYYY-MM-DD, or YYYY-MM for a month) of the first date in `text`.

    >>> parse_date("ngày 5/2", "2026-02-05"), parse_date("tháng 12/2025", None), parse_date("31/2/2024", None)
    ('2026-02-05', '2025-12', None)
    """
    found = _dates(unicodedata.normalize("NFC", text), _doc_year(doc_date))
    return found[0][2] if found else None


# ----------------------------------------------------------------------------------------- find spans

@dataclass(frozen=True)
class ValueSpan:
    """A value mention: `text[start:end]`, its label (AMOUNT, YEAR, DATE) and normalized fields."""
    start: int
    end: int
    label: str
    norm: dict


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


_FROM_BEFORE = re.compile(rf"(?<!\w)từ{_SP}+$", re.I)


def _amounts(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int, Amount]]:
    """AMOUNT spans (start, end, Amount) outside the `taken` spans."""
    found = []
    pattern, pos = _amount_re(), 0
    while (m := pattern.search(text, pos)) is not None:
        if m["sep"] and m["sep"][0] not in DASHES and not _FROM_BEFORE.search(text, 0, m.start()):
            pos = m.start("hi")  # "đến" makes a range only after "từ"; otherwise the high end stands alone
            continue
        hedge = _HEDGE_BEFORE.search(text, max(0, m.start() - 20), m.start())
        amount = _amount(m, hedge[1] if hedge else None)
        if amount is None or _overlaps(m.start(), m.end(), taken):
            pos = m.start() + 1
            continue
        found.append((m.start(), m.end(), amount))
        pos = m.end()
    return found


_A_DIGIT = re.compile(r"\d")


def find_values(text: str, doc_date: str | None = None) -> list[ValueSpan]:
    """Every AMOUNT, YEAR and DATE in `text`, sorted and non-overlapping (dates win, then money, then years).

    >>> text = "từ ngày 8 đến ngày 11/10/2024"
    >>> [(text[v.start:v.end], v.norm) for v in find_values(text)]
    [('ngày 8', {'date': '2024-10-08'}), ('ngày 11/10/2024', {'date': '2024-10-11'})]
    """
    digits = _A_DIGIT.search(text) is not None  # dates and years are written in digits, amounts not always
    spans = [ValueSpan(s, e, "DATE", {"date": iso}) for s, e, iso in _dates(text, _doc_year(doc_date))] if digits else []
    taken = [(v.start, v.end) for v in spans]
    for s, e, a in _amounts(text, taken):
        norm = {"value": a.value, "currency": a.currency, "value_max": a.value_max, "qualifier": a.qualifier}
        spans.append(ValueSpan(s, e, "AMOUNT", norm))
        taken.append((s, e))
    for s, e, (y1, y2) in _years(text, taken) if digits else ():
        spans.append(ValueSpan(s, e, "YEAR", {"year_start": y1, "year_end": y2}))
    return sorted(spans, key=lambda v: v.start)
