"""The resolver: picks the best non-overlapping set among a sentence's candidates.

Greedy, outermost first: by weight (`resources/rules.tsv`, lower wins first), then longer, then the
more specific head ("nhà máy điện gió" over "nhà máy"), then ORG over PROJECT ("Bệnh viện Bạch Mai"
is the hospital as a body). Then: "(ACRONYM)" after a project or organization takes its label,
names listed with a recognized one take its label, a person's name takes its suffix ("Jr.") and
its appositive title. Document-level evidence (the same string elsewhere in the document) is
`document.py`.
"""
from __future__ import annotations

import re

from ...text import DASHES, PAREN_ACRONYM
from .engine import Candidate, Mention, rule_weights
from .shapes import cap_run, initial_end, org_span
from .units import Sentence, proper_case
from .words import ADDRESS_WORDS, BREAK_WORDS, LIST_LINKS, NAME_SUFFIXES

NAME_SUFFIX = re.compile(r",? (?:Jr|Sr)\.")


def resolve(s: Sentence, candidates: list[Candidate], extra: list[Mention] = ()) -> list[Mention]:
    """Non-overlapping mentions; `extra` (values found by another component) competes in tier 1."""
    weight = rule_weights()
    spans = [(*s.char_span(c.start, c.end), c.label, weight[c.weight], c.attrs)
             for c in candidates if c.end > c.start]
    spans += [(m.start, m.end, m.label, weight["values"], m.attrs) for m in extra]
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
    chosen = _list_members(s, _paren_acronyms(s, chosen))
    out = []
    for b, e, label, _, attrs in sorted(chosen):
        attrs = {k: v for k, v in attrs.items() if v is not None and not k.startswith("_")}
        if label == "LEADER":
            suffix = NAME_SUFFIX.match(s.text, e)
            if suffix and not any(s2 < suffix.end() and e < e2 for s2, e2, *_ in chosen if (s2, e2) != (b, e)):
                e = suffix.end()  # "Joseph R. Biden, Jr.": the suffix belongs to the name
            elif s.text[e:e + 1] == "." and (s.text[e - 2:e] in NAME_SUFFIXES or initial_end(s.text, b, e)):
                e += 1  # "Ferdinand Marcos Jr.", "chị Dương Thị T.": the dot belongs to the name
            after = _appositive_title(s, e)
            if after:
                attrs["appositive"] = after
        out.append(Mention(b, e, label, attrs))
    return out


def _paren_acronyms(s: Sentence, chosen: list[tuple]) -> list[tuple]:
    """A short name in parentheses right after a project or an organization is that entity's
    acronym, with the same label: "Hiệp định Thương mại tự do Việt Nam – EU (EVFTA)",
    "Hiệp hội Cà phê – Ca cao Việt Nam (Vicofa)"."""
    out = list(chosen)
    for start, end, label, tier, attrs in chosen:
        match = PAREN_ACRONYM.match(s.text, end) if label in ("PROJECT", "ORG") else None
        if not match or label == "PROJECT" and not match[1].isupper():
            continue
        span = match.span(1)
        unit = next(k for k, u in enumerate(s.units) if u.start == span[0])
        if s.place(unit) or s.title_at(unit) is not None:
            continue  # "Bộ Ngoại giao (Lào)"
        out = [c for c in out if (c[0], c[1]) != span]
        out.append((*span, label, tier, {"kind": attrs.get("kind"), "source": "paren_acronym"} if label == "PROJECT"
                    else {"source": "paren_acronym"}))
    return out


def _list_members(s: Sentence, chosen: list[tuple]) -> list[tuple]:
    """Names listed with a recognized one take its label: "Nadal và Berdych", "Phi Sơn, Xuân Mạnh,
    Kovacevic". A member must be a bare proper-case run: no title, head or lexicon entry of its own."""
    out = list(chosen)
    start_unit = {u.start: k for k, u in enumerate(s.units)}
    end_unit = {u.end: k for k, u in enumerate(s.units)}

    def member(m: int) -> int | None:
        if m >= len(s.units) or s.units[m].key in BREAK_WORDS or s.abbreviated_unit(m) \
                or s.title_at(m) is not None and s.units[m].key not in ADDRESS_WORDS \
                or s.org_head(m) or s.org_alias(m):
            return None
        end = cap_run(s, m, limit=4)
        if end <= m or not all(proper_case(u) for u in s.units[m:end]) or s.units[m].text in NAME_SUFFIXES \
                or any(u.text in s.res.name_words for u in s.units[m:end]):
            return None
        if end - m == 1 and end < len(s.units) and s.units[end].alpha and not s.units[end].cap:
            return None  # "và Đoàn đại biểu", "Cố vấn An ninh": a capitalized common noun
        return end

    def at(start: int, end: int) -> tuple | None:
        return next((c for c in out if c[0] < end and start < c[1]), None)

    for start, end, label, _, _ in chosen:
        if label not in ("LEADER", "PLACE", "ORG") or start not in start_unit or end not in end_unit:
            continue
        k = end_unit[end] + 1  # rightwards: ", X", "và X"
        while k + 1 < len(s.units) and s.units[k].key in LIST_LINKS:
            stop = member(k + 1)
            if stop is None:
                break
            span = s.char_span(k + 1, stop)
            other = at(*span)
            if other is not None and (other[2] != label or other[:2] != span):
                break
            if other is None:
                out.append((*span, label, rule_weights()["list"], {"source": "list"}))
            k = stop
        k = start_unit[start] - 1  # leftwards: "X, " before the recognized name
        while k - 1 >= 0 and s.units[k].key in LIST_LINKS:
            begin = k - 1
            while begin > 0 and proper_case(s.units[begin - 1]) and k - begin < 4:
                begin -= 1
            if member(begin) != k:
                break
            span = s.char_span(begin, k)
            other = at(*span)
            if other is not None and (other[2] != label or other[:2] != span):
                break
            if other is None:
                out.append((*span, label, rule_weights()["list"], {"source": "list"}))
            k = begin - 1
    return out


def _appositive_title(s: Sentence, end_char: int) -> str | None:
    """A title written after the name: "Phan Văn Giang, Bộ trưởng Bộ Quốc phòng" → "Bộ trưởng"."""
    k = next((m for m, u in enumerate(s.units) if u.start >= end_char), len(s.units))
    if k + 1 >= len(s.units) or s.units[k].text not in (",", "(") and s.units[k].text not in DASHES:
        return None
    titles, m = [], k + 1
    while m < len(s.units):
        end = s.title_at(m)
        if end is None:
            break
        titles.append(s.text[s.units[m].start:s.units[end - 1].end])
        m = end
        org = org_span(s, m) if m < len(s.units) else None
        m = org[0] if org else m
        if m < len(s.units) and s.units[m].key == "," and s.title_at(m + 1) is not None:
            m += 1
            continue
        break
    return ", ".join(titles) or None
