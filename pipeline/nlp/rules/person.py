"""LEADER recognizers: a name after a title, a bare Vietnamese or foreign name, a given name tagged
Np, names in capitals, bylines and credits."""
from __future__ import annotations

from ... import lexicons
from ...text import DASHES, fold
from .engine import Candidate, recognizer, veto
from .shapes import (abbreviation_dot, acronym, cap_run, hyphen_part, initial_dot, initials_end, is_year, org_span,
                     person_name)
from .units import Sentence, looks_foreign, proper_case
from .words import (ADDRESS_WORDS, AREA_TRIGGERS, BREAK_WORDS, BYLINE_OPENER, BYLINE_TAILS, COORDINATORS,
                    COUNTRY_TYPES, CREDIT_CLOSERS, CREDIT_CUES, NAME_CONTEXT_POS, NAME_PARTICLES,
                    NOT_PERSON_BEFORE, QUANTIFIERS, TITLE_CHAIN)


@recognizer("titled_person", "prose", needs=("titles",))
def titled_person(s: Sentence, i: int) -> list[Candidate]:
    """Title (chain), then optionally an organization, a country and a year, then the name.

    "Tổng Bí thư, Chủ tịch nước Lào Thongloun Sisoulith", "Chủ tịch ASEAN 2024 Sonexay
    Siphandone", "Bộ trưởng Bộ Ngoại giao Bùi Thanh Sơn": the LEADER is the name only.
    """
    j = s.title_at(i, strict=True)
    if j is None or i > 0 and s.units[i - 1].word == s.units[i].word:
        return veto("titled_person.inside_word")  # "người đàn ông Lào": "ông" inside a word is no title
    if s.after_place_trigger(i):
        return veto("titled_person.street")  # "phố Bà Triệu" is a street
    if s.units[i].cap and j - i == 1 and s.units[i].key in ADDRESS_WORDS and not s.clause_start(i):
        return veto("titled_person.capitalized_address_mid_sentence")  # "Hoài Nam, Anh Đức": a capitalized form of address mid-sentence begins a name
    n = len(s.units)
    if s.prev_key(i) in QUANTIFIERS and not s.units[i].cap:
        return []
    place = s.place(i)
    if place and place[0] > j:
        return veto("titled_person.place_starts_like_title")  # "Bà Rịa - Vũng Tàu" is a province, not "bà" + a name
    title_end = j
    while title_end < n and s.units[title_end].key in TITLE_CHAIN:
        nxt = s.title_at(title_end + 1)
        if nxt is None:
            break
        title_end = nxt
    k, country, country_span = title_end, None, None
    org = org_span(s, k) if k < n else None
    if org:
        k = org[0]
    elif k < n and s.units[k].cap and s.org_head(k):
        return veto("titled_person.body_name_after_head")  # "Hiệu trưởng Trường Lương Thế Vinh": the name after the head is the body's
    elif k < n and (s.org_alias(k) or acronym(s, k) is not None):
        k = (s.org_alias(k) or (k + 1, None))[0]
    place = s.place(k) if k < n and s.units[k].cap else None
    posted = place and place[0] + 1 < n and s.units[place[0]].key == "tại" \
        and s.place(place[0] + 1)
    if posted:  # "Đại sứ Việt Nam tại Lào Nguyễn Bá Hùng": the country is the first one
        country, k = place[1].canonical, posted[0]
    elif place and not _given_name_after_country(s, k, place[0]) \
            and (person_name(s, place[0], n) or place[1].type in COUNTRY_TYPES and not place[1].flags
                 and place[0] < n and proper_case(s.units[place[0]])):
        country, country_span, k = place[1].canonical, (k, place[1]), place[0]  # "Ngoại trưởng Triều Tiên Ri Yong Ho"
    if k < n and is_year(s.units[k].text):
        k += 1
    k = _past_capitalized_field(s, k)
    if k >= n or not s.units[k].cap:
        return []
    title = s.text[s.units[i].start:s.units[title_end - 1].end]
    initials = initials_end(s, k) if k == title_end else None
    if initials:  # "bệnh nhân T.T.Đ", "cô giáo Tr.Th.Th", "em L."
        return [Candidate(k, initials, "LEADER", "titled_person", {"title": title, "country": None})]
    if k + 2 < n and len(s.units[k].text) <= 2 and s.units[k + 1].text == "." and s.glued(k, k + 1) \
            and s.glued(k + 1, k + 2):
        return veto("titled_person.abbreviated_body")  # "Ủy viên T.Ư Đảng": an abbreviation, not initials
    end = cap_run(s, k, limit=4)
    kind = s.title_hit(i)[1]
    if end <= k or s.org_head(k) \
            or s.title_at(k, strict=True) is not None and s.units[k].key not in ADDRESS_WORDS:
        return veto("titled_person.prefix_or_title_as_name")  # "Tiền đạo Nguyên Hoàng": "Nguyên" is a prefix only before a title; "Tiền đạo Anh Đức"
    name = [u for m, u in enumerate(s.units[k:end], k)
            if not hyphen_part(s, m) and not (u.key in NAME_PARTICLES and m > k) and not initial_dot(s, m)]
    if not (all(proper_case(u) for u in name) or len(name) >= 2 and all(u.upper for u in name)):
        return veto("titled_person.acronym_not_name")  # "Giám đốc Sở GD&ĐT TP.HCM": an acronym is not a name
    if any(u.text in s.res.name_words for u in s.units[k:end]):
        return []
    lex = s.place(k)
    unit_named = s.units[title_end - 1].key in AREA_TRIGGERS and k == title_end and (
        (lex or (0,))[0] >= end or (s.commune(k) or (0,))[0] >= end
        or name[0].key not in s.res.surnames)
    if unit_named:
        return veto("titled_person.title_names_its_commune")  # "Chủ tịch xã Xuân Ninh": the title names its commune, a place
    personal = k == title_end and kind == "honorific" and s.units[i].key in ADDRESS_WORDS
    if lex and lex[0] >= end and not personal and (lex[1].type in COUNTRY_TYPES or name[0].key not in s.res.surnames
                                                   or person_name(s, k, end) is None):
        return veto("titled_person.office_country_or_place")  # "Thủ tướng Lào", "nông dân New York"; but "ông Đức" is a man, "Chủ tịch Hồ Chí Minh" too
    if len(name) == 2 and name[0].key not in s.res.surnames and f"{name[0].key} {name[1].key}" in s.res.dictionary \
            and (_state_office(s, i, title_end) or name[1].text not in lexicons.vietnamese_given_names()):
        return veto("titled_person.capitalized_common_noun")  # "Bộ trưởng Công Thương", "phóng viên Thanh Niên": a capitalized common noun, not a name; "đạo diễn Quốc Tuấn" is one
    if len(name) == 1 and name[0].text in lexicons.ethnic_groups() and name[0].text not in lexicons.vietnamese_given_names():
        return veto("titled_person.ethnic_group")  # "nghệ nhân Mông": a people, not a person
    if end - k == 1 and not looks_foreign(s.units[k]) and (
            kind != "honorific" and s.units[k].text not in lexicons.vietnamese_given_names()
            or end < n and not s.units[end].cap and f"{s.units[k].key} {s.units[end].key}" in s.res.dictionary):
        return veto("titled_person.capitalized_word_of_a_work")  # "ca sĩ Phía sau…", "MC Ai là triệu phú", "nam ca sĩ Hà thành": a work or a word, not a name
    out = [Candidate(k, abbreviation_dot(s, end), "LEADER", "titled_person", {"title": title, "country": country})]
    if country_span:  # "Thủ tướng Anh Theresa May": between a title and a name, "Anh" is the country
        start, lex = country_span
        out.append(Candidate(start, k, "PLACE", "titled_person",
                             {"canonical": lex.canonical, "type": lex.type, "country": lex.country}))
    # "Các Phó Thủ tướng Trần Hồng Hà và Lê Thành Long": the title covers both names
    while end + 1 < n and s.units[end].key in COORDINATORS and s.title_at(end + 1) is None:
        nxt = person_name(s, end + 1, n)
        if nxt is None:
            break
        out.append(Candidate(end + 1, nxt, "LEADER", "titled_person", {"title": title, "country": country}))
        end = nxt
    return out


