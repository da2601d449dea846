"""Document-level evidence, after each sentence is resolved: a given name repeated bare is a person
("Ngọc nói", "của Ngọc"), the same name elsewhere in the document gets the same label (propagation),
an acronym keeps the label it was defined with, and in a match report a city or province named bare
is the club playing there.

`resolve_document(docs, texts)` is what the tag stage calls on one document's sentence Docs (each
with `doc._.mentions`), with the sentences' texts.
"""
from __future__ import annotations

import bisect
import functools
import re
from collections import Counter

from ... import lexicons
from ...text import UNIT_RE, VIETNAMESE_SYLLABLE, fold
from ..tokenizer import doc_words
from .engine import Mention
from .units import resources
from .words import CLUB_PLACE_TYPES

PROPAGATED = ("LEADER", "PLACE", "ORG")
SPORT_CUES_FOR_A_MATCH_REPORT = 4


def resolve_document(docs, texts: list[str]) -> None:
    """Document-level relabeling of one document's sentences, in place: names repeated bare, propagation,
    then match reports."""
    _repeated_bare_names(docs, texts)
    _propagate(docs, texts)
    _clubs_in_match_reports(docs, texts)


def _propagate(docs, texts: list[str]) -> None:
    """Label the other occurrences of names found in the document (same label, same attributes).

    Multi-word names and acronyms only: a bare "Đảng" depends on its context. A person is also
    found by the given name alone ("Nguyễn Thanh Tùng" … "Tùng khai"), or by the family name of a
    foreign name ("Emmanuel Macron" … "Macron"), when that word is a whole underthesea word standing
    apart from other capitals.
    """
    known: dict[str, Mention] = {}
    short: dict[str, Mention] = {}
    defined = {text[m.start:m.end]: m for doc, text in zip(docs, texts) for m in doc._.mentions
               if m.attrs.get("source") == "paren_acronym"}
    for doc, text in zip(docs, texts):
        if defined:  # "Sân bay quốc tế Techo (TIA)" … "TIA sẽ": the acronym keeps the label it was defined with
            doc._.mentions = [_relabeled(m, defined.get(text[m.start:m.end])) for m in doc._.mentions]
        for m in doc._.mentions:
            surface = text[m.start:m.end]
            if m.label in PROPAGATED and (" " in surface or surface.isupper() and len(surface) >= 2) \
                    or surface in defined and defined[surface].label == m.label:  # "(TIA)" … "TIA sẽ": any label
                known.setdefault(surface, m)
            if m.label == "LEADER" and " " in surface and not surface.isupper():
                alias = _short_name(surface)
                if alias:
                    short.setdefault(alias, Mention(m.start, m.end, m.label, {"canonical": surface}))
            elif m.label == "LEADER" and _addressed_by_given_name(surface, m.attrs.get("title")):
                short.setdefault(surface, m)  # "anh Cường" … "Cường bảo": the same person
    aliases = {alias for alias in short if alias not in known}
    known.update({alias: short[alias] for alias in aliases})
    if not known:
        return
    names = sorted(known, key=len, reverse=True)
    for doc, text in zip(docs, texts):
        taken = [(m.start, m.end) for m in doc._.mentions]
        words = {(start, end) for start, end, _, _ in doc_words(doc)}
        added = []
        for s, e, name in whole_word_occurrences(text, names):
            if any(s < te and ts < e for ts, te in taken):
                continue
            if name in aliases and ((s, e) not in words or _next_to_capital(text, s, e)):
                continue  # "Chính" in "Chính phủ" is not Phạm Minh Chính
            seed = known[name]
            attrs = {k: v for k, v in seed.attrs.items() if k != "title"} | {"source": "propagated"}
            added.append(Mention(s, e, seed.label, attrs))
            taken.append((s, e))
        if added:
            doc._.mentions = sorted(doc._.mentions + added, key=lambda m: m.start)


_WORD_CHAR = re.compile(r"\w")


