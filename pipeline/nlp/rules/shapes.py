"""Name shapes shared by the families: proper-name runs, person names, acronyms, and the extent of an
organization or a place name from its head or type word.

These return unit indices (or None), never candidates: a recognizer of one family may ask where a
name of another shape ends ("the organization after a title ends here") without running that
family's recognizer, its vetoes or its weight.
"""
from __future__ import annotations

import functools

import re
import unicodedata

from ...lexicons import famous_people
from ...text import DASHES, VIETNAMESE_SYLLABLE, fold
from .engine import vetoed
from .units import Sentence, looks_foreign, proper_case
from .words import (AREA_TRIGGERS, BREAK_WORDS, CLAUSE_BOUNDARY_POS, COMMUNE_TRIGGERS, COORDINATORS, COUNTRY_TYPES,
                    DESCRIPTOR_POS, FUNCTION_POS,
                    LOWERCASE_HEAD_TYPES, NAME_PARTICLES, NAME_SUFFIXES, QUANTIFIERS, QUANTITY_POS, STREET_TRIGGERS,
                    VILLAGE_TRIGGERS)

ROMAN = re.compile(r"^[IVXLCDM]+$")
FORMULA = re.compile(r"^[A-Z]{1,3}\d+[A-Za-z\d]*$")


def is_year(text: str) -> bool:
    return len(text) == 4 and text.isdigit() and 1900 <= int(text) <= 2100


def toned_word(text: str) -> bool:
    """A word in capitals that carries Vietnamese vowel marks ("ẢNH", "BẠN"): acronyms do not ("HĐND")."""
    lower = text.lower()
    return bool(VIETNAMESE_SYLLABLE.match(lower)) and any(
        unicodedata.decomposition(c) and c not in "đ" for c in lower)


def initial_end(text: str, start: int, end: int) -> bool:
    """Does the name end in a one-letter initial ("Dương Thị T", "H")?"""
    return text[end - 1:end].isupper() and (end - 1 == start or not text[end - 2].isalpha())


def cap_run(s: Sentence, i: int, limit: int = 6) -> int:
    """End of a proper-name run from i: capitalized syllables, dashes between them allowed.

    Stops before a multi-word title and before a capitalized common noun whose word goes on in
    lowercase ("Anh hùng", "Đầu tư"): proper names capitalize every syllable.
    """
    j = i
    while j < len(s.units) and j - i < limit:
        u = s.units[j]
        if initial_at(s, j) and j > i and looks_foreign(s.units[j - 1]):
            j += 2  # "Joseph R. Biden", "George W. Bush": a middle initial and its dot
        elif u.alpha and u.cap and (j == i or not s.long_title_at(j)) and (
                not ROMAN.match(u.text) or len(u.text) == 1 and abbreviation_dot(s, j + 1) == j + 2):
            if s.continues_lowercase(j):
                break
            j += 1
        elif u.key in NAME_PARTICLES and j > i and looks_foreign(s.units[j - 1]) \
                and s.name_unit(after_particles(s, j)) and s.units[after_particles(s, j)].cap:
            j = after_particles(s, j)  # "Ursula von der Leyen", "Anwar bin Ibrahim"
        elif u.text in DASHES and j > i and s.glued(j - 1, j) and s.glued(j, j + 1) \
                and s.name_unit(j + 1) and s.units[j + 1].cap:
            j += 1  # "Bà Rịa-Vũng Tàu"; a spaced dash separates ("Lê Minh Sơn - TTXVN")
        elif u.text in DASHES and j > i and s.glued(j - 1, j) and s.glued(j, j + 1) \
                and s.units[j + 1].alpha:
            j += 2  # "Kim Sang-sik", "Jean-Pierre": a hyphenated given name
        else:
            break
    while j > i and s.units[j - 1].text in DASHES:
        j -= 1
    return j


def initial_at(s: Sentence, j: int) -> bool:
    """A middle initial at j: one capital letter, its dot, then a capitalized name ("R. Biden")."""
    n = len(s.units)
    return j + 2 < n and len(s.units[j].text) == 1 and s.units[j].upper \
        and s.units[j + 1].text == "." and s.glued(j, j + 1) \
        and s.units[j + 2].cap and s.units[j + 2].alpha and len(s.units[j + 2].text) > 1


