"""The lexicon files parse, agree with themselves, and cover what they promise."""
from __future__ import annotations

import importlib.util
import json
import unicodedata
from collections import defaultdict
from importlib import resources
from pathlib import Path

import pytest

from pipeline import lexicons as L
from pipeline.lexicons import fold, loose_key

COLUMNS = {  # every file of pipeline/resources/*.tsv, with its documented columns
    "places.tsv": ["name", "canonical", "type", "country", "flags"],
    "communes.tsv": ["name", "type", "province", "era"],
    "surnames.tsv": ["surname", "note"],
    "titles.tsv": ["title", "kind", "note"],
    "org_heads.tsv": ["head", "type", "note"],
    "org_aliases.tsv": ["alias", "canonical", "country", "type", "flags", "note"],
    "project_heads.tsv": ["head", "kind", "note"],
    "stop_acronyms.tsv": ["token", "note"],
    "currencies.tsv": ["surface", "iso", "note"],
    "goal_cues.tsv": ["cue"],
    "name_words.tsv": ["word", "role"],
    "project_synonyms.tsv": ["variant", "head"],
    "relation_cues.tsv": ["cue", "object"],
    "rules.tsv": ["rule_id", "family", "scope", "weight", "example"],
    "sport_cues.tsv": ["cue"],
    "syllables.tsv": ["part", "spellings"],
    "tcvn3.tsv": ["byte", "char", "name"],
    "usd_rates.tsv": ["currency", "year", "per_usd"],
    "vni.tsv": ["byte", "cp1252", "becomes", "meaning"],
    "word_roles.tsv": ["word", "role", "value", "example"],
    "vetoes.tsv": ["veto_id", "rule_id", "example"],
    "english_words.tsv": ["word", "note"],
    "given_names.tsv": ["name", "origin"],
    "vietnamese_given_names.tsv": ["name", "gender"],
    "ethnic_groups.tsv": ["name"],
    "famous_people.tsv": ["name", "field", "country"],
}
REQUIRED = {  # columns that must never be empty
    "places.tsv": ["name", "canonical", "type"],
    "communes.tsv": ["name", "type", "province", "era"],
    "surnames.tsv": ["surname"],
    "titles.tsv": ["title", "kind"],
    "org_heads.tsv": ["head", "type"],
    "org_aliases.tsv": ["alias", "canonical", "type"],
    "project_heads.tsv": ["head", "kind"],
    "stop_acronyms.tsv": ["token"],
    "currencies.tsv": ["surface", "iso"],
    "goal_cues.tsv": ["cue"],
    "name_words.tsv": ["word", "role"],
    "project_synonyms.tsv": ["variant", "head"],
    "relation_cues.tsv": ["cue", "object"],
    "rules.tsv": ["rule_id", "family", "scope", "example"],
    "sport_cues.tsv": ["cue"],
    "syllables.tsv": ["part", "spellings"],
    "tcvn3.tsv": ["byte", "char"],
    "usd_rates.tsv": ["currency", "year", "per_usd"],
    "vni.tsv": ["byte"],
    "word_roles.tsv": ["word", "role", "example"],
    "vetoes.tsv": ["veto_id", "rule_id", "example"],
    "english_words.tsv": ["word"],
    "given_names.tsv": ["name"],
    "vietnamese_given_names.tsv": ["name", "gender"],
    "ethnic_groups.tsv": ["name"],
    "famous_people.tsv": ["name", "field", "country"],
}
KEY = {"places.tsv": "name", "surnames.tsv": "surname", "titles.tsv": "title", "org_heads.tsv": "head",
       "org_aliases.tsv": "alias", "project_heads.tsv": "head"}
VALUE = {"places.tsv": "canonical", "titles.tsv": "kind", "org_heads.tsv": "type",
         "org_aliases.tsv": "canonical", "project_heads.tsv": "kind"}
PROJECT_KINDS = {"railway", "expressway", "port", "industrial_zone", "energy", "programme", "agreement", "other"}
# located without importing underthesea (slow): the province lists are counted from its own data
UNDERTHESEA_MAPPING = (Path(importlib.util.find_spec("underthesea").origin).parent
                       / "address" / "data" / "mapping.json")


def _raw_lines(filename: str) -> list[str]:
    return resources.files("pipeline.resources").joinpath(filename).read_text(encoding="utf-8").splitlines()


def test_every_resource_file_is_described():
    files = {p.name for p in resources.files("pipeline.resources").iterdir() if p.name.endswith(".tsv")}
    assert files == set(COLUMNS) == set(REQUIRED)


