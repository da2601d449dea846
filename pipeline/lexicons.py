"""Lexicons as data: places, surnames, titles, organisation heads and aliases, project heads, stop acronyms.

Every table is a UTF-8 TSV file in ``pipeline/resources`` (``#`` comment lines first, saying where the data
comes from, then a header row). Loading is pure and cached: each function reads its file once per process.

Lookups go through :func:`fold`, a matching key that ignores case, Unicode normalization form, the old/new
tone-mark placement and the kind of dash::

    >>> fold("Hoà Bình") == fold("Hòa Bình") == fold("HÒA BÌNH")
    True
    >>> fold("Việt Nam – Lào")
    'việt nam-lào'
    >>> places()[fold("Vientiane")].canonical
    'Viêng Chăn'

:func:`loose_key` drops spaces and dashes as well, for spellings such as "Viêng - chăn" or "Viêngchăn".
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from . import config
from .text import fold, fold_all, loose_key

__all__ = [
    "Commune", "OrgAlias", "Place",
    "fold", "loose_key", "table",
    "places", "lookup_place", "communes", "surnames", "is_surname", "titles",
    "org_heads", "org_aliases", "project_heads", "stop_acronyms", "word_roles", "word_values",
]

_PACKAGE = "pipeline.resources"


def table(filename: str) -> list[dict[str, str]]:
    """Rows of a resource TSV as dicts keyed by its header (comment lines skipped, cells NFC and stripped).

    >>> table("surnames.tsv")[0]["surname"]
    'Nguyễn'
    """
    text = resources.files(_PACKAGE).joinpath(filename).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    header = lines[0].split("\t")
    rows = []
    for line in lines[1:]:
        cells = [unicodedata.normalize("NFC", c.strip()) for c in line.split("\t")]
        if len(cells) > len(header):
            raise ValueError(f"{filename}: too many columns in {line!r}")
        rows.append(dict(zip(header, cells + [""] * (len(header) - len(cells)))))
    return rows


def _flags(cell: str) -> frozenset[str]:
    return frozenset(f.strip() for f in cell.split(",") if f.strip())


@dataclass(frozen=True)
class Place:
    """A place name: "Vientiane" -> Place(name="Vientiane", canonical="Viêng Chăn", type="capital", country="Lào").

    ``flags``: "ambiguous" (also a common word or given name: "Anh", "Đức", "Nga"), "pair_only" (a short form
    such as "Việt" in "Việt-Lào"), "pre2025" (merged or abolished on 01/07/2025), "historical", "homonym".
    """

    name: str
    canonical: str
    type: str
    country: str
    flags: frozenset[str] = frozenset()

    @property
    def ambiguous(self) -> bool:
        return "ambiguous" in self.flags or "pair_only" in self.flags


@dataclass(frozen=True)
class Commune:
    """A commune-level name ("Bình Hiệp"): usable only after a trigger word such as "xã" or "phường"."""

    name: str
    types: frozenset[str]      # commune (xã), ward (phường), township (thị trấn), special_zone (đặc khu)
    provinces: frozenset[str]


@dataclass(frozen=True)
class OrgAlias:
    """A known organisation name or acronym: "EVN" -> "Tập đoàn Điện lực Việt Nam".

    ``flags``: "ambiguous" (also a common word: the newspaper "Nhân Dân"), "case" (match only with the exact
    case as written: "MB", "AP").
    """

    alias: str
    canonical: str
    country: str
    type: str
    flags: frozenset[str] = frozenset()
    note: str = ""

    def matches_case(self, text: str) -> bool:
        """True when ``text`` may be this alias given its case rule: "Nhân Dân" yes, "nhân dân" no."""
        if "case" in self.flags or "ambiguous" in self.flags:
            return unicodedata.normalize("NFC", text) == self.alias
        return fold(text) == fold(self.alias)


@cache
def places() -> dict[str, Place]:
    """Place names keyed by :func:`fold`: ``places()["lào"].canonical == "Lào"``."""
    out: dict[str, Place] = {}
    for r in table("places.tsv"):
        out.setdefault(fold(r["name"]), Place(r["name"], r["canonical"], r["type"], r["country"],
                                              _flags(r["flags"])))
    return out


@cache
def _places_loose() -> dict[str, Place]:
    out: dict[str, Place] = {}
    clash: set[str] = set()
    for place in places().values():
        key = loose_key(place.name)
        if key in out and out[key].canonical != place.canonical:
            clash.add(key)
        out.setdefault(key, place)
    return {k: v for k, v in out.items() if k not in clash}


def lookup_place(text: str) -> Place | None:
    """The place named ``text``, by exact fold then by :func:`loose_key`: "Viêng - chăn" -> Viêng Chăn."""
    return places().get(fold(text)) or _places_loose().get(loose_key(text))


@cache
def communes() -> dict[str, Commune]:
    """Commune/ward names keyed by :func:`fold` ("bình hiệp" -> Commune(types={"commune"}, ...))."""
    acc: dict[str, tuple[str, set[str], set[str]]] = {}
    rows = table("communes.tsv")
    for r, key in zip(rows, fold_all([r["name"] for r in rows])):
        name, types, provs = acc.setdefault(key, (r["name"], set(), set()))
        types.add(r["type"])
        provs.add(r["province"])
    return {k: Commune(n, frozenset(t), frozenset(p)) for k, (n, t, p) in acc.items()}


@cache
def surnames() -> frozenset[str]:
    """Family names as written, NFC ("Nguyễn", "Tôn Thất", "Tập")."""
    return frozenset(r["surname"] for r in table("surnames.tsv"))


@cache
def _surname_keys() -> frozenset[str]:
    return frozenset(fold(s) for s in surnames())


def is_surname(word: str) -> bool:
    """True for a family name in any case or tone style: ``is_surname("NGUYỄN")``."""
    return fold(word) in _surname_keys()


@cache
def titles() -> dict[str, str]:
    """Titles before a person's name, fold -> kind (office, honorific, role, prefix): "tổng bí thư" -> "office"."""
    return {fold(r["title"]): r["kind"] for r in table("titles.tsv")}


