"""Units and hits: a sentence's syllable units and its lexicon hits, each computed once per sentence.

Works on syllable *units* rather than underthesea words, because underthesea sometimes glues a
name to the next word ("Tô Lâm lựa chọn") and entity boundaries must be exact. underthesea's
word boundaries and POS tags are kept on each unit as signals.

`Sentence` holds the text, the units and every lexicon hit at every unit (places, titles,
organization and project heads, aliases, triggers, communes), computed when it is built (most
units start no entry, which one dict lookup tells): a recognizer asking "is there a place at
unit 7" costs a list index. The shared predicates on hits ("is an
organization head at i", "right after a place type word") live here too, so no family calls
another family's recognizer.
"""
from __future__ import annotations

import dataclasses
import functools
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

from ... import lexicons
from ...text import DASHES, UNIT_RE, VIETNAMESE_SYLLABLE, fold
from .words import ABBREVIATED_UNITS, CLAUSE_OPENERS, EVENTS, ORG_TAILS, PLACE_TRIGGERS, STREET_TRIGGERS


class Unit(NamedTuple):
    """One syllable unit (a NamedTuple: a sentence makes dozens of them, a frozen dataclass is slow to build)."""

    text: str
    start: int
    end: int
    key: str        # folded: lowercase, unified tone marks
    cap: bool       # starts with an uppercase letter
    upper: bool     # all letters uppercase (acronyms, headings)
    alpha: bool
    pos: str        # underthesea POS of the word containing this unit
    word: int       # index of that word, to know which units underthesea glued together


# ---------------------------------------------------------------- lexicon indexes


def phrase_units(text: str) -> tuple[str, ...]:
    """Folded units of a phrase; every dash becomes "-" ("Bà Rịa-Vũng Tàu" → bà, rịa, -, vũng, tàu)."""
    return tuple("-" if u in DASHES else unit_shape(u)[0] for u in UNIT_RE.findall(unicodedata.normalize("NFC", text)))


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
        """(end, payload) of the longest phrase starting at unit i, or None."""
        n = len(units)
        node = self.root.get(units[i].key) if i < n else None
        if node is None:
            return None  # most units start no phrase
        best, j = None, i + 1
        while True:  # one path while no dash is written or may be left out; the search below otherwise
            if None in node:
                best = (j, node[None])
            if j >= n:
                return best
            unit = units[j]
            if unit.text in DASHES or "-" in node:
                return self._search(units, i)
            node = node.get(unit.key)
            if node is None:
                return best
            j += 1

    def _search(self, units: list[Unit], i: int) -> tuple[int, object] | None:
        """Every path through the dash variants, depth first; the longest match wins, the first found of a length."""
        first = self.root.get(units[i].key)
        best = None
        stack = [(first, i + 1)]
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
    english_words: frozenset  # lowercase; title words of shows and brands ("Girl", "Man")
    given_names: frozenset    # foreign given names as written ("Angela", "Mohammed")
    english_dictionary: frozenset  # lowercase English common words (lexicons.english_dictionary)
    hit_starts: dict = None  # unit key → positions in HIT_INDEXES of the lexicons with a phrase starting so


def _hit_starts(res: Resources) -> dict[str, tuple[int, ...]]:
    """Which `HIT_INDEXES` lexicons have a phrase starting with each first unit key: a sentence then
    looks each unit up once instead of once per lexicon."""
    starts: dict[str, list[int]] = {}
    for position, name in enumerate(HIT_INDEXES):
        for key in getattr(res, name).root:
            starts.setdefault(key, []).append(position)
    return {key: tuple(positions) for key, positions in starts.items()}


@functools.cache
def resources() -> Resources:
    """Lexicon indexes, built once (`io.cached`) and loaded once per process."""
    from ... import io

    return io.cached("rule-resources", _build_resources)


def _build_resources() -> Resources:
    res = Resources(
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
        unaccented_surnames=frozenset(unaccented(fold(s)) for s in lexicons.surnames() if len(s) >= 3),
        stop_acronyms=frozenset(s.upper() for s in lexicons.stop_acronyms()),
        name_words={r["word"]: r["role"] for r in lexicons.table("name_words.tsv")},
        english_words=frozenset(r["word"] for r in lexicons.table("english_words.tsv")),
        given_names=frozenset(r["name"] for r in lexicons.table("given_names.tsv")),
        english_dictionary=lexicons.english_dictionary(),
    )
    return dataclasses.replace(res, hit_starts=_hit_starts(res))


# ---------------------------------------------------------------- units