@pytest.mark.parametrize("filename", sorted(COLUMNS))
def test_file_format(filename):
    lines = _raw_lines(filename)
    assert lines[0].startswith("# source:"), "each file starts with its source"
    body = [x for x in lines if x.strip() and not x.startswith("#")]
    assert body[0].split("\t") == COLUMNS[filename]
    for line in body[1:]:
        assert line == unicodedata.normalize("NFC", line), f"not NFC: {line!r}"
        assert len(line.split("\t")) <= len(COLUMNS[filename]), f"too many columns: {line!r}"
    rows = L.table(filename)
    assert len(rows) == len(body) - 1
    for row in rows:
        for col in REQUIRED[filename]:
            assert row[col], f"{filename}: empty {col} in {row}"


@pytest.mark.parametrize("filename", sorted(VALUE))
def test_no_conflicting_duplicates(filename):
    seen: dict[str, set[str]] = defaultdict(set)
    for row in L.table(filename):
        seen[fold(row[KEY[filename]])].add(row[VALUE[filename]])
    conflicts = {k: v for k, v in seen.items() if len(v) > 1}
    assert not conflicts


def test_fold_tone_styles_case_and_forms():
    assert fold("Hoà Bình") == fold("Hòa Bình") == fold("HOÀ BÌNH") == "hòa bình"
    assert fold("Thuỵ Sĩ") == fold("Thụy Sĩ")
    assert fold("Uỷ ban") == fold("Ủy ban")
    assert fold("khoẻ") == fold("khỏe")
    assert fold("quý") == "quý"            # u of "qu" never takes the mark
    assert fold("hoàn") == "hoàn"          # closed syllable: one style only
    nfd = unicodedata.normalize("NFD", "Cộng hòa Dân chủ Nhân dân Lào")
    assert nfd != unicodedata.normalize("NFC", nfd)
    assert fold(nfd) == fold("Cộng hòa Dân chủ Nhân dân Lào")
    assert fold(fold("Hoà  Bình")) == fold("Hoà Bình")  # idempotent


def test_fold_and_loose_key_dashes():
    assert fold("Việt Nam – Lào") == fold("Việt Nam-Lào") == fold("Việt Nam — Lào") == "việt nam-lào"
    assert fold("Viêng - chăn") != fold("Viêng Chăn")
    assert loose_key("Viêng - chăn") == loose_key("Viêng Chăn") == loose_key("Viêngchăn")
    assert loose_key("TP. HCM") == loose_key("TPHCM") == loose_key("TP.HCM")


def test_places_core():
    p = L.places()
    assert p["lào"].canonical == "Lào" and p["lào"].type == "country"
    assert p[fold("Vientiane")].canonical == "Viêng Chăn"
    assert p[fold("Viêng Chăn")].type == "capital"
    assert L.lookup_place("Viêng - chăn").canonical == "Viêng Chăn"
    assert p[fold("Cộng hoà Dân chủ Nhân dân Lào")].canonical == "Lào"
    assert p[fold("CHDCND Lào")].canonical == "Lào"
    assert p[fold("Vương quốc Campuchia")].canonical == "Campuchia"
    assert p[fold("Hoa Kỳ")].canonical == p[fold("Mỹ")].canonical == p[fold("Hợp chủng quốc Hoa Kỳ")].canonical
    assert p[fold("Việt")].canonical == "Việt Nam" and "pair_only" in p[fold("Việt")].flags
    for alias in ("TP.HCM", "TP HCM", "TPHCM", "Sài Gòn", "Thành phố Hồ Chí Minh"):
        assert p[fold(alias)].canonical == "Thành phố Hồ Chí Minh", alias
    assert p[fold("miền Trung")].canonical == "miền Trung"
    assert p[fold("Lao Bảo")].type == "border_gate"
    assert p[fold("Luang Prabang")].canonical == p[fold("Luông Pha Bang")].canonical
    assert p[fold("Siem Reap")].country == "Campuchia"
    assert p[fold("Quảng Tây")].country == "Trung Quốc"
    assert p[fold("Đông Nam Á")].type == "region"
    assert p[fold("Anh")].ambiguous


def test_all_provinces_old_and_new_present():
    data = json.loads(UNDERTHESEA_MAPPING.read_text(encoding="utf-8"))
    new = [v["short"] for v in data["province_names"].values()]
    old = [v["short"] for v in data["old_province_names"].values()]
    assert len(set(new)) == 34 and len(set(old)) == 63
    p = L.places()
    missing = [s for s in set(new) | set(old)
               if not (fold(s) in p or fold("Thành phố " + s) in p)]
    assert not missing
    for s in new:
        place = p.get(fold(s)) or p[fold("Thành phố " + s)]
        assert place.type in {"province", "city"} and place.country == "Việt Nam", s
        assert "pre2025" not in place.flags, s
    assert "pre2025" in p[fold("Bình Định")].flags