def _state_office(s: Sentence, start: int, end: int) -> bool:
    """Does the title s.units[start:end] end in a state or party office ("Phó Bộ trưởng")?"""
    offices = lexicons.state_offices()
    return any(fold(s.text[s.units[m].start:s.units[end - 1].end]) in offices for m in range(start, end))


def _past_capitalized_field(s: Sentence, k: int) -> int:
    """Past a capitalized common noun that ends the title, when a surname follows: "Bộ trưởng Công
    Thương Nguyễn Hồng Diên", "HH Đại Dương Đặng Thu Thảo" — the name starts at the surname."""
    units = s.units
    if k + 2 < len(units) and units[k].cap and units[k + 1].cap and units[k + 2].key in s.res.surnames \
            and f"{units[k].key} {units[k + 1].key}" in s.res.dictionary and cap_run(s, k + 2, limit=4) >= k + 4 \
            and not s.place(k + 2):
        return k + 2
    return k


def _given_name_after_country(s: Sentence, start: int, end: int) -> bool:
    """ "ca sĩ Mỹ Tâm", "Bộ trưởng Anh Tuấn": a short country name then one Vietnamese given name is a
    two-syllable name, not a country and a one-syllable person ("Thủ tướng Anh Theresa May" keeps its country)."""
    return end - start == 1 and end < len(s.units) and cap_run(s, end, limit=4) == end + 1 \
        and not looks_foreign(s.units[end]) and s.units[end].text in lexicons.vietnamese_given_names()