def make_units(text: str, words: list[tuple[int, int, str]]) -> list[Unit]:
    """Syllable units of `text`, each tagged with the underthesea word (start, end, pos) containing it."""
    units, w, n = [], 0, len(words)
    new = tuple.__new__  # a NamedTuple's own __new__ is a Python function: the sentence's hottest loop skips it
    for match in UNIT_RE.finditer(text):
        s, e = match.span()
        while w < n and words[w][1] <= s:
            w += 1
        if w < n and words[w][0] <= s:  # words[w] ends after s
            pos, word = words[w][2], w
        else:
            pos, word = "", -1 - len(units)
        piece = match.group()
        units.append(new(Unit, (piece, s, e, *unit_shape(piece), pos, word)))
    return units


@functools.lru_cache(maxsize=1 << 16)
def unit_shape(piece: str) -> tuple[str, bool, bool, bool]:
    """(key, cap, upper, alpha) of a unit's text, the `Unit` fields after `end`, computed once per distinct
    syllable: the same few thousand syllables make up every sentence, and `fold` is the costly part."""
    letters = [c for c in piece if c.isalpha()]
    return fold(piece), piece[:1].isupper(), bool(letters) and all(c.isupper() for c in letters), bool(letters)


def is_caps_line(units: list[Unit]) -> bool:
    """A heading or byline in ALL CAPS: shape rules must not fire there."""
    letters = [u for u in units if u.alpha]
    return len(letters) >= 3 and sum(u.upper for u in letters) >= 0.8 * len(letters)


def looks_foreign(unit: Unit) -> bool:
    """A capitalized syllable that Vietnamese orthography cannot spell ("Thongloun", "Putin")."""
    return _foreign_spelling(unit.text, unit.alpha)


@functools.lru_cache(maxsize=1 << 16)
def _foreign_spelling(text: str, alpha: bool) -> bool:
    word = text.lower()
    return alpha and not VIETNAMESE_SYLLABLE.match(word) or any(c in "fjwz" for c in word)


def proper_case(unit: Unit) -> bool:
    """ "Thongloun", "Lâm": a capital then lowercase; not an acronym or a camel-case brand."""
    return unit.alpha and unit.text[:1].isupper() and (len(unit.text) == 1 or unit.text[1:].islower())


def unaccented(text: str) -> str:
    """ "nguyễn" → "nguyen": the letters without Vietnamese marks (đ → d)."""
    stripped = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return stripped.replace("đ", "d").replace("Đ", "D")


# ---------------------------------------------------------------- the sentence

def _memo(index: str):
    """The hit of lexicon `index` at unit i (PhraseIndex.match), computed with the sentence."""
    def hit(self, i: int):
        hits = self._hits[index]
        if 0 <= i < len(hits):
            return hits[i]
        return getattr(self.res, index).match(self.units, i)  # past the end (None), or a negative index
    hit.__name__ = index
    hit.__doc__ = f"(end, payload) of the longest `{index}` entry starting at unit i, or None (precomputed)."
    return hit


HIT_INDEXES = ("places", "titles", "org_heads", "org_aliases", "project_heads", "place_triggers", "communes",
               "org_tails", "events")


