"""ORG recognizers: known aliases, names from a head word ("Bộ Ngoại giao"), camel-case brands,
acronyms named by a place, age-group teams, outlets named by their web address or after a reporter."""
from __future__ import annotations

import re

from ... import lexicons
from ...text import fold
from .engine import Candidate, recognizer, veto
from .shapes import acronym, glued_to_code, jurisdiction_end, name_runs_on, org_span
from .units import Sentence
from .words import ACRONYM_PLACE_TYPES, BRANCH_PLACE_TYPES, BRANCHING_TYPES, OUTLET_CUES, QUANTIFIERS, WEB_DOMAINS

OUTLET_CUE_ENDS = frozenset(cue.rsplit(" ", 1)[-1] for cue in OUTLET_CUES)  # a cheap first test
YOUTH_TEAM = re.compile(r"^U\d{2}$")


@recognizer("org_alias", "lexicon", needs=("org_aliases",))
def org_alias(s: Sentence, i: int) -> list[Candidate]:
    hit = s.org_alias(i)
    if not hit:
        return []
    j, alias = hit
    if s.prev_key(i) in QUANTIFIERS:
        return []
    if not s.units[i].cap or glued_to_code(s, i, j):
        return []
    surface = s.text[s.units[i].start:s.units[j - 1].end]
    if "platform" in alias.flags:
        return veto("org_alias.platform")  # "chia sẻ trên Facebook": the medium, a product rather than the company
    short_acronym = len(alias.alias) <= 3 and alias.alias.isupper()
    if "case" in alias.flags and surface != alias.alias or short_acronym and not surface.isupper():
        return veto("org_alias.case")  # "NAM" (the Non-Aligned Movement) is not "phía Nam"; "UN" is not "Kim Jong Un"
    canonical = None if surface.replace("&", "").isupper() else alias.canonical
    suffix = jurisdiction_end(s, j)
    if suffix:
        return [Candidate(i, suffix, "ORG", "org_alias.jurisdiction", {})]
    branch = s.place(j) if alias.type in BRANCHING_TYPES and j < len(s.units) and s.units[j].cap \
        and s.units[j].start > s.units[j - 1].end else None
    if branch and branch[1].type in BRANCH_PLACE_TYPES and not name_runs_on(s, branch[0]):
        return [Candidate(i, branch[0], "ORG", "org_alias", {})]  # "Samsung Việt Nam", "Vietravel Hà Nội": its branch
    return [Candidate(i, j, "ORG", "org_alias", {"canonical": canonical, "country": alias.country or None})]


@recognizer("camel_brand", "prose", needs=("cap",))
def camel_brand(s: Sentence, i: int) -> list[Candidate]:
    """A brand written in camel case names a company: "OceanBank", "VinaPhone", "DongA Bank"; product
    names ("FaceID", "WiFi") are in the stop list."""
    if acronym(s, i) != "camel":
        return []
    known = s.org_alias(i)
    if known and "platform" in known[1].flags:
        return veto("camel_brand.platform")  # "YouTube": a platform, a product (org_aliases.tsv)
    end = i + 1
    while end < len(s.units) and s.res.name_words.get(s.units[end].text) == "org":
        end += 1  # "DongA Bank"
    return [Candidate(i, end, "ORG", "camel_brand", {})]


@recognizer("placed_acronym", "prose", needs=("cap",))
def placed_acronym(s: Sentence, i: int) -> list[Candidate]:
    """An acronym named by its country or province is a body: "LĐBĐ Việt Nam", "LĐLĐ tỉnh Quảng Nam"."""
    if acronym(s, i) is None or i + 1 >= len(s.units):
        return []
    place = s.place(i + 1) if s.units[i + 1].cap else None
    end = place[0] if place and place[1].type in ACRONYM_PLACE_TYPES else jurisdiction_end(s, i + 1)
    return [Candidate(i, end, "ORG", "placed_acronym", {})] if end else []


@recognizer("youth_team", "prose", needs=("cap",))
def youth_team(s: Sentence, i: int) -> list[Candidate]:
    """An age-group team is named by its age and country: "U16 Việt Nam", "U23 Thái Lan"."""
    if not YOUTH_TEAM.match(s.units[i].text) or i + 1 >= len(s.units):
        return []
    place = s.place(i + 1)
    return [Candidate(i, place[0], "ORG", "youth_team", {"type": "club"})] if place and s.units[i + 1].cap else []


@recognizer("outlet_domain", "prose")
def outlet_domain(s: Sentence, i: int) -> list[Candidate]:
    """A news outlet named by its web address: "VOV.VN", "Chinhphu.vn", "Dantri.com.vn"."""
    end = i + 1
    while end + 1 < len(s.units) and s.units[end].text == "." and s.glued(end - 1, end) \
            and s.glued(end, end + 1) and s.units[end + 1].key in WEB_DOMAINS:
        end += 2
    if end == i + 1:
        return []  # most units: no ".vn" or ".com" follows
    if i > 0 and s.glued(i - 1, i) and s.units[i - 1].text in "./@":
        return veto("outlet_domain.inside_address")  # inside a longer address
    return [Candidate(i, end, "ORG", "outlet_domain", {})]


@recognizer("outlet_name", "prose", needs=("cap",))
def outlet_name(s: Sentence, i: int) -> list[Candidate]:
    """An outlet whose name is also a common word or a name (org_aliases.tsv, media, ambiguous), after
    a word that names an outlet: "phóng viên Thanh Niên", "PV Tuổi Trẻ", "báo Tiền Phong"."""
    if not s.units[i].cap or i == 0 or s.units[i - 1].key not in OUTLET_CUE_ENDS \
            or not any(fold(s.text[s.units[m].start:s.units[i - 1].end]) in OUTLET_CUES for m in range(max(0, i - 2), i)):
        return []
    for end in range(min(len(s.units), i + 4), i, -1):
        alias = lexicons.org_aliases().get(fold(s.text[s.units[i].start:s.units[end - 1].end]))
        if alias and alias.type == "media" and all(u.cap for u in s.units[i:end]) and not name_runs_on(s, end):
            return [Candidate(i, end, "ORG", "outlet_name", {"canonical": alias.canonical, "type": alias.type})]
    return []


@recognizer("org_head", "prose", needs=("org_heads",))
def org_head(s: Sentence, i: int) -> list[Candidate]:
    """An organization named from its head word: "Bộ Ngoại giao", "Tập đoàn Điện lực Việt Nam"."""
    span = org_span(s, i)
    return [Candidate(i, span[0], "ORG", "org_head", span[1])] if span else []
