"""Stage 4 — normalize and link: mentions → amounts, times, entities, relations.

Values come from the parsers' normalized fields; names get one canonical entity per real-world
thing (spelling, dash and tone-mark variants share one `entity_id`), leaders get their titles and
country, and stated facts become `relations` with the sentence as evidence.
"""
from __future__ import annotations

import functools
import hashlib
import json
import re
from collections import Counter, defaultdict, namedtuple

import pandas as pd

from . import lexicons
from .text import ACRONYM_DASHED, DASH_CLASS, fold, loose_key

NAMED = ("LEADER", "PLACE", "ORG", "PROJECT")
_DASH_BETWEEN_NAMES = re.compile(rf"(?<=[^\W\d])\s*{DASH_CLASS}\s*(?=[^\W\d])")
_ACRONYM_AFTER_NAME = re.compile(rf"\(({ACRONYM_DASHED})\)")
# Vietnamese state bodies keep their bare name ("Chính phủ Việt Nam" -> "Chính phủ").
_HOME_COUNTRY_SUFFIX = re.compile(r"\s+(?:nước\s+)?(?:Việt Nam|CHXHCN Việt Nam)$")
_STATE_BODY_TYPES = ("government", "ministry")
# Dropped from a project's canonical: "tuyến", a leading "Dự án", "bến" of "bến cảng", "đường" of "đường cao tốc".
_PROJECT_PREFIX = re.compile(r"^(?:tuyến\s+|dự án\s+|bến\s+(?=cảng)|đường\s+(?=cao tốc))+", re.I)
_KIND_NOUN = {"railway": "đường sắt", "expressway": "cao tốc", "energy": "đường dây"}
_HOME_PARTY = "Đảng Cộng sản Việt Nam"
_PARTY_ORGANS = ("Ban Chấp hành Trung ương", "Bộ Chính trị", "Ban Bí thư")
# Bare local bodies take the document's province: "Tỉnh ủy" → "Tỉnh ủy Bình Định", "Đảng bộ" → "Đảng bộ tỉnh …".
_LOCAL_BODY = re.compile(r"^(?:(?:UBND|HĐND|Ủy ban nhân dân|Hội đồng nhân dân|Đảng bộ)(?: tỉnh)?|Tỉnh ủy)$")

ENTITY_COLUMNS = ["entity_id", "label", "canonical", "aliases", "n_mentions", "n_docs", "titles", "country", "kind"]