class Sentence:
    """One sentence: text, syllable units, and its lexicon hits (at every unit, computed once).

    >>> s = Sentence("Tổng Bí thư Tô Lâm thăm Lào.", [(0, 11, "N"), (12, 18, "Np"), (19, 23, "V"), (24, 27, "Np"), (27, 28, "CH")])
    >>> [u.text for u in s.units][:5], s.title_at(0), s.place(6)[1].canonical
    (['Tổng', 'Bí', 'thư', 'Tô', 'Lâm'], 3, 'Lào')
    """

    __slots__ = ("text", "units", "res", "caps_line", "_hits", "hit_mask")

    def __init__(self, text: str, words: list[tuple[int, int, str]], res: Resources | None = None):
        self.text = text
        self.res = res or resources()
        self.units = make_units(text, words)
        self.caps_line = is_caps_line(self.units)
        units, res, n = self.units, self.res, len(self.units)
        indexes = [getattr(res, name) for name in HIT_INDEXES]
        hits: list[list] = [[None] * n for _ in HIT_INDEXES]
        self.hit_mask = mask = [0] * n  # bit k set: lexicon HIT_INDEXES[k] has an entry starting at unit i
        starts = res.hit_starts
        for i, u in enumerate(units):
            for position in starts.get(u.key, ()):
                hit = hits[position][i] = indexes[position].match(units, i)
                if hit is not None:
                    mask[i] |= 1 << position
        self._hits = dict(zip(HIT_INDEXES, hits))

    @classmethod
    def of(cls, text: str, spec: str) -> Sentence:
        """A sentence from hand-written underthesea words, for tests: `spec` lists each word as
        surface/POS, syllables joined by "_", in text order ("Tô_Lâm/Np thăm/V Lào/Np ./CH").

        >>> [(u.text, u.pos, u.word) for u in Sentence.of("Tô Lâm thăm Lào.", "Tô_Lâm/Np thăm/V Lào/Np ./CH").units][:3]
        [('Tô', 'Np', 0), ('Lâm', 'Np', 0), ('thăm', 'V', 1)]
        """
        words, cursor = [], 0
        for token in spec.split():
            surface, _, pos = token.rpartition("/")
            surface = surface.replace("_", " ")
            start = text.index(surface, cursor)
            words.append((start, start + len(surface), pos))
            cursor = start + len(surface)
        return cls(text, words)

    place = _memo("places")
    title_hit = _memo("titles")
    org_head = _memo("org_heads")
    org_alias = _memo("org_aliases")
    project_head = _memo("project_heads")
    place_trigger = _memo("place_triggers")
    commune = _memo("communes")
    org_tail = _memo("org_tails")
    event = _memo("events")

    # -- shared predicates on units and hits -------------------------------------

    def name_unit(self, i: int) -> bool:
        u = self.units[i] if 0 <= i < len(self.units) else None
        return bool(u and u.alpha and (u.cap or u.text[:1].isdigit()))

    def title_at(self, i: int, strict: bool = False) -> int | None:
        """End of the title starting at unit i. With `strict`, a prefix ("Phó", "tân", "nguyên")
        counts only before a title: "tân Thủ tướng" is a title, "cửa khẩu Tân Thanh" is not."""
        hit = self.title_hit(i)
        if not hit:
            return None
        end, kind = hit
        return self.title_at(end, strict) if strict and kind == "prefix" else end

    def long_title_at(self, j: int) -> bool:
        end = self.title_at(j)
        return end is not None and end - j >= 2

    def glued(self, a: int, b: int) -> bool:
        return 0 <= a and b < len(self.units) and self.units[a].end == self.units[b].start

    def prev_key(self, i: int) -> str:
        return self.units[i - 1].key if i > 0 else ""

    def char_span(self, a: int, b: int) -> tuple[int, int]:
        return self.units[a].start, self.units[b - 1].end

    def continues_lowercase(self, j: int) -> bool:
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

    def clause_start(self, i: int) -> bool:
        """Does unit i open the sentence or a quoted or introduced clause?"""
        return i == 0 or self.units[i - 1].text in CLAUSE_OPENERS

    def abbreviated_unit(self, k: int) -> tuple[int, str] | None:
        """An administrative unit abbreviated in an address, glued to its name: "H.Phú Vang" (huyện),
        "Q.Bình Thạnh" (quận), "P.Tân Định" (phường), "TX.Sơn Tây" (thị xã). Returns (name start, type word)."""
        if k + 2 >= len(self.units) or self.units[k].text not in ABBREVIATED_UNITS or self.units[k + 1].text != "." \
                or not (self.glued(k, k + 1) and self.glued(k + 1, k + 2)) or not proper_case(self.units[k + 2]):
            return None
        return k + 2, ABBREVIATED_UNITS[self.units[k].text]

    def type_word_at(self, j: int) -> bool:
        """A place type word starts at j: "tỉnh", "TP", "Thành phố" — but a capitalized single
        syllable such as "Hồ" in "Thành phố Hồ Chí Minh" is part of a name."""
        hit = self.place_trigger(j)
        u = self.units[j] if j < len(self.units) else None
        return bool(hit) and (not u.cap or u.upper or hit[0] - j >= 2)

    def after_place_trigger(self, i: int) -> bool:
        """Is unit i right after a place type word ("quận Cầu Giấy", "cửa khẩu Cầu Treo")? A street
        word does not count: "đường Vành đai 3" is the road project."""
        return any((hit := self.place_trigger(t)) and hit[0] == i and hit[1] not in STREET_TRIGGERS
                   for t in range(max(0, i - 3), i))

    def inside_org_head(self, i: int) -> bool:
        for start in range(max(0, i - 3), i):
            hit = self.org_head(start)
            if hit and hit[0] >= i and self.units[start].cap and self.title_at(start) is None:
                return True
        return False