@recognizer("famous_person", "prose", needs=("cap",))
def famous_person(s: Sentence, i: int) -> list[Candidate]:
    """A well-known person named alone, as the press does (famous_people.tsv): "Messi sút phạt",
    "Putin khẳng định", "trận Nadal – Federer"; only where the name stands apart from other capitals."""
    units = s.units
    if not (units[i].alpha and units[i].cap) or i > 0 and (units[i - 1].alpha and units[i - 1].cap
                                                           or units[i - 1].end == units[i].start):
        return []  # inside a longer name: "Bashar al-Assad"
    known = lexicons.famous_people()
    for end in range(min(len(units), i + 4), i, -1):
        if s.text[units[i].start:units[end - 1].end] in known:
            if end < len(units) and units[end].alpha and units[end].cap \
                    or end < len(units) and units[end].start == units[end - 1].end and units[end].text in "-'’":
                return veto("famous_person.longer_name")  # "Ronaldo Nazario", "Kane-Williams": a longer name
            return [Candidate(i, end, "LEADER", "famous_person", {})]
    return []


@recognizer("bare_person", "prose", needs=("cap",))
def bare_person(s: Sentence, i: int) -> list[Candidate]:
    """A name without a title: Vietnamese (surname + 1–3 syllables) or foreign (2+ syllables).

    Competes with place names on length ("Đinh Thanh Bình" beats the commune "Thanh Bình").
    A foreign run with an organization word is an ORG ("Laotian Times"); with an event word,
    nothing ("Asian Cup"); after "bão" it is a storm.
    """
    u = s.units[i]
    if not u.cap or (i > 0 and s.units[i - 1].alpha and s.units[i - 1].cap and s.units[i - 1].word == u.word):
        return []
    if s.prev_key(i) in NOT_PERSON_BEFORE or u.key in CREDIT_CUES:
        return veto("bare_person.storm_prize_work_or_credit")  # "bão Trà Mi"; "Nguồn Internet" is a credit, not a name
    if i > 0 and (s.place(i - 1) or (0,))[0] > i:
        return veto("bare_person.place_name_goes_on")  # "châu Âu Jonathan Harding": the region's name goes on here
    # After an acronym the name is the body's ("Đồn BP Trà Cổ", "THCS Phương Canh"), unless a known body's
    # acronym stands alone at the end of a title ("Đại sứ tại ASEAN Tôn Thị Ngọc Hương").
    if i > 0 and s.units[i - 1].upper and len(s.units[i - 1].text) >= 2 and s.title_at(i - 1) is None \
            and (not (s.org_alias(i - 1) or s.place(i - 1)) or i > 1 and s.units[i - 2].cap):
        return veto("bare_person.after_a_body_acronym")
    if i > 0 and s.units[i - 1].text[:1].isdigit() and not is_year(s.units[i - 1].text):
        return veto("bare_person.after_a_house_number")  # "16 Trần Quang Khải, Q.1": a street
    end = person_name(s, i, len(s.units))
    if end is None:
        return []
    names = s.units[i:end]
    if names[0].key in NOT_PERSON_BEFORE:
        return veto("bare_person.capitalized_storm_or_work")  # "Bão Maria": the storm's name, capitalized
    first = 1 if names[0].key in s.res.surnames else 0  # "Park Hang-seo" is a man, "Central Park" a place
    roles = {s.res.name_words.get(x.text) for x in names[first:]} - {None}
    if roles:
        label = {frozenset({"org"}): "ORG", frozenset({"place"}): "PLACE"}.get(frozenset(roles))
        return [Candidate(i, end, label, "bare_person", {})] if label else []
    place = s.place(i)
    if place and (place[0] >= end or person_name(s, place[0], end) == end):
        return veto("bare_person.place_or_place_before_name")  # a place, or a place before a name: "Hoa Kỳ Jamieson Greer"
    if names[0].key not in s.res.surnames and any(
            (s.place(k) or (0,))[0] == end for k in range(i + 1, end)):
        return veto("bare_person.word_before_place")  # a capitalized word before a place: "Phía Svay Rieng"
    if s.org_head(i) or s.org_alias(i):
        return []
    vietnamese = names[0].key in s.res.surnames and not any(looks_foreign(x) for x in names)
    if not vietnamese and len(names) < 2:
        return []
    if not vietnamese and not names[0].text.isascii() and not looks_foreign(names[0]) \
            and names[0].key not in s.res.surnames and any(looks_foreign(x) for x in names[1:]):
        return veto("bare_person.vietnamese_word_before_foreign_name")  # "Bệnh Alzheimer", "Tàu Ronald Reagan": a common word, capitalized
    unmarked = len(names) >= 3 and all(x.text.isascii() for x in names) and names[0].key in s.res.unaccented_surnames
    if not vietnamese and not unmarked and not any(x.text in s.res.given_names for x in names) \
            and (any(x.text.lower() in s.res.english_words for x in names)
                 or all(x.text.lower() in s.res.english_dictionary for x in names)):
        return veto("bare_person.english_title_words")  # "Gossip Girl", "Recovery Mode": a show, a product
    return [Candidate(i, end, "LEADER", "bare_person", {})]