@cache
def state_offices() -> frozenset[str]:
    """Titles of state and party office, folded ("bộ trưởng"): the field a holder heads may follow them
    capitalized ("Bộ trưởng Công Thương"), as it does not after a profession ("đạo diễn Quốc Tuấn")."""
    return frozenset(fold(r["title"]) for r in table("titles.tsv") if r["note"] == "state and party office")


@cache
def org_heads() -> dict[str, str]:
    """Words that start organisation names, fold -> type: "bộ" -> "ministry", "tập đoàn" -> "company"."""
    return {fold(r["head"]): r["type"] for r in table("org_heads.tsv")}


@cache
def dictionary_words() -> frozenset[str]:
    """Vietnamese common words of two syllables or more, folded: underthesea's Viet74K word list.

    Tells a capitalized common noun ("An ninh", "Kỳ họp") from a name that underthesea glued to the
    next word ("Long yêu", "Hàn siết").

    >>> fold("an ninh") in dictionary_words(), fold("long yêu") in dictionary_words()
    (True, False)
    """
    words = (config.underthesea_dir() / "corpus" / "data" / "Viet74K.txt").read_text(encoding="utf-8")
    return frozenset(fold_all([w for w in words.splitlines() if " " in w.strip()]))


@cache
def famous_people() -> frozenset[str]:
    """Well-known people as the press names them alone ("Messi", "Putin", "Son Heung-min"), as written."""
    return frozenset(r["name"] for r in table("famous_people.tsv"))


@cache
def ethnic_groups() -> frozenset[str]:
    """The 54 ethnic groups of Vietnam as written ("Mông", "Ê Đê"): after "người" or a role noun, a people,
    not a person ("nghệ nhân Mông")."""
    return frozenset(r["name"] for r in table("ethnic_groups.tsv"))


@cache
def vietnamese_given_names() -> frozenset[str]:
    """Single syllables Vietnamese use as given names ("Minh", "Thảo"), as written (NFC, Title case)."""
    return frozenset(r["name"] for r in table("vietnamese_given_names.tsv"))


@cache
def english_dictionary() -> frozenset[str]:
    """English common words: the lowercase entries of Webster's Second International (the
    `english-words` package), whose capitalized entries are proper nouns and are left out.

    Tells a capitalized English word ("Messenger", "Steam") from a foreign name ("Messi").

    >>> "steam" in english_dictionary(), "messi" in english_dictionary()
    (True, False)
    """
    from english_words import get_english_words_set

    return frozenset(w for w in get_english_words_set(["web2"], lower=False) if w.islower())


@cache
def sport_cues() -> re.Pattern:
    """Words of match reports ("ghi bàn", "HLV"), as one pattern over folded text."""
    cues = sorted((fold(r["cue"]) for r in table("sport_cues.tsv")), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(c) for c in cues) + r")(?!\w)")


@cache
def complete_org_heads() -> frozenset[str]:
    """Heads that are whole names although their last word is lowercase ("Cục Đường sắt"), folded."""
    return frozenset(fold(r["head"]) for r in table("org_heads.tsv") if r["note"].startswith("complete:"))


@cache
def org_aliases() -> dict[str, OrgAlias]:
    """Known organisations by name or acronym, fold -> OrgAlias: "ttxvn" -> Thông tấn xã Việt Nam."""
    out: dict[str, OrgAlias] = {}
    for r in table("org_aliases.tsv"):
        out.setdefault(fold(r["alias"]), OrgAlias(r["alias"], r["canonical"], r["country"], r["type"],
                                                  _flags(r["flags"]), r["note"]))
    return out


@cache
def project_heads() -> dict[str, str]:
    """Head nouns of project names, fold -> kind: "đường sắt" -> "railway", "khu công nghiệp" -> "industrial_zone"."""
    return {fold(r["head"]): r["kind"] for r in table("project_heads.tsv")}


@cache
def stop_acronyms() -> frozenset[str]:
    """ALL-CAPS tokens that are not organisations ("GDP", "USD", "KCN", "TP"), as written (case-sensitive)."""
    return frozenset(r["token"] for r in table("stop_acronyms.tsv"))


@cache
def word_roles() -> dict[str, tuple[str, ...]]:
    """The rule engine's word roles (`word_roles.tsv`), role -> words in file order: "break" -> ("và", "với", …)."""
    out: dict[str, list[str]] = {}
    for r in table("word_roles.tsv"):
        out.setdefault(r["role"], []).append(r["word"])
    return {role: tuple(words) for role, words in out.items()}


@cache
def word_values(role: str) -> dict[str, str]:
    """word -> value for the rows of one role: "unit_abbreviation" -> {"H": "huyện", "TP": "thành phố", …}."""
    return {r["word"]: r["value"] for r in table("word_roles.tsv") if r["role"] == role}