def link(documents: pd.DataFrame, sentences: pd.DataFrame, mentions: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Normalize values and link names into entities; `sentences` give the evidence for `target_of`
    relations of amounts. `entity_parts` (per document) add up into `entities` over batches.

    >>> m = pd.DataFrame([{"mention_id": "d:0-3", "doc_id": "d", "sent_id": 0, "start": 0, "end": 3,
    ...     "text": "Lào", "label": "PLACE", "attrs": '{"canonical": "Lào"}'}])
    >>> s = pd.DataFrame([{"doc_id": "d", "sent_id": 0, "text": "Lào"}])
    >>> link(pd.DataFrame({"doc_id": ["d"], "text": ["Lào"]}), s, m)["entities"].canonical.tolist()
    ['Lào']
    """
    from .stages import require_columns

    require_columns("link", documents=documents, sentences=sentences, mentions=mentions)
    mentions = mentions.copy()
    sentence_texts = {(d, i): t for d, i, t in zip(sentences.doc_id.tolist(), sentences.sent_id.tolist(),
                                                    sentences.text.tolist())}
    attrs = [json.loads(a) if isinstance(a, str) else dict(a or {}) for a in mentions["attrs"].tolist()]
    texts = dict(zip(documents.doc_id.tolist(), documents.text.tolist()))
    canonicals = _canonicals(_records(mentions), attrs, texts)
    mentions["entity_id"] = [
        entity_id(label, project_key(canonical) if label == "PROJECT" else canonical) if label in NAMED else None
        for label, canonical in zip(mentions.label.tolist(), canonicals)
    ]
    parts = entity_parts(mentions, attrs, canonicals)
    records = _records(mentions)
    return {
        "mentions": mentions,
        "entities": reduce_entities(parts),
        "entity_parts": parts,
        "amounts": _amounts(records, attrs),
        "times": _times(records, attrs),
        "relations": _relations(records, attrs, sentence_texts),
    }


def _records(frame: pd.DataFrame) -> list:
    """`frame.itertuples(index=False)`, read column by column: pandas iterates its Arrow strings one
    element at a time, `tolist` converts a column at once."""
    row = namedtuple("Row", frame.columns, rename=True)
    return [row._make(values) for values in zip(*(frame[c].tolist() for c in frame.columns))]


def office_titles(title: str | None) -> list[str]:
    """Offices in a title as written before a name; forms of address are not offices.

    >>> office_titles("Tổng Bí thư, Chủ tịch nước")
    ['Tổng Bí thư', 'Chủ tịch nước']
    >>> office_titles("ông")
    []
    """
    if not title:
        return []
    kinds = lexicons.titles()
    parts = [p.strip() for p in re.split(r",|\bkiêm\b|\bvà\b", title) if p.strip()]
    return [p for p in parts if kinds.get(fold(p)) != "honorific"]


def entity_id(label: str, canonical: str) -> str:
    """Stable id from the label and the canonical's loose key: same thing, same id, in every run.

    >>> entity_id("PLACE", "Viêng Chăn") == entity_id("PLACE", "Viêng - chăn")
    True
    """
    key = f"{label}|{loose_key(canonical)}"
    return f"{label[:3].lower()}_{hashlib.sha1(key.encode('utf-8')).hexdigest()[:12]}"


def project_canonical(text: str) -> str:
    """Type noun + name, endpoints joined by " – " and written with their canonical place names,
    "tuyến" and a leading "Dự án" dropped.

    >>> project_canonical("tuyến đường sắt Vientiane-Vũng Áng")
    'đường sắt Viêng Chăn – Vũng Áng'
    """
    name = _DASH_BETWEEN_NAMES.sub(" – ", _PROJECT_PREFIX.sub("", text.strip()))
    head, names = _split_project(name)
    kind = lexicons.project_heads().get(fold(head))
    if kind not in (None, "agreement", "programme", "document") and head.isupper() and len(names) == 1:
        return f"{head.lower()} {_place_name(names[0].title())}"  # "SÂN BAY LONG THÀNH" in a heading
    if len(names) < 2:
        return name
    if kind in ("railway", "expressway", "energy", "route"):
        # "Cao tốc A – B" at a sentence start, a heading in capitals: a line between places
        head = head.lower() if head.isupper() else head[:1].lower() + head[1:]
    return " – ".join([f"{head} {names[0]}".strip(), *names[1:]])


def project_key(canonical: str) -> str:
    """Linking key of a project: head synonyms unified, endpoints in any order.

    >>> project_key("cao tốc Viêng Chăn – Hà Nội") == project_key("đường cao tốc Hà Nội - Vientiane")
    True
    >>> project_key("Sân bay Long Thành") == project_key("Cảng Hàng không Quốc tế Long Thành")
    True
    """
    head, names = _split_project(project_canonical(canonical))
    head = fold(head)
    for variant, base in _project_synonyms():
        if head == variant or head.endswith(" " + variant):
            head = head[: len(head) - len(variant)] + base
            break
    keys = [loose_key(n) for n in names]
    return "|".join([head, *(sorted(keys) if len(keys) > 1 else keys)])


def _split_project(name: str) -> tuple[str, list[str]]:
    """Head noun and names: "đường sắt Viêng Chăn – Vũng Áng" → ("đường sắt", ["Viêng Chăn", "Vũng Áng"]).

    Endpoints of infrastructure get their canonical place names; agreement and plan titles are kept
    as written ("Việt Nam – Lào 2024" is part of a title, not a route).
    """
    parts: list[str] = []
    for part in name.split(" – "):
        if parts and part[:1].islower():
            parts[-1] += " " + part  # "Viêng – chăn": a lowercase part continues the name before it
        else:
            parts.append(part)
    words = parts[0].split()
    heads = lexicons.project_heads()
    cut = next((k for k in range(len(words), 0, -1) if fold(" ".join(words[:k])) in heads), 0)
    head, first = " ".join(words[:cut]), " ".join(words[cut:])
    names = [p for p in [first, *parts[1:]] if p]
    if heads.get(fold(head)) in ("agreement", "programme", "document", "other", None):
        return head, [" – ".join(names)] if names else []
    return head, [_place_name(n) for n in names] if len(names) > 1 else names


def _place_name(text: str) -> str:
    place = lexicons.lookup_place(text)
    return place.canonical if place and "pair_only" not in place.flags else text


@functools.cache
def _project_synonyms() -> tuple[tuple[str, str], ...]:
    rows = lexicons.table("project_synonyms.tsv")
    return tuple(sorted(((fold(r["variant"]), fold(r["head"])) for r in rows), key=lambda vh: -len(vh[0])))


# ---------------------------------------------------------------- canonical forms


def _canonicals(records: list, attrs: list[dict], texts: dict[str, str]) -> list[str | None]:
    """The canonical form of each mention (`records`: the mentions as `_records` reads them), None for values."""
    out: list[str | None] = []
    acronyms = _acronym_expansions(records, texts)
    fullest = _fullest_person_names(records)
    parties = _party_in_context(records, attrs)
    provinces = _province_of_document(records, attrs)
    for row, a in zip(records, attrs):
        text = row.text
        if row.label == "PLACE":
            out.append(a.get("canonical") or text)
        elif row.label == "ORG":
            known = _known_org(text, a)
            if known:
                out.append(known)
            elif (row.doc_id, "ORG", text) in acronyms:
                out.append(acronyms[(row.doc_id, "ORG", text)])
            elif text == "Đảng" and parties.get(row.mention_id):
                out.append(parties[row.mention_id])
            elif text in _PARTY_ORGANS and parties.get(row.mention_id, _HOME_PARTY) != _HOME_PARTY:
                out.append(f"{text} {parties[row.mention_id]}")  # a foreign party's organ named bare
            elif _LOCAL_BODY.match(text) and row.doc_id in provinces:
                body = text if text.endswith("tỉnh") or text == "Tỉnh ủy" else f"{text} tỉnh"
                out.append(f"{body} {provinces[row.doc_id]}")
            elif a.get("type") in _STATE_BODY_TYPES:
                out.append(_HOME_COUNTRY_SUFFIX.sub("", text))
            else:
                out.append(text)
        elif row.label == "LEADER":
            name = a.get("canonical") or (text.title() if text.isupper() else text)
            out.append(fullest.get((row.doc_id, name), name))
        elif row.label == "PROJECT":
            canonical = project_canonical(acronyms.get((row.doc_id, "PROJECT", text), text))
            if re.match(r"^[Tt]uyến\s", text) and a.get("kind") in _KIND_NOUN and not _split_project(canonical)[0]:
                canonical = f"{_KIND_NOUN[a['kind']]} {canonical}"  # "tuyến A – B" of an expressway
            out.append(canonical)
        else:
            out.append(None)
    return out


def _known_org(text: str, attrs: dict) -> str | None:
    """The canonical name the tagger or the alias lexicon gives an ORG ("Quốc vụ viện" → "Quốc vụ
    viện Trung Quốc", "Đảng Nhân dân cách mạng Lào" → "Đảng Nhân dân Cách mạng Lào"); acronyms
    keep their own form unless the text spells them out."""
    if attrs.get("canonical"):
        return attrs["canonical"]
    alias = lexicons.org_aliases().get(fold(text))
    if alias and not text.isupper() and "ambiguous" not in alias.flags:
        return alias.canonical
    return None


def _acronym_expansions(records: list, texts: dict[str, str]) -> dict[tuple[str, str, str], str]:
    """ "Tập đoàn Điện lực Việt Nam (EVN)", "Hiệp định … (EVFTA)": the acronym's canonical is the full
    name, in that document, keyed by (doc_id, label, acronym)."""
    out = {}
    for row in records:
        if row.label not in ("ORG", "PROJECT"):
            continue
        after = texts.get(row.doc_id, "")[row.end:row.end + 16]
        match = _ACRONYM_AFTER_NAME.match(after.lstrip())
        if match and match.group(1) != row.text and len(row.text) > len(match.group(1)):
            out.setdefault((row.doc_id, row.label, match.group(1)), row.text)
    return out


def _fullest_person_names(records: list) -> dict[tuple[str, str], str]:
    """A surname-only or shorter mention ("Putin") takes the fullest name in the document."""
    out, by_doc = {}, defaultdict(set)
    for row in records:
        if row.label == "LEADER":
            by_doc[row.doc_id].add(row.text)
    for doc_id, names in by_doc.items():
        names = sorted(names, key=lambda name: (-len(name), name))  # ties by text: not by hash order
        for short in names:
            for full in names:
                if len(full) > len(short) and (full.endswith(" " + short) or full.startswith(short + " ")):
                    out[(doc_id, short)] = full
                    break
    return out


def _province_of_document(records: list, attrs: list[dict]) -> dict[str, str]:
    """The province a document is about: the one it names most (for "Tỉnh ủy", "UBND tỉnh")."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for row, a in zip(records, attrs):
        if row.label == "PLACE" and a.get("type") == "province":
            counts[row.doc_id][a.get("canonical") or row.text] += 1
    return {doc_id: _pick(c) for doc_id, c in counts.items()}


def _party_in_context(records: list, attrs: list[dict]) -> dict[str, str]:
    """For each ORG mention, the party it belongs to: the nearest party named in its sentence
    ("Bộ Chính trị, Ban Bí thư Đảng Nhân dân Cách mạng Lào"), else the last one named before it,
    else the first one after. A bare "Đảng", "Bộ Chính trị" or "Ban Bí thư" denotes that party or its organ.
    """
    out: dict[str, str] = {}
    by_doc: dict[str, list] = defaultdict(list)
    for row, a in zip(records, attrs):
        if row.label == "ORG":
            by_doc[row.doc_id].append((row, a))
    for items in by_doc.values():
        named = [(row.sent_id, row.start, _known_org(row.text, a) or row.text) for row, a in items
                 if re.match(r"^Đảng\s+(?!bộ|ủy|viên)\S", row.text)]
        for row, _ in items:
            same = [(abs(start - row.start), party) for sent, start, party in named if sent == row.sent_id]
            before = [party for _, start, party in named if start < row.start]
            after = [party for _, start, party in named if start > row.start]
            party = min(same)[1] if same else before[-1] if before else after[0] if after else None
            if party:
                out[row.mention_id] = party
    return out


# ---------------------------------------------------------------- tables


# `entity_parts` rows: what one document says about one entity. They add up over any cut of the
# corpus into batches, so the corpus-wide table is one reduction at the end (`reduce_entities`).
PART_COLUMNS = ["doc_id", "entity_id", "label", "field", "value", "n"]
PART_FIELDS = ("mention", "doc", "canonical", "alias", "title", "country", "kind")


def entity_parts(mentions: pd.DataFrame, attrs: list[dict], canonicals: list[str | None]) -> pd.DataFrame:
    """One row per (document, entity, field, value) with its count: mentions, canonical candidates,
    aliases, titles, countries and kinds. `mentions` must already carry `entity_id`.

    >>> m = pd.DataFrame([{"doc_id": "d", "entity_id": "pla_1", "label": "PLACE", "text": "Viêng - chăn"}])
    >>> entity_parts(m, [{}], ["Viêng - chăn"])[["field", "value", "n"]].values.tolist()[:3]
    [['mention', '', 1], ['doc', '', 1], ['canonical', 'Viêng - chăn', 1]]
    """
    counts: dict[tuple, int] = {}  # (doc_id, entity_id, label, field, value) → n, in order of first appearance
    for row, a, canonical in zip(_records(mentions), attrs, canonicals):
        if row.label not in NAMED:
            continue
        key = (row.doc_id, row.entity_id, row.label)
        fields = [("mention", ""), ("doc", ""), ("canonical", canonical), ("alias", row.text)]
        fields += [("title", t) for t in office_titles(a.get("title")) + office_titles(a.get("appositive"))]
        if a.get("country") and row.label in ("LEADER", "ORG"):
            fields.append(("country", a["country"]))
        if a.get("kind"):
            fields.append(("kind", a["kind"]))
        for field, value in fields:
            part = (*key, field, value)
            counts[part] = 1 if field == "doc" else counts.get(part, 0) + 1  # "doc": once per document
    parts = pd.DataFrame([(*key, n) for key, n in counts.items()], columns=PART_COLUMNS)
    return parts.astype({"n": "int64"})


def compact_parts(parts: pd.DataFrame) -> pd.DataFrame:
    """Parts with the documents summed away (one row per entity, field and value): the size follows the
    distinct entities, not the corpus. Only valid once each doc_id is counted once (duplicates dropped)."""
    keys = ["entity_id", "label", "field", "value"]
    if not len(parts):
        return pd.DataFrame(columns=keys + ["n"])
    return parts.groupby(keys, as_index=False, sort=False).n.sum()


def reduce_entities(parts: pd.DataFrame) -> pd.DataFrame:
    """The entities table from the parts of any number of batches, in one reduction.

    Every choice is a total order over all of an entity's values, never the order the parts came in:
    the canonical is the fullest form (`_fullest`), country and kind the most frequent (`_pick`).

    >>> parts = pd.DataFrame({"entity_id": "pla_1", "label": "PLACE", "field": ["mention", "doc", "canonical", "canonical"],
    ...                       "value": ["", "", "Viêng - chăn", "Viêng Chăn"], "n": [2, 1, 1, 1]})
    >>> reduce_entities(parts)[["canonical", "n_mentions", "n_docs"]].values.tolist()
    [['Viêng Chăn', 2, 1]]
    """
    if not len(parts):
        return pd.DataFrame(columns=ENTITY_COLUMNS)
    # Plain dicts in one pass: a pandas groupby per field costs more than the sums, for a batch or a corpus.
    labels: dict[str, str] = {}
    totals: dict[str, dict[str, dict[str, int]]] = {name: defaultdict(dict) for name in PART_FIELDS}
    for eid, label, name, value, n in zip(parts.entity_id.tolist(), parts.label.tolist(), parts.field.tolist(),
                                          parts.value.tolist(), parts.n.tolist()):
        counts = totals[name][eid]
        counts[value] = counts.get(value, 0) + n
        if name == "mention":
            labels.setdefault(eid, label)
    ids = sorted(labels)

    def best(name: str, key) -> list:
        """Per entity, the value first in the total order `key(value, count)` (it ends with the value: no ties)."""
        found = totals[name]
        return [min((key(v, int(n)), v) for v, n in found[e].items())[1] if e in found else None for e in ids]

    def distinct(name: str) -> list[list[str]]:
        found = totals[name]
        return [sorted(found[e]) if e in found else [] for e in ids]

    return pd.DataFrame({
        "entity_id": ids,
        "label": [labels[e] for e in ids],
        "canonical": pd.Series(best("canonical", _fullest_key), dtype=object),
        "aliases": distinct("alias"),
        "n_mentions": pd.Series([sum(totals["mention"][e].values()) for e in ids], dtype="int64"),
        "n_docs": pd.Series([sum(totals["doc"][e].values()) if e in totals["doc"] else 0 for e in ids], dtype="int64"),
        "titles": distinct("title"),
        "country": pd.Series(best("country", _pick_key), dtype=object),
        "kind": pd.Series(best("kind", _pick_key), dtype=object),
    }, columns=ENTITY_COLUMNS)


def _fullest_key(form: str, count: int) -> tuple:
    """The fullest form (ANNOTATION.md: most letters), then the most frequent, then the plainest
    spelling ("Viêng Chăn" over "Viêng - chăn"), then the most capitalized, then the code points."""
    return (-len(loose_key(form)), -count, len(form), -sum(c.isupper() for c in form), form)


def _pick_key(form: str, count: int) -> tuple:
    """Most frequent; ties go to the longest (fullest) form, then alphabetical, so output is deterministic."""
    return (-count, -len(form), form)


def _fullest(counter: Counter) -> str:
    return min(counter.items(), key=lambda kv: _fullest_key(*kv))[0]


def _pick(counter: Counter) -> str:
    return min(counter.items(), key=lambda kv: _pick_key(*kv))[0]


def _flows(sentence: str) -> list[str]:
    """Kinds of flow a sentence talks about: "kim ngạch thương mại … 10 tỷ USD" → ["trade"]."""
    folded = fold(sentence)
    return sorted({obj for cue, obj in _relation_cues() if cue.search(folded)})


@functools.cache
def _relation_cues() -> tuple[tuple[re.Pattern, str], ...]:
    """(the folded cue as a whole word, its object) for each row of relation_cues.tsv."""
    return tuple((re.compile(rf"(?<!\w){re.escape(fold(r['cue']))}(?!\w)"), r["object"])
                 for r in lexicons.table("relation_cues.tsv"))


def _amounts(records: list, attrs: list[dict]) -> pd.DataFrame:
    rows = [{"mention_id": row.mention_id, "doc_id": row.doc_id, "value": a.get("value"),
             "value_max": a.get("value_max"), "currency": a.get("currency"), "qualifier": a.get("qualifier")}
            for row, a in zip(records, attrs) if row.label == "AMOUNT"]
    return pd.DataFrame(rows, columns=["mention_id", "doc_id", "value", "value_max", "currency", "qualifier"])


def _times(records: list, attrs: list[dict]) -> pd.DataFrame:
    rows = []
    for row, a in zip(records, attrs):
        if row.label not in ("YEAR", "DATE"):
            continue
        date = a.get("date")
        granularity = "year" if row.label == "YEAR" else ("day" if date and len(date) == 10 else "month")
        year = int(date[:4]) if date else None
        rows.append({"mention_id": row.mention_id, "doc_id": row.doc_id, "label": row.label,
                     "year_start": a.get("year_start", year), "year_end": a.get("year_end", year),
                     "date": date, "granularity": granularity})
    return pd.DataFrame(rows, columns=["mention_id", "doc_id", "label", "year_start", "year_end", "date",
                                       "granularity"])


def _relations(records: list, attrs: list[dict], sentence_text: dict) -> pd.DataFrame:
    """What the text states: leader holds title, leader of country, project connects place,
    amount target_of trade or investment (from cue words in the same sentence)."""
    rows = []
    by_sentence = defaultdict(list)
    for row, a in zip(records, attrs):
        by_sentence[(row.doc_id, row.sent_id)].append((row, a))
    for (doc_id, sent_id), items in by_sentence.items():
        amounts = [row for row, _ in items if row.label == "AMOUNT"]
        flows = _flows(sentence_text.get((doc_id, sent_id), "")) if amounts else []
        for row in amounts:
            rows += [(doc_id, sent_id, row.mention_id, "target_of", None, flow) for flow in flows]
        for row, a in items:
            if row.label == "LEADER":
                rows += [(doc_id, sent_id, row.entity_id, "holds", None, t)
                         for t in office_titles(a.get("title")) + office_titles(a.get("appositive"))]
            if row.label == "LEADER" and a.get("country"):
                rows.append((doc_id, sent_id, row.entity_id, "of", entity_id("PLACE", a["country"]), a["country"]))
            if row.label == "PROJECT":
                for place in _split_project(project_canonical(row.text))[1]:
                    rows.append((doc_id, sent_id, row.entity_id, "connects", entity_id("PLACE", place), place))
    return pd.DataFrame(rows, columns=["doc_id", "sent_id", "subject_id", "relation", "object_id", "object_text"])