@recognizer("tagged_name", "prose", needs=("cap",))
def tagged_name(s: Sentence, i: int) -> list[Candidate]:
    """A given name used alone ("Phi Sơn", "Thanh Lam"), that underthesea tags as one proper noun
    (Np), after a verb, a conjunction or a comma. After a noun it is more often named by that noun
    ("thôn Lệ Sơn", "sân Gò Đậu"); at a sentence start capitals say nothing. Weakest tier: any
    lexicon, title or head wins over it."""
    u = s.units[i]
    if i == 0 or u.pos != "Np" or not proper_case(u) or s.units[i - 1].word == u.word:
        return []
    before = s.units[i - 1]
    if before.alpha and (before.cap or before.pos not in NAME_CONTEXT_POS) or not before.alpha and before.text not in ",;:":
        return []
    end = i + 1
    while end < len(s.units) and s.units[end].word == u.word:
        end += 1
    names = s.units[i:end]
    if end < len(s.units) and (s.units[end].alpha and s.units[end].cap or s.units[end].text[:1].isdigit()):
        return veto("tagged_name.more_capitals_follow")  # more capitals follow: a longer name that other rules read; "Lệ Sơn 2" is numbered
    roles = {s.res.name_words.get(x.text) for x in names} - {None}
    if not all(proper_case(x) for x in names) or roles - {"place"}:
        return []
    if not 2 <= len(names) <= 3 or any(looks_foreign(x) for x in names):
        return []
    label = "PLACE" if roles else "LEADER"  # "đến Gành Yến": a word that only opens place names
    given = names[-1].text in lexicons.vietnamese_given_names() and (s.commune(i) or (0,))[0] < end
    if any(s.place(k) and not (given and s.place(k)[0] < end) or s.org_head(k)
           or s.org_alias(k) or s.project_head(k)
           or s.title_at(k) is not None for k in range(i, end)):
        return []  # but "với Đức Phúc": a short country name inside one given name is the name's
    if s.after_place_trigger(i) or s.inside_org_head(i):
        return []
    return [Candidate(i, end, label, "tagged_name", {})]


@recognizer("caps_name", "prose", needs=("cap",))
def caps_name(s: Sentence, i: int) -> list[Candidate]:
    """A name in capitals inside ordinary text (a byline "HỒ QUỐC DŨNG" before the author's title)."""
    u = s.units[i]
    if not u.upper or u.key not in s.res.surnames or (i > 0 and s.units[i - 1].upper):
        return []
    end = i
    while end < len(s.units) and s.units[end].alpha and s.units[end].upper and end - i < 4:
        end += 1
    if not 2 <= end - i <= 4 or all(len(x.text) == 1 for x in s.units[i:end]):
        return []
    if end < len(s.units) and s.units[end].alpha and s.units[end].upper:
        return []
    if (s.place(i) or (0,))[0] == end:
        return veto("caps_name.place")  # "HÀ NỘI" heading a dispatch is the place
    name = " ".join(x.text.capitalize() for x in s.units[i:end])
    return [Candidate(i, end, "LEADER", "caps_name", {"canonical": name})]