def whole_word_occurrences(text: str, names: list[str]) -> list[tuple[int, int, str]]:
    r"""(start, end, name) of the names standing as whole words in `text`, left to right, without overlaps;
    where several start at one place, the first of `names` (given longest first) that stands whole there.

    What `re.finditer` finds with the alternation `(?<!\w)(name|…)(?!\w)`, without compiling a pattern of
    every name of each document.

    >>> whole_word_occurrences("Hà Nội và Nội Bài, Hà Nội.", ["Hà Nội", "Nội Bài", "Nội"])
    [(0, 6, 'Hà Nội'), (10, 17, 'Nội Bài'), (19, 25, 'Hà Nội')]
    """
    first: dict[int, str] = {}
    for name in names:
        start = text.find(name)
        while start >= 0:
            end = start + len(name)
            if start not in first and not (start and _WORD_CHAR.match(text, start - 1)) \
                    and not _WORD_CHAR.match(text, end):
                first[start] = name
            start = text.find(name, start + 1)
    out, pos = [], 0
    for start in sorted(first):
        if start >= pos:
            out.append((start, start + len(first[start]), first[start]))
            pos = start + len(first[start])
    return out


MIN_BARE_REPEATS = 2
CLOSING_MARKS = frozenset(".,;:!?)]”’\"'…")
NAMING_NOUNS = frozenset({"N", "Nc", "Nu", "Ny", "Nb"})  # "người Dao", "năm Thìn", "tên lửa Kalibr" name a kind


@functools.lru_cache(maxsize=1 << 16)
def _name_syllable(unit: str) -> bool:
    return unit[:1].isupper() and unit[1:].islower() and unit.isalpha()


@functools.lru_cache(maxsize=65536)
def _not_a_name(word: str) -> bool:
    """Does a lexicon know this capitalized word as something else than a person?"""
    key, lower = fold(word), word.lower()
    return bool(lexicons.lookup_place(word) or key in lexicons.org_aliases() or key in lexicons.titles()
                or key in lexicons.org_heads() or key in lexicons.project_heads()
                or (" " in word and key in lexicons.dictionary_words())
                or lower in resources().english_words or word in resources().name_words
                or lower in resources().english_dictionary and word not in resources().given_names)


def _bare_name_runs(words: list[tuple[int, int, str, str]], text: str, lowercase: Counter, units=None):
    """Runs of one capitalized word, or two Vietnamese syllables, standing apart from other capitals:
    (start, end, proper, mid, named) — underthesea read it as a proper noun (tagged Np, or glued to the
    next word as no dictionary word is: "Ngọc vuốt"); it stands mid-sentence; a common noun before it
    names a kind ("người Dao"), or it begins a common compound ("Quốc gia") or is numbered ("Jackpot 2").
    `units`: the sentence's (text, start, end, …) syllable units, when the entity rules already made them."""
    if units is None:
        units = [(m.group(), m.start(), m.end()) for m in UNIT_RE.finditer(text)]
    starts = [w[0] for w in words]

    def token_at(c: int):
        """The underthesea word (start, end, text, tag) covering character c, if any."""
        k = bisect.bisect_right(starts, c) - 1
        return words[k] if k >= 0 and c < words[k][1] else None
    k = 0
    while k < len(units):
        if not _name_syllable(units[k][0]):
            k += 1
            continue
        end = k
        while end < len(units) and _name_syllable(units[end][0]):
            end += 1
        run, k = units[k:end], end
        opener = token_at(run[0][1])
        if len(run) == 2 and not _char_before(text, run[0][1]).isalnum() and opener is not None \
                and opener[1] <= run[1][1] and (opener[3] != "Np" or lowercase[run[0][0].lower()]):
            run = run[1:]  # "Rồi Ngọc mở": a common word capitalized at the start of the sentence
        if len(run) > 2 or len(run) == 2 and not all(_vietnamese_syllable(u[0]) for u in run):
            continue
        start, stop = run[0][1], run[-1][2]
        if end < len(units) and units[end][1] == stop and units[end][0] not in CLOSING_MARKS \
                or start > 0 and (text[start - 1].isalnum() or text[start - 1] in "-@#/"):
            continue  # glued to something else: "Kalibr-3M", "iPhone"
        given = text[run[-1][1]:stop] in lexicons.vietnamese_given_names()
        if len(run) == 2 or _vietnamese_syllable(run[0][0]):
            if not given:
                continue  # a Vietnamese word named bare must end in a given name ("Minh", "Ánh Viên")
        prev = _char_before(text, start)  # the last character before the run that is not a space, or ""
        before = token_at(_index_before(text, start)) if prev else None
        touching = {token_at(c) for c in range(start, stop)} - {None}
        glued = any(t[0] < start or t[1] > stop for t in touching)
        if glued:  # "Ngọc vuốt": underthesea glues a given name to the verb after it, as no dictionary word is
            proper = given and not any(fold(t[2]) in lexicons.dictionary_words() for t in touching)
        else:
            proper = all(t[3] == "Np" for t in touching)
        mid = bool(prev) and (prev.islower() or prev in ",;")
        after = units[end][0] if end < len(units) else ""
        named = before is not None and before not in touching and before[3] in NAMING_NOUNS \
            or after[:1].isdigit() \
            or after.islower() and fold(f"{run[-1][0]} {after}") in lexicons.dictionary_words()
        yield start, stop, proper, mid and not named, named