def _abbreviated(text: str) -> bool:
    """One capital, or a capital and a consonant ("Th", "Tr", "Ng"): an abbreviated syllable, never a whole one."""
    return 1 <= len(text) <= 2 and text[0].isupper() and text.isalpha() \
        and (len(text) == 1 or text[1].islower() and fold(text[1]) not in "aeiouy")


def initials_end(s: Sentence, k: int) -> int | None:
    """End of a name written as initials, as crime and health news does: "T.T.Đ", "Tr.Th.Th", "H.M", or one
    abbreviated syllable with its dot ("em L.", "anh Th."); the abbreviation's dot is the name's."""
    units, n = s.units, len(s.units)
    if not _abbreviated(units[k].text):
        return None
    j, pieces = k + 1, 1
    while j + 1 < n and units[j].text == "." and s.glued(j - 1, j) and s.glued(j, j + 1) \
            and _abbreviated(units[j + 1].text):
        j, pieces = j + 2, pieces + 1
    if abbreviation_dot(s, j) == j + 1:
        return j + 1
    follows_name = j < n and units[j].alpha and units[j].cap  # "T.Ư Đảng": an abbreviated body, not a person
    return j if pieces >= 2 and not follows_name else None


def abbreviation_dot(s: Sentence, end: int) -> int:
    """A name ending in an abbreviated syllable keeps its dot when the sentence goes on: "Trần Thị Trúc L.
    (SN 2002)", "anh Th. và vợ"; "chị D. Ngày 22-9…" ends a sentence."""
    units, n = s.units, len(s.units)
    if 0 < end < n and units[end].text == "." and s.glued(end - 1, end) and _abbreviated(units[end - 1].text) \
            and end + 1 < n and not s.glued(end, end + 1) and not (units[end + 1].alpha and units[end + 1].cap):
        return end + 1
    return end


def after_particles(s: Sentence, j: int) -> int:
    while j < len(s.units) and s.units[j].key in NAME_PARTICLES:
        j += 1
    return j


def initial_dot(s: Sentence, k: int) -> bool:
    return k > 0 and s.units[k].text == "." and initial_at(s, k - 1)


def hyphen_part(s: Sentence, k: int) -> bool:
    """Is unit k the hyphen or the lowercase tail of a hyphenated given name ("Sang-sik")?"""
    u = s.units[k]
    if u.text in DASHES:
        return s.glued(k - 1, k) and s.glued(k, k + 1)
    return k > 1 and s.units[k - 1].text in DASHES and s.glued(k - 1, k) and not u.cap


def person_name(s: Sentence, i: int, end: int) -> int | None:
    """End of a person name starting at i within [i, end): Vietnamese (surname + 1–3) or foreign."""
    if i >= len(s.units) or s.units[i].key in BREAK_WORDS or s.units[i].text in NAME_SUFFIXES:
        return vetoed("shapes.person_name.function_word_or_suffix")  # a capitalized function word at the start of a sentence ("Theo", "Tại"), a suffix
    run = cap_run(s, i, limit=min(5, end - i) if end > i else 5)
    if run <= i:
        return None
    units = [u for k, u in enumerate(s.units[i:run], i)
             if not hyphen_part(s, k) and not (u.key in NAME_PARTICLES and k > i) and not initial_dot(s, k)]
    if all(u.upper for u in units):
        return run if units[0].key in s.res.surnames and 2 <= len(units) <= 4 else None
    if any(u.text in DASHES or not proper_case(u) for u in units):
        return None
    if units[0].key in s.res.surnames and 2 <= len(units) <= 4:
        return run
    if 3 <= run - i <= 4 and all(u.text.isascii() for u in units) \
            and units[0].key in s.res.unaccented_surnames:
        return run  # "Nguyen Van Tin": a Vietnamese name written without its marks
    if any(looks_foreign(u) for u in units) and len(units) <= 4:
        return run
    return None


def cap_run_plain(s: Sentence, i: int) -> int:
    j = i
    while j < len(s.units) and (s.units[j].alpha and s.units[j].cap or
                                    (j > i and s.units[j].text[:1].isdigit() and not is_year(s.units[j].text))):
        if j > i and s.title_at(j, strict=True) is not None or s.continues_lowercase(j):
            break  # "Vĩnh Tân": a title prefix alone does not end a name
        j += 1
    return j


