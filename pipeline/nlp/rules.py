"""Rule-based recognition of LEADER, PLACE, ORG and PROJECT in one sentence.

Works on syllable *units* rather than underthesea words, because underthesea sometimes glues a
name to the next word ("Tô Lâm lựa chọn") and entity boundaries must be exact. underthesea's
word boundaries and POS tags are kept on each unit as signals.

Signals, all general: lexicons (places, titles, organization and project heads, acronyms,
surnames), capitalization and name shape, Vietnamese vs foreign orthography, trigger words
("tỉnh", "thủ đô", "cửa khẩu"…), and underthesea POS. Candidates are resolved outermost-first
within priority tiers, as ANNOTATION.md asks ("Đảng Cộng sản Việt Nam" is one ORG).
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field, replace

from .. import lexicons
from ..text import DASHES, PAREN_ACRONYM, UNIT_RE, VIETNAMESE_SYLLABLE, fold

# Lowercase words that always end a name (function words, verbs of reporting…).
BREAK_WORDS = frozenset(fold(w) for w in (
    "và với của cho tại ở trong là đã đang sẽ được bị cùng theo về từ đến khi nhằm để do "
    "thì mà nhưng hay hoặc cũng vẫn đều này kia đó ấy nay có không chưa rất vừa vì nên trên dưới sau trước "
    "giữa gồm như qua lên xuống vào ra nói cho biết"
).split())
# underthesea POS of words that cannot sit inside a name: verbs, prepositions, conjunctions, adverbs…
FUNCTION_POS = frozenset(("V", "E", "C", "Cc", "R", "P", "CH"))
# underthesea POS of a word after which a bare given name is a person ("nếu Phi Sơn", "và Xuân Mạnh").
NAME_CONTEXT_POS = frozenset(("V", "C", "Cc", "R", "E", "A"))
# underthesea POS of a measure after a number: "2 năm", "300 người" are quantities, not unit numbers.
QUANTITY_POS = frozenset(("N", "Nc", "Nu", "M"))
# Lowercase particles inside foreign names.
NAME_PARTICLES = frozenset("von van der den de da di du dos das del la le bin binti al el".split())
DIRECTIONS = frozenset(fold(w) for w in "đông tây nam bắc".split())
# A capitalized run right after these nouns names a storm, a prize, a festival, a show or a work, not a
# person: "bão Trà Mi", "hiện tượng La Nina", "lễ hội Xăng Khan", "trò Xuân Phả", "phim Hai Phượng".
NOT_PERSON_BEFORE = frozenset(fold(w) for w in "bão giải cúp tượng hội trò múa điệu phim vở tiết mục".split())
# Credit words before a person's name: "Ảnh: Gia Chính", "Video: Minh Hà".
CREDIT_CUES = frozenset(fold(w) for w in "ảnh video clip họa nguồn".split())
CLAUSE_OPENERS = frozenset(('"', "“", "‘", "'", ":", "(", ".", "!", "?")) | DASHES
CREDIT_CLOSERS = frozenset("/ ) , ; .".split()) | DASHES
# Function words that do belong inside document titles ("Hiệp định về …", "… tầm nhìn đến năm 2050").
TITLE_LINKS = frozenset(fold(w) for w in "về đến".split())
QUANTIFIERS = frozenset(fold(w) for w in "hai ba bốn năm các mỗi những nhiều cả hai từng mọi dựng đốn".split())
# Lowercase descriptors that may close an organization name ("Tòa án nhân dân tối cao").
# Events name no document ("Nghị quyết Đại hội XIV") and are not entities themselves.
EVENTS = ("đại hội", "hội nghị", "kỳ họp", "phiên họp", "hội thảo", "lễ", "cuộc họp", "hội đàm")
ORG_TAILS = ("tối cao", "trung ương", "quốc gia", "quốc tế", "toàn quốc", "nhân dân", "thế giới", "khu vực")
PLACE_TRIGGERS = (
    "tỉnh", "thành phố", "tp", "thủ đô", "huyện", "quận", "xã", "phường", "thị xã", "thị trấn",
    "cửa khẩu", "đèo", "sông", "vùng", "bang", "đảo", "quần đảo", "đặc khu", "thủ phủ", "làng", "bản",
    "khu vực", "vịnh", "núi", "hồ", "đường", "phố", "đại lộ", "thôn", "ấp", "xóm", "xứ",
)
COMMUNE_TRIGGERS = ("xã", "phường", "thị trấn", "đặc khu")
STREET_TRIGGERS = ("đường", "phố", "đại lộ")
VILLAGE_TRIGGERS = ("xã", "phường", "thị trấn", "thôn", "làng", "bản", "ấp", "xóm")
ABBREVIATED_UNITS = {"H": "huyện", "Q": "quận", "P": "phường", "X": "xã", "TX": "thị xã", "TP": "thành phố"}
# Administrative and area type words: a project descriptor stops there ("cảng biển khu vực Đông Nam Bộ").
AREA_TRIGGERS = frozenset(("tỉnh", "thành phố", "tp", "huyện", "quận", "xã", "phường", "thị xã", "thị trấn",
                           "vùng", "khu vực", "bang", "đặc khu", "thủ đô", "thủ phủ"))
# Prepositions of place: a bare capitalized run after them, with no title or organization head, is a
# place even when no lexicon knows it ("tại Deir Ezzor", "rút khỏi Khe Sanh").
LOCATIVES = frozenset(fold(w) for w in "tại ở khỏi sang tới".split())
NAME_SUFFIX = re.compile(r",? (?:Jr|Sr)\.")
WEB_DOMAINS = frozenset("vn com net org gov info edu".split())
ROMAN = re.compile(r"^[IVXLCDM]+$")
ORDINAL = re.compile(r" thứ (?:hai|ba|tư|năm|\d)(?!\w)")
# Organization types whose head, written in lowercase, still starts the name ("công ty Hòa Phát").
LOWERCASE_HEAD_TYPES = frozenset(("company", "bank", "media", "school", "health", "club"))
YOUTH_TEAM = re.compile(r"^U\d{2}$")
FORMULA = re.compile(r"^[A-Z]{1,3}\d+[A-Za-z\d]*$")
LIST_LINKS = frozenset((",", "và", "hoặc"))
# Forms of address written in lowercase before a name; capitalized mid-sentence they are part of one.
ADDRESS_WORDS = frozenset(fold(w) for w in "anh chị ông bà em cô chú bác".split())
# Place types that a title names as the office's country ("Tổng thống Hàn Quốc"), never a person.
COUNTRY_TYPES = frozenset(("country", "continent", "territory"))


@dataclass(frozen=True)
class Mention:
    """A recognized span of the sentence: character offsets, label and normalized attributes."""

    start: int
    end: int
    label: str
    attrs: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Unit:
    text: str
    start: int
    end: int
    key: str        # folded: lowercase, unified tone marks
    cap: bool       # starts with an uppercase letter
    upper: bool     # all letters uppercase (acronyms, headings)
    alpha: bool
    pos: str        # underthesea POS of the word containing this unit
    word: int       # index of that word, to know which units underthesea glued together


@dataclass(frozen=True)
class Candidate:
    start: int      # unit indices, end exclusive
    end: int
    label: str
    tier: int       # lower wins first; within a tier, longer wins
    attrs: dict = field(default_factory=dict, compare=False, hash=False)


# ---------------------------------------------------------------- lexicon indexes


def phrase_units(text: str) -> tuple[str, ...]:
    """Folded units of a phrase; every dash becomes "-" ("Bà Rịa-Vũng Tàu" → bà, rịa, -, vũng, tàu)."""
    return tuple("-" if u in DASHES else fold(u) for u in UNIT_RE.findall(unicodedata.normalize("NFC", text)))


class PhraseIndex:
    """Longest-match lookup of phrases over units.

    Dash variants match each other: a dash written in the text but not in the phrase is skipped when
    a lowercase syllable follows ("Viêng - chăn" = "Viêng Chăn"), and a phrase's dash may be left out
    in the text ("Bà Rịa Vũng Tàu"). A dash between two capitalized names is a boundary
    ("Việt Nam-Trung Quốc" is two places).
    """

    def __init__(self, entries):
        self.root: dict = {}
        for phrase, payload in entries:
            key = phrase_units(phrase)
            if not key or key[0] == "-":
                continue
            node = self.root
            for unit in key:
                node = node.setdefault(unit, {})
            node.setdefault(None, payload)

    def match(self, units: list[Unit], i: int) -> tuple[int, object] | None:
        best = None
        stack = [(self.root.get(units[i].key), i + 1)] if i < len(units) else []
        while stack:
            node, j = stack.pop()
            if node is None:
                continue
            if None in node and (best is None or j > best[0]):
                best = (j, node[None])
            if j >= len(units):
                continue
            unit = units[j]
            if unit.text in DASHES:
                stack.append((node.get("-"), j + 1))
                if j + 1 < len(units) and not units[j + 1].cap:
                    stack.append((node.get(units[j + 1].key), j + 2))
            else:
                stack.append((node.get(unit.key), j + 1))
                if "-" in node:
                    stack.append((node["-"].get(unit.key), j + 1))
        return best


@dataclass(frozen=True)
class Resources:
    places: PhraseIndex
    place_triggers: PhraseIndex
    titles: PhraseIndex
    communes: PhraseIndex
    org_heads: PhraseIndex
    complete_org_heads: frozenset
    org_tails: PhraseIndex
    events: PhraseIndex
    org_aliases: PhraseIndex
    project_heads: PhraseIndex
    surnames: frozenset
    dictionary: frozenset
    unaccented_surnames: frozenset
    stop_acronyms: frozenset
    name_words: dict


@functools.cache
def resources() -> Resources:
    """Lexicon indexes, built once per process."""
    return Resources(
        places=PhraseIndex((p.name, p) for p in lexicons.places().values()),
        place_triggers=PhraseIndex((t, t) for t in PLACE_TRIGGERS),
        titles=PhraseIndex(lexicons.titles().items()),
        communes=PhraseIndex((c.name, c) for c in lexicons.communes().values()),
        org_heads=PhraseIndex(lexicons.org_heads().items()),
        complete_org_heads=lexicons.complete_org_heads(),
        org_tails=PhraseIndex((t, t) for t in ORG_TAILS),
        events=PhraseIndex((e, e) for e in EVENTS),
        org_aliases=PhraseIndex((entry.alias, entry) for entry in lexicons.org_aliases().values()
                                if "ambiguous" not in entry.flags),
        project_heads=PhraseIndex(lexicons.project_heads().items()),
        surnames=frozenset(fold(s) for s in lexicons.surnames()),
        dictionary=lexicons.dictionary_words(),
        unaccented_surnames=frozenset(_unaccented(fold(s)) for s in lexicons.surnames() if len(s) >= 3),
        stop_acronyms=frozenset(s.upper() for s in lexicons.stop_acronyms()),
        name_words={r["word"]: r["role"] for r in lexicons.table("name_words.tsv")},
    )


# ---------------------------------------------------------------- units


def make_units(text: str, words: list[tuple[int, int, str]]) -> list[Unit]:
    """Syllable units of `text`, each tagged with the underthesea word (start, end, pos) containing it."""
    units, w = [], 0
    for match in UNIT_RE.finditer(text):
        s, e = match.span()
        while w < len(words) and words[w][1] <= s:
            w += 1
        inside = w < len(words) and words[w][0] <= s < words[w][1]
        piece = match.group()
        letters = [c for c in piece if c.isalpha()]
        units.append(Unit(
            text=piece, start=s, end=e, key=fold(piece),
            cap=piece[:1].isupper(),
            upper=bool(letters) and all(c.isupper() for c in letters),
            alpha=bool(letters),
            pos=words[w][2] if inside else "",
            word=w if inside else -1 - len(units),
        ))
    return units


def is_caps_line(units: list[Unit]) -> bool:
    """A heading or byline in ALL CAPS: shape rules must not fire there."""
    letters = [u for u in units if u.alpha]
    return len(letters) >= 3 and sum(u.upper for u in letters) >= 0.8 * len(letters)


def looks_foreign(unit: Unit) -> bool:
    """A capitalized syllable that Vietnamese orthography cannot spell ("Thongloun", "Putin")."""
    word = unit.text.lower()
    return unit.alpha and not VIETNAMESE_SYLLABLE.match(word) or any(c in "fjwz" for c in word)


# ---------------------------------------------------------------- the recognizer

# Recognizers by where they run; each name is a `SentenceRules._<name>` method and the `source` of
# the mentions it finds.
LEXICON_RULES = ("place_lexicon", "org_alias")                  # at every unit
HEADING_RULES = ("caps_project",)                               # at the words of an ALL-CAPS heading
PROSE_RULES = ("project", "org_head", "place_trigger", "located_place", "titled_person",
               "camel_brand", "youth_team", "placed_acronym", "outlet_domain", "bare_person", "tagged_name", "caps_name")  # elsewhere
SENTENCE_RULES = ("caps_line_person", "byline", "credit")       # once per sentence


class SentenceRules:
    """All candidates for one sentence, then resolution into non-overlapping mentions."""

    def __init__(self, text: str, words: list[tuple[int, int, str]], res: Resources | None = None):
        self.text = text
        self.res = res or resources()
        self.units = make_units(text, words)
        self.caps_line = is_caps_line(self.units)

    # -- helpers -----------------------------------------------------------------

    def _name_unit(self, i: int) -> bool:
        u = self.units[i] if 0 <= i < len(self.units) else None
        return bool(u and u.alpha and (u.cap or u.text[:1].isdigit()))

    def _title_at(self, i: int, strict: bool = False) -> int | None:
        """End of the title starting at unit i. With `strict`, a prefix ("Phó", "tân", "nguyên")
        counts only before a title: "tân Thủ tướng" is a title, "cửa khẩu Tân Thanh" is not."""
        hit = self.res.titles.match(self.units, i)
        if not hit:
            return None
        end, kind = hit
        return self._title_at(end, strict) if strict and kind == "prefix" else end

    def _cap_run(self, i: int, limit: int = 6) -> int:
        """End of a proper-name run from i: capitalized syllables, dashes between them allowed.

        Stops before a multi-word title and before a capitalized common noun whose word goes on in
        lowercase ("Anh hùng", "Đầu tư"): proper names capitalize every syllable.
        """
        j = i
        while j < len(self.units) and j - i < limit:
            u = self.units[j]
            if self._initial_at(j) and j > i and looks_foreign(self.units[j - 1]):
                j += 2  # "Joseph R. Biden", "George W. Bush": a middle initial and its dot
            elif u.alpha and u.cap and (j == i or not self._long_title_at(j)) and not ROMAN.match(u.text):
                if self._continues_lowercase(j):
                    break
                j += 1
            elif u.key in NAME_PARTICLES and j > i and looks_foreign(self.units[j - 1]) \
                    and self._name_unit(self._after_particles(j)) and self.units[self._after_particles(j)].cap:
                j = self._after_particles(j)  # "Ursula von der Leyen", "Anwar bin Ibrahim"
            elif u.text in DASHES and j > i and self._glued(j - 1, j) and self._glued(j, j + 1) \
                    and self._name_unit(j + 1) and self.units[j + 1].cap:
                j += 1  # "Bà Rịa-Vũng Tàu"; a spaced dash separates ("Lê Minh Sơn - TTXVN")
            elif u.text in DASHES and j > i and self._glued(j - 1, j) and self._glued(j, j + 1) \
                    and self.units[j + 1].alpha:
                j += 2  # "Kim Sang-sik", "Jean-Pierre": a hyphenated given name
            else:
                break
        while j > i and self.units[j - 1].text in DASHES:
            j -= 1
        return j

    def _initial_at(self, j: int) -> bool:
        """A middle initial at j: one capital letter, its dot, then a capitalized name ("R. Biden")."""
        n = len(self.units)
        return j + 2 < n and len(self.units[j].text) == 1 and self.units[j].upper \
            and self.units[j + 1].text == "." and self._glued(j, j + 1) \
            and self.units[j + 2].cap and self.units[j + 2].alpha and len(self.units[j + 2].text) > 1

    def _after_particles(self, j: int) -> int:
        while j < len(self.units) and self.units[j].key in NAME_PARTICLES:
            j += 1
        return j

    def _initial_dot(self, k: int) -> bool:
        return k > 0 and self.units[k].text == "." and self._initial_at(k - 1)

    def _hyphen_part(self, k: int) -> bool:
        """Is unit k the hyphen or the lowercase tail of a hyphenated given name ("Sang-sik")?"""
        u = self.units[k]
        if u.text in DASHES:
            return self._glued(k - 1, k) and self._glued(k, k + 1)
        return k > 1 and self.units[k - 1].text in DASHES and self._glued(k - 1, k) and not u.cap

    def _glued(self, a: int, b: int) -> bool:
        return 0 <= a and b < len(self.units) and self.units[a].end == self.units[b].start

    def _continues_lowercase(self, j: int) -> bool:
        """Is unit j a capitalized first syllable of a lowercase compound ("Anh hùng", "Đầu tư")?

        When underthesea glues a whole name to the next word ("Tô Lâm lựa chọn"), the name has two
        or more capitalized syllables first, so it is not mistaken for a common noun; a single name
        glued to a verb ("Long yêu") is told apart by the dictionary, which does not list the pair.
        """
        nxt = self.units[j + 1] if j + 1 < len(self.units) else None
        starts_word = j == 0 or self.units[j - 1].word != self.units[j].word
        return bool(nxt and starts_word and nxt.word == self.units[j].word and nxt.alpha and not nxt.cap
                    and not looks_foreign(self.units[j])  # "Shinawatra tiếp": underthesea glued a name
                    and f"{self.units[j].key} {nxt.key}" in self.res.dictionary)

    def _long_title_at(self, j: int) -> bool:
        end = self._title_at(j)
        return end is not None and end - j >= 2

    def _prev_key(self, i: int) -> str:
        return self.units[i - 1].key if i > 0 else ""

    def _char_span(self, a: int, b: int) -> tuple[int, int]:
        return self.units[a].start, self.units[b - 1].end

    def _person_name(self, i: int, end: int) -> int | None:
        """End of a person name starting at i within [i, end): Vietnamese (surname + 1–3) or foreign."""
        if i >= len(self.units) or self.units[i].key in BREAK_WORDS or self.units[i].text in ("Jr", "Sr"):
            return None  # a capitalized function word at the start of a sentence ("Theo", "Tại"), a suffix
        run = self._cap_run(i, limit=min(5, end - i) if end > i else 5)
        if run <= i:
            return None
        units = [u for k, u in enumerate(self.units[i:run], i)
                 if not self._hyphen_part(k) and not (u.key in NAME_PARTICLES and k > i) and not self._initial_dot(k)]
        if all(u.upper for u in units):
            return run if units[0].key in self.res.surnames and 2 <= len(units) <= 4 else None
        if any(u.text in DASHES or not _proper_case(u) for u in units):
            return None
        if units[0].key in self.res.surnames and 2 <= len(units) <= 4:
            return run
        if 3 <= run - i <= 4 and all(u.text.isascii() for u in units) \
                and units[0].key in self.res.unaccented_surnames:
            return run  # "Nguyen Van Tin": a Vietnamese name written without its marks
        if any(looks_foreign(u) for u in units) and len(units) <= 4:
            return run
        return None

    # -- recognizers -------------------------------------------------------------

    def candidates(self) -> list[Candidate]:
        """Every recognizer's candidates; each carries its rule's name as `attrs["source"]`."""
        out: list[Candidate] = []

        def add(rule: str, found: list[Candidate]) -> None:
            for c in found:
                c.attrs.setdefault("source", rule)
            out.extend(found)

        for i, u in enumerate(self.units):
            rules = LEXICON_RULES + (HEADING_RULES if self.caps_line and u.alpha else ()) \
                + (PROSE_RULES if u.alpha and not self.caps_line else ())  # headings: lexicon matches only
            for rule in rules:
                add(rule, getattr(self, f"_{rule}")(i))
        for rule in SENTENCE_RULES:
            add(rule, getattr(self, f"_{rule}")())
        return out

    # -- places --------------------------------------------------------------------

    def _place_lexicon(self, i: int) -> list[Candidate]:
        hit = self.res.places.match(self.units, i)
        if not hit:
            return []
        j, place = hit
        trigger = self.res.place_triggers.match(self.units, i)
        if trigger and trigger[0] < j and self.units[trigger[0]].cap and place.name[:1].isupper() \
                and self.units[trigger[0]].start > self.units[trigger[0] - 1].end:
            return []  # "TP Đà Nẵng": the trigger rule tags the name without its type word
        first = self.units[i]
        if place.name[:1].isupper() and not first.cap and not (place.type == "region" and j - i >= 2
                                                               and first.key not in DIRECTIONS):
            return []  # "đông bắc Thái Lan": a lowercase direction is not part of the name
        if "ambiguous" in place.flags and (self._continues_lowercase(j - 1) or not self.units[j - 1].cap
                                           or i > 0 and self.units[i - 1].alpha and self.units[i - 1].cap
                                           or j < len(self.units) and _proper_case(self.units[j])):
            return []  # "Anh hùng", "hòa bình": the common word; "Chủ Nhật", "Anh Đức": inside a longer name
        if "ambiguous" in place.flags and j - i == 1 and self._clause_start(i) and j < len(self.units) \
                and self.units[j].alpha and not self.units[j].cap and self.units[j].key not in LIST_LINKS:
            return []  # "Anh có một gia đình", "Anh ấy": the pronoun opening a clause
        if self._prev_key(i) == "tiếng":
            return []  # "tiếng Lào" is the language
        if self.caps_line and place.type not in ("country", "capital", "province", "city", "region"):
            return []  # headings: only well-known places
        if "pair_only" in place.flags and not self._in_pair(i, j):
            return []  # "Việt" alone is a language or people, not a place
        if self._name_runs_on(j):
            return []  # part of a longer name: "Hà Nội Times"
        return [Candidate(i, j, "PLACE", 4, {"canonical": place.canonical, "type": place.type,
                                              "country": place.country})]

    def _clause_start(self, i: int) -> bool:
        """Does unit i open the sentence or a quoted or introduced clause?"""
        return i == 0 or self.units[i - 1].text in CLAUSE_OPENERS

    def _in_pair(self, i: int, j: int) -> bool:
        """Short forms ("Việt", "Hàn") only count inside a dash pair of places ("Việt - Lào") or a list
        of countries ("Nhật, Hàn và Trung Quốc")."""
        before = i >= 2 and self.units[i - 1].text in DASHES
        after = j < len(self.units) - 1 and self.units[j].text in DASHES
        return before or after or self._listed_with_country(i - 2, i - 1) or self._listed_with_country(j + 1, j)

    def _listed_with_country(self, k: int, link: int) -> bool:
        """Is there a country at k, joined by "và", "," or "hoặc" at `link`?"""
        if not (0 <= k < len(self.units) and 0 <= link < len(self.units)) or self.units[link].key not in LIST_LINKS:
            return False
        if link < k:
            hit = self.res.places.match(self.units, k)
            return bool(hit and hit[1].type in COUNTRY_TYPES and self.units[k].cap)
        return any((hit := self.res.places.match(self.units, m)) and hit[0] == link and hit[1].type in COUNTRY_TYPES
                   and self.units[m].cap for m in range(max(0, link - 4), link))

    def _name_runs_on(self, j: int) -> bool:
        """Does a capitalized word at j continue the name, rather than start a new name, title,
        place or organization ("Thủ tướng Lào Sonexay …" stops at "Lào")?"""
        if j >= len(self.units) or not (self.units[j].alpha and self.units[j].cap) or self.units[j].upper:
            return False
        starts_other = (self._title_at(j) is not None or self.res.places.match(self.units, j)
                        or self.res.org_heads.match(self.units, j) or self._person_name(j, len(self.units)))
        return not starts_other

    def _place_trigger(self, i: int) -> list[Candidate]:
        """ "tỉnh Hà Tĩnh", "thủ đô Viêng Chăn", "xã Bình Hiệp và Bình Thanh": the name after a type word."""
        hit = self.res.place_triggers.match(self.units, i) or self._abbreviated_unit(i)
        if not hit:
            return []
        j, trigger = hit
        first = self.units[i]
        if i > 0 and self.units[i - 1].word == first.word:
            return []  # "Biên bản Kỳ họp": "bản" inside a word is not the village type word
        if first.cap and j - i == 1 and (i > 0 or first.key in self.res.surnames):
            return []  # a capitalized "Hồ" is a name, not a type word
        if first.cap and self.res.org_heads.match(self.units, i):
            return []
        out, k = [], j
        while k < len(self.units) and self.units[k].cap:
            cand = self._place_name(k, trigger)
            if cand is None:
                break
            out.append(cand)
            k = cand.end
            if k + 1 < len(self.units) and (self.units[k].key in ("và", ",") or self.units[k].text in DASHES) \
                    and _proper_case(self.units[k + 1]):
                k += 1  # "xã Bình Hiệp và Bình Thanh", "cửa khẩu Tân Thanh – Pò Chài"
                continue
            break
        return out

    def _located_place(self, i: int) -> list[Candidate]:
        """ "tại Deir Ezzor", "rút khỏi Khe Sanh": a bare name after a preposition of place."""
        if self._prev_key(i) not in LOCATIVES or not _proper_case(self.units[i]) or self.units[i].key in BREAK_WORDS:
            return []
        end = self._cap_run(i, limit=4)
        if end <= i or any(u.text in DASHES or not _proper_case(u) for u in self.units[i:end]):
            return []
        if end - i == 1 and not looks_foreign(self.units[i]) and end < len(self.units) and self.units[end].alpha:
            return []  # "tại Kỳ họp", "tại Nhà Quốc hội": a capitalized common noun
        if self._title_at(i) is not None or self.res.org_heads.match(self.units, i) \
                or self.res.org_aliases.match(self.units, i) or self.res.project_heads.match(self.units, i) \
                or any(self.res.name_words.get(u.text, "place") != "place" for u in self.units[i:end]):
            return []
        return [Candidate(i, end, "PLACE", 3, {})]

    def _type_word_at(self, j: int) -> bool:
        """A place type word starts at j: "tỉnh", "TP", "Thành phố" — but a capitalized single
        syllable such as "Hồ" in "Thành phố Hồ Chí Minh" is part of a name."""
        hit = self.res.place_triggers.match(self.units, j)
        u = self.units[j] if j < len(self.units) else None
        return bool(hit) and (not u.cap or u.upper or hit[0] - j >= 2)

    def _place_name(self, j: int, trigger: str) -> Candidate | None:
        if self._type_word_at(j) or self._abbreviated_unit(j):
            return None  # "phường Hải Vân, TP Đà Nẵng": the next type word makes its own candidate
        lex = self.res.places.match(self.units, j)
        if lex and "pair_only" in lex[1].flags:
            lex = None  # "sông Hàn" is the river, not Korea
        commune = self.res.communes.match(self.units, j) if trigger in COMMUNE_TRIGGERS and not lex else None
        end = lex[0] if lex else commune[0] if commune else self._cap_run(j, limit=4)
        if lex and trigger in VILLAGE_TRIGGERS:
            end = max(end, self._cap_run(j, limit=4))  # "thôn Viên Khê" is not Vienna: a village's own name
            if end > lex[0]:
                lex = None
        if end <= j or self.res.org_heads.match(self.units, j) or self._title_at(j, strict=True) is not None \
                or trigger in STREET_TRIGGERS and self.res.project_heads.match(self.units, j):
            return None
        attrs = {"canonical": lex[1].canonical, "type": lex[1].type, "country": lex[1].country} if lex else {}
        if trigger == "đèo" and not lex:
            attrs = {"canonical": f"đèo {self.text[self.units[j].start:self.units[end - 1].end]}"}
        return Candidate(j, end, "PLACE", 3, attrs)

    # -- organizations -------------------------------------------------------------

    def _org_alias(self, i: int) -> list[Candidate]:
        hit = self.res.org_aliases.match(self.units, i)
        if not hit:
            return []
        j, alias = hit
        if self._prev_key(i) in QUANTIFIERS:
            return []
        if not self.units[i].cap or self._glued_to_code(i, j):
            return []
        surface = self.text[self.units[i].start:self.units[j - 1].end]
        canonical = None if surface.replace("&", "").isupper() else alias.canonical
        suffix = self._admin_suffix(j)
        if suffix:
            return [Candidate(i, suffix, "ORG", 1, {})]
        return [Candidate(i, j, "ORG", 4, {"canonical": canonical, "country": alias.country or None})]

    def _glued_to_code(self, i: int, j: int) -> bool:
        """Acronyms inside document numbers ("26/QĐ-BXD") are not organizations."""
        before = self.units[i - 1].text if i > 0 else ""
        after = self.units[j].text if j < len(self.units) else ""
        touching_before = i > 0 and self.units[i - 1].end == self.units[i].start and before in "/-." \
            and not (before == "/" and i > 1 and _proper_case(self.units[i - 2]))  # "Ảnh: Trần Hải/TTXVN"
        touching_after = j < len(self.units) and self.units[j - 1].end == self.units[j].start and after in "/-"
        return bool(touching_before and before) or bool(touching_after and after and j + 1 < len(self.units)
                                                          and self.units[j + 1].text[:1].isdigit())

    def _acronym(self, i: int) -> list[Candidate]:
        """An unknown acronym shaped like a body's ("ACV", "PetroVietnam"). Not a recognizer of its own:
        on real general news most unknown capitals abbreviate common nouns ("HĐXX", "CMHS", "LGBT"), so
        it only names a body where the context already says one stands there (after a title, after a
        company's dash). Known bodies come from the alias lexicon, defined ones from "(ACRONYM)"."""
        u = self.units[i]
        letters = sum(c.isalpha() for c in u.text)
        camel = u.cap and any(c.isupper() for c in u.text[1:]) and any(c.islower() for c in u.text) and letters >= 4
        if not ((u.upper and letters >= 2) or camel) or len(u.text) > 12 or not u.text[:1].isalpha():
            return []
        if ROMAN.match(u.text) or u.text.upper() in self.res.stop_acronyms or self._glued_to_code(i, i + 1):
            return []
        if self._in_caps_phrase(i) or FORMULA.match(u.text) or _toned_word(u.text):
            return []  # "TÌNH BẠN", "ẢNH": words in capitals; "CO2", "A380": formulas and models
        if u.pos == "Ny" or letters < 3 and u.upper:
            return []  # "HĐXX", "PV", "HS": underthesea reads an abbreviation of a common noun; known bodies are in the lexicon
        if self.res.places.match(self.units, i) or self.res.org_aliases.match(self.units, i):
            return []
        return [Candidate(i, i + 1, "ORG", 5, {"_camel": not u.upper})]

    def _in_caps_phrase(self, i: int) -> bool:
        """Is unit i a Vietnamese syllable in capitals next to another one ("GIA ĐÌNH", "MINH TRANG")?"""
        def caps_syllable(k: int) -> bool:
            return 0 <= k < len(self.units) and self.units[k].upper and len(self.units[k].text) >= 2 \
                and bool(VIETNAMESE_SYLLABLE.match(self.units[k].text.lower()))
        return caps_syllable(i) and (caps_syllable(i - 1) or caps_syllable(i + 1))

    def _camel_brand(self, i: int) -> list[Candidate]:
        """A brand written in camel case names a company: "OceanBank", "VinaPhone", "DongA Bank"; product
        names ("FaceID", "WiFi") are in the stop list."""
        found = [c for c in self._acronym(i) if c.attrs["_camel"]]
        end = i + 1
        while found and end < len(self.units) and self.res.name_words.get(self.units[end].text) == "org":
            end += 1  # "DongA Bank"
        return [replace(c, end=end) for c in found]

    def _placed_acronym(self, i: int) -> list[Candidate]:
        """An acronym named by its country or province is a body: "LĐBĐ Việt Nam", "LĐLĐ tỉnh Quảng Nam"."""
        if not self._acronym(i) or i + 1 >= len(self.units):
            return []
        place = self.res.places.match(self.units, i + 1) if self.units[i + 1].cap else None
        end = place[0] if place and place[1].type in ("country", "province", "city", "capital") else self._admin_suffix(i + 1)
        return [Candidate(i, end, "ORG", 1, {})] if end else []

    def _youth_team(self, i: int) -> list[Candidate]:
        """An age-group team is named by its age and country: "U16 Việt Nam", "U23 Thái Lan"."""
        if not YOUTH_TEAM.match(self.units[i].text) or i + 1 >= len(self.units):
            return []
        place = self.res.places.match(self.units, i + 1)
        return [Candidate(i, place[0], "ORG", 1, {"type": "club"})] if place and self.units[i + 1].cap else []

    def _outlet_domain(self, i: int) -> list[Candidate]:
        """A news outlet named by its web address: "VOV.VN", "Chinhphu.vn", "Dantri.com.vn"."""
        if i > 0 and self._glued(i - 1, i) and self.units[i - 1].text in "./@":
            return []  # inside a longer address
        end = i + 1
        while end + 1 < len(self.units) and self.units[end].text == "." and self._glued(end - 1, end) \
                and self._glued(end, end + 1) and self.units[end + 1].key in WEB_DOMAINS:
            end += 2
        return [Candidate(i, end, "ORG", 1, {})] if end > i + 1 else []

    def _org_head(self, i: int) -> list[Candidate]:
        u = self.units[i]
        hit = self.res.org_heads.match(self.units, i)
        if hit and not u.cap and not (hit[1] in LOWERCASE_HEAD_TYPES and u.pos != "V" and hit[0] < len(self.units)
                                      and _proper_case(self.units[hit[0]]) and (i == 0 or self.units[i - 1].word != u.word)):
            hit = None  # a lowercase head counts only before a name: "báo Lao Động", "trường Tiểu học Thanh Thủy"
        if not hit or (self._title_at(i) or 0) >= hit[0]:
            return []  # "Bộ trưởng" is a title; "Tổng Lãnh sự quán" is longer than the title "Tổng Lãnh sự"
        j, org_type = hit
        if self.units[i].key == "văn" and j - i == 2 and self._title_at(j) is not None:
            title_end = self._title_at(j)
            if title_end - j >= 2 and self.res.titles.match(self.units, j)[1] == "office":
                return [Candidate(i, title_end, "ORG", 1, {"type": org_type})]  # "Văn phòng Tổng thống"
        if self._inside_org_head(i):
            return []  # "Công an" in "Bộ Công an", "Chính phủ" in "Văn phòng Chính phủ"
        if j - i == 1 and self._continues_lowercase(i):
            return []  # "Hội nghị", "Báo cáo": a common noun, not the head "Hội", "Báo"
        # a head of two words or more already names a body: "Bộ Kinh tế và Tài chính" coordinates
        end = self._extend_org(j, gaps=org_type not in ("ministry", "government", "party"), named=j - i >= 2)
        known = self.res.org_aliases.match(self.units, i)
        if known and known[0] > end:
            end = known[0]  # "Tổng công ty Quản lý bay Việt Nam": the lexicon knows the whole name
        host = self.res.places.match(self.units, end + 1) if org_type == "mission" and end + 1 < len(self.units) \
            and end > j and self.units[end].key == "tại" else None
        if host:
            end = host[0]  # "Tổng Lãnh sự quán Việt Nam tại Savannakhet"
        named_head = j - i >= 2 and (self.units[j - 1].cap or " ".join(u.key for u in self.units[i:j])
                                     in self.res.complete_org_heads)  # "Tổng cục Thuế", "Cục Đường sắt"; not "Ban Quản lý"
        if end == j and org_type != "party" and not named_head:
            return []  # "Hội đồng xét xử", "Công ty con": a generic head; named bodies are in the alias lexicon
        place = self.res.places.match(self.units, i)
        if place and place[0] >= end:
            return []  # "Hội An": a place that starts like an organization
        if end == j and self._prev_key(i) in QUANTIFIERS:
            return []  # "hai Chính phủ", "các Bộ"
        end = end if org_type == "school" else self._cut_person_tail(i, end)  # "Trường THCS Chu Văn An"
        if end <= i:
            return []
        if org_type == "forum" and any(u.text in DASHES for u in self.units[j:end]):
            return []  # "Diễn đàn Doanh nghiệp Việt Nam – Thái Lan" is an event between two countries
        return [Candidate(i, end, "ORG", 1, {"type": org_type, "_head": j - i})]

    def _compound_tail(self, k: int) -> bool:
        """Is lowercase unit k inside a name word? Yes in a word shaped Capital + lowercase ("Cộng
        sản") or with capitals after it ("Đảng Cộng sản Việt Nam"); no in a word that ends in
        lowercase after two capitals: a name glued to the next word ("Hòa Phát đạt")."""
        word = self.units[k].word
        prev = self.units[k - 1] if k > 0 else None
        if prev and prev.cap and prev.end < self.units[k].start and f"{prev.key} {self.units[k].key}" in self.res.dictionary \
                and not (k > 1 and self.units[k - 2].cap and self.units[k - 2].alpha):
            return True  # "Nghiên cứu Văn hóa", "Ủy ban Văn hóa": a capitalized word, however underthesea cut it
        if k == 0 or prev.word != word:
            return False  # the word starts lowercase ("khóa XIV", "dự Lễ"): not part of the name
        if looks_foreign(self.units[k - 1]):
            return False  # "Guterres sinh": underthesea glued a foreign name to the next word
        m = k + 1
        while m < len(self.units) and self.units[m].word == word:
            if self.units[m].cap:
                return True
            m += 1
        m = k - 1
        while m >= 0 and self.units[m].word == self.units[k].word:
            if self.units[m].cap:
                return m == 0 or self.units[m - 1].word != self.units[k].word
            m -= 1
        return False

    def _admin_suffix(self, k: int) -> int | None:
        """End of "tỉnh Quảng Ngãi" / "thành phố Đà Nẵng" when it starts at k: a body's jurisdiction."""
        abbreviated = self._abbreviated_unit(k)
        trigger = self.res.place_triggers.match(self.units, k) if k < len(self.units) and not self.units[k].cap else None
        trigger = trigger or abbreviated
        if trigger and trigger[0] < len(self.units) and self.units[trigger[0]].cap:
            name = self._place_name(trigger[0], trigger[1])
            return name.end if name else None
        return None

    def _abbreviated_unit(self, k: int) -> tuple[int, str] | None:
        """An administrative unit abbreviated in an address, glued to its name: "H.Phú Vang" (huyện),
        "Q.Bình Thạnh" (quận), "P.Tân Định" (phường), "TX.Sơn Tây" (thị xã). Returns (name start, type word)."""
        if k + 2 >= len(self.units) or self.units[k].text not in ABBREVIATED_UNITS or self.units[k + 1].text != "." \
                or not (self._glued(k, k + 1) and self._glued(k + 1, k + 2)) or not _proper_case(self.units[k + 2]):
            return None
        return k + 2, ABBREVIATED_UNITS[self.units[k].text]

    def _inside_org_head(self, i: int) -> bool:
        for start in range(max(0, i - 3), i):
            hit = self.res.org_heads.match(self.units, start)
            if hit and hit[0] >= i and self.units[start].cap and self._title_at(start) is None:
                return True
        return False

    def _extend_org(self, j: int, gaps: bool = True, named: bool = False) -> int:
        """Extend an organization name after its head: capitalized words, their compounds, places,
        coordinated parts ("Lao động, Thương binh và Xã hội") and short lowercase gaps before a name."""
        n, end, k = len(self.units), j, j
        closed = False  # a place or jurisdiction ends the name: nothing is coordinated after it
        while k < n:
            u = self.units[k]
            if ROMAN.match(u.text):
                break  # "Đảng Cộng sản Việt Nam khóa XIV": the ordinal is not part of the name
            if k == j and u.key == self.units[j - 1].key:
                break  # a repeated head ("Đảng Đảng Nhân dân…") starts the real name
            place = self.res.places.match(self.units, k) if end == k else None
            if place and "pair_only" not in place[1].flags:
                k = end = place[0]  # "Đại học Quốc gia TP.HCM", "Ngân hàng Nhà nước Lào"
                other = self.res.places.match(self.units, k + 1) if k + 1 < n and self.units[k].text in DASHES else None
                if other and self.units[k + 1].cap:
                    k = end = other[0]  # "Hội Hữu nghị Việt Nam – Lào": a pair of countries names the body
                closed = True
                continue
            if u.alpha and u.cap and self._title_at(k) is None and not (closed and u.upper) \
                    and not self._abbreviated_unit(k):
                k += 1
                end = k
                continue
            if u.alpha and not u.cap and end == k and self._compound_tail(k):
                k += 1  # "Ngoại giao", "Cảng hàng không": the rest of a capitalized word
                end = k
                continue
            if u.text[:1].isdigit() and end == k and not closed and (
                    k > j and _proper_case(self.units[k - 1]) or k == j and self._unit_number(k)):
                k += 1  # "Ban Quản lý dự án Điện 2", "Tổng công ty 319"
                end = k
                continue
            if u.text in DASHES and end == k and k > j and self._glued(k - 1, k) and self._glued(k, k + 1) \
                    and self.units[k + 1].cap:
                k += 1  # "Tập đoàn Luxshare-ICT"
                continue
            tail = self.res.org_tails.match(self.units, k) if end == k else None
            if tail and (not self._name_unit(tail[0]) or self.res.places.match(self.units, tail[0])):
                k = end = tail[0]  # "Tòa án nhân dân tối cao", "… Hợp tác quốc tế Campuchia"
                continue
            if tail and self._person_name(tail[0], n):
                end = tail[0]  # "Hội đồng An ninh quốc gia Kurt Campbell": the person is not the body's
                break
            if u.key in ("và", ",") and end == k and (end > j or named) and not closed and k + 1 < n \
                    and self.units[k + 1].cap and not self.units[k + 1].upper \
                    and self.res.org_heads.match(self.units, k + 1) is None and self._title_at(k + 1) is None \
                    and self.res.places.match(self.units, k + 1) is None \
                    and self.res.place_triggers.match(self.units, k + 1) is None:
                k += 1
                continue
            country = self.res.places.match(self.units, k + 1) if end == k and u.key == "nước" and k + 1 < n else None
            if country and country[1].type in COUNTRY_TYPES and self.units[k + 1].cap:
                k = end = country[0]  # "Quốc hội nước Cộng hòa xã hội chủ nghĩa Việt Nam"
                closed = True
                continue
            if u.text in DASHES and end == k and k > j and k + 1 < n and self.units[k + 1].upper \
                    and not self._glued(k, k + 1) and self._acronym(k + 1):
                k = end = self._cap_run_plain(k + 1)  # "Tập đoàn Trường Thành Việt Nam - TTVN Group"
                break
            suffix = self._admin_suffix(k) if end == k else None
            if suffix:
                k = end = suffix  # "UBND tỉnh Quảng Ngãi", "Cục Thống kê tỉnh Bắc Giang"
                closed = True
                continue
            gap_end = self._lowercase_gap(k) if gaps else None
            if gap_end is not None and end == k:
                k = gap_end
                continue
            break
        return end

    def _unit_number(self, k: int) -> bool:
        """A plain number naming a unit right after its head ("Tổng công ty 319", "Sư đoàn 308"),
        not a quantity ("Công ty 2 năm") or a year."""
        u = self.units[k]
        nxt = self.units[k + 1] if k + 1 < len(self.units) else None
        return u.text.isdigit() and len(u.text) <= 4 and not _is_year(u.text) and not self.units[k - 1].upper \
            and not (nxt and (nxt.alpha and not nxt.cap and nxt.pos in QUANTITY_POS
                              or nxt.text in ".,:" and self._glued(k, k + 1)
                              or nxt.text in DASHES))  # "Hà Nội FC 1-0": a score

    def _lowercase_gap(self, k: int, limit: int = 5) -> int | None:
        """A short run of lowercase nouns followed by a capitalized word, inside a name
        ("Ban Quản lý dự án Điện 2"); a verb ends the name ("Bộ Xây dựng yêu cầu ACV")."""
        j = k
        while j < len(self.units) and j - k < limit:
            u = self.units[j]
            if not u.alpha or u.cap or u.key in BREAK_WORDS or u.pos in FUNCTION_POS:
                break
            j += 1
        if j > k and j < len(self.units) and self.units[j].alpha and self.units[j].cap and not self.units[j].upper \
                and self._title_at(j) is None and not ROMAN.match(self.units[j].text):
            return j
        tail = self.res.org_tails.match(self.units, j - 2) if j - k >= 2 else None
        if tail and tail[0] == j:
            return j  # ends with "quốc gia", "trung ương", "tối cao"
        return self._described_foreign_body(k, limit)

    def _described_foreign_body(self, k: int, limit: int) -> int | None:
        """A description with verbs, then a country and its acronym: "Quỹ Hợp tác phát triển kinh tế
        Hàn Quốc (EDCF)". The "(ACRONYM)" after the country is what shows the verbs belong to the name."""
        j = k
        while j < len(self.units) and j - k < limit and self.units[j].alpha and not self.units[j].cap \
                and self.units[j].key not in BREAK_WORDS:
            j += 1
        place = self.res.places.match(self.units, j) if j > k and j < len(self.units) else None
        if not place or place[1].type != "country":
            return None
        m = place[0]
        if m + 2 < len(self.units) and self.units[m].text == "(" and self.units[m + 1].upper \
                and self.units[m + 2].text == ")":
            return j
        return None

    def _cut_person_tail(self, i: int, end: int) -> int:
        """ "Tổng Bí thư Ban Chấp hành … Việt Nam Tô Lâm": the trailing person name is not the ORG's."""
        title_before = any((self._title_at(t) or -1) >= i for t in range(max(0, i - 4), i))
        if not title_before:
            return end  # "Trường THPT chuyên Lê Quý Đôn": a person's name inside the organization's name
        known = self.res.org_aliases.match(self.units, i)
        for cut in range(i + 1, end):
            place = self.res.places.match(self.units, cut)
            named_unit = self.units[cut - 1].key in AREA_TRIGGERS and max(
                (self.res.communes.match(self.units, cut) or (0,))[0], (place or (0,))[0]) >= end
            if known and known[0] > cut or named_unit:
                continue  # "Giám đốc Bệnh viện Bạch Mai": a known body's name; "UBND xã Thái Sơn": its commune
            person = self._person_name(cut, end)
            ends_here = person == end or person is not None and self.units[person].key in ("và", ",")
            if ends_here and (place is None or "pair_only" in place[1].flags) and not self._splits_place(i, cut):
                joined = cut
                while cut > i + 1 and self.units[cut - 1].key in ("và", ","):
                    cut -= 1  # "Ủy viên Bộ Chính trị Thái Kỳ, Vương Nghị": two names, cut before the first
                return self._cut_person_tail(i, cut) if cut < joined else cut
        return end

    def _splits_place(self, i: int, cut: int) -> bool:
        """Would cutting at `cut` split a place name ("Tỉnh ủy Quảng | Ninh Vũ Đại Thắng")?"""
        return any((self.res.places.match(self.units, k) or (0,))[0] > cut for k in range(i, cut))

    # -- persons -------------------------------------------------------------------

    def _titled_person(self, i: int) -> list[Candidate]:
        """Title (chain), then optionally an organization, a country and a year, then the name.

        "Tổng Bí thư, Chủ tịch nước Lào Thongloun Sisoulith", "Chủ tịch ASEAN 2024 Sonexay
        Siphandone", "Bộ trưởng Bộ Ngoại giao Bùi Thanh Sơn": the LEADER is the name only.
        """
        j = self._title_at(i, strict=True)
        if j is None or i > 0 and self.units[i - 1].word == self.units[i].word:
            return []  # "người đàn ông Lào": "ông" inside a word is no title
        if self._after_place_trigger(i):
            return []  # "phố Bà Triệu" is a street
        if self.units[i].cap and j - i == 1 and self.units[i].key in ADDRESS_WORDS and not self._clause_start(i):
            return []  # "Hoài Nam, Anh Đức": a capitalized form of address mid-sentence begins a name
        n = len(self.units)
        if self._prev_key(i) in QUANTIFIERS and not self.units[i].cap:
            return []
        place = self.res.places.match(self.units, i)
        if place and place[0] > j:
            return []  # "Bà Rịa - Vũng Tàu" is a province, not "bà" + a name
        title_end = j
        while title_end < n and self.units[title_end].key in (",", "kiêm", "và", "/"):
            nxt = self._title_at(title_end + 1)
            if nxt is None:
                break
            title_end = nxt
        k, country = title_end, None
        org = self._org_head(k) if k < n else []
        if org:
            k = org[0].end
        elif k < n and self.units[k].cap and self.res.org_heads.match(self.units, k):
            return []  # "Hiệu trưởng Trường Lương Thế Vinh": the name after the head is the body's
        elif k < n and (self.res.org_aliases.match(self.units, k) or self._acronym(k)):
            k = (self.res.org_aliases.match(self.units, k) or (k + 1, None))[0]
        place = self.res.places.match(self.units, k) if k < n and self.units[k].cap else None
        posted = place and place[0] + 1 < n and self.units[place[0]].key == "tại" \
            and self.res.places.match(self.units, place[0] + 1)
        if posted:  # "Đại sứ Việt Nam tại Lào Nguyễn Bá Hùng": the country is the first one
            country, k = place[1].canonical, posted[0]
        elif place and (self._person_name(place[0], n) or place[1].type in COUNTRY_TYPES and not place[1].flags
                        and place[0] < n and _proper_case(self.units[place[0]])):
            country, k = place[1].canonical, place[0]  # "Ngoại trưởng Triều Tiên Ri Yong Ho"
        if k < n and _is_year(self.units[k].text):
            k += 1
        if k >= n or not self.units[k].cap:
            return []
        end = self._cap_run(k, limit=4)
        kind = self.res.titles.match(self.units, i)[1]
        if end <= k or self.res.org_heads.match(self.units, k) \
                or self._title_at(k, strict=True) is not None and self.units[k].key not in ADDRESS_WORDS:
            return []  # "Tiền đạo Nguyên Hoàng": "Nguyên" is a prefix only before a title; "Tiền đạo Anh Đức"
        name = [u for m, u in enumerate(self.units[k:end], k)
                if not self._hyphen_part(m) and not (u.key in NAME_PARTICLES and m > k) and not self._initial_dot(m)]
        if not (all(_proper_case(u) for u in name) or len(name) >= 2 and all(u.upper for u in name)):
            return []  # "Giám đốc Sở GD&ĐT TP.HCM": an acronym is not a name
        if any(u.text in self.res.name_words for u in self.units[k:end]):
            return []
        lex = self.res.places.match(self.units, k)
        unit_named = self.units[title_end - 1].key in AREA_TRIGGERS and k == title_end and (
            (lex or (0,))[0] >= end or (self.res.communes.match(self.units, k) or (0,))[0] >= end
            or name[0].key not in self.res.surnames)
        if unit_named:
            return []  # "Chủ tịch xã Xuân Ninh": the title names its commune, a place
        personal = k == title_end and kind == "honorific" and self.units[i].key in ADDRESS_WORDS
        if lex and lex[0] >= end and not personal and (lex[1].type in COUNTRY_TYPES or name[0].key not in self.res.surnames
                                                       or self._person_name(k, end) is None):
            return []  # "Thủ tướng Lào", "nông dân New York"; but "ông Đức" is a man, "Chủ tịch Hồ Chí Minh" too
        if len(name) == 2 and name[0].key not in self.res.surnames and f"{name[0].key} {name[1].key}" in self.res.dictionary:
            return []  # "Bộ trưởng Công Thương": a capitalized common noun (the ministry), not a name
        title = self.text[self.units[i].start:self.units[title_end - 1].end]
        out = [Candidate(k, end, "LEADER", 2, {"title": title, "country": country})]
        # "Các Phó Thủ tướng Trần Hồng Hà và Lê Thành Long": the title covers both names
        while end + 1 < n and self.units[end].key in ("và", ",") and self._title_at(end + 1) is None:
            nxt = self._person_name(end + 1, n)
            if nxt is None:
                break
            out.append(Candidate(end + 1, nxt, "LEADER", 2, {"title": title, "country": country}))
            end = nxt
        return out

    def _caps_name(self, i: int) -> list[Candidate]:
        """A name in capitals inside ordinary text (a byline "HỒ QUỐC DŨNG" before the author's title)."""
        u = self.units[i]
        if not u.upper or u.key not in self.res.surnames or (i > 0 and self.units[i - 1].upper):
            return []
        end = i
        while end < len(self.units) and self.units[end].alpha and self.units[end].upper and end - i < 4:
            end += 1
        if not 2 <= end - i <= 4 or all(len(x.text) == 1 for x in self.units[i:end]):
            return []
        if end < len(self.units) and self.units[end].alpha and self.units[end].upper:
            return []
        name = " ".join(x.text.capitalize() for x in self.units[i:end])
        return [Candidate(i, end, "LEADER", 2, {"canonical": name})]

    def _bare_person(self, i: int) -> list[Candidate]:
        """A name without a title: Vietnamese (surname + 1–3 syllables) or foreign (2+ syllables).

        Competes with place names on length ("Đinh Thanh Bình" beats the commune "Thanh Bình").
        A foreign run with an organization word is an ORG ("Laotian Times"); with an event word,
        nothing ("Asian Cup"); after "bão" it is a storm.
        """
        u = self.units[i]
        if not u.cap or (i > 0 and self.units[i - 1].alpha and self.units[i - 1].cap and self.units[i - 1].word == u.word):
            return []
        if self._prev_key(i) in NOT_PERSON_BEFORE or u.key in CREDIT_CUES:
            return []  # "bão Trà Mi"; "Nguồn Internet" is a credit, not a name
        if i > 0 and (self.res.places.match(self.units, i - 1) or (0,))[0] > i:
            return []  # "châu Âu Jonathan Harding": the region's name goes on here
        end = self._person_name(i, len(self.units))
        if end is None:
            return []
        names = self.units[i:end]
        roles = {self.res.name_words.get(x.text) for x in names} - {None}
        if roles:
            label = {frozenset({"org"}): "ORG", frozenset({"place"}): "PLACE"}.get(frozenset(roles))
            return [Candidate(i, end, label, 4, {})] if label else []
        place = self.res.places.match(self.units, i)
        if place and (place[0] >= end or self._person_name(place[0], end) == end):
            return []  # a place, or a place before a name: "Hoa Kỳ Jamieson Greer"
        if names[0].key not in self.res.surnames and any(
                (self.res.places.match(self.units, k) or (0,))[0] == end for k in range(i + 1, end)):
            return []  # a capitalized word before a place: "Phía Svay Rieng"
        if self.res.org_heads.match(self.units, i) or self.res.org_aliases.match(self.units, i):
            return []
        vietnamese = names[0].key in self.res.surnames and not any(looks_foreign(x) for x in names)
        if not vietnamese and len(names) < 2:
            return []
        return [Candidate(i, end, "LEADER", 4, {})]

    def _tagged_name(self, i: int) -> list[Candidate]:
        """A given name used alone ("Phi Sơn", "Thanh Lam"), that underthesea tags as one proper noun
        (Np), after a verb, a conjunction or a comma. After a noun it is more often named by that noun
        ("thôn Lệ Sơn", "sân Gò Đậu"); at a sentence start capitals say nothing. Weakest tier: any
        lexicon, title or head wins over it."""
        u = self.units[i]
        if i == 0 or u.pos != "Np" or not _proper_case(u) or self.units[i - 1].word == u.word:
            return []
        before = self.units[i - 1]
        if before.alpha and (before.cap or before.pos not in NAME_CONTEXT_POS) or not before.alpha and before.text not in ",;:":
            return []
        end = i + 1
        while end < len(self.units) and self.units[end].word == u.word:
            end += 1
        names = self.units[i:end]
        if end < len(self.units) and (self.units[end].alpha and self.units[end].cap or self.units[end].text[:1].isdigit()):
            return []  # more capitals follow: a longer name that other rules read; "Lệ Sơn 2" is numbered
        if not all(_proper_case(x) for x in names) or any(x.text in self.res.name_words for x in names):
            return []
        if not 2 <= len(names) <= 3 or any(looks_foreign(x) for x in names):
            return []
        if any(self.res.places.match(self.units, k) or self.res.org_heads.match(self.units, k)
               or self.res.org_aliases.match(self.units, k) or self.res.project_heads.match(self.units, k)
               or self._title_at(k) is not None for k in range(i, end)):
            return []
        if self._after_place_trigger(i) or self._inside_org_head(i):
            return []
        return [Candidate(i, end, "LEADER", 6, {})]

    def _credit(self) -> list[Candidate]:
        """The name in a credit: "Ảnh: Gia Chính", "Ảnh: VGP/Nhật Bắc", "Ảnh: Hoàng Hà/TTXVN".

        After the credit word, any short proper-case run is a person, even one that reads like a
        place ("Hoàng Hà") or has no known surname.
        """
        out, n = [], len(self.units)
        for k in range(1, n - 1):
            if self.units[k].text != ":" or self.units[k - 1].key not in CREDIT_CUES:
                continue
            m = k + 1
            if m + 2 < n and self.units[m].upper and self.units[m + 1].text == "/":
                m += 2  # "VGP/Nhật Bắc": the agency first
            end = self._cap_run(m, limit=4)
            closes = end == n or self.units[end].text in CREDIT_CLOSERS
            if not 2 <= end - m <= 4 or not closes or not all(_proper_case(u) for u in self.units[m:end]):
                continue
            if self.res.org_heads.match(self.units, m) or self.res.org_aliases.match(self.units, m) \
                    or self._title_at(m) is not None:
                continue
            out.append(Candidate(m, end, "LEADER", 2, {}))
        return out

    def _byline(self) -> list[Candidate]:
        """A line that is only a short name ("Hải Bình", "Thúy Quỳnh"): a byline or a credit."""
        alpha = [u for u in self.units if u.alpha]
        if not 2 <= len(alpha) <= 4 or len(alpha) < len(self.units) - 1 or self.caps_line:
            return []
        if not all(_proper_case(u) and not looks_foreign(u) for u in alpha) or self.units[:len(alpha)] != alpha:
            return []  # only the name, then at most a closing mark
        if self.res.places.match(self.units, 0) or self.res.org_heads.match(self.units, 0) \
                or self.res.org_aliases.match(self.units, 0) or self._title_at(0) is not None:
            return []
        return [Candidate(0, len(alpha), "LEADER", 5, {})]

    def _caps_line_person(self) -> list[Candidate]:
        """A byline that is only a name in capitals ("HỒ QUỐC DŨNG")."""
        alpha = [i for i, u in enumerate(self.units) if u.alpha]
        if not self.caps_line or not 2 <= len(alpha) <= 4 or len(alpha) != len(self.units):
            return []
        if self.units[0].key in self.res.surnames and not self.res.places.match(self.units, 0):
            return [Candidate(0, len(self.units), "LEADER", 6, {"canonical": self.text.title()})]
        return []

    # -- projects ------------------------------------------------------------------

    def _project(self, i: int) -> list[Candidate]:
        hit = self.res.project_heads.match(self.units, i)
        if not hit:
            return []
        j, kind = hit
        place = self.res.places.match(self.units, i) if self.units[i].cap else None
        if place and place[0] > j:
            return []  # "Cầu Giấy", "Cửa Lò": a place whose name starts like a project head
        if i > 0 and self.units[i - 1].word == self.units[i].word and kind != "route":
            return []  # "nhu cầu": a head inside a word ("khởi công đoạn A – B" is underthesea's glue)
        if self._title_at(i) is not None or self._after_place_trigger(i):
            return []  # "Luật sư Nguyễn …" is a title; "quận Cầu Giấy" a place
        if self.units[i].key == "dự" and self._project_follows(j):
            return []  # "Dự án (xây dựng) tuyến đường sắt …": the project starts at its own head
        if self.units[i].key == "dự":  # "dự án X" needs the name right after it, and stays outside the span
            return [replace(c, start=j) for c in self._infrastructure(i, j, "other")]
        if kind in ("agreement", "programme", "document"):
            return self._named_document(i, j, "other" if kind == "document" else kind)
        return self._infrastructure(i, j, kind)

    def _caps_project(self, i: int) -> list[Candidate]:
        """A project in an ALL-CAPS heading, named by known places only: "ĐƯỜNG SẮT LÀO CAI – HÀ NỘI"."""
        hit = self.res.project_heads.match(self.units, i)
        if not hit or hit[1] in ("agreement", "programme", "document", "route"):
            return []
        j, kind = hit
        end, k = j, j
        while k < len(self.units):
            place = self.res.places.match(self.units, k)
            if not place:
                break
            end = place[0]
            if end + 1 < len(self.units) and self.units[end].text in DASHES:
                k = end + 1
                continue
            break
        return [Candidate(self._project_start(i), end, "PROJECT", 1, {"kind": kind})] if end > j else []

    def _after_place_trigger(self, i: int) -> bool:
        """Is unit i right after a place type word ("quận Cầu Giấy", "cửa khẩu Cầu Treo")? A street
        word does not count: "đường Vành đai 3" is the road project."""
        return any((hit := self.res.place_triggers.match(self.units, t)) and hit[0] == i and hit[1] not in STREET_TRIGGERS
                   for t in range(max(0, i - 3), i))

    def _project_follows(self, j: int) -> bool:
        for skip in range(0, 4):
            if j + skip < len(self.units) and self.res.project_heads.match(self.units, j + skip):
                return True
        return False

    def _infrastructure(self, i: int, j: int, kind: str) -> list[Candidate]:
        """Head noun + name, number or endpoints: "đường sắt Viêng Chăn – Vũng Áng",
        "đường dây 500kV Monsoon – Thạnh Mỹ", "Cảng số 3 – Cảng quốc tế Lào – Việt"."""
        n, k = len(self.units), j
        if kind == "route":
            if self._project_follows(j):
                return []  # "tuyến đường sắt …": the inner head makes the candidate, with "tuyến"
            kind = self._context_kind(i)
        numbered = False
        steps = 0
        while k < n and steps < 5 and not self.units[k].cap:
            u = self.units[k]
            if u.text[:1].isdigit() and k > j and self.units[k - 1].key != "số" and not self.units[k - 1].upper:
                break  # "Tuyến cao tốc dài khoảng 128 km": a measure, not the project's number
            if u.text[:1].isdigit() or u.key == "số":
                numbered = numbered or u.text[:1].isdigit()
            elif u.key == "trên" and k + 1 < n and self.units[k + 1].key == "trục":
                k += 1  # "đường sắt tốc độ cao trên trục Bắc – Nam"
            elif u.key in BREAK_WORDS or not u.alpha or u.pos in FUNCTION_POS \
                    or (self.res.place_triggers.match(self.units, k) or (0, ""))[1] in AREA_TRIGGERS:
                break  # "cảng biển khu vực Đông Nam Bộ" names no port
            k += 1
            steps += 1
        if k + 1 < n and numbered and self.units[k].text in DASHES and self.units[k + 1].cap:
            k += 1  # "Cảng số 3 – Cảng quốc tế Lào – Việt": a number, then another named project
            head = self.res.project_heads.match(self.units, k)
            inner = self._infrastructure(k, head[0], kind) if head else []
            if inner:
                return [Candidate(i, inner[0].end, "PROJECT", 1, {"kind": kind, "_head": j - i})]
        elif k >= n or not self.units[k].cap:
            if numbered and self.units[i].cap and self.units[k - 1].text[:1].isdigit():
                return [Candidate(self._project_start(i), k, "PROJECT", 1, {"kind": kind, "_head": j - i})]
            return []
        end = self._endpoints(k)
        if end <= k or end - k == 1 and self.units[k].text in self.res.stop_acronyms:
            return []  # "dự án FDI"
        country = self.res.places.match(self.units, k)
        if self.units[i].key == "dự" and country and country[0] == end and country[1].type == "country":
            return []  # "12 dự án Hàn Quốc": projects by nationality
        if self.units[i].key in ("tuyến", "đoạn") and not any(u.text in DASHES for u in self.units[k:end]):
            return []  # a bare "tuyến X" needs its endpoints
        if end + 1 < n and self.units[end].key == "phía" and self.units[end + 1].cap \
                and self.units[end + 1].key in DIRECTIONS:
            end += 2  # "cao tốc Bắc – Nam phía Đông"
        return [Candidate(self._project_start(i), end, "PROJECT", 1, {"kind": kind, "_head": j - i})]

    def _project_start(self, i: int) -> int:
        """A lowercase "tuyến", "đoạn", "bến" or "đường" before the head belongs to the span."""
        before = self.units[i - 1] if i > 0 else None
        return i - 1 if before and before.key in ("tuyến", "đoạn", "bến", "đường") and not before.cap else i

    def _context_kind(self, i: int) -> str:
        """Kind of a bare "tuyến A – B": the nearest project noun before it in the sentence."""
        for k in range(i - 1, -1, -1):
            hit = self.res.project_heads.match(self.units, k)
            if hit and hit[1] not in ("route", "agreement", "programme", "document", "other"):
                return hit[1]
        return "other"

    def _endpoints(self, k: int) -> int:
        """Names joined by dashes: one project name. A "(Place)" stays inside only between endpoints
        ("đường sắt A (Lào) - B (Việt Nam)"), not after the last one ("Monsoon (thuộc Lào)")."""
        n, end = len(self.units), k
        while True:
            place = self.res.places.match(self.units, end)
            run = max(place[0] if place else end, self._cap_run_plain(end))
            if run <= end:
                break
            end = run
            after = end
            if end + 2 < n and self.units[end].text == "(":
                close = next((m for m in range(end + 1, min(n, end + 6)) if self.units[m].text == ")"), None)
                if close is not None:
                    after = close + 1
            if after + 1 < n and self.units[after].text in DASHES and self.units[after + 1].cap:
                end = after + 1
                continue
            if after == end < n and self.units[end].alpha and self.units[end].cap and not self.units[end].upper \
                    and self._title_at(end) is None and not self.res.org_heads.match(self.units, end):
                continue  # "Cầu Hữu nghị Nong Khai – Vientiane": a name, then its endpoints
            break
        while end > k and self.units[end - 1].text in DASHES:
            end -= 1
        ordinal = ORDINAL.match(self.text, self.units[end - 1].end) if end > k else None
        if ordinal:  # "Cầu Hữu nghị … thứ hai": the second bridge of that name
            end = next(m for m in range(end, n + 1) if m == n or self.units[m].start >= ordinal.end())
        return end

    def _cap_run_plain(self, i: int) -> int:
        j = i
        while j < len(self.units) and (self.units[j].alpha and self.units[j].cap or
                                        (j > i and self.units[j].text[:1].isdigit() and not _is_year(self.units[j].text))):
            if j > i and self._title_at(j, strict=True) is not None or self._continues_lowercase(j):
                break  # "Vĩnh Tân": a title prefix alone does not end a name
            j += 1
        return j

    def _named_document(self, i: int, j: int, kind: str) -> list[Candidate]:
        """A named plan or agreement: capitalized head, a description, then a name and/or a period.

        "Thỏa thuận về kế hoạch hợp tác Việt Nam - Lào 2024", "Nghị quyết số 81/2023/QH15".
        """
        if not self.units[i].cap:
            return []
        n, k = len(self.units), j
        if k < n and self.units[k].key == "số" and k + 1 < n and self.units[k + 1].text[:1].isdigit():
            end = k + 1
            # the document number runs up to the next whitespace
            stop = self.text.find(" ", self.units[k + 1].start)
            stop = len(self.text) if stop < 0 else stop
            while end < n and self.units[end].start < stop:
                end += 1
            while end > k + 1 and not self.units[end - 1].alpha and not self.units[end - 1].text.isdigit():
                end -= 1
            return [Candidate(i, end, "PROJECT", 1, {"kind": "other"})]
        anchor_end, named = None, False
        steps = 0
        while k < n and steps < 16:
            u = self.units[k]
            if u.alpha and u.cap:
                if self.res.events.match(self.units, k):
                    break  # "Nghị quyết Đại hội XIV": an event, not a name
                run = max(self._endpoints(k), k + 1)
                while run < n and self.units[run - 1].word == self.units[run].word and self.units[run].alpha:
                    run += 1  # "Đối tác Toàn diện": capitalized words of a title keep their compounds
                k = anchor_end = run
                named = True
                steps += 1
                continue
            if _is_year(u.text):
                k += 1
                while k + 1 < n and self.units[k].text in DASHES and _is_year(self.units[k + 1].text):
                    k += 2
                anchor_end, named = k, False
                steps += 1
                continue
            if u.key == "," and k + 2 < n and self.units[k + 1].key == "tầm" and anchor_end == k:
                k += 1
                continue
            joins = u.key == "và" and anchor_end == k and named and k + 1 < n and self.units[k + 1].cap \
                and not self.res.project_heads.match(self.units, k + 1)
            located = self.res.places.match(self.units, k + 1) if u.key in ("ở", "trên") and kind == "agreement" \
                and k + 1 < n and self.units[k + 1].cap else None
            if located:
                k = anchor_end = located[0]  # "Bộ Quy tắc ứng xử ở Biển Đông": the sea the code is about
                named = True
                continue
            trigger = self.res.place_triggers.match(self.units, k)
            if trigger and not u.cap and trigger[0] < n and _proper_case(self.units[trigger[0]]):
                k = trigger[0]  # "Quy hoạch tỉnh Nghệ An thời kỳ 2021-2030": the plan's jurisdiction
                continue
            if not u.alpha or (u.key in BREAK_WORDS and u.key not in TITLE_LINKS and not joins) or trigger:
                break
            k += 1
            steps += 1
        if anchor_end is None:
            return []
        about = self.units[anchor_end + 1:k] if anchor_end < n and self.units[anchor_end].key == "về" else []
        if about and len(about) <= 6 and (k >= n or not self.units[k].alpha) \
                and all(x.alpha and not x.cap and x.key not in BREAK_WORDS for x in about):
            anchor_end = k  # "Công ước Liên hợp quốc về chống tội phạm mạng": what it is about, up to a mark
        return [Candidate(i, anchor_end, "PROJECT", 1, {"kind": kind})]

    # -- resolution ----------------------------------------------------------------

    def mentions(self, extra: list[Mention] = ()) -> list[Mention]:
        """Non-overlapping mentions; `extra` (values found by another component) competes in tier 1."""
        spans = [(*self._char_span(c.start, c.end), c.label, c.tier, c.attrs)
                 for c in self.candidates() if c.end > c.start]
        spans += [(m.start, m.end, m.label, 1, m.attrs) for m in extra]
        chosen: list[tuple] = []
        # Ties: the more specific head wins ("nhà máy điện gió" over "nhà máy"), then ORG over PROJECT
        # ("Bệnh viện Bạch Mai" is the hospital as a body).
        def rank(span):
            start, end, label, tier, attrs = span
            return tier, start - end, -attrs.get("_head", 0), start, label != "ORG"

        for span in sorted(spans, key=rank):
            if any(span[0] < other[1] and other[0] < span[1] for other in chosen):
                continue
            chosen.append(span)
        chosen = self._list_members(self._paren_acronyms(chosen))
        out = []
        for s, e, label, _, attrs in sorted(chosen):
            attrs = {k: v for k, v in attrs.items() if v is not None and not k.startswith("_")}
            if label == "LEADER":
                suffix = NAME_SUFFIX.match(self.text, e)
                if suffix and not any(s2 < suffix.end() and e < e2 for s2, e2, *_ in chosen if (s2, e2) != (s, e)):
                    e = suffix.end()  # "Joseph R. Biden, Jr.": the suffix belongs to the name
                elif self.text[e:e + 1] == "." and (self.text[e - 2:e] in ("Jr", "Sr") or _initial_end(self.text, s, e)):
                    e += 1  # "Ferdinand Marcos Jr.", "chị Dương Thị T.": the dot belongs to the name
                after = self._appositive_title(e)
                if after:
                    attrs["appositive"] = after
            out.append(Mention(s, e, label, attrs))
        return out

    def _paren_acronyms(self, chosen: list[tuple]) -> list[tuple]:
        """A short name in parentheses right after a project or an organization is that entity's
        acronym, with the same label: "Hiệp định Thương mại tự do Việt Nam – EU (EVFTA)",
        "Hiệp hội Cà phê – Ca cao Việt Nam (Vicofa)"."""
        out = list(chosen)
        for start, end, label, tier, attrs in chosen:
            match = PAREN_ACRONYM.match(self.text, end) if label in ("PROJECT", "ORG") else None
            if not match or label == "PROJECT" and not match[1].isupper():
                continue
            span = match.span(1)
            unit = next(k for k, u in enumerate(self.units) if u.start == span[0])
            if self.res.places.match(self.units, unit) or self._title_at(unit) is not None:
                continue  # "Bộ Ngoại giao (Lào)"
            out = [c for c in out if (c[0], c[1]) != span]
            out.append((*span, label, tier, {"kind": attrs.get("kind"), "source": "paren_acronym"} if label == "PROJECT"
                        else {"source": "paren_acronym"}))
        return out

    def _list_members(self, chosen: list[tuple]) -> list[tuple]:
        """Names listed with a recognized one take its label: "Nadal và Berdych", "Phi Sơn, Xuân Mạnh,
        Kovacevic". A member must be a bare proper-case run: no title, head or lexicon entry of its own."""
        out = list(chosen)
        start_unit = {u.start: k for k, u in enumerate(self.units)}
        end_unit = {u.end: k for k, u in enumerate(self.units)}

        def member(m: int) -> int | None:
            if m >= len(self.units) or self.units[m].key in BREAK_WORDS or self._abbreviated_unit(m) \
                    or self._title_at(m) is not None and self.units[m].key not in ADDRESS_WORDS \
                    or self.res.org_heads.match(self.units, m) or self.res.org_aliases.match(self.units, m):
                return None
            end = self._cap_run(m, limit=4)
            if end <= m or not all(_proper_case(u) for u in self.units[m:end]) or self.units[m].text in ("Jr", "Sr") \
                    or any(u.text in self.res.name_words for u in self.units[m:end]):
                return None
            if end - m == 1 and end < len(self.units) and self.units[end].alpha and not self.units[end].cap:
                return None  # "và Đoàn đại biểu", "Cố vấn An ninh": a capitalized common noun
            return end

        def at(start: int, end: int) -> tuple | None:
            return next((c for c in out if c[0] < end and start < c[1]), None)

        for start, end, label, _, _ in chosen:
            if label not in ("LEADER", "PLACE", "ORG") or start not in start_unit or end not in end_unit:
                continue
            k = end_unit[end] + 1  # rightwards: ", X", "và X"
            while k + 1 < len(self.units) and self.units[k].key in LIST_LINKS:
                stop = member(k + 1)
                if stop is None:
                    break
                span = self._char_span(k + 1, stop)
                other = at(*span)
                if other is not None and (other[2] != label or other[:2] != span):
                    break
                if other is None:
                    out.append((*span, label, 9, {"source": "list"}))
                k = stop
            k = start_unit[start] - 1  # leftwards: "X, " before the recognized name
            while k - 1 >= 0 and self.units[k].key in LIST_LINKS:
                begin = k - 1
                while begin > 0 and _proper_case(self.units[begin - 1]) and k - begin < 4:
                    begin -= 1
                if member(begin) != k:
                    break
                span = self._char_span(begin, k)
                other = at(*span)
                if other is not None and (other[2] != label or other[:2] != span):
                    break
                if other is None:
                    out.append((*span, label, 9, {"source": "list"}))
                k = begin - 1
        return out

    def _appositive_title(self, end_char: int) -> str | None:
        """A title written after the name: "Phan Văn Giang, Bộ trưởng Bộ Quốc phòng" → "Bộ trưởng"."""
        k = next((m for m, u in enumerate(self.units) if u.start >= end_char), len(self.units))
        if k + 1 >= len(self.units) or self.units[k].text not in (",", "(") and self.units[k].text not in DASHES:
            return None
        titles, m = [], k + 1
        while m < len(self.units):
            end = self._title_at(m)
            if end is None:
                break
            titles.append(self.text[self.units[m].start:self.units[end - 1].end])
            m = end
            org = self._org_head(m) if m < len(self.units) else []
            m = org[0].end if org else m
            if m < len(self.units) and self.units[m].key == "," and self._title_at(m + 1) is not None:
                m += 1
                continue
            break
        return ", ".join(titles) or None


def _proper_case(unit: Unit) -> bool:
    """ "Thongloun", "Lâm": a capital then lowercase; not an acronym or a camel-case brand."""
    return unit.alpha and unit.text[:1].isupper() and (len(unit.text) == 1 or unit.text[1:].islower())


def _unaccented(text: str) -> str:
    """ "nguyễn" → "nguyen": the letters without Vietnamese marks (đ → d)."""
    stripped = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return stripped.replace("đ", "d").replace("Đ", "D")


def _toned_word(text: str) -> bool:
    """A word in capitals that carries Vietnamese vowel marks ("ẢNH", "BẠN"): acronyms do not ("HĐND")."""
    lower = text.lower()
    return bool(VIETNAMESE_SYLLABLE.match(lower)) and any(
        unicodedata.decomposition(c) and c not in "đ" for c in lower)


def _initial_end(text: str, start: int, end: int) -> bool:
    """Does the name end in a one-letter initial ("Dương Thị T", "H")?"""
    return text[end - 1:end].isupper() and (end - 1 == start or not text[end - 2].isalpha())


def _is_year(text: str) -> bool:
    return len(text) == 4 and text.isdigit() and 1900 <= int(text) <= 2100


def recognize(text: str, words: list[tuple[int, int, str]]) -> list[Mention]:
    """LEADER/PLACE/ORG/PROJECT mentions of one sentence, given its underthesea words (start, end, pos).

    >>> [(text[m.start:m.end], m.label) for text in ["Tổng Bí thư Tô Lâm thăm Lào."]
    ...  for m in recognize(text, [(0, 11, "N"), (12, 18, "Np"), (19, 23, "V"), (24, 27, "Np"), (27, 28, "CH")])]
    [('Tô Lâm', 'LEADER'), ('Lào', 'PLACE')]
    """
    return SentenceRules(text, words).mentions()
