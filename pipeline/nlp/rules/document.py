"""Document-level evidence, after each sentence is resolved: the same name elsewhere in the document
gets the same label (propagation), an acronym keeps the label it was defined with, and in a match
report a city or province named bare is the club playing there.

`resolve_document(docs, texts)` is what the tag stage calls on one document's sentence Docs (each
with `doc._.mentions`), with the sentences' texts.
"""
from __future__ import annotations

import functools
import re

from ... import lexicons
from ...text import VIETNAMESE_SYLLABLE, fold
from .engine import Mention
from .words import CLUB_PLACE_TYPES

PROPAGATED = ("LEADER", "PLACE", "ORG")
SPORT_CUES_FOR_A_MATCH_REPORT = 4


def resolve_document(docs, texts: list[str]) -> None:
    """Document-level relabeling of one document's sentences, in place: propagation, then match reports."""
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
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(s) for s in sorted(known, key=len, reverse=True)) + r")(?!\w)")
    for doc, text in zip(docs, texts):
        taken = [(m.start, m.end) for m in doc._.mentions]
        words = {(t.idx, t.idx + len(t.text)) for t in doc}
        added = []
        for match in pattern.finditer(text):
            s, e = match.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            if match.group() in aliases and ((s, e) not in words or _next_to_capital(text, s, e)):
                continue  # "Chính" in "Chính phủ" is not Phạm Minh Chính
            seed = known[match.group()]
            attrs = {k: v for k, v in seed.attrs.items() if k != "title"} | {"source": "propagated"}
            added.append(Mention(s, e, seed.label, attrs))
            taken.append((s, e))
        if added:
            doc._.mentions = sorted(doc._.mentions + added, key=lambda m: m.start)


def _clubs_in_match_reports(docs, texts: list[str]) -> None:
    """In a match report, a city or province named bare is the side that plays there: "chủ nhà Bình
    Dương", "Liverpool thắng" are clubs (ORG). Written with its type word ("tỉnh Bình Dương") it stays
    a place. A report is an article with several words of the sports pages (`sport_cues.tsv`)."""
    cues = sum(len(lexicons.sport_cues().findall(fold(text))) for text in texts)
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