def acronym(s: Sentence, i: int) -> str | None:
    """Is unit i an unknown acronym shaped like a body's ("caps", "camel" or None) ("ACV", "PetroVietnam"). Not a recognizer of its own:
    on real general news most unknown capitals abbreviate common nouns ("HĐXX", "CMHS", "LGBT"), so
    it only names a body where the context already says one stands there (after a title, after a
    company's dash). Known bodies come from the alias lexicon, defined ones from "(ACRONYM)"."""
    u = s.units[i]
    if not (u.cap or u.upper):
        return None  # most units: neither shape below
    letters, mixed = _letter_shape(u.text)
    camel = u.cap and mixed and letters >= 4
    if not ((u.upper and letters >= 2) or camel) or len(u.text) > 12 or not u.text[:1].isalpha():
        return None
    if ROMAN.match(u.text) or u.text.upper() in s.res.stop_acronyms or glued_to_code(s, i, i + 1):
        return None
    if in_caps_phrase(s, i) or FORMULA.match(u.text) or toned_word(u.text):
        return vetoed("shapes.acronym.caps_words_or_formula")  # "TÌNH BẠN", "ẢNH": words in capitals; "CO2", "A380": formulas and models
    if u.pos == "Ny" or letters < 3 and u.upper:
        return vetoed("shapes.acronym.common_noun_abbreviation")  # "HĐXX", "PV", "HS": underthesea reads an abbreviation of a common noun; known bodies are in the lexicon
    if s.place(i) or s.org_alias(i):
        return None
    return "caps" if u.upper else "camel"


@functools.lru_cache(maxsize=1 << 16)
def _letter_shape(text: str) -> tuple[int, bool]:
    """(letters, an uppercase letter after the first and a lowercase one): "PetroVietnam" → (12, True)."""
    return sum(c.isalpha() for c in text), any(c.isupper() for c in text[1:]) and any(c.islower() for c in text)


def in_caps_phrase(s: Sentence, i: int) -> bool:
    """Is unit i a Vietnamese syllable in capitals next to another one ("GIA ĐÌNH", "MINH TRANG")?"""
    def caps_syllable(k: int) -> bool:
        return 0 <= k < len(s.units) and s.units[k].upper and len(s.units[k].text) >= 2 \
            and bool(VIETNAMESE_SYLLABLE.match(s.units[k].text.lower()))
    return caps_syllable(i) and (caps_syllable(i - 1) or caps_syllable(i + 1))


def glued_to_code(s: Sentence, i: int, j: int) -> bool:
    """Acronyms inside document numbers ("26/QĐ-BXD") are not organizations."""
    before = s.units[i - 1].text if i > 0 else ""
    after = s.units[j].text if j < len(s.units) else ""
    touching_before = i > 0 and s.units[i - 1].end == s.units[i].start and before in "/-." \
        and not (before == "/" and i > 1 and s.units[i - 2].alpha)  # "Ảnh: Trần Hải/TTXVN", "AFP/TTXVN"
    touching_after = j < len(s.units) and s.units[j - 1].end == s.units[j].start and after in "/-"
    return bool(touching_before and before) or bool(touching_after and after and j + 1 < len(s.units)
                                                      and s.units[j + 1].text[:1].isdigit())


def place_name(s, j: int, trigger: str) -> tuple[int, dict] | None:
    """End and attributes of the place named at j after its type word `trigger` ("tỉnh", "xã", "đèo"…)."""
    if s.type_word_at(j) or s.abbreviated_unit(j):
        return vetoed("shapes.place_name.next_type_word")  # "phường Hải Vân, TP Đà Nẵng": the next type word makes its own candidate
    lex = s.place(j)
    if lex and "pair_only" in lex[1].flags:
        lex = None  # "sông Hàn" is the river, not Korea
    commune = s.commune(j) if trigger in COMMUNE_TRIGGERS and not lex else None
    end = lex[0] if lex else commune[0] if commune else cap_run(s, j, limit=4)
    if lex and trigger in VILLAGE_TRIGGERS:
        end = max(end, cap_run(s, j, limit=4))  # "thôn Viên Khê" is not Vienna: a village's own name
        if end > lex[0]:
            lex = None
    if end <= j or s.org_head(j) or s.title_at(j, strict=True) is not None \
            or trigger in STREET_TRIGGERS and s.project_head(j):
        return None
    attrs = {"canonical": lex[1].canonical, "type": lex[1].type, "country": lex[1].country} if lex else {}
    if trigger == "đèo" and not lex:
        attrs = {"canonical": f"đèo {s.text[s.units[j].start:s.units[end - 1].end]}"}
    return end, attrs