@recognizer("caps_line_person", "sentence")
def caps_line_person(s: Sentence) -> list[Candidate]:
    """A byline that is only a name in capitals ("HỒ QUỐC DŨNG")."""
    alpha = [i for i, u in enumerate(s.units) if u.alpha]
    if not s.caps_line or not 2 <= len(alpha) <= 4 or len(alpha) != len(s.units):
        return []
    if s.units[0].key in s.res.surnames and not s.place(0):
        return [Candidate(0, len(s.units), "LEADER", "caps_line_person", {"canonical": s.text.title()})]
    return []


@recognizer("byline", "sentence")
def byline(s: Sentence) -> list[Candidate]:
    """A line that is only its authors' names: "Hải Bình", "Thu Dung – Văn Thiệp", "NGỌC CHÁNH",
    "N.Hà", "Theo Tuấn Anh/Vnexpress.net", "Huyền Anh - Tuấn Linh (Khám phá)".

    Each name is two to four Vietnamese syllables, all proper-case or all capitals (a pen name
    needs no family name), or initials before a name; names are joined by a dash, a comma or "và";
    after them only an outlet ("/…"), a note in parentheses or a full stop.
    """
    units = s.units
    first = 1 if units and units[0].key == BYLINE_OPENER else 0
    end = next((k for k in range(first, len(units)) if units[k].text in BYLINE_TAILS), len(units))
    if end < len(units) and (end + 1 == len(units) or units[end].text == "(" and units[-1].text != ")"):
        return veto("byline.text_after_the_names")  # "Theo (…", a dangling outlet or note
    if end > first and units[end - 1].text == ".":
        end -= 1
    out, k = [], first
    while k < end:
        start = k
        while k + 1 < end and len(units[k].text) == 1 and units[k].upper and units[k + 1].text == ".":
            k += 2  # "N.T.Vũ": initials before the name
        j = k
        while j < end and units[j].alpha and not looks_foreign(units[j]) \
                and (proper_case(units[j]) or units[j].upper) and units[j].upper == units[k].upper:
            j += 1
        if not (2 <= j - k <= 4 or k > start and j - k >= 1) or len(units[k].text) == 1 and k == start:
            return veto("byline.more_than_a_name")  # only names, then at most an outlet or a note
        place, title = s.place(start), s.title_at(start)
        # in capitals, a place among several names and an address word opening a name are pen names:
        # "CAO NGUYÊN - BẢO THẮNG", "ANH HẢO"
        pen_name = units[k].upper and (out or j < end and units[j].text in DASHES)
        if place and place[0] >= j and not pen_name or s.org_head(start) or s.org_alias(start) \
                or title is not None and not (units[k].upper and title < j) \
                or any(u.key in BREAK_WORDS or u.key in QUANTIFIERS for u in units[k:j]):
            return []
        surface = s.text[units[start].start:units[j - 1].end]
        outlet = lexicons.org_aliases().get(fold(surface))
        if outlet:  # "Theo Dân Trí": the source, an ambiguous alias elsewhere, is the outlet
            out.append(Candidate(start, j, "ORG", "byline", {"canonical": outlet.canonical, "type": outlet.type}))
        else:
            out.append(Candidate(start, j, "LEADER", "byline", {"canonical": surface.title()} if units[k].upper else {}))
        if j < end and not (units[j].text in DASHES or units[j].text == "," or units[j].key == "và"):
            return veto("byline.names_not_joined_by_a_dash_or_comma")  # "Thu Dung nói": a name, then words
        k = j + 1
    return out


@recognizer("credit", "sentence")
def credit(s: Sentence) -> list[Candidate]:
    """The name in a credit: "Ảnh: Gia Chính", "Ảnh: VGP/Nhật Bắc", "Ảnh: Hoàng Hà/TTXVN".

    After the credit word, any short proper-case run is a person, even one that reads like a
    place ("Hoàng Hà") or has no known surname.
    """
    out, n = [], len(s.units)
    for k in range(1, n - 1):
        if s.units[k].text != ":" or s.units[k - 1].key not in CREDIT_CUES:
            continue
        m = k + 1
        if m + 2 < n and s.units[m].upper and s.units[m + 1].text == "/":
            m += 2  # "VGP/Nhật Bắc": the agency first
        end = cap_run(s, m, limit=4)
        closes = end == n or s.units[end].text in CREDIT_CLOSERS
        if not 2 <= end - m <= 4 or not closes or not all(proper_case(u) for u in s.units[m:end]):
            continue
        if s.org_head(m) or s.org_alias(m) \
                or s.title_at(m) is not None:
            continue
        out.append(Candidate(m, end, "LEADER", "credit", {}))
    return out