def _index_before(text: str, start: int) -> int:
    """Index of the last character before `start` that is not a space (-1 when none): `len(text[:start].rstrip()) - 1`."""
    j = start - 1
    while j >= 0 and text[j].isspace():
        j -= 1
    return j


def _char_before(text: str, start: int) -> str:
    """ "Rồi Ngọc", 4 → "i": `text[:start].rstrip()[-1:]` without copying the text."""
    j = _index_before(text, start)
    return text[j] if j >= 0 else ""


def _repeated_bare_names(docs, texts: list[str]) -> None:
    """A story's characters and a match's players are often named bare, by one word: "Minh giật mình",
    "Paulinho ghi bàn". A capitalized word standing apart from other capitals, read as a proper noun
    most times, seen mid-sentence at least twice, rarely after a common noun and more often capitalized
    than not in the document, is a person (or what the names listed beside it are), unless a lexicon
    knows it as a place, a body, a title or an English common word. A Vietnamese word must end in a
    given name (`vietnamese_given_names.tsv`)."""
    seen: dict[str, list] = {}
    words = [doc_words(doc) for doc in docs]
    lowercase = Counter(w[2] for ws in words for w in ws if w[2].islower())  # "đoàn", "lễ": a common noun here
    for n, (doc, text) in enumerate(zip(docs, texts)):
        taken = [(m.start, m.end) for m in doc._.mentions]
        for start, stop, proper, mid, named in _bare_name_runs(words[n], text, lowercase, doc._.units):
            if not any(start < te and ts < stop for ts, te in taken):
                seen.setdefault(text[start:stop], []).append((n, start, stop, proper, mid, named))
    for word, occurrences in seen.items():
        count = len(occurrences)
        if sum(o[4] for o in occurrences) < MIN_BARE_REPEATS or 2 * sum(o[3] for o in occurrences) < count \
                or 3 * sum(o[5] for o in occurrences) > count or lowercase[word.lower()] >= count or _not_a_name(word):
            continue
        votes = Counter(label for n, start, stop, *_ in occurrences
                        for label in _list_neighbours(docs[n]._.mentions, texts[n], start, stop))
        label, n_votes = votes.most_common(1)[0] if votes else ("LEADER", 0)
        label = label if n_votes >= 2 else "LEADER"  # two names listed beside it agree: "A, Vinamilk, B và FPT"
        for n, start, stop, *_ in occurrences:
            docs[n]._.mentions = sorted(docs[n]._.mentions + [Mention(start, stop, label, {"source": "bare_name"})],
                                        key=lambda m: m.start)


_LIST_GLUE = re.compile(r"\s*(?:,|;|\bvà\b|\bhay\b|\bhoặc\b)\s*")