def jurisdiction_end(s: Sentence, k: int) -> int | None:
    """End of "tỉnh Quảng Ngãi" / "thành phố Đà Nẵng" when it starts at k: a body's jurisdiction."""
    abbreviated = s.abbreviated_unit(k)
    trigger = s.place_trigger(k) if k < len(s.units) and not s.units[k].cap else None
    trigger = trigger or abbreviated
    if trigger and trigger[0] < len(s.units) and s.units[trigger[0]].cap:
        name = place_name(s, trigger[0], trigger[1])
        return name[0] if name else None
    return None


def org_span(s, i: int) -> tuple[int, dict] | None:
    """End and attributes of the organization named from its head at i: "Bộ Ngoại giao", "UBND tỉnh Quảng Ngãi"."""
    u = s.units[i]
    hit = s.org_head(i)
    if hit and not u.cap and not (hit[1] in LOWERCASE_HEAD_TYPES and u.pos != "V" and hit[0] < len(s.units)
                                  and proper_case(s.units[hit[0]]) and (i == 0 or s.units[i - 1].word != u.word)):
        hit = None  # a lowercase head counts only before a name: "báo Lao Động", "trường Tiểu học Thanh Thủy"
    if not hit or (s.title_at(i) or 0) >= hit[0]:
        return vetoed("org_head.title")  # "Bộ trưởng" is a title; "Tổng Lãnh sự quán" is longer than the title "Tổng Lãnh sự"
    j, org_type = hit
    place = s.place(i)
    if place and place[0] > j:
        return vetoed("org_head.head_begins_place")  # "Đài Loan", "Ban Mê Thuột": the head word begins a place name
    if not u.cap and i > 0 and (s.prev_key(i) in QUANTIFIERS or f"{s.units[i - 1].key} {u.key}" in s.res.dictionary):
        return vetoed("org_head.generic_lowercase_head")  # "các ngân hàng Trung Quốc"; "chính trường Đức" is no school
    if s.units[i].key == "văn" and j - i == 2 and s.title_at(j) is not None:
        title_end = s.title_at(j)
        if title_end - j >= 2 and s.title_hit(j)[1] == "office":
            return title_end, {"type": org_type}  # "Văn phòng Tổng thống"
    if s.inside_org_head(i):
        return vetoed("org_head.inside_head")  # "Công an" in "Bộ Công an", "Chính phủ" in "Văn phòng Chính phủ"
    if j - i == 1 and s.continues_lowercase(i):
        return vetoed("org_head.common_noun")  # "Hội nghị", "Báo cáo": a common noun, not the head "Hội", "Báo"
    # a head of two words or more already names a body: "Bộ Kinh tế và Tài chính" coordinates
    end = extend_org(s, j, gaps=org_type not in ("ministry", "government", "party"), named=j - i >= 2,
                     trade=org_type == "company")
    known = s.org_alias(i)
    if known and known[0] > end:
        end = known[0]  # "Tổng công ty Quản lý bay Việt Nam": the lexicon knows the whole name
    elif org_type not in ("ministry", "government", "party") and not (known and known[0] == end):
        end = descriptive_tail(s, j, end)
    host = s.place(end + 1) if org_type == "mission" and end + 1 < len(s.units) \
        and end > j and s.units[end].key == "tại" else None
    if host:
        end = host[0]  # "Tổng Lãnh sự quán Việt Nam tại Savannakhet"
    named_head = j - i >= 2 and (s.units[j - 1].cap or " ".join(u.key for u in s.units[i:j])
                                 in s.res.complete_org_heads)  # "Tổng cục Thuế", "Cục Đường sắt"; not "Ban Quản lý"
    if end == j and org_type != "party" and not named_head:
        return vetoed("org_head.generic_head")  # "Hội đồng xét xử", "Công ty con": a generic head; named bodies are in the alias lexicon
    place = s.place(i)
    if place and place[0] >= end:
        return vetoed("org_head.place_starts_like_head")  # "Hội An": a place that starts like an organization
    if end == j and s.prev_key(i) in QUANTIFIERS:
        return vetoed("org_head.quantified")  # "hai Chính phủ", "các Bộ"
    if org_type == "government" and end > j and not s.place(j) and (person_name(s, j, end) == end
                                                  or s.text[s.units[j].start:s.units[end - 1].end] in famous_people()):
        return vetoed("org_head.administration_of_a_person")  # "chính quyền Trump", "Chính quyền Kim Jong Un": the person
    end = end if org_type == "school" else cut_person_tail(s, i, end)  # "Trường THCS Chu Văn An"
    if end <= i:
        return None
    if org_type == "team" and (country := s.place(j)) and country[0] == end:
        return vetoed("org_head.team_of_a_country")  # "đội tuyển Việt Nam": the country is a PLACE modifying the team
    if org_type == "forum" and any(u.text in DASHES for u in s.units[j:end]):
        return vetoed("org_head.forum_between_countries")  # "Diễn đàn Doanh nghiệp Việt Nam – Thái Lan" is an event between two countries
    return end, {"type": org_type, "_head": j - i}