def test_districts_and_communes():
    p = L.places()
    assert p[fold("Bình Sơn")].type == "district"
    assert p[fold("Nam Giang")].country == "Việt Nam"
    c = L.communes()
    assert "commune" in c[fold("Bình Hiệp")].types
    assert "ward" in c[fold("Hải Vân")].types
    assert "special_zone" in c[fold("Phú Quốc")].types


def test_surnames():
    s = L.surnames()
    assert {"Nguyễn", "Trần", "Tô", "Tập", "Âu Dương"} <= s
    assert len(s) >= 120
    assert L.is_surname("NGUYỄN") and not L.is_surname("Hà Nội")


def test_titles():
    t = L.titles()
    assert t[fold("Tổng Bí thư")] == "office"
    assert t[fold("Thủ tướng")] == "office"
    assert t[fold("ông")] == "honorific"
    assert t[fold("HLV")] == "role"
    assert t[fold("Phó")] == "prefix"
    assert set(t.values()) == {"office", "honorific", "role", "prefix"}


def test_org_heads_and_aliases():
    h = L.org_heads()
    assert h[fold("Bộ")] == "ministry" and h[fold("Tập đoàn")] == "company" and h[fold("UBND")] == "government"
    a = L.org_aliases()
    assert a[fold("EVN")].canonical == "Tập đoàn Điện lực Việt Nam"
    assert a[fold("ACV")].canonical == "Tổng công ty Cảng hàng không Việt Nam"
    assert a[fold("TTXVN")].canonical == a[fold("Thông tấn xã Việt Nam")].canonical
    assert a[fold("LHQ")].canonical == a[fold("Liên hợp quốc")].canonical == "Liên Hợp Quốc"
    assert a[fold("ASEAN")].type == "international"
    nhan_dan = a[fold("Nhân Dân")]
    assert nhan_dan.matches_case("Nhân Dân") and not nhan_dan.matches_case("nhân dân")
    assert a[fold("EVN")].matches_case("evn")
    for alias in a.values():  # every canonical is itself a known alias
        assert fold(alias.canonical) in a, alias.canonical


def test_project_heads():
    ph = L.project_heads()
    assert ph[fold("đường sắt")] == "railway"
    assert ph[fold("cao tốc")] == "expressway"
    assert ph[fold("khu công nghiệp")] == "industrial_zone"
    assert ph[fold("bến cảng")] == "port"
    assert ph[fold("đường dây")] == "energy"
    assert ph[fold("Nghị định thư")] == "agreement"
    assert ph[fold("Đề án")] == "programme"
    assert set(ph.values()) <= PROJECT_KINDS | {"route", "document"}  # route: kind taken from context
    assert ph[fold("tuyến")] == "route"
    assert ph[fold("Quyết định")] == "document"  # needs a number or a name; written out as kind other


def test_stop_acronyms():
    s = L.stop_acronyms()
    assert {"GDP", "USD", "FDI", "KCN", "TP"} <= s
    assert "EVN" not in s and "ASEAN" not in s
    assert not s & {a.alias for a in L.org_aliases().values()}


def test_word_roles_are_what_the_rules_use():
    roles = L.word_roles()
    assert {"và", "của", "tại"} <= set(roles["break"]) and "von" in roles["particle"]
    assert L.word_values("unit_abbreviation") == {"H": "huyện", "Q": "quận", "P": "phường", "X": "xã",
                                                  "TX": "thị xã", "TP": "thành phố"}
    pairs = [(r["word"], r["role"]) for r in L.table("word_roles.tsv")]
    assert len(pairs) == len(set(pairs)), "one row per word and role"
    for role in ("commune_trigger", "street_trigger", "village_trigger", "area_trigger"):
        assert set(roles[role]) <= set(roles["place_trigger"]), role  # compared with the trigger that matched


def test_famous_people_are_no_places_bodies_or_vietnamese_names():
    people = L.famous_people()
    assert {"Messi", "Putin", "Son Heung-min"} <= people
    clashes = [p for p in people if L.lookup_place(p) or fold(p) in L.org_aliases()
               or p in L.vietnamese_given_names()]
    assert clashes == []


def test_ethnic_groups():
    groups = L.ethnic_groups()
    assert {"Mông", "Ê Đê", "Khmer", "Kinh"} <= groups and len(groups) >= 54