def _list_neighbours(mentions, text: str, start: int, stop: int) -> list[str]:
    """Labels of the names listed right before and after a span ("A, B và C")."""
    return [m.label for m in mentions if m.label in PROPAGATED
            and (m.end <= start and _LIST_GLUE.fullmatch(text[m.end:start])
                 or stop <= m.start and _LIST_GLUE.fullmatch(text[stop:m.start]))]


def _clubs_in_match_reports(docs, texts: list[str]) -> None:
    """In a match report, a city or province named bare is the side that plays there: "chủ nhà Bình
    Dương", "Liverpool thắng" are clubs (ORG). Written with its type word ("tỉnh Bình Dương") it stays
    a place. A report is an article with several words of the sports pages (`sport_cues.tsv`)."""
    # One fold of all sentences: NUL is neither a word nor a space character, so no cue matches across it.
    cues = len(lexicons.sport_cues().findall(fold("\0".join(texts))))
    if cues < SPORT_CUES_FOR_A_MATCH_REPORT:
        return
    clubs = _ambiguous_clubs()
    for doc, text in zip(docs, texts):
        mentions = [Mention(m.start, m.end, "ORG", {"source": "match_report"})
                    if m.label == "PLACE" and m.attrs.get("source") == "place_lexicon"
                    and m.attrs.get("type") in CLUB_PLACE_TYPES else m for m in doc._.mentions]
        taken = [(m.start, m.end) for m in mentions]
        for match in clubs.finditer(text):  # "Real thắng", "Stoke hòa": a club named by a common word or a town
            s, e = match.span()
            if not any(s < te and ts < e for ts, te in taken):
                mentions.append(Mention(s, e, "ORG", {"source": "match_report",
                                                      "canonical": lexicons.org_aliases()[fold(match.group())].canonical}))
        doc._.mentions = sorted(mentions, key=lambda m: m.start)


@functools.cache
def _ambiguous_clubs() -> re.Pattern:
    """The clubs of org_aliases.tsv flagged ambiguous ("Real", "Stoke", "Inter"), as written: only a match
    report shows they are the club."""
    names = sorted((a.alias for a in lexicons.org_aliases().values() if a.type == "club" and "ambiguous" in a.flags),
                   key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, names)) + r")(?!\w)") if names else re.compile(r"(?!)")


def _relabeled(mention: Mention, definition: Mention | None) -> Mention:
    if definition is None or definition.label == mention.label:
        return mention
    attrs = {k: v for k, v in definition.attrs.items() if k != "source"} | {"source": "propagated"}
    return Mention(mention.start, mention.end, definition.label, attrs)


def _short_name(name: str) -> str | None:
    """How a later sentence refers to a person: the given name of a Vietnamese name ("Tùng"), the
    family name of a foreign one ("Macron"). None when that word is also a place ("Nam", "Hà")."""
    words = name.split()
    vietnamese = lexicons.is_surname(words[0]) and all(_vietnamese_syllable(w) for w in words)
    alias = words[-1]
    if len(alias) < 3 or lexicons.lookup_place(alias) or not alias[:1].isupper():
        return None
    return alias if vietnamese or len(words) >= 2 else None


def _addressed_by_given_name(surface: str, title: str | None) -> bool:
    """ "chị Minh", "bị can Thảo": one given name after a form of address or a role, not also a place."""
    return bool(title) and " " not in surface and len(surface) >= 2 and surface[:1].isupper() \
        and not surface.isupper() and lexicons.titles().get(fold(title)) in ("honorific", "role") \
        and lexicons.lookup_place(surface) is None


def _vietnamese_syllable(word: str) -> bool:
    return bool(VIETNAMESE_SYLLABLE.match(word.lower()))


def _next_to_capital(text: str, start: int, end: int) -> bool:
    """Is the match glued to another capitalized word ("Thanh Tùng Sport")? Then it is not the person."""
    before = text[:start].rstrip().split(" ")[-1:] or [""]
    after = text[end:].lstrip().split(" ")[:1] or [""]
    return bool(before[0][:1].isupper() and text[:start].rstrip()[-1:].isalpha()) or bool(after[0][:1].isupper())