def compound_tail(s: Sentence, k: int, head_word: int = -1) -> bool:
    """Is lowercase unit k inside a name word? Yes in a word shaped Capital + lowercase ("Cộng
    sản") or with capitals after it ("Đảng Cộng sản Việt Nam"); no in a word that ends in
    lowercase after two capitals: a name glued to the next word ("Hòa Phát đạt")."""
    word = s.units[k].word
    prev = s.units[k - 1] if k > 0 else None
    if prev and prev.cap and prev.end < s.units[k].start and f"{prev.key} {s.units[k].key}" in s.res.dictionary \
            and not (k > 1 and k - 2 != head_word and proper_case(s.units[k - 2])):
        return True  # "Ủy ban Văn hóa", "Khoa Thanh nhạc", "Ủy ban ATGT Quốc gia": a capitalized word, however cut
    if k == 0 or prev.word != word:
        return False  # the word starts lowercase ("khóa XIV", "dự Lễ"): not part of the name
    if looks_foreign(s.units[k - 1]):
        return False  # "Guterres sinh": underthesea glued a foreign name to the next word
    m = k + 1
    while m < len(s.units) and s.units[m].word == word:
        if s.units[m].cap:
            return True
        m += 1
    m = k - 1
    while m >= 0 and s.units[m].word == s.units[k].word:
        if s.units[m].cap:
            return m == 0 or s.units[m - 1].word != s.units[k].word
        m -= 1
    return False


