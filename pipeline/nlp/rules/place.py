"""PLACE recognizers: lexicon places, names after a type word ("tỉnh Hà Tĩnh"), bare names after a
preposition of place ("tại Deir Ezzor")."""
from __future__ import annotations

from ...text import DASHES
from .engine import Candidate, recognizer, veto
from .shapes import cap_run, name_runs_on, place_name
from .units import Sentence, looks_foreign, proper_case
from .words import (BREAK_WORDS, COORDINATORS, COUNTRY_TYPES, DIRECTIONS, HEADING_PLACE_TYPES, LIST_LINKS,
                    LOCATIVES)


@recognizer("place_lexicon", "lexicon", needs=("places",))
def place_lexicon(s: Sentence, i: int) -> list[Candidate]:
    hit = s.place(i)
    if not hit:
        return []
    j, place = hit
    trigger = s.place_trigger(i)
    if trigger and trigger[0] < j and s.units[trigger[0]].cap and place.name[:1].isupper() \
            and s.units[trigger[0]].start > s.units[trigger[0] - 1].end \
            and not (s.units[trigger[0]].upper and j - trigger[0] == 1):  # "TP HCM" stays whole
        return veto("place_lexicon.after_capitalized_trigger")  # "TP Đà Nẵng": the trigger rule tags the name without its type word
    first = s.units[i]
    if place.name[:1].isupper() and not first.cap and not (place.type == "region" and j - i >= 2
                                                           and first.key not in DIRECTIONS):
        return veto("place_lexicon.lowercase_direction")  # "đông bắc Thái Lan": a lowercase direction is not part of the name
    if "ambiguous" in place.flags and (s.continues_lowercase(j - 1) or not s.units[j - 1].cap
                                       or i > 0 and s.units[i - 1].alpha and s.units[i - 1].cap
                                       or j < len(s.units) and proper_case(s.units[j])):
        return veto("place_lexicon.ambiguous_common_word")  # "Anh hùng", "hòa bình": the common word; "Chủ Nhật", "Anh Đức": inside a longer name
    if "ambiguous" in place.flags and j - i == 1 and s.clause_start(i) and j < len(s.units) \
            and s.units[j].alpha and not s.units[j].cap and s.units[j].key not in LIST_LINKS:
        return veto("place_lexicon.ambiguous_pronoun")  # "Anh có một gia đình", "Anh ấy": the pronoun opening a clause
    if s.prev_key(i) == "tiếng":
        return veto("place_lexicon.language")  # "tiếng Lào" is the language
    if s.caps_line and place.type not in HEADING_PLACE_TYPES:
        return veto("place_lexicon.heading_minor_place")  # headings: only well-known places
    if "pair_only" in place.flags and not _in_pair(s, i, j):
        return veto("place_lexicon.short_form_alone")  # "Việt" alone is a language or people, not a place
    if name_runs_on(s, j):
        return veto("place_lexicon.longer_name")  # part of a longer name: "Hà Nội Times"
    return [Candidate(i, j, "PLACE", "place_lexicon", {"canonical": place.canonical, "type": place.type,
                                          "country": place.country})]


def _in_pair(s: Sentence, i: int, j: int) -> bool:
    """Short forms ("Việt", "Hàn") only count inside a dash pair of places ("Việt - Lào") or a list
    of countries ("Nhật, Hàn và Trung Quốc")."""
    before = i >= 2 and s.units[i - 1].text in DASHES
    after = j < len(s.units) - 1 and s.units[j].text in DASHES
    return before or after or _listed_with_country(s, i - 2, i - 1) or _listed_with_country(s, j + 1, j)


def _listed_with_country(s: Sentence, k: int, link: int) -> bool:
    """Is there a country at k, joined by "và", "," or "hoặc" at `link`?"""
    if not (0 <= k < len(s.units) and 0 <= link < len(s.units)) or s.units[link].key not in LIST_LINKS:
        return False
    if link < k:
        hit = s.place(k)
        return bool(hit and hit[1].type in COUNTRY_TYPES and s.units[k].cap)
    return any((hit := s.place(m)) and hit[0] == link and hit[1].type in COUNTRY_TYPES
               and s.units[m].cap for m in range(max(0, link - 4), link))


@recognizer("place_trigger", "prose", needs=("place_triggers", "cap"))
def place_trigger(s: Sentence, i: int) -> list[Candidate]:
    """ "tỉnh Hà Tĩnh", "thủ đô Viêng Chăn", "xã Bình Hiệp và Bình Thanh": the name after a type word."""
    hit = s.place_trigger(i) or s.abbreviated_unit(i)
    if not hit:
        return []
    j, trigger = hit
    first = s.units[i]
    if i > 0 and s.units[i - 1].word == first.word:
        return veto("place_trigger.inside_word")  # "Biên bản Kỳ họp": "bản" inside a word is not the village type word
    if first.cap and not first.upper and j - i == 1 and (i > 0 or first.key in s.res.surnames):
        return veto("place_trigger.capitalized_name")  # a capitalized "Hồ" is a name, not a type word; "TP" is one
    if first.upper and j < len(s.units) and s.units[j].upper:
        return veto("place_trigger.acronym_name")  # "TP HCM": the acronym stands for the whole name (places.tsv)
    if first.cap and s.org_head(i):
        return []
    out, k = [], j
    while k < len(s.units) and s.units[k].cap:
        name = place_name(s, k, trigger)
        if name is None:
            break
        out.append(Candidate(k, name[0], "PLACE", "place_trigger", name[1]))
        k = name[0]
        if k + 1 < len(s.units) and (s.units[k].key in COORDINATORS or s.units[k].text in DASHES) \
                and proper_case(s.units[k + 1]):
            k += 1  # "xã Bình Hiệp và Bình Thanh", "cửa khẩu Tân Thanh – Pò Chài"
            continue
        break
    return out


@recognizer("located_place", "prose", needs=("cap",))
def located_place(s: Sentence, i: int) -> list[Candidate]:
    """ "tại Deir Ezzor", "rút khỏi Khe Sanh": a bare name after a preposition of place."""
    if s.prev_key(i) not in LOCATIVES or not proper_case(s.units[i]) or s.units[i].key in BREAK_WORDS:
        return []
    end = cap_run(s, i, limit=4)
    if end <= i or any(u.text in DASHES or not proper_case(u) for u in s.units[i:end]):
        return []
    if end - i == 1 and not looks_foreign(s.units[i]) and end < len(s.units) and s.units[end].alpha:
        return veto("located_place.capitalized_common_noun")  # "tại Kỳ họp", "tại Nhà Quốc hội": a capitalized common noun
    if s.title_at(i) is not None or s.org_head(i) \
            or s.org_alias(i) or s.project_head(i) \
            or any(s.res.name_words.get(u.text, "place") != "place" for u in s.units[i:end]):
        return []
    return [Candidate(i, end, "PLACE", "located_place", {})]