def extend_org(s: Sentence, j: int, gaps: bool = True, named: bool = False, trade: bool = False) -> int:
    """Extend an organization name after its head: capitalized words, their compounds, places,
    coordinated parts ("Lao động, Thương binh và Xã hội") and short lowercase gaps before a name."""
    n, end, k = len(s.units), j, j
    closed = False  # a place or jurisdiction ends the name: nothing is coordinated after it
    while k < n:
        u = s.units[k]
        if ROMAN.match(u.text):
            break  # "Đảng Cộng sản Việt Nam khóa XIV": the ordinal is not part of the name
        if k == j and u.key == s.units[j - 1].key:
            break  # a repeated head ("Đảng Đảng Nhân dân…") starts the real name
        place = s.place(k) if end == k else None
        if place and "pair_only" not in place[1].flags:
            k = end = place[0]  # "Đại học Quốc gia TP.HCM", "Ngân hàng Nhà nước Lào"
            other = s.place(k + 1) if k + 1 < n and s.units[k].text in DASHES else None
            if other and s.units[k + 1].cap:
                k = end = other[0]  # "Hội Hữu nghị Việt Nam – Lào": a pair of countries names the body
            closed = True
            continue
        if u.alpha and u.cap and s.title_at(k) is None and not (closed and u.upper) \
                and not s.abbreviated_unit(k):
            k += 1
            end = k
            continue
        if u.alpha and not u.cap and end == k and compound_tail(s, k, -1 if named else j - 1):
            k += 1  # "Ngoại giao", "Cảng hàng không": the rest of a capitalized word
            end = k
            continue
        if u.text[:1].isdigit() and end == k and not closed and (
                k > j and proper_case(s.units[k - 1]) or k == j and unit_number(s, k)):
            k += 1  # "Ban Quản lý dự án Điện 2", "Tổng công ty 319"
            end = k
            continue
        if u.text in DASHES and end == k and k > j and s.glued(k - 1, k) and s.glued(k, k + 1) \
                and s.units[k + 1].cap:
            k += 1  # "Tập đoàn Luxshare-ICT"
            continue
        tail = s.org_tail(k) if end == k else None
        if tail and (not s.name_unit(tail[0]) or s.place(tail[0])):
            k = end = tail[0]  # "Tòa án nhân dân tối cao", "… Hợp tác quốc tế Campuchia"
            continue
        if tail and person_name(s, tail[0], n):
            end = tail[0]  # "Hội đồng An ninh quốc gia Kurt Campbell": the person is not the body's
            break
        if u.key in COORDINATORS and end == k and (end > j or named) and not closed and k + 1 < n \
                and s.units[k + 1].cap and not s.units[k + 1].upper \
                and s.org_head(k + 1) is None and s.title_at(k + 1) is None \
                and s.place(k + 1) is None \
                and s.place_trigger(k + 1) is None and person_name(s, k + 1, n) is None:
            k += 1  # "Bộ Văn hóa, Thể thao và Du lịch"; not "Trường Bắc, Nguyễn Trần Trung Quân": a person ends the body
            continue
        country = s.place(k + 1) if end == k and u.key == "nước" and k + 1 < n else None
        if country and country[1].type in COUNTRY_TYPES and s.units[k + 1].cap:
            k = end = country[0]  # "Quốc hội nước Cộng hòa xã hội chủ nghĩa Việt Nam"
            closed = True
            continue
        if u.text in DASHES and end == k and k > j and k + 1 < n and s.units[k + 1].upper \
                and not s.glued(k, k + 1) and acronym(s, k + 1) is not None:
            k = end = cap_run_plain(s, k + 1)  # "Tập đoàn Trường Thành Việt Nam - TTVN Group"
            break
        suffix = jurisdiction_end(s, k) if end == k else None
        if suffix:
            k = end = suffix  # "UBND tỉnh Quảng Ngãi", "Cục Thống kê tỉnh Bắc Giang"
            closed = True
            continue
        unnamed = not closed and all(x.upper for x in s.units[j:k])  # "Công ty CP", "Công ty TNHH MTV"
        gap_end = lowercase_gap(s, k, trade=trade and unnamed) if gaps else None
        if gap_end is not None and end == k:
            k = gap_end
            continue
        break
    return end


def unit_number(s: Sentence, k: int) -> bool:
    """A plain number naming a unit right after its head ("Tổng công ty 319", "Sư đoàn 308"),
    not a quantity ("Công ty 2 năm") or a year."""
    u = s.units[k]
    nxt = s.units[k + 1] if k + 1 < len(s.units) else None
    return u.text.isdigit() and len(u.text) <= 4 and not is_year(u.text) and not s.units[k - 1].upper \
        and not (nxt and (nxt.alpha and not nxt.cap and nxt.pos in QUANTITY_POS
                          or nxt.text in ".,:" and s.glued(k, k + 1)
                          or nxt.text in DASHES))  # "Hà Nội FC 1-0": a score


def descriptive_tail(s: Sentence, j: int, end: int, limit: int = 3) -> int:
    """A name made of capitalized common words goes on in lowercase nouns up to a clause boundary:
    "Cục Bảo vệ thực vật", "Cục Phát triển doanh nghiệp", "Vụ Giáo dục đại học". A determiner after
    the nouns shows they describe the body instead ("Bộ Ngoại giao nước này")."""
    name = s.units[j:end]
    if not 2 <= len(name) <= 3 or not proper_case(name[0]) or not all(u.alpha and not u.upper for u in name) \
            or any(s.place(k) for k in range(j, end)) \
            or not any(f"{a.key} {b.key}" in s.res.dictionary for a, b in zip(name, name[1:])):
        return end
    k = end
    while k < len(s.units) and k - end < limit and s.units[k].alpha and not s.units[k].cap \
            and s.units[k].pos in DESCRIPTOR_POS and s.units[k].key not in BREAK_WORDS:
        k += 1
    after = s.units[k] if k < len(s.units) else None
    if k > end and (after is None or not after.alpha or after.pos in CLAUSE_BOUNDARY_POS or after.key in BREAK_WORDS):
        return k
    return end


def lowercase_gap(s: Sentence, k: int, limit: int = 5, trade: bool = False) -> int | None:
    """A short run of lowercase nouns followed by a capitalized word, inside a name
    ("Ban Quản lý dự án Điện 2"); a verb ends the name ("Bộ Xây dựng yêu cầu ACV"). A company
    names its trade before its name, verbs included: "Công ty CP xây dựng Bắc Nam", "Công ty
    TNHH một thành viên công nghiệp tàu thủy Dung Quất"."""
    j, limit = k, limit + 2 * trade
    while j < len(s.units) and j - k < limit:
        u = s.units[j]
        if not u.alpha or u.cap or u.key in BREAK_WORDS or u.pos in FUNCTION_POS and not (trade and u.pos == "V"):
            break
        j += 1
    if j > k and j < len(s.units) and s.units[j].alpha and s.units[j].cap and not s.units[j].upper \
            and s.title_at(j) is None and not ROMAN.match(s.units[j].text):
        return j
    tail = s.org_tail(j - 2) if j - k >= 2 else None
    if tail and tail[0] == j:
        return j  # ends with "quốc gia", "trung ương", "tối cao"
    return described_foreign_body(s, k, limit)


def described_foreign_body(s: Sentence, k: int, limit: int) -> int | None:
    """A description with verbs, then a country and its acronym: "Quỹ Hợp tác phát triển kinh tế
    Hàn Quốc (EDCF)". The "(ACRONYM)" after the country is what shows the verbs belong to the name."""
    j = k
    while j < len(s.units) and j - k < limit and s.units[j].alpha and not s.units[j].cap \
            and s.units[j].key not in BREAK_WORDS:
        j += 1
    place = s.place(j) if j > k and j < len(s.units) else None
    if not place or place[1].type != "country":
        return None
    m = place[0]
    if m + 2 < len(s.units) and s.units[m].text == "(" and s.units[m + 1].upper \
            and s.units[m + 2].text == ")":
        return j
    return None


def cut_person_tail(s: Sentence, i: int, end: int) -> int:
    """ "Tổng Bí thư Ban Chấp hành … Việt Nam Tô Lâm": the trailing person name is not the ORG's."""
    title_before = any((s.title_at(t) or -1) >= i for t in range(max(0, i - 4), i))
    if not title_before:
        return end  # "Trường THPT chuyên Lê Quý Đôn": a person's name inside the organization's name
    known = s.org_alias(i)
    for cut in range(i + 1, end):
        place = s.place(cut)
        named_unit = s.units[cut - 1].key in AREA_TRIGGERS and max(
            (s.commune(cut) or (0,))[0], (place or (0,))[0]) >= end
        if known and known[0] > cut or named_unit:
            continue  # "Giám đốc Bệnh viện Bạch Mai": a known body's name; "UBND xã Thái Sơn": its commune
        person = person_name(s, cut, end)
        ends_here = person == end or person is not None and s.units[person].key in COORDINATORS
        if ends_here and (place is None or "pair_only" in place[1].flags) and not splits_place(s, i, cut):
            joined = cut
            while cut > i + 1 and s.units[cut - 1].key in COORDINATORS:
                cut -= 1  # "Ủy viên Bộ Chính trị Thái Kỳ, Vương Nghị": two names, cut before the first
            return cut_person_tail(s, i, cut) if cut < joined else cut
    return end


def splits_place(s: Sentence, i: int, cut: int) -> bool:
    """Would cutting at `cut` split a place name ("Tỉnh ủy Quảng | Ninh Vũ Đại Thắng")?"""
    return any((s.place(k) or (0,))[0] > cut for k in range(i, cut))


def name_runs_on(s: Sentence, j: int) -> bool:
    """Does a capitalized word at j continue the name, rather than start a new name, title,
    place or organization ("Thủ tướng Lào Sonexay …" stops at "Lào")?"""
    if j >= len(s.units) or not (s.units[j].alpha and s.units[j].cap) or s.units[j].upper:
        return False
    starts_other = (s.title_at(j) is not None or s.place(j)
                    or s.org_head(j) or person_name(s, j, len(s.units)))
    return not starts_other
